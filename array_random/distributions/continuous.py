"""Continuous samplers (see the package docstring for the sampler convention).

Everything here is built on four primitives: ``random``, ``standard_normal``,
``standard_exponential`` and ``standard_gamma`` (itself generic below, and
overridden where a backend has an exact native one); ``log_gamma_parts``, the
randomness of the log-space gamma samplers, is one more a backend may draw
its own way (torch: in one kernel). The formulas are chosen
to stay exact in float32: no cancellation where a closed form avoids it, no
draw that turns into ``inf`` or ``nan`` because a uniform happened to be 0,
and small gamma shapes handled in log space so that beta, f, t and dirichlet
do not divide 0 by 0.
"""
from __future__ import annotations

import math

from .discrete import lam_max

__all__ = ["standard_gamma", "log_standard_gamma", "log_gamma_parts", "gamma", "beta",
           "chisquare", "f", "standard_t", "noncentral_chisquare", "noncentral_f", "dirichlet",
           "gumbel", "laplace", "logistic", "lognormal", "pareto", "power", "rayleigh",
           "weibull", "standard_cauchy", "triangular", "vonmises", "wald"]

_HALF_PI = math.pi / 2
# above this kappa the von Mises spread (< 1e-15) is below float resolution
# around any angle but 0, and 4 * kappa**2 would overflow float32 in between
_KAPPA_MAX = 1e30
# NumPy's vonmises is the uniform on (-pi, pi) below this kappa, ignoring mu
_KAPPA_UNIFORM = 1e-8


def _arr(src, x, dtype):
    """A parameter as an array of ``dtype`` on the source's device."""
    xp = src.xp
    if isinstance(x, (int, float)):
        return xp.asarray(x, dtype=dtype, device=src.device)
    return x if x.dtype == dtype else xp.astype(x, dtype)


def _full(src, x, shape, dtype):
    return src.xp.broadcast_to(_arr(src, x, dtype), shape)


def _positive_exponential(src, shape, dtype):
    """Standard exponentials with exact zeros redrawn, for samplers that take their log.

    A 0 is a rounding artefact of the uniform (probability 2**-23 or so per
    draw, not 0 as in the real distribution); redrawing it removes an atom
    that ``log`` would map to infinity.
    """
    xp = src.xp
    e = src.standard_exponential(shape, dtype)

    def body(s, e):
        return xp.where(e == 0, s.standard_exponential(shape, dtype), e)

    return src.while_loop(lambda e: xp.any(e == 0), body, e)


def _rejection_loop(src, propose, like):
    """Masked vectorised rejection: redraw, over the whole array, until every element is accepted.

    ``propose(s) -> (values, accepted)``. The loop starts from "nothing
    accepted", so ``propose`` is traced once under JAX and the first pass
    costs the same as an initial proposal would.
    """
    xp = src.xp

    def body(s, state):
        value, ok = state
        fresh, fresh_ok = propose(s)
        return xp.where(ok, value, fresh), ok | fresh_ok

    start = (xp.zeros_like(like), xp.zeros_like(like, dtype=xp.bool))
    return src.while_loop(lambda st: ~xp.all(st[1]), body, start)


# --- gamma family -------------------------------------------------------------
def _log_mt_ratio(xp, x, y, d):
    """log of Marsaglia-Tsang's acceptance ratio, ``x**2/2 + d*(1 - v + log v)``, v = (1+y)**3.

    The two halves cancel to O(x**3 / sqrt(d)); written as is, float32 loses
    the result entirely for large shapes. For small ``y`` the series
    ``3 d sum_{k>=4} (-1)**(k+1) y**k / k`` (exact because d * c**2 = 1/9) is
    used; elsewhere the closed form with ``log1p``.
    """
    series = d * (y * y) * (y * y) * (-0.75 + y * (0.6 + y * (-0.5 + y * (3 / 7 + y * (
        -0.375 + y / 3)))))
    ys = xp.where(y > -1, y, 0.0)
    closed = 0.5 * x * x + d * (3 * xp.log1p(ys) - ys * (3 + ys * (3 + ys)))
    return xp.where(xp.abs(y) < 0.05, series, closed)


