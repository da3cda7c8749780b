"""The discrete distributions of issue 3 on every target: API, shapes, dtypes, devices, K1, K7.

Goodness of fit is a chi-square test against the ``scipy.stats`` pmf
(``conformance.stats``, ALPHA per test) at several parameter points per
method, edge regimes included: Poisson means of 1e-3 and 1e4, binomials with
p near 0 and near 1 and n p on both sides of the inversion/BTRS switch,
geometric p near 0 and 1, small and large (HRUA) hypergeometrics, heavy and
light Zipf and logseries tails, negative binomials with small and large n.

Points are drawn in pairs: parameters of shape (2,) against ``size=(N, 2)``,
so that one draw mixes two regimes (the samplers' masked two-method path)
and JAX compiles one function per method. Eager backends choose a single
method when every element needs the same one; that path is checked with
scalar parameters (on JAX scalars are traced, the path is the paired one).
"""
from __future__ import annotations

import math
import re

import array_api_compat
import numpy as np
import pytest
from scipy import stats

from conformance.stats import assert_fits_discrete, assert_moment
from conformance.targets import to_numpy

N = 30_000

# method -> [(args, frozen scipy distribution)], an even number of points
POINTS = {
    "poisson": [((1e-3,), stats.poisson(1e-3)), ((30.0,), stats.poisson(30.0)),
                ((3.0,), stats.poisson(3.0)), ((1e4,), stats.poisson(1e4))],
    "binomial": [((10, 0.3), stats.binom(10, 0.3)), ((1000, 0.01), stats.binom(1000, 0.01)),
                 ((2000, 1e-4), stats.binom(2000, 1e-4)), ((60, 0.995), stats.binom(60, 0.995)),
                 ((400, 0.7), stats.binom(400, 0.7)), ((100_000, 0.4), stats.binom(100_000, 0.4))],
    "geometric": [((1e-3,), stats.geom(1e-3)), ((0.999,), stats.geom(0.999)),
                  ((0.3,), stats.geom(0.3)), ((0.6,), stats.geom(0.6))],
    "negative_binomial": [((0.5, 0.3), stats.nbinom(0.5, 0.3)),
                          ((1000.0, 0.9), stats.nbinom(1000.0, 0.9)),
                          ((3.0, 0.5), stats.nbinom(3.0, 0.5)),
                          ((50.0, 0.01), stats.nbinom(50.0, 0.01))],
    "hypergeometric": [((5, 7, 4), stats.hypergeom(12, 5, 4)),
                       ((500, 700, 400), stats.hypergeom(1200, 500, 400)),
                       ((15, 10, 20), stats.hypergeom(25, 15, 20)),
                       ((20, 10**6, 50), stats.hypergeom(10**6 + 20, 20, 50)),
                       ((40, 60, 9), stats.hypergeom(100, 40, 9)),
                       ((10**5, 2 * 10**5, 10**4), stats.hypergeom(3 * 10**5, 10**5, 10**4))],
    "logseries": [((0.1,), stats.logser(0.1)), ((0.999,), stats.logser(0.999)),
                  ((0.9,), stats.logser(0.9)), ((0.5,), stats.logser(0.5))],
    "zipf": [((1.5,), stats.zipf(1.5)), ((4.0,), stats.zipf(4.0)),
             ((2.5,), stats.zipf(2.5)), ((10.0,), stats.zipf(10.0))],
}
METHODS = sorted(POINTS)

