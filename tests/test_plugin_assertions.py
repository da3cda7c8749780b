"""array_random.testing's helpers: assert_close, assert_equal, assert_same_distribution.

They run on the plugin's own fixtures (this project opts in in its root conftest), so the
metadata checks are exercised on every installed backend and device. The rejections are
checked at fixed seeds; the acceptances fail a correct sampler with probability alpha = 1e-6
each over seeds.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats

from array_random.testing import assert_close, assert_equal, assert_same_distribution


def test_assert_close_passes_within_tolerance(xp, device, dtype):
    x = xp.asarray([1.0, 2.0, float("nan")], dtype=dtype, device=device)
    assert_close(x * (1 + 1e-4), x, rtol=1e-3)  # NaNs in the same places are equal
    assert_close(x, [1.0, 2.0, float("nan")])   # a list: values in x's namespace and dtype
    with pytest.raises(AssertionError, match="Not equal to tolerance"):
        assert_close(x * 1.01, x)  # the default rtol, 4 sqrt(eps), is below 1e-2


def test_metadata_is_checked_before_values(xp, device):
    x = xp.zeros(3, device=device, dtype=xp.float32)
    with pytest.raises(AssertionError, match=r"shapes differ: actual \(3,\), desired \(2,\)"):
        assert_close(x, xp.zeros(2, device=device, dtype=xp.float32))
    with pytest.raises(AssertionError, match="dtypes differ: actual .*float32, desired .*int"):
        assert_equal(x, xp.zeros(3, device=device, dtype=xp.int32))
    # a NumPy result for a torch input (or the reverse): the typical array-agnostic bug
    foreign = np.zeros(3, dtype=np.float32)
    if xp.__name__ == "array_api_compat.numpy":
        import array_api_strict
        foreign = array_api_strict.zeros(3, dtype=array_api_strict.float32)
    with pytest.raises(AssertionError, match="namespaces differ: actual is of "):
        assert_close(x, foreign)
    assert_close(x, foreign, check_namespace=False, check_device=False)


def test_device_is_checked():
    import array_api_strict as xps  # the backend with several devices on every machine
    a = xps.zeros(2, dtype=xps.float32, device=xps.Device("device1"))
    with pytest.raises(AssertionError, match="devices differ: actual on .*device1.*device2"):
        assert_equal(a, xps.zeros(2, dtype=xps.float32, device=xps.Device("device2")))


# the tests run on NumPy draws (numpy_rng: not parametrised): the statistics are NumPy's
# whatever the sample's backend, and its copy to NumPy is the one assert_close tests use
def test_assert_same_distribution_against_scipy(numpy_rng):
    rng = numpy_rng
    normal = rng.normal(size=20_000)
    assert_same_distribution(normal, scipy.stats.norm())
    with pytest.raises(AssertionError, match="one-sample KS test rejects"):
        assert_same_distribution(normal, scipy.stats.norm(loc=0.1))
    counts = rng.poisson(3.0, size=20_000)
    assert_same_distribution(counts, scipy.stats.poisson(3.0))
    with pytest.raises(AssertionError, match="chi-square goodness-of-fit test rejects"):
        assert_same_distribution(counts, scipy.stats.poisson(3.2))


def test_assert_same_distribution_two_samples(numpy_rng):
    rng = numpy_rng
    a, b = rng.exponential(size=20_000), rng.exponential(size=20_000)
    assert_same_distribution(a, b)
    with pytest.raises(AssertionError, match="two-sample KS test rejects"):
        assert_same_distribution(a, 1.1 * b)
    k, m = rng.binomial(10, 0.3, size=20_000), rng.binomial(10, 0.3, size=20_000)
    assert_same_distribution(k, m)
    with pytest.raises(AssertionError, match="chi-square homogeneity test rejects"):
        assert_same_distribution(k, rng.binomial(10, 0.33, size=20_000))


def test_helpers_refuse_what_is_not_an_array():
    with pytest.raises(AssertionError, match="actual is a str, not an array"):
        assert_close("1.0", np.asarray(1.0))
