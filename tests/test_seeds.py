"""default_rng's seed: every accepted form, what each means, and what is refused."""
from __future__ import annotations

import array_api_strict as xps
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch

import array_random

CPU = xps.Device("CPU_DEVICE")
DEVICE1 = xps.Device("device1")


def _draws(rng, host):
    return np.concatenate([host(rng.random(8)), host(rng.integers(0, 2**30, size=8))])


# --- the plain forms ------------------------------------------------------------
def test_int_seed_is_reproducible_and_seeds_differ(xp, host):
    first = _draws(array_random.default_rng(xp, 7), host)
    assert np.array_equal(first, _draws(array_random.default_rng(xp, 7), host))
    assert not np.array_equal(first, _draws(array_random.default_rng(xp, 8), host))


def test_int_sequence_and_seed_sequence_agree(xp, host):
    from_list = _draws(array_random.default_rng(xp, [3, 1, 4]), host)
    assert np.array_equal(from_list, _draws(array_random.default_rng(xp, (3, 1, 4)), host))
    assert np.array_equal(
        from_list, _draws(array_random.default_rng(xp, np.random.SeedSequence([3, 1, 4])), host))
    assert np.array_equal(_draws(array_random.default_rng(xp, 3), host),
                          _draws(array_random.default_rng(xp, np.random.SeedSequence(3)), host))
    assert not np.array_equal(from_list, _draws(array_random.default_rng(xp, [3, 1, 5]), host))


def test_numpy_int_scalar_seed_is_an_int(xp, host):
    assert np.array_equal(_draws(array_random.default_rng(xp, np.int64(11)), host),
                          _draws(array_random.default_rng(xp, 11), host))


def test_numpy_backend_is_numpys_pcg64():
    # numpy.random.default_rng(seed) and default_rng(numpy, seed) are one stream
    ours = array_random.default_rng(np, 2024)
    theirs = np.random.default_rng(2024)
    assert np.array_equal(ours.random(5), theirs.random(5))
    assert np.array_equal(ours.standard_normal(5), theirs.standard_normal(5))


def test_none_gives_fresh_entropy(xp, host):
    a = _draws(array_random.default_rng(xp), host)
    b = _draws(array_random.default_rng(xp, None), host)
    assert not np.array_equal(a, b)


# --- numpy.random.Generator ------------------------------------------------------
def test_numpy_generator_seed_draws_entropy_from_it(xp, host):
    source = np.random.default_rng(99)
    before = source.bit_generator.state
    a = _draws(array_random.default_rng(xp, source), host)
    assert source.bit_generator.state != before  # the numpy generator advanced
    b = _draws(array_random.default_rng(xp, np.random.default_rng(99)), host)
    assert np.array_equal(a, b)  # the same state gives the same generator
    # the advanced source now gives a different one
    assert not np.array_equal(a, _draws(array_random.default_rng(xp, source), host))


# --- array_random.Generator -------------------------------------------------------
@pytest.mark.parametrize("xp, device", [(np, None), (jnp, None), (torch, None), (xps, None),
                                        (xps, DEVICE1)],
                         ids=["numpy", "jax", "torch", "strict", "strict-device1"])
def test_generator_of_same_backend_and_device_is_returned_as_is(xp, device):
    parent = array_random.default_rng(xp, 1, device=device)
    assert array_random.default_rng(xp, parent) is parent
    assert array_random.default_rng(xp, parent, device=parent.device) is parent


def test_generator_given_with_its_own_array_is_returned_as_is():
    parent = array_random.default_rng(xps, 1, device=DEVICE1)
    assert array_random.default_rng(xps.zeros(1, device=DEVICE1), parent) is parent
    numpy_parent = array_random.default_rng(None, 1)
    assert array_random.default_rng(None, numpy_parent) is numpy_parent


@pytest.mark.parametrize("parent_xp, child_xp, child_device", [
    (np, torch, None), (torch, jnp, None), (jnp, xps, None), (xps, np, None),
    (xps, xps, DEVICE1),
], ids=["numpy->torch", "torch->jax", "jax->strict", "strict->numpy", "strict-cpu->device1"])
def test_generator_of_other_backend_or_device_spawns_a_child(parent_xp, child_xp, child_device,
                                                              host):
    parent = array_random.default_rng(parent_xp, 21)
    child = array_random.default_rng(child_xp, parent, device=child_device)
    assert child is not parent
    if child_device is not None:
        assert child.device == child_device
    child_draws = _draws(child, host)
    twin = array_random.default_rng(child_xp, array_random.default_rng(parent_xp, 21),
                                    device=child_device)
    assert np.array_equal(child_draws, _draws(twin, host))  # deterministic
    # the parent's own stream is that of an untouched generator
    parent_draws = _draws(parent, host)
    assert np.array_equal(parent_draws, _draws(array_random.default_rng(parent_xp, 21), host))
    if child_xp is parent_xp:  # comparable streams: the child's is not the parent's
        assert not np.array_equal(child_draws, parent_draws)


def test_two_children_of_one_parent_differ(host):
    parent = array_random.default_rng(np, 4)
    a = array_random.default_rng(torch, parent)
    b = array_random.default_rng(torch, parent)
    assert not np.array_equal(_draws(a, host), _draws(b, host))


# --- JAX keys ----------------------------------------------------------------------
def _jax_expected_random(key, count, n):
    """Draw ``count`` of a generator keyed ``key``: its primitive call 0 is uniform."""
    sub = jax.random.fold_in(jax.random.fold_in(key, count), 0)
    return jax.random.uniform(sub, (n,), jnp.float32)


