"""The small thread pool the eager ciphers (NumPy, torch on a CPU) spread chunks over.

One pool for the process, made on first use and reused by every draw (a
pool per call would cost more than the threads save on mid-sized draws).
NumPy's ufuncs and torch's CPU kernels release the GIL, so a thread per core
runs the cipher on every core; what a chunk computes depends only on its
counters, never on which thread runs it.
"""
from __future__ import annotations

import concurrent.futures
import functools
import os


@functools.cache
def pool() -> concurrent.futures.ThreadPoolExecutor:
    return concurrent.futures.ThreadPoolExecutor(max_workers=workers(),
                                                 thread_name_prefix="array_random-threefry")


@functools.cache
def workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# a forked child has none of the parent's pool threads: it makes its own pool on
# first use (a cached pool would take its tasks and never run them: a hang)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: (pool.cache_clear(), workers.cache_clear()))
