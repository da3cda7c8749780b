"""The cases a test runs on: (backend, device, dtype) combinations and their pytest ids."""
from __future__ import annotations

import dataclasses

import pytest

from . import _backends


@dataclasses.dataclass(frozen=True)
class Case:
    """One parametrisation of the ``xp``/``device``/``dtype`` fixtures.

    ``device`` is the backend's default device unless the test asked for the
    ``device`` fixture (or ``rng``, which draws on it); ``dtype`` is None unless
    the test asked for the ``dtype`` fixture.
    """

    backend: _backends.Backend
    device: object
    dtype: object = None
    dtype_name: str | None = None
    per_device: bool = False

    @property
    def name(self) -> str:
        return self.backend.name

    @property
    def device_label(self) -> str:
        return _backends.device_label(self.name, self.device)

    @property
    def id(self) -> str:
        parts = [self.name]
        if self.per_device:
            parts.append(self.device_label)
        if self.dtype_name is not None:
            parts.append(self.dtype_name)
        return "-".join(parts)

    def __repr__(self):  # shown by pytest --setup-show and in assertion output
        return f"Case({self.id})"


@dataclasses.dataclass(frozen=True)
class Plan:
    """The backends and devices of this run, and why the others are left out."""

    backends: tuple          # of _backends.Backend, in _backends.KNOWN order
    devices: str             # "all" or "default"
    left_out: tuple          # of (name, reason)

    @classmethod
    def build(cls, settings) -> "Plan":
        backends, left_out = [], []
        for name in settings.backends:
            backend, why = _backends.load(name)
            if backend is not None:
                backends.append(backend)
            elif settings.explicit_backends:
                raise pytest.UsageError(f"array_random.testing: --array-backends {name}: "
                                        f"{name} {why}")
            else:
                left_out.append((name, why))
        return cls(tuple(backends), settings.devices, tuple(left_out))

    def devices_of(self, backend):
        return backend.devices if self.devices == "all" else backend.devices[:1]

    def cases(self, *, per_device: bool, per_dtype: bool) -> list[Case]:
        out = []
        for backend in self.backends:
            devices = self.devices_of(backend) if per_device else backend.devices[:1]
            for device in devices:
                if not per_dtype:
                    out.append(Case(backend, device, per_device=per_device))
                    continue
                for dtype_name, dtype in _backends.floating_dtypes(backend, device).items():
                    out.append(Case(backend, device, dtype, dtype_name, per_device=per_device))
        return out
