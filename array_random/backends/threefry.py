"""Threefry-2x32 (20 rounds), the counter-based block cipher behind JAX's default PRNG.

Written twice on purpose: once over Python ints, for the handful of words a key
derivation needs (a Python loop beats dispatching ~100 tiny array ops), and once
over any Array API namespace, for the bulk bits of a draw. Both give the very
bits of ``jax.random`` for the same key and counter (the "partitionable" layout,
JAX's default), which the unit tests check word for word.
"""
from __future__ import annotations

_M32 = 0xFFFFFFFF
_PARITY = 0x1BD11BDA
_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))


def threefry2x32_int(key: tuple[int, int], x0: int, x1: int) -> tuple[int, int]:
    """Encrypt one counter block ``(x0, x1)`` under ``key``; all Python ints."""
    ks = (key[0], key[1], key[0] ^ key[1] ^ _PARITY)
    x0 = (x0 + ks[0]) & _M32
    x1 = (x1 + ks[1]) & _M32
    for i in range(5):
        for r in _ROTATIONS[i % 2]:
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


def threefry2x32(xp, key: tuple[int, int], x0, x1):
    """Encrypt counter arrays ``x0, x1`` (uint32, same shape) under a Python-int key.

    Only standard Array API operations: uint32 addition wraps, shifts are logical.
    The 20 rounds are unrolled, which is what makes this fast under ``jax.jit``.
    """
    # Python-int operands keep the arrays' dtype and device (Array API scalar rules)
    ks = (key[0], key[1], key[0] ^ key[1] ^ _PARITY)
    x0 = x0 + ks[0]
    x1 = x1 + ks[1]
    for i in range(5):
        for r in _ROTATIONS[i % 2]:
            x0 = x0 + x1
            x1 = (x1 << r) | (x1 >> (32 - r))
            x1 = x1 ^ x0
        x0 = x0 + ks[(i + 1) % 3]
        x1 = x1 + ((ks[(i + 2) % 3] + i + 1) & _M32)
    return x0, x1


def counter_bits(xp, key: tuple[int, int], n: int, *, width: int, device=None):
    """``n`` random words of ``width`` 32 or 64 bits: ``jax.random.bits(key, (n,))``.

    Counter ``i`` is encrypted as the block ``(i >> 32, i & 0xFFFFFFFF)``; 32-bit
    words are ``x0 ^ x1``, 64-bit words ``x0 << 32 | x1``, exactly as JAX does.
    """
    if n >= 2**32:
        raise ValueError("a single draw is limited to 2**32 - 1 words")
    lo = xp.arange(n, dtype=xp.uint32, device=device)
    hi = xp.zeros(n, dtype=xp.uint32, device=device)
    y0, y1 = threefry2x32(xp, key, hi, lo)
    if width == 32:
        return y0 ^ y1
    u64 = xp.uint64
    return (xp.astype(y0, u64) << 32) | xp.astype(y1, u64)
