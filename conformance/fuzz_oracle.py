"""NumPy's Generator as the oracle of the differential fuzz, and the named deviations.

:func:`check_call` makes one call on NumPy's ``default_rng(0)`` and on the
target's generator and applies the issue's outcome rules:

- NumPy raises: the backend raises the same class or a subclass, and nothing
  was drawn (the generator continues as a fresh one of the same seed);
- NumPy returns: the backend returns an array of its namespace on its
  device, with NumPy's shape and dtype kind, finite wherever NumPy's result
  is finite, and in the distribution's support;
- every backend call runs under a time limit: a hang is a failure.

A difference that is a deliberate choice is one row of :data:`DEVIATIONS`
(the README lists the same rows); every other difference is a mismatch.
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import math
import os
import warnings

import numpy as np

from conformance import fuzz_numpy
from conformance.fuzz_strategies import Arg, Call
from conformance.targets import to_numpy

#: seconds a single backend call may take (JAX compiles inside it)
TIME_LIMIT = float(os.environ.get("ARRAY_RANDOM_FUZZ_TIME_LIMIT") or 60)
SEED = 0

#: name -> what array_random does instead of NumPy, and why. The README's
#: "Deviations from NumPy" table has the same rows.
DEVIATIONS = {
    "nan-parameter": "A NaN parameter raises ValueError where NumPy does not check and returns "
                     "NaN draws (SPEC 3: NaN parameters are bad input).",
    "float32-range": "In a float32 draw a parameter, or NumPy's float64 result, beyond float32's "
                     "range (or a nonzero one that rounds to 0) gives float32's limit: inf, 0 or "
                     "the float32 value at the support's edge, so finiteness and support are not "
                     "compared with NumPy's float64 result.",
    "count-overflow": "Parameters for which a count could exceed the result's integer dtype "
                      "with a chance above 1e-9 (the device's default integer, int32 on JAX "
                      "without x64, or a narrower dtype=) raise OverflowError or ValueError "
                      "before drawing; NumPy returns int64 counts and saturates geometric's.",
    "batched-dirichlet": "dirichlet takes a batch of alphas (shape (..., k)), as multinomial "
                         "takes a batch of pvals; NumPy refuses alpha with more than 1 dimension.",
    "bytes-length": "bytes(length) takes a non-negative int only; NumPy also takes a float "
                    "and returns 3 bytes for length -1.",
    "none-parameter": "None as a distribution parameter raises TypeError; NumPy raises "
                      "TypeError in some methods and takes it as NaN in others.",
    "no-float64": "A parameter that the device's float type (float32 without float64) cannot "
                  "hold is bad input there: huge values overflow to inf and raise as an "
                  "infinite parameter would.",
    "dtype-unavailable": "A dtype the device cannot hold (float64 on JAX without x64 or on "
                         "array_api_strict's no_float64, uint64 on torch) raises TypeError "
                         "naming dtype and device (SPEC 3), where NumPy has it.",
    "several-faults": "A call with a bad size (or dtype) and a bad parameter reports one of "
                      "them: the class array_random raises is the one NumPy raises for that "
                      "fault alone (NumPy's own order differs between its methods).",
    "nonfinite-cov": "multivariate_normal with a NaN or infinite covariance raises LinAlgError, "
                     "as NumPy's SVD does for most such matrices (NumPy returns NaN draws for "
                     "some, a 1x1 [[inf]]).",
    "empty-draw": "A draw of size 0 checks its parameters as any other; NumPy skips some "
                  "checks of array parameters when nothing is drawn (integers([5], [1], "
                  "size=0) returns []).",
    "integers-broadcast": "integers with array bounds whose broadcast shape is not size (bounds "
                          "of shape (1, 2), size (2,)) raises ValueError, as NumPy's other "
                          "methods do; NumPy's integers accepts it.",
    "immutable-arrays": "shuffle, and out=, on immutable arrays (JAX) raise TypeError; use "
                        "permuted/permutation (SPEC 3).",
    "jax-flush-to-zero": "XLA flushes float32 subnormals to zero: a JAX array parameter holding "
                         "one (1e-40) is checked and drawn with as 0 (uniform(1e-40, 0) is "
                         "allowed), where NumPy uses its value.",
}


@dataclasses.dataclass
class Outcome:
    raised: BaseException | None = None
    value: object = None
    hung: bool = False


@dataclasses.dataclass
class Verdict:
    ok: bool
    why: str = ""
    deviation: str | None = None


def _materialise(arg: Arg, target):
    """``(backend value, NumPy value)`` for one argument: the same numbers on both sides."""
    if arg.kind == "py":
        return arg.value, arg.value
    if arg.kind == "list":
        return arg.value, arg.value
    xp = target.rng(0).xp
    dtype = _array_dtype(target, arg.dtype)
    ours = xp.asarray(arg.value, dtype=dtype, device=target.device)
    return ours, to_numpy(ours).copy()


def _array_dtype(target, kind):
    xp = target.rng(0).xp
    if kind == "int":
        return getattr(xp, "int64") if target.supports("int64") else getattr(xp, "int32")
    if kind == "bool":
        return xp.bool
    return getattr(xp, "float64") if target.supports("float64") else getattr(xp, "float32")


class Unrepresentable(Exception):
    """The example's array values do not fit the target's array dtypes (not a finding)."""


class NumpyHang(Unrepresentable):
    """NumPy's own call did not return in time: the example has no oracle (not a finding)."""