# method -> [(args, exception, message)], NumPy's classes and messages
BAD = {
    "poisson": [((-1.0,), ValueError, "lam < 0 or lam is NaN"),
                ((math.nan,), ValueError, "lam < 0 or lam is NaN"),
                ((1e19,), ValueError, "lam value too large"),
                ((math.inf,), ValueError, "lam value too large")],
    "binomial": [((-1, 0.5), ValueError, "n < 0"),
                 ((10, 1.5), ValueError, "p < 0, p > 1 or p is NaN"),
                 ((10, -0.1), ValueError, "p < 0, p > 1 or p is NaN"),
                 ((10, math.nan), ValueError, "p < 0, p > 1 or p is NaN"),
                 ((math.nan, 0.5), ValueError, "NaN"),
                 ((2**64, 0.5), OverflowError, "too large")],
    "geometric": [((0.0,), ValueError, "p <= 0, p > 1 or p contains NaNs"),
                  ((1.5,), ValueError, "p <= 0, p > 1 or p contains NaNs"),
                  ((math.nan,), ValueError, "p <= 0, p > 1 or p contains NaNs")],
    "negative_binomial": [((0.0, 0.5), ValueError, "n <= 0"),
                          ((math.nan, 0.5), ValueError, "n must not be NaN"),
                          ((1.0, 0.0), ValueError, "p <= 0, p > 1 or p contains NaNs"),
                          ((1.0, 1.2), ValueError, "p <= 0, p > 1 or p contains NaNs"),
                          ((1.0, math.nan), ValueError, "p <= 0, p > 1 or p contains NaNs"),
                          ((1.5, 1e-30), ValueError, "n too large or p too small")],
    "hypergeometric": [((-1, 5, 2), ValueError, "ngood < 0"),
                       ((5, -1, 2), ValueError, "nbad < 0"),
                       ((5, 5, -1), ValueError, "nsample < 0"),
                       ((5, 5, 11), ValueError, "ngood + nbad < nsample"),
                       ((10**9, 5, 2), ValueError,
                        "both ngood and nbad must be less than 1000000000")],
    "logseries": [((1.0,), ValueError, "p < 0, p >= 1 or p is NaN"),
                  ((-0.1,), ValueError, "p < 0, p >= 1 or p is NaN"),
                  ((math.nan,), ValueError, "p < 0, p >= 1 or p is NaN")],
    "zipf": [((1.0,), ValueError, "a <= 1 or a is NaN"),
             ((0.5,), ValueError, "a <= 1 or a is NaN"),
             ((math.nan,), ValueError, "a <= 1 or a is NaN")],
}


def _default_int(target):
    info = target.info
    defaults = info.default_dtypes() if target.name == "jax" else \
        info.default_dtypes(device=target.device)
    return defaults["integral"]


def _param(target, rng, values):
    """Values as one array: integers in the default integer dtype, reals in the widest float."""
    xp = rng.xp
    if all(isinstance(v, int) for v in values):
        return xp.asarray(values, device=target.device)
    dtype = xp.float64 if target.supports("float64") else xp.float32
    return xp.asarray(values, dtype=dtype, device=target.device)


def _support(dist):
    """The cells of the chi-square test: up to 3000 values over the bulk of the pmf.

    The helper pools the tails beyond them into one cell. (scipy's ``ppf`` of a
    heavy-tailed Zipf searches for ages, so only the bounded-tail families use it.)
    """
    lo = int(dist.support()[0])
    first = max(int(dist.ppf(1e-6)), lo) if dist.dist.name in ("poisson", "binom", "nbinom",
                                                                  "hypergeom") else lo
    cells = np.arange(first, first + 3000)
    expected = dist.pmf(cells) * N
    keep = np.nonzero(expected >= 1e-4)[0]
    return cells[: keep[-1] + 1]


def _check_fit(x, dist, label):
    lo, hi = dist.support()
    assert np.all((x >= lo) & (x <= hi)), \
        f"{label}: values outside the support [{lo}, {hi}]: {x[(x < lo) | (x > hi)][:5]}"
    assert_fits_discrete(x, dist.pmf, _support(dist), label=label)


# --- K7: goodness of fit ---------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_fit(target, method):
    points = POINTS[method]
    for i in range(0, len(points), 2):
        (args0, dist0), (args1, dist1) = points[i], points[i + 1]
        rng = target.rng(7000 + i)
        params = [_param(target, rng, [a, b]) for a, b in zip(args0, args1)]
        out = getattr(rng, method)(*params, size=(N, 2))
        assert out.dtype == _default_int(target), f"{method}: {out.dtype}"
        assert tuple(out.shape) == (N, 2)
        x = to_numpy(out)
        for j, (args, dist) in enumerate(((args0, dist0), (args1, dist1))):
            _check_fit(x[:, j], dist, f"{target.label} {method}{args} (paired)")
    if target.name != "jax":
        args, dist = points[0]
        x = to_numpy(getattr(target.rng(7100), method)(*args, size=N))
        _check_fit(x, dist, f"{target.label} {method}{args} (scalar)")


