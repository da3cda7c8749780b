"""Any Array-API namespace: Threefry-2x32 in standard operations, keys as in JAX.

Used for array_api_strict, and for any namespace no other backend claims. The
raw bits equal ``jax.random.bits`` for the same key, and ``random`` and
``integers`` give JAX's values for the same seed.
"""
from __future__ import annotations

import functools
import math

from . import threefry
from ._base import Backend
from ._keys import SPAWN, check_counter, is_jax_key, jax_key_words, key_words_from_seed
from ._source import Source


class ThreefrySource(Source):
    """Bits for one draw: primitive call ``i`` encrypts counters under ``fold_in(key, i)``.

    With a :class:`Window` the source draws one block of a larger draw (a
    Dask block): a primitive call gets the counters its elements have in the
    same call of the one-piece draw, so every block holds exactly the
    one-piece values, whatever the chunking.
    """

    def __init__(self, xp, device, key: tuple[int, int], window: Window | None = None):
        self.xp = xp
        self.device = device
        self.key = key
        self.calls = 0
        self.window = window

    def bits(self, shape, width):
        subkey = threefry.fold_in(self.key, self.calls)
        self.calls += 1
        if self.window is not None:
            return windowed_bits(self.xp, subkey, shape, width, self.window, self.device)
        words = threefry.counter_bits(self.xp, subkey, math.prod(shape), width=width,
                                      device=self.device)
        return self.xp.reshape(words, shape)

    def skip(self, calls: int) -> None:
        self.calls += calls

    def while_loop(self, cond, body, state):
        # Key the loop as JaxSource does (one call index for the loop, iteration
        # i drawing under fold_in(loop_key, i)), so rejection samplers give
        # JAX's values too, not only the draws accepted on the first try.
        loop_key = threefry.fold_in(self.key, self.calls)
        self.calls += 1
        i = 0
        while bool(cond(state)):
            # a window stays: iteration i of element j depends on (key, i, j) only
            state = body(type(self)(self.xp, self.device, threefry.fold_in(loop_key, i),
                                    window=self.window), state)
            i += 1
        return state


class GenericBackend(Backend):
    name = "generic"
    #: the per-draw source; a namespace whose unsigned integers cannot carry
    #: the generic samplers (torch) gets one giving the same values otherwise
    source_class = ThreefrySource

    def __init__(self, xp, device, seed):
        Backend.__init__(self, xp, device, seed)  # not a native class's own state
        if type(self).name == GenericBackend.name:
            # a subclass registered by another library keeps the name it chose
            self.name = _short_name(xp)
        seed = type(self).threefry_seed(seed)  # e.g. a torch.Generator: entropy drawn
        if isinstance(seed, tuple):  # a key handed down by spawn
            self.key = seed
        elif is_jax_key(seed):  # used as the key itself: JAX and this draw one stream
            self.key = jax_key_words(seed)
        else:
            self.key = key_words_from_seed(seed)
        self.count = 0
        self.spawned = 0

    def draw(self, name, shape, dtype, device, *params, **static):
        with self._lock:  # the draw's key and the counter advance, as one step
            check_counter(self.count)
            key, self.count = threefry.fold_in(self.key, self.count), self.count + 1
        src = self.source_class(self.xp, device, key)
        return getattr(src, name)(shape, dtype, *params, **static)

    # through draw, even where a native class after this one in a portable
    # class's bases (NumpyBackend, ...) binds its own samplers; and the
    # generic permutations and bytes, not its library's own calls (another stream)
    drawer = Backend.drawer
    shuffle, permuted, bytes = Backend.shuffle, Backend.permuted, Backend.bytes

    def next_key(self):
        """The next draw's key ``fold_in(key, counter)`` as a JAX key; the counter advances."""
        import jax  # only here: the portable stream needs JAX for nothing else

        with self._lock:
            check_counter(self.count)
            key, self.count = threefry.fold_in(self.key, self.count), self.count + 1
        return jax.random.wrap_key_data(jax.numpy.asarray(key, dtype=jax.numpy.uint32),
                                        impl="threefry2x32")

    def spawn(self, n):
        with self._lock:
            key, first, self.spawned = self.key, self.spawned, self.spawned + n
        base = threefry.fold_in(key, SPAWN)
        return [type(self)(self.xp, self.device, threefry.fold_in(base, first + j))
                for j in range(n)]

    def entropy(self):
        return list(self.key)

    def get_state(self):
        with self._lock:
            return {"key": self.key, "counter": self.count, "spawned": self.spawned}

    def set_state(self, state):
        key = tuple(int(k) for k in state["key"])
        with self._lock:
            self.key, self.count, self.spawned = key, int(state["counter"]), int(state["spawned"])

    @classmethod
    def accepts_native_seed(cls, seed) -> bool:
        # a JAX key is a Threefry key: the portable stream on any backend
        # continues from it (native mode keeps it for JAX, the key's own library)
        return ((cls.bit_generator == "threefry" and is_jax_key(seed))
                or super().accepts_native_seed(seed))


