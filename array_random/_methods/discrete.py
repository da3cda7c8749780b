"""Discrete distributions: the doors of the integer samplers."""
from __future__ import annotations

import numbers

from .. import _validate as v

_BITS = {"int8": 8, "int16": 16, "int32": 32, "int64": 64,
         "uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64}


def integer_range(xp, dtype):
    """``(min, max)`` of an integer dtype of ``xp``."""
    info = xp.iinfo(dtype)
    return int(info.min), int(info.max)


class DiscreteMethods:
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
        device = self._device(device)
        dtype = self._dtype(dtype, "integral", device)
        xp = self.xp
        low = self._int_param("low", low, device)
        high = self._int_param("high", high, device)
        if v.any_true(xp, low >= high if not endpoint else low > high):
            raise ValueError("low >= high" if not endpoint else "low > high")
        if not endpoint:
            high = high - 1  # [low, high) == [low, high - 1]; cannot wrap, high > low
        lo_min, hi_max = integer_range(xp, dtype)
        for name, bound in (("low", low), ("high", high)):
            if _out_of_range(xp, bound, lo_min, hi_max):
                raise ValueError(f"{name} is out of bounds for {dtype}")
        if not isinstance(low, int):
            low = xp.astype(low, dtype)
        if not isinstance(high, int):
            high = xp.astype(high, dtype)
        return self._draw("integers", size, dtype, device, low=low, high=high)

    def _int_param(self, name, value, device):
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            return int(value)
        if isinstance(value, (list, tuple)):
            value = self.xp.asarray(value, device=device)
        if isinstance(value, (float, bool)) or (hasattr(value, "dtype")
                                                and not self.xp.isdtype(value.dtype, "integral")):
            raise TypeError(f"{name} must be an integer or an integer array, not {value!r}")
        return self._param(name, value, None, device)


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
