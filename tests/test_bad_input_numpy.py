"""Issue 10's reproducers, one per root cause: bad input exactly as NumPy 2.4.

Each case failed before its fix (a hang, a wrong class, a foreign exception,
a NaN where a limit exists). Where NumPy raises, the test checks NumPy's own
class too, so a change in NumPy shows up here first.
"""
from __future__ import annotations

import math
import threading

import array_api_strict as xps
import jax.numpy as jnp
import numpy as np
import pytest
import torch
from numpy.exceptions import AxisError

import array_random

TIME_LIMIT = 60  # s; the hang of the issue never returned


def _rng(xp):
    return array_random.default_rng(xp, 0)


def _within_limit(fn):
    """``fn()`` and its value on the host, or a failure if it does not finish in time."""
    out = {}

    def work():
        try:
            value = fn()
            out["value"] = np.asarray(value.tolist() if hasattr(value, "tolist") else value)
        except BaseException as exc:  # re-raised below, on the test's thread
            out["error"] = exc

    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join(TIME_LIMIT)
    assert not t.is_alive(), f"no result within {TIME_LIMIT} s"
    if "error" in out:
        raise out["error"]
    return out["value"]


@pytest.mark.parametrize("xp", [jnp, torch, xps, np], ids=["jax", "torch", "strict", "numpy"])
def test_negative_binomial_degenerate_returns_zeros(xp):
    # Gamma(1e-300) is 0; in float32 (1 - p) / p overflows and 0 * inf was NaN,
    # a Poisson mean that the rejection loop never accepted (a hang on JAX)
    expected = np.random.default_rng(0).negative_binomial(1e-300, 1e-40, size=3)
    got = _within_limit(lambda: _rng(xp).negative_binomial(1e-300, 1e-40, size=3))
    assert np.array_equal(got, expected) and not got.any()


def test_uniform_high_below_low_is_value_error():
    with pytest.raises(ValueError, match="high - low < 0"):
        np.random.default_rng(0).uniform(2.0, 1.0)
    with pytest.raises(ValueError, match="high - low < 0"):
        _rng(torch).uniform(2.0, 1.0)


def test_rayleigh_negative_zero_scale_is_value_error():
    with pytest.raises(ValueError):
        np.random.default_rng(0).rayleigh(-0.0, size=2)
    with pytest.raises(ValueError, match="scale < 0"):
        _rng(torch).rayleigh(-0.0, size=2)


def test_parameter_checked_before_the_cast():
    # -1e-300 is negative in the float64 it was given in; the float32 cast makes it -0.0
    scale = torch.asarray([1.0, -1e-300], dtype=torch.float64)
    with pytest.raises(ValueError):
        np.random.default_rng(0).exponential(np.asarray([1.0, -1e-300]))
    with pytest.raises(ValueError, match="scale < 0"):
        _rng(torch).exponential(scale)


def test_positive_parameter_stays_positive_after_the_cast():
    # 1e-300 > 0 in float64; in float32 it would round to 0 and fail "a <= 0"
    got = _rng(torch).power(torch.asarray([1e-300, 2.0], dtype=torch.float64), dtype=torch.float32)
    assert got.dtype == torch.float32 and tuple(got.shape) == (2,)


def test_uniform_infinite_range_is_overflow_error():
    with pytest.raises(OverflowError):
        np.random.default_rng(0).uniform(0.0, math.inf)
    with pytest.raises(OverflowError, match="range exceeds"):
        _rng(np).uniform(0.0, math.inf)
    with pytest.raises(OverflowError):  # NaN too, as NumPy
        _rng(np).uniform(0.0, math.nan)


def test_permuted_axis_out_of_bounds_is_axis_error():
    with pytest.raises(AxisError):
        np.random.default_rng(0).permuted(np.arange(5), axis=1)
    with pytest.raises(AxisError):
        _rng(torch).permuted(torch.arange(5), axis=1)


def test_permuted_0d_raises():
    with pytest.raises(TypeError):
        np.random.default_rng(0).permuted(np.asarray(3.0))
    with pytest.raises(TypeError):
        _rng(torch).permuted(torch.asarray(3.0))


def test_string_parameter_is_value_error():
    with pytest.raises(ValueError):
        np.random.default_rng(0).normal(0, "abc")
    with pytest.raises(ValueError, match="could not convert"):
        _rng(np).normal(0, "abc")


