"""Dask: lazy arrays, one task per output block, every block drawn by NumPy.

A draw builds a graph and computes nothing. Block ``b`` of draw ``c`` is one
task that runs the NumPy Generator's own method (its checks, its sampler) on
the block's shape and the block's parameter values:

- native mode: a ``numpy.random.Generator(PCG64)`` seeded from the
  SeedSequence ``(entropy, spawn_key + (2**32 - 1, c, b))`` of the Dask
  generator's SeedSequence. ``2**32 - 1`` is a child index ``spawn`` never
  reaches, so no block stream is a spawned child's. Values are reproducible
  for a given chunking and change with it.
- portable mode (``bit_generator="threefry"``): the Threefry source of the
  generic backend on NumPy under the draw's key ``fold_in(key, c)``, with a
  :class:`~array_random.backends.generic.Window` that gives every element
  the counters it has in the one-piece draw: any chunking holds exactly the
  values of NumPy's (or JAX's, or array_api_strict's) portable draw.

Parameters that are Dask arrays stay lazy: each output block reads the
matching blocks of them (broadcast dimensions read block 0), and their values
are checked inside the block's task, when it runs, by the NumPy method (same
exception classes). Python scalars, lists and NumPy arrays (and Dask arrays
that only hold in-memory data) are checked at once, before the graph exists,
by a dry run of the NumPy method that draws nothing.

Methods that couple elements cannot be cut anywhere: dirichlet, multinomial,
multivariate_normal and multivariate_hypergeometric are chunked along their
batch axes only (the last axis lies whole in each block; with batched
parameters the whole draw is one task); choice with replacement is one task
per block (each element is drawn on its own); choice without replacement and
permutation of an int are one task; permuted along an axis is one task per
block of the other axes;
permutation of an array draws its index vector in one task. ``bytes`` returns
Python bytes, so it draws at once; ``shuffle`` is a ``TypeError`` (Dask arrays
are immutable).
"""
from __future__ import annotations

import functools
import inspect
import itertools
import numbers
import threading

import numpy as np

from .. import _validate
from .._generator import Generator
from . import threefry
from ._base import Backend
from ._keys import SPAWN, check_counter, is_jax_key, jax_key_words, key_words_from_seed
from .generic import ThreefrySource, Window
from .numpy_backend import NumpyBackend

#: the methods whose elements are drawn independently: one task per output block
ELEMENTWISE = ("random", "uniform", "standard_normal", "normal", "standard_exponential",
               "exponential", "standard_gamma", "gamma", "beta", "chisquare", "f",
               "standard_t", "noncentral_chisquare", "noncentral_f", "gumbel", "laplace",
               "logistic", "lognormal", "pareto", "power", "rayleigh", "weibull",
               "standard_cauchy", "triangular", "vonmises", "wald", "integers", "poisson",
               "binomial", "geometric", "negative_binomial", "hypergeometric", "logseries",
               "zipf")
#: one draw along the last axis couples its elements: chunked along the others
LAST_AXIS = ("dirichlet", "multinomial", "multivariate_normal", "multivariate_hypergeometric")
#: arguments that are options, not distribution parameters
_OPTIONS = ("size", "dtype", "device", "out", "method", "endpoint", "check_valid", "tol",
            "replace", "axis", "shuffle")


def _numpy_namespace():
    import array_api_compat.numpy as npx
    return npx


def _da():
    import dask.array as da
    return da


def _is_dask(x) -> bool:
    da = _da()
    return isinstance(x, da.Array)


def _in_memory(x) -> bool:
    """Whether the Dask array ``x`` only holds data already in memory (``asarray`` of a list)."""
    graph = x.__dask_graph__()
    if len(graph) > 64:
        return False
    return all(isinstance(v, np.ndarray) for v in dict(graph).values())


#: guards the draw and spawn counters of every Dask generator (taken for a few
#: instructions per draw: one lock for all is simpler than one per generator)
_COUNTER_LOCK = threading.Lock()


class _Unknown(np.ndarray):
    """A stand-in for a lazy parameter in the dry run: shape and dtype, values unknown."""


_validate.defer_checks_for(_Unknown)


def _shape_stand_in(x):
    """A NumPy array of ``x``'s dtype and number of axes (each of length 1 or 0)."""
    return np.zeros(tuple(min(d, 1) for d in x.shape), dtype=x.dtype)


