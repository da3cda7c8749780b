"""The generic backend's Threefry-2x32 against JAX's, bit for bit."""
from __future__ import annotations

import textwrap

import array_api_compat.numpy as compat_numpy
import array_api_strict as xps
import jax
import jax.extend.random as jex_random
import jax.numpy as jnp
import numpy as np
import pytest

import array_random
from array_random.backends import numpy_threefry, threefry

KEYS = [(0, 0), (0x12345678, 0x9ABCDEF0), (0xFFFFFFFF, 0xFFFFFFFF), (0, 42)]


def _jax_block(key, x0, x1):
    """JAX's threefry2x32 hash of the counter pairs ``(x0[i], x1[i])``."""
    # JAX hashes the halves of one flat count array as the pair's two words
    out = jex_random.threefry_2x32(jnp.asarray(key, dtype=jnp.uint32),
                                   jnp.concatenate([jnp.asarray(x0), jnp.asarray(x1)]))
    out = np.asarray(out)
    return out[:len(x0)], out[len(x0):]


def _counters(n, seed):
    words = np.random.default_rng(seed).integers(0, 2**32, size=(2, n), dtype=np.uint32)
    words[:, 0] = (0, 0)
    words[:, 1] = (0xFFFFFFFF, 0xFFFFFFFF)
    return words[0], words[1]


@pytest.mark.parametrize("key", KEYS)
def test_threefry2x32_int_matches_jax(key):
    x0, x1 = _counters(40, 1)
    want0, want1 = _jax_block(key, x0, x1)
    for i in range(len(x0)):
        assert threefry.threefry2x32_int(key, int(x0[i]), int(x1[i])) == (want0[i], want1[i])


def _numpy_override(key, n, width):
    return numpy_threefry.counter_bits(key, n, width)


def _generic(namespace):
    return lambda key, n, width: threefry.counter_bits(namespace, key, n, width=width)


IMPLS = {"numpy": _generic(compat_numpy), "array_api_strict": _generic(xps),
         "numpy override": _numpy_override}


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("n", [1, 7, 1000, 100003])
def test_counter_bits_32_match_jax_bits(impl, n):
    got = IMPLS[impl](threefry.seed_key(9), n, 32)
    want = np.asarray(jax.random.bits(jax.random.key(9), (n,), jnp.uint32))
    assert np.asarray(got).dtype == np.uint32
    assert np.array_equal(np.asarray(got), want)


@pytest.mark.parametrize("width", [32, 64])
def test_threaded_numpy_override_gives_the_generic_words(monkeypatch, width):
    # from THREADED_FROM words the chunks run on the pool: the same words, in
    # order, whatever thread computed them (two workers forced, so a one-core
    # machine takes the threaded path too; the generic words are JAX's, above)
    monkeypatch.setattr(numpy_threefry, "workers", lambda: 2)
    n = numpy_threefry.THREADED_FROM + 3 * numpy_threefry.CHUNK + 17
    key = (0x9ABCDEF0, 0xFFFFFFFF)  # counter + key wraps past 2**32
    got = numpy_threefry.counter_bits(key, n, width)
    want = threefry.counter_bits(compat_numpy, key, n, width=width)
    assert got.dtype == want.dtype and np.array_equal(got, want)


def test_threaded_words_in_a_forked_child():
    # the pool is made once per process; a child forked after the parent used it has none
    # of its threads, and must make its own instead of queueing work that never runs
    script = textwrap.dedent("""
        import os, sys
        import numpy as np
        from array_random.backends import _threads, numpy_threefry
        _threads.workers = numpy_threefry.workers = lambda: 2
        n = numpy_threefry.THREADED_FROM + 5
        parent = numpy_threefry.counter_bits((1, 2), n, 32)
        pid = os.fork()
        if pid == 0:
            child = numpy_threefry.counter_bits((1, 2), n, 32)
            os._exit(0 if np.array_equal(child, parent) else 3)
        _, status = os.waitpid(pid, 0)
        sys.exit(os.waitstatus_to_exitcode(status))
    """)
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", script], timeout=60)
    assert done.returncode == 0


def test_numpy_portable_generator_takes_the_override():
    gen = array_random.default_rng(np, 5, bit_generator="threefry")
    assert gen._backend.source_class is numpy_threefry.NumpyThreefrySource
    strict = array_random.default_rng(xps, 5, bit_generator="threefry")
    assert np.array_equal(gen.random(10**5), np.asarray(strict.random(10**5, dtype=xps.float64)))


def test_counter_bits_on_a_device():
    device = xps.Device("device1")
    got = threefry.counter_bits(xps, (1, 2), 10, width=32, device=device)
    assert got.device == device


