"""NumPy: ``numpy.random.Generator`` (PCG64) does every draw it has a routine for."""
from __future__ import annotations

import threading

import numpy as np

from ._base import Backend
from ._source import Source

# the facade hands over canonical dtype instances: ``is`` is the usual answer,
# ``==`` (several times slower on a small draw) catches the spellings generic
# samplers pass on (``xp.float64``)
_F64 = np.dtype(np.float64)
_I64 = np.dtype(np.int64)
_scalar = np.asarray  # a Python float as a 0-d float64 array


class NumpySource(Source):
    """numpy.random.Generator's routines.

    The samplers in ``_ONE_CALL`` draw without the backend's lock: one call
    into NumPy, which holds its BitGenerator's lock through it. Those of them
    that are one call for some parameters only (a Dirichlet of one alpha
    vector, ``f`` with both degrees of freedom at least 1) hold ``lock`` (the
    backend's, reentrant) around their other branch, the generic sampler's
    several calls, so that no state read lands between two (SPEC K8).
    """

    def __init__(self, xp, gen: np.random.Generator, lock=None):
        self.xp = xp
        self.device = "cpu"
        self.gen = gen
        self.lock = threading.RLock() if lock is None else lock

    def bits(self, shape, width):
        dtype = np.uint32 if width == 32 else np.uint64
        return self.gen.integers(0, np.iinfo(dtype).max, size=shape, dtype=dtype, endpoint=True)

    # A float64 draw of shape (): NumPy's size=None, a Python float, and its
    # 0-d array (_scalar) are 0.2-0.3 us sooner than NumPy's size=() path; the
    # same value. (A float32 one comes back as a Python float too: not here.)
    def random(self, shape, dtype):
        if not shape and dtype is _F64:
            return _scalar(self.gen.random())
        return self.gen.random(shape, dtype=dtype)

    def standard_normal(self, shape, dtype):
        if not shape and dtype is _F64:
            return _scalar(self.gen.standard_normal())
        return self.gen.standard_normal(shape, dtype=dtype)

    def standard_exponential(self, shape, dtype):
        if not shape and dtype is _F64:
            return _scalar(self.gen.standard_exponential())
        return self.gen.standard_exponential(shape, dtype=dtype)

    def integers(self, shape, dtype, low, high):
        if not shape and type(low) is int and type(high) is int:
            # size=None: the same draw from the stream, without NumPy's slow
            # 0-d array path; the NumPy scalar's own __array__ is a 0-d array
            # 0.1 us sooner than np.asarray. Tested first: the scalar call sits
            # at its 1 us target (added 0.92-1.01 us with the int size first,
            # 0.90-0.94 now; size 10 0.71-0.78 and 0.74-0.85, 4 alternated runs)
            return self.gen.integers(low, high, None, dtype, True).__array__()
        if len(shape) == 1:  # the same draw; NumPy reads an int size faster than a tuple
            return self.gen.integers(low, high, shape[0], dtype, True)
        return self.gen.integers(low, high, shape, dtype, True)

    def permutation_indices(self, shape, dtype):
        if len(shape) == 1:
            return self.gen.permutation(shape[0]).astype(dtype, copy=False)
        return self.gen.permuted(np.broadcast_to(np.arange(shape[-1], dtype=dtype), shape), axis=-1)

    # float32: the generic samplers' arithmetic (same operations, same order,
    # same values) on the one array drawn, see _affine
    def uniform(self, shape, dtype, low, high):
        if dtype is _F64 or dtype == _F64:
            if not shape:
                return _scalar(self.gen.uniform(low, high))
            return self.gen.uniform(low, high, shape)
        return _affine(self.gen.random(shape or None, dtype=dtype), dtype, high - low, low)

    def normal(self, shape, dtype, loc, scale):
        if dtype is _F64 or dtype == _F64:
            if not shape:
                return _scalar(self.gen.normal(loc, scale))
            return self.gen.normal(loc, scale, shape)
        return _affine(self.gen.standard_normal(shape or None, dtype=dtype), dtype, scale, loc)

    def exponential(self, shape, dtype, scale):
        if dtype is _F64 or dtype == _F64:
            if not shape:
                return _scalar(self.gen.exponential(scale))
            return self.gen.exponential(scale, shape)
        return _affine(self.gen.standard_exponential(shape or None, dtype=dtype), dtype, scale)

    def gamma(self, shape, dtype, a, scale):
        if dtype is _F64 or dtype == _F64:
            return self.gen.gamma(a, scale, shape)
        return _affine(self.gen.standard_gamma(a, shape or None, dtype=dtype), dtype, scale)

    # --- continuous: NumPy's routines for float64; for float32 NumPy has only
    # standard_gamma, so other float32 draws are the generic samplers on NumPy's
    # float32 primitives (a float64 draw cast down would not be a float32 draw).
    def standard_gamma(self, shape, dtype, a):
        return self.gen.standard_gamma(a, shape, dtype=dtype)

    def dirichlet(self, shape, dtype, alpha):
        if (dtype is _F64 or dtype == _F64) and alpha.ndim == 1:
            return self.gen.dirichlet(alpha, _batch(shape))
        with self.lock:  # several calls: see the class docstring
            return _ndarray(super().dirichlet(shape, dtype, alpha))

    def f(self, shape, dtype, dfnum, dfden):
        # NumPy divides two chi-squares that both round to 0 for tiny df (nan);
        # the generic sampler takes the ratio in log space
        if (dtype is _F64 or dtype == _F64) and _at_least_one(dfnum) and _at_least_one(dfden):
            return _ndarray(self.gen.f(dfnum, dfden, shape))
        with self.lock:
            return _ndarray(super().f(shape, dtype, dfnum, dfden))

    def noncentral_f(self, shape, dtype, dfnum, dfden, nonc):
        if (dtype is _F64 or dtype == _F64) and _at_least_one(dfnum) and _at_least_one(dfden):
            return _ndarray(self.gen.noncentral_f(dfnum, dfden, nonc, shape))
        with self.lock:
            return _ndarray(super().noncentral_f(shape, dtype, dfnum, dfden, nonc))

    # --- discrete: NumPy's routines (int64) for every count distribution. Another
    # integer dtype gets the same values converted: the facade has bounded the
    # parameters so that they fit, and the rare geometric/logseries count past
    # the maximum saturates, as NumPy's own geometric does at int64's.
    def poisson(self, shape, dtype, lam):
        return _counts(self.gen.poisson(lam, shape), dtype)

    def binomial(self, shape, dtype, n, p):
        return _counts(self.gen.binomial(n, p, shape), dtype)

    def geometric(self, shape, dtype, p):
        return _counts(self.gen.geometric(p, shape), dtype)

    def negative_binomial(self, shape, dtype, n, p):
        return _counts(self.gen.negative_binomial(n, p, shape), dtype)

    def hypergeometric(self, shape, dtype, ngood, nbad, nsample):
        return _counts(self.gen.hypergeometric(ngood, nbad, nsample, shape), dtype)

    def logseries(self, shape, dtype, p):
        return _counts(self.gen.logseries(p, shape), dtype)

    def zipf(self, shape, dtype, a):
        # NumPy truncates Zipf to int64's range; a narrower dtype truncates there
        if dtype is _I64 or dtype == _I64:
            return self.gen.zipf(a, shape)
        return super().zipf(shape, dtype, a)

    def multinomial(self, shape, dtype, n, pvals):
        return _counts(self.gen.multinomial(n, pvals, _batch(shape)), dtype)

    def multivariate_hypergeometric(self, shape, dtype, colors, nsample, *, method, total=None):
        return _counts(self.gen.multivariate_hypergeometric(colors, nsample, _batch(shape),
                                                            method=method), dtype)


