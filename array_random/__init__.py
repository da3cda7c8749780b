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


def default_rng(xp=None, seed=None, *, device=None, bit_generator="native") -> Generator:
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
        (typed, or raw ``uint32[2]``) or a ``torch.Generator``. With
        ``bit_generator="threefry"`` a JAX key is used *as the key* on every
        backend (a JAX program and this generator share one stream), and a
        ``torch.Generator`` gives 128 bits of entropy drawn from it.
    device : optional
        The default device of every draw; default: that of the array given as
        ``xp``, else the namespace's default device.
    bit_generator : {"native", "threefry"}
        ``"native"``: each library's own generator (NumPy's PCG64, a
        ``torch.Generator`` per device, JAX's keys). ``"threefry"``: the
        portable stream, Threefry-2x32-20 in JAX's counter layout, which gives
        the same values on every backend for the same seed and call sequence
        (bit for bit where the arithmetic is exact). Another name is a
        ``ValueError``.

    Returns
    -------
    Generator

    Examples
    --------
    >>> import numpy, array_random
    >>> array_random.default_rng(numpy, 0).integers(0, 10, size=3).shape
    (3,)
    >>> import array_api_strict
    >>> a = array_random.default_rng(numpy, 0, bit_generator="threefry").integers(0, 10, size=3)
    >>> b = array_random.default_rng(array_api_strict, 0, bit_generator="threefry").integers(
    ...     0, 10, size=3)
    >>> a.tolist() == [int(v) for v in b]
    True
    """
    backend, same = make_backend(xp, seed, device, bit_generator)
    return same if same is not None else Generator(backend)
