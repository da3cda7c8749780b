"""Discrete distributions: the doors of the integer samplers."""
from __future__ import annotations

import functools
import math
import numbers

from .. import _validate as v
from ..distributions.discrete import lam_max
from ._quick import quick


# facts of the default dtype that the quick paths' tests use (_quick.quick's consts)
def _lowest(gen, dtype):
    return gen._int_range(dtype)[0]


def _highest(gen, dtype):
    return gen._int_range(dtype)[1]


def _highest_plus_1(gen, dtype):
    return gen._int_range(dtype)[1] + 1


def _lam_top(gen, dtype):
    return gen._per_dtype(lam_max, dtype)


def _p_min(gen, dtype):
    return gen._per_dtype(_geometric_floor, dtype)[0]


def _logseries_p_safe(gen, dtype):
    """A logseries ``p`` up to which the overflow check passes, with room to spare.

    The tail bound grows with ``p``; below where it is 1/16 of what the check
    allows, its rounding cannot make it fail, so the quick path's usual ``p``
    skips the bound's six logarithms (a good part of a small draw) and only
    a ``p`` beyond it is computed as the door computes it.
    """
    top = gen._int_range(dtype)[1]
    lo, hi = 0.0, 1.0  # tail(lo) is small enough, hi is 1 (excluded)
    for _ in range(200):  # bisection on the floats between
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if _logseries_tail(mid, top) <= _OVERFLOW_CHANCE / 16:
            lo = mid
        else:
            hi = mid
    return lo