@functools.cache
def portable_class(native: type[Backend], source_class=None) -> type[Backend]:
    """The portable-stream (``bit_generator="threefry"``) variant of the backend ``native``.

    The generic Threefry backend's state and draws, ``native``'s name and
    device/dtype handling (method resolution: this backend first, then
    ``native``). ``source_class`` replaces :class:`ThreefrySource` where the
    namespace needs its own route to the same values. One class per native
    class, so ``type()`` comparisons hold.
    """
    bases = (native,) if issubclass(native, GenericBackend) else (GenericBackend, native)
    return type(f"Threefry{native.__name__}", bases, {
        "__module__": __name__, "bit_generator": "threefry",
        "_native": classmethod(lambda cls: native),
        "source_class": source_class or bases[0].source_class,
        # a subclass of the generic backend reports the namespace's name as before
        **({} if native.name == GenericBackend.name else {"name": native.name}),
    })


class Window:
    """Where one block of a draw lies in the draw made in one piece.

    ``shape`` is the draw's global shape (the shape the sampler gets in the
    one-piece draw), ``offsets`` the block's first index along each axis and
    ``block`` the block's shape. The first ``batch_ndim`` axes are chunked;
    the others (the last axis of dirichlet, multinomial, multivariate_*,
    permuted) lie whole in every block. A primitive call of shape ``s`` is
    placed as follows:

    - ``s`` starts with the block's batch axes (``s == block``, or the
      batch part of it followed by axes of the call's own, as multinomial's
      per-category calls of the batch shape): those axes are the draw's;
    - ``s == lead + block`` (beta's two gammas stacked on a new first axis):
      the same lead axes before the global shape.

    Any other call cannot be placed and raises ``ValueError``: a block never
    silently draws values of its own.
    """

    def __init__(self, shape, offsets, block, batch_ndim=None, flat=False):
        self.shape = tuple(int(d) for d in shape)
        self.offsets = tuple(int(o) for o in offsets)
        self.block = tuple(int(d) for d in block)
        self.batch_ndim = len(self.block) if batch_ndim is None else int(batch_ndim)
        #: the sampler draws the block flattened (choice: ``(prod(block),)`` indices,
        #: reshaped afterwards); such a call is placed as the block itself
        self.flat = bool(flat)

    def place(self, s):
        """``(global shape, offsets)`` of a primitive call of local shape ``s``."""
        s, nb, block = tuple(s), self.batch_ndim, self.block
        if nb <= len(s) <= len(block) and s[:nb] == block[:nb] and (
                nb < len(block) or len(s) == len(block)):
            # the axes beyond the batch ones lie whole in the block
            return self.shape[:nb] + s[nb:], self.offsets[:nb] + (0,) * (len(s) - nb)
        lead = len(s) - len(block)
        if lead > 0 and s[lead:] == block:
            return s[:lead] + self.shape, (0,) * lead + self.offsets
        raise ValueError(f"a primitive call of shape {s} cannot be placed in the block "
                         f"{block} of a draw of shape {self.shape}")

    def __repr__(self):
        return (f"Window(shape={self.shape}, offsets={self.offsets}, block={self.block}, "
                f"batch_ndim={self.batch_ndim})")


