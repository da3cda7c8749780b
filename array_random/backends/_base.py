"""What every backend provides to the Generator facade."""
from __future__ import annotations


class Backend:
    """State and draws of one Generator on one array library.

    A subclass owns the random state, derives per-device sources from it and
    executes a sampler (``draw``). Everything about parameters, shapes, dtypes
    and devices is settled by the facade before ``draw`` is called.
    """

    #: short name reported as ``Generator.backend``
    name = "?"

    def __init__(self, xp, device, seed):
        self.xp = xp
        self.device = device

    # --- seeds -------------------------------------------------------------
    @classmethod
    def accepts_native_seed(cls, seed) -> bool:
        """Whether ``seed`` is this library's own state object (a JAX key, ...)."""
        return False

    def entropy(self) -> list[int]:
        """Words of this (freshly spawned) generator's state, to seed another backend."""
        raise NotImplementedError

    # --- the interface the facade uses --------------------------------------
    def draw(self, name: str, shape: tuple[int, ...], dtype, device, *params, **static):
        """Run the sampler ``name`` (native override or generic) for one draw."""
        raise NotImplementedError

    def spawn(self, n: int) -> list[Backend]:
        raise NotImplementedError

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

