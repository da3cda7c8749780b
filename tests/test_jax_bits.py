"""The JAX backend's own Threefry paths give jax.random's very bits and values.

JaxSource.bits runs the unrolled cipher of threefry.py for draws of 1024 words
and more, eager draws take their key from a block derived on the host, and
random / standard_normal / standard_exponential repeat jax.random's arithmetic
on those words: each must equal what jax.random itself gives for the same key.
"""
from __future__ import annotations

import textwrap

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import array_random
from array_random.backends import jax_backend
from array_random.backends._keys import SPAWN
from array_random.backends.jax_backend import JaxSource

SHAPES = [(), (5,), (3, 4), (1023,), (1024,), (3, 700), (100_003,)]


def _first_key(key):
    """The key of a source's first primitive call: fold_in(key, 0)."""
    return jax.random.fold_in(key, 0)


def _same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape
    assert np.array_equal(a.view(f"u{a.itemsize}"), b.view(f"u{b.itemsize}"))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", [0, 2**31 + 5])
def test_bits_equal_jax_random_bits(shape, seed):
    key = jax.random.key(seed)
    ours = jax.jit(lambda k: JaxSource(k).bits(shape, 32))(key)
    _same(ours, jax.random.bits(_first_key(key), shape, jnp.uint32))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("method, native", [
    ("random", jax.random.uniform),
    ("standard_normal", jax.random.normal),
    ("standard_exponential", jax.random.exponential),
])
def test_floats_equal_jax_random(shape, method, native):
    key = jax.random.key(42)
    ours = jax.jit(lambda k: getattr(JaxSource(k), method)(shape, jnp.float32))(key)
    _same(ours, native(_first_key(key), shape, jnp.float32))


def test_unrolled_path_is_taken_from_1024_words():
    # the equality tests above cover both sides of the switch only if it is there
    assert jax_backend._UNROLL_FROM == 1024
    assert jax_backend._unrolled_threefry(jax.random.key(0))
    assert not jax_backend._unrolled_threefry(jax.random.key(0, impl="rbg"))


def test_other_key_impls_fall_back_to_jax_random():
    key = jax.random.key(3, impl="rbg")
    ours = jax.jit(lambda k: JaxSource(k).bits((2000,), 32))(key)
    _same(ours, jax.random.bits(_first_key(key), (2000,), jnp.uint32))
    rng = array_random.default_rng(jnp, key)
    _same(rng.random(10), jax.random.uniform(_first_key(jax.random.fold_in(key, 0)), (10,)))


@pytest.mark.parametrize("start", [0, 1, 255, 256, 2**31 - 3, SPAWN - 3])
def test_host_key_block_equals_fold_in(start):
    key = jax.random.key(77)
    block = jax_backend._host_key_block(key, start)
    assert block.dtype == np.uint32 and block.shape == (min(256, SPAWN - start), 2)
    for i in (0, 1, len(block) - 1):
        want = jax.random.key_data(jax.random.fold_in(key, start + i))
        assert np.array_equal(block[i], np.asarray(want))


def test_host_key_block_only_for_concrete_threefry_keys():
    assert jax_backend._host_key_block(jax.random.key(1, impl="rbg"), 0) is None
    seen = []
    jax.jit(lambda k: seen.append(jax_backend._host_key_block(k, 0)))(jax.random.key(1))
    assert seen == [None]


@pytest.mark.parametrize("size", [10, 2000])
def test_eager_draws_follow_the_key_scheme_across_blocks(size):
    # draw c uses fold_in(key, c), its first primitive fold_in(., 0): past the
    # end of a host block (256 draws) too
    key = jax.random.key(9)
    rng = array_random.default_rng(jnp, key)
    for c in range(260):
        got = rng.standard_normal(size)
        if c in (0, 1, 255, 256, 259):
            want = jax.random.normal(_first_key(jax.random.fold_in(key, c)), (size,))
            _same(got, want)


