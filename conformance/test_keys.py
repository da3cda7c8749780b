"""Key semantics K1-K5 (SPEC 4) for the core methods, on every target.

Every test runs one fixed call sequence (``core_calls``) that touches each core
method and its main variants, and compares the draws as raw bytes: two streams
are "equal" only when dtype, shape and every bit agree.
"""
from __future__ import annotations

import copy
import functools
import json
import os
import pathlib
import pickle
import subprocess
import sys

import numpy as np
import pytest

from conformance.targets import to_numpy

FULL_RANGE = ("int8", "int32", "int64", "uint64")
P5 = [0.1, 0.2, 0.3, 0.25, 0.15]
P10 = [0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.14, 0.14, 0.15, 0.15]


def core_calls(rng, device, *, explicit_device=False, mutable=True):
    """``{name: draw(rng)}``: one call of every core method and its main variants.

    Arrays given to the methods (bounds, populations) live on ``device``; with
    ``explicit_device`` every method that takes ``device=`` is also given it.
    ``mutable`` adds ``shuffle`` (in place, on a copy).
    """
    xp = rng.xp
    kw = {"device": device} if explicit_device else {}
    # wide enough that two different draws coincide with negligible probability
    matrix = xp.reshape(xp.arange(120, device=device), (4, 30))
    lows = xp.asarray([0, -50, 7], device=device)
    highs = xp.asarray([10**6, 50, 2**20], device=device)
    calls = {
        "random": lambda r: r.random(8, **kw),
        "random_float32": lambda r: r.random(8, dtype=xp.float32, **kw),
        "uniform": lambda r: r.uniform(-2.0, 3.0, size=8, **kw),
        "normal": lambda r: r.normal(1.0, 2.0, size=8, **kw),
        "standard_normal": lambda r: r.standard_normal(8, **kw),
        "standard_normal_float32": lambda r: r.standard_normal(8, dtype=xp.float32, **kw),
        "standard_exponential": lambda r: r.standard_exponential(8, **kw),
        "exponential": lambda r: r.exponential(3.0, size=8, **kw),
        "integers": lambda r: r.integers(0, 2**30, size=8, **kw),
        "integers_endpoint": lambda r: r.integers(-3, 3, size=8, endpoint=True, **kw),
        "integers_array_bounds": lambda r: r.integers(lows, highs, size=(3, 3), **kw),
        "choice_int": lambda r: r.choice(1000, 8, **kw),
        "choice_int_noreplace": lambda r: r.choice(1000, 8, replace=False, **kw),
        "choice_p": lambda r: r.choice(5, 16, p=P5, **kw),
        "choice_p_noreplace": lambda r: r.choice(10, 6, replace=False, p=P10, **kw),
        "choice_array_axis1": lambda r: r.choice(matrix, 5, axis=1),
        "choice_array_noreplace": lambda r: r.choice(matrix, 6, replace=False, axis=-1),
        "permutation_int": lambda r: r.permutation(30, **kw),
        "permutation_array_axis1": lambda r: r.permutation(matrix, axis=1),
        "permuted_axis_none": lambda r: r.permuted(matrix),
        "permuted_axis1": lambda r: r.permuted(matrix, axis=1),
        "bytes": lambda r: r.bytes(16),
    }
    info = xp.__array_namespace_info__()
    names = info.dtypes(device=device, kind="integral")
    for name in FULL_RANGE:
        if name in names:
            dtype = names[name]
            lo, hi = int(xp.iinfo(dtype).min), int(xp.iinfo(dtype).max)
            calls[f"integers_full_{name}"] = (
                lambda r, lo=lo, hi=hi, dtype=dtype: r.integers(lo, hi, size=8, dtype=dtype,
                                                                endpoint=True, **kw))
            calls[f"integers_full_{name}_open"] = (
                lambda r, lo=lo, hi=hi, dtype=dtype: r.integers(lo, hi + 1, size=8, dtype=dtype,
                                                                **kw))
    if mutable:
        def shuffle(r):
            x = xp.asarray(matrix, copy=True)
            r.shuffle(x, axis=1)
            return x
        calls["shuffle"] = shuffle
    return calls


def is_mutable(target) -> bool:
    return target.name not in ("jax", "dask")  # immutable arrays: shuffle is a TypeError


def fingerprint(x) -> str:
    """dtype, shape and every bit of a draw, as text."""
    if isinstance(x, bytes):
        return "bytes:" + x.hex()
    a = np.ascontiguousarray(to_numpy(x))
    return f"{a.dtype}{a.shape}:{a.tobytes().hex()}"


def stream(rng, target, **kw) -> dict[str, str]:
    """The fingerprints of the whole core call sequence, in order."""
    calls = core_calls(rng, target.device, mutable=is_mutable(target), **kw)
    return {name: fingerprint(draw(rng)) for name, draw in calls.items()}


def sequence_fingerprints(target, seed):
    return stream(target.rng(seed), target)


# --- K1 --------------------------------------------------------------------
def test_k1_same_seed_same_stream(target):
    a = sequence_fingerprints(target, 12345)
    b = sequence_fingerprints(target, 12345)
    assert a == b, [name for name in a if a[name] != b[name]]