def _marsaglia_tsang(src, shape, dtype, a):
    """Gamma(a) for a >= 1 by Marsaglia-Tsang, as a masked rejection loop over the array."""
    xp = src.xp
    d = a - 1 / 3
    c = 1 / xp.sqrt(9 * d)
    # infinite (or, traced under jit, NaN) shapes would never be accepted
    always = ~(d < math.inf)

    def propose(s):
        x = s.standard_normal(shape, dtype)
        u = s.random(shape, dtype)
        y = c * x
        # 1 - u is uniform on (0, 1]: its log is finite
        ok = (y > -1) & (xp.log1p(-u) < _log_mt_ratio(xp, x, y, d))
        w = 1 + y
        return d * (w * w * w), ok | always

    g, _ = _rejection_loop(src, propose, a)
    return g


def boost_log(src, shape, dtype, a):
    """``log U**(1/a)`` for the shapes a < 1 (0 elsewhere): Gamma(a) = Gamma(a + 1) U**(1/a).

    In log space, so that tiny shapes give tiny (or, below the float range,
    zero) values exactly as often as the real distribution does. ``a == 0``
    gives ``-inf`` (NumPy's gamma(0) is 0).
    """
    return _boost(src.xp, a, src.standard_exponential(shape, dtype))


def _boost(xp, a, e):
    """:func:`boost_log` from its standard exponential ``e`` (``log U = -e``)."""
    positive = a > 0
    log_u = -e / xp.where(positive, a, 1.0)
    return xp.where(a < 1, xp.where(positive, log_u, -math.inf), 0.0)


def standard_gamma(src, shape, dtype, a):
    """Marsaglia-Tsang on max(a, a + 1), boosted in log space for a < 1."""
    xp = src.xp
    a = _full(src, a, shape, dtype)
    g = _marsaglia_tsang(src, shape, dtype, xp.where(a < 1, a + 1, a))
    boost = boost_log(src, shape, dtype, a)
    return xp.where(a < 1, xp.exp(xp.log(g) + boost), g)


def log_standard_gamma(src, shape, dtype, a):
    """log of Gamma(a) variates, finite where Gamma(a) itself underflows (a > 0).

    Ratios of gammas (beta, f, t, dirichlet) are taken in log space, so tiny
    shapes give no 0 / 0.
    """
    a = _full(src, a, shape, dtype)
    log_g, e = src.log_gamma_parts(shape, dtype, a)
    return log_g + _boost(src.xp, a, e)


def log_gamma_parts(src, shape, dtype, a):
    """``(log Gamma(max(a, a + 1)), E)``: log Gamma(a) is the first plus ``_boost(a, E)``.

    ``a`` is an array of ``shape``; ``E`` a standard exponential. All the
    randomness of the log-space gamma samplers (beta, f, dirichlet, t): a
    backend that can draw both in one call overrides this.
    """
    xp = src.xp
    at_least_one = xp.where(a < 1, a + 1, a)
    if getattr(type(src), "standard_gamma") is standard_gamma:  # no native gamma
        g = _marsaglia_tsang(src, shape, dtype, at_least_one)
    else:
        g = src.standard_gamma(shape, dtype, at_least_one)
    return xp.log(g), src.standard_exponential(shape, dtype)


def gamma(src, shape, dtype, a, scale):
    return src.standard_gamma(shape, dtype, a) * scale