def test_eager_and_jitted_draws_agree():
    # eager draws use host-derived keys, jitted ones derive them in the graph
    eager = array_random.default_rng(jnp, 5)
    jitted = array_random.default_rng(jnp, 5)
    draw = jax.jit(lambda g: (g.random(3000), g.standard_normal(7), g.integers(0, 10, 2000)))
    for _ in range(2):
        want = (eager.random(3000), eager.standard_normal(7), eager.integers(0, 10, 2000))
        for a, b in zip(draw(jitted), want):
            _same(a, b)


def test_state_restore_rederives_the_host_keys():
    rng = array_random.default_rng(jnp, 11)
    saved = rng.state
    first = rng.random(2000)
    rng.random(5)
    rng.state = saved
    _same(rng.random(2000), first)


_X64_SCRIPT = textwrap.dedent("""
    import json
    import jax, jax.numpy as jnp, numpy as np
    from array_random.backends.jax_backend import JaxSource
    key = jax.random.key(123)
    k0 = jax.random.fold_in(key, 0)
    out = {}
    for shape in [(5,), (4096,)]:
        bits = jax.jit(lambda k: JaxSource(k).bits(shape, 64))(key)
        out[f"bits64-{shape[0]}"] = bool(np.array_equal(
            np.asarray(bits), np.asarray(jax.random.bits(k0, shape, jnp.uint64))))
        for m, f in [("random", jax.random.uniform), ("standard_normal", jax.random.normal),
                     ("standard_exponential", jax.random.exponential)]:
            got = jax.jit(lambda k: getattr(JaxSource(k), m)(shape, jnp.float64))(key)
            want = f(k0, shape, jnp.float64)
            out[f"{m}-{shape[0]}"] = [str(got.dtype), bool(np.array_equal(
                np.asarray(got).view(np.uint64), np.asarray(want).view(np.uint64)))]
    print(json.dumps(out))
""")


def test_64_bit_paths_equal_jax_random_in_a_subprocess(run_jax_script):
    out = run_jax_script(_X64_SCRIPT, x64=True)
    assert len(out) == 8
    for name, value in out.items():
        assert value is True or value == ["float64", True], name


# --- the cipher on torch's int32 lanes (torch has no uint32 arithmetic) ---------------
@pytest.mark.parametrize("n", [0, 1, 1000, 2**17 + 3])
def test_torch_counter_bits_equal_jax_random_bits(n):
    torch = pytest.importorskip("torch")
    from array_random.backends import torch_threefry

    key = (0x12345678, 0xFFFFFFFF)
    got = torch_threefry.counter_bits(key, n, 32)
    want = jax.random.bits(jax.random.wrap_key_data(jnp.asarray(key, dtype=jnp.uint32)), (n,),
                           jnp.uint32)
    assert got.dtype == torch.uint32
    assert np.array_equal(got.view(torch.int32).numpy().view(np.uint32), np.asarray(want))


@pytest.mark.parametrize("width", [32, 64])
def test_torch_counter_bits_equal_numpys_threaded(monkeypatch, width):
    # numpy's words are checked against JAX's in tests/test_threefry.py; two
    # workers forced, so that a one-core machine takes the threaded path too
    torch = pytest.importorskip("torch")
    import array_api_compat.numpy as cnumpy

    from array_random.backends import threefry, torch_threefry

    monkeypatch.setattr(torch_threefry, "workers", lambda: 2)
    n = torch_threefry.THREADED_FROM + 5 * torch_threefry.CHUNK + 5
    key = (3, 0x80000001)
    got = torch_threefry.counter_bits(key, n, width)
    assert got.dtype == (torch.uint32 if width == 32 else torch.uint64)
    want = threefry.counter_bits(cnumpy, key, n, width=width)
    lanes = torch.int32 if width == 32 else torch.int64
    assert np.array_equal(got.view(lanes).numpy().view(want.dtype), want)
    words = torch_threefry.counter_words(key, n, width)  # int64 lanes, 32-bit words as values
    assert words.dtype == torch.int64
    assert np.array_equal(words.numpy().view(np.uint64) if width == 64 else words.numpy(), want)
