"""NumPy's own call for the differential fuzz, in a worker process with a time limit.

NumPy itself can take practically forever on some fuzzed parameters (the
slow run stalled inside an oracle call of the multivariate family). Its
samplers release the GIL in C loops, so a thread could not be stopped; a
worker process can: a call that does not return within the limit kills the
worker (the next call starts a fresh one) and is reported as
:class:`NumpyHang`. That is NumPy's problem, not a finding about array_random:
the fuzz skips the example, counts it and logs it.

This module imports only NumPy, so the spawned worker starts in about a
second; it runs one call at a time.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import warnings

import numpy as np

#: seconds NumPy's own call may take before the example is skipped as a NumPy hang
TIME_LIMIT = float(os.environ.get("ARRAY_RANDOM_FUZZ_NUMPY_TIME_LIMIT") or 20)


class NumpyHang(Exception):
    """NumPy's call did not return within :data:`TIME_LIMIT` seconds (or ran out of memory)."""


#: bytes of address space the worker may use: NumPy's multivariate_hypergeometric with
#: method="count" allocates an array of the colors' total (2**31 of them: 17 GB), which
#: on a shared machine is MemoryError here, not the whole machine's memory
MEMORY_LIMIT = 6 * 2**30
_limited = False


def _limit_memory():
    global _limited
    if not _limited:
        _limited = True
        try:
            import resource
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        except (ImportError, ValueError, OSError):
            pass  # no such limit here (not POSIX): NumPy's call runs unlimited


def numpy_call(method, args, kw, seed):
    """``("raised", exc)`` or ``("value", result)`` of ``default_rng(seed).method(*args, **kw)``.

    ``shuffle``'s value is its (shuffled) first argument. Runs under
    :data:`MEMORY_LIMIT` (set on the worker's first call).
    """
    _limit_memory()
    gen = np.random.default_rng(seed)
    args = list(args)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = getattr(gen, method)(*args, **kw)
    except Exception as exc:
        try:
            pickle.dumps(exc)
        except Exception:  # an exception that cannot travel back: its builtin base, same text
            base = next(c for c in type(exc).__mro__ if c.__module__ == "builtins")
            exc = base(str(exc))
        return "raised", exc
    return "value", (args[0] if method == "shuffle" else out)


class _Worker:
    """One spawned process (spawn: no fork of a process that runs JAX's and torch's threads)."""

    def __init__(self):
        self._pool = None

    def call(self, method, args, kw, seed):
        if self._pool is None:
            self._pool = multiprocessing.get_context("spawn").Pool(1)
        pending = self._pool.apply_async(numpy_call, (method, args, kw, seed))
        try:
            how, out = pending.get(timeout=TIME_LIMIT)
        except multiprocessing.TimeoutError:
            self._pool.terminate()  # the stuck call dies with its process
            self._pool = None
            raise NumpyHang(f"NumPy's {method} did not return within {TIME_LIMIT} s") from None
        if how == "raised" and isinstance(out, MemoryError):
            raise NumpyHang(f"NumPy's {method} needs more than {MEMORY_LIMIT >> 30} GiB")
        return how, out


_WORKER = _Worker()


def run(method, args, kw, seed):
    """:func:`numpy_call` in the worker process; :class:`NumpyHang` past the time limit."""
    return _WORKER.call(method, args, kw, seed)
