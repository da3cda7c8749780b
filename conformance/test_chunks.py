"""SPEC D5 for Dask: the portable stream is chunk-invariant.

With ``bit_generator="threefry"`` a Dask draw holds, for any chunking (uneven
ones included), exactly the values of the same draw made in one piece, and
those are NumPy's portable values for the same seed and call sequence. This
holds for every method whose elements are drawn independently; the methods
that couple elements (dirichlet, multinomial, multivariate_*: along their last
axis; permuted along an axis; choice, permutation) are checked for the
chunkings they allow (batch axes) or as one block. Parameters are scalars,
NumPy arrays and lazy Dask arrays of their own chunks, broadcasting against
the output, with values on both sides of the samplers' method switches
(poisson/binomial means around 10, hypergeometric sample sizes around 10).
"""
from __future__ import annotations

import numpy as np
import pytest

import array_random

da = pytest.importorskip("dask.array")

SHAPE = (23, 17)
#: one piece, regular blocks with a ragged edge, uneven explicit chunks, single rows
CHUNKINGS = [SHAPE, (5, 4), ((10, 3, 10), (1, 16)), (1, 17)]

_COL = np.linspace(0.5, 3.0, SHAPE[0]).reshape(-1, 1)        # (23, 1), broadcast over columns
_MEANS = np.concatenate([np.linspace(0.5, 9.5, 9), np.linspace(10, 60, 8)])   # (17,)


def _lazy(a, chunks):
    return da.from_array(np.asarray(a), chunks=chunks)


#: method -> arguments; "col"/"means" are array parameters, passed lazily to Dask
METHODS = {
    "random": (),
    "standard_normal": (),
    "standard_exponential": (),
    "standard_cauchy": (),
    "uniform": (-2.0, "col"),
    "normal": ("col", 2.0),
    "exponential": ("col",),
    "standard_gamma": ("col",),
    "gamma": (0.3, "col"),
    "beta": ("col", 0.7),
    "chisquare": ("col",),
    "f": ("col", 4.0),
    "standard_t": ("col",),
    "noncentral_chisquare": ("col", 2.0),
    "noncentral_f": (3.0, "col", 1.5),
    "gumbel": (0.0, "col"),
    "laplace": (1.0, "col"),
    "logistic": (0.0, "col"),
    "lognormal": (0.0, "col"),
    "pareto": ("col",),
    "power": ("col",),
    "rayleigh": ("col",),
    "weibull": ("col",),
    "triangular": (-1.0, 0.0, "col"),
    "vonmises": (0.5, "col"),
    "wald": ("col", 2.0),
    "integers": (0, "bounds"),
    "poisson": ("means",),
    "binomial": ("counts", 0.4),
    "geometric": (0.3,),
    "negative_binomial": ("col", 0.4),
    "hypergeometric": ("counts", 30, "samples"),
    "logseries": (0.8,),
    "zipf": (2.5,),
}

_ARRAYS = {
    "col": _COL,
    "means": _MEANS,
    "bounds": np.arange(1, SHAPE[1] + 1) * 1000,             # (17,) int
    "counts": np.arange(5, 5 + 3 * SHAPE[1], 3),             # n around 10/p: both binomial methods
    "samples": np.arange(1, SHAPE[1] + 1),                   # nsample around 10: both methods
}


def _args(spec, lazy_chunks=None):
    out = []
    for a in spec:
        if isinstance(a, str):
            value = _ARRAYS[a]
            out.append(value if lazy_chunks is None else
                       _lazy(value, lazy_chunks[-value.ndim:] if value.ndim else ()))
        else:
            out.append(a)
    return out


def _portable(xp, seed=0):
    return array_random.default_rng(xp, seed, bit_generator="threefry")