def _batch(shape):
    """NumPy's ``size`` of a vector draw of ``shape``: its batch axes, ``None`` for one vector
    and an int for one axis (NumPy's size=() and tuples cost 0.5-1 us more on a small draw)."""
    if len(shape) == 2:
        return shape[0]
    return shape[:-1] or None


def _affine(x, dtype, scale, loc=None):
    """``x * scale (+ loc)`` in ``dtype`` (float32), for ``x`` drawn in ``dtype``.

    An array is scaled in place: no temporaries, the peak memory is the
    output's. ``size=None`` draws a scalar (``shape or None``; NumPy gives
    the float32 value as a Python float): as a NumPy float32 scalar its
    arithmetic is several times faster than in-place operations on a 0-d
    array, with the same float32 results.
    """
    if type(x) is np.ndarray:
        x *= scale
        if loc is not None:
            x += loc
        return x
    x = np.dtype(dtype).type(x) * scale
    return np.asarray(x if loc is None else x + loc)


def _ndarray(out):
    """``out`` as an ndarray: a generic sampler's 0-d result may be a NumPy scalar."""
    return out if type(out) is np.ndarray else np.asarray(out)


def _at_least_one(x) -> bool:
    """``all(x >= 1)``; a Python scalar without NumPy's array round trip (~2 us)."""
    if type(x) is float or type(x) is int:
        return x >= 1
    return bool(np.min(x) >= 1)