def _two_log_gammas(src, shape, dtype, a, b):
    """``(log X, log Y, log(X / Y))`` for X ~ Gamma(a), Y ~ Gamma(b): one rejection loop, not two.

    For shapes so small that ``E / a`` overflows (a, b below ~1e-307 in
    float64, ~1e-37 in float32) both logs are ``-inf`` and their difference
    NaN; its sign is still known, ``E_b / b - E_a / a`` scaled by the larger
    shape, and the ratio is 0 or inf: beta's limit is 0 or 1, as the real
    distribution's (NumPy returns NaN or 0 there).
    """
    xp = src.xp
    both = xp.stack([_full(src, a, shape, dtype), _full(src, b, shape, dtype)])
    log_g, e = src.log_gamma_parts((2,) + tuple(shape), dtype, both)
    boost = _boost(xp, both, e)
    lx, ly = log_g[0, ...] + boost[0, ...], log_g[1, ...] + boost[1, ...]
    t = lx - ly
    a, b = both[0, ...], both[1, ...]
    both_underflow = (lx == -math.inf) & (ly == -math.inf) & (a > 0) & (b > 0)
    s = xp.where(both_underflow, xp.maximum(a, b), 1.0)
    sign = e[1, ...] / (b / s) - e[0, ...] / (a / s)
    inf = xp.full_like(t, math.inf)
    return lx, ly, xp.where(both_underflow, xp.where(sign >= 0, inf, -inf), t)


def beta(src, shape, dtype, a, b):
    """X / (X + Y) for gammas X, Y, as the logistic function of log X - log Y."""
    xp = src.xp
    *_, t = _two_log_gammas(src, shape, dtype, a, b)
    e = xp.exp(-xp.abs(t))  # never overflows; e / (1 + e) is the smaller of x and 1 - x
    near_one = 1 / (1 + e)
    return xp.where(t >= 0, near_one, e * near_one)


def chisquare(src, shape, dtype, df):
    return 2 * src.standard_gamma(shape, dtype, _arr(src, df, dtype) / 2)


def f(src, shape, dtype, dfnum, dfden):
    """(chi2(dfnum) / dfnum) / (chi2(dfden) / dfden), as one exp of a log-gamma difference."""
    xp = src.xp
    dfnum, dfden = _arr(src, dfnum, dtype), _arr(src, dfden, dtype)
    *_, t = _two_log_gammas(src, shape, dtype, dfnum / 2, dfden / 2)
    return xp.exp(t + xp.log(dfden) - xp.log(dfnum))


def standard_t(src, shape, dtype, df):
    """Z / sqrt(chi2(df) / df), the root taken in log space (tiny df: huge, not inf/nan)."""
    xp = src.xp
    half = _arr(src, df, dtype) / 2
    z = src.standard_normal(shape, dtype)
    t = z * xp.exp(0.5 * (xp.log(half) - src.log_standard_gamma(shape, dtype, half)))
    # a df that the dtype rounds to inf (1e300 in float32): the limit, a normal
    return xp.where(half == math.inf, z, t)


def _count_dtype(src):
    info = src.xp.__array_namespace_info__()
    try:
        return info.default_dtypes(device=src.device)["integral"]
    except Exception:  # JAX's info takes no sharding: its default integer is device-independent
        return info.default_dtypes()["integral"]


def _noncentral_parts(src, shape, dtype, df, nonc):
    """``(h, w)`` with noncentral chi2(df, nonc) = 2 Gamma(h) + w, as NumPy samples it.

    df > 1: h = (df - 1) / 2 and w = (Z + sqrt(nonc))**2; df <= 1: the Poisson
    mixture h = df / 2 + Poisson(nonc / 2), w = 0. Both branches in one pass:
    the Poisson mean is 0 where df > 1, the normal term is dropped where df <= 1.
    A Poisson mean beyond what the count dtype holds (NumPy's lam bound: 9.2e18
    for int64, 2.1e9 for int32) is drawn as its normal limit ``lam + sqrt(lam) Z``
    from the same Z, unused there (total variation from the Poisson ~ 1/sqrt(lam)):
    nonc = 1e300 is about 1e300, not the garbage of an overflowing count.
    """
    xp = src.xp
    df, nonc = _full(src, df, shape, dtype), _full(src, nonc, shape, dtype)
    big = df > 1
    count_dtype = _count_dtype(src)
    lam = xp.where(big, 0.0, nonc / 2)
    huge = lam > lam_max(xp, count_dtype)
    counts = src.poisson(shape, count_dtype, xp.where(huge, 0.0, lam))
    z = src.standard_normal(shape, dtype)
    # (an infinite mean, a float32 cast of 1e300, stays infinite: no inf - inf)
    limit = xp.where(lam < math.inf, xp.floor(lam + xp.sqrt(lam) * z + 0.5), lam)
    half = xp.where(big, (df - 1) / 2,
                    df / 2 + xp.where(huge, limit, xp.astype(counts, dtype)))
    z = z + xp.sqrt(nonc)
    return half, xp.where(big, z * z, 0.0)