_BITS = {"int8": 8, "int16": 16, "int32": 32, "int64": 64,
         "uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64}


class DiscreteMethods:
    @quick("integers", kind="integral", counts="low", fixed={"endpoint": False},
           when="(0 < low <= top if high is None else type(high) is int and lo <= low < high <= top)",
           args="0 if high is None else low, (low if high is None else high) - 1",
           consts={"lo": _lowest, "top": _highest_plus_1})
    def integers(self, low, high=None, size=None, dtype=None, endpoint=False, *, device=None):
        """Uniform integers from [low, high), or [low, high] with ``endpoint=True``.

        Every value is equally likely: no modulo bias, the full range of every
        integer dtype included.

        Parameters
        ----------
        low : int or array
            Lowest value (or, with ``high=None``, one above the highest, the
            lowest being 0).
        high : int or array, optional
            One above the highest value (the highest with ``endpoint=True``).
        size : int or tuple of ints, optional
            Output shape; default: the broadcast shape of ``low`` and ``high``.
        dtype : dtype, optional
            An integer dtype; default: the device's default integer dtype.
        endpoint : bool
            Include ``high``.
        device : device, optional
            Where the result lives.

        Returns
        -------
        array
            Integers of shape ``size``.

        Raises
        ------
        ValueError
            ``low >= high`` (``low > high`` with ``endpoint``), or bounds outside
            the dtype's range.

        Examples
        --------
        >>> array_random.default_rng(numpy, 3).integers(0, 10, size=5).shape
        (5,)
        """
        if high is None:
            low, high = 0, low
        device, dtype = self._where(dtype, "integral", device)
        if type(low) is int and type(high) is int:
            # Python-int bounds, the usual case: the checks below on plain ints,
            # with the dtype's range looked up once, and straight to the backend
            if low >= high if not endpoint else low > high:
                raise ValueError("low >= high" if not endpoint else "low > high")
            if not endpoint:
                high -= 1
            lo_min, hi_max = self._int_range(dtype)
            if low < lo_min or low > hi_max:
                raise ValueError(f"low is out of bounds for {dtype}")
            if high < lo_min or high > hi_max:
                raise ValueError(f"high is out of bounds for {dtype}")
            return self._draw("integers", size, dtype, device, low, high)
        xp = self.xp
        low = self._int_param("low", low, device)
        high = self._int_param("high", high, device)
        for name, bound, other in (("low", low, high), ("high", high, low)):
            # a Python int that the other bound's dtype cannot hold cannot be
            # compared with it: it is out of bounds, NumPy's ValueError
            if isinstance(bound, int) and not isinstance(other, int):
                info = xp.iinfo(other.dtype)
                if not info.min <= bound <= info.max:
                    raise ValueError(f"{name} is out of bounds for {dtype}")
        if v.any_true(xp, low >= high if not endpoint else low > high):
            raise ValueError("low >= high" if not endpoint else "low > high")
        if not endpoint:
            high = high - 1  # [low, high) == [low, high - 1]; cannot wrap, high > low
        lo_min, hi_max = self._int_range(dtype)
        for name, bound in (("low", low), ("high", high)):
            if _out_of_range(xp, bound, lo_min, hi_max):
                raise ValueError(f"{name} is out of bounds for {dtype}")
        if not isinstance(low, int):
            low = xp.astype(low, dtype)
        if not isinstance(high, int):
            high = xp.astype(high, dtype)
        return self._draw("integers", size, dtype, device, low, high)

    def _int_param(self, name, value, device):
        if isinstance(value, numbers.Integral):  # a bool too: NumPy takes it as 0 or 1
            return int(value)
        if isinstance(value, str):  # NumPy: int(value), "abc" a ValueError
            return int(value)
        if isinstance(value, numbers.Real):  # NumPy truncates a float bound, as int() does
            if math.isnan(value):
                raise ValueError(f"{name} is NaN: cannot convert float NaN to integer")
            if math.isinf(value):
                raise OverflowError(f"{name} = {value}: cannot convert float infinity to integer")
            return int(value)
        if isinstance(value, (list, tuple)):
            value = self.xp.asarray(value, device=device)
        if hasattr(value, "dtype") and not isinstance(value, numbers.Number):
            self._own_array(name, value)  # another library's dtype cannot be inspected here
        if isinstance(value, (float, bool)) or (hasattr(value, "dtype")
                                                and not self.xp.isdtype(value.dtype, "integral")):
            raise TypeError(f"{name} must be an integer or an integer array, not {value!r}")
        return self._param(name, value, None, device)

    # --- shared by the count distributions -----------------------------------
    def _counts(self, dtype, device):
        """``(device, result dtype, float dtype)``: counts are integers, real parameters floats.

        Real parameters are converted to the device's widest float (float64
        where it has it), the type the generic samplers compute in.
        """
        if device is None:  # the generator's device: one lookup per result dtype
            try:
                return self._defaults["counts", dtype]
            except KeyError:
                home, result = self._where(dtype, "integral", None)
                found = self._defaults["counts", dtype] = (
                    home, result, self._dtype(None, "widest float", home))
                return found
            except TypeError:  # an unhashable dtype: resolved (or refused) below
                pass
        device, dtype = self._where(dtype, "integral", device)
        return device, dtype, self._dtype(None, "widest float", device)

    def _count_param(self, name, value, device):
        """A count (``n``, ``ngood``, ...): a Python int or an array of the default integer dtype.

        Floats are truncated toward zero, as NumPy does; NaN raises
        ``ValueError``, values beyond the integer type ``OverflowError``.
        """
        if type(value) is int and -_I64 <= value < _I64:
            return value
        if isinstance(value, numbers.Integral):  # a bool too, as in NumPy
            if not -_I64 <= value < _I64:  # NumPy converts counts to a C long
                raise OverflowError(f"{name} = {value} is too large to convert to int64")
            return int(value)
        if isinstance(value, str):  # NumPy: int(value), "abc" a ValueError
            return self._count_param(name, int(value), device)
        if isinstance(value, numbers.Real):
            if math.isnan(value):
                raise ValueError(f"{name} is NaN")
            if math.isinf(value):
                raise OverflowError(f"{name} = {value} cannot be converted to an integer")
            return self._count_param(name, int(value), device)  # int64's range checked there
        xp = self.xp
        if isinstance(value, (list, tuple)):
            value = xp.asarray(value, device=device)
        value = self._param(name, value, None, device)
        if isinstance(value, (int, float)):  # NumPy's 0-d arrays come back as scalars
            return self._count_param(name, value, device)
        if not xp.isdtype(value.dtype, ("integral", "real floating")):
            raise TypeError(f"{name} must be an integer or an array of integers, not {value.dtype}")
        target = self._backend.default_dtypes(device)["integral"]
        lo, hi = self._int_range(target)
        if xp.isdtype(value.dtype, "real floating"):
            _require(xp, value, _NOT_NAN, f"{name} contains NaN")
            if not v.is_traced(value) and v.any_true(xp, (value < lo) | (value > hi)):
                raise OverflowError(f"{name} has values beyond {target}")
            return xp.astype(xp.trunc(value), target)
        if _out_of_range(xp, value, lo, hi):
            raise OverflowError(f"{name} has values beyond {target}")
        return value if value.dtype == target else xp.astype(value, target)

    def _fits(self, name, value, dtype):
        """``OverflowError`` unless the non-negative count ``value`` fits the result ``dtype``."""
        if _out_of_range(self.xp, value, 0, self._int_range(dtype)[1]):
            raise OverflowError(f"{name} is too large for {dtype} results; ask for a wider "
                                f"integer dtype")

    @quick("poisson", kind="counts", floats="lam", when="0 <= lam <= top",
           consts={"top": _lam_top})
    def poisson(self, lam=1.0, size=None, *, dtype=None, device=None):
        """Poisson counts: ``P(k) = lam**k exp(-lam) / k!`` for k = 0, 1, ...

        Parameters
        ----------
        lam : float or array
            Mean, ``>= 0``. At most ``M - 10 sqrt(M)`` for the result type's
            maximum ``M`` (NumPy's bound for int64), so that no count overflows.
        size : int or tuple of ints, optional
            Output shape; default: the shape of ``lam``.
        dtype : dtype, optional
            An integer dtype; default: the device's default integer dtype.
        device : device, optional
            Where the result lives; default: the generator's device.

        Returns
        -------
        array
            Counts of shape ``size``.

        Raises
        ------
        ValueError
            ``lam < 0``, NaN, or too large.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).poisson(3.0, size=4).shape
        (4,)
        """
        device, dtype, real = self._counts(dtype, device)
        xp = self.xp
        lam = self._param("lam", lam, real, device)
        _require(xp, lam, _AT_LEAST_0, "lam < 0 or lam is NaN")
        top = self._per_dtype(lam_max, dtype)
        _require(xp, lam, lambda x: x <= top, "lam value too large")
        return self._draw("poisson", size, dtype, device, lam)

    @quick("binomial", kind="counts", counts="n", floats="p",
           when="0 <= n <= top and 0 <= p <= 1", consts={"top": _highest})
    def binomial(self, n, p, size=None, *, dtype=None, device=None):
        """Successes in ``n`` trials: ``P(k) = C(n, k) p**k (1 - p)**(n - k)``, k = 0 .. n.

        Parameters
        ----------
        n : int or array
            Number of trials, ``>= 0`` (floats are truncated, as in NumPy).
        p : float or array
            Success probability, in [0, 1].
        size, dtype, device : optional
            As in :meth:`poisson`.

        Returns
        -------
        array
            Counts of shape ``size`` (default: the broadcast shape of ``n`` and ``p``).

        Raises
        ------
        ValueError
            ``n < 0``, ``p`` outside [0, 1] or NaN.
        OverflowError
            ``n`` beyond the result dtype.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).binomial(10, 0.3, size=3).shape
        (3,)
        """
        device, dtype, real = self._counts(dtype, device)
        xp = self.xp
        n = self._count_param("n", n, device)
        p = self._param("p", p, real, device)
        _require(xp, n, _AT_LEAST_0, "n < 0")
        _require(xp, p, _IN_0_1, "p < 0, p > 1 or p is NaN")
        self._fits("n", n, dtype)
        return self._draw("binomial", size, dtype, device, n, p)

    @quick("geometric", kind="counts", floats="p", when="p_min <= p <= 1 and p > 0",
           consts={"p_min": _p_min})
    def geometric(self, p, size=None, *, dtype=None, device=None):
        """Trials up to and including the first success: ``P(k) = (1 - p)**(k - 1) p``, k >= 1.

        Parameters
        ----------
        p : float or array
            Success probability, in (0, 1]. So small a ``p`` that a count
            would exceed the result type with a chance above 1e-9 raises
            (NumPy saturates at int64's maximum instead).
        size, dtype, device : optional
            As in :meth:`poisson`.

        Returns
        -------
        array
            Counts of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).geometric(0.25, size=3).shape
        (3,)
        """
        device, dtype, real = self._counts(dtype, device)
        xp = self.xp
        p = self._param("p", p, real, device)
        _require(xp, p, _IN_0_1_OPEN_LOW, "p <= 0, p > 1 or p contains NaNs")
        # P(X > M) = (1 - p)**M <= _OVERFLOW_CHANCE
        p_min, message = self._per_dtype(_geometric_floor, dtype)
        _require(xp, p, lambda x: x >= p_min, message)
        return self._draw("geometric", size, dtype, device, p)

    @quick("negative_binomial", kind="counts", floats="n p",
           when="n > 0 and 0 < p <= 1 and (1 - p) / p * (n + 10 * math.sqrt(n)) <= top",
           consts={"top": _lam_top})
    def negative_binomial(self, n, p, size=None, *, dtype=None, device=None):
        """Failures before the ``n``-th success: ``P(k) = C(k + n - 1, k) p**n (1 - p)**k``.

        ``n`` may be any positive real (a gamma-Poisson mixture, as NumPy draws it).

        Parameters
        ----------
        n : float or array
            Number of successes, ``> 0``.
        p : float or array
            Success probability, in (0, 1].
        size, dtype, device : optional
            As in :meth:`poisson`.

        Returns
        -------
        array
            Counts of shape ``size``.

        Raises
        ------
        ValueError
            Bad ``n`` or ``p``, or ``(1 - p)/p (n + 10 sqrt(n))`` beyond the
            Poisson bound of :meth:`poisson` for the result dtype (NumPy's rule).

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).negative_binomial(3, 0.5, size=2).shape
        (2,)
        """
        device, dtype, real = self._counts(dtype, device)
        xp = self.xp
        n = self._param("n", n, real, device)
        p = self._param("p", p, real, device)
        _require(xp, n, _NOT_NAN, "n must not be NaN")
        _require(xp, n, _ABOVE_0, "n <= 0")
        _require(xp, p, _IN_0_1_OPEN_LOW, "p <= 0, p > 1 or p contains NaNs")
        if not (v.is_traced(n) or v.is_traced(p)):
            sqrt = math.sqrt if isinstance(n, (int, float)) else xp.sqrt
            worst = (1 - p) / p * (n + 10 * sqrt(n))
            top = self._per_dtype(lam_max, dtype)
            _require(xp, worst, lambda x: x <= top,
                     "n too large or p too small, see Generator.negative_binomial Notes")
        return self._draw("negative_binomial", size, dtype, device, n, p)

    @quick("hypergeometric", kind="counts", counts="ngood nbad nsample",
           when="0 <= ngood < 10**9 and 0 <= nbad < 10**9 and 0 <= nsample <= ngood + nbad "
                "and (nsample <= top or ngood <= top)", consts={"top": _highest})
    def hypergeometric(self, ngood, nbad, nsample, size=None, *, dtype=None, device=None):
        """Good items among ``nsample`` drawn without replacement from ``ngood`` good, ``nbad`` bad.

        ``P(k) = C(ngood, k) C(nbad, nsample - k) / C(ngood + nbad, nsample)``.

        Parameters
        ----------
        ngood, nbad : int or array
            Population counts, each ``>= 0`` and below 10**9 (NumPy's limit).
        nsample : int or array
            Items drawn, ``0 <= nsample <= ngood + nbad``.
        size, dtype, device : optional
            As in :meth:`poisson`.

        Returns
        -------
        array
            Counts of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).hypergeometric(7, 5, 4, size=3).shape
        (3,)
        """
        device, dtype, _ = self._counts(dtype, device)
        xp = self.xp
        ngood = self._count_param("ngood", ngood, device)
        nbad = self._count_param("nbad", nbad, device)
        nsample = self._count_param("nsample", nsample, device)
        _require(xp, ngood, _AT_LEAST_0, "ngood < 0")
        _require(xp, nbad, _AT_LEAST_0, "nbad < 0")
        _require(xp, nsample, _AT_LEAST_0, "nsample < 0")
        for value in (ngood, nbad):
            _require(xp, value, _BELOW_1E9,
                     "both ngood and nbad must be less than 1000000000")
        if type(nsample) is int and nsample >= 2 * 10**9:
            # ngood + nbad < 2 * 10**9 now; nor may nsample fit the arrays' dtype (int32
            # on JAX without x64: JAX's own OverflowError, parsing it, would escape)
            raise ValueError("ngood + nbad < nsample")
        _require(xp, ngood + nbad - nsample, _AT_LEAST_0, "ngood + nbad < nsample")
        top = self._int_range(dtype)[1]
        if top < 2 * 10**9:  # narrower than int32: a count is at most min(ngood, nsample)
            _require(xp, (nsample <= top) | (ngood <= top), lambda x: x,
                     f"nsample and ngood are too large for {dtype} results; ask for a wider "
                     "integer dtype", OverflowError)
        return self._draw("hypergeometric", size, dtype, device, ngood, nbad, nsample)

    @quick("logseries", kind="counts", floats="p",
           when="0 <= p <= p_safe or 0 <= p < 1 and _logseries_tail(p, top) <= _OVERFLOW_CHANCE",
           consts={"top": _highest, "p_safe": _logseries_p_safe})
    def logseries(self, p, size=None, *, dtype=None, device=None):
        """Logarithmic series counts: ``P(k) = -p**k / (k log(1 - p))`` for k >= 1.

        Parameters
        ----------
        p : float or array
            In [0, 1). So close to 1 that a count would exceed the result
            type with a chance above 1e-9 raises ``ValueError``.
        size, dtype, device : optional
            As in :meth:`poisson`.

        Returns
        -------
        array
            Counts of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).logseries(0.6, size=3).shape
        (3,)
        """
        device, dtype, real = self._counts(dtype, device)
        xp = self.xp
        p = self._param("p", p, real, device)
        _require(xp, p, _IN_0_1_OPEN_HIGH, "p < 0, p >= 1 or p is NaN")
        if not v.is_traced(p):
            worst = p if isinstance(p, float | int) else (float(xp.max(p)) if p.size else 0.0)
            if _logseries_tail(worst, self._int_range(dtype)[1]) > _OVERFLOW_CHANCE:
                raise ValueError(f"p = {worst!r} is so close to 1 that counts could overflow "
                                 f"{dtype}; ask for a wider integer dtype")
        return self._draw("logseries", size, dtype, device, p)

    @quick("zipf", kind="counts", floats="a", when="a > 1")
    def zipf(self, a, size=None, *, dtype=None, device=None):
        """Zipf counts: ``P(k) = k**-a / zeta(a)`` for k >= 1.

        As NumPy's (which is truncated to int64's range), the distribution is
        truncated to the values the result dtype holds: with ``a`` near 1 and
        a narrow dtype that cuts real mass, so ask for int64 there.

        Parameters
        ----------
        a : float or array
            Exponent, ``> 1``.
        size, dtype, device : optional
            As in :meth:`poisson`.

        Returns
        -------
        array
            Counts of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).zipf(2.0, size=3).shape
        (3,)
        """
        device, dtype, real = self._counts(dtype, device)
        xp = self.xp
        a = self._param("a", a, real, device)
        _require(xp, a, _ABOVE_1, "a <= 1 or a is NaN")
        return self._draw("zipf", size, dtype, device, a)


def _out_of_range(xp, x, lo: int, hi: int):
    if isinstance(x, int):
        return x < lo or x > hi
    if v.is_traced(x):
        return False
    # compare only where the parameter's own dtype reaches past the bound, so
    # that the Python int always fits the array's dtype
    info = xp.iinfo(x.dtype)
    bad = False
    if info.min < lo:
        bad = bad | v.any_true(xp, x < lo)
    if info.max > hi:
        bad = bad | v.any_true(xp, x > hi)
    return bad


_I64 = 2**63
# a count beyond the result dtype may saturate with at most this chance per draw
_OVERFLOW_CHANCE = 1e-9


# _require's usual tests, made once (a lambda in the call is a new function
# object on every draw); each fails on NaN, as NumPy folds NaN into its messages
def _AT_LEAST_0(x):
    return x >= 0


def _ABOVE_0(x):
    return x > 0


def _ABOVE_1(x):
    return x > 1


def _NOT_NAN(x):
    return x == x


def _IN_0_1(x):
    return (x >= 0) & (x <= 1)


def _IN_0_1_OPEN_LOW(x):
    return (x > 0) & (x <= 1)


def _IN_0_1_OPEN_HIGH(x):
    return (x >= 0) & (x < 1)


def _BELOW_1E9(x):
    return x < 10**9


def _require(xp, value, ok, message, exc=ValueError):
    """Raise ``exc(message)`` unless ``ok(value)`` holds everywhere.

    ``ok`` is written so that NaN fails it, as NumPy folds NaN into the same
    messages. Traced JAX values cannot be inspected and pass.
    """
    if type(value) is float or type(value) is int or isinstance(value, numbers.Number):
        if not ok(value):
            raise exc(message)
    elif not v.is_traced(value) and v.any_true(xp, ~ok(value)):
        raise exc(message)


def _geometric_floor(xp, dtype) -> tuple[float, str]:
    """The smallest geometric ``p`` for ``dtype`` results, and the message for a smaller one.

    P(X > M) = (1 - p)**M <= _OVERFLOW_CHANCE for the dtype's maximum M. Kept
    per dtype by the Generator: formatting the message is most of a small draw.
    """
    p_min = -math.expm1(math.log(_OVERFLOW_CHANCE) / int(xp.iinfo(dtype).max))
    return p_min, (f"p < {p_min:.3g}: counts could overflow {dtype}; ask for a wider "
                   "integer dtype")


@functools.lru_cache(maxsize=256)  # a scalar p is usually drawn from again and again
def _logseries_tail(p: float, top: int) -> float:
    """An upper bound on P(X > top) for the logarithmic series distribution.

    P(X > M) = sum_{k>M} p**k / (k L) <= p**(M+1) / ((M+1) (1-p) L), L = -log(1-p).
    """
    if p <= 0:
        return 0.0
    log_bound = ((top + 1) * math.log(p) - math.log(top + 1) - math.log1p(-p)
                 - math.log(-math.log1p(-p)))
    return math.exp(min(log_bound, 0.0))