def prepare(call: Call, target):
    """Backend and NumPy arguments of ``call``; ``Unrepresentable`` if an array cannot hold them."""
    ours_args, np_args, ours_kw, np_kw = [], [], {}, {}
    try:
        for a in call.args:
            o, n = _materialise(a, target)
            ours_args.append(o)
            np_args.append(n)
        for k, a in call.kwargs:
            o, n = _materialise(a, target)
            ours_kw[k], np_kw[k] = o, n
    except (OverflowError, ValueError, TypeError, RuntimeError) as exc:
        raise Unrepresentable(str(exc)) from exc
    for k in ("dtype",):
        if k in ours_kw and ours_kw[k] is not None:
            name = ours_kw[k]
            xp = target.rng(0).xp
            if getattr(xp, name, None) is None:  # no such dtype object to pass at all
                raise Unrepresentable(f"{name} on {target.label}")
            # a dtype the device lacks (float64 on JAX without x64) is a call too: the
            # target's TypeError is deviation dtype-unavailable where NumPy draws
            ours_kw[k] = getattr(xp, name)
            np_kw[k] = np.dtype(name)
    return ours_args, ours_kw, np_args, np_kw


_NUMPY_DTYPE_METHODS = ("random", "standard_normal", "standard_exponential", "standard_gamma",
                        "integers")


def run_numpy(call: Call, np_args, np_kw, seed=SEED) -> Outcome:
    """NumPy's outcome, in ``fuzz_numpy``'s worker process under its time limit.

    A NumPy call past the limit raises :class:`NumpyHang` (an ``Unrepresentable``):
    the example is skipped and counted, whichever of the oracle's NumPy calls hung.
    """
    kw = dict(np_kw)
    if call.method not in _NUMPY_DTYPE_METHODS:
        kw.pop("dtype", None)  # NumPy's method has none: its result is float64/int64
    try:
        how, out = fuzz_numpy.run(call.method, list(np_args), kw, seed)
    except fuzz_numpy.NumpyHang as exc:
        raise NumpyHang(str(exc)) from None
    return Outcome(raised=out) if how == "raised" else Outcome(value=out)


def run_backend(call: Call, rng, args, kw, pool) -> Outcome:
    def work():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = getattr(rng, call.method)(*args, **kw)
            if call.method == "shuffle":
                out = args[0]
            return out, (to_numpy(out) if not isinstance(out, bytes) else out)

    future = pool.submit(work)
    try:
        out, host = future.result(timeout=TIME_LIMIT)
    except concurrent.futures.TimeoutError:
        return Outcome(hung=True)
    except Exception as exc:
        return Outcome(raised=exc)
    return Outcome(value=(out, host))


def _has(values, pred) -> bool:
    for v in values:
        if isinstance(v, (list, tuple)):
            if _has(v, pred):
                return True
        elif isinstance(v, np.ndarray):
            if v.dtype.kind in "fc" and v.size and pred(v):
                return True
        elif isinstance(v, float) and pred(np.asarray(v)):
            return True
    return False