def _stand_in(x):
    # all-ones shape: broadcasts like the parameter without its memory
    return np.ones((1,) * max(x.ndim, 1), dtype=x.dtype).view(_Unknown)


# --- the backends ----------------------------------------------------------------
class DaskBackend(Backend):
    """Native mode: each block drawn by its own NumPy PCG64 (see the module docstring)."""

    name = "dask"
    bit_generator = "native"

    def __init__(self, xp, device, seed):
        super().__init__(xp, device, seed)
        if isinstance(seed, np.random.SeedSequence):
            self.seed_seq = seed
        else:
            self.seed_seq = np.random.SeedSequence(seed)
        self.count = 0
        self.spawned = 0

    @classmethod
    def for_bit_generator(cls, name):
        if name == "native":
            return DaskBackend
        if name == "threefry":
            return DaskThreefryBackend
        raise ValueError(f"unknown bit_generator {name!r}; choose one of 'native', 'threefry'")

    def next_draw(self) -> int:
        """The number of the next draw (advances the generator; one number per draw, also
        when threads share the generator)."""
        with _COUNTER_LOCK:
            check_counter(self.count)
            c, self.count = self.count, self.count + 1
        return c

    def block_spec(self, draw: int):
        """What a block task needs to rebuild its generator: picklable, small."""
        return ("native", self.seed_seq.entropy, tuple(self.seed_seq.spawn_key), draw)

    def spawn(self, n):
        with _COUNTER_LOCK:
            first, self.spawned = self.spawned, self.spawned + n
        seq = self.seed_seq
        return [DaskBackend(self.xp, self.device,
                            np.random.SeedSequence(seq.entropy,
                                                   spawn_key=tuple(seq.spawn_key) + (first + j,)))
                for j in range(n)]

    def entropy(self):
        return [int(w) for w in self.seed_seq.generate_state(4, np.uint32)]

    def get_state(self):
        return {"entropy": self.seed_seq.entropy, "spawn_key": tuple(self.seed_seq.spawn_key),
                "counter": self.count, "spawned": self.spawned}

    def set_state(self, state):
        self.seed_seq = np.random.SeedSequence(state["entropy"],
                                               spawn_key=tuple(state["spawn_key"]))
        self.count = int(state["counter"])
        self.spawned = int(state["spawned"])

    def draw(self, name, shape, dtype, device, *params, **static):
        raise TypeError("the Dask generator draws through its methods (they build the graph)")


class DaskThreefryBackend(DaskBackend):
    """Portable mode: the Threefry stream, every block at its place in the one-piece draw."""

    bit_generator = "threefry"

    def __init__(self, xp, device, seed):
        Backend.__init__(self, xp, device, seed)
        if isinstance(seed, tuple):  # a key handed down by spawn
            self.key = seed
        elif is_jax_key(seed):  # used as the key itself, as on every portable backend
            self.key = jax_key_words(seed)
        else:
            self.key = key_words_from_seed(seed if isinstance(seed, np.random.SeedSequence)
                                           else np.random.SeedSequence(seed))
        self.count = 0
        self.spawned = 0

    @classmethod
    def accepts_native_seed(cls, seed) -> bool:
        # a JAX key is a Threefry key: the portable stream continues from it
        return is_jax_key(seed) or super().accepts_native_seed(seed)

    def block_spec(self, draw):
        return ("threefry", threefry.fold_in(self.key, draw))

    def next_key(self):
        """The next draw's key ``fold_in(key, counter)`` as a JAX key, as every portable
        backend gives it (``Generator.jax_key``); the counter advances."""
        import jax

        key = threefry.fold_in(self.key, self.next_draw())
        return jax.random.wrap_key_data(jax.numpy.asarray(key, dtype=jax.numpy.uint32),
                                        impl="threefry2x32")

    def spawn(self, n):
        base = threefry.fold_in(self.key, SPAWN)
        with _COUNTER_LOCK:
            first, self.spawned = self.spawned, self.spawned + n
        return [DaskThreefryBackend(self.xp, self.device, threefry.fold_in(base, first + j))
                for j in range(n)]

    def entropy(self):
        return list(self.key)

    def get_state(self):
        return {"key": self.key, "counter": self.count, "spawned": self.spawned}

    def set_state(self, state):
        self.key = tuple(int(k) for k in state["key"])
        self.count = int(state["counter"])
        self.spawned = int(state["spawned"])


