"""The portable stream's raw words on NumPy: the generic cipher with ``out=`` and threads.

:func:`threefry.threefry2x32` is standard Array API code; this module is the
NumPy override of its bulk use (as array_api_compat overrides per library),
for the same words with less work:

- every ufunc writes into one of three work arrays per thread (``out=``), so
  a chunk allocates nothing and its arrays stay in the core's L2 cache;
- the counters' high words are 0 below 2**32, so the first key injection and
  the first addition of round 1 are two operations on the counters;
- chunks go to a small reused pool, a thread per core, from
  :data:`THREADED_FROM` words on: NumPy's ufuncs release the GIL, and a
  chunk's words are fixed by its counters, whichever thread computes them.

``tests/test_threefry.py`` checks the words against the generic cipher and
``jax.random.bits``.
"""
from __future__ import annotations

import math
import sys
import threading

import numpy as np

from . import threefry
from ._threads import pool, workers
from .generic import ThreefrySource

#: counters per chunk: three uint32 work arrays of 2**16 words (768 KiB) stay in
#: a 1 MiB L2 cache; fewer, longer ufunc calls than 2**15 (less GIL traffic
#: between the pool's threads: 2**16 was at least as fast as 2**15 in every
#: paired run, 2**17 and 2**18 no faster, on the project's 2-core VM)
CHUNK = 2**16
#: words from which the chunks are spread over the pool (8 chunks: below it
#: handing out tasks costs about what a second core saves)
THREADED_FROM = 8 * CHUNK

_M32 = 0xFFFFFFFF
_BASE = np.arange(CHUNK, dtype=np.uint32)  # a chunk's counter offsets, read only
_BASE.flags.writeable = False
# where a uint64's high and low 32-bit halves lie in memory
_HI, _LO = (1, 0) if sys.byteorder == "little" else (0, 1)
_local = threading.local()


def counter_bits(key: tuple[int, int], n: int, width: int) -> np.ndarray:
    """``threefry.counter_bits(numpy, key, n, width=width)``: ``jax.random.bits(key, (n,))``.

    ``key`` is a pair of Python ints (NumPy is eager, no traced keys).
    """
    if n >= 2**32:
        raise ValueError("a single draw is limited to 2**32 - 1 words")
    out = np.empty(n, dtype=np.uint32 if width == 32 else np.uint64)
    k = (key[0], key[1], key[0] ^ key[1] ^ threefry.PARITY)
    # NumPy scalars, not Python ints: a ufunc call converts a Python int
    # anew each time (~0.6 us of ~100 calls a chunk)
    ks = [np.uint32(x) for x in k]
    inject = [np.uint32((k[(i + 2) % 3] + i + 1) & _M32) for i in range(5)]

    def chunk(start):
        _chunk(ks, inject, out, start, min(n, start + CHUNK), width)

    if n < THREADED_FROM or workers() == 1:
        for start in range(0, n, CHUNK):
            chunk(start)
    else:
        for _ in pool().map(chunk, range(0, n, CHUNK)):
            pass
    return out


#: per rotation r: r and 32 - r as NumPy scalars
_ROT = [[(np.uint32(r), np.uint32(32 - r)) for r in rots] for rots in threefry.ROTATIONS]


def _chunk(ks, inject, out, start: int, stop: int, width: int) -> None:
    """Encrypt counters ``start .. stop-1`` (below 2**32) into ``out[start:stop]``."""
    m = stop - start
    work = getattr(_local, "work", None)
    if work is None or work[0].shape[0] < m:  # this thread's three work arrays, kept
        work = _local.work = tuple(np.empty(max(m, CHUNK), dtype=np.uint32) for _ in range(3))
    x0, x1, high = (w[:m] for w in work)
    add, shl, shr, bor, bxor = np.add, np.left_shift, np.right_shift, np.bitwise_or, np.bitwise_xor
    # x = (0, counter) + (ks0, ks1), then round 1's first x0 += x1: two operations
    base = _BASE[:m] if m <= _BASE.shape[0] else np.arange(m, dtype=np.uint32)
    add(base, np.uint32((start + int(ks[1])) & _M32), x1)
    add(x1, ks[0], x0)
    first = True
    for i in range(5):
        for r, back in _ROT[i % 2]:
            if not first:
                add(x0, x1, x0)
            first = False
            shl(x1, r, high)
            shr(x1, back, x1)
            bor(x1, high, x1)
            bxor(x1, x0, x1)
        add(x0, ks[(i + 1) % 3], x0)
        add(x1, inject[i], x1)
    if width == 32:
        bxor(x0, x1, out[start:stop])
    else:  # x0 << 32 | x1, written as the two halves of each uint64
        halves = out[start:stop].view(np.uint32).reshape(m, 2)
        halves[:, _HI] = x0
        halves[:, _LO] = x1


class NumpyThreefrySource(ThreefrySource):
    """The generic Threefry source on NumPy, its one-piece raw words from :func:`counter_bits`.

    A windowed source (a Dask block) keeps the generic windowed cipher.
    """

    def bits(self, shape, width):
        if self.window is not None:
            return super().bits(shape, width)
        subkey = threefry.fold_in(self.key, self.calls)
        self.calls += 1
        return counter_bits(subkey, math.prod(shape), width).reshape(shape)