def _any_nan(values) -> bool:
    return _has(values, lambda a: bool(np.any(np.isnan(a))))


#: how close to float32's limits a value may come before a float32 draw may meet them:
#: a scale within 10^4 of the largest float32 makes an overflowing draw likely
_FLOAT32_MARGIN = 1e4


def _beyond_float32(values) -> bool:
    f32 = np.finfo(np.float32)
    big, tiny = f32.max / _FLOAT32_MARGIN, f32.smallest_normal * _FLOAT32_MARGIN

    def pred(a):
        a = np.abs(np.asarray(a, dtype=np.float64))
        return bool(np.any(np.isfinite(a) & ((a > big) | ((a > 0) & (a < tiny)))))
    return _has(values, pred)


def _float_kind(target, call, kw) -> str:
    """The float dtype array_random computes the call's draw in: "float32" or "float64"."""
    name = dict(call.kwargs).get("dtype")
    if name is not None and name.value in ("float32", "float64"):
        return name.value
    info = target.rng(0).xp.__array_namespace_info__()
    default = (info.default_dtypes() if target.name == "jax"
               else info.default_dtypes(device=target.device))["real floating"]
    return "float64" if "64" in str(default) else "float32"


def _int_bits(target, call) -> int:
    name = dict(call.kwargs).get("dtype")
    if name is not None and name.value is not None and "int" in str(name.value):
        return np.iinfo(np.dtype(name.value)).bits
    info = target.rng(0).xp.__array_namespace_info__()
    default = (info.default_dtypes() if target.name == "jax"
               else info.default_dtypes(device=target.device))["integral"]
    return 64 if "64" in str(default) else 32


_COUNTS = ("poisson", "binomial", "geometric", "negative_binomial", "hypergeometric",
           "logseries", "zipf", "multinomial", "multivariate_hypergeometric", "integers")


def deviation_for(call, target, np_args, np_kw, theirs: Outcome, ours: Outcome) -> str | None:
    """The row of :data:`DEVIATIONS` that explains a difference, or None."""
    values = list(np_args) + list(np_kw.values())
    float32 = _float_kind(target, call, np_kw) == "float32"
    if theirs.raised is None and ours.raised is not None:
        if isinstance(ours.raised, ValueError) and _any_nan(values) and "NaN" in str(ours.raised):
            return "nan-parameter"
        if getattr(theirs.value, "size", None) == 0 and "size" in np_kw:
            # NumPy's own verdict on the same parameters with something to draw
            drawn = run_numpy(call, list(np_args), {k: v for k, v in np_kw.items()
                                                    if k != "size"})
            if drawn.raised is not None and isinstance(ours.raised, numpy_class(drawn.raised)):
                return "empty-draw"
        if (call.method in _COUNTS and isinstance(ours.raised, (OverflowError, ValueError))
                and any(w in str(ours.raised) for w in ("overflow", "too large", "wider",
                                                        "beyond", "out of bounds"))):
            return "count-overflow"
        dtype = np_kw.get("dtype")
        if (dtype is not None and isinstance(ours.raised, TypeError)
                and not target.supports(np.dtype(dtype).name)):
            return "dtype-unavailable"
        if (call.method == "integers" and isinstance(ours.raised, ValueError)
                and "shape mismatch" in str(ours.raised)):
            return "integers-broadcast"
        if call.method == "bytes" and isinstance(ours.raised, (TypeError, ValueError)):
            return "bytes-length"
    if ours.raised is not None and (theirs.raised is None
                                    or not isinstance(ours.raised, numpy_class(theirs.raised))):
        dtype = np_kw.get("dtype")
        if (dtype is not None and isinstance(ours.raised, TypeError)
                and not target.supports(np.dtype(dtype).name)):
            return "dtype-unavailable"
        if isinstance(ours.raised, ValueError) and _any_nan(values) and "NaN" in str(ours.raised):
            return "nan-parameter"  # NumPy reported another fault of the call (its size)
        if call.method == "multivariate_normal" and type(ours.raised).__name__ == "LinAlgError" \
                and "NaN or infinity" in str(ours.raised):
            return "nonfinite-cov"
        if isinstance(ours.raised, TypeError) and any(v is None for v in np_args):
            return "none-parameter"
        if float32 and isinstance(ours.raised, OverflowError) and _beyond_float32(values):
            return "float32-range"
        if call.method == "shuffle" and isinstance(ours.raised, TypeError) and \
                target.name in ("jax", "dask"):
            return "immutable-arrays"
        if (not target.supports("float64") and isinstance(ours.raised, (ValueError, OverflowError))
                and _beyond_float32(values)):
            return "no-float64"
    if theirs.raised is None and ours.raised is None and float32:
        out = np.asarray(theirs.value, dtype=np.float64) if not isinstance(theirs.value, bytes) \
            else None
        if _beyond_float32(values) or (out is not None and out.dtype.kind == "f"
                                       and _beyond_float32([out])):
            return "float32-range"
    return None


