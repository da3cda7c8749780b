"""The portable stream on torch: the generic samplers' values in int64 arithmetic.

torch has almost no kernels for uint32/uint64 (no addition, shifts or
comparisons), which the generic samplers use on raw words. This source
overrides exactly the samplers that touch raw words (``random``,
``integers``, ``permutation_indices``) with the same algorithms on words held
in int64 lanes (:func:`counter_words`): the same counters, the same
keys, the same accept/reject decisions, so the same values as the generic
backend on NumPy. Every other sampler is the generic one on top of these.

The generic samplers pick 64-bit words where the namespace offers uint64;
torch does not list it, but its int64 lanes carry 64-bit words exactly, so
this source draws as a namespace with uint64 does (NumPy, array_api_strict's
CPU device), not as one without (array_api_strict's ``no_x64``).
"""
from __future__ import annotations

import math

import torch

from . import threefry
from ._threads import pool, workers
from .generic import ThreefrySource

_M32 = 0xFFFFFFFF
_I64_MIN = -(2**63)
#: float dtype -> (word width, shift, scale): as distributions.basic._FLOAT_BITS
_FLOAT_BITS = {torch.float64: (64, 12, 2.0**-52)}


def _signed(x: int) -> int:
    """The int64 whose bit pattern is the uint64 ``x``."""
    x %= 2**64
    return x - 2**64 if x >= 2**63 else x


class TorchThreefrySource(ThreefrySource):
    """The generic Threefry source on torch, raw words in int64 lanes."""

    def words(self, shape, width):
        """``bits(shape, width)`` as int64 lanes (see :func:`counter_words`)."""
        subkey = threefry.fold_in(self.key, self.calls)
        self.calls += 1
        words = counter_words(subkey, math.prod(shape), width, self.device)
        return words.reshape(shape)

    def bits(self, shape, width):
        # for callers that only move or compare the words; arithmetic on them
        # goes through words(), torch's unsigned types have no kernels for it
        return self.words(shape, width).to(torch.uint32 if width == 32 else torch.uint64)

    def random(self, shape, dtype):
        width, shift, scale = _FLOAT_BITS.get(dtype, (32, 9, 2.0**-23))
        w = self.words(shape, width) >> shift
        if width == 64:
            w &= (1 << (64 - shift)) - 1  # a logical shift: the lanes are signed
        return w.to(dtype) * scale

    def integers(self, shape, dtype, low, high):
        """``distributions.basic.integers``: Lemire for 32-bit spans, mask and redraw beyond."""
        if isinstance(low, int) and isinstance(high, int):
            span_m1 = high - low
            if span_m1 < 2**32:
                offset = self._lemire32(shape, span_m1)
            else:
                offset = self._masked(shape, _signed(span_m1), _signed(_fill_right(span_m1)))
            return (offset + _signed(low)).to(dtype)
        # array bounds: 64-bit words, as the generic sampler with uint64
        low = torch.as_tensor(low, device=self.device).to(torch.int64)
        high = torch.as_tensor(high, device=self.device).to(torch.int64)
        span_m1 = torch.broadcast_to(high - low, shape)  # wraps: the unsigned span's bits
        mask = span_m1.clone()
        for s in (1, 2, 4, 8, 16, 32):
            mask |= mask >> s  # arithmetic shift: spans >= 2**63 become all ones, as they should
        return (self._masked(shape, span_m1, mask) + low).to(dtype)

    def _lemire32(self, shape, span_m1: int):
        """Offsets in [0, span_m1] from 32-bit words, keyed as ``basic._lemire32``."""
        if span_m1 == _M32:  # every word is a value
            return self.words(shape, 32)
        span = span_m1 + 1
        threshold = (2**32 - span) % span
        s0, s1 = span & 0xFFFF, span >> 16

        def draw(s):
            w = s.words(shape, 32)
            t = w * s0
            u = w * s1 + (t >> 16)  # w * span >> 16, below 2**49: exact in int64
            low_half = ((u & 0xFFFF) << 16) | (t & 0xFFFF)
            return u >> 16, low_half < threshold

        def body(s, state):
            value, bad = state
            fresh, fresh_bad = draw(s)
            return torch.where(bad, fresh, value), bad & fresh_bad

        value, _ = self.while_loop(lambda st: st[1].any(), body, draw(self))
        return value

    def _masked(self, shape, span_m1, mask):
        """Offsets in [0, span_m1] (unsigned, int64 bit patterns), as ``basic._masked``."""
        limit = span_m1 ^ _I64_MIN  # unsigned order as signed order: flip the sign bit

        def body(s, state):
            value, bad = state
            value = torch.where(bad, s.words(shape, 64) & mask, value)
            return value, (value ^ _I64_MIN) > limit

        value = self.words(shape, 64) & mask
        value, _ = self.while_loop(lambda st: st[1].any(), body,
                                   (value, (value ^ _I64_MIN) > limit))
        return value

    def permutation_indices(self, shape, dtype):
        """``sampling.permutation_indices``: a stable argsort of 64-bit words, unsigned order."""
        keys = self.words(shape, 64) ^ _I64_MIN
        return torch.argsort(keys, dim=-1, stable=True).to(dtype)


# --- the cipher on int32 lanes ---------------------------------------------------

