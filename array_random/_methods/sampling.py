"""Permutations, choice and bytes: index samplers applied to the caller's arrays."""
from __future__ import annotations

import math
import numbers

import array_api_compat

from .. import _validate as v
from ._quick import quick


class SamplingMethods:
    def _index_dtype(self, device):
        return self._dtype(None, "indexing", device)

    def _own_array(self, name, x):
        # array_api_compat decides by type; a type once found to be this
        # namespace's is let through at once (the two lookups cost ~5 us)
        if type(x) in self._own_types:
            return x
        if not array_api_compat.is_array_api_obj(x):
            raise TypeError(f"{name} must be an int or an array of {self.backend}, not "
                            f"{type(x).__name__}")
        if array_api_compat.array_namespace(x) is not self.xp:
            raise TypeError(f"{name} is a {type(x).__module__} array; this generator works on "
                            f"{self.backend} arrays")
        self._own_types.add(type(x))
        return x

    def _permutation_indices(self, shape, device):
        dtype = self._index_dtype(device)
        # a 1-d shape as its length: _draw's quick rule for an int size
        return self._draw("permutation_indices", shape[0] if len(shape) == 1 else shape, dtype,
                          device)

    @quick("permutation_indices", kind="indexing", counts="x", shape="(x,)", when="x >= 0",
           args="")
    def permutation(self, x, axis=0, *, device=None):
        """A randomly permuted ``range(x)``, or a copy of array ``x`` shuffled along ``axis``.

        Parameters
        ----------
        x : int or array
            ``n`` for a permutation of ``0 .. n-1``, or an array to permute.
        axis : int
            The axis of ``x`` along which whole slices are permuted.
        device : device, optional
            Where a permutation of ``range(x)`` lives (an array keeps its own).

        Returns
        -------
        array
            The permutation; ``x`` itself is left untouched.

        Examples
        --------
        >>> sorted(array_random.default_rng(numpy, 0).permutation(4).tolist())
        [0, 1, 2, 3]
        """
        if type(x) is int or isinstance(x, numbers.Integral):
            # NumPy's np.arange(x): a bool is 0 or 1, a negative int gives []
            return self._permutation_indices((max(int(x), 0),), self._device(device))
        if isinstance(x, numbers.Real):  # NumPy: a 0-d array, which has no axis to permute
            raise _axis_error(axis, 0)
        x = self._own_array("x", x)
        axis = _axis(x, axis)
        idx = self._permutation_indices((x.shape[axis],), array_api_compat.device(x))
        return self._backend.take(x, idx, axis)

    def permuted(self, x, *, axis=None, out=None):
        """A copy of ``x`` with every slice along ``axis`` shuffled independently.

        Parameters
        ----------
        x : array
            The array to permute.
        axis : int, optional
            The axis whose 1-d slices are each shuffled; ``None`` shuffles the
            flattened array.
        out : array, optional
            A mutable array to hold the result (may be ``x`` itself).

        Returns
        -------
        array
            The permuted copy (or ``out``).

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).permuted(numpy.eye(3), axis=1).shape
        (3, 3)
        """
        if isinstance(x, numbers.Number):  # NumPy: a 0-d array
            if axis is None:
                raise TypeError("x is 0-d: there is nothing to permute (len() of unsized object)")
            raise _axis_error(axis, 0)
        x = self._own_array("x", x)
        if axis is not None:
            axis = _axis(x, axis)
        elif x.ndim == 0:
            raise TypeError("x is 0-d: there is nothing to permute (len() of unsized object)")
        return self._finish(self._backend.permuted(x, axis, self._permutation_indices), out)

    def shuffle(self, x, axis=0):
        """Shuffle the mutable array ``x`` in place along ``axis``.

        Parameters
        ----------
        x : array
            A NumPy, torch or array_api_strict array. JAX (and dask) arrays are
            immutable: ``TypeError``, use :meth:`permutation` or :meth:`permuted`.
        axis : int
            The axis along which whole slices are shuffled.

        Returns
        -------
        None

        Examples
        --------
        >>> a = numpy.arange(5); array_random.default_rng(numpy, 0).shuffle(a)
        """
        x = self._own_array("x", x)
        ndim = x.ndim
        if ndim == 0:
            raise TypeError("x is 0-d: there is nothing to shuffle (len() of unsized object)")
        if type(x) not in self._mutable_types:  # its verdict kept, as _own_array's (0.3 us)
            if self._backend.name in ("jax", "dask") or not hasattr(x, "__setitem__"):
                raise TypeError(f"{self.backend} arrays are immutable and cannot be shuffled in "
                                "place; use x = rng.permutation(x, axis=...) or rng.permuted(x)")
            self._mutable_types.add(type(x))
        if type(axis) is not int or not -ndim <= axis < ndim:
            axis = _axis(x, axis)  # its errors; or an integral axis that is no int
        # the usual axis without _axis's call: 0.3 us of a small shuffle
        self._backend.shuffle(x, axis % ndim, self._permutation_indices)

    @quick("integers", kind="indexing", counts="a", fixed={"replace": True, "p": None},
           when="a > 0 and 0 not in _shape", args="0, a - 1")
    def choice(self, a, size=None, replace=True, p=None, axis=0, shuffle=True, *, device=None):
        """A random sample from ``range(a)`` or from the slices of array ``a`` along ``axis``.

        Parameters
        ----------
        a : int or array
            The population: ``range(a)``, or ``a``'s slices along ``axis``.
        size : int or tuple of ints, optional
            How many, in what shape; ``None`` draws one (a 0-d result for ``int a``).
        replace : bool
            With replacement (the default) or without.
        p : array-like of floats, optional
            Probabilities of the population's entries: non-negative, summing to 1.
        axis : int
            The axis of ``a`` to sample along.
        shuffle : bool
            Accepted for NumPy compatibility; samples without replacement always
            come in random order.
        device : device, optional
            Where a sample of ``range(a)`` lives (a sample of an array keeps its device).

        Returns
        -------
        array
            The sample.

        Examples
        --------
        >>> array_random.default_rng(numpy, 0).choice(5, 3, replace=False).shape
        (3,)
        """
        xp = self.xp
        if type(a) is int or isinstance(a, numbers.Integral):  # a bool too, as in NumPy
            n, population = int(a), None
            device = self._device(device)
            if n < 0:
                raise ValueError("a must be a positive integer unless no samples are taken")
        else:
            if isinstance(a, numbers.Number):
                raise ValueError(f"a must be a sequence or an integer, not {type(a).__name__}")
            population = self._own_array("a", a)
            if population.ndim == 0:
                raise ValueError("a cannot be empty unless no samples are taken")
            axis = _axis(population, axis)
            n = population.shape[axis]
            device = array_api_compat.device(population)
        shape = v.size(size)
        k = 1 if shape is None else math.prod(shape)
        if k > 0 and n == 0:
            raise ValueError("a cannot be empty unless no samples are taken")
        if not replace and k > n:
            raise ValueError("Cannot take a larger sample than population when replace is False")
        if p is not None:
            p = self._probabilities(p, n, k, replace, device)
        dtype = self._index_dtype(device)
        out_shape = () if shape is None else shape
        if population is None and p is None and replace and k > 0:
            # the usual choice, uniform integers of range(a): drawn in the
            # output's shape, no reshape (a few us on a small draw), by the
            # very call choice_indices makes for it (the same values)
            return self._draw("integers", size, dtype, device, 0, n - 1)
        if k == 0:
            idx = xp.zeros((0,), dtype=dtype, device=device)
        else:
            idx = self._backend.draw("choice_indices", (k,), dtype, device, p, n=n,
                                     replace=bool(replace))
        if population is None:
            return xp.reshape(idx, out_shape)
        taken = self._backend.take(population, idx, axis)
        return xp.reshape(taken, population.shape[:axis] + out_shape + population.shape[axis + 1:])

    def _probabilities(self, p, n, k, replace, device):
        xp = self.xp
        if hasattr(p, "dtype"):
            self._own_array("p", p)  # before p.dtype meets this namespace's isdtype
        dtype = self._dtype(p.dtype if hasattr(p, "dtype") and xp.isdtype(p.dtype, "real floating")
                            else None, "real floating", device)
        p = self._param("p", p, dtype, device)
        if isinstance(p, (int, float)) or p.ndim != 1:
            raise ValueError("p must be 1-dimensional")
        if p.shape[0] != n:
            raise ValueError("a and p must have same size")
        v.check(xp, "p", p, lambda q: q < 0, "probabilities are not non-negative")
        if not v.is_traced(p):
            total = float(xp.sum(xp.astype(p, xp.float64) if dtype == getattr(xp, "float64", None)
                                 else p))
            atol = max(1.5e-8, float(xp.finfo(dtype).eps) ** 0.5)
            if abs(total - 1.0) > atol:
                raise ValueError(f"probabilities do not sum to 1 (they sum to {total})")
            if not replace and int(xp.sum(xp.astype(p > 0, xp.int32), dtype=xp.int32)) < k:
                raise ValueError("Fewer non-zero entries in p than size")
        return p

    def bytes(self, length):
        """``length`` random bytes.

        Parameters
        ----------
        length : int
            Number of bytes.

        Returns
        -------
        bytes
            A Python ``bytes`` object (host memory, whatever the backend).

        Examples
        --------
        >>> len(array_random.default_rng(numpy, 0).bytes(10))
        10
        """
        return self._backend.bytes(v.byte_length(length)[0])


def _axis(x, axis):
    # x.ndim read once and type() before the ABC's isinstance (~0.7 us even
    # for an int): a good part of a small shuffle's checks
    ndim = x.ndim
    if type(axis) is not int and not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an int, not {axis!r}")
    if not -ndim <= axis < ndim:
        raise _axis_error(axis, ndim)
    return axis % ndim


def _axis_error(axis, ndim):
    """NumPy's AxisError (a ValueError and an IndexError) for an ``axis`` that ``ndim`` lacks."""
    from numpy.exceptions import AxisError
    return AxisError(f"axis {axis} is out of bounds for an array of dimension {ndim}")

