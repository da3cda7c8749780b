"""Discrete samplers (see the package docstring for the sampler convention).

Counts are computed in floating point and converted to the integer ``dtype``
at the end. The float type is a float parameter's own dtype, else the
device's widest (float64 where it exists): with float64 every algorithm here
is exact in distribution up to rounding of the uniforms; with float32 it is
exact for counts below 2**24, beyond which float32 cannot tell neighbouring
integers apart.

Rejection samplers are masked, vectorised loops over the whole array
(``src.while_loop``): every pass redraws the elements not yet accepted. The
acceptance tests of the transformed-rejection samplers (PTRS, BTRS, HRUA)
compare log-probability *ratios*; they are written so that the large
log-factorials cancel algebraically instead of numerically (Stirling's
series, with ``log1p`` of small relative differences), which keeps them
accurate in float32 and for means of 1e9 and more in float64.

Counts too large for ``dtype`` saturate at its maximum; the facade rejects
parameters for which that has a non-negligible chance (NumPy saturates its
geometric at int64's maximum in the same way).
"""
from __future__ import annotations

import math

import numpy as np

from .._validate import is_traced

__all__ = ["poisson", "binomial", "geometric", "negative_binomial", "hypergeometric",
           "logseries", "zipf"]

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
# lgamma(y) minus Stirling's leading terms, exactly, for the integers y = 1 .. 10
_STIRLING_TAIL = [math.lgamma(y) - ((y - 0.5) * math.log(y) - y + _HALF_LOG_2PI)
                  for y in range(1, 11)]


# --- helpers ------------------------------------------------------------------
def widest_float(xp, device):
    """float64 where ``device`` has it, else float32."""
    info = xp.__array_namespace_info__()
    try:
        names = info.dtypes(device=device, kind="real floating")
    except Exception:  # JAX's info takes no sharding; its float types are device-independent
        names = info.dtypes(kind="real floating")
    return names.get("float64", names.get("float32"))


def _real_dtype(src, *params):
    """The float type counts are computed in: a float parameter's own, else the widest."""
    xp = src.xp
    for p in params:
        if hasattr(p, "dtype") and xp.isdtype(p.dtype, "real floating"):
            return p.dtype
    return widest_float(xp, src.device)


def _full(src, x, shape, dtype):
    xp = src.xp
    if isinstance(x, (int, float)):
        x = xp.asarray(x, dtype=dtype, device=src.device)
    elif x.dtype != dtype:
        x = xp.astype(x, dtype)
    return xp.broadcast_to(x, shape)


def _index_dtype(src):
    info = src.xp.__array_namespace_info__()
    try:
        return info.default_dtypes(device=src.device)["indexing"]
    except Exception:
        return info.default_dtypes()["indexing"]


def float_at_most(xp, value: int, fdtype) -> float:
    """The largest float of ``fdtype`` that is <= the integer ``value``.

    ``float(2**31 - 1)`` in float32 is 2**31, one past int32's maximum: a
    comparison against it would let an overflowing count through.
    """
    ftype = np.float64 if fdtype == getattr(xp, "float64", None) else np.float32
    f = ftype(value)
    if int(f) > value:
        f = np.nextafter(f, ftype(0))
    return float(f)


def to_counts(xp, x, dtype):
    """Non-negative integral floats to ``dtype``, saturating at its maximum.

    A float-to-integer cast out of range is undefined in the Array API (and
    differs between libraries), so large values never reach the cast.
    """
    top = int(xp.iinfo(dtype).max)
    over = x > float_at_most(xp, top, x.dtype)
    return xp.where(over, top, xp.astype(xp.where(over, 0.0, x), dtype))


def lam_max(xp, dtype) -> float:
    """NumPy's bound on Poisson means, ``max - 10 sqrt(max)``, for the integer ``dtype``.

    A Poisson count exceeds the type's maximum with probability below
    exp(-50) under it.
    """
    top = int(xp.iinfo(dtype).max)
    return top - 10.0 * math.sqrt(top)


