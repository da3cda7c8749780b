"""The portable stream's cross-backend cases: one call of every method, from one seed.

Shared by ``test_portable.py`` (which asserts the agreement) and
``portable_diff.py`` (which measures it: per method and pair of backends, the
fraction of differing elements and the largest ulp distance). Public API only.

Each case is drawn by a fresh ``default_rng(xp, SEED, bit_generator="threefry")``
so that a case's values do not depend on the cases before it.
"""
from __future__ import annotations

import dataclasses
import importlib

import numpy as np

import array_random
from conformance.targets import to_numpy

SEED = 20261201
N = 2000  # elements a case: enough to meet rejection loops' redraws and rare branches


@dataclasses.dataclass(frozen=True)
class Case:
    name: str          # label: method plus what distinguishes the call
    method: str
    args: tuple        # a callable argument is called with (xp, device) first
    kwargs: dict
    dtype: str | None  # the dtype= asked for ("float64", "int64", ...), or None
    exact: bool        # bit-identical across backends (no transcendental float on the path)
    sized: bool = True  # takes size=N
    narrow: bool = False  # 32-bit words and dtypes only: the same on devices without 64 bits

    @property
    def batch_tail(self) -> tuple:
        """Axes a ``size`` must end with for this case (the parameters' broadcast shape)."""
        size = self.kwargs.get("size")
        return tuple(size[1:]) if isinstance(size, tuple) else ()


def _arr(values, dtype):
    return lambda xp, device: xp.asarray(values, dtype=getattr(xp, dtype), device=device)


def _matrix(xp, device):
    return xp.reshape(xp.arange(6 * 40, device=device), (6, 40))  # the default int dtype