def _counts(out, dtype):
    """NumPy's int64 counts as ``dtype``, saturating (the facade keeps them in range)."""
    if type(out) is not np.ndarray:  # size=None: NumPy's Python int
        out = np.asarray(out)
    if out.dtype is dtype or out.dtype == dtype:
        return out
    info = np.iinfo(dtype)
    # asarray: clip of a 0-d array gives a NumPy scalar
    return np.asarray(np.clip(out, max(info.min, np.iinfo(np.int64).min),
                              min(info.max, np.iinfo(np.int64).max)).astype(dtype))


def _float64_native(name):
    """A sampler that is NumPy's own routine for float64 and the generic one otherwise."""
    generic = getattr(Source, name)

    def sampler(self, shape, dtype, *params):
        if dtype is _F64 or dtype == _F64:
            return getattr(self.gen, name)(*params, shape)
        return generic(self, shape, dtype, *params)

    sampler.__name__ = sampler.__qualname__ = name
    return sampler


_FLOAT64_NATIVE = ("beta", "chisquare", "standard_t", "noncentral_chisquare", "gumbel",
                   "laplace", "logistic", "lognormal", "pareto", "power", "rayleigh", "weibull",
                   "triangular", "vonmises", "wald", "standard_cauchy")
for _name in _FLOAT64_NATIVE:
    setattr(NumpySource, _name, _float64_native(_name))
del _name


# Samplers that are one call into numpy.random.Generator whatever the
# parameters: NumPy holds its BitGenerator's lock through that call, which is
# all SPEC K8 asks of them, so their draws skip the backend's own lock (a good
# part of a small draw's cost). The value is the dtype the one-call route
# needs (True: every dtype); the rest (generic samplers making several
# primitive calls, and the N-d permutation, which NumPy makes slice by slice)
# are drawn under the backend's lock so that no state read lands inside them.
# ``tests/test_fast_paths.py`` counts the calls of every entry.
_ONE_CALL = dict.fromkeys(
    ("bits", "random", "standard_normal", "standard_exponential", "integers", "uniform",
     "normal", "exponential", "gamma", "standard_gamma", "poisson", "binomial", "geometric",
     "negative_binomial", "hypergeometric", "logseries", "multinomial",
     "multivariate_hypergeometric", "multivariate_normal",
     "dirichlet", "f", "noncentral_f"), True)  # the last three: see NumpySource
_ONE_CALL.update(dict.fromkeys(_FLOAT64_NATIVE, _F64), zipf=_I64)


