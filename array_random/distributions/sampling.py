"""Index samplers behind permutation, shuffle, permuted and choice."""
from __future__ import annotations

from .basic import _has_uint64

__all__ = ["permutation_indices", "choice_indices"]


def permutation_indices(src, shape, dtype):
    """Independent uniformly random permutations of ``range(shape[-1])`` along the last axis.

    Sorts random keys. 64-bit keys make a tie (which a stable sort breaks by
    position, a bias) as rare as n**2 / 2**65; where the device has no 64-bit
    integers, two rounds of 32-bit keys are sorted, as JAX does.
    """
    xp = src.xp
    idx = xp.broadcast_to(xp.arange(shape[-1], dtype=dtype, device=src.device), shape)
    for width in ((64,) if _has_uint64(xp, src.device) else (32, 32)):
        order = xp.argsort(src.bits(shape, width), axis=-1, stable=True)
        idx = xp.take_along_axis(idx, order, axis=-1)
    return idx


def choice_indices(src, shape, dtype, p=None, *, n: int, replace: bool):
    """``shape[0]`` indices into ``range(n)``, with or without replacement, uniform or weighted."""
    xp = src.xp
    (k,) = shape
    if replace:
        if p is None:
            return src.integers(shape, dtype, 0, n - 1)
        cdf = xp.cumulative_sum(p)
        u = src.random(shape, p.dtype) * cdf[-1]
        found = xp.searchsorted(cdf, u, side="right")
        # rounding in the cumulative sum can put u past the last edge
        return xp.astype(xp.clip(found, 0, n - 1), dtype)
    if p is None:
        return src.permutation_indices((n,), dtype)[:k]
    # Efraimidis-Spirakis: the k largest log(U)/p are a weighted sample without
    # replacement; zero weights give -inf and are never among them.
    keys = xp.log(src.random((n,), p.dtype)) / p
    return xp.astype(xp.argsort(keys, descending=True, stable=True)[:k], dtype)