def _cases() -> list[Case]:
    out = []

    def add(name, method, *args, dtype=None, exact=False, sized=True, narrow=False, **kwargs):
        out.append(Case(name, method, args, kwargs, dtype, exact, sized, narrow))

    # exact: raw words, their top mantissa bits, multiply-shift integers, sorts
    for f in ("float64", "float32"):
        add(f"random/{f}", "random", dtype=f, exact=True, narrow=f == "float32")
        add(f"uniform/{f}", "uniform", -2.0, 3.0, dtype=f, exact=True, narrow=f == "float32")
    for i in ("int64", "int32", "int8"):
        add(f"integers(0,10)/{i}", "integers", 0, 10, dtype=i, exact=True, narrow=i != "int64")
    add("integers(-1000,2**40)/int64", "integers", -1000, 2**40, dtype="int64", exact=True)
    add("integers(0,2**63-1)/int64", "integers", 0, 2**63 - 1, dtype="int64", exact=True)
    add("integers(arrays)/int64", "integers", _arr([0, -50, 7], "int64"),
        _arr([10**6, 50, 2**40], "int64"), dtype="int64", exact=True, size=(N // 3, 3))
    add("integers(arrays)/int32", "integers", _arr([0, -50, 7], "int32"),
        _arr([10**6, 50, 2**20], "int32"), dtype="int32", exact=True, size=(N // 3, 3))
    add("bytes", "bytes", N, exact=True, sized=False, narrow=True)
    add("choice(1000)", "choice", 1000, exact=True)
    add("choice(1000,replace=False)", "choice", 1000, N // 4, replace=False, exact=True,
        sized=False)
    # p as a float64 array: a list would take each device's default float dtype
    add("choice(p)/float64", "choice", 5, p=_arr([0.1, 0.2, 0.3, 0.25, 0.15], "float64"),
        exact=True)
    add("permutation(2000)", "permutation", N, exact=True, sized=False)
    add("permutation(matrix,axis=1)", "permutation", _matrix, axis=1, exact=True, sized=False)
    add("permuted(matrix,axis=1)", "permuted", _matrix, axis=1, exact=True, sized=False)
    add("shuffle(matrix)", "shuffle", _matrix, exact=True, sized=False)
    # transcendental floats: log, exp, cos, sqrt, pow, ... as each library computes them
    for f in ("float64", "float32"):
        add(f"standard_normal/{f}", "standard_normal", dtype=f)
        add(f"normal/{f}", "normal", 1.0, 2.0, dtype=f)
        add(f"standard_exponential/{f}", "standard_exponential", dtype=f)
        add(f"exponential/{f}", "exponential", 2.0, dtype=f)
        add(f"standard_gamma(2.5)/{f}", "standard_gamma", 2.5, dtype=f)
        add(f"standard_gamma(0.3)/{f}", "standard_gamma", 0.3, dtype=f)
        add(f"gamma(2,3)/{f}", "gamma", 2.0, 3.0, dtype=f)
        add(f"beta(2,3)/{f}", "beta", 2.0, 3.0, dtype=f)
        add(f"beta(0.5,0.5)/{f}", "beta", 0.5, 0.5, dtype=f)
        add(f"chisquare(3)/{f}", "chisquare", 3.0, dtype=f)
        add(f"f(3,5)/{f}", "f", 3.0, 5.0, dtype=f)
        add(f"noncentral_chisquare(3,2)/{f}", "noncentral_chisquare", 3.0, 2.0, dtype=f)
        add(f"noncentral_f(3,5,2)/{f}", "noncentral_f", 3.0, 5.0, 2.0, dtype=f)
        add(f"standard_t(4)/{f}", "standard_t", 4.0, dtype=f)
        add(f"standard_cauchy/{f}", "standard_cauchy", dtype=f)
        add(f"gumbel/{f}", "gumbel", dtype=f)
        add(f"laplace/{f}", "laplace", dtype=f)
        add(f"logistic/{f}", "logistic", dtype=f)
        add(f"lognormal/{f}", "lognormal", dtype=f)
        add(f"pareto(3)/{f}", "pareto", 3.0, dtype=f)
        add(f"power(2)/{f}", "power", 2.0, dtype=f)
        add(f"rayleigh/{f}", "rayleigh", dtype=f)
        add(f"weibull(1.5)/{f}", "weibull", 1.5, dtype=f)
        add(f"triangular(0,1,3)/{f}", "triangular", 0.0, 1.0, 3.0, dtype=f)
        add(f"vonmises(0,2)/{f}", "vonmises", 0.0, 2.0, dtype=f)
        add(f"wald(1,2)/{f}", "wald", 1.0, 2.0, dtype=f)
        add(f"dirichlet/{f}", "dirichlet", [1.0, 2.0, 3.0], dtype=f, size=N // 3)
        add(f"multivariate_normal/{f}", "multivariate_normal", [0.0, 1.0],
            [[2.0, 0.5], [0.5, 1.0]], dtype=f, size=N // 2)
    # counts: float arithmetic (log, lgamma, ...) decides accept/reject
    add("poisson(4)", "poisson", 4.0, dtype="int64")
    add("poisson(50)", "poisson", 50.0, dtype="int64")
    add("binomial(20,0.3)", "binomial", 20, 0.3, dtype="int64")
    add("binomial(1000,0.4)", "binomial", 1000, 0.4, dtype="int64")
    add("geometric(0.2)", "geometric", 0.2, dtype="int64")
    add("negative_binomial(5,0.4)", "negative_binomial", 5.0, 0.4, dtype="int64")
    add("hypergeometric(10,15,8)", "hypergeometric", 10, 15, 8, dtype="int64")
    add("logseries(0.6)", "logseries", 0.6, dtype="int64")
    add("zipf(2)", "zipf", 2.0, dtype="int64")
    add("multinomial(20)", "multinomial", 20, [0.2, 0.3, 0.5], dtype="int64", size=N // 3)
    add("multivariate_hypergeometric", "multivariate_hypergeometric", [5, 6, 7], 6,
        dtype="int64", size=N // 3)
    return out


CASES = _cases()


@dataclasses.dataclass(frozen=True)
class Backend:
    label: str    # "numpy", "torch-cpu", "array_api_strict-device1", "jax", "dask", ...
    xp: object
    device: object

    def rng(self):
        return array_random.default_rng(self.xp, SEED, device=self.device,
                                        bit_generator="threefry")

    def supports(self, case: Case) -> bool:
        """Whether this device has the case's dtypes (``dtype=`` and a ``/float64`` in its name)."""
        needed = {case.dtype, case.name.rsplit("/", 1)[-1]} - {None}
        return all(self.has(d) for d in needed if d in _DTYPE_NAMES)

    def has(self, dtype_name: str) -> bool:
        info = self.rng().xp.__array_namespace_info__()
        try:
            return dtype_name in info.dtypes(device=self.device)
        except TypeError:  # jax.numpy's takes no device
            return dtype_name in info.dtypes()

    @property
    def group(self) -> tuple:
        """``(has int64, has float64, ...)``: devices of one group compute alike.

        JAX without x64 is a group of its own: array_api_strict's ``no_x64``
        (also without 64-bit integers) has no usable ``argsort`` either, so
        its permutations take another (radix) route.
        """
        return (self.has("int64"), self.has("float64"),
                self.label == "jax" and not self.has("int64"))


_DTYPE_NAMES = ("float32", "float64", "int8", "int16", "int32", "int64")


def backends(include_jax: bool = True) -> list[Backend]:
    """Every installed backend in portable mode: numpy, torch (CPU), each strict device, jax, dask."""
    out = [Backend("numpy", np, "cpu")]
    torch = _import("torch")
    if torch is not None:
        out.append(Backend("torch-cpu", torch, torch.device("cpu")))
    xps = _import("array_api_strict")
    if xps is not None:
        for dev in xps.__array_namespace_info__().devices():
            out.append(Backend(f"array_api_strict-{repr(dev).split(chr(39))[1]}", xps, dev))
    if include_jax and _import("jax.numpy") is not None:
        import jax
        out.append(Backend("jax", _import("jax.numpy"), jax.devices()[0]))
    da = _import("dask.array")
    if da is not None and _dask_portable(da):
        out.append(Backend("dask", da, None))
    return out


def _dask_portable(da) -> bool:
    """Whether this checkout's Dask backend serves the portable stream (it is being added)."""
    try:
        rng = array_random.default_rng(da, 0, bit_generator="threefry")
    except Exception:  # no Dask backend yet: the generic backend cannot serve dask.array
        return False
    return rng.backend == "dask"


def _import(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def draw(backend: Backend, case: Case, *, size=None, device=None, host=True):
    """``case`` drawn on ``backend`` from a fresh portable generator, as a host array.

    ``size`` and ``device`` (a JAX sharding, say) replace the case's own;
    ``host=False`` returns the backend's array itself.
    """
    rng = backend.rng()
    xp = rng.xp
    args = [a(xp, rng.device) if callable(a) else a for a in case.args]
    kwargs = {k: v(xp, rng.device) if callable(v) else v for k, v in case.kwargs.items()}
    if case.dtype is not None:
        kwargs["dtype"] = getattr(xp, case.dtype)
    if case.sized and "size" not in kwargs:
        kwargs["size"] = N
    if size is not None:
        kwargs["size"] = size
    if device is not None:
        kwargs["device"] = device
    if not host:
        return getattr(rng, case.method)(*args, **kwargs)
    if case.method == "shuffle":
        (x,) = args
        rng.shuffle(x, **kwargs)
        return to_numpy(_computed(x))
    out = getattr(rng, case.method)(*args, **kwargs)
    if isinstance(out, bytes):
        return np.frombuffer(out, dtype=np.uint8)
    return to_numpy(_computed(out))


def _computed(x):
    return x.compute() if hasattr(x, "compute") and hasattr(x, "dask") else x


def ulp_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise distance in units in the last place (floats) or absolute (integers).

    Floats are mapped to integers that count representable values from
    zero, so the distance is the number of floats between ``a`` and ``b``;
    a NaN on one side only is an infinite distance, NaN on both none.
    """
    if a.dtype.kind != "f":
        return np.abs(a.astype(np.float64) - b.astype(np.float64))
    itype = np.int64 if a.dtype.itemsize == 8 else np.int32
    ia, ib = (x.view(itype).astype(np.int64) for x in (a, b))
    # sign-magnitude to two's complement order: negative floats count down from 0
    top = np.int64(np.iinfo(itype).min)
    ia, ib = (np.where(x < 0, top - x, x) for x in (ia, ib))
    dist = np.abs(ia - ib).astype(np.float64)
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    dist[nan_a != nan_b] = np.inf
    dist[nan_a & nan_b] = 0
    return dist


def scaled_error(a: np.ndarray, b: np.ndarray) -> float:
    """Largest ``|a - b| / (eps * max(|a|, |b|, 1))``: ulps, but not blown up near 0.

    A value that cancels to near zero (``loc + scale * z``, ``-log(-log u)``)
    has a tiny ulp; a difference of one rounding in its inputs is then
    hundreds of its ulps. Measured against the larger of the value and 1,
    one rounding anywhere on the path is about one unit.
    """
    if a.dtype.kind != "f":
        return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)), initial=0))
    both_nan = np.isnan(a) & np.isnan(b)
    if np.any(np.isnan(a) != np.isnan(b)):
        return float("inf")
    a64, b64 = (np.where(both_nan, 0, x).astype(np.float64) for x in (a, b))
    scale = np.maximum(np.maximum(np.abs(a64), np.abs(b64)), 1.0)
    return float(np.max(np.abs(a64 - b64) / (np.finfo(a.dtype).eps * scale), initial=0))


def compare(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """``(fraction of differing elements, largest ulp distance)`` of two draws."""
    if a.shape != b.shape or a.dtype != b.dtype:
        return 1.0, float("inf")
    if a.size == 0:
        return 0.0, 0.0
    differ = ~((a == b) | (np.isnan(a) & np.isnan(b)) if a.dtype.kind == "f" else a == b)
    return float(np.mean(differ)), float(np.max(ulp_distance(a, b)))


#: largest scaled_error (eps units, see portable.scaled_error) allowed against NumPy
BOUND = {"float32": 32, "float64": 32}
BOUND_JAX = {"float32": 32, "float64": 640}  # XLA:CPU's float64 log/exp: 155 measured


def _bound(label, dtype) -> float:
    return (BOUND_JAX if label == "jax" else BOUND)[np.dtype(dtype).name]


def check_case(case, values: dict, groups: dict) -> list[str]:
    """Failures (messages) of the agreement rules for one case's ``{label: host array}``.

    ``groups[label]`` is that backend's ``Backend.group``: who computes alike.
    """
    failures = []
    ref = values["numpy"]
    first = {}  # group -> label of its first backend
    for label, v in values.items():
        group_ref = first.setdefault(groups[label], label)
        if label == "numpy":
            continue
        exact = case.exact and not (label == "jax" and case.method == "uniform")  # FMA
        if exact and case.narrow or (exact or v.dtype.kind != "f") and group_ref == "numpy":
            against = "numpy"
        elif exact or v.dtype.kind != "f":
            if group_ref == label:
                continue  # the first of its group: nothing computes as it does
            against = group_ref
        else:
            if v.dtype != ref.dtype or v.shape != ref.shape:
                failures.append(f"{label}: {v.dtype}{v.shape} vs numpy's {ref.dtype}{ref.shape}")
                continue
            err = scaled_error(ref, v)
            if not err <= _bound(label, v.dtype):
                failures.append(f"{label}: {err:.3g} eps from numpy (bound "
                                f"{_bound(label, v.dtype)})")
            continue
        w = values[against]
        if v.dtype != w.dtype or v.shape != w.shape or not np.array_equal(v, w, equal_nan=v.dtype.kind == "f"):
            differ = np.mean(v != w) if v.shape == w.shape else 1.0
            failures.append(f"{label} != {against}: {v.dtype}{v.shape} vs {w.dtype}{w.shape}, "
                            f"{differ:.3g} of the elements differ")
    return failures
