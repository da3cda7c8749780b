"""Continuous distributions: the doors (docstring, checks) of the samplers in ``distributions``."""
from __future__ import annotations

import math
import numbers

from .. import _validate as v
from ._quick import quick

INF = math.inf  # for the quick paths' tests


def _dirichlet_alpha(gen, dtype, device, alpha):
    """``(alpha,)``: the concentrations as an array of ``dtype`` on ``device``, checked."""
    alpha = gen._param("alpha", alpha, dtype, device)
    # NumPy's dirichlet tests alpha < 0 (not the sign bit): -0.0 is allowed
    v.check(gen.xp, "alpha", alpha, _negative, "alpha < 0")
    return (alpha,)


def _negative(a):
    return a < 0


class ContinuousMethods:
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
        if self.backend == "jax" or not hasattr(out, "__setitem__"):
            # before the draw: a refused out= must not advance the stream
            raise TypeError(f"{self.backend} arrays are immutable: out= cannot be written; "
                            "use the returned array")
        if size is not None and tuple(v.size(size)) != tuple(out.shape):
            raise ValueError(f"size {size} does not match out.shape {tuple(out.shape)}")
        return tuple(out.shape)

    @quick("random")
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
        if out is not None:
            size = self._out_size(size, out)
        device, dtype = self._where(dtype, "real floating", device)
        result = self._draw("random", size, dtype, device)  # no parameters to check
        return result if out is None else self._finish(result, out)

    @quick("uniform", floats="low high", when="0 < high - low < INF")
    def uniform(self, low=0.0, high=1.0, size=None, *, dtype=None, device=None):
        """Uniform floats on [low, high): density ``1 / (high - low)``.

        Parameters
        ----------
        low, high : float or array
            Interval ends, ``high >= low`` (else ``ValueError``, as in NumPy 2);
            ``high - low`` must be finite (else ``OverflowError``, NaN too).
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
        device, dtype = self._where(dtype, "real floating", device)
        low = self._param("low", low, dtype, device)
        high = self._param("high", high, dtype, device)
        v.uniform_range(self.xp, low, high)
        return self._draw("uniform", size, dtype, device, low, high)

    @quick("standard_normal")
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
        if out is not None:
            size = self._out_size(size, out)
        device, dtype = self._where(dtype, "real floating", device)
        result = self._draw("standard_normal", size, dtype, device)
        return result if out is None else self._finish(result, out)

    @quick("normal", floats="loc scale", when="loc == loc and scale > 0")
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
        device, dtype = self._where(dtype, "real floating", device)
        loc = self._param("loc", loc, dtype, device)
        scale = self._param("scale", scale, dtype, device)
        v.not_nan(self.xp, "loc", loc)
        v.nonnegative(self.xp, "scale", scale)
        return self._draw("normal", size, dtype, device, loc, scale)

    @quick("standard_exponential", fixed={"method": "zig"})
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
        device, dtype = self._where(dtype, "real floating", device)
        return self._finish(self._draw("standard_exponential", size, dtype, device), out)

    @quick("exponential", floats="scale", when="scale > 0")
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
        device, dtype = self._where(dtype, "real floating", device)
        scale = self._param("scale", scale, dtype, device)
        v.nonnegative(self.xp, "scale", scale)
        return self._draw("exponential", size, dtype, device, scale)

    # --- gamma family and the distributions built on it -------------------------
    def _not_nan(self, name, value):
        v.not_nan(self.xp, name, value)

    @quick("standard_gamma", floats="shape", when="shape > 0")
    def standard_gamma(self, shape, size=None, dtype=None, out=None, *, device=None):
        """Gamma floats with scale 1: density ``x**(shape-1) exp(-x) / Gamma(shape)``, x > 0.

        Parameters
        ----------
        shape : float or array
            Shape, ``>= 0`` (0 gives 0, as in NumPy).
        size, dtype, out, device : optional
            As in :meth:`random`.

        Returns
        -------
        array
            Samples of shape ``size`` (default: the shape of ``shape``).

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).standard_gamma(2.5, 4).shape
        (4,)
        """
        size = self._out_size(size, out)
        device, dtype = self._where(dtype, "real floating", device)
        shape = self._param("shape", shape, dtype, device)
        v.nonnegative(self.xp, "shape", shape)
        return self._finish(self._draw("standard_gamma", size, dtype, device, shape), out)

    @quick("gamma", floats="shape scale", when="shape > 0 and scale > 0")
    def gamma(self, shape, scale=1.0, size=None, *, dtype=None, device=None):
        """Gamma floats: density ``x**(shape-1) exp(-x/scale) / (Gamma(shape) scale**shape)``.

        Parameters
        ----------
        shape : float or array
            Shape, ``>= 0``.
        scale : float or array
            Scale, ``>= 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).gamma(2.0, 3.0, size=3).shape
        (3,)
        """
        device, dtype = self._where(dtype, "real floating", device)
        shape = self._param("shape", shape, dtype, device)
        scale = self._param("scale", scale, dtype, device)
        v.nonnegative(self.xp, "shape", shape)
        v.nonnegative(self.xp, "scale", scale)
        return self._draw("gamma", size, dtype, device, shape, scale)

    @quick("beta", floats="a b", when="a > 0 and b > 0")
    def beta(self, a, b, size=None, *, dtype=None, device=None):
        """Beta floats on [0, 1]: density ``x**(a-1) (1-x)**(b-1) / B(a, b)``.

        Tiny ``a`` and ``b`` are handled in log space: no 0/0.

        Parameters
        ----------
        a, b : float or array
            Shapes, ``> 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).beta(0.5, 2.0, size=3).shape
        (3,)
        """
        device, dtype = self._where(dtype, "real floating", device)
        a = self._param("a", a, dtype, device)
        b = self._param("b", b, dtype, device)
        v.positive(self.xp, "a", a)
        v.positive(self.xp, "b", b)
        return self._draw("beta", size, dtype, device, a, b)

    @quick("chisquare", floats="df", when="df > 0")
    def chisquare(self, df, size=None, *, dtype=None, device=None):
        """Chi-square floats: the sum of ``df`` squared standard normals (any real ``df > 0``).

        Density ``x**(df/2-1) exp(-x/2) / (2**(df/2) Gamma(df/2))``, x > 0.

        Parameters
        ----------
        df : float or array
            Degrees of freedom, ``> 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).chisquare(3, 2).shape
        (2,)
        """
        device, dtype = self._where(dtype, "real floating", device)
        df = self._param("df", df, dtype, device)
        v.positive(self.xp, "df", df)
        return self._draw("chisquare", size, dtype, device, df)

    @quick("f", floats="dfnum dfden", when="dfnum > 0 and dfden > 0")
    def f(self, dfnum, dfden, size=None, *, dtype=None, device=None):
        """Fisher's F floats: ``(chi2(dfnum) / dfnum) / (chi2(dfden) / dfden)``.

        Parameters
        ----------
        dfnum, dfden : float or array
            Degrees of freedom of numerator and denominator, ``> 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).f(5, 10, 3).shape
        (3,)
        """
        device, dtype = self._where(dtype, "real floating", device)
        dfnum = self._param("dfnum", dfnum, dtype, device)
        dfden = self._param("dfden", dfden, dtype, device)
        v.positive(self.xp, "dfnum", dfnum)
        v.positive(self.xp, "dfden", dfden)
        return self._draw("f", size, dtype, device, dfnum, dfden)

    @quick("standard_t", floats="df", when="df > 0")
    def standard_t(self, df, size=None, *, dtype=None, device=None):
        """Student's t floats: ``Z / sqrt(chi2(df) / df)``.

        Density ``Gamma((df+1)/2) / (sqrt(df pi) Gamma(df/2)) (1 + x**2/df)**(-(df+1)/2)``.

        Parameters
        ----------
        df : float or array
            Degrees of freedom, ``> 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).standard_t(3, 4).shape
        (4,)
        """
        device, dtype = self._where(dtype, "real floating", device)
        df = self._param("df", df, dtype, device)
        v.positive(self.xp, "df", df)
        return self._draw("standard_t", size, dtype, device, df)

    @quick("noncentral_chisquare", floats="df nonc", when="df > 0 and nonc > 0")
    def noncentral_chisquare(self, df, nonc, size=None, *, dtype=None, device=None):
        """Noncentral chi-square floats: ``sum (Z_i + mu_i)**2`` with ``sum mu_i**2 = nonc``.

        Density ``sum_i exp(-nonc/2) (nonc/2)**i / i! * chi2pdf(x; df + 2 i)``.

        Parameters
        ----------
        df : float or array
            Degrees of freedom, ``> 0``.
        nonc : float or array
            Noncentrality, ``>= 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).noncentral_chisquare(3, 2.0, 2).shape
        (2,)
        """
        device, dtype = self._where(dtype, "real floating", device)
        df = self._param("df", df, dtype, device)
        nonc = self._param("nonc", nonc, dtype, device)
        v.positive(self.xp, "df", df)
        v.nonnegative(self.xp, "nonc", nonc)
        return self._draw("noncentral_chisquare", size, dtype, device, df, nonc)

    @quick("noncentral_f", floats="dfnum dfden nonc",
           when="dfnum > 0 and dfden > 0 and nonc > 0")
    def noncentral_f(self, dfnum, dfden, nonc, size=None, *, dtype=None, device=None):
        """Noncentral F floats: ``(ncchi2(dfnum, nonc) / dfnum) / (chi2(dfden) / dfden)``.

        Parameters
        ----------
        dfnum, dfden : float or array
            Degrees of freedom, ``> 0``.
        nonc : float or array
            Noncentrality of the numerator, ``>= 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).noncentral_f(3, 20, 3.0, 2).shape
        (2,)
        """
        device, dtype = self._where(dtype, "real floating", device)
        dfnum = self._param("dfnum", dfnum, dtype, device)
        dfden = self._param("dfden", dfden, dtype, device)
        nonc = self._param("nonc", nonc, dtype, device)
        v.positive(self.xp, "dfnum", dfnum)
        v.positive(self.xp, "dfden", dfden)
        v.nonnegative(self.xp, "nonc", nonc)
        return self._draw("noncentral_f", size, dtype, device, dfnum, dfden, nonc)

    @quick("dirichlet", lists={"alpha": "floats"}, prepare=_dirichlet_alpha, entry="_alpha",
           args="_alpha", vector="len(alpha)")
    def dirichlet(self, alpha, size=None, *, dtype=None, device=None):
        """Dirichlet floats: density ``prod x_i**(alpha_i - 1) / B(alpha)`` on the simplex.

        Unlike NumPy, ``alpha`` may be batched: the categories are its last
        axis and its leading axes broadcast with ``size``.

        Parameters
        ----------
        alpha : sequence or array, at least 1-d
            Concentrations, ``>= 0`` (zeros give zero components, as in NumPy).
        size : int or tuple of ints, optional
            Shape of the batch of draws; default: ``alpha.shape[:-1]``.
        dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size + (k,)``, each summing to 1 along the last axis.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).dirichlet([1.0, 2.0, 3.0], 5).shape
        (5, 3)
        """
        device, dtype = self._where(dtype, "real floating", device)
        if isinstance(alpha, numbers.Number) or getattr(alpha, "ndim", 1) == 0:
            raise TypeError("alpha must be a sequence or an array with at least one "
                            "dimension (the categories, last)")
        alpha, = _dirichlet_alpha(self, dtype, device, alpha)
        batch = v.output_shape(v.size(size), _Shaped(tuple(alpha.shape[:-1])))
        return self._backend.draw("dirichlet", batch + (alpha.shape[-1],), dtype, device, alpha)

    # --- location-scale families and other closed forms -------------------------
    @quick("gumbel", floats="loc scale", when="loc == loc and scale > 0")
    def gumbel(self, loc=0.0, scale=1.0, size=None, *, dtype=None, device=None):
        """Gumbel (largest extreme value) floats: cdf ``exp(-exp(-(x - loc) / scale))``.

        Parameters
        ----------
        loc : float or array
            Mode.
        scale : float or array
            Scale, ``>= 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).gumbel(0, 2, 3).shape
        (3,)
        """
        return self._loc_scale("gumbel", loc, scale, size, dtype, device)

    @quick("laplace", floats="loc scale", when="loc == loc and scale > 0")
    def laplace(self, loc=0.0, scale=1.0, size=None, *, dtype=None, device=None):
        """Laplace (double exponential) floats: density ``exp(-|x - loc| / scale) / (2 scale)``.

        Parameters
        ----------
        loc : float or array
            Centre.
        scale : float or array
            Scale, ``>= 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).laplace(0, 1, 3).shape
        (3,)
        """
        return self._loc_scale("laplace", loc, scale, size, dtype, device)

    @quick("logistic", floats="loc scale", when="loc == loc and scale > 0")
    def logistic(self, loc=0.0, scale=1.0, size=None, *, dtype=None, device=None):
        """Logistic floats: cdf ``1 / (1 + exp(-(x - loc) / scale))``.

        Parameters
        ----------
        loc : float or array
            Centre.
        scale : float or array
            Scale, ``>= 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).logistic(0, 1, 3).shape
        (3,)
        """
        return self._loc_scale("logistic", loc, scale, size, dtype, device)

    def _loc_scale(self, name, loc, scale, size, dtype, device):
        device, dtype = self._where(dtype, "real floating", device)
        loc = self._param("loc", loc, dtype, device)
        scale = self._param("scale", scale, dtype, device)
        self._not_nan("loc", loc)
        v.nonnegative(self.xp, "scale", scale)
        return self._draw(name, size, dtype, device, loc, scale)

    @quick("lognormal", floats="mean sigma", when="mean == mean and sigma > 0")
    def lognormal(self, mean=0.0, sigma=1.0, size=None, *, dtype=None, device=None):
        """Log-normal floats: ``exp(normal(mean, sigma))``.

        Density ``exp(-(log x - mean)**2 / (2 sigma**2)) / (x sigma sqrt(2 pi))``, x > 0.

        Parameters
        ----------
        mean : float or array
            Mean of the underlying normal.
        sigma : float or array
            Its standard deviation, ``>= 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).lognormal(0, 0.5, 3).shape
        (3,)
        """
        device, dtype = self._where(dtype, "real floating", device)
        mean = self._param("mean", mean, dtype, device)
        sigma = self._param("sigma", sigma, dtype, device)
        self._not_nan("mean", mean)
        v.nonnegative(self.xp, "sigma", sigma)
        return self._draw("lognormal", size, dtype, device, mean, sigma)

    @quick("pareto", floats="a", when="a > 0")
    def pareto(self, a, size=None, *, dtype=None, device=None):
        """Pareto II (Lomax) floats, as NumPy: density ``a / (1 + x)**(a + 1)``, x >= 0.

        ``1 + pareto(a)`` is the classical Pareto with minimum 1.

        Parameters
        ----------
        a : float or array
            Shape (tail index), ``> 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).pareto(3.0, 3).shape
        (3,)
        """
        return self._shape_only("pareto", a, size, dtype, device, v.positive)

    @quick("power", floats="a", when="a > 0")
    def power(self, a, size=None, *, dtype=None, device=None):
        """Power-function floats on [0, 1]: density ``a x**(a - 1)``.

        Parameters
        ----------
        a : float or array
            Exponent, ``> 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).power(5.0, 3).shape
        (3,)
        """
        return self._shape_only("power", a, size, dtype, device, v.positive)

    @quick("weibull", floats="a", when="a > 0")
    def weibull(self, a, size=None, *, dtype=None, device=None):
        """Weibull floats with scale 1: density ``a x**(a - 1) exp(-x**a)``, x >= 0.

        Parameters
        ----------
        a : float or array
            Shape, ``>= 0`` (0 gives 0, as in NumPy).
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).weibull(1.5, 3).shape
        (3,)
        """
        return self._shape_only("weibull", a, size, dtype, device, v.nonnegative)

    def _shape_only(self, name, a, size, dtype, device, check):
        device, dtype = self._where(dtype, "real floating", device)
        a = self._param("a", a, dtype, device)
        check(self.xp, "a", a)
        return self._draw(name, size, dtype, device, a)

    @quick("rayleigh", floats="scale", when="scale > 0")
    def rayleigh(self, scale=1.0, size=None, *, dtype=None, device=None):
        """Rayleigh floats: density ``x / scale**2 exp(-x**2 / (2 scale**2))``, x >= 0.

        Parameters
        ----------
        scale : float or array
            Mode, ``>= 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).rayleigh(2.0, 3).shape
        (3,)
        """
        device, dtype = self._where(dtype, "real floating", device)
        scale = self._param("scale", scale, dtype, device)
        v.nonnegative(self.xp, "scale", scale)
        return self._draw("rayleigh", size, dtype, device, scale)

    @quick("standard_cauchy")
    def standard_cauchy(self, size=None, *, dtype=None, device=None):
        """Standard Cauchy (Lorentz) floats: density ``1 / (pi (1 + x**2))``.

        Parameters
        ----------
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``; always finite.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).standard_cauchy(3).shape
        (3,)
        """
        device, dtype = self._where(dtype, "real floating", device)
        return self._draw("standard_cauchy", size, dtype, device)

    @quick("triangular", floats="left mode right",
           when="left <= mode <= right and left < right")
    def triangular(self, left, mode, right, size=None, *, dtype=None, device=None):
        """Triangular floats on [left, right] with peak at ``mode``.

        Density ``2 (x - left) / ((right - left)(mode - left))`` left of the
        mode, ``2 (right - x) / ((right - left)(right - mode))`` right of it.

        Parameters
        ----------
        left, mode, right : float or array
            ``left <= mode <= right`` and ``left < right``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).triangular(0, 1, 4, 3).shape
        (3,)
        """
        device, dtype = self._where(dtype, "real floating", device)
        left = self._param("left", left, dtype, device)
        mode = self._param("mode", mode, dtype, device)
        right = self._param("right", right, dtype, device)
        for name, value in (("left", left), ("mode", mode), ("right", right)):
            self._not_nan(name, value)
        xp = self.xp
        if v.any_true(xp, left > mode):
            raise ValueError("left > mode")
        if v.any_true(xp, mode > right):
            raise ValueError("mode > right")
        if v.any_true(xp, left == right):
            raise ValueError("left == right")
        return self._draw("triangular", size, dtype, device, left, mode, right)

    @quick("vonmises", floats="mu kappa", when="mu == mu and kappa > 0")
    def vonmises(self, mu, kappa, size=None, *, dtype=None, device=None):
        """von Mises floats on [-pi, pi]: density ``exp(kappa cos(x - mu)) / (2 pi I0(kappa))``.

        Exact for every ``kappa`` (no normal approximation for large ones);
        ``kappa = 0`` is the uniform on the circle, ``kappa = inf`` gives ``mu``.

        Parameters
        ----------
        mu : float or array
            Mode; the result is wrapped into [-pi, pi].
        kappa : float or array
            Concentration, ``>= 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).vonmises(0.0, 4.0, 3).shape
        (3,)
        """
        device, dtype = self._where(dtype, "real floating", device)
        mu = self._param("mu", mu, dtype, device)
        kappa = self._param("kappa", kappa, dtype, device)
        self._not_nan("mu", mu)
        v.nonnegative(self.xp, "kappa", kappa)
        return self._draw("vonmises", size, dtype, device, mu, kappa)

    @quick("wald", floats="mean scale", when="mean > 0 and scale > 0")
    def wald(self, mean, scale, size=None, *, dtype=None, device=None):
        """Wald (inverse Gaussian) floats.

        Density ``sqrt(scale / (2 pi x**3)) exp(-scale (x - mean)**2 / (2 mean**2 x))``, x > 0.

        Parameters
        ----------
        mean : float or array
            Mean, ``> 0``.
        scale : float or array
            Shape parameter lambda, ``> 0``.
        size, dtype, device : optional
            As in :meth:`uniform`.

        Returns
        -------
        array
            Samples of shape ``size``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).wald(1.0, 3.0, 3).shape
        (3,)
        """
        device, dtype = self._where(dtype, "real floating", device)
        mean = self._param("mean", mean, dtype, device)
        scale = self._param("scale", scale, dtype, device)
        v.positive(self.xp, "mean", mean)
        v.positive(self.xp, "scale", scale)
        return self._draw("wald", size, dtype, device, mean, scale)


class _Shaped:
    """Something with a ``shape``, for :func:`_validate.output_shape`."""

    def __init__(self, shape):
        self.shape = shape
