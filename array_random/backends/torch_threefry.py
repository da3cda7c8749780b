"""The portable stream on torch: the generic samplers' values in int64 arithmetic.

torch has almost no kernels for uint32/uint64 (no addition, shifts or
comparisons), which the generic samplers use on raw words. This source
overrides exactly the samplers that touch raw words (``random``,
``integers``, ``permutation_indices``) with the same algorithms on words held
in int64 lanes (``threefry.counter_words_torch``): the same counters, the same
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
        """``bits(shape, width)`` as int64 lanes (see ``threefry.counter_words_torch``)."""
        subkey = threefry.fold_in(self.key, self.calls)
        self.calls += 1
        words = threefry.counter_words_torch(subkey, math.prod(shape), width, self.device)
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


def _fill_right(x: int) -> int:
    for s in (1, 2, 4, 8, 16, 32):
        x |= x >> s
    return x
