"""multinomial, multivariate_hypergeometric and multivariate_normal on every target.

Goodness of fit: the marginals of the count vectors against their binomial /
hypergeometric pmfs (chi-square), their covariances as moment checks of the
products of centred components, rows summing to ``n``; for the normal, the
mean and covariance as moment checks and a Kolmogorov-Smirnov test of a 1-d
projection, for each of the three factorisations. All through
``conformance.stats`` at its ALPHA.

On JAX every distinct output shape is a compilation, so each check draws
once at a shape shared with the others where it can.
"""
from __future__ import annotations

import math
import re
import warnings

import array_api_compat
import numpy as np
import pytest
from scipy import stats

from conformance.stats import assert_fits_continuous, assert_fits_discrete, assert_moment
from conformance.targets import to_numpy

N = 20_000
METHODS = ("multinomial", "multivariate_hypergeometric", "multivariate_normal")


def _default(target, kind):
    info = target.info
    defaults = info.default_dtypes() if target.name == "jax" else \
        info.default_dtypes(device=target.device)
    return defaults[kind]


def _widest(target, xp):
    return xp.float64 if target.supports("float64") else xp.float32


def _check_covariances(x, cov, label):
    """Each E[(x_i - mu_i)(x_j - mu_j)] against ``cov[i, j]`` (a moment check per pair)."""
    centred = x - x.mean(axis=0)
    for i in range(x.shape[1]):
        for j in range(i, x.shape[1]):
            assert_moment(centred[:, i] * centred[:, j], cov[i, j],
                          label=f"{label} cov[{i}, {j}]")


# --- multinomial -------------------------------------------------------------------
def test_multinomial_fit(target):
    """Batched pvals with an array n: a small-n row and a large-n row mixing inversion and BTRS.

    The second row's last probability (0.5) is not read: as in NumPy, the last
    category gets what the others leave (1e-5 here).
    """
    rng = target.rng(8000)
    xp = rng.xp
    rows = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.3, 0.19999, 0.5]])
    effective = rows.copy()
    effective[1, -1] = 1 - rows[1, :-1].sum()
    ns = [20, 100_000]
    pvals = xp.asarray(rows, dtype=_widest(target, xp), device=target.device)
    n = xp.asarray(ns, device=target.device)
    out = rng.multinomial(n, pvals, size=(N, 2))
    assert tuple(out.shape) == (N, 2, 4) and out.dtype == _default(target, "integral")
    assert array_api_compat.device(out) == target.device
    x = to_numpy(out).astype(np.int64)
    for r, (nr, p) in enumerate(zip(ns, effective)):
        label = f"{target.label} multinomial({nr}, {p.tolist()})"
        assert np.all(x[:, r].sum(axis=1) == nr), f"{label}: rows do not sum to n"
        for j in range(4):
            dist = stats.binom(nr, p[j])
            lo, hi = int(dist.ppf(1e-7)), int(dist.ppf(1 - 1e-7))
            assert_fits_discrete(x[:, r, j], dist.pmf, np.arange(lo, hi + 1),
                                 label=f"{label} marginal {j}")
        cov = nr * (np.diag(p) - np.outer(p, p))
        _check_covariances(x[:, r].astype(np.float64), cov, label)


def test_multinomial_shapes_dtype_reproducible(target):
    """Shapes, dtypes, device, K1; few distinct shapes, as each is a compilation on JAX."""
    rng = target.rng(8100)
    xp = rng.xp
    one = rng.multinomial(20, [0.2, 0.3, 0.5])
    assert tuple(one.shape) == (3,) and to_numpy(one).sum() == 20
    assert one.dtype == _default(target, "integral")
    assert array_api_compat.device(one) == target.device
    again = target.rng(8100).multinomial(20, [0.2, 0.3, 0.5])
    assert np.array_equal(to_numpy(one), to_numpy(again)), "same seed, different numbers"
    assert np.array_equal(to_numpy(rng.multinomial(0, [0.2, 0.3, 0.5])), [0, 0, 0])
    batch = xp.asarray([[0.2, 0.8], [0.5, 0.5], [0.9, 0.1]], dtype=_widest(target, xp),
                       device=target.device)
    n = xp.asarray([[5], [10], [20], [40]], device=target.device)

    def batched(seed):  # n (4, 1) with pvals (3, 2): batch shape (4, 3)
        return target.rng(seed).multinomial(n, batch, dtype=xp.int32)

    out = batched(8101)
    assert tuple(out.shape) == (4, 3, 2) and out.dtype == xp.int32
    assert array_api_compat.device(out) == target.device
    assert np.array_equal(to_numpy(out).sum(axis=-1),
                          np.broadcast_to([[5], [10], [20], [40]], (4, 3)))
    assert not np.array_equal(to_numpy(out), to_numpy(batched(8102))), \
        "different seeds, same numbers"
    assert tuple(rng.multinomial(10, [0.5, 0.5], size=0).shape) == (0, 2)
    assert np.array_equal(to_numpy(rng.multinomial(7, [1.0])), [7])
    with pytest.raises(ValueError):
        rng.multinomial(n, batch, size=(2, 3))


