"""Key derivation shared by the key-based backends (JAX and generic Threefry).

Both follow one scheme, so that they give the same raw bits for the same seed:
draw number ``c`` of a generator with key ``K`` uses ``fold_in(K, c)`` (as
``jax.experimental.random.stateful_rng`` does), the sampler's i-th primitive
call inside that draw uses ``fold_in(fold_in(K, c), i)``, and spawned child
``j`` gets ``fold_in(fold_in(K, SPAWN), j)``. ``SPAWN`` is a draw number no
generator reaches: drawing past ``SPAWN - 1`` raises instead of reusing a key.
"""
import numpy as np

SPAWN = 0xFFFFFFFF


def key_words_from_seed(seed_seq: np.random.SeedSequence) -> tuple[int, int]:
    k0, k1 = seed_seq.generate_state(2, np.uint32)
    return int(k0), int(k1)


def check_counter(count: int) -> None:
    if count >= SPAWN:
        raise OverflowError("this generator has made 2**32 - 1 draws, the most one key "
                            "supports; continue with a child from spawn()")