def noncentral_chisquare(src, shape, dtype, df, nonc):
    half, extra = _noncentral_parts(src, shape, dtype, df, nonc)
    return 2 * src.standard_gamma(shape, dtype, half) + extra


def noncentral_f(src, shape, dtype, dfnum, dfden, nonc):
    """(ncchi2(dfnum, nonc) / dfnum) / (chi2(dfden) / dfden); both gammas in one loop."""
    xp = src.xp
    dfnum, dfden = _arr(src, dfnum, dtype), _arr(src, dfden, dtype)
    half, extra = _noncentral_parts(src, shape, dtype, dfnum, nonc)
    lx, ly, _ = _two_log_gammas(src, shape, dtype, half, dfden / 2)
    num = (2 * xp.exp(lx) + extra) / dfnum
    # dfden / chi2(dfden) = (dfden / 2) / Gamma(dfden / 2), in log space
    return num * xp.exp(xp.log(dfden / 2) - ly)


def dirichlet(src, shape, dtype, alpha):
    """Normalised gammas along the last axis, in log space (tiny alphas give no 0 / 0).

    All-zero ``alpha`` gives zeros, as in NumPy.
    """
    xp = src.xp
    if shape[-1] == 0:
        return src.random(shape, dtype)  # empty: nothing is drawn
    lg = src.log_standard_gamma(shape, dtype, alpha)
    top = _fold_last(xp, xp.maximum, lg)
    w = xp.exp(lg - xp.where(xp.isfinite(top), top, 0.0))
    # an alpha that the dtype rounds to inf (1e300 in float32) has an infinite
    # gamma: the limit is the corner, all weight on the infinite components
    w = xp.where(top == math.inf, xp.astype(lg == math.inf, w.dtype), w)
    total = _fold_last(xp, xp.add, w)
    return w / xp.where(total > 0, total, 1.0)


def _fold_last(xp, op, x):
    """``op`` over the last axis (kept, length 1) in a fixed pairwise order, by elementwise ops.

    Not ``xp.sum``/``xp.max``: a library sums in its own order (NumPy
    pairwise from 8 terms, others by SIMD lanes), and XLA compiles a reduction
    fused with the ``exp`` before it differently once the draw is sharded
    (1 ulp in 16% of a sharded JAX dirichlet's values, measured). Halving the
    axis with elementwise ops gives every backend, sharded or not, the same
    roundings, in log2(k) steps.
    """
    while x.shape[-1] > 1:
        k = x.shape[-1]
        h = k // 2
        head = op(x[..., :h], x[..., h:2 * h])
        x = xp.concat([head, x[..., 2 * h:]], axis=-1) if k % 2 else head
    return x


# --- by inversion of the cdf ---------------------------------------------------
def gumbel(src, shape, dtype, loc, scale):
    return loc - scale * src.xp.log(_positive_exponential(src, shape, dtype))


def laplace(src, shape, dtype, loc, scale):
    """A random sign on an exponential: both tails as fine as the exponential's."""
    e = src.standard_exponential(shape, dtype)
    return loc + scale * src.xp.where(src.random(shape, dtype) < 0.5, -e, e)