def _stirling_tail(src, y):
    """``lgamma(y) - ((y - 1/2) log y - y + log(2 pi) / 2)`` for integral floats ``y >= 1``.

    A table for y <= 10, the asymptotic series (error < 1e-12) above.
    """
    xp = src.xp
    big = xp.maximum(y, 10.0)
    inv = 1.0 / big
    inv2 = inv * inv
    series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
    table = xp.asarray(_STIRLING_TAIL, dtype=y.dtype, device=src.device)
    idx = xp.astype(xp.clip(y, 1.0, 10.0), _index_dtype(src)) - 1
    small = xp.reshape(xp.take(table, xp.reshape(idx, (-1,))), y.shape)
    return xp.where(y <= 10, small, series)


def _rejection(src, propose, done, like):
    """Masked rejection: ``propose(s) -> (values, accepted)`` until every element is accepted.

    Elements already ``done`` (those another method serves) are never drawn
    for; the first pass happens inside the loop, so with nothing to do the
    loop draws nothing.
    """
    xp = src.xp

    def body(s, state):
        value, ok = state
        fresh, fresh_ok = propose(s)
        return xp.where(ok, value, fresh), ok | fresh_ok

    value, _ = src.while_loop(lambda st: ~xp.all(st[1]), body, (xp.zeros_like(like), done))
    return value


def _method_mask(src, mask):
    """``(mask, all_same)``: which elements take the first of two methods.

    ``all_same`` is True or False when every element takes the same one and
    that is known without tracing (eager backends), so the other method's
    loop is skipped; ``None`` when both must run, masked.
    """
    xp = src.xp
    if is_traced(mask):
        return mask, None
    if bool(xp.all(mask)):
        return mask, True
    if not bool(xp.any(mask)):
        return mask, False
    return mask, None


# --- Poisson ------------------------------------------------------------------
def _log_poisson_pmf(src, k, lam):
    """``k log(lam) - lam - lgamma(k + 1)`` without cancelling large terms.

    With Stirling's form of lgamma(k + 1) the terms of order ``lam log lam``
    cancel exactly, leaving ``k log1p((lam - k - 1)/(k + 1)) + (k + 1 - lam)``,
    both of order sqrt(lam) near the mode.
    """
    xp = src.xp
    k1 = k + 1
    return (k * xp.log1p((lam - k1) / k1) - 0.5 * xp.log(k1) + (k1 - lam) - _HALF_LOG_2PI
            - _stirling_tail(src, k1))


def _poisson_inversion(src, shape, fdtype, lam, active):
    """Sequential search of the cdf from 0: one uniform per element, for means below 10."""
    xp = src.xp
    u = src.random(shape, fdtype)
    p0 = xp.exp(-lam)

    def body(s, state):
        k, pk, cdf, go = state
        pk = xp.where(go, pk * lam / (k + 1), pk)
        k = xp.where(go, k + 1, k)
        new_cdf = cdf + xp.where(go, pk, 0.0)
        # stop where rounding keeps the cdf from growing: the remaining mass is
        # below the float's resolution, and the search would never end
        go = go & (u >= new_cdf) & (new_cdf > cdf)
        return k, pk, new_cdf, go

    state = (xp.zeros(shape, dtype=fdtype, device=src.device), p0, p0, active & (u >= p0))
    k, _, _, _ = src.while_loop(lambda st: xp.any(st[3]), body, state)
    return k


def _poisson_ptrs(src, shape, fdtype, lam, active):
    """Hormann's transformed rejection with squeeze (PTRS, 1993), for means of 10 and above."""
    xp = src.xp
    b = 0.931 + 2.53 * xp.sqrt(lam)
    a = -0.059 + 0.02483 * b
    log_inv_alpha = xp.log(1.1239 + 1.1328 / (b - 3.4))
    vr = 0.9277 - 3.6224 / (b - 2)

    def propose(s):
        u = s.random(shape, fdtype) - 0.5
        v = s.random(shape, fdtype)
        us = 0.5 - xp.abs(u)
        k = xp.floor((2 * a / us + b) * u + lam + 0.43)
        valid = k >= 0                   # False for the NaN or -inf that us == 0 gives
        k = xp.where(valid, k, 0.0)
        squeeze = (us >= 0.07) & (v <= vr)
        lhs = xp.log(v) + log_inv_alpha - xp.log(a / (us * us) + b)
        squeezed_out = (us < 0.013) & (v > us)
        ok = valid & (squeeze | (~squeezed_out & (lhs <= _log_poisson_pmf(src, k, lam))))
        return k, ok

    return _rejection(src, propose, ~active, lam)


