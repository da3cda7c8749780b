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

    32-bit words (spans up to 2**32) use Lemire's multiply-shift: the value is
    the high half of ``word * span``, rejected where the low half falls below
    ``2**32 mod span`` (exactly uniform; a rejection chance below
    ``span / 2**32``, so a draw rarely needs a second pass). 64-bit words are
    masked to the smallest power of two that covers the span and out-of-range
    words redrawn (each accepted with probability above 1/2). The offset is
    added in unsigned arithmetic of the word's width and the result converted
    to ``dtype``, which keeps the full range of every integer dtype exact.
    """
    xp = src.xp
    scalar = isinstance(low, int) and isinstance(high, int)
    if scalar:
        span_m1 = high - low
        width = 32 if span_m1 < 2**32 else 64
    else:
        width = 64 if _has_uint64(xp, src.device) else 32
    utype = xp.uint32 if width == 32 else xp.uint64
    if scalar:
        low_u = low % 2**width
    else:
        low_u = xp.astype(low, utype) if not isinstance(low, int) else low % 2**width
        high_u = xp.astype(high, utype) if not isinstance(high, int) else high % 2**width
        span_m1 = high_u - low_u
    # a result wider than the words (int64 from 32-bit words): the wrapping sum
    # would not sign-extend, so the offset is widened first and added exactly
    wider = xp.iinfo(dtype).bits > width
    if width == 32:
        value = _lemire32(src, shape, span_m1, 0 if wider else low_u, dtype)
    else:
        value = _masked(src, shape, span_m1, width)
    if wider:
        return xp.astype(value, dtype) + (low if isinstance(low, int) else xp.astype(low, dtype))
    if width == 32:
        return value if value.dtype == dtype else xp.astype(value, dtype)
    if isinstance(low_u, int):  # past 2**63 - 1 a Python int does not pass JAX's operators
        low_u = xp.asarray(low_u, dtype=utype, device=src.device)
    return xp.astype(value + low_u, dtype)


def _masked(src, shape, span_m1, width):
    """Offsets in [0, span_m1] from words masked to a power of two, redrawn when beyond."""
    xp = src.xp
    mask = _fill_right(span_m1, (1, 2, 4, 8, 16) if width == 32 else (1, 2, 4, 8, 16, 32))

    def body(s, state):
        value, bad = state
        fresh = s.bits(shape, width) & mask
        value = xp.where(bad, fresh, value)
        return value, value > span_m1

    value = src.bits(shape, width) & mask
    value, _ = src.while_loop(lambda st: xp.any(st[1]), body, (value, value > span_m1))
    return value


def _lemire32(src, shape, span_m1, low_u, dtype):
    """``low_u`` plus offsets in [0, span_m1] (uint32, wrapping) by Lemire's multiply-shift.

    A rejected word yields ``low_u + 2**32 - 1``, an offset no span below
    2**32 gives: value and rejection travel as one array, so each pass writes
    one output (XLA:CPU would rerun the cipher for a second output of the same
    fused pass). The redraws are whole masked passes keyed by
    ``src.while_loop``, so every backend that draws the same words gives the
    same integers. A 32-bit ``dtype`` is carried through the loop (and
    returned), which spares a conversion pass after it; otherwise uint32.
    """
    xp = src.xp
    out = dtype if xp.iinfo(dtype).bits == 32 else xp.uint32

    def u32(c):
        # Python ints past 2**31 - 1 do not pass JAX's operators with uint32 arrays
        return xp.asarray(c, dtype=xp.uint32, device=src.device) if isinstance(c, int) else c

    if isinstance(span_m1, int):
        if span_m1 == 2**32 - 1:  # every word is a value
            return xp.astype(src.bits(shape, 32) + u32(low_u), out)
        span = span_m1 + 1
        threshold = (2**32 - span) % span  # below 2**31
        full = None
        mark = (low_u - 1) % 2**32
    else:
        span = span_m1 + 1  # 0 where the span is all 2**32 words
        full = span == 0
        span = span + xp.astype(full, xp.uint32)  # those get span 1, threshold 0
        threshold = (0 - span) % span
        mark = u32(low_u) - 1
    low_u, mark = u32(low_u), xp.astype(u32(mark), out)

    def draw(s):
        words = s.bits(shape, 32)
        high, low = _mul_wide(words, span)
        if full is not None:
            high = xp.where(full, words, high)
        return xp.where(low < threshold, mark, xp.astype(high + low_u, out))

    def rejected(value):
        return value == mark if full is None else (value == mark) & ~full

    def body(s, value):
        return xp.where(rejected(value), draw(s), value)

    return src.while_loop(lambda v: xp.any(rejected(v)), body, draw(src))


def _mul_wide(a, b):
    """``(high, low)`` 32-bit halves of the 64-bit product of uint32 ``a`` and ``b``.

    Array API integers stop at 64 bits signed, so the product is assembled
    from 16-bit partial products, each below 2**32 (``b`` may be a Python int).
    """
    m16 = 0xFFFF
    a0, a1 = a & m16, a >> 16
    b0, b1 = b & m16, b >> 16
    lo_lo, lo_hi, hi_lo = a0 * b0, a0 * b1, a1 * b0
    mid = (lo_lo >> 16) + (lo_hi & m16) + (hi_lo & m16)
    high = a1 * b1 + (lo_hi >> 16) + (hi_lo >> 16) + (mid >> 16)
    return high, (lo_lo & m16) | (mid << 16)


def _has_uint64(xp, device) -> bool:
    try:
        return "uint64" in xp.__array_namespace_info__().dtypes(device=device, kind="unsigned integer")
    except Exception:  # namespaces without the inspection API
        return hasattr(xp, "uint64")
