"""Generator.jax_key(): a fresh JAX key out of a generator, taken as one draw takes its key."""
from __future__ import annotations

import doctest

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch

import array_random


def _words(key):
    return np.asarray(jax.random.key_data(key)).tolist()


def _base_key(rng):
    return jax.random.wrap_key_data(jnp.asarray(rng.state["key"], dtype=jnp.uint32))


@pytest.mark.parametrize("xp, bit_generator", [(jnp, "native"), (jnp, "threefry"),
                                               (np, "threefry"), (torch, "threefry")],
                         ids=["jax", "jax-threefry", "numpy-threefry", "torch-threefry"])
def test_the_key_is_the_next_draws_key_and_the_draw_after_it_moves_on(xp, bit_generator):
    rng = array_random.default_rng(xp, 7, bit_generator=bit_generator)
    base = _base_key(rng)
    first, second = rng.jax_key(), rng.jax_key()
    assert _words(first) == _words(jax.random.fold_in(base, 0))
    assert _words(second) == _words(jax.random.fold_in(base, 1))
    assert rng.state["counter"] == 2
    # the next draw is draw 2, exactly as after two draws
    twice = array_random.default_rng(xp, 7, bit_generator=bit_generator)
    twice.random(4), twice.random(4)
    np.testing.assert_array_equal(np.asarray(rng.random(8)), np.asarray(twice.random(8)))


def test_every_backend_hands_out_the_same_keys_for_one_seed():
    keys = {name: _words(array_random.default_rng(xp, 11, bit_generator="threefry").jax_key())
            for name, xp in (("numpy", np), ("torch", torch), ("jax", jnp))}
    keys["jax-native"] = _words(array_random.default_rng(jnp, 11).jax_key())
    assert len({tuple(k) for k in keys.values()}) == 1, keys


def test_under_jit_the_key_and_the_advance_are_those_of_eager_code():
    def f(rng):
        return jax.random.normal(rng.jax_key(), (3,)), rng.random(2)

    jitted, eager = array_random.default_rng(jnp, 3), array_random.default_rng(jnp, 3)
    step = jax.jit(f)
    runs = [step(jitted) for _ in range(2)]
    for got, want in zip(runs, [f(eager) for _ in range(2)]):
        for a, b in zip(got, want):
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    assert not np.array_equal(np.asarray(runs[0][0]), np.asarray(runs[1][0]))  # fresh keys
    assert jitted.state["counter"] == eager.state["counter"] == 4


def test_no_key_is_used_twice_under_jaxs_key_reuse_checker():
    rng = array_random.default_rng(jnp, 5)
    with jax.debug_key_reuse(True):
        for _ in range(3):
            key = rng.jax_key()
            a, b = jax.random.split(key)
            jax.random.normal(a, (2,)), jax.random.uniform(b, (2,))
            rng.normal(size=2)
        # the checker is on: reusing a key handed out raises
        key = rng.jax_key()
        jax.random.normal(key, (2,))
        with pytest.raises(Exception, match="consumed"):
            jax.random.normal(key, (2,))


def test_a_key_goes_back_in_as_a_seed():
    rng = array_random.default_rng(np, 2, bit_generator="threefry")
    key = rng.jax_key()
    again = array_random.default_rng(torch, key, bit_generator="threefry")
    assert again.state["key"] == tuple(_words(key))


def test_native_numpy_and_torch_have_no_keys():
    for xp in (np, torch):
        with pytest.raises(TypeError, match="bit_generator='threefry'"):
            array_random.default_rng(xp, 0).jax_key()


def test_the_docstring_example_runs():
    finder = doctest.DocTestFinder()
    (test,) = finder.find(array_random.Generator.jax_key, "jax_key",
                          globs={"array_random": array_random, "numpy": np})
    result = doctest.DocTestRunner().run(test)
    assert result.failed == 0 and result.attempted >= 4
