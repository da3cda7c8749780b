"""array_random: NumPy's Generator API in any Array API namespace, on native generators.

>>> import numpy, array_random
>>> rng = array_random.default_rng(numpy, 42)
>>> rng.normal(size=3).shape
(3,)
"""
from __future__ import annotations

from ._dispatch import make_backend
from ._generator import Generator
from .backends import register_backend

__all__ = ["default_rng", "Generator", "register_backend"]
__version__ = "0.1.0"


def default_rng(xp=None, seed=None, *, device=None) -> Generator:
    """A Generator drawing arrays of namespace ``xp`` on ``device``.

    Parameters
    ----------
    xp : module or array, optional
        The array namespace (``numpy``, ``jax.numpy``, ``torch``,
        ``array_api_strict``, ... or their ``array_api_compat`` wrappers), or
        an array whose namespace and device are taken. ``None``: NumPy.
    seed : optional
        ``None`` (fresh OS entropy), a non-negative int or sequence of them, a
        ``numpy.random.SeedSequence``, a ``numpy.random.Generator`` (entropy is
        drawn from it), an ``array_random.Generator`` (returned as is when
        backend and device match, else a child is spawned from it), a JAX key
        (typed, or raw ``uint32[2]``) or a ``torch.Generator``.
    device : optional
        The default device of every draw; default: that of the array given as
        ``xp``, else the namespace's default device.

    Returns
    -------
    Generator

    Examples
    --------
    >>> import numpy, array_random
    >>> array_random.default_rng(numpy, 0).integers(0, 10, size=3).shape
    (3,)
    """
    backend, same = make_backend(xp, seed, device)
    return same if same is not None else Generator(backend)