def logistic(src, shape, dtype, loc, scale):
    """log(U / (1 - U)) with 1 - U = exp(-E): ``E + log(-expm1(-E))``, exact in both tails."""
    xp = src.xp
    e = _positive_exponential(src, shape, dtype)
    return loc + scale * (e + xp.log(-xp.expm1(-e)))


def lognormal(src, shape, dtype, mean, sigma):
    return src.xp.exp(mean + sigma * src.standard_normal(shape, dtype))


def pareto(src, shape, dtype, a):
    """NumPy's Pareto II (Lomax): ``expm1(E / a)``, no ``exp(.) - 1`` cancellation near 0."""
    return src.xp.expm1(src.standard_exponential(shape, dtype) / a)


def power(src, shape, dtype, a):
    xp = src.xp
    # the exponent at full shape: NumPy's pow takes value-dependent shortcuts
    # (sqrt for 0.5, ...) for an exponent that is one element, so a block
    # whose exponents are all one value would round differently from the draw
    a = _full(src, a, shape, dtype)
    return xp.pow(-xp.expm1(-src.standard_exponential(shape, dtype)), 1 / a)


def rayleigh(src, shape, dtype, scale):
    return scale * src.xp.sqrt(2 * src.standard_exponential(shape, dtype))


def weibull(src, shape, dtype, a):
    xp = src.xp
    a = _full(src, a, shape, dtype)
    e = src.standard_exponential(shape, dtype)
    return xp.where(a == 0, 0.0, xp.pow(e, 1 / xp.where(a == 0, 1.0, a)))


def standard_cauchy(src, shape, dtype):
    """A random sign on tan(pi U / 2), the tangent as sin(pi U / 2) / sin(pi (1 - U) / 2).

    1 - U is exact, so the upper tail is as fine as the uniform and nothing
    is infinite; ``normal / normal`` would give inf or nan when the divisor
    rounds to 0.
    """
    xp = src.xp
    u = src.random(shape, dtype)
    t = xp.sin(_HALF_PI * u) / xp.sin(_HALF_PI * (1 - u))
    return xp.where(src.random(shape, dtype) < 0.5, -t, t)


def triangular(src, shape, dtype, left, mode, right):
    """NumPy's inversion: the left or right square-root branch of the cdf."""
    xp = src.xp
    left, mode, right = (_arr(src, p, dtype) for p in (left, mode, right))
    base = right - left
    u = src.random(shape, dtype)
    low = left + xp.sqrt(u * ((mode - left) * base))
    high = right - xp.sqrt((1 - u) * ((right - mode) * base))
    return xp.where(u <= (mode - left) / base, low, high)


# --- rejection and transformation ----------------------------------------------
def vonmises(src, shape, dtype, mu, kappa):
    """Best-Fisher rejection, rewritten without cancellation.

    With rho = 2k / (r + sqrt(2r)), r = 1 + sqrt(1 + 4k**2), Best and
    Fisher's ``W = (1 + s Z) / (s + Z)``, ``Z = cos(pi U)`` becomes the angle
    ``theta = acos(W) = 2 atan(q tan(pi U / 2))``, q = (1 - rho) / (1 + rho),
    and their ``Y = kappa (s - W)`` becomes
    ``(r + sqrt(2r))/4 (1 - rho**2)**2 / D``, ``D = (1 - rho)**2 + 4 rho sin(pi (1 - U) / 2)**2``
    (1 - rho is computed without cancellation as well). Every term is
    accurate from kappa = 0 (the uniform, accepted at once) to kappa = 1e30,
    in float32 too; NumPy's switch to a normal approximation above kappa = 1e6
    is not needed.
    """
    k = _full(src, kappa, shape, dtype)
    hat = vonmises_hat(src.xp, k)
    theta = vonmises_angles(src, shape, dtype, hat, k)
    return vonmises_turn(src.xp, hat, theta, mu, src.random(shape, dtype))


