"""What every backend provides to the Generator facade."""
from __future__ import annotations

import inspect
import threading

import array_api_compat

#: every ``bit_generator=`` that ``default_rng`` takes
BIT_GENERATORS = ("native", "threefry")


class Backend:
    """State and draws of one Generator on one array library.

    A subclass owns the random state, derives per-device sources from it and
    executes a sampler (``draw``). Everything about parameters, shapes, dtypes
    and devices is settled by the facade before ``draw`` is called.
    """

    #: short name reported as ``Generator.backend``
    name = "?"
    #: the stream this class draws: ``"native"`` (the library's own generator)
    #: or ``"threefry"`` (the portable stream, the same on every backend)
    bit_generator = "native"

    #: the lock's type: reentrant where a sampler drawn under it may call one
    #: that takes it again (NumPy's and torch's sources)
    lock_type = threading.Lock

    def __init__(self, xp, device, seed):
        self.xp = xp
        self.device = device
        # SPEC K8, as numpy's BitGenerator.lock: held around every counter
        # advance and every state read or write, so threads sharing one
        # generator never get the same key, counter or state twice
        self._lock = self.lock_type()

    # a Lock does not pickle: a copy gets a fresh one (Dask ships backends)
    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_lock", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = self.lock_type()

    # --- bit generators ------------------------------------------------------
    @classmethod
    def for_bit_generator(cls, name: str) -> type[Backend]:
        """The class drawing the stream ``name`` on this class's namespace.

        ``"native"``: this class. ``"threefry"``: the portable stream, by default
        the generic Threefry backend on this namespace, reporting this class's
        ``name`` and keeping its device and dtype handling; a backend with a
        faster exact route to the same values overrides :meth:`_portable`.
        """
        if name == cls.bit_generator:
            return cls
        if name == "native":
            return cls._native()
        if name == "threefry":
            return cls._portable()
        raise ValueError(f"unknown bit_generator {name!r}; choose one of "
                         f"{', '.join(map(repr, BIT_GENERATORS))}")

    @classmethod
    def _portable(cls) -> type[Backend]:
        from .generic import portable_class  # generic imports this module
        return portable_class(cls)

    @classmethod
    def _native(cls) -> type[Backend]:
        return cls

    # --- seeds -------------------------------------------------------------
    @classmethod
    def accepts_native_seed(cls, seed) -> bool:
        """Whether ``seed`` is this library's own state object (a JAX key, ...)."""
        return False

    @classmethod
    def threefry_seed(cls, seed):
        """A native seed object accepted by :meth:`accepts_native_seed`, as a seed of
        the portable stream (a ``SeedSequence`` or a JAX key); the default keeps it."""
        return seed

    def entropy(self) -> list[int]:
        """Words of this (freshly spawned) generator's state, to seed another backend."""
        raise NotImplementedError

    # --- the interface the facade uses --------------------------------------
    def draw(self, name: str, shape: tuple[int, ...], dtype, device, *params, **static):
        """Run the sampler ``name`` (native override or generic) for one draw."""
        raise NotImplementedError

    def drawer(self, name: str, dtype, device):
        """``run(shape, dtype, *params)``: the draws of sampler ``name`` in ``dtype`` on ``device``.

        The facade asks once per ``(name, dtype, device)`` and keeps the
        answer, so what is the same from call to call (the device's source,
        whether the sampler needs the lock) is settled here. It must stay
        valid through ``set_state``. The default goes through :meth:`draw`.
        """
        def run(shape, dtype, *params, **static):
            return self.draw(name, shape, dtype, device, *params, **static)
        return run

    def spawn(self, n: int) -> list[Backend]:
        raise NotImplementedError

    def next_key(self):
        """A JAX key taken out of the stream as one draw takes its key (``Generator.jax_key``)."""
        raise TypeError(f"a {self.name} generator with bit_generator={self.bit_generator!r} "
                        "has no JAX keys: use bit_generator='threefry' (any backend) or JAX")

    def get_state(self) -> dict:
        raise NotImplementedError

    def set_state(self, state: dict) -> None:
        raise NotImplementedError

    def default_dtypes(self, device) -> dict:
        return self.xp.__array_namespace_info__().default_dtypes(device=device)

    def dtypes(self, device, kind) -> dict:
        return self.xp.__array_namespace_info__().dtypes(device=device, kind=kind)

    def asarray(self, value, dtype, device):
        """A Python sequence parameter as an array for a draw on ``device``."""
        return self.xp.asarray(value, dtype=dtype, device=device)

    def take(self, x, indices, axis: int):
        """``xp.take(x, indices, axis=axis)`` for ``indices`` drawn here (in range, not negative)."""
        return self.xp.take(x, indices, axis=axis)

    # --- the caller's arrays rearranged, and bytes: x and axis checked by the
    # facade; ``indices(shape, device)`` is its draw of sampler
    # permutation_indices (each 1-d slice along the last axis a permutation),
    # so that a backend whose library does the whole thing in one call can
    # override a method and draw nothing through it
    def shuffle(self, x, axis: int, indices) -> None:
        """Shuffle the mutable ``x`` in place along ``axis``: a permutation taken, written back."""
        x[...] = self.take(x, indices((x.shape[axis],), self.device_of(x)), axis)

    def permuted(self, x, axis, indices):
        """A copy of ``x``, each 1-d slice along ``axis`` (None: the flattened ``x``) shuffled."""
        xp = self.xp
        device = self.device_of(x)
        if axis is None:
            if x.ndim == 1:  # already flat: two reshapes less, a good part of a small draw
                return self.take(x, indices((x.shape[0],), device), 0)
            flat = xp.reshape(x, (-1,))
            taken = self.take(flat, indices((flat.shape[0],), device), 0)
            return xp.reshape(taken, x.shape)
        moved = xp.moveaxis(x, axis, -1)
        taken = xp.take_along_axis(moved, indices(tuple(moved.shape), device), axis=-1)
        return xp.moveaxis(taken, -1, axis)

    def bytes(self, n: int) -> bytes:
        """``n`` random bytes: uint8 integers drawn on the backend's device, in host memory."""
        return _host_bytes(self.draw("integers", (n,), self.xp.uint8, self.device, 0, 255))

    def device_of(self, x):
        """``x``'s device, as ``array_api_compat.device`` gives it (a backend may know quicker)."""
        return array_api_compat.device(x)

    def portable_device(self, device):
        """``device`` in a picklable form, turned back by :meth:`restore_device`."""
        return device

    def restore_device(self, saved):
        return saved

    def check_device(self, device):
        """The canonical form of ``device``; ``ValueError`` if this library has no such device."""
        if device not in self.xp.__array_namespace_info__().devices():
            raise ValueError(f"{device!r} is not a device of {self.name}; "
                             f"available: {list(self.xp.__array_namespace_info__().devices())}")
        return device