# --- what runs inside a block's task ------------------------------------------------
class _ThreefryBlock(Backend):
    """The NumPy facade's backend for one block in portable mode: one draw, windowed."""

    name = "numpy"  # the NumPy methods' own conventions (0-d parameters as scalars)

    def __init__(self, key, window):
        super().__init__(_numpy_namespace(), "cpu", None)
        self.key = key
        self.window = window

    def draw(self, name, shape, dtype, device, *params, **static):
        src = ThreefrySource(self.xp, "cpu", self.key, window=self.window)
        return getattr(src, name)(shape, dtype, *params, **static)

    def check_device(self, device):
        return "cpu"


class _Recorder(Backend):
    """The NumPy facade's backend for the dry run: checks run, nothing is drawn."""

    name = "numpy"

    def __init__(self):
        super().__init__(_numpy_namespace(), "cpu", None)
        self.draws = []

    def draw(self, name, shape, dtype, device, *params, **static):
        self.draws.append((name, tuple(shape), dtype))
        return np.broadcast_to(np.zeros((), dtype=dtype), shape)

    def check_device(self, device):
        return "cpu"


def _block_generator(spec, flat: int, window):
    if spec[0] == "native":
        _, entropy, spawn_key, draw = spec
        seq = np.random.SeedSequence(entropy, spawn_key=spawn_key + (SPAWN, draw, flat))
        return Generator(NumpyBackend(_numpy_namespace(), "cpu", seq))
    return Generator(_ThreefryBlock(spec[1], window))


class _Block:
    """One block of a draw: where it lies, its shape, its number (picklable, not a tuple:
    Dask would read a tuple inside a task as a key or a task)."""

    __slots__ = ("offsets", "shape", "flat", "arrays")

    def __init__(self, offsets, shape, flat, arrays):
        self.offsets, self.shape, self.flat, self.arrays = offsets, shape, flat, arrays

    def __getstate__(self):
        return (self.offsets, self.shape, self.flat, self.arrays)

    def __setstate__(self, state):
        self.offsets, self.shape, self.flat, self.arrays = state


class _Call:
    """A method call to repeat in every block, with the block's shape and parameters."""

    def __init__(self, method, arguments, spec, global_shape, batch_ndim, size_of=None,
                 moved_axis=None, flat=False):
        self.method = method
        self.arguments = arguments      # name -> value; _Slot(i) for per-block arrays
        self.spec = spec
        self.global_shape = global_shape
        self.batch_ndim = batch_ndim
        self.size_of = size_of          # size= of a block: "all" its shape, "batch" all but the last axis
        self.moved_axis = moved_axis    # permuted: the axis that lies whole
        self.flat = flat                # choice: the sampler draws the block flattened

    def __call__(self, block: _Block, *lazy):
        values = list(block.arrays) + [np.asarray(x) for x in lazy]
        kwargs = {k: (values[v.index] if isinstance(v, _Slot) else v)
                  for k, v in self.arguments.items()}
        if self.size_of is not None:  # the block's shape, or its batch part
            kwargs["size"] = block.shape if self.size_of == "all" else block.shape[:-1]
        offsets, shape, glob = block.offsets, block.shape, self.global_shape
        if self.moved_axis is not None:  # the sampler sees the axis moved last
            a = self.moved_axis
            offsets = offsets[:a] + offsets[a + 1:] + (offsets[a],)
            shape = shape[:a] + shape[a + 1:] + (shape[a],)
            glob = glob[:a] + glob[a + 1:] + (glob[a],)
        whole = shape == glob  # the draw in one piece: plain counters, any call shape
        window = None if self.spec[0] == "native" or whole else Window(
            glob, offsets, shape, self.batch_ndim, flat=self.flat)
        gen = _block_generator(self.spec, block.flat, window)
        return np.asarray(getattr(gen, self.method)(**kwargs))


class _Slot:
    __slots__ = ("index",)

    def __init__(self, index):
        self.index = index

    def __getstate__(self):
        return self.index

    def __setstate__(self, index):
        self.index = index


def _slice_for(param_shape, out_shape, offsets, shape):
    """The part of an array parameter (right-aligned, NumPy broadcasting) that one block reads."""
    lead = len(out_shape) - len(param_shape)
    return tuple(slice(None) if param_shape[d] == 1
                 else slice(offsets[lead + d], offsets[lead + d] + shape[lead + d])
                 for d in range(len(param_shape)))