def poisson(src, shape, dtype, lam):
    """Poisson counts: inversion for means below 10, PTRS above.

    ``lam`` may be a float array of any float type (the continuous samplers
    call this with their own); the counts are computed in that type.
    """
    xp = src.xp
    fdtype = _real_dtype(src, lam)
    lam = _full(src, lam, shape, fdtype)
    # a mean that is not finite (float32's inf for a huge one, the NaN of an
    # upstream 0 * inf) would never be accepted and the loop never end: it is
    # drawn as 0 and then set to its limit, inf saturating, NaN giving 0
    infinite = lam == math.inf
    lam = xp.where(xp.isfinite(lam), lam, 0.0)
    small, only = _method_mask(src, lam < 10)
    k = xp.zeros(shape, dtype=fdtype, device=src.device)
    # a branch left out still passes over its calls (src.skip): every element
    # keeps the counters it has when both run, whichever elements share a block
    if only is not False:
        k = _poisson_inversion(src, shape, fdtype, xp.where(small, lam, 0.0), small)
    else:
        src.skip(2)  # _poisson_inversion: one uniform, one loop
    if only is not True:
        big = _poisson_ptrs(src, shape, fdtype, xp.where(small, 10.0, lam), ~small)
        k = xp.where(small, k, big)
    else:
        src.skip(1)  # _poisson_ptrs: one loop
    return to_counts(xp, xp.where(infinite, math.inf, k), dtype)


# --- binomial -----------------------------------------------------------------
def _binomial_inversion(src, shape, fdtype, n, q, active):
    """Sequential search of the cdf from 0, for n q < 10 (q <= 1/2: q**n does not underflow)."""
    xp = src.xp
    u = src.random(shape, fdtype)
    r = q / (1 - q)
    p0 = xp.exp(n * xp.log1p(-q))

    def body(s, state):
        k, pk, cdf, go = state
        pk = xp.where(go, pk * r * (n - k) / (k + 1), pk)
        k = xp.where(go, k + 1, k)
        new_cdf = cdf + xp.where(go, pk, 0.0)
        go = go & (u >= new_cdf) & (new_cdf > cdf) & (k < n)
        return k, pk, new_cdf, go

    state = (xp.zeros(shape, dtype=fdtype, device=src.device), p0, p0,
             active & (u >= p0) & (n > 0))
    k, _, _, _ = src.while_loop(lambda st: xp.any(st[3]), body, state)
    return k


def _log_binomial_ratio(src, k, m, n, q):
    """``log(f(k) / f(m))`` of Binomial(n, q), for 0 <= k, m <= n, 0 < q < 1.

    The n log n sized parts of the four log-factorials cancel exactly (see
    the module docstring); what is left are log1p's of relative differences.
    """
    xp = src.xp
    d = m - k
    t = _stirling_tail(src, xp.stack(xp.broadcast_arrays(m + 1, k + 1, n - m + 1, n - k + 1)))
    tails = t[0, ...] - t[1, ...] + t[2, ...] - t[3, ...]
    return ((m + 0.5) * xp.log1p(d / (k + 1))
            + (n - m + 0.5) * xp.log1p(-d / (n - k + 1))
            + d * xp.log1p((k + 1 - (n + 2) * q) / ((n - k + 1) * q))
            + tails)


def _binomial_btrs(src, shape, fdtype, n, q, active):
    """Hormann's transformed rejection with squeeze (BTRS, 1993), for n q >= 10, q <= 1/2."""
    xp = src.xp
    spq = xp.sqrt(n * q * (1 - q))
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * q
    c = n * q + 0.5
    vr = 0.92 - 4.2 / b
    alpha = (2.83 + 5.1 / b) * spq
    m = xp.floor((n + 1) * q)

    def propose(s):
        u = s.random(shape, fdtype) - 0.5
        v = s.random(shape, fdtype)
        us = 0.5 - xp.abs(u)
        k = xp.floor((2 * a / us + b) * u + c)
        valid = (k >= 0) & (k <= n)
        k = xp.where(valid, k, m)
        squeeze = (us >= 0.07) & (v <= vr)
        lhs = xp.log(v * alpha / (a / (us * us) + b))
        return k, valid & (squeeze | (lhs <= _log_binomial_ratio(src, k, m, n, q)))

    return _rejection(src, propose, ~active, n)