#: counters per chunk: at most torch's intra-op grain (32768), so each operation
#: runs on the thread that runs the chunk; threads over chunks use the cores
CHUNK = 2**15
#: words from which a CPU draw's chunks are spread over the pool
THREADED_FROM = 16 * CHUNK


def counter_bits(key, n: int, width: int, device=None):
    """``threefry.counter_bits(torch, key, n, width=width)`` as uint32/uint64 tensors.

    torch's unsigned tensors only carry the bits (no arithmetic kernels); for
    arithmetic take :func:`counter_words`.
    """
    if width == 32:
        return _words(key, n, device, "int32").view(torch.uint32)
    return _words(key, n, device, "int64").view(torch.uint64)


def counter_words(key, n: int, width: int, device=None):
    """:func:`counter_bits`' words in torch int64 lanes (torch has few unsigned kernels).

    A 32-bit word is the lane's value (0 .. 2**32 - 1); a 64-bit word is the
    lane's two's-complement bit pattern (negative where the top bit is set).
    """
    return _words(key, n, device, "int64" if width == 64 else "uint32 in int64")


def _scalar(x: int) -> torch.Tensor:
    """A 0-d int32 tensor holding the 32-bit word ``x``'s bit pattern.

    An operand of ~5 us less per operation than the Python int (measured at
    2**13-2**17 elements, torch 2.13 CPU): torch wraps a Python number into a
    tensor on every call. A 0-d CPU tensor is a scalar operand on any device.
    """
    x &= _M32
    return torch.tensor(x - 2**32 if x >= 2**31 else x, dtype=torch.int32)


#: per rotation r: (r, 32 - r, the mask of the r bits the arithmetic right shift brings down)
_ROT = [[(_scalar(r), _scalar(32 - r), _scalar((1 << r) - 1)) for r in rots]
        for rots in threefry.ROTATIONS]


def _words(key, n: int, device, kind: str):
    """The words of counters ``0 .. n-1`` (``n < 2**32``) in a torch tensor.

    ``kind``: ``"int32"`` (32-bit words, bit patterns), ``"uint32 in int64"``
    (32-bit words as values) or ``"int64"`` (64-bit words, bit patterns). The
    cipher runs on int32 lanes in chunks of :data:`CHUNK`; on a CPU the chunks
    are spread over a thread per core (torch's kernels release the GIL), each
    chunk's words the same whichever thread computes them.
    """
    if n >= 2**32:
        raise ValueError("a single draw is limited to 2**32 - 1 words")
    out = torch.empty(n, dtype=torch.int32 if kind == "int32" else torch.int64, device=device)
    k0, k1, k2 = key[0], key[1], key[0] ^ key[1] ^ threefry.PARITY
    ks = [_scalar(k) for k in (k0, k1, k2)]
    inject = [_scalar((k0, k1, k2)[(i + 2) % 3] + i + 1) for i in range(5)]

    def run(first: int, last: int):
        chunk = max(1, min(last - first, CHUNK))
        # per thread: the counter offsets and three work arrays, reused chunk after chunk
        base = torch.arange(chunk, dtype=torch.int32, device=device)
        x0, x1, high = (torch.empty(chunk, dtype=torch.int32, device=device) for _ in range(3))
        for start in range(first, last, chunk):
            m = min(last, start + chunk) - start
            _chunk(ks, inject, _scalar(start + k1), base[:m], x0[:m], x1[:m], high[:m])
            _store(out[start:start + m], x0[:m], x1[:m], kind)

    if n < THREADED_FROM or workers() == 1 or torch.device(device or "cpu").type != "cpu":
        run(0, n)
    else:
        step = -(-n // (4 * workers() * CHUNK)) * CHUNK  # whole chunks, 4 tasks a thread
        for _ in pool().map(lambda start: run(start, min(n, start + step)), range(0, n, step)):
            pass
    return out


def _chunk(ks, inject, start_k1, base, x0, x1, high):
    """Threefry-2x32-20 of the counters ``(0, start + base)`` in place, on int32 lanes.

    int32 addition wraps as uint32 does and XOR/OR/left shifts act on the same
    bits; only the right shift is arithmetic, so the rotation masks the bits it
    brings down. The counters' high words are 0 (below 2**32), so the first
    key injection and round 1's first ``x0 += x1`` are two operations.
    """
    torch.add(base, start_k1, out=x1)  # (start + j + ks1) mod 2**32
    torch.add(x1, ks[0], out=x0)
    shl = torch.bitwise_left_shift
    first = True
    for i in range(5):
        for r, back, mask in _ROT[i % 2]:
            if not first:
                x0 += x1
            first = False
            shl(x1, r, out=high)
            x1 >>= back
            x1 &= mask
            x1 |= high
            x1 ^= x0
        x0 += ks[(i + 1) % 3]
        x1 += inject[i]


def _store(out, y0, y1, kind: str) -> None:
    if kind == "int32":
        torch.bitwise_xor(y0, y1, out=out)
    elif kind == "uint32 in int64":
        y0 ^= y1
        torch.bitwise_and(y0.to(torch.int64), _M32, out=out)
    else:
        hi = y0.to(torch.int64)
        hi <<= 32  # wraps into the sign bit: the int64 holds the uint64's bits
        hi |= y1.to(torch.int64) & _M32
        out.copy_(hi)


def _fill_right(x: int) -> int:
    for s in (1, 2, 4, 8, 16, 32):
        x |= x >> s
    return x
