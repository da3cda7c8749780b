"""The continuous distributions of issue 3 on every target: API, shapes, dtypes, devices, K1, K7.

Goodness of fit is a Kolmogorov-Smirnov test (``conformance.stats``, ALPHA per
test) of the probability integral transform ``F(x)`` against the uniform, at
several parameter points per method, edge regimes included (tiny and huge
gamma shapes, Cauchy-tailed t, near-uniform and sharp von Mises, ...), in
float32 and, where the device has it, float64. Where rounding puts real
probability mass on an atom (Gamma(0.05) below the smallest float, Beta(0.05,
0.05) within an ulp of 1, denormals flushed to 0 by XLA on CPU), the values
beyond a cut-off are *censored*: their count is kept and their transform is
drawn uniformly within the censored tail, which is exact for a correct
sampler and leaves the test as sharp everywhere else.

The full set of points runs on numpy, jax, torch and array_api_strict's
CPU_DEVICE (there in float32, and the first point in float64: the generic
code is the same for both); array_api_strict's other devices run the first
point of every method in their default dtype. On JAX every output shape is a
compilation, so each method draws only three: the KS sample (parameters of
shape (1,) that ``size`` extends), a 0-d draw and one broadcast shape.
"""
from __future__ import annotations

import math

import array_api_compat
import numpy as np
import pytest
from scipy import stats

from conformance.stats import assert_fits_continuous, assert_moment
from conformance.targets import to_numpy

N = 40_000
SECONDARY = ("device1", "device2", "no_float64", "no_x64")

# method -> [(args, frozen scipy distribution, censoring (lo, hi) of the transform or None)]
POINTS = {
    "standard_gamma": [((3.0,), stats.gamma(3.0), None),
                       ((0.05,), stats.gamma(0.05), (1e-30, None)),
                       ((0.5,), stats.gamma(0.5), None),
                       ((1.0,), stats.gamma(1.0), None),
                       ((1e3,), stats.gamma(1e3), None)],
    "gamma": [((2.5, 3.0), stats.gamma(2.5, scale=3.0), None),
              ((0.2, 0.5), stats.gamma(0.2, scale=0.5), (1e-30, None))],
    "beta": [((0.5, 0.5), stats.beta(0.5, 0.5), None),
             ((0.05, 3.0), stats.beta(0.05, 3.0), (1e-30, None)),
             ((0.05, 0.05), stats.beta(0.05, 0.05), (1e-30, 1 - 1e-4)),
             ((200.0, 300.0), stats.beta(200.0, 300.0), None)],
    "chisquare": [((4.0,), stats.chi2(4.0), None),
                  ((0.3,), stats.chi2(0.3), (1e-30, None))],
    "f": [((3.0, 7.0), stats.f(3.0, 7.0), None),
          ((0.7, 40.0), stats.f(0.7, 40.0), None)],
    "standard_t": [((3.0,), stats.t(3.0), None),
                   ((1.0,), stats.t(1.0), None),
                   ((50.0,), stats.t(50.0), None)],
    "noncentral_chisquare": [((3.0, 0.5), stats.ncx2(3.0, 0.5), None),
                             ((0.5, 2.0), stats.ncx2(0.5, 2.0), (1e-30, None)),
                             ((4.0, 100.0), stats.ncx2(4.0, 100.0), None)],
    "noncentral_f": [((3.0, 20.0, 0.5), stats.ncf(3.0, 20.0, 0.5), None),
                     ((3.0, 20.0, 30.0), stats.ncf(3.0, 20.0, 30.0), None)],
    "gumbel": [((1.0, 2.0), stats.gumbel_r(1.0, 2.0), None)],
    "laplace": [((-1.0, 0.5), stats.laplace(-1.0, 0.5), None)],
    "logistic": [((2.0, 3.0), stats.logistic(2.0, 3.0), None)],
    "lognormal": [((0.5, 0.7), stats.lognorm(0.7, scale=math.exp(0.5)), None)],
    "pareto": [((3.0,), stats.lomax(3.0), None),
               ((0.5,), stats.lomax(0.5), None)],
    "power": [((5.0,), stats.powerlaw(5.0), None),
              ((0.3,), stats.powerlaw(0.3), None)],
    "rayleigh": [((2.0,), stats.rayleigh(scale=2.0), None)],
    "weibull": [((3.0,), stats.weibull_min(3.0), None),
                ((0.5,), stats.weibull_min(0.5), None)],
    "standard_cauchy": [((), stats.cauchy(), None)],
    "triangular": [((-1.0, 0.5, 2.0), stats.triang(0.5, loc=-1.0, scale=3.0), None),
                   ((0.0, 0.0, 1.0), stats.triang(0.0, loc=0.0, scale=1.0), None)],
    "vonmises": [((0.0, 1.0), stats.vonmises(1.0), None),
                 ((0.0, 1e-3), stats.vonmises(1e-3), None),
                 ((0.0, 50.0), stats.vonmises(50.0), None),
                 ((2.5, 4.0), stats.vonmises(4.0, loc=2.5), None)],
    "wald": [((1.0, 3.0), stats.invgauss(1 / 3, scale=3.0), None),
             ((2.0, 0.05), stats.invgauss(40.0, scale=0.05), None)],
}
METHODS = sorted(POINTS) + ["dirichlet"]