def _host_bytes(values):
    """A 1-d uint8 array's bytes, through DLPack (host memory, one copy) where possible."""
    import numpy as np
    try:
        return np.from_dlpack(values).tobytes()
    except (TypeError, RuntimeError, BufferError, AttributeError, ValueError):
        return bytes([int(b) for b in values])


def locked(sampler, lock):
    """``sampler(shape, dtype, *params)`` with ``lock`` held through each call: a drawer.

    For a draw of several random kernels, which must not let a state read in
    between (SPEC K8). ``acquire``/``release`` rather than ``with``, and the
    parameters spelled out for the sampler's number of them rather than
    ``*params``: each is a few tenths of a microsecond of a small draw.
    """
    acquire, release = lock.acquire, lock.release
    n = _arity(sampler)
    if n == 0:
        def run(shape, dtype):
            acquire()
            try:
                return sampler(shape, dtype)
            finally:
                release()
    elif n == 1:
        def run(shape, dtype, a):
            acquire()
            try:
                return sampler(shape, dtype, a)
            finally:
                release()
    elif n == 2:
        def run(shape, dtype, a, b):
            acquire()
            try:
                return sampler(shape, dtype, a, b)
            finally:
                release()
    elif n == 3:
        def run(shape, dtype, a, b, c):
            acquire()
            try:
                return sampler(shape, dtype, a, b, c)
            finally:
                release()
    else:  # keyword parameters too (multivariate_hypergeometric's method=)
        def run(shape, dtype, *params, **static):
            acquire()
            try:
                return sampler(shape, dtype, *params, **static)
            finally:
                release()
    # for a caller that holds the lock itself around the sampler (the generated
    # quick paths: a Python call less, _methods/_quick.py)
    run.sampler, run.lock = sampler, lock
    return run


def _arity(sampler):
    """How many parameters ``sampler`` takes after ``shape`` and ``dtype`` (None: not fixed)."""
    try:
        params = list(inspect.signature(sampler).parameters.values())[2:]
    except (TypeError, ValueError):
        return None
    if any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) or p.default is not p.empty
           for p in params):
        return None
    return len(params)