# --- multivariate hypergeometric ------------------------------------------------------
@pytest.mark.parametrize("method", ["marginals", "count"])
def test_multivariate_hypergeometric_fit(target, method):
    rng = target.rng(8200)
    xp = rng.xp
    cases = [([5, 10, 15, 20], 12)]
    if method == "marginals":  # HRUA for the large colours, item-by-item draws for the rest
        cases.append(([200_000, 100_000, 15, 20], 10_000))
    for colors, nsample in cases:
        label = f"{target.label} multivariate_hypergeometric({colors}, {nsample}, {method})"
        out = rng.multivariate_hypergeometric(xp.asarray(colors, device=target.device), nsample,
                                              size=N, method=method)
        assert tuple(out.shape) == (N, 4) and out.dtype == _default(target, "integral")
        assert array_api_compat.device(out) == target.device
        x = to_numpy(out).astype(np.int64)
        assert np.all(x.sum(axis=1) == nsample), f"{label}: rows do not sum to nsample"
        total = sum(colors)
        for j, c in enumerate(colors):
            dist = stats.hypergeom(total, c, nsample)
            lo, hi = int(dist.ppf(1e-7)), int(dist.ppf(1 - 1e-7))
            assert np.all((x[:, j] >= 0) & (x[:, j] <= c)), f"{label}: colour {j} out of range"
            assert_fits_discrete(x[:, j], dist.pmf, np.arange(lo, hi + 1),
                                 label=f"{label} marginal {j}")
        q = np.array(colors) / total
        cov = nsample * (total - nsample) / (total - 1) * (np.diag(q) - np.outer(q, q))
        _check_covariances(x.astype(np.float64), cov, label)


def test_multivariate_hypergeometric_shapes(target):
    rng = target.rng(8300)
    xp = rng.xp
    for method in ("marginals", "count"):
        def draw(nsample, seed=8301):
            return target.rng(seed).multivariate_hypergeometric(
                [5, 3, 2], nsample, size=(2, 3), method=method, dtype=xp.int32)

        out = draw(4)
        assert tuple(out.shape) == (2, 3, 3) and out.dtype == xp.int32
        assert np.all(to_numpy(out).sum(axis=-1) == 4)
        assert array_api_compat.device(out) == target.device
        assert np.array_equal(to_numpy(out), to_numpy(draw(4))), \
            f"{method}: same seed, different numbers"
        assert np.all(to_numpy(draw(10)) == [5, 3, 2]), "drawing everything gives the colours"
        assert np.all(to_numpy(draw(0)) == 0)
    assert tuple(rng.multivariate_hypergeometric([], 0).shape) == (0,)
    assert rng.multivariate_hypergeometric([5, 3, 2], 4).dtype == _default(target, "integral")


# --- multivariate normal ----------------------------------------------------------------
MEAN = np.array([1.0, -2.0, 0.5])
COV = np.array([[2.0, 0.6, -0.4], [0.6, 1.0, 0.3], [-0.4, 0.3, 0.5]])


@pytest.mark.parametrize("method", ["svd", "eigh", "cholesky"])
def test_multivariate_normal_fit(target, method):
    rng = target.rng(8400)
    xp = rng.xp
    work = _widest(target, xp)
    mean = xp.asarray(MEAN, dtype=work, device=target.device)
    cov = xp.asarray(COV, dtype=work, device=target.device)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a valid covariance raises no warning, float32 included
        out = rng.multivariate_normal(mean, cov, size=N, method=method)
    assert tuple(out.shape) == (N, 3) and out.dtype == _default(target, "real floating")
    assert array_api_compat.device(out) == target.device
    x = to_numpy(out).astype(np.float64)
    label = f"{target.label} multivariate_normal {method}"
    assert_moment(x, MEAN, sd=np.sqrt(np.diag(COV)), label=f"{label} mean")
    _check_covariances(x, COV, label)
    w = np.array([0.3, -1.2, 2.0])
    assert_fits_continuous(x @ w, stats.norm(w @ MEAN, math.sqrt(w @ COV @ w)),
                           label=f"{label} projection")


@pytest.mark.parametrize("method", ["svd", "eigh"])
def test_multivariate_normal_singular(target, method):
    """A rank-one covariance (positive semi-definite, not definite): x1 == x0 ~ N(0, 1)."""
    rng = target.rng(8500)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = to_numpy(rng.multivariate_normal([0.0, 0.0], [[1.0, 1.0], [1.0, 1.0]], size=N,
                                             method=method)).astype(np.float64)
    assert np.allclose(x[:, 0], x[:, 1], atol=1e-3 * (1 + np.abs(x[:, 0]))), method
    assert_fits_continuous(x[:, 0], stats.norm(), label=f"{target.label} singular {method}")


