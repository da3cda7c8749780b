"""Multivariate distributions: multinomial, multivariate_hypergeometric, multivariate_normal.

Their draws are vectors: the result has the shape ``size + (k,)``.
"""
from __future__ import annotations

import numbers
import operator
import warnings

from .. import _validate as v
from ._quick import quick
from .discrete import _AT_LEAST_0, _IN_0_1, _NOT_NAN, _highest, _require


class _Shape:
    """Stands for a parameter of this shape in the broadcasting rule."""

    def __init__(self, shape):
        self.shape = tuple(shape)


_INT64_MAX = 2**63 - 1


def _pvals_array(gen, real, device, pvals):
    """``pvals`` as an array of the float dtype ``real``, with at least one category."""
    pvals = gen._param("pvals", pvals, real, device)
    if isinstance(pvals, (int, float)) or pvals.ndim == 0 or pvals.shape[-1] == 0:
        raise ValueError("pvals must have at least 1 dimension and the last dimension of "
                         "pvals must be greater than 0.")
    return pvals


def _pvals_sum(xp, pvals, real):
    """NumPy's checks of ``pvals``: each in [0, 1], and the first ``k - 1`` summing to at most 1."""
    _require(xp, pvals, _IN_0_1, "pvals < 0, pvals > 1 or pvals contains NaNs")
    k = pvals.shape[-1]
    # NumPy's 1e-12 is for float64 sums; a float32 sum of k terms is only good to k ulps
    tol = 1e-12 if real == getattr(xp, "float64", None) else k * float(xp.finfo(real).eps)
    _require(xp, xp.sum(pvals[..., :-1], axis=-1), lambda s: s <= 1 + tol,
             "sum(pvals[:-1]) > 1.0")


def _pvals(gen, dtype, device, pvals):
    """The quick path's ``prepare``: ``(pvals,)`` converted (the counts' float type), checked."""
    real = gen._dtype(None, "widest float", device)
    pvals = _pvals_array(gen, real, device, pvals)
    _pvals_sum(gen.xp, pvals, real)
    return (pvals,)


def _colors_prepared(gen, dtype, device, colors):
    """The quick path's ``prepare`` (method "marginals"): ``(colors, sum(colors))``, checked."""
    colors, total = gen._colors(colors, device)
    if total is None or total >= 10**9:  # the door's marginals limit (and int64's below it)
        return None
    return colors, total


def _mvn_prepared(gen, dtype, device, mean, cov):
    """The quick path's ``prepare`` (svd, tol 1e-8): ``(mean, factor in dtype)``.

    None where the covariance is not positive-semidefinite: the door warns.
    """
    mean, cov, work = gen._mvn_arrays(mean, cov, dtype, device)
    factor, psd = gen._cov_factor(cov, "svd", 1e-8, work)
    if psd is not True:
        return None
    return mean, gen.xp.astype(factor, dtype)


