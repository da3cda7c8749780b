"""The source: what a distribution sees of a backend during one draw.

A backend hands every draw a ``Source``. Its primitives (``bits``, ``random``,
``standard_normal``, ...) are the only way a sampler gets randomness; every
sampler in :mod:`array_random.distributions` is bound here as a method, so a
backend's source overrides exactly the samplers it has a native routine for,
and a generic sampler that calls ``src.standard_gamma`` gets the native one
where it exists.
"""
from __future__ import annotations

from .. import distributions


class Source:
    """Base class of every backend's per-draw source.

    Subclasses set ``xp`` (the array namespace), ``device`` and implement
    :meth:`bits`, or override the higher primitives directly.
    """

    xp = None
    device = None

    def bits(self, shape: tuple[int, ...], width: int):
        """Uniform random unsigned words: ``uint32`` (width 32) or ``uint64`` (64)."""
        raise NotImplementedError(f"{type(self).__name__} provides no raw bits")

    def skip(self, calls: int) -> None:
        """Pass over ``calls`` primitive calls a sampler leaves out (a branch not needed).

        A counter-based source (Threefry) numbers its calls; a sampler that
        skips a branch for the elements at hand calls this with the number of
        calls the branch makes, so that what follows keeps its numbers and a
        block of a larger draw gets the values of the draw made in one piece.
        Stream-based sources have nothing to number.
        """

    def while_loop(self, cond, body, state):
        """Run ``state = body(self, state)`` while ``cond(state)`` holds.

        Eager backends loop in Python (``cond`` returns an array-API bool); a
        tracing backend (JAX) replaces this with its compiled loop. Rejection
        samplers are written on top of it, masked over the whole array.
        """
        while bool(cond(state)):
            state = body(self, state)
        return state


for _name, _fn in distributions.SAMPLERS.items():
    setattr(Source, _name, _fn)
del _name, _fn