def numpy_class(exc: BaseException) -> type:
    """The class to compare with: NumPy's own, or for its internal ones the builtin base.

    ``UFuncTypeError`` (a TypeError that NumPy raises from deep in a ufunc) is
    no contract; AxisError and LinAlgError are, and array_random raises them.
    """
    cls = type(exc)
    if cls.__module__.startswith("numpy") and cls.__name__ not in ("AxisError", "LinAlgError"):
        for base in cls.__mro__:
            if base.__module__ == "builtins":
                return base
    return cls


#: a valid value per parameter kind, to take one fault out of a call
_NEUTRAL = {"real": 0.5, "positive": 1.0, "shape": 1.0, "prob": 0.5, "count": 1, "int": 1,
            "kappa": 1.0, "zipf": 2.0}


def _one_fault_less(call, np_args, np_kw):
    """NumPy's outcomes for the call with one fault taken out: its size, its dtype, or one
    parameter replaced by a valid value."""
    from conformance.fuzz_strategies import BY_NAME

    out = []
    for key in ("size", "dtype"):
        if key in np_kw:
            out.append(run_numpy(call, list(np_args), {k: v for k, v in np_kw.items()
                                                       if k != key}))
    if "size" in np_kw:
        # the size fault alone, whatever else the call has wrong (choice's p, dirichlet's
        # alpha): NumPy parses size alike in every method
        out.append(run_numpy(Call("random"), [], {"size": np_kw["size"]}))
    params = BY_NAME[call.method].params
    for i, (name, kind) in enumerate(params[:len(np_args)]):
        args = list(np_args)
        args[i] = {("integers", "low"): 0, ("integers", "high"): 5}.get((call.method, name),
                                                                        _NEUTRAL[kind])
        out.append(run_numpy(call, args, dict(np_kw)))
    return out


def _explained_by_one_fault(call, target, np_args, np_kw, ours):
    """A deviation name if NumPy, with one fault of the call taken out, agrees with ``ours``."""
    for alone in _one_fault_less(call, np_args, np_kw):
        if alone.raised is not None and isinstance(ours.raised, numpy_class(alone.raised)):
            return "several-faults"
        if alone.raised is None:
            dev = deviation_for(call, target, np_args, np_kw, alone, ours)
            if dev is not None:
                return dev
    return None


def check_call(call: Call, target, pool) -> Verdict:
    ours_args, ours_kw, np_args, np_kw = prepare(call, target)
    flushed = _flushed(target, np_args, np_kw)
    if flushed is None:
        return _judge(call, target, pool, ours_args, ours_kw, np_args, np_kw)
    # JAX computes with these subnormals as zeros: NumPy gets the numbers JAX computes with,
    # and the difference that makes to NumPy's verdict is the named row
    verdict = _judge(call, target, pool, ours_args, ours_kw, *flushed)
    if verdict.ok and verdict.deviation is None:
        as_stored = run_numpy(call, list(np_args), dict(np_kw))
        as_computed = run_numpy(call, *flushed)
        if type(as_stored.raised) is not type(as_computed.raised):
            verdict.deviation = "jax-flush-to-zero"
    return verdict