def binomial(src, shape, dtype, n, p):
    """Binomial counts: inversion for n min(p, 1-p) < 10, BTRS above; p > 1/2 by symmetry."""
    xp = src.xp
    fdtype = _real_dtype(src, p)
    given = n
    n = _full(src, n, shape, fdtype)
    p = _full(src, p, shape, fdtype)
    flip = p > 0.5
    q = xp.where(flip, 1 - p, p)
    small, only = _method_mask(src, n * q < 10)
    k = xp.zeros(shape, dtype=fdtype, device=src.device)
    if only is not False:
        k = _binomial_inversion(src, shape, fdtype, xp.where(small, n, 0.0), q, small)
    else:
        src.skip(2)  # _binomial_inversion: one uniform, one loop (see poisson)
    if only is not True:
        big = _binomial_btrs(src, shape, fdtype, xp.where(small, 40.0, n),
                             xp.where(small, 0.5, q), ~small)
        k = xp.where(small, k, big)
    else:
        src.skip(1)  # _binomial_btrs: one loop
    return _at_most(src, to_counts(xp, xp.where(flip, n - k, k), dtype), given)


def _at_most(src, counts, n):
    """``counts`` clipped to an integer ``n``, in the counts' integer dtype.

    An ``n`` beyond 2**24 is rounded in float32 (2**31 - 1 up to 2**31), and so
    is ``n - k``: the clip keeps every count in the support (multinomial's last
    category would get a negative remainder).
    """
    xp = src.xp
    top = int(xp.iinfo(counts.dtype).max)
    if type(n) is int:
        return counts if n >= top else xp.minimum(counts, xp.asarray(n, dtype=counts.dtype,
                                                                      device=src.device))
    if is_traced(n) or not hasattr(n, "dtype") or not xp.isdtype(n.dtype, "integral"):
        return counts
    return xp.minimum(counts, xp.astype(xp.clip(n, max=top), counts.dtype))


# --- geometric, negative binomial, logseries, zipf -------------------------------
def geometric(src, shape, dtype, p):
    """Trials up to the first success: ``ceil(E / -log1p(-p))``, E standard exponential.

    P(X > k) = P(E > -k log(1 - p)) = (1 - p)**k exactly; p = 1 gives 1.
    """
    xp = src.xp
    fdtype = _real_dtype(src, p)
    p = _full(src, p, shape, fdtype)
    e = src.standard_exponential(shape, fdtype)
    rate = xp.where(p < 1, -xp.log1p(-xp.where(p < 1, p, 0.0)), math.inf)
    x = xp.maximum(xp.ceil(e / rate), 1.0)
    return to_counts(xp, x, dtype)


def negative_binomial(src, shape, dtype, n, p):
    """As NumPy: Poisson(Gamma(n) (1 - p) / p), a gamma mixture of Poissons."""
    xp = src.xp
    fdtype = _real_dtype(src, n, p)
    n = _full(src, n, shape, fdtype)
    p = _full(src, p, shape, fdtype)
    g = src.standard_gamma(shape, fdtype, n)
    # a zero gamma is a zero mean even where (1 - p) / p overflows (tiny float32 p)
    lam = xp.where(g == 0, 0.0, g * ((1 - p) / p))
    # the facade keeps n (1-p)/p well inside the bound; only a gamma draw far in
    # its tail could pass it, and there the count saturates anyway
    lam = xp.minimum(lam, float_at_most(xp, int(lam_max(xp, dtype)), fdtype))
    return src.poisson(shape, dtype, lam)


def logseries(src, shape, dtype, p):
    """Kemp's second accelerated generator (LK), as NumPy's ``random_logseries``.

    ``log q`` is taken as ``log1p(-exp(r U))``, accurate where q is close to 1.
    """
    xp = src.xp
    fdtype = _real_dtype(src, p)
    p = _full(src, p, shape, fdtype)
    r = xp.log1p(-p)

    def propose(s):
        v = s.random(shape, fdtype)
        u = s.random(shape, fdtype)
        q = -xp.expm1(r * u)
        e = xp.exp(r * u)
        # q == 0 (u == 0 or p == 0) never takes the log branch below
        log_q = xp.log1p(-xp.where(e < 1, e, 0.5))
        long = v <= q * q
        many = xp.floor(1 + xp.log(v) / log_q)
        redo = long & ((many < 1) | (v == 0))     # NumPy draws again in these cases
        value = xp.where(long, xp.where(redo, 1.0, many), 2.0 - xp.astype(v >= q, fdtype))
        one = v >= p
        return xp.where(one, 1.0, value), one | ~redo

    x = _rejection(src, propose, xp.zeros(shape, dtype=xp.bool, device=src.device), p)
    return to_counts(xp, x, dtype)