class NumpyBackend(Backend):
    name = "numpy"
    lock_type = threading.RLock  # see NumpySource

    def __init__(self, xp, device, seed):
        super().__init__(xp, device, seed)
        if isinstance(seed, np.random.Generator):
            self.gen = seed
        else:
            self.gen = np.random.Generator(np.random.PCG64(seed))
        self._source = NumpySource(xp, self.gen, self._lock)

    def draw(self, name, shape, dtype, device, *params, **static):
        # the drawer's rule (one NumPy call, or the whole draw under the lock)
        # for this one draw; a generic sampler may return a NumPy scalar for
        # shape (), and the contract is a 0-d array
        return _ndarray(self.drawer(name, dtype, device)(shape, dtype, *params, **static))

    def drawer(self, name, dtype, device):
        sampler = getattr(self._source, name)  # set_state keeps the source
        one = _ONE_CALL.get(name)
        if one is True or one is dtype:
            # one call into NumPy: the source's own sampler, which returns an
            # ndarray for shape () too (tests/test_fast_paths.py)
            return sampler
        # several calls into NumPy: the whole draw under the lock, as
        # numpy.random.Generator holds its lock through one of its calls, so
        # that a state read never sees a draw half made (SPEC K8)
        lock = self._lock
        if name == "permutation_indices":  # one call for one permutation
            def run(shape, dtype):
                if len(shape) == 1:
                    return sampler(shape, dtype)
                with lock:
                    return sampler(shape, dtype)
            return run

        def run(shape, dtype, *params, **static):  # several calls: as draw does them
            with lock:
                out = sampler(shape, dtype, *params, **static)
            return _ndarray(out)
        return run

    # NumPy's own calls where they draw what the generic methods would from
    # the same state (tests/test_sampling_native.py): NumPy's shuffle and
    # permutation both swap by random_interval from the end, Fisher-Yates
    # on the array or on its indices, and its bytes are the uint8 integers'
    # 32-bit words. Each is one call under NumPy's lock (SPEC K8); what
    # differs, it is NumPy's: NumPy draws nothing to shuffle an empty array,
    # flattens an F-ordered one in F order for permuted, and bytes(0)
    # draws a word.
    def shuffle(self, x, axis, indices):
        if type(x) is np.ndarray and x.ndim == 1:
            self.gen.shuffle(x)
        elif x.size:
            # NumPy moves an N-d array's slices in a Python-level loop, 50
            # times the permutation taken and written back (1e5 x 4), which
            # draws the same values
            super().shuffle(x, axis, indices)

    def permuted(self, x, axis, indices):
        return self.gen.permuted(x, axis=axis)

    def bytes(self, n):
        return self.gen.bytes(n)

    def spawn(self, n):
        with self._lock:
            children = self.gen.spawn(n)
        return [NumpyBackend(self.xp, self.device, child) for child in children]

    @classmethod
    def _portable(cls):
        # the generic samplers; raw words from NumPy's own route to the same bits
        from .generic import portable_class
        from .numpy_threefry import NumpyThreefrySource
        return portable_class(cls, NumpyThreefrySource)

    def entropy(self):
        with self._lock:
            return [int(w) for w in self.gen.integers(0, 2**32, size=4, dtype=np.uint32)]

    def get_state(self):
        # "pcg64", not NumPy's "bit_generator": Generator.state names the stream there
        # NumPy's lock too: a one-call draw holds only that one (see _ONE_CALL),
        # and NumPy fills an array with the GIL released
        gen = self.gen
        with self._lock, gen.bit_generator.lock:
            return {"pcg64": gen.bit_generator.state,
                    "seed_seq": gen.bit_generator.seed_seq}

    def set_state(self, state):
        bitgen = np.random.PCG64(state["seed_seq"])
        bitgen.state = state["pcg64"]
        with self._lock:
            # the same source, drawing from the new generator: the facade's
            # drawers are its bound samplers
            self.gen = self._source.gen = np.random.Generator(bitgen)

    def check_device(self, device):
        if device not in ("cpu", None):
            raise ValueError(f"NumPy arrays live on 'cpu' only, not {device!r}")
        return "cpu"
