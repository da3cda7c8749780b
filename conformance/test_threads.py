"""SPEC K8: one Generator shared by threads never hands out the same stream twice.

Several threads draw from one generator at once while another takes copies,
pickles, ``state`` snapshots and spawns. Afterwards:

- no draw repeats (every draw of ``random(4)`` is a distinct stream position);
- every snapshot is a state the generator really passed through: its next
  draw is one the threads drew, or the one the generator draws after them;
- the children spawned concurrently are exactly those of the same number of
  sequential ``spawn(1)`` calls on a fresh generator of the same seed.

Only the order in which threads get their draws is free. A missing lock
shows up in every run, not once in a thousand: while the threads run, every
line executed in ``array_random/backends/`` yields the interpreter to
another thread (a trace function calling ``time.sleep(0)``), so a thread is
interrupted between reading a counter and writing it back.
"""
from __future__ import annotations

import copy
import os
import pickle
import threading
import time

import pytest

import array_random.backends
from conformance.targets import to_numpy

THREADS = 4
DRAWS = 40        # per drawing thread
SNAPSHOTS = 6     # each of copy, pickle, state
SPAWNS = 6


def _key(x) -> bytes:
    return to_numpy(x).tobytes()


_BACKENDS = os.path.dirname(array_random.backends.__file__)


def _yield_each_line(frame, event, arg):
    if event == "line":
        time.sleep(0)  # lets another thread run here
    return _yield_each_line


def _in_backends(frame, event, arg):
    """Yield at each line of the backends' own code and at each call of the cipher's.

    The cipher (``threefry.py``) is not traced line by line, which would make
    the test slow; the rest runs untraced at full speed.
    """
    name = frame.f_code.co_filename
    if not name.startswith(_BACKENDS):
        return None
    time.sleep(0)
    return None if name.endswith("threefry.py") else _yield_each_line


def _start_interleaved(threads):
    threading.settrace(_in_backends)  # for threads started from here on
    try:
        for t in threads:
            t.start()
    finally:
        threading.settrace(None)


def test_threads_share_one_generator(target):
    rng = target.rng(2024)
    drawn = [[] for _ in range(THREADS)]
    snapshots = []  # (how it was taken, generator restored from it)
    children = []
    errors = []
    start = threading.Barrier(THREADS + 1)

    def draw(out):
        try:
            start.wait()
            for _ in range(DRAWS):
                out.append(_key(rng.random(4)))
        except BaseException as exc:  # reported below: a thread's exception is lost otherwise
            errors.append(exc)

    def observe():
        try:
            start.wait()
            for i in range(SNAPSHOTS):
                snapshots.append(("deepcopy", copy.deepcopy(rng)))
                snapshots.append(("pickle", pickle.loads(pickle.dumps(rng))))
                state = rng.state
                restored = target.rng(0)
                restored.state = state
                snapshots.append(("state", restored))
                if i < SPAWNS:
                    children.extend(rng.spawn(1))
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=draw, args=(out,)) for out in drawn]
    workers.append(threading.Thread(target=observe))
    _start_interleaved(workers)
    for w in workers:
        w.join()
    assert not errors, errors

    everything = [k for out in drawn for k in out]
    assert len(everything) == THREADS * DRAWS
    repeats = len(everything) - len(set(everything))
    assert repeats == 0, f"{repeats} draws repeated another thread's draw"

    # the generator's next draw: what a snapshot taken after the last draw continues with
    seen = set(everything) | {_key(rng.random(4))}
    for how, snap in snapshots:
        assert _key(snap.random(4)) in seen, f"a {how} snapshot is no state the generator had"

    # spawning is independent of the draws: the concurrent children are the sequential ones
    fresh = target.rng(2024)
    expected = {_key(child.random(4)) for _ in range(SPAWNS) for child in fresh.spawn(1)}
    got = {_key(child.random(4)) for child in children}
    assert len(children) == SPAWNS and got == expected
