"""Which (backend, device) pairs exist here, which were skipped and why, and what they hold."""
from __future__ import annotations

import dataclasses
import importlib
import importlib.metadata

import numpy as np

BUILTIN = ("numpy", "jax", "torch", "array_api_strict", "dask")
_EXTRA = {"jax": "jax", "torch": "torch", "array_api_strict": "strict", "dask": "dask"}
_MODULE = {"numpy": "numpy", "jax": "jax.numpy", "torch": "torch",
           "array_api_strict": "array_api_strict", "dask": "dask.array"}
_DIST = {"numpy": "numpy", "jax": "jax", "torch": "torch", "array_api_strict": "array-api-strict",
         "dask": "dask"}


class UsageError(ValueError):
    """A bad command-line value: reported in one line, exit status 2."""


@dataclasses.dataclass(frozen=True)
class Target:
    """One column of the comparison: a namespace on one device."""

    backend: str          # "numpy", "jax", "torch", "array_api_strict", or a module name
    xp: object            # the namespace handed to default_rng
    device: object
    device_name: str      # "cpu", "cuda:0", "device2", ...
    bit_generator: str = "native"      # "threefry": the portable stream
    float_dtype: str | None = None     # continuous draws in this dtype (None: the default)

    @property
    def label(self) -> str:
        return f"{self.backend}:{self.device_name}"

    def rng(self, seed):
        import array_random
        return array_random.default_rng(self.xp, seed, device=self.device,
                                        bit_generator=self.bit_generator)


@dataclasses.dataclass(frozen=True)
class Skipped:
    backend: str
    device: str | None
    reason: str

    @property
    def text(self) -> str:
        where = f"{self.backend} {self.device}" if self.device else self.backend
        return f"{where} ({self.reason})"


def _import(module):
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def version(backend: str) -> str | None:
    try:
        return importlib.metadata.version(_DIST.get(backend, backend))
    except importlib.metadata.PackageNotFoundError:
        module = _import(backend)
        return getattr(module, "__version__", None)


def _strict_name(device) -> str:
    return getattr(device, "name", None) or repr(device).split("'")[1]


def _device_name(device) -> str:
    """A short name: Device('CPU_DEVICE') -> CPU_DEVICE, device(type='cpu') -> cpu."""
    name = getattr(device, "name", None)
    if isinstance(name, str):
        return name
    text = str(device)
    return text.split("'")[1] if text.count("'") >= 2 else text


def discover(backend: str) -> tuple[list[Target], list[Skipped]]:
    """Every device of one backend here, and what of it could not run."""
    if backend == "numpy":
        return [Target("numpy", np, "cpu", "cpu")], []
    if backend in BUILTIN:
        module = _import(_MODULE[backend])
        if module is None:
            return [], [Skipped(backend, None, f"not installed: pip install "
                                               f"'array-random[{_EXTRA[backend]}]'")]
    if backend == "jax":
        import jax
        devices = jax.devices()
        several = len(devices) > 1
        return [Target("jax", module, d, f"{d.platform}{d.id}" if several else d.platform)
                for d in devices], []
    if backend == "torch":
        import torch
        out = [Target("torch", module, torch.device("cpu"), "cpu")]
        if torch.cuda.is_available():
            count = torch.cuda.device_count()
            for i in range(count):
                name = f"cuda:{i}" if count > 1 else "cuda"
                out.append(Target("torch", module, torch.device("cuda", i), name))
            return out, []
        return out, [Skipped("torch", "cuda", "no CUDA device")]
    if backend == "array_api_strict":
        return [Target(backend, module, d, _strict_name(d))
                for d in module.__array_namespace_info__().devices()], []
    if backend == "dask":  # lazy arrays of NumPy blocks: one column, computed when timed
        return [Target("dask", module, "cpu", "cpu")], []
    # another Array API namespace, served by a backend registered with register_backend
    module = _import(backend)
    if module is None or not hasattr(module, "__array_namespace_info__"):
        raise UsageError(f"unknown backend {backend!r}: choose from {', '.join(BUILTIN)} or an "
                         f"importable Array API namespace")
    device = module.__array_namespace_info__().default_device()
    return [Target(backend, module, device, _device_name(device))], []


#: the array_api_strict device of a default run: the one with JAX's default dtypes
DEFAULT_STRICT_DEVICE = "no_x64"


def select(backends=None, devices=None, *, full=False) -> tuple[list[Target], list[Skipped]]:
    """The targets to compare, from ``--backends`` and ``--devices`` (lists of names or None).

    A device name matches a target's device (``cpu``, ``cuda``, ``device2``, ...)
    or its label (``torch:cpu``), case-insensitively; ``all`` matches every one.
    Without ``devices`` and ``full``, array_api_strict runs on one device only
    (its five give two pairs of identical streams and cost most of the run).
    """
    names = list(BUILTIN) if not backends else list(dict.fromkeys(backends))
    targets, skipped = [], []
    for name in names:
        found, skip = discover(name)
        targets += found
        skipped += skip
    if devices and "all" not in {d.lower() for d in devices}:
        wanted = {d.lower() for d in devices}
        known = ({t.device_name.lower() for t in targets} | {t.label.lower() for t in targets}
                 | {s.device.lower() for s in skipped if s.device})
        unknown = sorted(wanted - known)
        if unknown:
            raise UsageError(f"no device {', '.join(unknown)} among the selected backends; "
                             f"available: {', '.join(t.label for t in targets)}")
        kept = [t for t in targets
                if t.device_name.lower() in wanted or t.label.lower() in wanted]
        targets = kept
    elif not full:
        strict = [t for t in targets if t.backend == "array_api_strict"]
        if len(strict) > 1:
            keep = next((t for t in strict if t.device_name == DEFAULT_STRICT_DEVICE), strict[0])
            targets = [t for t in targets if t.backend != "array_api_strict" or t is keep]
            skipped.append(Skipped("array_api_strict",
                                   ", ".join(t.device_name for t in strict if t is not keep),
                                   "one device by default: --full or --devices for the others"))
    if not targets:
        reasons = "; ".join(s.text for s in skipped) or "nothing matched"
        raise UsageError(f"no backend to compare: {reasons}")
    return targets, skipped


def default_dtypes(target: Target) -> dict:
    """``{"real floating": name, "integral": name}`` of the target's device."""
    rng = target.rng(0)
    dts = rng.xp.__array_namespace_info__().default_dtypes(device=rng.device)
    return {k: dtype_name(dts[k]) for k in ("real floating", "integral")}


def dtype_name(dtype) -> str:
    return str(dtype).rsplit(".", 1)[-1]


def info() -> list[dict]:
    """What ``array-random info`` prints: one record per built-in backend."""
    import array_random

    records = []
    for name in BUILTIN:
        targets, skipped = discover(name)
        rec = {"backend": name, "installed": bool(targets), "version": version(name),
               "served_by": None, "devices": [], "skipped": [s.text for s in skipped]}
        for t in targets:
            rng = t.rng(0)
            rec["served_by"] = rng.backend
            rec["devices"].append({"device": t.device_name, "repr": repr(t.device),
                                   "default_dtypes": default_dtypes(t)})
        if name == "jax" and targets:
            import jax
            rec["notes"] = f"x64 {'on' if jax.config.jax_enable_x64 else 'off'}"
        if name == "torch" and targets:
            import torch
            rec["notes"] = f"default dtype {dtype_name(torch.get_default_dtype())}"
        records.append(rec)
    rec_lib = {"array_random": array_random.__version__}
    return records, rec_lib