def _paired(target, seed, method, args0, args1):
    """Two parameter points as shape-(2,) arrays against size (N, 2), as in test_fit.

    Same argument types and shapes as there: on JAX, no new compilation.
    """
    rng = target.rng(seed)
    params = [_param(target, rng, [a, b]) for a, b in zip(args0, args1)]
    return to_numpy(getattr(rng, method)(*params, size=(N, 2)))


def test_moments_of_heavy_tails(target):
    """Means and variances where the chi-square cells pool the far tail into one."""
    x = _paired(target, 7300, "geometric", (1e-3,), (0.3,)).astype(np.float64)
    assert_moment(x[:, 0], 1e3, sd=math.sqrt(1 - 1e-3) / 1e-3, label=f"{target.label} geometric")
    x = _paired(target, 7301, "poisson", (1e4,), (3.0,)).astype(np.float64)
    assert_moment((x[:, 0] - 1e4) ** 2, 1e4, label=f"{target.label} poisson(1e4) variance")
    x = _paired(target, 7302, "negative_binomial", (50.0, 0.01), (3.0, 0.5)).astype(np.float64)
    assert_moment(x[:, 0], 50 * 0.99 / 0.01, sd=math.sqrt(50 * 0.99) / 0.01,
                  label=f"{target.label} negative_binomial(50, 0.01)")


# method -> (args0, args1, the one value of column 0, of column 1 or None)
EDGES = [
    ("poisson", (0.0,), (1e-3,), 0, None),
    ("binomial", (0, 0.5), (7, 0.0), 0, 0),
    ("binomial", (7, 1.0), (10, 0.3), 7, None),
    ("geometric", (1.0,), (0.3,), 1, None),
    ("negative_binomial", (3.0, 1.0), (3.0, 0.5), 0, None),
    ("hypergeometric", (0, 9, 5), (9, 0, 5), 0, 5),
    ("hypergeometric", (9, 4, 0), (9, 4, 13), 0, 9),
    ("logseries", (0.0,), (0.1,), 1, None),
    ("zipf", (math.inf,), (4.0,), 1, None),
]


def test_edges(target):
    """Degenerate parameters give their one value; float counts are truncated as in NumPy."""
    for i, (method, args0, args1, want0, want1) in enumerate(EDGES):
        x = _paired(target, 7400 + i, method, args0, args1)
        assert np.unique(x[:, 0]).tolist() == [want0], f"{method}{args0}"
        if want1 is not None:
            assert np.unique(x[:, 1]).tolist() == [want1], f"{method}{args1}"
    rng = target.rng(7410)
    assert int(to_numpy(rng.binomial(10.9, 1.0))) == 10
    assert tuple(rng.poisson(3.0, size=(2, 0)).shape) == (2, 0)


# --- API, shapes, dtype, device, K1 ----------------------------------------------------
# method -> (scalar args, array args: one of shape (3, 4), or shapes (3, 1) and (4,))
SHAPE_CALLS = {
    "poisson": ((3.0,), ([[0.5, 1.0, 2.0, 3.0], [3.0, 5.0, 8.0, 9.0], [10.0, 20.0, 40.0, 1e3]],)),
    "geometric": ((0.3,), ([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.01, 0.02, 0.05, 1.0]],)),
    "logseries": ((0.5,), ([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 0.95, 0.99, 0.0]],)),
    "zipf": ((2.5,), ([[1.5, 1.7, 2.0, 2.5], [3.0, 3.5, 4.0, 5.0], [1.1, 1.2, 1.3, 1.4]],)),
    "binomial": ((10, 0.3), ([[5], [50], [500]], [0.1, 0.5, 0.9, 0.99])),
    "negative_binomial": ((3.0, 0.5), ([[0.5], [5.0], [50.0]], [0.2, 0.5, 0.8, 1.0])),
    "hypergeometric": ((5, 7, 4), ([[5], [50], [500]], [7, 70, 700, 7000], 4)),
}


