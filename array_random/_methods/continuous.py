"""Continuous distributions: the doors (docstring, checks) of the samplers in ``distributions``."""
from __future__ import annotations

from .. import _validate as v


class ContinuousMethods:
    def _floats(self, sampler, size, dtype, device, out=None, **params):
        """Resolve device and dtype, convert ``params``, draw, and honour ``out=``."""
        device = self._device(device)
        dtype = self._dtype(dtype, "real floating", device)
        params = {k: self._param(k, p, dtype, device) for k, p in params.items()}
        return params, dtype, device

    def _finish(self, result, out):
        if out is None:
            return result
        if self.backend == "jax" or not hasattr(out, "__setitem__"):
            raise TypeError(f"{self.backend} arrays are immutable: out= cannot be written; "
                            "use the returned array")
        if tuple(out.shape) != tuple(result.shape) or out.dtype != result.dtype:
            raise ValueError(f"out has shape {tuple(out.shape)} and dtype {out.dtype}, the draw "
                             f"{tuple(result.shape)} and {result.dtype}")
        out[...] = result
        return out

    def _out_size(self, size, out):
        if out is None:
            return size
        if size is not None and tuple(v.size(size)) != tuple(out.shape):
            raise ValueError(f"size {size} does not match out.shape {tuple(out.shape)}")
        return tuple(out.shape)

    def random(self, size=None, dtype=None, out=None, *, device=None):
        """Uniform floats in the half-open interval [0.0, 1.0).

        Parameters
        ----------
        size : int or tuple of ints, optional
            Output shape; ``None`` gives a 0-d array.
        dtype : dtype, optional
            A real floating dtype of the namespace; default: the device's default.
        out : array, optional
            A mutable array (NumPy, torch, array_api_strict) to fill in place.
        device : device, optional
            Where the result lives; default: the generator's device.

        Returns
        -------
        array
            Floats ``x`` with ``0 <= x < 1``, of shape ``size``.

        Examples
        --------
        >>> rng = array_random.default_rng(numpy, 42)
        >>> rng.random(3).shape
        (3,)
        """
        size = self._out_size(size, out)
        device = self._device(device)
        dtype = self._dtype(dtype, "real floating", device)
        return self._finish(self._draw("random", size, dtype, device), out)

    def uniform(self, low=0.0, high=1.0, size=None, *, dtype=None, device=None):
        """Uniform floats on [low, high): density ``1 / (high - low)``.

        Parameters
        ----------
        low, high : float or array
            Interval ends; NumPy allows ``high < low`` and so does this (the
            interval is then (high, low]). Both must be finite.
        size : int or tuple of ints, optional
            Output shape; default: the broadcast shape of ``low`` and ``high``.
        dtype, device : optional
            As in :meth:`random`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 1).uniform(-1, 1, size=4).shape
        (4,)
        """
        params, dtype, device = self._floats("uniform", size, dtype, device, low=low, high=high)
        v.finite(self.xp, "low", params["low"])
        v.finite(self.xp, "high", params["high"])
        return self._draw("uniform", size, dtype, device, **params)

    def standard_normal(self, size=None, dtype=None, out=None, *, device=None):
        """Standard normal floats: density ``exp(-x**2 / 2) / sqrt(2 pi)``.

        Parameters
        ----------
        size, dtype, out, device : optional
            As in :meth:`random`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).standard_normal((2, 3)).shape
        (2, 3)
        """
        size = self._out_size(size, out)
        device = self._device(device)
        dtype = self._dtype(dtype, "real floating", device)
        return self._finish(self._draw("standard_normal", size, dtype, device), out)

    def normal(self, loc=0.0, scale=1.0, size=None, *, dtype=None, device=None):
        """Normal floats: density ``exp(-(x - loc)**2 / (2 scale**2)) / sqrt(2 pi scale**2)``.

        Parameters
        ----------
        loc : float or array
            Mean.
        scale : float or array
            Standard deviation, ``>= 0``; a negative one raises ``ValueError``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).normal(10, 2, size=3).shape
        (3,)
        """
        params, dtype, device = self._floats("normal", size, dtype, device, loc=loc, scale=scale)
        v.check(self.xp, "loc", params["loc"], lambda x: x != x, "loc is NaN")
        v.nonnegative(self.xp, "scale", params["scale"])
        return self._draw("normal", size, dtype, device, **params)

    def standard_exponential(self, size=None, dtype=None, method="zig", out=None, *,
                             device=None):
        """Exponential floats with scale 1: density ``exp(-x)`` for ``x >= 0``.

        Parameters
        ----------
        size, dtype, out, device : optional
            As in :meth:`random`.
        method : {"zig", "inv"}
            Accepted for NumPy compatibility; every backend uses its own
            exact method (NumPy's ziggurat, inversion elsewhere).

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).standard_exponential(5).shape
        (5,)
        """
        if method not in ("zig", "inv"):
            raise ValueError(f"method must be 'zig' or 'inv', not {method!r}")
        size = self._out_size(size, out)
        device = self._device(device)
        dtype = self._dtype(dtype, "real floating", device)
        return self._finish(self._draw("standard_exponential", size, dtype, device), out)

    def exponential(self, scale=1.0, size=None, *, dtype=None, device=None):
        """Exponential floats: density ``exp(-x / scale) / scale`` for ``x >= 0``.

        Parameters
        ----------
        scale : float or array
            ``1 / rate``, ``>= 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).exponential(2.0, 3).shape
        (3,)
        """
        params, dtype, device = self._floats("exponential", size, dtype, device, scale=scale)
        v.nonnegative(self.xp, "scale", params["scale"])
        return self._draw("exponential", size, dtype, device, **params)
