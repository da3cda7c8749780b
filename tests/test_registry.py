"""A third-party backend joins through array_random.register_backend alone."""
from __future__ import annotations

import sys
import types

import array_api_strict as xps
import numpy as np
import pytest

import array_random
from array_random import backends
from array_random.backends.generic import GenericBackend


def _toy_namespace(name="toy_xp"):
    """A module serving array_api_strict under another name: a "new library"."""
    module = types.ModuleType(name)
    for attr in dir(xps):
        if not attr.startswith("__") or attr == "__array_namespace_info__":
            setattr(module, attr, getattr(xps, attr))
    return module


class ToyBackend(GenericBackend):
    """The generic Threefry backend, counting the draws it serves."""

    name = "toy"

    def __init__(self, xp, device, seed):
        super().__init__(xp, device, seed)
        self.served = []

    def draw(self, name, shape, dtype, device, *params, **static):
        self.served.append(name)
        return super().draw(name, shape, dtype, device, *params, **static)


@pytest.fixture
def registry():
    """Restore the registry after the test: registrations are process-wide."""
    saved = list(backends._REGISTRY)
    yield
    backends._REGISTRY[:] = saved


def test_a_new_namespace_gets_the_registered_backend(registry):
    toy = _toy_namespace()
    array_random.register_backend("toy", lambda xp: xp is toy, ToyBackend)
    assert backends.registered_backends()[0] == "toy"
    rng = array_random.default_rng(toy, 4)
    assert isinstance(rng._backend, ToyBackend)
    assert rng.backend == "toy"
    assert rng.xp is toy
    assert rng.device == xps.Device("CPU_DEVICE")
    x = rng.random(6)
    n = rng.normal(1.0, 2.0, size=3)
    assert x.shape == (6,) and n.shape == (3,)
    assert rng._backend.served == ["random", "normal"]
    # it is the generic Threefry underneath: the stream of array_api_strict's generator
    assert np.array_equal(np.asarray(x), np.asarray(array_random.default_rng(xps, 4).random(6)))
    # spawned children stay with the registered backend
    child = rng.spawn(1)[0]
    assert child.backend == "toy" and isinstance(child._backend, ToyBackend)


def test_registered_backend_is_consulted_before_the_builtins(registry):
    array_random.register_backend("toy-strict", lambda xp: xp is xps, ToyBackend)
    rng = array_random.default_rng(xps, 0)
    assert isinstance(rng._backend, ToyBackend) and rng.backend == "toy"
    rng.integers(0, 3, size=2)
    assert rng._backend.served == ["integers"]


def test_builtins_are_back_after_the_registry_is_restored():
    # runs after the tests above: the fixture undid their registrations
    assert "toy" not in backends.registered_backends()
    assert array_random.default_rng(xps, 0).backend == "array_api_strict"


def test_first_false_lets_the_builtins_win(registry):
    array_random.register_backend("toy-last", lambda xp: xp is xps, ToyBackend, first=False)
    assert backends.registered_backends()[-1] == "toy-last"
    assert array_random.default_rng(xps, 0).backend == "array_api_strict"


def test_registering_a_name_again_replaces_it(registry):
    toy = _toy_namespace()
    array_random.register_backend("toy", lambda xp: False, ToyBackend)
    array_random.register_backend("toy", lambda xp: xp is toy, ToyBackend)
    assert backends.registered_backends().count("toy") == 1
    assert array_random.default_rng(toy, 0).backend == "toy"


def test_backend_given_as_an_import_path_is_imported_on_first_use(registry, monkeypatch):
    plugin = types.ModuleType("toy_plugin")
    plugin.ToyBackend = ToyBackend
    monkeypatch.setitem(sys.modules, "toy_plugin", plugin)
    toy = _toy_namespace("toy_xp_lazy")
    array_random.register_backend("toy-lazy", lambda xp: xp is toy, "toy_plugin:ToyBackend")
    assert isinstance(array_random.default_rng(toy, 1)._backend, ToyBackend)


def test_an_unregistered_namespace_falls_to_the_generic_backend():
    toy = _toy_namespace("my_array_lib")
    rng = array_random.default_rng(toy, 0)
    assert type(rng._backend) is GenericBackend
    assert rng.backend == "my_array_lib"


def test_matches_must_be_callable(registry):
    with pytest.raises(TypeError, match="callable"):
        array_random.register_backend("bad", "not callable", ToyBackend)
