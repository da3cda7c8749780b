"""Namespace, device and seed resolution: array_api_compat is consulted here only."""
from __future__ import annotations

import numbers
import types

import array_api_compat
import numpy as np

from .backends import backend_class

SUPPORTED = ("numpy", "jax.numpy", "torch", "array_api_strict", "cupy", "dask.array",
             "or any other Array API namespace (a module with __array_namespace_info__)")


def resolve_namespace(xp):
    """``(namespace, device or None)`` for a namespace or an array given as ``xp``."""
    if xp is None:
        return array_api_compat.array_namespace(np.empty(0)), None
    if isinstance(xp, types.ModuleType):
        return _wrapped(xp), None
    if isinstance(xp, (bool, numbers.Number)):
        raise TypeError(f"default_rng's first argument is the array namespace, not the seed "
                        f"{xp!r}: did you mean default_rng(numpy, {xp!r})?")
    if array_api_compat.is_array_api_obj(xp):
        return array_api_compat.array_namespace(xp), array_api_compat.device(xp)
    raise TypeError(f"{type(xp).__name__!r} is not an array namespace or an array; "
                    f"supported: {', '.join(SUPPORTED)}")


def _wrapped(module):
    """The namespace as array_api_compat presents it (numpy -> array_api_compat.numpy)."""
    c = array_api_compat
    if c.is_numpy_namespace(module):
        import array_api_compat.numpy as wrapped
    elif c.is_torch_namespace(module):
        import array_api_compat.torch as wrapped
    elif c.is_cupy_namespace(module):
        import array_api_compat.cupy as wrapped
    elif c.is_dask_namespace(module):
        import array_api_compat.dask.array as wrapped
    elif c.is_jax_namespace(module):
        import jax.numpy as wrapped
    elif hasattr(module, "__array_namespace_info__"):
        wrapped = module
    else:
        raise TypeError(f"module {module.__name__!r} is not an array namespace; supported: "
                        f"{', '.join(SUPPORTED)}")
    return wrapped


def default_device(backend_cls, xp):
    if backend_cls.name == "jax":
        import jax
        return jax.devices()[0]
    info = xp.__array_namespace_info__()
    return info.default_device()


def resolve_seed(seed, backend_cls):
    """A ``SeedSequence``, or the backend's native state object, for ``seed``."""
    from ._generator import Generator

    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(seed.integers(0, 2**32, size=4, dtype=np.uint32))
    if isinstance(seed, Generator):
        return np.random.SeedSequence(seed.spawn(1)[0]._backend.entropy())
    if backend_cls.accepts_native_seed(seed):
        return seed
    if isinstance(seed, (bool, np.bool_)):
        raise TypeError("a seed must be an int, a sequence of ints, a SeedSequence, a "
                        "Generator or a native key/generator, not a bool")
    if isinstance(seed, numbers.Integral):
        if seed < 0:
            raise ValueError(f"a seed must be non-negative, got {seed}")
        return np.random.SeedSequence(int(seed))
    if isinstance(seed, (list, tuple)) or (isinstance(seed, np.ndarray) and seed.ndim == 1):
        words = list(seed)
        if not all(isinstance(w, numbers.Integral) and not isinstance(w, bool) for w in words):
            raise TypeError("a seed sequence must hold ints only")
        if any(w < 0 for w in words):
            raise ValueError("a seed sequence must hold non-negative ints")
        return np.random.SeedSequence([int(w) for w in words])
    if isinstance(seed, numbers.Real):
        raise TypeError(f"a seed must be an int, not {type(seed).__name__} {seed!r}")
    raise TypeError(f"cannot seed a {backend_cls.name} generator from {type(seed).__name__}: "
                    "use an int, a sequence of ints, a numpy SeedSequence or Generator, an "
                    "array_random Generator, a JAX key or a torch.Generator")


def make_backend(xp, seed, device, bit_generator="native"):
    """The backend instance serving ``default_rng(xp, seed, device=device, bit_generator=...)``."""
    from ._generator import Generator

    namespace, array_device = resolve_namespace(xp)
    native_cls = backend_class(namespace)
    cls = native_cls.for_bit_generator(bit_generator)
    if (isinstance(seed, Generator) and seed.xp is namespace
            and type(seed._backend).bit_generator == cls.bit_generator):
        wanted = device if device is not None else array_device
        if wanted is None or wanted == seed.device:
            return None, seed  # returned as is
    native = resolve_seed(seed, cls)
    if device is None:
        device = array_device
    if device is None and native is seed and native_cls.accepts_native_seed(seed):
        # the library's own torch.Generator or JAX key: its device (a JAX key
        # seeding another library's portable stream has no say about devices)
        device = getattr(seed, "device", None)
        if device is not None and not isinstance(device, str) and callable(device):
            device = None
    if device is None:
        device = default_device(cls, namespace)
    backend = cls(namespace, None, native)
    backend.device = backend.check_device(device)
    return backend, None
