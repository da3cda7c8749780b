"""Threefry-2x32 (20 rounds), the counter-based block cipher behind JAX's default PRNG.

Written twice on purpose: once over Python ints, for the handful of words a key
derivation needs (a Python loop beats dispatching ~100 tiny array ops), and once
over any Array API namespace, for the bulk bits of a draw. Both give the very
bits of ``jax.random`` for the same key and counter (the "partitionable" layout,
JAX's default), which the unit tests check word for word.
"""
from __future__ import annotations

import concurrent.futures
import functools
import os

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


def threefry2x32(xp, key, x0, x1):
    """Encrypt counter arrays ``x0, x1`` (uint32, same shape) under ``key``.

    ``key`` is a pair of Python ints, or of 0-d uint32 arrays (a key traced
    inside ``jax.jit``). Only standard Array API operations: uint32 addition
    wraps, shifts are logical. The 20 rounds are unrolled, which is what makes
    this fast under ``jax.jit``; after the first operation every update is in
    place where the namespace's arrays are mutable, so a chunk's three work
    arrays are all the memory it touches.
    """
    ks = (key[0], key[1], key[0] ^ key[1] ^ _PARITY)
    # Python-int operands keep the arrays' dtype and device (Array API scalar
    # rules); they must be reduced to 32 bits first, arrays wrap by themselves
    if isinstance(key[0], int):
        inject = [(ks[(i + 2) % 3] + i + 1) & _M32 for i in range(5)]
    else:
        inject = [ks[(i + 2) % 3] + (i + 1) for i in range(5)]
    x0 = x0 + ks[0]  # new arrays: the caller's counters are never written
    x1 = x1 + ks[1]
    for i in range(5):
        for r in _ROTATIONS[i % 2]:
            x0 += x1
            high = x1 << r
            x1 >>= 32 - r
            x1 |= high
            x1 ^= x0
        x0 += ks[(i + 1) % 3]
        x1 += inject[i]
    return x0, x1


def _threefry2x32_int32(key: tuple[int, int], x0, x1, high):
    """:func:`threefry2x32` on torch int32 lanes holding the 32-bit words' bit patterns.

    torch has no kernels for uint32 arithmetic; int32 addition wraps alike
    and XOR/OR/left shifts act on the same bits. Only the right shift is
    arithmetic, so the rotation masks the bits it pulls down. In place;
    ``high`` is scratch space of the same shape.
    """
    import torch

    ks = [_int32(k) for k in (key[0], key[1], key[0] ^ key[1] ^ _PARITY)]
    x0 += ks[0]
    x1 += ks[1]
    for i in range(5):
        for r in _ROTATIONS[i % 2]:
            x0 += x1
            torch.bitwise_left_shift(x1, r, out=high)
            x1 >>= 32 - r
            x1 &= (1 << r) - 1
            x1 |= high
            x1 ^= x0
        x0 += ks[(i + 1) % 3]
        x1 += _int32(ks[(i + 2) % 3] + i + 1)
    return x0, x1


def _int32(x: int) -> int:
    """The int32 with the bit pattern of the 32-bit word ``x``."""
    x &= _M32
    return x - 2**32 if x >= 2**31 else x


#: counters per chunk: three uint32 work arrays of 2**16 words stay in a 1 MiB
#: L2 cache, which makes the 20 rounds ~4x faster than over a whole 10**7 array
CHUNK = 2**16
#: torch: below its intra-op grain (32768), so each operation stays on the
#: thread that runs the chunk; threads over chunks use the cores instead
CHUNK_TORCH = 2**15


def counter_bits(xp, key, n: int, *, width: int, device=None):
    """``n`` random words of ``width`` 32 or 64 bits: ``jax.random.bits(key, (n,))``.

    Counter ``i`` is encrypted as the block ``(i >> 32, i & 0xFFFFFFFF)``; 32-bit
    words are ``x0 ^ x1``, 64-bit words ``x0 << 32 | x1``, exactly as JAX does.
    ``key`` is a pair of Python ints or, under ``jax.jit``, of traced uint32
    scalars. Eager namespaces work through the counters in cache-sized chunks;
    under JAX the whole array is one fused computation.
    """
    if n >= 2**32:
        raise ValueError("a single draw is limited to 2**32 - 1 words")
    import array_api_compat

    if array_api_compat.is_torch_namespace(xp):
        return _counter_bits_torch(xp, key, n, width, device)
    if n <= CHUNK or array_api_compat.is_jax_namespace(xp):
        return _bits_block(xp, key, 0, n, width, device)
    if array_api_compat.is_numpy_namespace(xp) and isinstance(key[0], int) \
            and n >= THREADED_FROM and _workers() > 1:
        return _counter_bits_numpy_threaded(xp, key, n, width)
    return xp.concat([_bits_block(xp, key, start, min(n, start + CHUNK), width, device)
                      for start in range(0, n, CHUNK)])