_SCRIPT = """
import json, sys
from conformance.targets import targets
from conformance.test_keys import sequence_fingerprints
print("RESULT " + json.dumps({t.label: sequence_fingerprints(t, 12345) for t in targets(sys.argv[1])}))
"""


@functools.lru_cache(maxsize=None)
def _fresh_process(name: str) -> dict:
    """The call sequence drawn in a new interpreter, for every target of backend ``name``."""
    root = pathlib.Path(__file__).resolve().parents[1]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root)] + [p for p in [env.get("PYTHONPATH")] if p])
    done = subprocess.run([sys.executable, "-c", _SCRIPT, name], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT "):])


def test_k1_same_stream_in_a_new_process(target):
    here = sequence_fingerprints(target, 12345)
    there = _fresh_process(target.name)[target.label]
    assert here == there, [name for name in here if here[name] != there.get(name)]


# --- K2, K3 ------------------------------------------------------------------
def test_k2_different_seeds_different_streams(target):
    for s1, s2 in ((1, 2), (0, 2**32), ([1, 2], [2, 1])):
        a = sequence_fingerprints(target, s1)
        b = sequence_fingerprints(target, s2)
        same = [name for name in a if a[name] == b[name]]
        assert not same, f"seeds {s1} and {s2} give equal draws for {same}"


def test_k3_consecutive_calls_differ(target):
    rng = target.rng(7)
    calls = core_calls(rng, target.device, mutable=is_mutable(target))
    same = [name for name, draw in calls.items()
            if fingerprint(draw(rng)) == fingerprint(draw(rng))]
    assert not same, f"two consecutive calls gave equal draws for {same}"


# --- K4 ----------------------------------------------------------------------
def test_k4_spawn_is_deterministic(target):
    a = [stream(child, target) for child in target.rng(5).spawn(3)]
    b = [stream(child, target) for child in target.rng(5).spawn(3)]
    assert a == b


def _shared(a: dict, b: dict) -> list[str]:
    return [name for name in a if a[name] == b[name]]


def test_k4_children_differ_from_each_other_and_the_parent(target):
    parent = target.rng(5)
    children = parent.spawn(3)
    assert len(children) == 3
    assert all(c.backend == parent.backend and c.device == parent.device for c in children)
    streams = [stream(c, target) for c in children] + [stream(parent, target)]
    for i in range(len(streams)):
        for j in range(i):
            assert not _shared(streams[i], streams[j]), (i, j, _shared(streams[i], streams[j]))


def test_k4_spawning_again_gives_new_children(target):
    parent = target.rng(5)
    first = stream(parent.spawn(1)[0], target)
    second = stream(parent.spawn(1)[0], target)
    assert not _shared(first, second)


def test_k4_children_unaffected_by_later_parent_draws(target):
    busy = target.rng(5)
    busy_child = busy.spawn(2)[1]
    stream(busy, target)  # the parent draws a whole sequence after spawning
    busy.spawn(4)         # and spawns more
    quiet_child = target.rng(5).spawn(2)[1]
    assert stream(busy_child, target) == stream(quiet_child, target)


def test_k4_spawning_leaves_the_parent_stream_unchanged(target):
    spawner, plain = target.rng(11), target.rng(11)
    spawner.random(3)
    plain.random(3)
    children = spawner.spawn(2)
    stream(children[0], target)  # children drawing must not touch the parent either
    assert stream(spawner, target) == stream(plain, target)


# --- K5 ----------------------------------------------------------------------
def _advanced(target, seed=9):
    rng = target.rng(seed)
    rng.random(3)
    rng.integers(0, 10, size=2)
    return rng


def test_k5_deepcopy_continues_the_stream(target):
    original, reference = _advanced(target), _advanced(target)
    clone = copy.deepcopy(original)
    assert clone.backend == original.backend and clone.device == original.device
    expected = stream(reference, target)
    assert stream(clone, target) == expected
    assert stream(original, target) == expected, "drawing from the copy changed the original"


def test_k5_pickle_continues_the_stream(target):
    original, reference = _advanced(target), _advanced(target)
    clone = pickle.loads(pickle.dumps(original))
    assert clone.backend == original.backend and clone.device == original.device
    assert type(clone) is type(original)
    expected = stream(reference, target)
    assert stream(clone, target) == expected
    assert stream(original, target) == expected, "drawing from the copy changed the original"


def test_k5_state_round_trip(target):
    rng = _advanced(target)
    saved = rng.state
    first = stream(rng, target)
    rng.state = saved
    assert stream(rng, target) == first
    # the saved dict is not a live view: restoring it again gives the same stream
    rng.state = saved
    assert stream(rng, target) == first
    other = target.rng(999)
    other.state = saved
    assert stream(other, target) == first


def test_k5_state_of_another_backend_is_refused(target):
    rng = target.rng(1)
    with pytest.raises(ValueError):
        rng.state = {"backend": "no-such-backend"}
    with pytest.raises(ValueError):
        rng.state = [1, 2, 3]