def _graph(name, call, out_shape, chunks, arrays, lazy, dtype):
    """The Dask array of ``call`` over the blocks of ``chunks``: one task per block."""
    da = _da()
    from dask.highlevelgraph import HighLevelGraph

    # lazy parameters: chunked like the output along the axes they share with it
    aligned = []
    for p in lazy:
        lead = len(out_shape) - p.ndim
        want = {d: chunks[lead + d] for d in range(p.ndim)
                if not (p.shape[d] == 1 and out_shape[lead + d] != 1)}
        if any(p.chunks[d] != c for d, c in want.items()):
            p = p.rechunk(want)
        aligned.append(p)
    starts = [tuple(itertools.accumulate((0,) + tuple(c[:-1]))) for c in chunks]
    dsk = {}
    for flat, index in enumerate(itertools.product(*[range(len(c)) for c in chunks])):
        offsets = tuple(starts[d][i] for d, i in enumerate(index))
        shape = tuple(chunks[d][i] for d, i in enumerate(index))
        own = tuple(a[_slice_for(a.shape, out_shape, offsets, shape)] for a in arrays)
        keys = []
        for p in aligned:
            lead = len(out_shape) - p.ndim
            keys.append((p.name,) + tuple(0 if (p.shape[d] == 1 and out_shape[lead + d] != 1)
                                          else index[lead + d] for d in range(p.ndim)))
        dsk[(name,) + index] = (call, _Block(offsets, shape, flat, own), *keys)
    graph = HighLevelGraph.from_collections(name, dsk, dependencies=aligned)
    return da.Array(graph, name, chunks, meta=np.empty((0,) * len(out_shape), dtype=dtype))


def _token(*parts) -> str:
    from dask.base import tokenize
    return tokenize(*parts)


