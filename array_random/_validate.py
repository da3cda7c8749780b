"""NumPy-compatible parameter checks, shared by every Generator method.

Each check raises the exception class NumPy raises for the same input, before
anything is drawn. Values that JAX is tracing cannot be inspected: they are
let through, and invalid ones give NaN as in ``jax.random``.
"""
from __future__ import annotations

import math
import numbers
import operator
import sys

_SCALARS = (float, int)


#: array types whose values are not known when a method is called (registered
#: by backends: the Dask backend's stand-ins for lazy parameters); their checks
#: are left to the code that sees the values, as for JAX tracers
_DEFERRED: tuple[type, ...] = ()


def defer_checks_for(cls: type) -> None:
    """Treat arrays of type ``cls`` like JAX tracers: their values are not checked here."""
    global _DEFERRED
    if cls not in _DEFERRED:
        _DEFERRED = _DEFERRED + (cls,)


def is_traced(x) -> bool:
    """Whether ``x``'s values cannot be inspected now: a JAX tracer (looked up without
    importing JAX) or an array of a type registered with :func:`defer_checks_for`."""
    core = sys.modules.get("jax.core")
    if core is not None and isinstance(x, core.Tracer):
        return True
    return bool(_DEFERRED) and isinstance(x, _DEFERRED)


def integer_range(xp, dtype) -> tuple[int, int]:
    """``(min, max)`` of the integer ``dtype`` of ``xp``."""
    info = xp.iinfo(dtype)
    return int(info.min), int(info.max)


def byte_length(length) -> tuple[int]:
    """The shape ``(length,)`` of a ``bytes`` draw; ``TypeError`` unless ``length`` is an int."""
    n = size(length)
    if n is None or len(n) != 1:
        raise TypeError("length must be an int")
    return n


def size(size):
    """``None`` or a tuple of non-negative ints."""
    if size is None:
        return None
    if type(size) is int and size >= 0:  # the usual size, without the general rule below
        return (size,)
    try:
        shape = (operator.index(size),)
    except TypeError:
        try:
            shape = tuple(operator.index(d) for d in size)
        except TypeError:
            raise TypeError(f"size must be None, an int or a sequence of ints, not {size!r}") from None
    if any(d < 0 for d in shape):
        raise ValueError(f"negative dimensions are not allowed (size={size!r})")
    return shape


def output_shape(shape, *params) -> tuple[int, ...]:
    """NumPy's rule: ``size`` if given (the parameters must broadcast to it), else their broadcast."""
    shapes = [tuple(p.shape) for p in params if hasattr(p, "shape")]
    try:
        joint = _broadcast(*shapes) if shapes else ()
        if shape is None:
            return joint
        if _broadcast(shape, joint) != shape:
            raise ValueError
    except ValueError:
        raise ValueError(f"shape mismatch: parameters of shapes {shapes} cannot be broadcast "
                         f"to size {shape}") from None
    return shape


def draw_shape(requested, params) -> tuple[int, ...]:
    """The output shape of a draw with ``size=requested`` and the converted ``params``.

    The usual draw, Python-scalar parameters and a size that is None or an
    int, takes a few type checks; anything else goes through the full rule of
    :func:`output_shape` (and its errors).
    """
    for p in params:
        if type(p) is not float and type(p) is not int:
            return output_shape(size(requested), *params)
    if requested is None:
        return ()
    if type(requested) is int and requested >= 0:
        return (requested,)
    return output_shape(size(requested), *params)


def _broadcast(*shapes):
    ndim = max(len(s) for s in shapes)
    out = []
    for dims in zip(*[(1,) * (ndim - len(s)) + tuple(s) for s in shapes]):
        sizes = {d for d in dims if d != 1}
        if len(sizes) > 1:
            raise ValueError
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


def narrow(xp, value, dtype):
    """``value`` cast to ``dtype``; a float cast down keeps every value valid that was valid.

    Parameters are checked in the precision they were given: a float64
    ``1e-300`` is positive, and so must its float32 version be, and a finite
    float64 stays finite. A nonzero value that would round to 0 becomes the
    smallest normal float of its sign, a finite one that would overflow the
    largest finite one: float32's limits, and the draw gives what float32
    gives there (README, deviation ``float32-range``). A value that would
    round onto -1 or 1 without being it becomes the float32 neighbour on its
    side: ``1 + 2**-52`` is a p > 1 (NumPy's ValueError) and a zipf ``a > 1``
    after the cast too, not 1.
    """
    out = xp.astype(value, dtype)
    if (is_traced(value) or not xp.isdtype(value.dtype, "real floating")
            or not xp.isdtype(dtype, "real floating")
            or xp.finfo(dtype).bits >= xp.finfo(value.dtype).bits):
        return out
    info = xp.finfo(dtype)
    under = (out == 0) & (value != 0)
    over = xp.isinf(out) & xp.isfinite(value)
    onto_one = ((out == 1) | (out == -1)) & (xp.astype(out, value.dtype) != value)
    if not any_true(xp, under | over | onto_one):
        return out
    tiny = xp.full_like(out, float(info.smallest_normal))  # on value's device, in dtype
    big = xp.full_like(out, float(info.max))
    negative = value < 0
    out = xp.where(under, xp.where(negative, -tiny, tiny), out)
    out = xp.where(over, xp.where(negative, -big, big), out)
    # toward the value's side of the bound: above it, toward +big, below it toward -big
    side = xp.where(xp.astype(out, value.dtype) < value, big, -big)
    return xp.where(onto_one, xp.nextafter(out, side), out)


