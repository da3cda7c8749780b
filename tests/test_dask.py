"""The Dask backend: laziness, graph size, chunks=, lazy parameter checks, block seeding."""
from __future__ import annotations

import inspect
import pickle

import numpy as np
import pytest

import array_random

da = pytest.importorskip("dask.array")
from array_random.backends.dask_backend import DaskGenerator  # noqa: E402


def _rng(seed=0, bit_generator="native"):
    return array_random.default_rng(da, seed, bit_generator=bit_generator)


def _exploding(shape, chunks):
    """A lazy Dask array whose every block raises when computed."""
    def boom(block):
        raise RuntimeError("computed")
    return da.ones(shape, chunks=chunks).map_blocks(boom, dtype=float)


def test_namespace_and_array_as_xp():
    import array_api_compat.dask.array as cda
    for xp in (da, cda, da.zeros(3)):
        rng = array_random.default_rng(xp, 1)
        assert isinstance(rng, DaskGenerator) and rng.backend == "dask"
    assert isinstance(_rng().normal(size=4), da.Array)


@pytest.mark.parametrize("bit_generator", ["native", "threefry"])
def test_one_task_per_block_and_nothing_computed(bit_generator):
    rng = _rng(0, bit_generator)
    x = rng.normal(size=(2000, 1000), chunks=(500, 1000))
    assert x.numblocks == (4, 1) and len(x.__dask_graph__()) == 4
    y = rng.gamma(2.0, size=(10**4,), chunks=(1000,))
    assert len(y.__dask_graph__()) == 10
    # lazy parameters: their own tasks, plus one task per output block; nothing runs
    loc = _exploding((2000, 1), (500, 1))
    z = rng.normal(loc, 1.0, size=(2000, 1000))
    assert z.chunks == ((500,) * 4, (1000,))
    own = len(loc.__dask_graph__())
    assert len(z.__dask_graph__()) == own + 4
    with pytest.raises(RuntimeError, match="computed"):
        z.compute()


def test_chunks_has_dasks_meaning():
    rng = _rng()
    assert rng.random((10, 6), chunks=4).chunks == ((4, 4, 2), (4, 2))
    assert rng.random((10, 6), chunks=((3, 7), (6,))).chunks == ((3, 7), (6,))
    assert rng.random((10, 6), chunks=(-1, 3)).chunks == ((10,), (3, 3))
    auto = rng.random(10**8)
    assert auto.chunks == da.empty(10**8, chunks="auto").chunks


def test_bad_scalars_raise_before_the_graph_and_lazy_values_when_computed():
    rng = _rng()
    before = rng.state
    with pytest.raises(ValueError):
        rng.normal(0.0, -1.0, size=3)
    with pytest.raises(ValueError):
        rng.binomial(5, [0.5, 1.5])
    with pytest.raises(TypeError):
        rng.normal(object(), 1.0)
    assert rng.state == before  # a refused draw does not advance the generator
    bad = da.from_array(np.array([1.0, -1.0, 2.0]), chunks=1) * 1.0  # computed: lazy
    lazy = rng.exponential(bad)  # values unknown until computed
    with pytest.raises(ValueError, match="scale"):
        lazy.compute()
    ok = rng.exponential(da.from_array(np.array([1.0, 2.0]), chunks=1)).compute()
    assert ok.shape == (2,) and np.all(ok >= 0)


def test_out_and_shuffle_are_refused():
    rng = _rng()
    with pytest.raises(TypeError, match="immutable"):
        rng.random(3, out=da.zeros(3))
    with pytest.raises(TypeError, match="permut"):
        rng.shuffle(da.arange(4))