# Everything that needs 64-bit JAX, in one fresh process.
_X64_SCRIPT = textwrap.dedent("""
    import json, os
    assert os.environ["JAX_ENABLE_X64"] == "1"
    import jax, jax.numpy as jnp, numpy as np
    import array_api_compat.numpy as cnp, array_api_strict as xps
    import array_random
    from array_random.backends import numpy_threefry, threefry
    out = {"x64": bool(jax.config.jax_enable_x64), "bits64": {}, "seed_key": {}}
    for n in (1, 7, 1000, 100003):
        want = np.asarray(jax.random.bits(jax.random.key(9), (n,), jnp.uint64))
        for name, ns in (("numpy", cnp), ("strict", xps)):
            got = np.asarray(threefry.counter_bits(ns, threefry.seed_key(9), n, width=64))
            out["bits64"][f"{name}-{n}"] = [str(got.dtype), bool(np.array_equal(got, want))]
        got = numpy_threefry.counter_bits(threefry.seed_key(9), n, 64)
        out["bits64"][f"numpy override-{n}"] = [str(got.dtype), bool(np.array_equal(got, want))]
    for seed in (2**32, 2**40 + 5, 2**63 - 1):
        want = [int(w) for w in jax.random.key_data(jax.random.key(seed))]
        out["seed_key"][str(seed)] = list(threefry.seed_key(seed)) == want
    gen, jx = array_random.default_rng(xps, 3), array_random.default_rng(jnp, 3)
    out["random64"] = bool(np.array_equal(np.asarray(gen.random(1000)),
                                          np.asarray(jx.random(1000))))
    out["integers64"] = bool(np.array_equal(
        np.asarray(gen.integers(-2**40, 2**40, size=1000)),
        np.asarray(jx.integers(-2**40, 2**40, size=1000))))
    print(json.dumps(out))
""")


def test_x64_against_jax_in_a_subprocess(run_jax_script):
    out = run_jax_script(_X64_SCRIPT, x64=True)
    assert out["x64"]
    assert out["bits64"] == {k: ["uint64", True] for k in out["bits64"]}
    assert len(out["bits64"]) == 12  # numpy, strict, the numpy override; 4 sizes
    # seeds past 32 bits agree with JAX only when JAX keeps 64-bit seeds (x64)
    assert out["seed_key"] == {str(s): True for s in (2**32, 2**40 + 5, 2**63 - 1)}
    assert out["random64"], "generic float64 random differs from JAX's"
    assert out["integers64"], "generic 64-bit integers differ from JAX's"


# --- whole draws: the generic backend against the JAX backend ------------------------
@pytest.mark.parametrize("seed", [0, 1, 12345, 2**32 + 7])
def test_generic_random_float32_equals_jax(seed):
    generic = array_random.default_rng(xps, seed)
    native = array_random.default_rng(jnp, seed)
    for shape in [(5,), (3, 4), (), (1000,)]:
        a = np.asarray(generic.random(shape, dtype=xps.float32))
        b = np.asarray(native.random(shape))
        assert a.dtype == b.dtype == np.float32
        assert np.array_equal(a.view(np.uint32), b.view(np.uint32))


@pytest.mark.parametrize("low, high", [(0, 10), (-5, 2**31 - 1), (0, 2**31 - 1), (7, 8),
                                       (-(2**31), 2**31 - 1)])
def test_generic_integers_equal_jax(low, high):
    # a span that is not a power of two makes the sampler reject and redraw:
    # the redraws must be keyed as under JAX too
    generic = array_random.default_rng(xps, 5)
    native = array_random.default_rng(jnp, 5)
    for _ in range(2):
        a = np.asarray(generic.integers(low, high, size=3000, dtype=xps.int32))
        b = np.asarray(native.integers(low, high, size=3000))
        assert np.array_equal(a, b)


def test_generic_integers_with_array_bounds_equal_jax_on_a_32_bit_device():
    # with array bounds the word width follows the device: 32 on JAX without
    # x64 and on array_api_strict's no_x64 device
    device = xps.Device("no_x64")
    generic = array_random.default_rng(xps, 11, device=device)
    native = array_random.default_rng(jnp, 11)
    low, high = [0, 3, 100, -50], [7, 1000, 100000, 50]
    a = generic.integers(xps.asarray(low, device=device), xps.asarray(high, device=device),
                         size=(500, 4))
    b = native.integers(jnp.asarray(low), jnp.asarray(high), size=(500, 4))
    a = np.asarray(a.to_device(xps.Device("CPU_DEVICE")))
    assert np.array_equal(a, np.asarray(b))


def test_generic_and_jax_agree_after_spawn():
    generic = array_random.default_rng(xps, 3).spawn(2)[1]
    native = array_random.default_rng(jnp, 3).spawn(2)[1]
    assert np.array_equal(np.asarray(generic.random(50, dtype=xps.float32)),
                          np.asarray(native.random(50)))