def as_given(values, dtype):
    """A Python sequence parameter whose floats keep the validity they have as Python floats.

    The values of a list are float64 (Python floats); cast to a float32
    parameter, a nonzero one that would round to 0 (or to a subnormal, which
    XLA:CPU flushes to 0) becomes float32's smallest normal number, a finite
    one that would overflow its largest, and one that would round onto -1 or
    1 the float32 neighbour on its side, as :func:`narrow` does for arrays.
    Only the host's list is read (NumPy, for its float32 limits): no device data.
    """
    import numpy as np
    if not _is_float32(dtype):
        return values
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        return values  # the namespace reports what it cannot convert
    info = np.finfo(np.float32)
    with np.errstate(all="ignore"):
        mag = np.abs(arr)
        fixed = np.where((mag > 0) & (mag < info.smallest_normal),
                         np.copysign(info.smallest_normal, arr), arr)
        fixed = np.where(np.isfinite(arr) & (mag > info.max), np.copysign(info.max, arr), fixed)
        f32 = fixed.astype(np.float32)
        onto_one = (np.abs(f32) == 1) & (f32.astype(np.float64) != arr)
        side = np.where(f32 < arr, np.float32(info.max), np.float32(-info.max))
        fixed = np.where(onto_one, np.nextafter(f32, side).astype(np.float64), fixed)
    return values if np.array_equal(fixed, arr, equal_nan=True) else fixed.tolist()


# (type, dtype) -> whether it is float32: a dtype's name is slow to read. The
# type first: dtypes of two libraries are never compared (array_api_strict warns)
_FLOAT32: dict = {}


def _is_float32(dtype) -> bool:
    key = (type(dtype), dtype)
    try:
        return _FLOAT32[key]
    except (KeyError, TypeError):  # TypeError: an unhashable dtype, asked each time
        pass
    import numpy as np
    try:
        found = np.dtype(getattr(dtype, "name", str(dtype)).split(".")[-1]) == np.float32
    except (TypeError, ValueError):
        found = False
    try:
        _FLOAT32[key] = found
    except TypeError:
        pass
    return found


def any_true(xp, mask) -> bool:
    if isinstance(mask, bool):
        return mask
    if is_traced(mask):
        return False
    return bool(xp.any(mask))


def check(xp, name: str, value, bad, message: str, exc=ValueError) -> None:
    """Raise ``exc(message)`` if ``bad(value)`` holds anywhere; NaN always raises ValueError."""
    # exact float/int first: the ABC check below costs more than the rest
    if type(value) is float or type(value) is int or isinstance(value, numbers.Number):
        if isinstance(value, float) and math.isnan(value):
            raise ValueError(f"{name} is NaN")
        if bad(value):
            raise exc(message)
        return
    if is_traced(value):
        return
    if any_true(xp, value != value):
        raise ValueError(f"{name} contains NaN")
    if any_true(xp, bad(value)):
        raise exc(message)


# Each check first tries the usual case, a Python float or int that passes,
# in one comparison; NaN fails every comparison and so reaches ``check``,
# which reports it.
def finite(xp, name: str, value) -> None:
    if type(value) in _SCALARS and -math.inf < value < math.inf:
        return
    check(xp, name, value, lambda v: (v == math.inf) | (v == -math.inf), f"{name} must be finite")


def not_nan(xp, name: str, value) -> None:
    if type(value) in _SCALARS and value == value:
        return
    check(xp, name, value, lambda v: v != v, f"{name} is NaN")


def nonnegative(xp, name: str, value) -> None:
    # NumPy's test is the sign bit: -0.0 is negative (rayleigh(-0.0) raises)
    if type(value) in _SCALARS and value > 0:
        return
    check(xp, name, value, lambda v: signbit(xp, v), f"{name} < 0")


def signbit(xp, v):
    """Where the sign bit of ``v`` is set (``-0.0`` included); ints: where negative."""
    if isinstance(v, numbers.Number):
        return math.copysign(1.0, v) < 0
    if xp.isdtype(v.dtype, "real floating"):
        return xp.signbit(v)
    return v < 0


def uniform_range(xp, low, high) -> None:
    """NumPy's uniform checks: ``high - low`` finite (else OverflowError, NaN too), not negative."""
    if type(low) in _SCALARS and type(high) in _SCALARS:
        span = float(high) - float(low)
        if not math.isfinite(span):
            raise OverflowError("high - low range exceeds valid bounds")
        if math.copysign(1.0, span) < 0:
            raise ValueError("high - low < 0")
        return
    if is_traced(low) or is_traced(high):
        return
    span = high - low
    if isinstance(span, numbers.Number):
        return uniform_range(xp, 0.0, float(span))
    if any_true(xp, ~xp.isfinite(span)):
        raise OverflowError("high - low range exceeds valid bounds")
    if any_true(xp, signbit(xp, span)):
        raise ValueError("high - low < 0")


def positive(xp, name: str, value) -> None:
    if type(value) in _SCALARS and value > 0:
        return
    check(xp, name, value, lambda v: v <= 0, f"{name} <= 0")


def probability(xp, name: str, value) -> None:
    if type(value) in _SCALARS and 0 <= value <= 1:
        return
    check(xp, name, value, lambda v: (v < 0) | (v > 1), f"{name} < 0 or {name} > 1")
