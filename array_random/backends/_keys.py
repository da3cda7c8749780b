"""Key derivation shared by the key-based backends (JAX and generic Threefry).

Both follow one scheme, so that they give the same raw bits for the same seed:
draw number ``c`` of a generator with key ``K`` uses ``fold_in(K, c)`` (as
``jax.experimental.random.stateful_rng`` does), the sampler's i-th primitive
call inside that draw uses ``fold_in(fold_in(K, c), i)``, and spawned child
``j`` gets ``fold_in(fold_in(K, SPAWN), j)``. ``SPAWN`` is a draw number no
generator reaches: drawing past ``SPAWN - 1`` raises instead of reusing a key.
"""
import sys

import numpy as np

SPAWN = 0xFFFFFFFF


def key_words_from_seed(seed_seq: np.random.SeedSequence) -> tuple[int, int]:
    k0, k1 = seed_seq.generate_state(2, np.uint32)
    return int(k0), int(k1)


def check_counter(count: int) -> None:
    if count >= SPAWN:
        raise OverflowError("this generator has made 2**32 - 1 draws, the most one key "
                            "supports; continue with a child from spawn()")


def is_jax_key(seed) -> bool:
    """Whether ``seed`` is a JAX key: typed (a scalar key array) or raw ``uint32[2]`` data.

    Only when JAX is imported already: a seed cannot be a JAX array otherwise.
    """
    jax = sys.modules.get("jax")
    if jax is None or not isinstance(seed, jax.Array):
        return False
    if jax.numpy.issubdtype(seed.dtype, jax.dtypes.prng_key):
        return seed.shape == () and str(jax.random.key_impl(seed)) == "threefry2x32"
    return seed.dtype == jax.numpy.uint32 and seed.shape == (2,)


def jax_key_words(seed) -> tuple[int, int]:
    """The two uint32 words of the JAX threefry key ``seed`` (typed or raw)."""
    import jax

    if jax.numpy.issubdtype(seed.dtype, jax.dtypes.prng_key):
        seed = jax.random.key_data(seed)
    k0, k1 = (int(w) for w in np.asarray(seed))
    return k0, k1