def windowed_bits(xp, key, shape, width: int, window: Window, device=None):
    """The words of a call of local ``shape`` that the one-piece draw gives these elements.

    Element ``j`` of the one-piece call (C order over the global shape) is
    encrypted from counter ``(j >> 32, j & 0xFFFFFFFF)``, as
    :func:`threefry.counter_bits` does; here ``j`` is computed for each local
    element from the window (uint64 arithmetic: the namespace needs uint64).
    The cipher runs over cache-sized slices of the flattened block.
    """
    shape = tuple(shape)
    n = math.prod(shape)
    if window.flat and len(window.block) != 1 and shape == (math.prod(window.block),):
        return xp.reshape(windowed_bits(xp, key, window.block, width, window, device), shape)
    glob, offs = window.place(shape)
    if math.prod(glob) >= 2**64:
        raise ValueError("a single draw is limited to 2**64 - 1 words")
    u64 = xp.uint64
    first = _contiguous_start(glob, offs, shape)
    if first is not None and first + n <= 2**32:
        # one run of counters below 2**32 (a 1-d block, whole rows): no index arithmetic
        parts = []
        for start in range(first, first + n, threefry.CHUNK):
            stop = min(first + n, start + threefry.CHUNK)
            lo = xp.arange(start, stop, dtype=xp.uint32, device=device)
            hi = xp.zeros(stop - start, dtype=xp.uint32, device=device)
            parts.append(_words(xp, threefry.threefry2x32(xp, key, hi, lo), width))
        return _joined(xp, parts, shape, width, device)
    index = xp.zeros(shape, dtype=u64, device=device)
    stride = 1
    for axis in range(len(shape) - 1, -1, -1):
        along = xp.arange(offs[axis], offs[axis] + shape[axis], dtype=u64, device=device)
        index = index + xp.reshape(along * stride, (shape[axis],) + (1,) * (len(shape) - 1 - axis))
        stride *= glob[axis]
    flat = xp.reshape(index, (n,))
    parts = []
    for start in range(0, n, threefry.CHUNK):
        j = flat[start:start + threefry.CHUNK]
        hi = xp.astype(j >> 32, xp.uint32)
        lo = xp.astype(j & 0xFFFFFFFF, xp.uint32)
        parts.append(_words(xp, threefry.threefry2x32(xp, key, hi, lo), width))
    return _joined(xp, parts, shape, width, device)


def _contiguous_start(glob, offs, shape):
    """The first counter if the call's elements are one run of the global C order, else None."""
    for axis in range(len(shape) - 1, 0, -1):
        if shape[axis] != glob[axis]:
            # every axis after the first partial one must be whole, and before it single
            if any(shape[a] != 1 for a in range(axis)):
                return None
            break
    start, stride = 0, 1
    for axis in range(len(shape) - 1, -1, -1):
        start += offs[axis] * stride
        stride *= glob[axis]
    return start


def _words(xp, blocks, width):
    """32-bit words ``y0 ^ y1`` or 64-bit ``y0 << 32 | y1``, as :func:`threefry.counter_bits`."""
    y0, y1 = blocks
    if width == 32:
        y0 ^= y1
        return y0
    return (xp.astype(y0, xp.uint64) << 32) | xp.astype(y1, xp.uint64)


def _joined(xp, parts, shape, width, device):
    if not parts:
        return xp.zeros(shape, dtype=xp.uint32 if width == 32 else xp.uint64, device=device)
    words = parts[0] if len(parts) == 1 else xp.concat(parts)
    return xp.reshape(words, shape)


def _short_name(xp) -> str:
    name = getattr(xp, "__name__", type(xp).__name__)
    return name.removeprefix("array_api_compat.").split(".")[0]


