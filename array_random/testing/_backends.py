"""Which array backends, devices and floating dtypes are installed and usable here.

The enumeration is the plugin's (``xp``/``device``/``dtype`` parametrisation, the
report header) and the conformance suite's (``conformance/targets.py``): one
place decides what "every backend and device" means on this machine.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib
import importlib.metadata
import importlib.util

#: every backend name the plugin knows, in the order tests are parametrised
KNOWN = ("numpy", "array_api_strict", "torch", "jax", "dask")

#: the distribution that carries each backend's version number
_DISTRIBUTION = {"numpy": "numpy", "array_api_strict": "array-api-strict", "torch": "torch",
                 "jax": "jax", "dask": "dask"}

#: the module whose presence means "installed" (no import needed to tell)
_PROBE = {"numpy": "numpy", "array_api_strict": "array_api_strict", "torch": "torch",
          "jax": "jax", "dask": "dask.array"}

#: the dtypes the Array API standard names: the vocabulary of capability markers
STANDARD_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                   "uint64", "float32", "float64", "complex64", "complex128")


@dataclasses.dataclass(frozen=True)
class Backend:
    """One installed backend: its namespace as ``array_api_compat`` presents it, and devices.

    Attributes
    ----------
    name : str
        One of :data:`KNOWN`.
    xp : module
        The namespace, wrapped as ``array_api_compat.array_namespace`` returns it
        (``array_api_compat.numpy``, ``array_api_compat.torch``, ``jax.numpy``, ...).
    version : str
        The installed version of the library.
    devices : tuple
        Every usable device, the default device first.
    """

    name: str
    xp: object
    version: str
    devices: tuple

    @property
    def default_device(self):
        return self.devices[0]

    def device_label(self, device) -> str:
        """See :func:`device_label`."""
        return device_label(self.name, device)


def installed_backends(names=KNOWN) -> list[Backend]:
    """The usable backends among ``names``, in :data:`KNOWN` order, each with its devices.

    A backend is usable when its library imports and array_random draws on it;
    the others are left out (``load(name)`` says why).

    Examples
    --------
    >>> from array_random.testing import installed_backends
    >>> [b.name for b in installed_backends(("numpy",))]
    ['numpy']
    """
    unknown = [n for n in names if n not in KNOWN]
    if unknown:
        raise ValueError(f"unknown backend {', '.join(unknown)}; known: {', '.join(KNOWN)}")
    return [b for b in (load(n)[0] for n in KNOWN if n in names) if b is not None]


def is_installed(name: str) -> bool:
    """Whether backend ``name``'s library can be imported (without importing it)."""
    try:
        return importlib.util.find_spec(_PROBE[name]) is not None
    except (ImportError, ValueError):  # a parent package missing or half-imported
        return False


@functools.lru_cache(maxsize=None)
def load(name: str) -> tuple[Backend | None, str]:
    """``(Backend, "")`` for an installed, usable backend, else ``(None, why not)``.

    Cached: the libraries are imported once per process, on first use.
    """
    if name not in KNOWN:
        raise ValueError(f"unknown backend {name!r}; known: {', '.join(KNOWN)}")
    if not is_installed(name):
        return None, "not installed"
    try:
        xp, devices = _LOADERS[name]()
    except Exception as exc:  # a broken install must not take the whole run down
        return None, f"cannot be used: {type(exc).__name__}: {exc}"
    if not _array_random_serves(xp, devices[0]):
        return None, "array_random has no backend for it yet"
    return Backend(name, xp, importlib.metadata.version(_DISTRIBUTION[name]),
                   tuple(devices)), ""


def _compat(array):
    import array_api_compat
    return array_api_compat.array_namespace(array)


def _numpy():
    import numpy as np
    return _compat(np.empty(0)), ["cpu"]


def _array_api_strict():
    import array_api_strict as xps
    # its test devices ("device1", "no_float64", ...) are all real devices of the namespace
    return xps, list(xps.__array_namespace_info__().devices())


def _torch():
    import torch
    # array_api_compat's devices() also lists "meta" and other devices that hold no data;
    # the usable ones are the CPU and each accelerator torch reports as available
    devices = [torch.device("cpu")]
    if torch.cuda.is_available():
        devices += [torch.device("cuda", i) for i in range(torch.cuda.device_count())]
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append(torch.device("mps"))
    return _compat(torch.empty(0)), devices


def _jax():
    import jax
    import jax.numpy as jnp
    # several CPU devices when XLA_FLAGS=--xla_force_host_platform_device_count=N was set
    # before JAX started; accelerators when present (jax.devices() lists the default kind)
    return _compat(jnp.empty(0)), list(jax.devices())


def _dask():
    import dask.array as da
    return _compat(da.empty(0)), ["cpu"]


_LOADERS = {"numpy": _numpy, "array_api_strict": _array_api_strict, "torch": _torch,
            "jax": _jax, "dask": _dask}


def _array_random_serves(xp, device) -> bool:
    """Whether ``array_random.default_rng(xp)`` draws on this backend (Dask: once it lands)."""
    import array_random
    try:
        array_random.default_rng(xp, 0, device=device).random(2)
    except Exception:
        return False
    return True


def device_label(name: str, device) -> str:
    """A short, id-safe name of a device: ``cpu``, ``cuda0``, ``device1``, ``cpu1`` (JAX)."""
    if name == "jax":
        return f"{device.platform}{device.id}"
    if name == "torch":
        return device.type if device.index is None else f"{device.type}{device.index}"
    if name == "array_api_strict":
        return repr(device).split("'")[1]  # Device('device1') -> device1
    return str(device)


def device_type(name: str, device) -> str:
    """The kind of hardware behind a device: ``cpu``, ``cuda``, ``gpu``, ``tpu``, ``mps``."""
    if name == "jax":
        return device.platform
    if name == "torch":
        return device.type
    return "cpu"  # numpy, dask and array_api_strict's simulated devices live in host memory


def floating_dtypes(backend: Backend, device) -> dict:
    """``{name: dtype}`` of the real floating dtypes ``device`` has (no float64 on some)."""
    info = backend.xp.__array_namespace_info__()
    return dict(info.dtypes(kind="real floating", device=device))


def dtypes(backend: Backend, device) -> dict:
    """``{name: dtype}`` of every dtype ``device`` has."""
    return dict(backend.xp.__array_namespace_info__().dtypes(device=device))


def capabilities(backend: Backend) -> dict:
    """``__array_namespace_info__().capabilities()``: boolean indexing, data-dependent shapes."""
    return dict(backend.xp.__array_namespace_info__().capabilities())


def mutable_arrays(backend: Backend, device) -> bool:
    """Whether arrays of this backend support in-place writes (``x[i] = v``)."""
    import array_api_compat
    x = backend.xp.zeros(1, device=device)
    return bool(array_api_compat.is_writeable_array(x))


def to_numpy(x):
    """A NumPy copy of any backend's array (the only transfer the helpers make)."""
    import numpy as np
    import array_api_compat
    if array_api_compat.is_torch_array(x):
        return x.detach().cpu().numpy()
    if array_api_compat.is_cupy_array(x):
        return x.get()
    if type(x).__module__.startswith("array_api_strict"):
        # array_api_strict's non-CPU test devices refuse NumPy conversion by design
        import array_api_strict as xps
        return np.asarray(x.to_device(xps.Device("CPU_DEVICE")))
    return np.asarray(x)  # numpy, jax (device_get), dask (computes)