def zipf(src, shape, dtype, a):
    """NumPy's rejection sampler, truncated to the values ``dtype`` holds.

    NumPy's Zipf is truncated to int64 by rejecting larger values; here the
    bound is the output type's maximum. ``T - 1`` and ``b - 1`` are computed
    with ``expm1``, exact for ``a`` close to 1.
    """
    return _zipf(src, shape, dtype, a, 1)


def zipf_tail(src, shape, dtype, a, least: int):
    """:func:`zipf`'s law conditioned on values ``>= least`` (an int > 1).

    For a backend that tabulates the head of the law and draws the rare
    tail here (TorchSource): the same proposals, their uniform confined to
    the part that maps to ``least - 1/2`` and beyond, and the same pointwise
    acceptance test, with the values below ``least`` rejected. Only for an
    ``a`` below :func:`zipf`'s always-1 bound, where every value is 1.
    """
    return _zipf(src, shape, dtype, a, least)


def _zipf(src, shape, dtype, a, least):
    xp = src.xp
    fdtype = _real_dtype(src, a)
    a = _full(src, a, shape, fdtype)
    top = float_at_most(xp, int(xp.iinfo(dtype).max), fdtype)
    # beyond this, 2**(a-1) overflows and P(X > 1) < 2**-(a-1) is below resolution
    one = a >= (1025.0 if fdtype == getattr(xp, "float64", None) else 128.0)
    # a float64 a just above 1 can round to 1 in float32, where a - 1 = 0 would make every
    # proposal NaN and the loop endless: the float32 limit is the nearest float above 1
    eps = float(xp.finfo(fdtype).eps)
    am1 = xp.where(one, 1.0, xp.where(a - 1 > 0, a - 1, eps))
    u_min = xp.exp(-am1 * math.log(top))
    log_b = am1 * math.log(2.0)
    b, bm1 = xp.exp(log_b), xp.expm1(log_b)
    # the tail: u up to (least - 1/2)**-(a-1), so that every u of value least
    # (from (least + 1)**-(a-1) up to least**-(a-1)) is proposed, and some of
    # least - 1, rejected as invalid
    u_max = 1.0 if least == 1 else xp.exp(-am1 * math.log(least - 0.5))

    def propose(s):
        u01 = s.random(shape, fdtype)
        v = s.random(shape, fdtype)
        u = u01 * u_min + (1 - u01) if least == 1 else u01 * u_min + (1 - u01) * u_max
        x = xp.floor(xp.exp(-xp.log(u) / am1))
        valid = (x >= least) & (x <= top)
        x = xp.where(valid, x, 1.0)
        t_log = am1 * xp.log1p(1 / x)
        ok = valid & (v * x * xp.expm1(t_log) / bm1 <= xp.exp(t_log) / b)
        return x, ok

    x = _rejection(src, propose, one, a)
    return to_counts(xp, xp.where(one, 1.0, x), dtype)


# --- hypergeometric --------------------------------------------------------------
_D1 = 2 * math.sqrt(2 / math.e)       # HRUA's hat constants (Stadlober 1989)
_D2 = 3 - 2 * math.sqrt(3 / math.e)


