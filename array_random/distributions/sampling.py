"""Index samplers behind permutation, shuffle, permuted and choice."""
from __future__ import annotations

from .basic import _has_uint64

__all__ = ["permutation_indices", "choice_indices"]


def permutation_indices(src, shape, dtype):
    """Independent uniformly random permutations of ``range(shape[-1])`` along the last axis.

    Sorts random keys. 64-bit keys make a tie (which a stable sort breaks by
    position, a bias) as rare as n**2 / 2**65; where the device has no 64-bit
    integers, two rounds of 32-bit keys are sorted, as JAX does. Where argsort
    itself is unusable, a radix sort on packed 32-bit keys does the same.
    """
    xp = src.xp
    idx = xp.broadcast_to(xp.arange(shape[-1], dtype=dtype, device=src.device), shape)
    if not _argsort_works(xp, src.device):
        return xp.take_along_axis(idx, _random_order_packed(src, shape, dtype), axis=-1)
    for width in ((64,) if _has_uint64(xp, src.device) else (32, 32)):
        order = xp.argsort(src.bits(shape, width), axis=-1, stable=True)
        idx = xp.take_along_axis(idx, order, axis=-1)
    return idx


def choice_indices(src, shape, dtype, p=None, *, n: int, replace: bool):
    """``shape[0]`` indices into ``range(n)``, with or without replacement, uniform or weighted.

    Uniform with replacement, ``shape`` may be any shape (each index drawn alone).
    """
    xp = src.xp
    if replace and p is None:
        return src.integers(shape, dtype, 0, n - 1)
    (k,) = shape
    if replace:
        cdf = xp.cumulative_sum(p)
        u = src.random(shape, p.dtype) * cdf[-1]
        found = _searchsorted_right(xp, cdf, u, dtype, src.device)
        # rounding in the cumulative sum can put u past the last edge
        return xp.astype(xp.clip(found, 0, n - 1), dtype)
    if p is None:
        return src.permutation_indices((n,), dtype)[:k]
    # Efraimidis-Spirakis: the k largest log(U)/p are a weighted sample without
    # replacement; zero weights give -inf and are never among them.
    keys = xp.log(src.random((n,), p.dtype)) / p
    if not _argsort_works(xp, src.device):
        return _argsort_packed(xp, -keys, dtype, src.device)[:k]
    return xp.astype(xp.argsort(keys, descending=True, stable=True)[:k], dtype)


# array_api_strict's argsort, searchsorted and argmax return int64 even on its
# "no_x64" device, which then refuses them. There the index searches below are
# built from sort, take and 32-bit arithmetic only.
_ARGSORT_WORKS = {}


def _argsort_works(xp, device) -> bool:
    key = (id(xp), repr(device))
    if key not in _ARGSORT_WORKS:
        try:
            xp.argsort(xp.zeros((2,), dtype=xp.uint32, device=device))
            _ARGSORT_WORKS[key] = True
        except Exception:  # whatever the reason, the fallback needs only sort and take
            _ARGSORT_WORKS[key] = False
    return _ARGSORT_WORKS[key]


def _index_bits(n: int) -> int:
    return max(1, (n - 1).bit_length())


def _radix_order(xp, digits, b, dtype, device):
    """Stable argsort along the last axis by the uint32 ``digits`` (least significant first).

    Each pass sorts ``digit << b | position`` with one plain ``sort``: the
    position (``b`` bits) makes keys distinct, so equal digits keep their
    current order, and composing the passes is an LSD radix sort.
    """
    shape = tuple(digits[0].shape)
    pos = xp.broadcast_to(xp.arange(shape[-1], dtype=xp.uint32, device=device), shape)
    mask = (1 << b) - 1
    order = xp.astype(pos, dtype)
    for digit in digits:
        current = xp.take_along_axis(digit, order, axis=-1)
        moved = xp.astype(xp.sort((current << b) | pos, axis=-1) & mask, dtype)
        order = xp.take_along_axis(order, moved, axis=-1)
    return order


def _random_order_packed(src, shape, dtype):
    """A uniformly random order: a stable sort by a random key of at least 64 bits."""
    b = _index_bits(shape[-1])
    passes = -(-64 // (32 - b))
    words = src.bits((passes,) + tuple(shape), 32) >> b  # one cipher call for every pass
    return _radix_order(src.xp, [words[i, ...] for i in range(passes)], b, dtype, src.device)


def _binary_search(xp, edges, x, dtype, device, right: bool):
    """``searchsorted(edges, x, side=...)`` by a vectorised binary search."""
    n = edges.shape[0]
    lo = xp.zeros(x.shape, dtype=dtype, device=device)
    hi = xp.full(x.shape, n, dtype=dtype, device=device)
    for _ in range(n.bit_length()):
        mid = (lo + hi) // 2
        edge = xp.take(edges, xp.clip(mid, 0, n - 1), axis=0)
        below = ((edge <= x) if right else (edge < x)) & (lo < hi)
        lo, hi = xp.where(below, mid + 1, lo), xp.where(below | (lo >= hi), hi, mid)
    return lo


def _searchsorted_right(xp, edges, x, dtype, device):
    if _argsort_works(xp, device):
        return xp.searchsorted(edges, x, side="right")
    return _binary_search(xp, edges, x, dtype, device, right=True)


def _argsort_packed(xp, keys, dtype, device):
    """Stable ascending argsort of a 1-d float array: ranks by binary search, then radix."""
    n = keys.shape[0]
    ranks = _binary_search(xp, xp.sort(keys), keys, dtype, device, right=False)
    b = _index_bits(n)
    digit = 32 - b
    ranks = xp.astype(ranks, xp.uint32)
    digits = [(ranks >> (i * digit)) & ((1 << digit) - 1) for i in range(-(-b // digit))]
    return _radix_order(xp, digits, b, dtype, device)
