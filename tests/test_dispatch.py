"""default_rng's first argument: namespaces, arrays, devices, and what is refused."""
from __future__ import annotations

import math

import array_api_compat
import array_api_compat.numpy as compat_numpy
import array_api_compat.torch as compat_torch
import array_api_strict as xps
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch

import array_random

CPU = xps.Device("CPU_DEVICE")
DEVICE1 = xps.Device("device1")
DEVICE2 = xps.Device("device2")


def _result_type(name):
    return {"numpy": np.ndarray, "jax": jax.Array, "torch": torch.Tensor,
            "array_api_strict": type(xps.asarray(0))}[name]


def test_none_is_numpy():
    rng = array_random.default_rng(None, 0)
    assert rng.backend == "numpy"
    assert rng.xp is compat_numpy
    assert rng.device == "cpu"
    assert type(rng.random(3)) is np.ndarray


@pytest.mark.parametrize("xp, name, namespace, device", [
    (np, "numpy", compat_numpy, "cpu"),
    (compat_numpy, "numpy", compat_numpy, "cpu"),
    (torch, "torch", compat_torch, torch.device("cpu")),
    (compat_torch, "torch", compat_torch, torch.device("cpu")),
    (jnp, "jax", jnp, jax.devices()[0]),
    (xps, "array_api_strict", xps, CPU),
], ids=["numpy", "compat.numpy", "torch", "compat.torch", "jax", "array_api_strict"])
def test_namespace(xp, name, namespace, device):
    rng = array_random.default_rng(xp, 0)
    assert rng.backend == name
    assert rng.xp is namespace
    assert rng.device == device
    out = rng.random(4)
    assert isinstance(out, _result_type(name))
    assert array_api_compat.array_namespace(out) is namespace
    assert array_api_compat.device(out) == device


def test_wrapped_and_plain_namespace_give_the_same_stream():
    a = array_random.default_rng(torch, 3).normal(size=5)
    b = array_random.default_rng(compat_torch, 3).normal(size=5)
    assert torch.equal(a, b)
    assert np.array_equal(array_random.default_rng(np, 3).random(5),
                          array_random.default_rng(compat_numpy, 3).random(5))


@pytest.mark.parametrize("make, name, device", [
    (lambda: np.zeros(2), "numpy", "cpu"),
    (lambda: torch.zeros(2), "torch", torch.device("cpu")),
    (lambda: jax.device_put(jnp.zeros(2), jax.devices()[0]), "jax", jax.devices()[0]),
    (lambda: xps.zeros(2, device=DEVICE1), "array_api_strict", DEVICE1),
    (lambda: xps.zeros(2, device=DEVICE2), "array_api_strict", DEVICE2),
], ids=["numpy", "torch", "jax", "strict-device1", "strict-device2"])
def test_array_gives_namespace_and_device(make, name, device):
    x = make()
    rng = array_random.default_rng(x, 0)
    assert rng.backend == name
    assert rng.xp is array_api_compat.array_namespace(x)
    assert rng.device == device
    for out in (rng.random(3), rng.normal(size=3), rng.integers(0, 5, size=3)):
        assert array_api_compat.device(out) == device


def test_array_on_device1_draws_there():
    rng = array_random.default_rng(xps.ones((2, 2), device=DEVICE1), 5)
    out = rng.standard_normal((4, 3))
    assert out.device == DEVICE1
    # the same seed on another device gives the same generic numbers there
    again = array_random.default_rng(xps, 5, device=DEVICE1).standard_normal((4, 3))
    assert xps.all(out == again)


def test_device_keyword_overrides_the_array_device():
    rng = array_random.default_rng(xps.zeros(2, device=DEVICE1), 0, device=CPU)
    assert rng.device == CPU
    assert rng.random(2).device == CPU


def test_device_keyword_with_namespace():
    rng = array_random.default_rng(xps, 0, device=DEVICE2)
    assert rng.device == DEVICE2
    assert rng.random(2).device == DEVICE2
    # device2's default float is float32 (D3)
    assert rng.random(2).dtype == xps.float32


def test_per_call_device_overrides_the_generator_device():
    rng = array_random.default_rng(xps, 0)
    assert rng.random(2, device=DEVICE1).device == DEVICE1
    assert rng.integers(0, 3, size=2, device=DEVICE2).device == DEVICE2
    assert rng.random(2).device == CPU


def test_torch_device_keyword_accepts_strings():
    rng = array_random.default_rng(torch, 0, device="cpu")
    assert rng.device == torch.device("cpu")


def test_unknown_device_is_refused():
    with pytest.raises(ValueError, match="cuda:7"):
        array_random.default_rng(np, 0, device="cuda:7")
    with pytest.raises(ValueError, match="not a device of"):
        array_random.default_rng(xps, 0, device="device9")


@pytest.mark.parametrize("bad", [math, object(), "numpy", [1, 2]],
                         ids=["math-module", "object", "str", "list"])
def test_unknown_namespace_names_the_supported_backends(bad):
    with pytest.raises(TypeError) as info:
        array_random.default_rng(bad)
    message = str(info.value)
    for supported in ("numpy", "jax.numpy", "torch", "array_api_strict"):
        assert supported in message


@pytest.mark.parametrize("seed", [42, 0, 4.5, True])
def test_seed_in_first_place_gets_a_hint(seed):
    with pytest.raises(TypeError, match=rf"did you mean default_rng\(numpy, {seed!r}\)\?"):
        array_random.default_rng(seed)


def test_repr_names_backend_and_device():
    text = repr(array_random.default_rng(xps, 0, device=DEVICE1))
    assert "array_api_strict" in text and "device1" in text
