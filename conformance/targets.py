"""The (namespace, device) pairs the suite runs on, from the public API only.

Every installed built-in backend is a target on each of its devices:
numpy (cpu), jax (its first device), torch (cpu, and cuda when present) and
array_api_strict on all five of its devices. The backends, their namespaces
(as array_api_compat presents them) and devices come from
``array_random.testing.installed_backends``, the enumeration behind the
plugin's ``xp``/``device`` fixtures. ``pytest --backend NAME`` picks
one; NAME may also be any importable module that is an Array API namespace
(a third-party backend registered with ``array_random.register_backend``).

``ARRAY_RANDOM_SEED_OFFSET=k`` (default 0: the suite's own seeds) moves every
``Target.rng(seed)`` to ``SeedSequence([seed, k])``, another fixed seed per
(seed, k). ``conformance/false_alarm.py`` runs the statistical tests over many
offsets to measure the suite's false-alarm rate; a test that draws twice from
one seed still gets equal streams, and distinct seeds stay distinct.
"""
from __future__ import annotations

import dataclasses
import importlib
import os

import numpy as np

import array_random
from array_random.testing import installed_backends

BUILTIN = ("numpy", "jax", "torch", "array_api_strict", "dask")


@dataclasses.dataclass(frozen=True)
class Target:
    name: str            # "numpy", "jax", "torch", "array_api_strict", ...
    xp: object           # the namespace as passed to default_rng
    device: object
    label: str           # pytest id, e.g. "array_api_strict-device2"
    bit_generator: str = "native"  # "native" or "threefry" (the portable stream)

    def rng(self, seed=0):
        if self.bit_generator == "native":
            return array_random.default_rng(self.xp, offset_seed(seed), device=self.device)
        return array_random.default_rng(self.xp, offset_seed(seed), device=self.device,
                                        bit_generator=self.bit_generator)

    @property
    def info(self):
        return self.rng(0).xp.__array_namespace_info__()

    def supports(self, dtype_name: str) -> bool:
        rng = self.rng(0)
        if self.name == "jax":
            return dtype_name in rng.xp.__array_namespace_info__().dtypes()
        return dtype_name in rng.xp.__array_namespace_info__().dtypes(device=self.device)

    def __str__(self):
        return self.label


def offset_seed(seed):
    """``seed`` itself, or ``SeedSequence([seed, k])`` under ``ARRAY_RANDOM_SEED_OFFSET=k``."""
    # read per call, not at import: false_alarm.py sets it per subprocess, and
    # a test module importing this one early must still see it
    offset = int(os.environ.get("ARRAY_RANDOM_SEED_OFFSET") or 0)
    if offset == 0:
        return seed
    if offset < 0:
        raise ValueError(f"ARRAY_RANDOM_SEED_OFFSET must be non-negative, got {offset}")
    # a fresh object per call: two rng(seed) calls give equal, independent streams
    return np.random.SeedSequence([int(seed), offset])


def to_numpy(x) -> np.ndarray:
    """Copy a result to host memory, for the statistical checks only."""
    if hasattr(x, "detach"):
        return x.detach().cpu().numpy()
    if hasattr(x, "compute"):  # a lazy Dask array: compute it
        return np.asarray(x.compute())
    try:
        return np.from_dlpack(x)
    except Exception:
        import array_api_strict as xps  # array_api_strict's non-CPU devices refuse DLPack
        return np.asarray(xps.asarray(x, device=xps.Device("CPU_DEVICE")) if hasattr(x, "device") else x)


def _import(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _label(backend, device) -> str:
    """The pytest id of a target: numpy, jax, torch-cpu, torch-cuda, array_api_strict-device1."""
    if backend.name in ("numpy", "jax"):
        return backend.name
    short = backend.device_label(device)
    if backend.name == "torch" and short == "cuda0":
        short = "cuda"  # the first GPU keeps its established id
    return f"{backend.name}-{short}"


def targets(only: str | None = None) -> list[Target]:
    names = [only] if only else list(BUILTIN)
    out = []
    plugin = {b.name: b for b in installed_backends(
        [n for n in names if n in ("numpy", "jax", "torch", "array_api_strict")])}
    for name in names:
        if name in ("numpy", "jax", "torch", "array_api_strict"):
            backend = plugin.get(name)
            if backend is None:
                continue  # not installed
            # JAX on its first device: several host devices are test_jax_sharding's
            for dev in backend.devices[:1] if name == "jax" else backend.devices:
                out.append(Target(name, backend.xp, dev, _label(backend, dev)))
        elif name == "dask":
            # array_api_compat's dask namespace: the tests call xp.asarray(..., device=)
            da = _import("dask.array") and _import("array_api_compat.dask.array")
            if da is not None:  # native (a PCG64 per block) and the portable stream
                out.append(Target("dask", da, "cpu", "dask"))
                out.append(Target("dask", da, "cpu", "dask-threefry", "threefry"))
        else:
            xp = _import(name)
            if xp is None:
                raise ValueError(f"--backend {name}: no such module")
            dev = xp.__array_namespace_info__().default_device()
            out.append(Target(name, xp, dev, name))
    return out
