"""Uniform, normal, exponential and integer samplers on raw bits."""
from __future__ import annotations

import math

__all__ = ["random", "standard_normal", "standard_exponential", "integers",
           "uniform", "normal", "exponential"]

# Mantissa widths as in jax.random.uniform, so that the generic backend and the
# JAX backend give the same floats for the same key: (bits >> 9) * 2**-23 for
# float32, (bits >> 12) * 2**-52 for float64.
_FLOAT_BITS = {4: (32, 9, 2.0**-23), 8: (64, 12, 2.0**-52)}


def _float_width(xp, dtype) -> int:
    return 8 if dtype == xp.float64 else 4


def random(src, shape, dtype):
    """Uniform floats in [0, 1) from the top mantissa bits of one word each."""
    xp = src.xp
    width, shift, scale = _FLOAT_BITS[_float_width(xp, dtype)]
    return xp.astype(src.bits(shape, width) >> shift, dtype) * scale


def standard_normal(src, shape, dtype):
    """Box-Muller: two uniforms per normal, no rejection, fixed cost per element."""
    xp = src.xp
    u1 = src.random(shape, dtype)
    u2 = src.random(shape, dtype)
    radius = xp.sqrt(-2.0 * xp.log1p(-u1))
    return radius * xp.cos((2.0 * math.pi) * u2)


def standard_exponential(src, shape, dtype):
    """Inversion: -log(1 - U), finite because U < 1."""
    return -src.xp.log1p(-src.random(shape, dtype))


def uniform(src, shape, dtype, low, high):
    return low + (high - low) * src.random(shape, dtype)


def normal(src, shape, dtype, loc, scale):
    return loc + scale * src.standard_normal(shape, dtype)


def exponential(src, shape, dtype, scale):
    return scale * src.standard_exponential(shape, dtype)


def _fill_right(x, steps):
    """Smallest all-ones mask >= x: x | x>>1 | x>>2 | ... (arrays or Python ints)."""
    for s in steps:
        x = x | (x >> s)
    return x


def integers(src, shape, dtype, low, high):
    """Uniform integers in the closed range [low, high], without modulo bias.

    Words are masked to the smallest power of two that covers the span and
    out-of-range words are redrawn (each word is accepted with probability
    above 1/2). The offset is added in unsigned arithmetic of the word's width
    and the result converted to ``dtype``, which keeps the full range of every
    integer dtype exact.
    """
    xp = src.xp
    scalar = isinstance(low, int) and isinstance(high, int)
    if scalar:
        span_m1 = high - low
        width = 32 if span_m1 < 2**32 else 64
    else:
        width = 64 if _has_uint64(xp, src.device) else 32
    utype = xp.uint32 if width == 32 else xp.uint64
    steps = (1, 2, 4, 8, 16) if width == 32 else (1, 2, 4, 8, 16, 32)
    if scalar:
        low_u = low % 2**width
        mask = _fill_right(span_m1, steps)
    else:
        low_u = xp.astype(low, utype) if not isinstance(low, int) else low % 2**width
        high_u = xp.astype(high, utype) if not isinstance(high, int) else high % 2**width
        span_m1 = high_u - low_u
        mask = _fill_right(span_m1, steps)

    def body(s, state):
        value, bad = state
        fresh = s.bits(shape, width) & mask
        value = xp.where(bad, fresh, value)
        return value, value > span_m1

    value = src.bits(shape, width) & mask
    value, _ = src.while_loop(lambda st: xp.any(st[1]), body, (value, value > span_m1))
    if xp.iinfo(dtype).bits > width:
        # a result wider than the words (int64 from 32-bit words): the wrapping
        # sum below would not sign-extend, so widen first and add exactly
        return xp.astype(value, dtype) + (low if isinstance(low, int) else xp.astype(low, dtype))
    return xp.astype(value + low_u, dtype)


def _has_uint64(xp, device) -> bool:
    try:
        return "uint64" in xp.__array_namespace_info__().dtypes(device=device, kind="unsigned integer")
    except Exception:  # namespaces without the inspection API
        return hasattr(xp, "uint64")