def test_count_beyond_int64_is_overflow_error():
    with pytest.raises(OverflowError):
        np.random.default_rng(0).hypergeometric(10, 5, 2**63)
    with pytest.raises(OverflowError):
        _rng(np).hypergeometric(10, 5, 2**63)


def test_torch_huge_gamma_shape_returns_float32_limit():
    # torch.full refused 1.7e308 in float32 with its own RuntimeError
    got = _rng(torch).gamma(1.7e308)
    assert got.dtype == torch.float32 and float(got) == math.inf


def test_jax_huge_int_float_parameter_does_not_overflow():
    # a Python int as a float parameter of an int32 draw hit JAX's argument parsing
    rng = _rng(jnp)
    before = rng.state
    got = np.asarray(rng.zipf(2**63 - 1, size=3))
    assert (got == 1).all()
    assert rng.state["counter"] == before["counter"] + 1


def test_jax_shuffle_0d_is_type_error():
    with pytest.raises(TypeError):
        np.random.default_rng(0).shuffle(np.asarray(3.0))
    with pytest.raises(TypeError, match="0-d"):
        _rng(jnp).shuffle(jnp.asarray(3.0))


def test_integers_float_bound_as_numpy():
    # NumPy 2.4 truncates a float bound (the README said it refused it)
    expected = np.random.default_rng(0).integers(0, 10.5, size=1000)
    got = np.asarray(_rng(np).integers(0, 10.5, size=1000))
    assert got.min() >= 0 and got.max() <= 9 and expected.max() <= 9
    with pytest.raises(ValueError):
        _rng(np).integers(0, math.nan)
    with pytest.raises(OverflowError):
        _rng(np).integers(0, math.inf)


@pytest.mark.parametrize("xp", [np, torch, jnp], ids=["numpy", "torch", "jax"])
def test_float32_standard_t_huge_df_is_normal(xp):
    dtype = getattr(xp, "float32")
    got = np.asarray(_rng(xp).standard_t(1e300, size=1000, dtype=dtype).tolist())
    assert np.isfinite(got).all() and abs(got.mean()) < 0.2 and abs(got.std() - 1) < 0.1


@pytest.mark.parametrize("xp", [np, torch, jnp], ids=["numpy", "torch", "jax"])
def test_float32_dirichlet_huge_alpha_is_the_corner(xp):
    got = np.asarray(_rng(xp).dirichlet([1e300, 1.0], size=3, dtype=getattr(xp, "float32"))
                     .tolist())
    # 1e300 is float32's largest finite value there: the other weight is below 1e-30
    assert np.all(got[:, 0] == 1.0) and np.all(got[:, 1] < 1e-30)


@pytest.mark.parametrize("xp", [jnp, xps], ids=["jax", "strict"])
def test_zipf_just_above_one_terminates_in_float32(xp):
    # 1 + 2**-52 is a valid a (NumPy draws) that rounds to 1 in float32: a - 1 = 0 made every
    # proposal NaN and the rejection loop endless (a hang found by the slow fuzz run); the
    # float32 limit is a = the nearest float32 above 1, whose truncated law puts
    # P(X = 1) = 1 / H(top, a) ~ 1 / ln(2**31) ~ 0.047 on int32 counts
    device = xps.Device("no_float64") if xp is xps else None
    rng = array_random.default_rng(xp, 0, device=device)
    def draw():
        out = rng.zipf(1 + 2**-52, size=20000, dtype=xp.int32)
        # array_api_strict's other devices refuse the host conversion by design
        return out.to_device(xps.Device("CPU_DEVICE")) if xp is xps else out

    got = _within_limit(draw)
    assert got.min() >= 1
    ones = (got == 1).mean()
    # binomial(20000, 0.047): sd 0.0015, so a 0.03-0.065 window is > 10 sd wide
    assert 0.03 < ones < 0.065, ones


