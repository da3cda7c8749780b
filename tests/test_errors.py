"""Bad input: NumPy's exception class, a message that says what is wrong, nothing drawn.

Every case runs on every built-in backend. After the failed call the generator
must give exactly what a fresh generator of the same seed gives: the check came
before any draw. Where NumPy's own Generator accepts the call's spelling, the
exception class is checked against NumPy's too.
"""
from __future__ import annotations

import math

import array_api_strict as xps
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch

import array_random

NAN = math.nan
SEED = 123


def _array(rng):
    """Arrays of ``rng``'s namespace, on its device."""
    return lambda values, dtype=None: rng.xp.asarray(values, dtype=dtype, device=rng.device)


def _numpy_array(values, dtype=None):
    return np.asarray(values, dtype=dtype)


# (id, call(rng, xp, array), exception class, message fragment, NumPy raises it too).
# NumPy returns NaN for NaN loc/scale; SPEC 3 makes them a ValueError.
CASES = [
    ("size-negative", lambda g, xp, a: g.random(-1), ValueError, "negative dimensions", True),
    ("size-negative-tuple", lambda g, xp, a: g.normal(size=(2, -1)), ValueError,
     "negative dimensions", True),
    ("size-negative-integers", lambda g, xp, a: g.integers(0, 5, size=-3), ValueError,
     "negative dimensions", True),
    ("size-float", lambda g, xp, a: g.random(2.5), TypeError, "size must be", True),
    ("size-str", lambda g, xp, a: g.standard_normal("3"), TypeError, "size must be", True),
    ("size-float-in-tuple", lambda g, xp, a: g.uniform(size=(2, 1.0)), TypeError,
     "size must be", True),
    ("integers-low-eq-high", lambda g, xp, a: g.integers(5, 5), ValueError, "low >= high", True),
    ("integers-low-gt-high", lambda g, xp, a: g.integers(7, 2, size=3), ValueError,
     "low >= high", True),
    ("integers-one-arg-zero", lambda g, xp, a: g.integers(0), ValueError, "low >= high", True),
    ("integers-array-low-ge-high", lambda g, xp, a: g.integers(a([1, 5]), 5), ValueError,
     "low >= high", True),
    ("integers-endpoint-low-gt-high", lambda g, xp, a: g.integers(5, 4, endpoint=True),
     ValueError, "low > high", True),
    ("integers-high-out-of-int8", lambda g, xp, a: g.integers(0, 300, dtype=xp.int8),
     ValueError, "high is out of bounds", True),
    ("integers-low-out-of-uint8", lambda g, xp, a: g.integers(-1, 3, dtype=xp.uint8),
     ValueError, "low is out of bounds", True),
    ("integers-high-out-of-default", lambda g, xp, a: g.integers(0, 2**65), ValueError,
     "out of bounds", True),
    ("integers-array-out-of-int8", lambda g, xp, a: g.integers(a([0, 0]), a([5, 200]),
                                                              dtype=xp.int8),
     ValueError, "high is out of bounds", True),
    ("normal-scale-negative", lambda g, xp, a: g.normal(0.0, -1.0), ValueError, "scale < 0",
     True),
    ("normal-scale-array-negative", lambda g, xp, a: g.normal(0.0, a([1.0, -1.0])), ValueError,
     "scale < 0", True),
    ("exponential-scale-negative", lambda g, xp, a: g.exponential(-2.0, size=3), ValueError,
     "scale < 0", True),
    ("normal-loc-nan", lambda g, xp, a: g.normal(NAN, 1.0), ValueError, "NaN", False),
    ("normal-scale-nan", lambda g, xp, a: g.normal(0.0, NAN), ValueError, "NaN", False),
    ("normal-loc-array-nan", lambda g, xp, a: g.normal(a([0.0, NAN]), 1.0), ValueError, "NaN",
     False),
    ("exponential-scale-nan", lambda g, xp, a: g.exponential(NAN), ValueError, "NaN", False),
    # NumPy 2.4: a NaN end makes high - low NaN, its OverflowError
    ("uniform-low-nan", lambda g, xp, a: g.uniform(NAN, 1.0), OverflowError, "range exceeds",
     True),
    ("choice-p-sum", lambda g, xp, a: g.choice(3, p=[0.5, 0.2, 0.2]), ValueError,
     "do not sum to 1", True),
    ("choice-p-negative", lambda g, xp, a: g.choice(3, p=[1.2, -0.2, 0.0]), ValueError,
     "non-negative", True),
    ("choice-p-nan", lambda g, xp, a: g.choice(2, p=[NAN, 1.0]), ValueError, "NaN", True),
    ("choice-p-length", lambda g, xp, a: g.choice(3, p=[0.5, 0.5]), ValueError, "same size",
     True),
    ("choice-p-2d", lambda g, xp, a: g.choice(2, p=[[0.5, 0.5]]), ValueError, "1-dimensional",
     True),
    ("choice-no-replace-too-large", lambda g, xp, a: g.choice(3, 5, replace=False), ValueError,
     "larger sample than population", True),
    ("choice-array-no-replace-too-large", lambda g, xp, a: g.choice(a([1.0, 2.0]), 3,
                                                                    replace=False),
     ValueError, "larger sample than population", True),
    ("choice-fewer-nonzero-p", lambda g, xp, a: g.choice(3, 3, replace=False,
                                                         p=[0.5, 0.5, 0.0]),
     ValueError, "Fewer non-zero entries in p than size", True),
    ("choice-negative-population", lambda g, xp, a: g.choice(-2), ValueError,
     "a must be a positive integer", True),
    ("choice-empty-population", lambda g, xp, a: g.choice(0, 2), ValueError,
     "cannot be empty", True),
    ("random-integer-dtype", lambda g, xp, a: g.random(3, dtype=xp.int32), TypeError,
     "is not a real floating dtype", True),
    ("normal-integer-dtype", lambda g, xp, a: g.standard_normal(3, dtype="int64"), TypeError,
     "is not a real floating dtype", True),
    ("integers-float-dtype", lambda g, xp, a: g.integers(0, 3, size=3, dtype=xp.float32),
     TypeError, "is not an integer dtype", True),
    ("integers-float-dtype-str", lambda g, xp, a: g.integers(0, 3, dtype="float64"), TypeError,
     "is not an integer dtype", True),
    # NumPy 2.4 truncates a float bound; a NaN one cannot be truncated
    ("integers-nan-bound", lambda g, xp, a: g.integers(0, NAN), ValueError, "NaN", True),
    ("normal-str-param", lambda g, xp, a: g.normal("0", 1.0), TypeError,
     "must be a real number", True),
]