# method -> (scalar arguments, bad calls: (args, exception, message))
BAD = {
    "standard_gamma": [((-1.0,), ValueError, "shape < 0")],
    "gamma": [((-1.0,), ValueError, "shape < 0"), ((1.0, -1.0), ValueError, "scale < 0")],
    "beta": [((0.0, 1.0), ValueError, "a <= 0"), ((1.0, -1.0), ValueError, "b <= 0")],
    "chisquare": [((0.0,), ValueError, "df <= 0")],
    "f": [((0.0, 1.0), ValueError, "dfnum <= 0"), ((1.0, 0.0), ValueError, "dfden <= 0")],
    "standard_t": [((0.0,), ValueError, "df <= 0")],
    "noncentral_chisquare": [((0.0, 1.0), ValueError, "df <= 0"),
                             ((1.0, -1.0), ValueError, "nonc < 0")],
    "noncentral_f": [((0.0, 1.0, 1.0), ValueError, "dfnum <= 0"),
                     ((1.0, 0.0, 1.0), ValueError, "dfden <= 0"),
                     ((1.0, 1.0, -1.0), ValueError, "nonc < 0")],
    "gumbel": [((0.0, -1.0), ValueError, "scale < 0")],
    "laplace": [((0.0, -1.0), ValueError, "scale < 0")],
    "logistic": [((0.0, -1.0), ValueError, "scale < 0")],
    "lognormal": [((0.0, -1.0), ValueError, "sigma < 0")],
    "pareto": [((0.0,), ValueError, "a <= 0")],
    "power": [((-1.0,), ValueError, "a <= 0")],
    "rayleigh": [((-1.0,), ValueError, "scale < 0")],
    "weibull": [((-1.0,), ValueError, "a < 0")],
    "standard_cauchy": [],
    "triangular": [((1.0, 0.0, 2.0), ValueError, "left > mode"),
                   ((0.0, 3.0, 2.0), ValueError, "mode > right"),
                   ((0.0, 0.0, 0.0), ValueError, "left == right")],
    "vonmises": [((0.0, -1.0), ValueError, "kappa < 0")],
    "wald": [((0.0, 1.0), ValueError, "mean <= 0"), ((1.0, 0.0), ValueError, "scale <= 0")],
    "dirichlet": [(([1.0, -1.0],), ValueError, "alpha < 0"), ((1.0,), TypeError, "alpha")],
}


def _floats(target):
    return [name for name in ("float32", "float64") if target.supports(name)]


