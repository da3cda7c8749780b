"""Shared fixtures of the unit tests: the built-in backends and a host copy helper."""
from __future__ import annotations

import array_api_strict as xps
import jax.numpy as jnp
import numpy as np
import pytest
import torch

#: (Generator.backend, namespace as a user passes it) for every built-in backend
BACKENDS = [("numpy", np), ("jax", jnp), ("torch", torch), ("array_api_strict", xps)]


@pytest.fixture(params=BACKENDS, ids=[name for name, _ in BACKENDS])
def backend(request):
    """``(name, xp)`` of one built-in backend."""
    return request.param


def _host(x) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    if type(x).__module__.startswith("array_api_strict"):
        # array_api_strict's other devices refuse the NumPy conversion by design
        x = x.to_device(xps.Device("CPU_DEVICE"))
    return np.asarray(x)


@pytest.fixture
def host():
    """A host (NumPy) copy of any backend's array, for comparisons only."""
    return _host