def test_native_blocks_are_numpy_pcg64_streams_of_the_seed_sequence():
    """Block b of draw c: PCG64(SeedSequence(entropy, spawn_key=(2**32 - 1, c, b)))."""
    rng = _rng(7)
    rng.random(3)  # draw 0
    x = rng.normal(size=(6, 4), chunks=(3, 4)).compute()  # draw 1, blocks 0 and 1
    for b in range(2):
        seq = np.random.SeedSequence(7, spawn_key=(2**32 - 1, 1, b))
        expect = np.random.Generator(np.random.PCG64(seq)).normal(size=(3, 4))
        assert np.array_equal(x[3 * b:3 * b + 3], expect)
    # reproducible for one chunking, different for another
    again = _rng(7)
    again.random(3)
    assert np.array_equal(again.normal(size=(6, 4), chunks=(3, 4)).compute(), x)
    other = _rng(7)
    other.random(3)
    assert not np.array_equal(other.normal(size=(6, 4), chunks=(2, 4)).compute(), x)


def test_block_streams_are_not_spawned_streams():
    rng = _rng(3)
    child = rng.spawn(1)[0]
    block = rng.random(5, chunks=5).compute()
    assert not np.array_equal(child.random(5, chunks=5).compute(), block)
    seq = np.random.SeedSequence(3)
    spawned = np.random.Generator(np.random.PCG64(seq.spawn(1)[0])).random(5)
    assert not np.array_equal(block, spawned)


@pytest.mark.parametrize("bit_generator", ["native", "threefry"])
def test_state_copy_pickle_spawn(bit_generator):
    rng = _rng(11, bit_generator)
    rng.random(4)
    clone = pickle.loads(pickle.dumps(rng))
    assert isinstance(clone, DaskGenerator) and repr(clone) == repr(rng)
    assert np.array_equal(clone.normal(size=8, chunks=3).compute(),
                          rng.normal(size=8, chunks=3).compute())
    import copy
    twin = copy.deepcopy(rng)
    assert isinstance(twin, DaskGenerator)
    assert np.array_equal(twin.random(5).compute(), rng.random(5).compute())
    kids = rng.spawn(2)
    assert all(isinstance(k, DaskGenerator) for k in kids)
    assert not np.array_equal(kids[0].random(5).compute(), kids[1].random(5).compute())
    saved = rng.state
    first = rng.random(6, chunks=2).compute()
    rng.state = saved
    assert np.array_equal(rng.random(6, chunks=2).compute(), first)


def test_every_method_keeps_numpys_signature_plus_keyword_only_chunks():
    for name in dir(np.random.Generator):
        if name.startswith("_") or name == "bit_generator":
            continue
        ours = getattr(DaskGenerator, name)
        base = inspect.signature(getattr(array_random.Generator, name))
        sig = inspect.signature(ours)
        if name in ("shuffle", "bytes", "spawn"):
            assert list(sig.parameters) == list(base.parameters), name
            continue
        params = list(sig.parameters.values())
        assert params[:-1] == list(base.parameters.values()), name
        assert params[-1].name == "chunks" and params[-1].kind is params[-1].KEYWORD_ONLY
        assert params[-1].default == "auto"


def test_methods_dask_random_lacks():
    rng = _rng(2, "threefry")
    assert rng.dirichlet([1.0, 2.0], size=(5,), chunks=(2, -1)).compute().shape == (5, 2)
    mvn = rng.multivariate_normal([0.0, 0.0], [[1.0, 0.2], [0.2, 1.0]], size=7, chunks=3)
    assert mvn.chunks == ((3, 3, 1), (2,))
    x = da.arange(20, chunks=7).reshape(4, 5)
    p = rng.permuted(x, axis=1).compute()
    assert sorted(p.ravel().tolist()) == list(range(20))
    assert [sorted(r) for r in p.tolist()] == [sorted(r) for r in np.arange(20).reshape(4, 5)]
    perm = rng.permutation(x, axis=0).compute()
    assert sorted(map(tuple, perm.tolist())) == sorted(map(tuple, np.arange(20).reshape(4, 5)))
    assert isinstance(rng.bytes(5), bytes) and len(rng.bytes(5)) == 5


def test_jax_key_is_the_portable_streams_next_key():
    pytest.importorskip("jax")
    import jax
    ours, theirs = _rng(6, "threefry"), array_random.default_rng(np, 6, bit_generator="threefry")
    assert np.array_equal(jax.random.key_data(ours.jax_key()),
                          jax.random.key_data(theirs.jax_key()))
    assert np.array_equal(ours.random(5, chunks=2).compute(), theirs.random(5))