def _secondary(target):
    return target.name == "array_api_strict" and target.label.split("-", 1)[1] in SECONDARY


def _pit(x, dist, censor, seed):
    """``F(x)``, with censored tails replaced by uniforms over their probability range."""
    rng = np.random.default_rng(seed)
    u = dist.cdf(x)
    if censor is not None:
        lo, hi = censor
        if lo is not None:
            below = x < lo
            u[below] = rng.random(below.sum()) * dist.cdf(lo)
        if hi is not None:
            above = x > hi
            u[above] = dist.cdf(hi) + rng.random(above.sum()) * dist.sf(hi)
    return u


def _default_float(target):
    """The device's default real floating dtype (JAX's info takes no device)."""
    info = target.info
    defaults = info.default_dtypes() if target.name == "jax" else \
        info.default_dtypes(device=target.device)
    return defaults["real floating"]


def _array(target, rng, values, dtype):
    return rng.xp.asarray(values, dtype=dtype, device=target.device)


# --- K7: goodness of fit -------------------------------------------------------
@pytest.mark.parametrize("method", sorted(POINTS))
def test_fit(target, method):
    points = POINTS[method][:1] if _secondary(target) else POINTS[method]
    dtypes = [None] if _secondary(target) else _floats(target)
    for i, (args, dist, censor) in enumerate(points):
        for j, dtype_name in enumerate(dtypes):
            if target.name == "array_api_strict" and dtype_name == "float64" and i > 0:
                continue  # the same generic code as float32, which has the finer edge cases
            rng = target.rng(3000 + 10 * i + j)
            dtype = getattr(rng.xp, dtype_name) if dtype_name else None
            # parameters of shape (1,) that size extends: one compilation per method on JAX
            params = [_array(target, rng, [a], dtype or _default_float(target)) for a in args]
            out = getattr(rng, method)(*params, size=N, dtype=dtype)
            assert out.dtype == (dtype if dtype is not None else _default_float(target))
            x = to_numpy(out).astype(np.float64)
            label = f"{target.label} {method}{args} {dtype_name or 'default'}"
            assert not np.any(np.isnan(x)), f"{label}: nan"
            if method == "vonmises":
                assert np.all(np.abs(x) <= np.pi + 1e-6), f"{label}: outside [-pi, pi]"
                x = np.remainder(x - args[0] + np.pi, 2 * np.pi) - np.pi + args[0]
            lo, hi = dist.support()
            assert np.all((x >= lo) & (x <= hi)), f"{label}: outside the support"
            assert_fits_continuous(_pit(x, dist, censor, i), stats.uniform(), label=label)


def test_gamma_tiny_shapes_do_not_underflow_early(target):
    """Gamma(0.05) is 0 only where the real value is below the float range.

    Flushing denormals (XLA on CPU) or not, that is at most the mass below the
    smallest normal float, ``F(tiny)``; an early underflow (``U**(1/a)`` in
    linear space for a = 0.01, a naive 0/0 in beta) shows as more zeros or nan.
    """
    for dtype_name in [None] if _secondary(target) else _floats(target):
        rng = target.rng(4000)
        dtype = getattr(rng.xp, dtype_name) if dtype_name else _default_float(target)
        label = f"{target.label} {dtype_name or 'default'}"

        def params(*values):  # shape (1,), as in test_fit: no extra compilation on JAX
            return [_array(target, rng, [x], dtype) for x in values]

        for a in (0.05, 0.01):
            x = to_numpy(rng.standard_gamma(*params(a), size=N, dtype=dtype))
            bound = stats.gamma(a).cdf(np.finfo(x.dtype).tiny)
            zeros = (x == 0).mean()
            assert zeros <= bound + 5 * math.sqrt(bound * (1 - bound) / N) + 1 / N, \
                f"{label} Gamma({a}): {zeros:.4f} zeros, at most {bound:.4f}"
        b = to_numpy(rng.beta(*params(1e-3, 1e-3), size=N, dtype=dtype))
        assert np.all((b >= 0) & (b <= 1)), f"{label} beta(1e-3, 1e-3)"
        # symmetric: each half has mass 1/2
        assert_moment((b < 0.5).astype(np.float64), 0.5, sd=0.5, label=f"{label} beta(1e-3, 1e-3)")
        tiny = [1e-3, 2e-3, 3e-3]
        for name, draw in (("f", lambda: rng.f(*params(1e-3, 1e-3), size=N, dtype=dtype)),
                           ("standard_t",
                            lambda: rng.standard_t(*params(1e-3), size=N, dtype=dtype)),
                           ("dirichlet", lambda: rng.dirichlet(tiny, size=N, dtype=dtype))):
            with np.errstate(all="ignore"):
                y = to_numpy(draw())
            assert not np.any(np.isnan(y)), f"{label} {name} with tiny parameters: nan"