def _log_hyper_ratio(src, k, m, mg, big, cs, total):
    """``log(f(k) / f(m))`` for the hypergeometric counts of HRUA, cancellation-free.

    f(k) ~ 1 / (k! (mg-k)! (cs-k)! (big-cs+k)!). Each pair of log-factorials
    is Stirling's form; their linear parts cancel exactly and their log parts
    combine into one ``log1p`` whose numerator is ``(k+1)(total+4) -
    (mg+2)(cs+2)``.
    """
    xp = src.xp
    d = m - k
    pairs = ((m, k), (mg - m, mg - k), (cs - m, cs - k), (big - cs + m, big - cs + k))
    out = 0.0
    for hi, lo in pairs:
        out = out + (hi + 0.5) * xp.log1p((hi - lo) / (lo + 1))
    # the eight Stirling tails in one call: a smaller program to compile
    args = xp.broadcast_arrays(*[x + 1 for pair in pairs for x in pair])
    tails = _stirling_tail(src, xp.stack(args))
    out = out + xp.sum(tails[0::2, ...], axis=0) - xp.sum(tails[1::2, ...], axis=0)
    cross = ((k + 1) * (total + 4) - (mg + 2) * (cs + 2)) / ((mg - k + 1) * (cs - k + 1))
    # the (hi - lo) log(lo + 1) parts of the four pairs sum to d log1p(cross), and
    # their -(hi - lo) parts to zero
    return out + d * xp.log1p(cross)


def _hyper_hrua(src, shape, fdtype, good, bad, sample, active):
    """Stadlober's ratio-of-uniforms HRUA, as NumPy's, for 10 <= sample <= total - 10."""
    xp = src.xp
    total = good + bad
    cs = xp.minimum(sample, total - sample)
    mg = xp.minimum(good, bad)
    big = xp.maximum(good, bad)
    p = mg / total
    q = big / total
    a = cs * p + 0.5
    var = (total - cs) * cs * p * q / (total - 1)
    c = xp.sqrt(var + 0.5)
    h = _D1 * c + _D2
    m = xp.floor((cs + 1) * (mg + 1) / (total + 2))
    bound = xp.minimum(xp.minimum(cs, mg) + 1, xp.floor(a + 16 * c))

    def propose(s):
        u = 1 - s.random(shape, fdtype)     # in (0, 1]: the ratio and log(u) stay finite
        v = s.random(shape, fdtype)
        x = a + h * (v - 0.5) / u
        valid = (x >= 0) & (x < bound)
        k = xp.floor(xp.where(valid, x, 0.0))
        t = _log_hyper_ratio(src, k, m, mg, big, cs, total)
        # NumPy's squeezes, then the exact test 2 log U <= T
        ok = valid & ((u * (4 - u) - 3 <= t) | (~(u * (u - t) >= 1) & (2 * xp.log(u) <= t)))
        return k, ok

    k = _rejection(src, propose, ~active, total)
    k = xp.where(good > bad, cs - k, k)
    return xp.where(cs < sample, good - k, k)


def _hyper_sequential(src, shape, fdtype, good, bad, sample, active):
    """Draw the smaller of sample and its complement item by item (at most 9 items here)."""
    xp = src.xp
    total = good + bad
    flip = sample > total - sample
    items = xp.where(active, xp.where(flip, total - sample, sample), 0.0)

    def body(s, state):
        i, taken = state
        u = s.random(shape, fdtype)
        pick = (i < items) & (u * (total - i) < good - taken)
        return i + 1, taken + xp.astype(pick, fdtype)

    start = (xp.asarray(0.0, dtype=fdtype, device=src.device),
             xp.zeros(shape, dtype=fdtype, device=src.device))
    _, taken = src.while_loop(lambda st: xp.any(st[0] < items), body, start)
    return xp.where(flip, good - taken, taken)


def hypergeometric(src, shape, dtype, ngood, nbad, nsample):
    """As NumPy: HRUA where 10 <= nsample <= total - 10, item-by-item draws otherwise."""
    xp = src.xp
    fdtype = _real_dtype(src)
    good = _full(src, ngood, shape, fdtype)
    bad = _full(src, nbad, shape, fdtype)
    sample = _full(src, nsample, shape, fdtype)
    hrua, only = _method_mask(src, (sample >= 10) & (sample <= good + bad - 10))
    k = xp.zeros(shape, dtype=fdtype, device=src.device)
    if only is not True:
        k = _hyper_sequential(src, shape, fdtype, good, bad, sample, ~hrua)
    else:
        src.skip(1)  # _hyper_sequential: one loop (see poisson)
    if only is not False:
        safe = (lambda x: xp.where(hrua, x, 10.0))
        big = _hyper_hrua(src, shape, fdtype, safe(good), safe(bad), safe(sample), hrua)
        k = xp.where(hrua, big, k)
    else:
        src.skip(1)  # _hyper_hrua: one loop
    return to_counts(xp, k, dtype)
