"""The backend registry: which ``Backend`` class serves which array namespace.

A backend is one module with one ``Backend`` subclass. The built-in ones are
registered by import path so that importing array_random never imports JAX or
torch; another library adds its own with :func:`register_backend` and takes
precedence over the built-ins, the generic Array-API backend serving last.
"""
from __future__ import annotations

import importlib

from ._base import Backend

__all__ = ["Backend", "register_backend", "backend_class", "registered_backends"]

# (name, matches(xp) -> bool, "module:Class" or a Backend subclass); first match wins
_REGISTRY: list[tuple[str, object, object]] = []


def register_backend(name: str, matches, backend, *, first: bool = True) -> None:
    """Serve namespaces for which ``matches(xp)`` is true with ``backend``.

    Parameters
    ----------
    name : str
        Key of this registry entry: registering the same name again replaces it.
        ``Generator.backend`` shows the backend class's own ``name``.
    matches : callable
        ``matches(xp) -> bool`` for an (``array_api_compat``-wrapped) namespace.
    backend : type or str
        A :class:`Backend` subclass, or ``"module:Class"`` imported on first use.
    first : bool
        Consult this entry before those already registered (the default).
    """
    if not callable(matches):
        raise TypeError("matches must be a callable taking a namespace")
    entry = (name, matches, backend)
    _REGISTRY[:] = [e for e in _REGISTRY if e[0] != name]
    if first:
        _REGISTRY.insert(0, entry)
    else:
        _REGISTRY.append(entry)


def registered_backends() -> list[str]:
    return [name for name, _, _ in _REGISTRY]


def backend_class(xp) -> type[Backend]:
    for _, matches, backend in _REGISTRY:
        if matches(xp):
            if isinstance(backend, str):
                module, cls = backend.split(":")
                backend = getattr(importlib.import_module(module, __name__), cls)
            return backend
    raise TypeError(f"no array_random backend serves the namespace {xp!r}")


def _is(kind):
    def matches(xp):
        import array_api_compat
        return getattr(array_api_compat, f"is_{kind}_namespace")(xp)
    return matches


register_backend("generic", lambda xp: hasattr(xp, "__array_namespace_info__"),
                 ".generic:GenericBackend")
register_backend("torch", _is("torch"), ".torch_backend:TorchBackend")
register_backend("jax", _is("jax"), ".jax_backend:JaxBackend")
register_backend("numpy", _is("numpy"), ".numpy_backend:NumpyBackend")
register_backend("dask", _is("dask"), ".dask_backend:DaskBackend")