def test_dirichlet(target):
    """Moments of every component and a Beta marginal KS; batched alpha broadcasts with size."""
    alpha = np.array([0.5, 1.0, 3.0])
    small = np.array([0.05, 0.1, 0.2])
    for j, dtype_name in enumerate([None] if _secondary(target) else _floats(target)):
        rng = target.rng(5000 + j)
        dtype = getattr(rng.xp, dtype_name) if dtype_name else _default_float(target)
        label = f"{target.label} dirichlet {dtype_name or 'default'}"
        for k, a in enumerate((alpha, small)):
            x = to_numpy(rng.dirichlet(_array(target, rng, a, dtype), size=N, dtype=dtype))
            x = x.astype(np.float64)
            assert x.shape == (N, 3)
            assert np.all(x >= 0) and np.allclose(x.sum(axis=1), 1, atol=1e-5), label
            total = a.sum()
            assert_moment(x, a / total, sd=np.sqrt(a * (total - a) / (total**2 * (total + 1))),
                          label=f"{label} {a}")
            dist = stats.beta(a[0], total - a[0])
            assert_fits_continuous(_pit(x[:, 0], dist, (1e-30, None), k), stats.uniform(),
                                   label=f"{label} {a} marginal")
        # batched: alpha of shape (2, 3) against size (m, 2)
        batch = _array(target, rng, np.stack([alpha, alpha[::-1]]), dtype)
        x = to_numpy(rng.dirichlet(batch, size=(N // 2, 2), dtype=dtype)).astype(np.float64)
        assert x.shape == (N // 2, 2, 3)
        assert_moment(x[:, 1, :], alpha[::-1] / alpha.sum(),
                      label=f"{label} batched row 1")


# --- API, shapes, dtype, device, K1 -------------------------------------------------
def _calls(method):
    """(scalar args, array args of shapes (3, 1) and (4,)) for the shape checks."""
    args = POINTS[method][0][0]
    if not args:
        return args, None
    rows = [np.array([1.0, 1.5, 2.0])[:, None] * args[0] if args[0] else np.zeros((3, 1))]
    if method == "triangular":  # keep left <= mode <= right per element
        return args, [np.array([[-1.0], [-2.0], [-3.0]]), np.array([0.5, 0.6, 0.7, 0.8]), 2.0]
    rest = [np.array([1.0, 2.0, 3.0, 4.0]) * a if k == 0 else a for k, a in enumerate(args[1:])]
    return args, rows + rest


@pytest.mark.parametrize("method", sorted(POINTS))
def test_shapes_dtype_device_reproducible(target, method):
    """0-d for scalars, parameter broadcasting with and without size, default dtype, device, K1.

    Array parameters that ``size`` extends are in :func:`test_fit`. Two output
    shapes per method, as each is a compilation on JAX.
    """
    scalar_args, array_args = _calls(method)
    rng = target.rng(6000)
    default = _default_float(target)
    draw = getattr(rng, method)
    outs = {"0-d": (draw(*scalar_args), ())}
    if array_args is None:
        arrays = ()
        outs["size"] = (draw(size=(3, 4)), (3, 4))
    else:
        arrays = [_array(target, rng, a, default) if isinstance(a, np.ndarray) else a
                  for a in array_args]
        shape = np.broadcast_shapes(*[np.shape(a) for a in array_args])
        outs["array params"] = (draw(*arrays), shape)
        outs["array params, size"] = (draw(*arrays, size=shape), shape)
        with pytest.raises(ValueError):
            draw(*arrays, size=(5,))
    for name, (out, shape) in outs.items():
        assert tuple(out.shape) == shape, f"{method} {name}: {tuple(out.shape)} != {shape}"
        assert out.dtype == default, f"{method} {name}: {out.dtype}"
        assert array_api_compat.device(out) == target.device, f"{method} {name}"
    again = getattr(target.rng(6000), method)(*scalar_args)
    assert np.array_equal(to_numpy(outs["0-d"][0]), to_numpy(again), equal_nan=True), \
        f"{method}: same seed, different numbers"
    name = "size" if array_args is None else "array params"
    other = getattr(target.rng(6001), method)(*arrays, size=outs[name][1])
    assert not np.array_equal(to_numpy(outs[name][0]), to_numpy(other)), \
        f"{method}: different seeds, same numbers"


def test_dirichlet_shapes(target):
    rng = target.rng(6100)
    default = _default_float(target)
    assert tuple(rng.dirichlet([1.0, 2.0]).shape) == (2,)
    assert tuple(rng.dirichlet([], size=4).shape) == (4, 0)
    batch = _array(target, rng, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], default)
    out = rng.dirichlet(batch, size=(5, 3))
    assert tuple(out.shape) == (5, 3, 2) and out.dtype == default
    assert array_api_compat.device(out) == target.device
    with pytest.raises(ValueError):
        rng.dirichlet(batch, size=(4,))
    # the shapes below are the first call's: no further compilation on JAX
    assert np.array_equal(to_numpy(rng.dirichlet([0.0, 0.0])), np.zeros(2)), \
        "all-zero alpha gives zeros, as in NumPy"
    a = to_numpy(target.rng(1).dirichlet([1.0, 2.0]))
    assert np.array_equal(a, to_numpy(target.rng(1).dirichlet([1.0, 2.0])))
    assert not np.array_equal(a, to_numpy(target.rng(2).dirichlet([1.0, 2.0])))


def test_standard_gamma_out(target):
    rng = target.rng(6200)
    xp = rng.xp
    out = xp.zeros((5,), dtype=xp.float32, device=target.device)
    if target.name in ("jax", "dask"):  # immutable arrays: out= is refused
        with pytest.raises(TypeError):
            rng.standard_gamma(2.0, out=out)
        return
    result = rng.standard_gamma(2.0, dtype=xp.float32, out=out)
    assert result is out and bool(xp.all(out > 0))
    with pytest.raises(ValueError):
        rng.standard_gamma(2.0, size=4, dtype=xp.float32, out=out)


# --- bad input -------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_bad_input(target, method):
    rng = target.rng(0)
    draw = getattr(rng, method)
    for args, exc, message in BAD[method]:
        with pytest.raises(exc, match=message):
            draw(*args, size=3)
    nargs = len(POINTS[method][0][0]) if method in POINTS else 1
    for k in range(nargs):
        args = list(POINTS[method][0][0]) if method in POINTS else [[1.0, 2.0]]
        args[k] = [1.0, math.nan] if method == "dirichlet" else math.nan
        with pytest.raises(ValueError, match="NaN"):
            draw(*args, size=3)
        if method != "dirichlet":  # a NaN inside an array parameter
            default = draw(*POINTS[method][0][0]).dtype
            args[k] = _array(target, rng, [1.0, math.nan], default)
            with pytest.raises(ValueError, match="NaN"):
                draw(*args, size=2)