@pytest.mark.parametrize("raw", [False, True], ids=["typed", "raw-uint32[2]"])
def test_jax_key_seed_follows_fold_in_of_the_key(raw):
    key = jax.random.key(5)
    seed = jax.random.key_data(key) if raw else key
    if raw:
        assert seed.dtype == jnp.uint32 and seed.shape == (2,)
    rng = array_random.default_rng(jnp, seed)
    for count in range(3):
        assert jnp.array_equal(rng.random(6), _jax_expected_random(key, count, 6))


def test_jax_raw_and_typed_keys_agree():
    key = jax.random.key(17)
    a = array_random.default_rng(jnp, key).normal(size=4)
    b = array_random.default_rng(jnp, jax.random.key_data(key)).normal(size=4)
    assert jnp.array_equal(a, b)


def test_jax_key_is_not_consumed():
    # a key is an immutable value: seeding twice from it gives the same stream
    key = jax.random.key(8)
    assert jnp.array_equal(array_random.default_rng(jnp, key).random(3),
                           array_random.default_rng(jnp, key).random(3))


# --- torch.Generator ---------------------------------------------------------------
def test_torch_generator_is_the_one_used_for_its_device():
    gen = torch.Generator().manual_seed(7)
    rng = array_random.default_rng(torch, gen)
    assert rng.device == torch.device("cpu")
    first = rng.random(4, dtype=torch.float32)
    reference = torch.Generator().manual_seed(7)
    assert torch.equal(first, torch.rand(4, generator=reference, dtype=torch.float32))
    # the caller's generator advanced by exactly that draw: it continues where rng stopped
    assert torch.equal(gen.get_state(), reference.get_state())
    assert torch.equal(torch.rand(3, generator=gen), torch.rand(3, generator=reference))
    # and rng keeps drawing from it
    assert torch.equal(rng.random(2, dtype=torch.float32),
                       torch.rand(2, generator=reference, dtype=torch.float32))


# --- refused seeds ----------------------------------------------------------------
@pytest.mark.parametrize("seed, exc, fragment", [
    (-1, ValueError, "non-negative"),
    (-(2**70), ValueError, "non-negative"),
    (1.5, TypeError, "must be an int"),
    (2.0, TypeError, "must be an int"),
    (np.float64(3.0), TypeError, "must be an int"),
    ("abc", TypeError, "str"),
    (True, TypeError, "bool"),
    (False, TypeError, "bool"),
    ([1, -2], ValueError, "non-negative"),
    ([1, 2.0], TypeError, "ints only"),
    ([1, True], TypeError, "ints only"),
    (object(), TypeError, "cannot seed"),
], ids=["neg", "neg-huge", "float", "integral-float", "np-float", "str", "True", "False",
        "neg-in-seq", "float-in-seq", "bool-in-seq", "object"])
def test_bad_seed(xp, seed, exc, fragment):
    with pytest.raises(exc, match=fragment):
        array_random.default_rng(xp, seed)


def test_jax_key_for_another_backend_is_refused():
    with pytest.raises(TypeError, match="cannot seed"):
        array_random.default_rng(xps, jax.random.key(0))


@pytest.mark.parametrize("raw", [False, True], ids=["typed", "raw"])
def test_jax_key_seeds_the_portable_stream_as_its_key(backend, raw, host):
    """bit_generator="threefry": a JAX key is the generator's key on every backend.

    So draw 0's first primitive call uses fold_in(fold_in(key, 0), 0), as
    JAX code folding the same key would; the default device is the backend's.
    """
    name, xp = backend
    key = jax.random.key(11)
    seed = jax.random.key_data(key) if raw else key
    rng = array_random.default_rng(xp, seed, bit_generator="threefry")
    assert rng.backend == name and "threefry" in repr(rng)
    words = rng.integers(0, 2**32, size=64, dtype=getattr(rng.xp, "int64", None)) \
        if name != "jax" else None
    expect = np.asarray(jax.random.bits(
        jax.random.fold_in(jax.random.fold_in(key, 0), 0), (64,), jnp.uint32))
    if words is not None:  # a full-range 32-bit span: every word is a value
        np.testing.assert_array_equal(host(words), expect.astype(np.int64))
    else:
        np.testing.assert_array_equal(host(rng.random(64, dtype=jnp.float32)),
                                      np.asarray(jax.random.uniform(jax.random.fold_in(
                                          jax.random.fold_in(key, 0), 0), (64,))))


def test_torch_generator_seeds_the_portable_stream_with_drawn_entropy():
    gen = torch.Generator().manual_seed(5)
    a = array_random.default_rng(torch, gen, bit_generator="threefry")
    b = array_random.default_rng(torch, gen, bit_generator="threefry")  # gen has advanced
    again = array_random.default_rng(torch, torch.Generator().manual_seed(5),
                                     bit_generator="threefry")
    assert a.state["key"] != b.state["key"] and a.state["key"] == again.state["key"]
    with pytest.raises(TypeError, match="cannot seed"):  # torch's state, not NumPy's
        array_random.default_rng(np, gen, bit_generator="threefry")


def test_unknown_bit_generator_lists_the_choices():
    with pytest.raises(ValueError, match="'native', 'threefry'"):
        array_random.default_rng(np, 0, bit_generator="pcg64")


def test_generator_seed_of_another_bit_generator_spawns():
    native = array_random.default_rng(np, 3)
    portable = array_random.default_rng(np, native, bit_generator="threefry")
    assert portable is not native and portable.state["bit_generator"] == "threefry"
    assert array_random.default_rng(np, portable, bit_generator="threefry") is portable