#: words from which NumPy's and torch's cipher runs on every core: NumPy's
#: ufuncs and torch's kernels release the GIL, so threads over cache-sized
#: chunks scale; each chunk's words are the same whichever thread computes them
THREADED_FROM = 8 * CHUNK


@functools.cache
def _pool():
    return concurrent.futures.ThreadPoolExecutor(max_workers=_workers(),
                                                 thread_name_prefix="array_random-threefry")


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _counter_bits_numpy_threaded(xp, key, n: int, width: int):
    """:func:`counter_bits` on NumPy, its chunks spread over a thread per core."""
    import numpy as np

    out = np.empty(n, dtype=np.uint32 if width == 32 else np.uint64)

    def work(start):
        stop = min(n, start + CHUNK)
        out[start:stop] = _bits_block(xp, key, start, stop, width, None)

    for _ in _pool().map(work, range(0, n, CHUNK)):
        pass
    return out


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


def _counter_bits_torch(xp, key, n: int, width: int, device):
    import torch

    if width == 32:
        return _torch_words(key, n, device, "int32").view(torch.uint32)
    return _torch_words(key, n, device, "int64").view(torch.uint64)


def counter_words_torch(key, n: int, width: int, device):
    """:func:`counter_bits`' words in torch int64 lanes (torch has few unsigned kernels).

    A 32-bit word is the lane's value (0 .. 2**32 - 1); a 64-bit word is the
    lane's two's-complement bit pattern (negative where the top bit is set).
    """
    return _torch_words(key, n, device, "int64" if width == 64 else "uint32 in int64")


def _torch_words(key, n: int, device, kind: str):
    """The words of counters ``0 .. n-1`` in a torch tensor.

    ``kind``: ``"int32"`` (32-bit words, bit patterns), ``"uint32 in int64"``
    (32-bit words as values) or ``"int64"`` (64-bit words, bit patterns). The
    cipher runs on int32 lanes in chunks of ``CHUNK_TORCH``; on a CPU the
    chunks are spread over a thread per core (torch's kernels release the
    GIL), each chunk's words the same whichever thread computes them.
    """
    import torch

    out = torch.empty(n, dtype=torch.int32 if kind == "int32" else torch.int64, device=device)

    def run(first: int, last: int):
        chunk = max(1, min(last - first, CHUNK_TORCH))
        # three work arrays per thread, reused chunk after chunk
        x0, x1, high = (torch.empty(chunk, dtype=torch.int32, device=device) for _ in range(3))
        for start in range(first, last, chunk):
            stop = min(last, start + chunk)
            m = stop - start
            if stop <= 2**31:
                torch.arange(start, stop, out=x1[:m])
            else:  # counters past int32: their low 32 bits
                x1[:m] = torch.arange(start, stop, dtype=torch.int64, device=device).to(
                    torch.int32)
            x0[:m].zero_()
            y0, y1 = _threefry2x32_int32(key, x0[:m], x1[:m], high[:m])
            if kind == "int32":
                torch.bitwise_xor(y0, y1, out=out[start:stop])
            elif kind == "uint32 in int64":
                y0 ^= y1
                torch.bitwise_and(y0.to(torch.int64), _M32, out=out[start:stop])
            else:
                hi = y0.to(torch.int64)
                hi <<= 32  # wraps into the sign bit: the int64 holds the uint64's bits
                hi |= y1.to(torch.int64) & _M32
                out[start:stop] = hi

    workers = _workers() if getattr(device, "type", str(device)) == "cpu" else 1
    if workers == 1 or n < THREADED_FROM:
        run(0, n)
    else:
        step = -(-n // (4 * workers * CHUNK_TORCH)) * CHUNK_TORCH  # whole chunks per task
        for _ in _pool().map(lambda start: run(start, min(n, start + step)), range(0, n, step)):
            pass
    return out
