"""Threefry-2x32 (20 rounds), the counter-based block cipher behind JAX's default PRNG.

Written twice on purpose: once over Python ints, for the handful of words a key
derivation needs (a Python loop beats dispatching ~100 tiny array ops), and once
over any Array API namespace, for the bulk bits of a draw. Both give the very
bits of ``jax.random`` for the same key and counter (the "partitionable" layout,
JAX's default), which the unit tests check word for word.
"""
from __future__ import annotations

_M32 = 0xFFFFFFFF
PARITY = 0x1BD11BDA
ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))


def threefry2x32_int(key: tuple[int, int], x0: int, x1: int) -> tuple[int, int]:
    """Encrypt one counter block ``(x0, x1)`` under ``key``; all Python ints."""
    ks = (key[0], key[1], key[0] ^ key[1] ^ PARITY)
    x0 = (x0 + ks[0]) & _M32
    x1 = (x1 + ks[1]) & _M32
    for i in range(5):
        for r in ROTATIONS[i % 2]:
            x0 = (x0 + x1) & _M32
            x1 = ((x1 << r) | (x1 >> (32 - r))) & _M32
            x1 ^= x0
        x0 = (x0 + ks[(i + 1) % 3]) & _M32
        x1 = (x1 + ks[(i + 2) % 3] + i + 1) & _M32
    return x0, x1


def fold_in(key: tuple[int, int], data: int) -> tuple[int, int]:
    """``jax.random.fold_in`` for a threefry key, on Python ints."""
    return threefry2x32_int(key, 0, data & _M32)


def seed_key(seed: int) -> tuple[int, int]:
    """``jax.random.key(seed)`` for a non-negative seed below 2**64, on Python ints."""
    return (seed >> 32) & _M32, seed & _M32


def threefry2x32(xp, key, x0, x1):
    """Encrypt counter arrays ``x0, x1`` (uint32, same shape) under ``key``.

    ``key`` is a pair of Python ints, or of 0-d uint32 arrays (a key traced
    inside ``jax.jit``). Only standard Array API operations: uint32 addition
    wraps, shifts are logical. The 20 rounds are unrolled, which is what makes
    this fast under ``jax.jit``; after the first operation every update is in
    place where the namespace's arrays are mutable, so a chunk's three work
    arrays are all the memory it touches.
    """
    ks = (key[0], key[1], key[0] ^ key[1] ^ PARITY)
    # Python-int operands keep the arrays' dtype and device (Array API scalar
    # rules); they must be reduced to 32 bits first, arrays wrap by themselves
    if isinstance(key[0], int):
        inject = [(ks[(i + 2) % 3] + i + 1) & _M32 for i in range(5)]
    else:
        inject = [ks[(i + 2) % 3] + (i + 1) for i in range(5)]
    x0 = x0 + ks[0]  # new arrays: the caller's counters are never written
    x1 = x1 + ks[1]
    for i in range(5):
        for r in ROTATIONS[i % 2]:
            x0 += x1
            high = x1 << r
            x1 >>= 32 - r
            x1 |= high
            x1 ^= x0
        x0 += ks[(i + 1) % 3]
        x1 += inject[i]
    return x0, x1


#: counters per chunk: three uint32 work arrays of 2**16 words stay in a 1 MiB
#: L2 cache, which makes the 20 rounds ~4x faster than over a whole 10**7 array
CHUNK = 2**16


def counter_bits(xp, key, n: int, *, width: int, device=None):
    """``n`` random words of ``width`` 32 or 64 bits: ``jax.random.bits(key, (n,))``.

    Counter ``i`` is encrypted as the block ``(i >> 32, i & 0xFFFFFFFF)``; 32-bit
    words are ``x0 ^ x1``, 64-bit words ``x0 << 32 | x1``, exactly as JAX does.
    ``key`` is a pair of Python ints or, under ``jax.jit``, of traced uint32
    scalars. Eager namespaces work through the counters in cache-sized chunks;
    under JAX the whole array is one fused computation. NumPy and torch have
    faster routes to the same words (``numpy_threefry``, ``torch_threefry``),
    which their portable sources take.
    """
    if n >= 2**32:
        raise ValueError("a single draw is limited to 2**32 - 1 words")
    import array_api_compat

    if n <= CHUNK or array_api_compat.is_jax_namespace(xp):
        return _bits_block(xp, key, 0, n, width, device)
    return xp.concat([_bits_block(xp, key, start, min(n, start + CHUNK), width, device)
                      for start in range(0, n, CHUNK)])


def counter_blocks(xp, key, n: int, device=None):
    """Both output words ``(y0, y1)`` of the blocks for counters ``0 .. n-1``.

    :func:`counter_bits` folds each block into one 32-bit word; samplers that
    need only 32 bits a value take two values a block from here, half the
    cipher work. The counters are those of :func:`counter_bits` (``n < 2**32``).
    """
    if n >= 2**32:
        raise ValueError("a single draw is limited to 2**32 - 1 blocks")
    lo = xp.arange(0, n, dtype=xp.uint32, device=device)
    hi = xp.zeros(n, dtype=xp.uint32, device=device)
    return threefry2x32(xp, key, hi, lo)


def _bits_block(xp, key, start: int, stop: int, width: int, device):
    lo = xp.arange(start, stop, dtype=xp.uint32, device=device)
    hi = xp.zeros(stop - start, dtype=xp.uint32, device=device)
    y0, y1 = threefry2x32(xp, key, hi, lo)
    if width == 32:
        y0 ^= y1
        return y0
    u64 = xp.uint64
    return (xp.astype(y0, u64) << 32) | xp.astype(y1, u64)