def _flushed(target, np_args, np_kw):
    """NumPy's arguments with float32 subnormal array values as zeros on JAX, or None if none.

    XLA flushes float32 subnormals to zero in arithmetic and comparisons, so a
    JAX array holding 1e-40 takes part in every check and draw as 0.
    """
    if target.name != "jax":
        return None
    tiny = np.finfo(np.float32).smallest_normal

    def flush(v):
        if isinstance(v, np.ndarray) and v.dtype == np.float32:
            sub = (v != 0) & (np.abs(v) < tiny)
            if sub.any():
                return np.where(sub, np.copysign(np.float32(0), v), v).astype(np.float32), True
        return v, False

    args = [flush(v) for v in np_args]
    kw = {k: flush(v) for k, v in np_kw.items()}
    if not any(c for _, c in args) and not any(c for _, c in kw.values()):
        return None
    return [v for v, _ in args], {k: v for k, (v, _) in kw.items()}


def _judge(call, target, pool, ours_args, ours_kw, np_args, np_kw) -> Verdict:
    theirs = run_numpy(call, list(np_args), dict(np_kw))
    rng = target.rng(SEED)
    ours = run_backend(call, rng, ours_args, ours_kw, pool)
    if ours.hung:
        return Verdict(False, f"hung: no result within {TIME_LIMIT} s")
    if theirs.raised is not None:
        if (ours.raised is None and call.method == "dirichlet" and call.args
                and np.ndim(np_args[0]) > 1 and "deep" in str(theirs.raised)):
            return Verdict(True, deviation="batched-dirichlet")
        if ours.raised is None:
            return _or_deviation(call, target, np_args, np_kw, theirs, ours,
                                 f"NumPy raises {type(theirs.raised).__name__}"
                                 f"({theirs.raised}), array_random returns")
        if not isinstance(ours.raised, numpy_class(theirs.raised)):
            dev = _explained_by_one_fault(call, target, np_args, np_kw, ours)
            if dev is not None:
                return _nothing_drawn(rng, target, pool, dev)
            return _or_deviation(call, target, np_args, np_kw, theirs, ours,
                                 f"NumPy raises {type(theirs.raised).__name__}({theirs.raised}), "
                                 f"array_random {type(ours.raised).__name__}({ours.raised})")
        return _nothing_drawn(rng, target, pool)
    if ours.raised is not None:
        verdict = _or_deviation(call, target, np_args, np_kw, theirs, ours,
                                f"NumPy returns, array_random raises "
                                f"{type(ours.raised).__name__}({ours.raised})")
        if verdict.ok:
            return _nothing_drawn(rng, target, pool, verdict.deviation)
        return verdict
    problem = _compare_values(call, target, rng, theirs.value, ours.value)
    if problem.startswith("not finite") and _numpy_overflows(call, np_args, np_kw):
        # another stream (a Dask block's, torch's) met a draw that overflows: NumPy's
        # own draws at these parameters overflow too, so finiteness is not a rule here
        problem = ""
    if problem:
        dev = deviation_for(call, target, np_args, np_kw, theirs, ours)
        if dev is not None and dev == "float32-range" and problem.startswith(("not finite",
                                                                             "outside")):
            return Verdict(True, deviation=dev)
        return Verdict(False, problem)
    return Verdict(True)


def _or_deviation(call, target, np_args, np_kw, theirs, ours, why) -> Verdict:
    dev = deviation_for(call, target, np_args, np_kw, theirs, ours)
    return Verdict(True, deviation=dev) if dev else Verdict(False, why)


def _nothing_drawn(rng, target, pool, deviation=None) -> Verdict:
    """The failed call left the stream where a fresh generator of the same seed starts."""
    def both():
        return to_numpy(rng.random(2)), to_numpy(target.rng(SEED).random(2))

    try:
        a, b = pool.submit(both).result(timeout=TIME_LIMIT)
    except concurrent.futures.TimeoutError:
        return Verdict(False, "hung drawing after the refused call")
    if not np.array_equal(a, b):
        return Verdict(False, "the refused call advanced the generator's stream")
    return Verdict(True, deviation=deviation)


def _numpy_overflows(call, np_args, np_kw, seeds=32) -> bool:
    """Whether NumPy itself gives a non-finite float for this call at some other seed."""
    for seed in range(SEED + 1, SEED + 1 + seeds):
        out = run_numpy(call, list(np_args), dict(np_kw), seed=seed)
        if out.raised is None and not isinstance(out.value, bytes):
            value = np.asarray(out.value)
            if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                return True
    return False


