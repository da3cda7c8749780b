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
    """Bits for one draw: primitive call ``i`` encrypts counters under ``fold_in(key, i)``."""

    def __init__(self, xp, device, key: tuple[int, int]):
        self.xp = xp
        self.device = device
        self.key = key
        self.calls = 0

    def bits(self, shape, width):
        subkey = threefry.fold_in(self.key, self.calls)
        self.calls += 1
        words = threefry.counter_bits(self.xp, subkey, math.prod(shape), width=width,
                                      device=self.device)
        return self.xp.reshape(words, shape)

    def while_loop(self, cond, body, state):
        # Key the loop as JaxSource does (one call index for the loop, iteration
        # i drawing under fold_in(loop_key, i)), so rejection samplers give
        # JAX's values too, not only the draws accepted on the first try.
        loop_key = threefry.fold_in(self.key, self.calls)
        self.calls += 1
        i = 0
        while bool(cond(state)):
            state = body(type(self)(self.xp, self.device, threefry.fold_in(loop_key, i)),
                         state)
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
        check_counter(self.count)
        src = self.source_class(self.xp, device, threefry.fold_in(self.key, self.count))
        self.count += 1
        return getattr(src, name)(shape, dtype, *params, **static)

    def spawn(self, n):
        base = threefry.fold_in(self.key, SPAWN)
        first, self.spawned = self.spawned, self.spawned + n
        return [type(self)(self.xp, self.device, threefry.fold_in(base, first + j))
                for j in range(n)]

    def entropy(self):
        return list(self.key)

    def get_state(self):
        return {"key": self.key, "counter": self.count, "spawned": self.spawned}

    def set_state(self, state):
        self.key = tuple(int(k) for k in state["key"])
        self.count = int(state["counter"])
        self.spawned = int(state["spawned"])

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


def _short_name(xp) -> str:
    name = getattr(xp, "__name__", type(xp).__name__)
    return name.removeprefix("array_api_compat.").split(".")[0]


