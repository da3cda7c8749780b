"""Multivariate samplers (see the package docstring for the sampler convention).

``shape`` is the full output shape: the batch shape followed by the length
of one draw (the number of categories, colours or dimensions).
"""
from __future__ import annotations

import math

from .._validate import is_traced

__all__ = ["multinomial", "multivariate_hypergeometric", "multivariate_normal"]


def _categories(src, shape, dtype, step, left, traced):
    """Counts for categories 0 .. k-2 by ``x = step(s, j, left)``; the last gets what is left.

    Eagerly a Python loop (``j`` an int). Traced (JAX), a ``while_loop`` over
    ``j`` (a 0-d array), so that the compiled program does not grow with the
    number of categories; the counts are then accumulated with a mask. A
    source with ``unrolled_categories`` (the portable stream on JAX) keeps the
    eager loop traced too: the loop's keys differ from the eager calls' keys.
    """
    xp = src.xp
    k = shape[-1]
    if not traced or getattr(src, "unrolled_categories", False):
        counts = []
        for j in range(k - 1):
            x = step(src, j, left)
            counts.append(x)
            left = left - x
        return xp.stack(counts + [left], axis=-1)
    cats = xp.arange(k, device=src.device)

    def body(s, state):
        j, left, counts = state
        x = step(s, j, left)
        return j + 1, left - x, counts + xp.where(cats == j, x[..., None], 0)

    start = (xp.asarray(0, dtype=cats.dtype, device=src.device), left,
             xp.zeros(shape, dtype=dtype, device=src.device))
    _, left, counts = src.while_loop(lambda st: st[0] < k - 1, body, start)
    return counts + xp.where(cats == k - 1, left[..., None], 0)


def _at(xp, a, j):
    """``a[..., j]`` for an int ``j`` or a 0-d integer array."""
    if isinstance(j, int):
        return a[..., j]
    return xp.take(a, xp.reshape(j, (1,)), axis=-1)[..., 0]


def _start(src, value, batch, dtype):
    xp = src.xp
    if isinstance(value, int):
        return xp.full(batch, value, dtype=dtype, device=src.device)
    return xp.broadcast_to(xp.astype(value, dtype), batch)


def multinomial(src, shape, dtype, n, pvals):
    """Successive conditional binomials, as NumPy: category j gets
    Binomial(n left, p_j / (1 - p_0 - ... - p_{j-1})), the last what is left.

    As in NumPy, the last probability is never read: it is whatever remains.
    """
    xp = src.xp
    batch = shape[:-1]
    if math.prod(shape) == 0:
        return xp.zeros(shape, dtype=dtype, device=src.device)
    # the mass left before each category, on pvals' own (unbroadcast) shape
    remaining = xp.broadcast_to(1 - (xp.cumulative_sum(pvals, axis=-1) - pvals), shape)
    p = xp.broadcast_to(pvals, shape)

    def step(s, j, left):
        pj, rest = _at(xp, p, j), _at(xp, remaining, j)
        # rounding can leave ``rest`` at or below 0 once the earlier categories
        # took all the mass; then nothing is left to give
        ratio = xp.where(rest > 0, xp.clip(pj / xp.where(rest > 0, rest, 1.0), 0.0, 1.0), 0.0)
        # at most what is left, whatever the backend's binomial rounds (float32 beyond 2**24)
        return xp.minimum(s.binomial(batch, dtype, left, ratio), left)

    return _categories(src, shape, dtype, step, _start(src, n, batch, dtype), is_traced(pvals))


def multivariate_hypergeometric(src, shape, dtype, colors, nsample, *, method, total=None):
    """Counts of each colour among ``nsample`` items drawn without replacement.

    ``"marginals"``: colour j gets Hypergeometric(colors[j], later colours,
    items left), as NumPy. ``"count"``: an explicit random permutation of all
    ``total`` items (memory proportional to ``total`` per draw, as NumPy's):
    item i is drawn when its position is below ``nsample``.
    """
    xp = src.xp
    batch, k = shape[:-1], shape[-1]
    if k == 0 or math.prod(shape) == 0:
        return xp.zeros(shape, dtype=dtype, device=src.device)
    if method == "count" and total == 0:
        # nothing to permute: no colours, or nsample 0 (the door says so as total 0, known
        # statically even where nsample is traced), as NumPy returns at once; permuting all
        # the items for nsample 0 took minutes and 19 GB for 2**31 of them
        return xp.zeros(shape, dtype=dtype, device=src.device)
    if method == "count":
        index = colors.dtype
        position = src.permutation_indices(batch + (total,), index)
        drawn = xp.astype(position < nsample, dtype)
        running = xp.cumulative_sum(drawn, axis=-1, dtype=dtype, include_initial=True)
        edges = xp.cumulative_sum(colors, dtype=index, include_initial=True)
        at = xp.take(running, edges, axis=-1)
        return at[..., 1:] - at[..., :-1]
    # the colours after j: their total, for every j
    later = xp.sum(colors, dtype=colors.dtype) - xp.cumulative_sum(colors, dtype=colors.dtype)

    def step(s, j, left):
        return s.hypergeometric(batch, dtype, _at(xp, colors, j), _at(xp, later, j), left)

    return _categories(src, shape, dtype, step, _start(src, nsample, batch, dtype),
                       is_traced(colors))


def multivariate_normal(src, shape, dtype, mean, factor):
    """``mean + Z @ factor.T`` with standard normal rows Z, as NumPy.

    The facade factorises the covariance (``cov = factor @ factor.T``) once,
    on the device, while checking it.
    """
    xp = src.xp
    z = src.standard_normal(shape, dtype)
    return mean + xp.matmul(z, xp.matrix_transpose(factor))