def vonmises_hat(xp, k):
    """The constants of :func:`vonmises`'s proposals for the concentration array ``k``."""
    infinite = k == math.inf
    k = xp.where(k > _KAPPA_MAX, _KAPPA_MAX, k)  # NaN (traced under jit) stays NaN
    hyp = xp.hypot(xp.ones_like(k), 2 * k)
    r = 1 + hyp
    sr = xp.sqrt(2 * r)
    rho = 2 * k / (r + sr)
    one_m_rho = (1 + 1 / (hyp + 2 * k) + sr) / (r + sr)
    q = one_m_rho / (1 + rho)
    y_scale = (r + sr) / 4 * (one_m_rho * (1 + rho)) ** 2
    always = k != k  # a NaN kappa would never be accepted: give NaN, do not loop forever
    return k, infinite, rho, one_m_rho, q, y_scale, always


def vonmises_proposal(xp, hat, u, v):
    """``(theta, accepted)`` of the proposals made of uniforms ``u`` and ``v`` (any shape
    that broadcasts with the hat's; or Python floats, ``backends/_floats.py`` as ``xp``)."""
    _, _, rho, one_m_rho, q, y_scale, always = hat
    lower = xp.sin(_HALF_PI * (1 - u))
    big_d = one_m_rho * one_m_rho + 4 * rho * (lower * lower)
    y = y_scale / big_d
    # atan2, not atan of the ratio: XLA:CPU's vectorised and scalar atan
    # differ by 1 ulp, and a sharded draw runs a shard's last elements
    # through the scalar one (measured: 0.15% of values differed)
    theta = 2 * xp.atan2(q * xp.sin(_HALF_PI * u), lower)
    return theta, (xp.log1p(-v) <= xp.log(y) + (1 - y)) | always


def vonmises_angles(src, shape, dtype, hat, like):
    """The accepted angles theta in [0, pi] of ``shape``: the masked rejection loop
    (``like``: an array of that shape and dtype, where the loop's state is made)."""
    xp = src.xp
    return _rejection_loop(
        src, lambda s: vonmises_proposal(xp, hat, s.random(shape, dtype), s.random(shape, dtype)),
        like)[0]


def vonmises_turn(xp, hat, theta, mu, w):
    """The angle ``mu`` +- ``theta`` in [-pi, pi], the sign from the uniforms ``w`` (arrays,
    or Python floats with ``backends/_floats.py`` as ``xp``)."""
    k, infinite = hat[0], hat[1]
    theta = xp.where(infinite, 0.0, theta)
    turn = xp.where(w < 0.5, -theta, theta)
    angle = mu + turn
    # wrap only what left [-pi, pi]: adding pi to a small angle would round it away
    wrapped = xp.remainder(angle + math.pi, 2 * math.pi) - math.pi
    out = xp.where(xp.abs(angle) > math.pi, wrapped, angle)
    # below kappa = 1e-8 NumPy draws the uniform whatever mu is: an infinite mu too
    # (logical_and/not rather than & and ~: the same on arrays, and right on the
    # Python bools of backends/_floats.py, where ~True is -2)
    return xp.where(xp.logical_and(k < _KAPPA_UNIFORM, xp.logical_not(xp.isfinite(angle))),
                    turn, out)


def wald(src, shape, dtype, mean, scale):
    """Michael-Schucany-Haas.

    NumPy's root ``mean + mean/(2 scale) (Y - sqrt(4 scale Y + Y**2))``, Y = mean Z**2, is
    written as ``mean / m``, ``m = (sqrt(v) + sqrt(1 + v))**2``, v = mean Z**2 / (4 scale):
    the subtraction cancels catastrophically for large Y, this form never does.
    The other root is ``mean * m``, taken with probability 1 / (1 + m).
    """
    xp = src.xp
    z = src.standard_normal(shape, dtype)
    u = src.random(shape, dtype)
    v = mean * (z * z) / (4 * scale)
    m = xp.sqrt(v) + xp.sqrt(1 + v)
    m = m * m
    return xp.where(u * (m + 1) <= m, mean / m, mean * m)
