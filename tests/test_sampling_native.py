"""shuffle, permuted and bytes through the backends' own calls: the values they stand for.

The NumPy backend makes them with ``numpy.random.Generator``'s own ``shuffle``
(1-d), ``permuted`` and ``bytes``: each must give what NumPy's Generator of
the same seed gives, and leave the stream where NumPy leaves it. The generic
way (a permutation drawn, taken, written back) draws the same values, which
the N-d shuffle still takes. Torch shuffles with randperm and index_select
in place. The portable stream (``bit_generator="threefry"``) must not pick up
a native class's calls.
"""
from __future__ import annotations

import array_api_strict as xps
import numpy as np
import pytest
import torch

import array_random

SEED = 20240611


def _pair(seed=SEED):
    """An array_random NumPy generator and NumPy's own Generator of the same seed."""
    return array_random.default_rng(np, seed), np.random.Generator(np.random.PCG64(seed))


def _arrays():
    yield np.arange(10.0)
    yield np.arange(7, dtype=np.int32)
    yield np.arange(60).reshape(3, 4, 5)
    yield np.asfortranarray(np.arange(24.0).reshape(4, 6))
    yield np.arange(48.0).reshape(4, 12)[:, ::2]  # not contiguous
    yield np.zeros((0, 3))  # NumPy draws nothing to shuffle it, whatever the axis


@pytest.mark.parametrize("x", list(_arrays()), ids=lambda x: f"{x.shape}")
def test_numpy_shuffle_is_numpys_for_the_same_seed(x):
    for axis in range(-x.ndim, x.ndim):
        ours, theirs = _pair()
        a, b = x.copy(order="K"), x.copy(order="K")
        ours.shuffle(a, axis=axis)
        theirs.shuffle(b, axis=axis)
        assert np.array_equal(a, b), axis
        assert ours.random() == theirs.random(), axis  # the stream left where NumPy leaves it


@pytest.mark.parametrize("x", list(_arrays()), ids=lambda x: f"{x.shape}")
def test_numpy_permuted_is_numpys_for_the_same_seed(x):
    # axis None included: an F-ordered array is flattened in F order, as NumPy does
    for axis in [None, *range(-x.ndim, x.ndim)]:
        ours, theirs = _pair()
        got = ours.permuted(x, axis=axis)
        assert np.array_equal(got, theirs.permuted(x, axis=axis)), axis
        assert ours.random() == theirs.random(), axis
        out = np.empty_like(x)
        ours, theirs = _pair()
        assert ours.permuted(x, axis=axis, out=out) is out
        assert np.array_equal(out, theirs.permuted(x, axis=axis)), axis


@pytest.mark.parametrize("n", [0, 1, 3, 4, 10, 13])
def test_numpy_bytes_are_numpys_for_the_same_seed(n):
    ours, theirs = _pair()
    assert ours.bytes(n) == theirs.bytes(n)
    assert ours.random() == theirs.random()  # NumPy's bytes(0) draws a word too


@pytest.mark.parametrize("n", [1, 4, 13])
def test_numpy_bytes_keep_the_uint8_integers_values(n):
    ours, again = _pair()[0], _pair()[0]
    assert ours.bytes(n) == again.integers(0, 256, n, dtype=np.uint8).tobytes()


def test_numpy_shuffle_and_permutation_agree():
    """One stream, shuffled in place or permuted: NumPy's 1-d and the generic N-d way."""
    for x in (np.arange(10.0), np.arange(24.0).reshape(4, 6)):
        for axis in range(x.ndim):
            a, b = array_random.default_rng(np, 3), array_random.default_rng(np, 3)
            y = x.copy()
            a.shuffle(y, axis=axis)
            assert np.array_equal(y, b.permutation(x, axis=axis))


def test_torch_shuffle_is_in_place_and_the_permutation():
    a, b = array_random.default_rng(torch, 5), array_random.default_rng(torch, 5)
    x = torch.arange(12.0)
    ptr = x.data_ptr()
    expected = b.permutation(x.clone())
    assert a.shuffle(x) is None
    assert x.data_ptr() == ptr and torch.equal(x, expected)
    assert sorted(x.tolist()) == list(range(12))
    # a view: the tensor it belongs to sees the shuffle
    base = torch.arange(24.0).reshape(4, 6)
    column = base[:, 2]
    expected = b.permutation(column.clone())
    a.shuffle(column)
    assert torch.equal(base[:, 2], expected)
    # along another axis, every row the same permutation
    m = torch.arange(24.0).reshape(4, 6)
    expected = b.permutation(m.clone(), axis=1)
    a.shuffle(m, axis=-1)
    assert torch.equal(m, expected)
    assert torch.equal(a.random(3), b.random(3))  # the streams stay together


def test_torch_permuted_is_the_permutation_taken():
    a, b = array_random.default_rng(torch, 6), array_random.default_rng(torch, 6)
    x = torch.arange(10.0) * 3
    got = a.permuted(x)
    assert torch.equal(got, x[b.permutation(10)]) and torch.equal(x, torch.arange(10.0) * 3)
    assert torch.equal(a.permuted(x, axis=0), x[b.permutation(10)])
    m = torch.arange(12.0).reshape(3, 4)
    got = a.permuted(m)  # N-d, axis None: the flattened array's permutation
    assert torch.equal(got, m.reshape(-1)[b.permutation(12)].reshape(3, 4))


@pytest.mark.parametrize("n", [0, 1, 13])
def test_torch_bytes_keep_the_uint8_integers_values(n):
    a, b = array_random.default_rng(torch, 7), array_random.default_rng(torch, 7)
    assert a.bytes(n) == b.integers(0, 256, n, dtype=torch.uint8).numpy().tobytes()
    assert torch.equal(a.random(2), b.random(2))


@pytest.mark.parametrize("xp", [np, torch], ids=["numpy", "torch"])
def test_portable_stream_keeps_the_generic_permutations_and_bytes(xp):
    """A portable generator on NumPy or torch draws array_api_strict's values, not its library's."""
    def draws(lib):
        rng = array_random.default_rng(lib, 11, bit_generator="threefry")
        x = lib.reshape(lib.arange(12, dtype=lib.float64), (3, 4))
        rng.shuffle(x, axis=1)
        return [np.asarray(x), np.asarray(rng.permuted(x)),
                np.asarray(rng.permuted(x, axis=0)), rng.bytes(9)]

    ours, strict = draws(xp), draws(xps)
    assert all(np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b
               for a, b in zip(ours, strict))
