"""JAX: a base key and a draw counter; every draw is one compiled call.

Draw ``c`` samples from ``fold_in(key, c)`` (see ``_keys``), so no key is used
twice and the JAX key-reuse checker stays silent. Eagerly the counter is a
Python int and each draw runs one jitted function ``(key, c, *params) ->
sample``, cached per (sampler, shape, dtype, placement): key derivation and
sampling cost one dispatch. Across ``jax.jit`` the Generator is a pytree whose
leaves are the key and a ``jax.Ref`` holding the counter, so the compiled
function advances the very counter that eager code would; flattening only
publishes the counter into that Ref, it never advances the stream.
"""
from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from ._base import Backend
from ._keys import SPAWN, check_counter, key_words_from_seed
from ._source import Source


class JaxSource(Source):
    """Randomness for one traced draw: primitive call ``i`` uses ``fold_in(key, i)``."""

    xp = jnp

    def __init__(self, key, device=None):
        self.key = key
        self.device = device
        self.calls = 0

    def _key(self):
        key = jax.random.fold_in(self.key, self.calls)
        self.calls += 1
        return key

    def bits(self, shape, width):
        return jax.random.bits(self._key(), shape, jnp.uint32 if width == 32 else jnp.uint64)

    def random(self, shape, dtype):
        return jax.random.uniform(self._key(), shape, dtype)

    def standard_normal(self, shape, dtype):
        return jax.random.normal(self._key(), shape, dtype)

    def standard_exponential(self, shape, dtype):
        return jax.random.exponential(self._key(), shape, dtype)

    def while_loop(self, cond, body, state):
        loop_key = self._key()

        def step(carry):
            i, st = carry
            return i + 1, body(JaxSource(jax.random.fold_in(loop_key, i), self.device), st)

        return jax.lax.while_loop(lambda carry: cond(carry[1]), step,
                                  (jnp.uint32(0), state))[1]


@functools.lru_cache(maxsize=1024)
def _compiled(name, shape, dtype, sharding, static):
    def run(key, counter, *params):
        src = JaxSource(jax.random.fold_in(key, counter), sharding)
        return getattr(src, name)(shape, dtype, *params, **dict(static))

    return jax.jit(run, out_shardings=sharding)


def _sharding(device):
    if isinstance(device, jax.sharding.Sharding):
        return device
    return jax.sharding.SingleDeviceSharding(device)


def _is_tracer(x) -> bool:
    return isinstance(x, jax.core.Tracer)


class JaxBackend(Backend):
    name = "jax"

    def __init__(self, xp, device, seed, *, count=0, ref=None, spawned=0):
        super().__init__(xp, device, seed)
        if isinstance(seed, np.random.SeedSequence):
            seed = jnp.asarray(key_words_from_seed(seed), dtype=jnp.uint32)
        if not jnp.issubdtype(seed.dtype, jax.dtypes.prng_key):
            seed = jax.random.wrap_key_data(seed)
        self.key = seed
        self.count = count      # authoritative while self.ref is None
        self.ref = ref          # a jax.Ref published for jit, or its tracer inside jit
        self.spawned = spawned

    @classmethod
    def accepts_native_seed(cls, seed) -> bool:
        if not isinstance(seed, jax.Array):
            return False
        if jnp.issubdtype(seed.dtype, jax.dtypes.prng_key):
            return seed.shape == ()
        return seed.dtype == jnp.uint32 and seed.shape == (2,)

    def _next_counter(self):
        if self.ref is not None:
            if _is_tracer(self.ref):
                c = self.ref[...]
                self.ref[...] = c + jnp.uint32(1)
                return c
            # back from a jitted call: take over whatever it advanced the counter to
            self.count, self.ref = int(self.ref[...]), None
        check_counter(self.count)
        c = self.count
        self.count += 1
        return np.uint32(c)

    def draw(self, name, shape, dtype, device, *params, **static):
        fn = _compiled(name, shape, dtype, _sharding(device), tuple(sorted(static.items())))
        return fn(self.key, self._next_counter(), *params)

    def spawn(self, n):
        base = jax.random.fold_in(self.key, SPAWN)
        first, self.spawned = self.spawned, self.spawned + n
        return [JaxBackend(self.xp, self.device, jax.random.fold_in(base, first + j))
                for j in range(n)]

    def entropy(self):
        return [int(w) for w in np.asarray(jax.random.key_data(self.key)).ravel()]

    def _sync(self):
        if self.ref is not None and not _is_tracer(self.ref):
            self.count, self.ref = int(self.ref[...]), None

    def get_state(self):
        self._sync()
        return {"key": np.asarray(jax.random.key_data(self.key)),
                "impl": str(jax.random.key_impl(self.key)),
                "counter": self.count, "spawned": self.spawned}

    def set_state(self, state):
        self.key = jax.random.wrap_key_data(jnp.asarray(state["key"]), impl=state["impl"])
        self.count, self.ref = int(state["counter"]), None
        self.spawned = int(state["spawned"])

    def check_device(self, device):
        if isinstance(device, (jax.sharding.Sharding, jax.Device)):
            return device
        raise ValueError(f"a JAX device must be a jax.Device or a jax.sharding.Sharding, "
                         f"not {device!r}")

    def dtypes(self, device, kind):
        return jnp.__array_namespace_info__().dtypes(kind=kind)

    def default_dtypes(self, device):
        return jnp.__array_namespace_info__().default_dtypes()

    # --- pytree --------------------------------------------------------------
    def tree_flatten(self):
        if self.ref is None:
            # publish, not advance: the Ref now carries the authoritative count
            self.ref = jax.new_ref(np.uint32(self.count))
        return (self.key, self.ref), (self.device, self.spawned)

    @classmethod
    def tree_unflatten(cls, xp, aux, children):
        # no checks: JAX unflattens with placeholder leaves too
        self = cls.__new__(cls)
        self.xp, (self.device, self.spawned) = xp, aux
        (self.key, self.ref), self.count = children, 0
        return self


def _register_pytree():
    """Make every Generator a pytree: a JAX one has leaves (key, counter Ref), others none."""
    from .._generator import Generator

    def flatten(gen):
        backend = gen._backend
        if isinstance(backend, JaxBackend):
            children, aux = backend.tree_flatten()
            return children, (JaxBackend, backend.xp, aux)
        return (), (None, gen, None)

    def unflatten(aux, children):
        cls, xp, inner = aux
        if cls is None:
            return xp  # a non-JAX generator rides along as static data
        return Generator(cls.tree_unflatten(xp, inner, children))

    jax.tree_util.register_pytree_node(Generator, flatten, unflatten)


_register_pytree()