def _compare_values(call, target, rng, theirs, ours) -> str:
    out, host = ours
    if isinstance(theirs, bytes):
        if not isinstance(out, bytes) or len(out) != len(theirs):
            return f"bytes: NumPy {len(theirs)} bytes, array_random {out!r:.60}"
        return ""
    import array_api_compat

    if not array_api_compat.is_array_api_obj(out) or \
            array_api_compat.array_namespace(out) is not rng.xp:
        return f"not an array of the namespace: {type(out).__name__}"
    if target.name != "jax" and str(array_api_compat.device(out)) != str(target.device):
        return f"on device {array_api_compat.device(out)!r}, not {target.device!r}"
    theirs = np.asarray(theirs)
    host = np.asarray(host)
    if tuple(host.shape) != tuple(theirs.shape):
        return f"shape {tuple(host.shape)}, NumPy's {tuple(theirs.shape)}"
    kind = "f" if theirs.dtype.kind == "f" else ("iu" if theirs.dtype.kind in "iub" else "?")
    if call.method in ("permutation", "permuted", "shuffle", "choice") and \
            theirs.dtype.kind in "fiu":
        kind = "fiu"
    if host.dtype.kind not in kind:
        return f"dtype {host.dtype}, NumPy's {theirs.dtype}"
    if host.dtype.kind == "f" and theirs.size:
        if np.all(np.isfinite(theirs)) and not np.all(np.isfinite(host)):
            return f"not finite where NumPy's is: {host.ravel()[:6]}"
    support = SUPPORT.get(call.method)
    if support is not None and host.size:
        args = _np_params(call, target)
        if args is not None:
            with np.errstate(all="ignore"):
                inside = support(host.astype(np.float64), *args)
                # where NumPy's own result leaves the support (vonmises(inf, inf)
                # is inf), the support is not a rule
                theirs_inside = support(theirs.astype(np.float64), *args)
            if np.all(theirs_inside | np.isnan(theirs.astype(np.float64))) and \
                    not np.all(inside | np.isnan(host.astype(np.float64))):
                return f"outside the support: {host.ravel()[:6]}"
    return ""


def _np_params(call, target):
    """The distribution parameters as float64 NumPy arrays (None if not plain numbers)."""
    try:
        out = []
        for a in call.args:
            if a.kind == "py":
                out.append(np.asarray(float(a.value)))
            else:
                out.append(np.asarray(a.value, dtype=np.float64))
        return out
    except (TypeError, ValueError):
        return None


def _nonneg(x, *params):
    return x >= 0


SUPPORT = {
    "random": lambda x: (x >= 0) & (x < 1),
    "standard_exponential": _nonneg,
    "exponential": _nonneg, "standard_gamma": _nonneg, "gamma": _nonneg,
    "chisquare": _nonneg, "f": _nonneg, "noncentral_chisquare": _nonneg,
    "noncentral_f": _nonneg, "lognormal": _nonneg, "pareto": _nonneg, "weibull": _nonneg,
    "rayleigh": _nonneg, "wald": _nonneg,
    # a sum or quotient of floats may land one rounding step beyond 1
    "beta": lambda x, *p: (x >= 0) & (x <= 1 + 1e-6),
    "power": lambda x, *p: (x >= 0) & (x <= 1 + 1e-6),
    "vonmises": lambda x, *p: (x >= -math.pi - 1e-6) & (x <= math.pi + 1e-6),
    "poisson": _nonneg, "geometric": lambda x, *p: x >= 1,
    "negative_binomial": _nonneg, "logseries": lambda x, *p: x >= 1,
    "zipf": lambda x, *p: x >= 1,
    "binomial": lambda x, n=None, *p: (x >= 0) & (x <= np.floor(n) if n is not None else True),
    "hypergeometric": lambda x, g=None, b=None, s=None: (x >= 0) & (x <= np.minimum(g, s)),
    "dirichlet": lambda x, *p: (x >= 0) & (x <= 1 + 1e-6),
    "multinomial": _nonneg, "multivariate_hypergeometric": _nonneg,
}