@pytest.mark.parametrize("bit_generator", ["native", "threefry"])
@pytest.mark.parametrize("xp", [torch, xps, np], ids=["torch", "strict", "numpy"])
def test_beta_subnormal_shapes_give_zero_or_one(xp, bit_generator):
    # E / a overflows for a = 5e-324: both log-gammas were -inf and their difference NaN (a
    # fuzz failure where NumPy's draw was 0); the limit of Beta(a, a) as a -> 0 is a fair
    # coin on {0, 1}, and Beta(a, 2) is 0
    rng = array_random.default_rng(xp, 0, bit_generator=bit_generator)
    got = np.asarray(rng.beta(5e-324, [5e-324, 2.0], size=(400, 2), dtype=xp.float64))
    assert np.all(got[:, 1] == 0)
    assert np.all((got[:, 0] == 0) | (got[:, 0] == 1))
    if not (xp is np and bit_generator == "native"):  # NumPy's own beta: its NaN or 0
        # binomial(400, 1/2): sd 10, so 120-280 ones is a 8 sd window
        assert 120 < got[:, 0].sum() < 280


@pytest.mark.parametrize("xp", [jnp, xps], ids=["jax", "strict-no_float64"])
def test_parameter_rounding_onto_one_keeps_its_side(xp):
    # 1 + 2**-52 is a p > 1 (NumPy: ValueError); float32 rounds it to 1, a valid p, and the check
    # after the cast let it draw. Checked in the precision given: the float32 neighbour above 1
    with pytest.raises(ValueError, match="p > 1"):
        np.random.default_rng(0).geometric([1 + 2**-52, 0.3])
    device = xps.Device("no_float64") if xp is xps else None
    rng = array_random.default_rng(xp, 0, device=device)
    with pytest.raises(ValueError, match="p > 1"):
        rng.geometric([1 + 2**-52, 0.3])
    with pytest.raises(ValueError, match="left > mode"):
        rng.triangular([1 + 2**-52], 1.0, 2.0)
    # and 1 - 2**-53, a valid p below 1, stays valid (logseries needs p < 1)
    assert rng.logseries([1 - 2**-53, 0.5]).shape == (2,)


@pytest.mark.parametrize("xp", [torch, xps], ids=["torch", "strict"])
def test_float64_array_rounding_onto_one_keeps_its_side(xp):
    left = xp.asarray([1 + 2**-52, 0.3], dtype=xp.float64)
    with pytest.raises(ValueError, match="left > mode"):
        np.random.default_rng(0).triangular(np.asarray([1 + 2**-52, 0.3]), 1.0, 2.0)
    with pytest.raises(ValueError, match="left > mode"):
        _rng(xp).triangular(left, 1.0, 2.0, dtype=xp.float32)  # left cast to float32


@pytest.mark.parametrize("xp", [torch, xps, jnp], ids=["torch", "strict", "jax"])
def test_noncentral_chisquare_huge_nonc_is_about_nonc(xp):
    # df <= 1 is a Poisson(nonc / 2) mixture; a mean beyond the count dtype overflowed the
    # count (torch: 0.0; NumPy's float32 path: "lam value too large", where NumPy returns).
    # Mean df + nonc, sd ~ 2 sqrt(nonc): 1e30 +- 2e15, so within 1e-6 of 1e30
    dtype = xp.float64 if xp is not jnp else xp.float32
    got = np.asarray(_rng(xp).noncentral_chisquare(xp.asarray(0.5), 1e30, size=50, dtype=dtype))
    assert np.all(np.abs(got / 1e30 - 1) < 1e-6), got[:4]
    got = np.asarray(_rng(xp).noncentral_f(xp.asarray(0.5), 1e6, 1e30, size=50, dtype=dtype))
    # (chi2(0.5, 1e30) / 0.5) / (chi2(1e6) / 1e6): 2e30 within a few parts in 1e3
    assert np.all(np.abs(got / 2e30 - 1) < 1e-2), got[:4]


def test_numpy_float32_noncentral_chisquare_huge_nonc_draws():
    got = _rng(np).noncentral_chisquare(np.asarray(0.5), 1e30, size=50, dtype=np.float32)
    assert np.all(np.abs(got / 1e30 - 1) < 1e-6), got[:4]


@pytest.mark.parametrize("xp", [np, torch], ids=["numpy", "torch"])
def test_multivariate_normal_nan_cov_fails_svd_before_check_valid(xp):
    # NumPy looks at check_valid after the decomposition: its SVD of a NaN matrix fails first
    # (LinAlgError), eigh returns and check_valid is then the ValueError
    nan_cov = [[1.0, math.nan], [math.nan, 1.0]]
    with pytest.raises(np.linalg.LinAlgError):
        np.random.default_rng(0).multivariate_normal([0.0, 0.0], nan_cov, check_valid="nope")
    with pytest.raises(np.linalg.LinAlgError):
        _rng(xp).multivariate_normal([0.0, 0.0], nan_cov, check_valid="nope")
    with pytest.raises(ValueError, match="check_valid") as info:
        _rng(xp).multivariate_normal([0.0, 0.0], nan_cov, check_valid="nope", method="eigh")
    assert not isinstance(info.value, np.linalg.LinAlgError)