# --- the facade ---------------------------------------------------------------------
class DaskGenerator(Generator):
    """A Generator of lazy ``dask.array.Array`` results; every sampling method takes ``chunks=``.

    ``chunks`` has Dask's meaning (``"auto"``, an int, a tuple per axis, ...).
    With ``"auto"`` the output follows the chunks of a lazy parameter along
    the axes it shares with the output, and Dask's automatic sizes elsewhere.
    """

    # --- the shared path ---------------------------------------------------------
    def _dry_run(self, method, arguments):
        dry = Generator(_Recorder())
        result = getattr(dry, method)(**arguments)
        return dry._backend.draws, result

    def _split_arguments(self, arguments):
        """``(arguments, lazy names)``: in-memory Dask arrays become NumPy ones."""
        out, lazy = {}, []
        for k, v in arguments.items():
            if _is_dask(v):
                if _in_memory(v):
                    v = np.asarray(v.compute())
                elif k not in _OPTIONS:
                    lazy.append(k)
            out[k] = v
        return out, lazy

    def _auto_chunks(self, chunks, shape, dtype, lazy_arrays):
        from dask.array.core import normalize_chunks

        if isinstance(chunks, str) and chunks == "auto" and lazy_arrays:
            previous = [None] * len(shape)
            for p in lazy_arrays:
                lead = len(shape) - p.ndim
                for d in range(p.ndim):
                    if p.shape[d] == shape[lead + d] and previous[lead + d] is None:
                        previous[lead + d] = p.chunks[d]
            known = [c if c is not None else "auto" for c in previous]
            return normalize_chunks(tuple(known), shape, dtype=dtype)
        return normalize_chunks(chunks, shape, dtype=dtype)

    def _elementwise(self, method, arguments, chunks):
        if arguments.get("out") is not None:
            raise TypeError("dask arrays are immutable: out= cannot be written; use the "
                            "returned array")
        arguments.pop("out", None)
        if arguments.get("device") is not None:
            self._device(arguments["device"])
        arguments["device"] = None
        arguments, lazy = self._split_arguments(arguments)
        dry_args = {k: (_stand_in(v) if k in lazy else v) for k, v in arguments.items()}
        draws, result = self._dry_run(method, dry_args)
        dtype = result.dtype
        shapes = [_Shape(tuple(v.shape) if hasattr(v, "shape") else np.shape(v))
                  for k, v in arguments.items()
                  if k not in _OPTIONS and (hasattr(v, "shape") or isinstance(v, (list, tuple)))]
        out_shape = _validate.output_shape(_validate.size(arguments.get("size")), *shapes)
        lazy_arrays = [arguments[k] for k in lazy]
        out_chunks = self._auto_chunks(chunks, out_shape, dtype, lazy_arrays)
        template, arrays = {}, []
        for k, v in arguments.items():
            if k in lazy:
                continue
            if k not in _OPTIONS and isinstance(v, (list, tuple, np.ndarray)):
                template[k] = _Slot(len(arrays))
                arrays.append(np.asarray(v))
            else:
                template[k] = v
        for j, k in enumerate(lazy):
            template[k] = _Slot(len(arrays) + j)
        template["dtype"] = dtype
        draw = self._backend.next_draw()
        call = _Call(method, template, self._backend.block_spec(draw), out_shape,
                     len(out_shape), size_of="all")
        name = f"{method}-{_token(self._backend.block_spec(draw), out_chunks, template)}"
        return _graph(name, call, out_shape, out_chunks, arrays, lazy_arrays, dtype)

    def _materialised(self, arguments):
        """Dask parameters of a coupled method, computed: they are read whole anyway."""
        return {k: (np.asarray(v.compute()) if _is_dask(v) and k not in ("x", "a") else v)
                for k, v in arguments.items()}

    def _last_axis(self, method, arguments, chunks):
        if arguments.get("device") is not None:
            self._device(arguments["device"])
        arguments["device"] = None
        arguments = self._materialised(arguments)
        draws, result = self._dry_run(method, arguments)
        out_shape, dtype = tuple(result.shape), result.dtype
        batched = any(np.ndim(v) > (2 if k == "cov" else 1) or
                      (k in ("n", "nsample") and np.ndim(v) > 0)
                      for k, v in arguments.items() if k not in _OPTIONS)
        arguments["dtype"] = dtype
        if batched or not out_shape:
            return self._one_block(method, arguments, out_shape, dtype, chunks)
        out_chunks = self._auto_chunks(chunks, out_shape, dtype, [])
        out_chunks = out_chunks[:-1] + ((out_shape[-1],),)
        draw = self._backend.next_draw()
        call = _Call(method, dict(arguments), self._backend.block_spec(draw), out_shape,
                     len(out_shape) - 1, size_of="batch")
        name = f"{method}-{_token(self._backend.block_spec(draw), out_chunks, arguments)}"
        return _graph(name, call, out_shape, out_chunks, [], [], dtype)

    def _one_block(self, method, arguments, out_shape, dtype, chunks):
        """The whole draw in one task (its values are the one-piece draw's), then ``chunks``."""
        draw = self._backend.next_draw()
        call = _Call(method, dict(arguments), self._backend.block_spec(draw), out_shape,
                     len(out_shape))
        whole = tuple((d,) for d in out_shape)
        name = f"{method}-{_token(self._backend.block_spec(draw), arguments)}"
        x = _graph(name, call, out_shape, whole, [], [], dtype)
        if isinstance(chunks, str) and chunks == "auto":
            return x
        return x.rechunk(chunks)

    # --- methods that couple elements -------------------------------------------
    def _choice(self, arguments, chunks):
        if arguments.get("device") is not None:
            self._device(arguments["device"])
        arguments["device"] = None
        arguments = {k: (np.asarray(v.compute()) if _is_dask(v) else v)
                     for k, v in arguments.items()}
        _, result = self._dry_run("choice", arguments)
        out_shape, dtype = tuple(result.shape), result.dtype
        a = arguments["a"]
        if not arguments["replace"] or np.ndim(a) > 1 or not out_shape:
            # without replacement the sample couples every element: one task
            return self._one_block("choice", arguments, out_shape, dtype, chunks)
        # with replacement each element is drawn on its own: one task per block
        out_chunks = self._auto_chunks(chunks, out_shape, dtype, [])
        draw = self._backend.next_draw()
        call = _Call("choice", dict(arguments), self._backend.block_spec(draw), out_shape,
                     len(out_shape), size_of="all", flat=True)
        name = f"choice-{_token(self._backend.block_spec(draw), out_chunks, arguments)}"
        return _graph(name, call, out_shape, out_chunks, [], [], dtype)

    def _permutation(self, arguments, chunks):
        x, axis = arguments["x"], arguments["axis"]
        if arguments.get("device") is not None:
            self._device(arguments["device"])
        if not _is_dask(x):
            arguments["device"] = None
            _, result = self._dry_run("permutation", arguments)
            return self._one_block("permutation", arguments, tuple(result.shape), result.dtype,
                                   chunks)
        self._own_array("x", x)
        self._dry_run("permutation", {"x": _shape_stand_in(x), "axis": axis})  # NumPy's errors
        from .._methods.sampling import _axis
        axis = _axis(x, axis)
        n = x.shape[axis]
        idx = self._one_block("permutation", {"x": n, "axis": 0, "device": None}, (n,),
                              np.dtype(np.int64), "auto")
        result = self.xp.take(x, idx, axis=axis)
        return result if isinstance(chunks, str) and chunks == "auto" else result.rechunk(chunks)

    def _permuted(self, arguments, chunks):
        x, axis = arguments["x"], arguments["axis"]
        if arguments.get("out") is not None:
            raise TypeError("dask arrays are immutable: out= cannot be written; use the "
                            "returned array")
        if isinstance(x, numbers.Number):  # NumPy: a 0-d array, with NumPy's errors
            from .._methods.sampling import _axis_error
            if axis is None:
                raise TypeError("x is 0-d: there is nothing to permute (len() of unsized object)")
            raise _axis_error(axis, 0)
        self._own_array("x", x)
        self._dry_run("permuted", {"x": _shape_stand_in(x), "axis": axis})  # NumPy's errors
        da = _da()
        if axis is None:
            flat = da.reshape(x, (-1,)).rechunk(-1)
            whole = self._permuted({"x": flat, "axis": 0, "out": None}, "auto")
            result = da.reshape(whole, x.shape)
        else:
            from .._methods.sampling import _axis
            axis = _axis(x, axis)
            x = x.rechunk({axis: -1})
            draw = self._backend.next_draw()
            template = {"x": _Slot(0), "axis": axis}
            glob = tuple(x.shape)
            call = _Call("permuted", template, self._backend.block_spec(draw), glob,
                         x.ndim - 1, moved_axis=axis)
            name = f"permuted-{_token(self._backend.block_spec(draw), x.name, axis)}"
            result = _graph(name, call, glob, x.chunks, [], [x], x.dtype)
        return result if isinstance(chunks, str) and chunks == "auto" else result.rechunk(chunks)

    def bytes(self, length):
        """``length`` random bytes, drawn at once (Python bytes live in host memory).

        Parameters
        ----------
        length : int
            Number of bytes.

        Returns
        -------
        bytes
        """
        n = _validate.byte_length(length)
        draw = self._backend.next_draw()
        spec = self._backend.block_spec(draw)
        gen = _block_generator(spec, 0, Window(n, (0,), n) if spec[0] == "threefry" else None)
        return gen.bytes(n[0])

    def shuffle(self, x, axis=0):
        raise TypeError("dask arrays are immutable and cannot be shuffled in place; use "
                        "x = rng.permutation(x, axis=...) or rng.permuted(x)")