@pytest.mark.parametrize("method", METHODS)
def test_shapes_dtype_device_reproducible(target, method):
    """0-d for scalars, parameter broadcasting, dtypes, device, K1.

    Array parameters that ``size`` extends are in :func:`test_fit`; two
    output shapes here, as each is a compilation on JAX.
    """
    scalar_args, array_args = SHAPE_CALLS[method]
    rng = target.rng(7500)
    xp = rng.xp
    draw = getattr(rng, method)
    arrays = [_param(target, rng, a) if isinstance(a, list) else a for a in array_args]
    shape = np.broadcast_shapes(*[np.shape(a) for a in array_args])
    outs = {"0-d": (draw(*scalar_args), ()), "array params": (draw(*arrays), shape)}
    for name, (out, want) in outs.items():
        assert tuple(out.shape) == want, f"{method} {name}: {tuple(out.shape)} != {want}"
        assert out.dtype == _default_int(target), f"{method} {name}: {out.dtype}"
        assert array_api_compat.device(out) == target.device, f"{method} {name}"
    with pytest.raises(ValueError):
        draw(*arrays, size=(5,))
    narrow = draw(*arrays, size=shape, dtype=xp.int32)
    assert narrow.dtype == xp.int32 and tuple(narrow.shape) == shape
    assert array_api_compat.device(narrow) == target.device
    assert np.all(to_numpy(narrow) >= 0)
    again = getattr(target.rng(7500), method)(*scalar_args)
    assert np.array_equal(to_numpy(outs["0-d"][0]), to_numpy(again)), \
        f"{method}: same seed, different numbers"
    x = to_numpy(getattr(target.rng(7501), method)(*arrays))
    y = to_numpy(getattr(target.rng(7502), method)(*arrays))
    assert not np.array_equal(x, y), f"{method}: different seeds, same numbers"


def test_narrow_dtypes(target):
    """Counts that could overflow the requested dtype are refused before drawing."""
    rng = target.rng(7600)
    xp = rng.xp
    with pytest.raises(OverflowError):
        rng.binomial(200, 0.5, dtype=xp.int8)
    with pytest.raises(ValueError, match="lam value too large"):
        rng.poisson(100.0, dtype=xp.int8)
    with pytest.raises(ValueError, match="wider integer dtype"):
        rng.geometric(1e-3, dtype=xp.int8)
    with pytest.raises(ValueError, match="wider integer dtype"):
        rng.logseries(0.99, dtype=xp.int8)
    with pytest.raises(ValueError, match="n too large or p too small"):
        rng.negative_binomial(10.0, 0.05, dtype=xp.int8)
    with pytest.raises(OverflowError):
        rng.hypergeometric(300, 300, 200, dtype=xp.int8)
    x = to_numpy(rng.binomial(100, 0.5, size=1000, dtype=xp.int8))
    assert x.dtype == np.int8 and 25 < x.mean() < 75
    with pytest.raises(TypeError):
        rng.poisson(3.0, dtype=xp.float32)


@pytest.mark.parametrize("method", METHODS)
def test_bad_input(target, method):
    """NumPy's exception classes and messages, for scalars and for one bad element of an array."""
    rng = target.rng(0)
    draw = getattr(rng, method)
    good = SHAPE_CALLS[method][0]
    for args, exc, message in BAD[method]:
        with pytest.raises(exc, match=re.escape(message)):
            draw(*args, size=3)
        if exc is ValueError:
            # element 0 of every parameter good, element 1 the bad call's
            arrays = [_param(target, rng, [g, b]) for g, b in zip(good, args)]
            with pytest.raises(exc, match=re.escape(message)):
                draw(*arrays, size=2)
    with pytest.raises(ValueError):  # NumPy 2.4: "could not convert string to float"
        draw(*["x"] * len(good))
