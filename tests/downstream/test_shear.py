"""The downstream package's tests: one file, every backend, compared with NumPy.

A project opts in once (``pytest_plugins = ["array_random.testing"]`` in its root
conftest.py; this project does). ``xp``/``device``/``dtype`` run each test on every
installed backend, device and floating dtype; ``rng`` draws the portable stream, so the
function sees the same numbers on each of them as ``numpy_rng`` gives on NumPy.
"""
import numpy as np
import pytest
import scipy.stats

from array_random.testing import assert_close, assert_same_distribution

from .shear import ellipticity_gaussian, shear_estimate


def test_ellipticity_matches_numpy(xp, device, dtype, rng, numpy_rng):
    e1, e2 = ellipticity_gaussian(2000, 0.4, rng=rng, dtype=dtype)
    n1, n2 = ellipticity_gaussian(2000, 0.4, rng=numpy_rng, dtype=getattr(np, str(
        dtype).rsplit(".", 1)[-1]))
    assert_close(e1, xp.asarray(n1, device=device))
    assert_close(e2, xp.asarray(n2, device=device))
    assert float(xp.max(e1 * e1 + e2 * e2)) < 1


def test_shear_estimate_matches_numpy(xp, device, rng, numpy_rng):
    e1, e2 = ellipticity_gaussian(500, 0.3, rng=rng)
    weights = rng.uniform(0.5, 1.5, size=500)
    got = shear_estimate(e1, e2, weights)
    n1, n2 = ellipticity_gaussian(500, 0.3, rng=numpy_rng, dtype=_numpy_dtype(e1))
    want = shear_estimate(n1, n2, numpy_rng.uniform(0.5, 1.5, size=500, dtype=_numpy_dtype(e1)))
    for g, w in zip(got, want):
        assert g.shape == ()
        assert_close(g, xp.asarray(w, device=device), atol=1e-6)


@pytest.mark.requires_capability("float64", reason="the tail test needs float64 precision")
def test_truncated_components_have_the_truncated_distribution(xp, rng):
    e1, _ = ellipticity_gaussian(20_000, 0.2, rng=rng, dtype=xp.float64)
    # at sigma = 0.2 the disc cuts 3.7e-6 of the mass: the Gaussian within alpha = 1e-6
    assert_same_distribution(e1, scipy.stats.norm(scale=0.2))


def _numpy_dtype(x):
    return getattr(np, str(x.dtype).rsplit(".", 1)[-1])