def _ids(cases):
    return [c[0] for c in cases]


def _next_draws(rng):
    return rng.random(5), rng.integers(0, 1000, size=5)


def _assert_nothing_drawn(rng, xp, host):
    fresh = array_random.default_rng(xp, SEED, device=rng.device)
    for got, want in zip(_next_draws(rng), _next_draws(fresh)):
        assert np.array_equal(host(got), host(want))


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_bad_input(xp, case, host):
    _, call, exc, fragment, _ = case
    rng = array_random.default_rng(xp, SEED)
    with pytest.raises(exc, match=fragment):
        call(rng, rng.xp, _array(rng))
    _assert_nothing_drawn(rng, xp, host)


@pytest.mark.parametrize("case", [c for c in CASES if c[4]], ids=_ids(c for c in CASES if c[4]))
def test_numpy_raises_the_same_class(case):
    _, call, exc, _, _ = case
    with pytest.raises(exc):
        call(np.random.default_rng(0), np, _numpy_array)


# --- cases tied to one backend or device ------------------------------------------
def test_shuffle_jax_array_points_to_permutation(host):
    rng = array_random.default_rng(jnp, SEED)
    with pytest.raises(TypeError) as info:
        rng.shuffle(jnp.arange(5))
    assert "permutation" in str(info.value) and "permuted" in str(info.value)
    assert "immutable" in str(info.value)
    _assert_nothing_drawn(rng, jnp, host)


@pytest.mark.parametrize("call", [
    lambda g, p: g.normal(p, 1.0),
    lambda g, p: g.uniform(0.0, p),
    lambda g, p: g.exponential(p),
    lambda g, p: g.integers(xps.astype(p, xps.int64), 10),
    lambda g, p: g.choice(2, p=p[:2] / 2.0),
], ids=["normal-loc", "uniform-high", "exponential-scale", "integers-low", "choice-p"])
def test_parameter_on_another_device(call, host):
    rng = array_random.default_rng(xps, SEED, device=xps.Device("CPU_DEVICE"))
    param = xps.asarray([1.0, 1.0, 1.0], device=xps.Device("device1"))
    with pytest.raises(ValueError, match=r"device1.*move it there first"):
        call(rng, param)
    _assert_nothing_drawn(rng, xps, host)