class MultivariateMethods:
    @quick("multinomial", kind="counts", counts="n", lists={"pvals": "floats"}, prepare=_pvals,
           entry="_pvals", when="0 <= n <= top", consts={"top": _highest}, args="n, _pvals",
           vector="len(pvals)")
    def multinomial(self, n, pvals, size=None, *, dtype=None, device=None):
        """Counts of ``n`` trials falling into ``k`` categories of probabilities ``pvals``.

        ``P(x) = n! / (x_1! ... x_k!) p_1**x_1 ... p_k**x_k`` for counts summing to ``n``.

        Parameters
        ----------
        n : int or array
            Number of trials, ``>= 0``.
        pvals : array-like of floats
            Probabilities along the last axis, shape ``(..., k)`` with ``k >= 1``.
            As in NumPy the last one is taken to be whatever the others leave,
            provided ``sum(pvals[..., :-1]) <= 1`` (to 1e-12).
        size : int or tuple of ints, optional
            Batch shape; default: the broadcast of ``n`` and ``pvals[..., 0]``.
        dtype : dtype, optional
            An integer dtype; default: the device's default integer dtype.
        device : device, optional
            Where the result lives.

        Returns
        -------
        array
            Counts of shape ``size + (k,)``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).multinomial(20, [0.2, 0.3, 0.5], size=4).shape
        (4, 3)
        """
        device, dtype, real = self._counts(dtype, device)
        n = self._count_param("n", n, device)
        pvals = _pvals_array(self, real, device, pvals)
        _require(self.xp, n, _AT_LEAST_0, "n < 0")
        _pvals_sum(self.xp, pvals, real)
        self._fits("n", n, dtype)
        batch = v.output_shape(v.size(size), *([n] if not isinstance(n, int) else []),
                               _Shape(pvals.shape[:-1]))
        return self._backend.draw("multinomial", batch + (pvals.shape[-1],), dtype, device, n,
                                  pvals)

    @quick("multivariate_hypergeometric", kind="counts", counts="nsample",
           lists={"colors": "ints"}, fixed={"method": "marginals"}, prepare=_colors_prepared,
           entry="_colors _total", when="0 <= nsample <= _total and nsample <= top",
           consts={"top": _highest}, args="_colors, nsample, method='marginals'",
           vector="len(colors)")
    def multivariate_hypergeometric(self, colors, nsample, size=None, method="marginals", *,
                                    dtype=None, device=None):
        """Counts of each colour among ``nsample`` items drawn without replacement.

        ``P(x) = C(colors_1, x_1) ... C(colors_k, x_k) / C(sum(colors), nsample)``.

        Parameters
        ----------
        colors : sequence or 1-d array of ints
            How many items of each colour, each ``>= 0``.
        nsample : int
            Items drawn, ``<= sum(colors)``.
        size : int or tuple of ints, optional
            Batch shape; default: one draw.
        method : {"marginals", "count"}
            ``"marginals"`` (successive hypergeometrics; needs ``sum(colors)
            < 10**9``) or ``"count"`` (an explicit permutation of all items:
            memory proportional to ``sum(colors)`` per draw).
        dtype, device : optional
            As in :meth:`multinomial`.

        Returns
        -------
        array
            Counts of shape ``size + (len(colors),)``, each row summing to ``nsample``.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).multivariate_hypergeometric([5, 3, 2], 4).shape
        (3,)
        """
        if method not in ("count", "marginals"):
            raise ValueError('method must be "count" or "marginals".')
        device, dtype, _ = self._counts(dtype, device)
        try:
            nsample = operator.index(nsample)
        except TypeError:
            raise ValueError("nsample must be an integer") from None
        if nsample < 0:
            raise ValueError("nsample must be nonnegative.")
        colors, total = self._colors(colors, device)
        if total is not None:
            if total > _INT64_MAX:
                raise ValueError("sum(colors) must not exceed the maximum value of a 64 bit "
                                 f"signed integer ({_INT64_MAX})")
            if nsample > total:
                raise ValueError("nsample > sum(colors)")
            most = self._int_range(colors.dtype)[1]
            if method == "count" and nsample and total >= most:
                # the permutation's bookkeeping needs total + 1 in the index dtype (int32 on
                # JAX without x64: JAX's own OverflowError, after the key was taken)
                raise ValueError(f'sum(colors) is too large for method="count" on this device '
                                 f"(at most {most - 1} items)")
            if method == "marginals" and total >= 10**9:
                raise ValueError('When method is "marginals", sum(colors) must be less than '
                                 '1000000000.')
        elif method == "count":
            raise TypeError('method="count" needs concrete colors: the number of items sets '
                            "the size of the permutation; use method=\"marginals\" under jit")
        self._fits("nsample", nsample, dtype)
        shape = (v.size(size) or ()) + (colors.shape[0],)
        # "count" permutes ``total`` items; with nothing to draw there is none to permute
        # (NumPy returns zeros at once), said as total 0 so that the sampler knows it
        # statically, even where nsample is traced (JAX's compiled draw)
        static = {"method": method,
                  "total": (0 if nsample == 0 else total) if method == "count" else None}
        return self._backend.draw("multivariate_hypergeometric", shape, dtype, device,
                                  colors, nsample, **static)

    def _colors(self, colors, device):
        """``colors`` as an array of the default integer dtype, and its sum (``None`` if traced)."""
        xp = self.xp
        message = ("colors must be a one-dimensional sequence of nonnegative integers not "
                   f"exceeding {_INT64_MAX}.")
        index = self._backend.default_dtypes(device)["integral"]
        if isinstance(colors, (list, tuple)):
            if not all(isinstance(c, numbers.Integral) and 0 <= c <= _INT64_MAX for c in colors):
                raise ValueError(message)
            hi = self._int_range(index)[1]
            total = sum(int(c) for c in colors)
            if any(c > hi for c in colors):
                raise OverflowError(f"colors has values beyond {index}")
            # the backend places it (JAX: replicated over a sharded draw's mesh)
            return self._backend.asarray([int(c) for c in colors], index, device), total
        arr = self._param("colors", colors, None, device)
        if isinstance(arr, (int, float)) or arr.ndim != 1 or not xp.isdtype(arr.dtype, "integral"):
            raise ValueError(message)
        if v.is_traced(arr):
            return xp.astype(arr, index), None
        _require(xp, arr, _AT_LEAST_0, message)
        total = sum(int(c) for c in arr)
        if arr.dtype != index:
            hi = self._int_range(index)[1]
            if any(int(c) > hi for c in arr):
                raise OverflowError(f"colors has values beyond {index}")
            arr = xp.astype(arr, index)
        return arr, total

    @quick("multivariate_normal", lists={"mean": "floats", "cov": "matrix"},
           fixed={"check_valid": "warn", "tol": 1e-8, "method": "svd"}, prepare=_mvn_prepared,
           entry="_mean _factor", args="_mean, _factor", vector="len(mean)")
    def multivariate_normal(self, mean, cov, size=None, check_valid="warn", tol=1e-8, *,
                            method="svd", dtype=None, device=None):
        """Multivariate normal vectors of mean ``mean`` and covariance ``cov``.

        Density ``exp(-(x - mean)' cov^-1 (x - mean) / 2) / sqrt((2 pi)**k det(cov))``.

        The covariance is factorised on the device with ``xp.linalg`` (in
        float64 where the device has it, whatever ``dtype``), and checked as
        NumPy checks it, before anything is drawn.

        Parameters
        ----------
        mean : array-like, shape (k,)
            Mean vector.
        cov : array-like, shape (k, k)
            Covariance: symmetric positive-semidefinite.
        size : int or tuple of ints, optional
            Batch shape; default: one vector.
        check_valid : {"warn", "raise", "ignore"}
            What to do when ``cov`` is not symmetric positive-semidefinite
            (``svd`` and ``eigh`` only; ``cholesky`` always raises).
        tol : float
            Tolerance of that check (NumPy's ``allclose`` for ``svd``, the most
            negative eigenvalue for ``eigh``). Where the factorisation runs in
            float32 it is at least 16 k float32 ulps of the largest entry.
        method : {"svd", "eigh", "cholesky"}
            How ``cov`` is factorised, as in NumPy.
        dtype : dtype, optional
            A real floating dtype; default: the device's default.
        device : device, optional
            Where the result lives.

        Returns
        -------
        array
            Samples of shape ``size + (k,)``.

        Raises
        ------
        ValueError
            Bad shapes, options or NaN in ``mean``; ``cov`` not positive-
            semidefinite with ``check_valid="raise"``.
        numpy.linalg.LinAlgError
            ``cov`` with NaN or infinity, or not positive definite with
            ``method="cholesky"`` (a subclass of ``ValueError``).

        Examples
        --------
        >>> rng = array_random.default_rng(numpy, 0)
        >>> rng.multivariate_normal([0, 1], [[1, .5], [.5, 1]], 3).shape
        (3, 2)
        """
        if method not in ("svd", "eigh", "cholesky"):
            raise ValueError("method must be one of {'eigh', 'svd', 'cholesky'}")
        device = self._device(device)
        dtype = self._dtype(dtype, "real floating", device)
        xp = self.xp
        mean, cov, work = self._mvn_arrays(mean, cov, dtype, device)
        if method != "cholesky" and check_valid not in ("warn", "raise", "ignore"):
            # NumPy looks at check_valid for svd and eigh only, after the decomposition:
            # its SVD of a matrix with a NaN fails first
            if method == "svd" and not v.is_traced(cov) and v.any_true(xp, cov != cov):
                import numpy as np  # for its LinAlgError class only
                raise np.linalg.LinAlgError("SVD did not converge: cov contains NaN")
            raise ValueError("check_valid must equal 'warn', 'raise', or 'ignore'")
        factor, psd = self._cov_factor(cov, method, float(tol), work)
        if psd is False and check_valid != "ignore":
            message = "covariance is not symmetric positive-semidefinite."
            if check_valid == "raise":
                raise ValueError(message)
            # the caller of the generated quick path in front of this door
            warnings.warn(message, RuntimeWarning, stacklevel=3)
        shape = (v.size(size) or ()) + (mean.shape[0],)
        return self._backend.draw("multivariate_normal", shape, dtype, device, mean,
                                  xp.astype(factor, dtype))

    def _mvn_arrays(self, mean, cov, dtype, device):
        """``(mean, cov, work)``: ``mean`` in ``dtype`` and ``cov`` in ``work`` (float64 where
        the device has it) on ``device``, their shapes checked, and ``mean`` for NaN."""
        floats = self._backend.dtypes(device, "real floating")
        work = floats.get("float64", floats.get("float32"))
        mean = self._param("mean", mean, dtype, device)
        cov = self._param("cov", cov, work, device)
        if isinstance(mean, (int, float)) or mean.ndim != 1:
            raise ValueError("mean must be 1 dimensional")
        if isinstance(cov, (int, float)) or cov.ndim != 2 or cov.shape[0] != cov.shape[1]:
            raise ValueError("cov must be 2 dimensional and square")
        if mean.shape[0] != cov.shape[0]:
            raise ValueError("mean and cov must have same length")
        _require(self.xp, mean, _NOT_NAN, "mean contains NaN")
        return mean, cov, work

    def _cov_factor(self, cov, method, tol, work):
        """``(A, psd)``: ``A @ A.T == cov``, NumPy's choice for each method, and NumPy's checks.

        ``psd``: whether ``cov`` passed NumPy's positive-semidefinite test
        (None when traced, or not tested: cholesky raises instead); the door
        warns or raises as ``check_valid`` says.
        """
        import numpy as np  # for its LinAlgError class only

        xp = self.xp
        k = cov.shape[0]
        if k == 0:
            return cov, True
        traced = v.is_traced(cov)
        if not traced and v.any_true(xp, ~xp.isfinite(cov)):
            raise np.linalg.LinAlgError("cov contains NaN or infinity")
        if method == "cholesky":
            try:
                low = xp.linalg.cholesky(cov)
            except Exception as exc:  # each library raises its own class
                raise np.linalg.LinAlgError("Matrix is not positive definite") from exc
            if not traced and v.any_true(xp, ~xp.isfinite(low)):  # JAX returns NaN instead
                raise np.linalg.LinAlgError("Matrix is not positive definite")
            return low, None
        if work != getattr(xp, "float64", None) and not traced:
            scale = float(xp.max(xp.abs(cov)))
            tol = max(tol, 16 * k * float(xp.finfo(work).eps) * scale)
        if method == "eigh":
            s, u = xp.linalg.eigh(cov)
            psd = None if traced else not v.any_true(xp, s < -tol)
            factor = u * xp.sqrt(xp.abs(s))
        else:
            u, s, vh = xp.linalg.svd(cov)
            if traced:
                psd = None
            else:
                rebuilt = xp.matmul(xp.matrix_transpose(vh) * s, vh)
                psd = not v.any_true(xp, xp.abs(rebuilt - cov) > tol + tol * xp.abs(cov))
            factor = u * xp.sqrt(s)
        return factor, psd