class _Shape:
    __slots__ = ("shape",)

    def __init__(self, shape):
        self.shape = shape


def _lazy_method(method):
    door = getattr(Generator, method)
    signature = inspect.signature(door)
    chunks = inspect.Parameter("chunks", inspect.Parameter.KEYWORD_ONLY, default="auto")
    if method in ELEMENTWISE:
        run = DaskGenerator._elementwise
    elif method in LAST_AXIS:
        run = DaskGenerator._last_axis
    else:
        run = None

    @functools.wraps(door)
    def wrapper(self, *args, chunks="auto", **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        del arguments[next(iter(signature.parameters))]
        if run is not None:
            return run(self, method, arguments, chunks)
        return getattr(self, f"_{method}")(arguments, chunks)

    wrapper.__signature__ = signature.replace(
        parameters=list(signature.parameters.values()) + [chunks])
    wrapper.__doc__ = (door.__doc__ or "") + (
        "\n        On Dask: a lazy array; ``chunks`` (keyword-only, default ``\"auto\"``) has "
        "Dask's meaning.\n")
    return wrapper


for _method in ELEMENTWISE + LAST_AXIS + ("choice", "permutation", "permuted"):
    setattr(DaskGenerator, _method, _lazy_method(_method))
del _method

DaskBackend.facade = DaskGenerator