def _equal(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_chunking_gives_the_one_piece_values(method):
    spec = METHODS[method]
    reference = getattr(_portable(np, 11), method)(*_args(spec), size=SHAPE)
    for chunks in CHUNKINGS:
        rng = _portable(da, 11)
        # parameters chunked differently from the output: rechunked blockwise
        lazy = getattr(rng, method)(*_args(spec, (7, 6)), size=SHAPE, chunks=chunks)
        assert isinstance(lazy, da.Array)
        assert _equal(lazy.compute(), reference), (method, chunks)
        # scalars and NumPy arrays as parameters give the same values
        eager = getattr(_portable(da, 11), method)(*_args(spec), size=SHAPE, chunks=chunks)
        assert _equal(eager.compute(), reference), (method, chunks, "numpy parameters")
    # the stream moves on after the draw as NumPy's does
    after_np = _portable(np, 11)
    getattr(after_np, method)(*_args(spec), size=SHAPE)
    after_da = _portable(da, 11)
    getattr(after_da, method)(*_args(spec), size=SHAPE, chunks=(5, 4))
    assert _equal(after_da.random((4, 3), chunks=(3, 2)).compute(), after_np.random((4, 3)))


def test_mixed_method_switches_in_one_block():
    """poisson's inversion/PTRS switch: blocks holding only one method still match."""
    means = np.array([2.0] * 5 + [40.0] * 5)
    reference = _portable(np, 3).poisson(means, size=(4, 10))
    for chunks in [(4, 5), (4, 10), (1, 3), ((2, 2), (5, 5))]:
        got = _portable(da, 3).poisson(_lazy(means, 5), size=(4, 10), chunks=chunks)
        assert _equal(got.compute(), reference), chunks


@pytest.mark.parametrize("method, args, batch_chunks", [
    ("dirichlet", ([0.5, 1.0, 2.0],), (3, 2)),
    ("multinomial", (20, [0.2, 0.3, 0.5]), (4, 1)),
    ("multivariate_normal", ([0.0, 1.0], [[2.0, 0.5], [0.5, 1.0]]), (5, 2)),
    ("multivariate_hypergeometric", ([5, 10, 15], 12), (2, 3)),
])
def test_coupled_methods_are_invariant_along_their_batch_axes(method, args, batch_chunks):
    reference = getattr(_portable(np, 5), method)(*args, size=(9, 4))
    got = getattr(_portable(da, 5), method)(*args, size=(9, 4), chunks=batch_chunks + (-1,))
    assert got.chunks[:2] != ((9,), (4,))  # really cut along the batch axes
    assert _equal(got.compute(), reference)


def test_permuted_along_an_axis_is_invariant_along_the_others():
    x = np.arange(12 * 30).reshape(12, 30)
    reference = _portable(np, 8).permuted(x, axis=1)
    got = _portable(da, 8).permuted(da.from_array(x, chunks=(5, 7)), axis=1)
    assert got.numblocks[0] == 3
    assert _equal(got.compute(), reference)


@pytest.mark.parametrize("a, p", [(40, None), (40, np.linspace(1, 2, 40) / np.linspace(1, 2, 40).sum()),
                                  (np.arange(10.0, 50.0), None)])
def test_choice_with_replacement_is_chunked_and_invariant(a, p):
    reference = _portable(np, 12).choice(a, size=(9, 7), p=p)
    for chunks in [(9, 7), (4, 3), ((2, 7), (1, 6))]:
        got = _portable(da, 12).choice(a, size=(9, 7), p=p, chunks=chunks)
        assert len(got.__dask_graph__()) == got.npartitions  # one task per block
        assert _equal(got.compute(), reference), chunks


@pytest.mark.parametrize("call", [
    lambda r, xp: r.permutation(50),
    lambda r, xp: r.choice(40, size=(3, 5), replace=False),
    lambda r, xp: r.choice(40, size=(6,), p=np.full(40, 1 / 40)),
    lambda r, xp: r.integers(0, 9, size=(6, 5)),
])
def test_one_block_methods_equal_numpys_portable_draw(call):
    assert _equal(np.asarray(call(_portable(da, 9), da)), call(_portable(np, 9), np))


def test_bytes_equal_numpys_portable_bytes():
    assert _portable(da, 4).bytes(13) == _portable(np, 4).bytes(13)