def test_multivariate_normal_shapes_checks(target):
    rng = target.rng(8600)
    xp = rng.xp
    out = rng.multivariate_normal([0.0, 1.0], [[1.0, 0.5], [0.5, 1.0]], size=(2, 3),
                                  dtype=xp.float32)
    assert tuple(out.shape) == (2, 3, 2) and out.dtype == xp.float32
    assert array_api_compat.device(out) == target.device
    one = rng.multivariate_normal([0.0, 1.0], [[1.0, 0.5], [0.5, 1.0]])
    assert tuple(one.shape) == (2,) and one.dtype == _default(target, "real floating")
    again = target.rng(8600).multivariate_normal([0.0, 1.0], [[1.0, 0.5], [0.5, 1.0]],
                                                 size=(2, 3), dtype=xp.float32)
    assert np.array_equal(to_numpy(out), to_numpy(again)), "same seed, different numbers"
    bad = [[1.0, 2.0], [2.0, 1.0]]  # eigenvalues 3 and -1
    for method in ("svd", "eigh"):
        with pytest.raises(ValueError, match="not symmetric positive-semidefinite"):
            rng.multivariate_normal([0.0, 0.0], bad, check_valid="raise", method=method)
        with pytest.warns(RuntimeWarning, match="not symmetric positive-semidefinite"):
            rng.multivariate_normal([0.0, 0.0], bad, method=method)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            rng.multivariate_normal([0.0, 0.0], bad, check_valid="ignore", method=method)
    with pytest.raises(np.linalg.LinAlgError, match="not positive definite"):
        rng.multivariate_normal([0.0, 0.0], bad, method="cholesky")


# --- signatures and bad input ---------------------------------------------------------------
BAD = {
    "multinomial": [
        ((-1, [0.5, 0.5]), {}, ValueError, "n < 0"),
        ((10, [-0.1, 1.1]), {}, ValueError, "pvals < 0, pvals > 1 or pvals contains NaNs"),
        ((10, [math.nan, 0.5]), {}, ValueError, "pvals < 0, pvals > 1 or pvals contains NaNs"),
        ((10, [0.6, 0.5, 0.1]), {}, ValueError, "sum(pvals[:-1]) > 1.0"),
        ((10, 0.5), {}, ValueError, "pvals must have at least 1 dimension"),
        ((10, []), {}, ValueError, "pvals must have at least 1 dimension"),
        ((math.nan, [0.5, 0.5]), {}, ValueError, "NaN"),
    ],
    "multivariate_hypergeometric": [
        (([5, -1], 2), {}, ValueError, "colors must be a one-dimensional sequence"),
        (([5.5, 3], 2), {}, ValueError, "colors must be a one-dimensional sequence"),
        (([[5, 3]], 2), {}, ValueError, "colors must be a one-dimensional sequence"),
        (([5, 3], 9), {}, ValueError, "nsample > sum(colors)"),
        (([5, 3], -1), {}, ValueError, "nsample must be nonnegative."),
        (([5, 3], 4.5), {}, ValueError, "nsample must be an integer"),
        (([5, 3], 2), {"method": "foo"}, ValueError, 'method must be "count" or "marginals".'),
        (([10**9, 5], 2), {}, ValueError, 'When method is "marginals", sum(colors) must be less'),
    ],
    "multivariate_normal": [
        (([0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]]), {"check_valid": "foo"}, ValueError,
         "check_valid must equal 'warn', 'raise', or 'ignore'"),
        (([0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]]), {"method": "foo"}, ValueError,
         "method must be one of"),
        (([0.0, 0.0], [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), {}, ValueError,
         "cov must be 2 dimensional and square"),
        (([[0.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]]), {}, ValueError, "mean must be 1 dimensional"),
        (([0.0, 0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]]), {}, ValueError,
         "mean and cov must have same length"),
        (([0.0, math.nan], [[1.0, 0.0], [0.0, 1.0]]), {}, ValueError, "NaN"),
        (([0.0, 0.0], [[1.0, math.nan], [math.nan, 1.0]]), {}, np.linalg.LinAlgError, "NaN"),
    ],
}


@pytest.mark.parametrize("method", METHODS)
def test_bad_input(target, method):
    rng = target.rng(0)
    for args, kwargs, exc, message in BAD[method]:
        with pytest.raises(exc, match=re.escape(message)):
            getattr(rng, method)(*args, size=3, **kwargs)
    if method == "multinomial":  # one bad row of a batch
        xp = rng.xp
        rows = xp.asarray([[0.2, 0.3, 0.5], [0.7, 0.6, 0.1]], dtype=_widest(target, xp),
                          device=target.device)
        with pytest.raises(ValueError, match=re.escape("sum(pvals[:-1]) > 1.0")):
            rng.multinomial(5, rows)
        with pytest.raises(OverflowError):
            rng.multinomial(300, [0.5, 0.5], dtype=xp.int8)
