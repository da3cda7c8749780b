"""Shared fixtures of the unit tests: backend names, a host copy helper, a JAX subprocess.

``xp``, ``device``, ``dtype`` and ``rng`` come from array_random.testing (enabled in the
root conftest): a test taking ``xp`` runs on every installed backend.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import array_api_strict as xps
import jax.numpy as jnp
import numpy as np
import pytest
import torch

import array_random

@pytest.fixture
def backend(xp):
    """``(name, xp)``: array_random.testing's ``xp`` (every installed backend) and its name.

    The name is ``Generator.backend`` of the backend serving ``xp``.
    """
    return array_random.default_rng(xp, 0).backend, xp


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


def _run_jax_script(script: str, *, x64: bool) -> dict:
    """Run ``script`` in a fresh Python on JAX's CPU platform; its last stdout line as JSON.

    JAX reads JAX_ENABLE_X64 and XLA_FLAGS (the host device count) once, when
    it starts, so tests of those modes need a process of their own.
    """
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    if x64:
        env["JAX_ENABLE_X64"] = "1"
    else:
        env.pop("JAX_ENABLE_X64", None)
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture
def run_jax_script():
    """``run_jax_script(script, x64=...)``: see :func:`_run_jax_script`."""
    return _run_jax_script