def test_jax_hypergeometric_nsample_beyond_int32_is_value_error():
    # nbad an int32 array, nsample a Python int beyond int32: ngood + nbad - nsample was
    # JAX's argument-parsing OverflowError; NumPy: ValueError (ngood + nbad < nsample)
    with pytest.raises(ValueError, match="ngood \\+ nbad < nsample"):
        np.random.default_rng(0).hypergeometric(0, np.asarray([0, 1]), 2**32)
    with pytest.raises(ValueError, match="ngood \\+ nbad < nsample"):
        _rng(jnp).hypergeometric(0, jnp.asarray([0, 1], dtype=jnp.int32), 2**32)


@pytest.mark.parametrize("xp", [torch, xps, np], ids=["torch", "strict", "numpy"])
def test_vonmises_tiny_kappa_infinite_mu_is_uniform(xp):
    # NumPy draws the uniform below kappa = 1e-8 whatever mu is; kappa 1e-40 with an infinite
    # mu gave NaN (only kappa 0 was taken as the uniform)
    assert np.isfinite(np.random.default_rng(0).vonmises(math.inf, 1e-40, size=5)).all()
    mu = xp.asarray([math.inf, 1.0], dtype=xp.float64)
    got = np.asarray(_rng(xp).vonmises(mu, 1e-40, size=(200, 2), dtype=xp.float64))
    assert np.isfinite(got).all() and (np.abs(got) <= math.pi).all()


@pytest.mark.parametrize("xp", [torch, xps], ids=["torch", "strict"])
def test_multivariate_hypergeometric_count_nothing_drawn_is_quick(xp):
    # method="count" permuted all sum(colors) items even for nsample 0: 2**31 of them took
    # minutes and 19 GB (a fuzz hang); NumPy returns zeros at once
    colors = [2, 15, 2**31 - 1]
    expected = np.random.default_rng(0).multivariate_hypergeometric(colors, 0, method="count")
    got = _within_limit(lambda: _rng(xp).multivariate_hypergeometric(colors, 0, method="count"))
    assert np.array_equal(got, expected) and not got.any()


def test_jax_multivariate_hypergeometric_count_at_the_int32_limit():
    # JAX without x64 counts colours in int32. nsample 0 is NumPy's zeros at once (inside the
    # compiled draw nsample is traced, so the shortcut of the sampler did not apply: JAX's
    # own OverflowError escaped, after the key was taken; a fuzz mismatch); a real draw of
    # 2**31 - 1 items is refused before any key is taken
    colors = [2**31 - 1]
    rng = _rng(jnp)
    got = _within_limit(lambda: rng.multivariate_hypergeometric(colors, 0, method="count",
                                                                dtype=jnp.int16))
    assert got.tolist() == [0]
    before = rng.state
    with pytest.raises(ValueError, match="too large for method=.count."):
        rng.multivariate_hypergeometric(colors, 1, method="count")
    assert rng.state["counter"] == before["counter"]


@pytest.mark.parametrize("xp", [xps, jnp], ids=["strict-no_float64", "jax"])
def test_float32_counts_stay_in_the_support(xp):
    # n = 2**31 - 1 is 2**31 in float32: binomial(n, 1) gave 2**31 > n, and multinomial's last
    # category the negative remainder -1 (a fuzz mismatch on no_float64)
    device = xps.Device("no_float64") if xp is xps else None
    rng = array_random.default_rng(xp, 0, device=device)
    n = 2**31 - 1
    if xp is xps:
        assert int(xp.max(rng.binomial(n, 1.0, size=4, dtype=xp.int64))) <= n
    counts = rng.multinomial(n, [0.5, 0.5, 0.0], size=20,
                             dtype=xp.int64 if xp is xps else xp.int32)
    assert int(xp.min(counts)) >= 0
    assert bool(xp.all(xp.sum(counts, axis=-1) == n))