def test_parameter_on_another_device_than_the_draw(host):
    # the generator's device matches the parameter, the call's device= does not
    rng = array_random.default_rng(xps, SEED, device=xps.Device("device1"))
    param = xps.asarray([0.0, 1.0], device=xps.Device("device1"))
    with pytest.raises(ValueError, match="device1"):
        rng.normal(param, 1.0, device=xps.Device("device2"))
    _assert_nothing_drawn(rng, xps, host)


@pytest.mark.parametrize("xp, make, foreign", [
    (torch, np.zeros, "numpy"),
    (jnp, np.zeros, "numpy"),
    (xps, np.zeros, "numpy"),
    (np, torch.zeros, "torch"),
    (np, jnp.zeros, "jax"),
], ids=["numpy-to-torch", "numpy-to-jax", "numpy-to-strict", "torch-to-numpy", "jax-to-numpy"])
@pytest.mark.parametrize("method", ["normal", "integers", "choice"])
def test_parameter_of_another_namespace(xp, make, foreign, method, host):
    rng = array_random.default_rng(xp, SEED)
    floats = make(3)
    ints = make(3, dtype={np.zeros: np.int64, torch.zeros: torch.int64,
                          jnp.zeros: jnp.int32}[make])
    call = {"normal": lambda: rng.normal(floats, 1.0),
            "integers": lambda: rng.integers(ints, 10),
            "choice": lambda: rng.choice(3, p=floats + 1 / 3)}[method]
    with pytest.raises(TypeError, match=foreign):
        call()
    _assert_nothing_drawn(rng, xp, host)


@pytest.mark.parametrize("method", ["random", "standard_normal", "normal", "exponential",
                                    "uniform"])
@pytest.mark.parametrize("dtype", ["float64", "object"])
def test_float64_on_no_float64_device(method, dtype, host):
    device = xps.Device("no_float64")
    rng = array_random.default_rng(xps, SEED, device=device)
    spelling = xps.float64 if dtype == "object" else "float64"
    with pytest.raises(TypeError) as info:
        getattr(rng, method)(size=3, dtype=spelling)
    assert "float64" in str(info.value) and "no_float64" in str(info.value)
    _assert_nothing_drawn(rng, xps, host)


def test_float64_per_call_device_without_float64(host):
    rng = array_random.default_rng(xps, SEED)  # CPU_DEVICE has float64
    with pytest.raises(TypeError, match="float64.*no_float64"):
        rng.random(3, dtype=xps.float64, device=xps.Device("no_float64"))
    _assert_nothing_drawn(rng, xps, host)


def test_int64_on_no_x64_device(host):
    device = xps.Device("no_x64")
    rng = array_random.default_rng(xps, SEED, device=device)
    with pytest.raises(TypeError, match="int64.*no_x64"):
        rng.integers(0, 10, size=3, dtype=xps.int64)
    _assert_nothing_drawn(rng, xps, host)


@pytest.mark.parametrize("spelling", [jnp.float64, "float64", np.float64],
                         ids=["jnp.float64", "str", "np.float64"])
def test_float64_on_jax_without_x64(spelling, host):
    assert not jax.config.jax_enable_x64
    rng = array_random.default_rng(jnp, SEED)
    with pytest.raises(TypeError) as info:
        rng.normal(0.0, 1.0, size=3, dtype=spelling)
    assert "float64" in str(info.value) and repr(rng.device) in str(info.value)
    _assert_nothing_drawn(rng, jnp, host)


def test_default_rng_int_first():
    with pytest.raises(TypeError, match=r"did you mean default_rng\(numpy, 42\)\?"):
        array_random.default_rng(42)


def test_unknown_namespace():
    with pytest.raises(TypeError, match="supported: numpy, jax.numpy, torch, array_api_strict"):
        array_random.default_rng(math)


@pytest.mark.parametrize("seed, exc", [(-3, ValueError), (3.0, TypeError)])
def test_negative_or_float_seed(seed, exc):
    with pytest.raises(exc, match="seed"):
        array_random.default_rng(np, seed)
