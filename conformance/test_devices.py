"""Device placement and dtypes (SPEC 3, 5: D1, D3) of the core methods, on every target.

Results must live on the requested device and have the device's default dtype
(``xp.__array_namespace_info__().default_dtypes(device=...)``) unless a dtype
is asked for; a dtype the device lacks raises ``TypeError`` naming both.
"""
from __future__ import annotations

import array_api_compat
import numpy as np
import pytest

import array_random
from conformance.targets import to_numpy
from conformance.test_keys import core_calls, fingerprint, is_mutable

CONTINUOUS = {
    "random": lambda r, **kw: r.random(8, **kw),
    "uniform": lambda r, **kw: r.uniform(-2.0, 3.0, size=8, **kw),
    "normal": lambda r, **kw: r.normal(1.0, 2.0, size=8, **kw),
    "standard_normal": lambda r, **kw: r.standard_normal(8, **kw),
    "standard_exponential": lambda r, **kw: r.standard_exponential(8, **kw),
    "exponential": lambda r, **kw: r.exponential(3.0, size=8, **kw),
}


def _default_device(target):
    if target.name == "jax":
        import jax
        return jax.devices()[0]
    return target.info.default_device()


def _array_type(target):
    """The backend's own array class."""
    if target.name == "numpy":
        return np.ndarray
    if target.name == "jax":
        import jax
        return jax.Array
    if target.name == "torch":
        import torch
        return torch.Tensor
    return type(target.xp.asarray(0, device=target.device))


def _misplaced(outs: dict, device) -> dict:
    return {name: array_api_compat.device(x) for name, x in outs.items()
            if not isinstance(x, bytes) and array_api_compat.device(x) != device}


# --- D1 ----------------------------------------------------------------------
def test_d1_generator_device(target):
    rng = target.rng(0)
    assert rng.device == target.device
    calls = core_calls(rng, target.device, mutable=is_mutable(target))
    outs = {name: draw(rng) for name, draw in calls.items()}
    assert not _misplaced(outs, target.device)


def test_d1_explicit_device_from_a_default_device_generator(target):
    """Generator on the namespace's default device; every draw asks for ``target.device``."""
    rng = array_random.default_rng(target.xp, 0)
    assert rng.device == _default_device(target)
    calls = core_calls(rng, target.device, explicit_device=True, mutable=is_mutable(target))
    outs = {name: draw(rng) for name, draw in calls.items()}
    assert not _misplaced(outs, target.device)


def test_d1_default_device(target):
    """No device anywhere: the namespace's default device."""
    rng = array_random.default_rng(target.xp, 0)
    default = _default_device(target)
    calls = core_calls(rng, default, mutable=is_mutable(target))
    outs = {name: draw(rng) for name, draw in calls.items()}
    assert not _misplaced(outs, default)


def test_d1_device_from_an_array(target):
    """``default_rng(array)`` takes the array's namespace and device."""
    x = target.xp.asarray([1.0, 2.0], device=target.device)
    rng = array_random.default_rng(x, 0)
    assert rng.device == target.device
    assert not _misplaced({name: f(rng) for name, f in CONTINUOUS.items()}, target.device)


def test_d1_bytes_is_host_bytes(target):
    out = target.rng(0).bytes(13)
    assert type(out) is bytes and len(out) == 13


# --- D3: dtypes ------------------------------------------------------------------
def _dtype_errors(rng, device, explicit):
    kw = {"device": device} if explicit else {}
    defaults = rng.xp.__array_namespace_info__().default_dtypes(device=device)
    wrong = {}
    for name, f in CONTINUOUS.items():
        out = f(rng, **kw)
        if out.dtype != defaults["real floating"]:
            wrong[name] = (out.dtype, defaults["real floating"])
    for name, out in (("integers", rng.integers(0, 10, size=8, **kw)),
                      ("integers_endpoint", rng.integers(-4, 4, size=8, endpoint=True, **kw))):
        if out.dtype != defaults["integral"]:
            wrong[name] = (out.dtype, defaults["integral"])
    for name, out in (("permutation", rng.permutation(30, **kw)),
                      ("choice", rng.choice(1000, 8, **kw)),
                      ("choice_noreplace", rng.choice(1000, 8, replace=False, **kw)),
                      ("choice_p", rng.choice(3, 4, p=[0.2, 0.3, 0.5], **kw))):
        if out.dtype != defaults["indexing"]:
            wrong[name] = (out.dtype, defaults["indexing"])
    return wrong


def test_d3_default_dtypes_of_the_device(target):
    assert not _dtype_errors(target.rng(0), target.device, explicit=False)


def test_d3_default_dtypes_of_the_requested_device(target):
    """A generator on the default device drawing on ``target.device`` uses that device's defaults."""
    assert not _dtype_errors(array_random.default_rng(target.xp, 0), target.device, explicit=True)


def test_d3_explicit_float_dtypes(target):
    rng = target.rng(0)
    xp = rng.xp
    names = [n for n in ("float32", "float64") if target.supports(n)]
    assert "float32" in names
    for dtype_name in names:
        dtype = getattr(xp, dtype_name)
        for name, f in CONTINUOUS.items():
            out = f(rng, dtype=dtype)
            assert out.dtype == dtype, (name, dtype_name)
            assert array_api_compat.device(out) == target.device, (name, dtype_name)
        # arrays of parameters are cast to the requested dtype too
        loc = xp.asarray([0.0, 10.0], device=target.device)
        assert rng.normal(loc, 1.0, dtype=dtype).dtype == dtype


def test_d3_a_dtype_of_the_wrong_kind_raises(target):
    rng = target.rng(0)
    xp = rng.xp
    for name, f in CONTINUOUS.items():
        with pytest.raises(TypeError):
            f(rng, dtype=xp.int32)
    with pytest.raises(TypeError):
        rng.integers(0, 10, dtype=xp.float32)


def test_d3_explicit_integer_dtypes(target):
    rng = target.rng(0)
    xp = rng.xp
    for name, dtype in target.info.dtypes(device=target.device, kind="integral").items():
        lo, hi = int(xp.iinfo(dtype).min), int(xp.iinfo(dtype).max)
        out = rng.integers(lo, hi, size=200, dtype=dtype, endpoint=True)
        assert out.dtype == dtype and array_api_compat.device(out) == target.device, name
        values = to_numpy(out)
        assert values.min() >= lo and values.max() <= hi, name
        small = to_numpy(rng.integers(3, 9, size=200, dtype=dtype))
        assert small.min() >= 3 and small.max() <= 8, name


def _names_dtype_and_device(message, dtype_name, device):
    names_device = repr(device) in message or str(device) in message
    return dtype_name in message and names_device


@pytest.mark.parametrize("explicit", [False, True], ids=["generator-device", "device="])
def test_d3_missing_dtype_raises(target, explicit):
    """float64 (and int64) where the device lacks it: TypeError naming both, nothing drawn."""
    missing = [n for n in ("float64", "int64", "uint64") if not target.supports(n)]
    if not missing:
        pytest.skip(f"{target.label} has float64, int64 and uint64")
    if explicit:
        rng, kw = array_random.default_rng(target.xp, 0), {"device": target.device}
        reference = array_random.default_rng(target.xp, 0)
    else:
        rng, kw, reference = target.rng(0), {}, target.rng(0)
    xp = rng.xp
    for dtype_name in missing:
        dtype = getattr(xp, dtype_name)
        if dtype_name == "float64":
            attempts = {name: (lambda f=f: f(rng, dtype=dtype, **kw))
                        for name, f in CONTINUOUS.items()}
        else:
            attempts = {"integers": lambda: rng.integers(0, 10, size=3, dtype=dtype, **kw)}
        for name, attempt in attempts.items():
            with pytest.raises(TypeError) as info:
                attempt()
            assert _names_dtype_and_device(str(info.value), dtype_name, target.device), \
                f"{name}: {info.value}"
    # the refused calls drew nothing
    assert fingerprint(rng.random(4, **kw)) == fingerprint(reference.random(4, **kw))


# --- return types and shapes ----------------------------------------------------
def test_result_is_the_backends_array_type(target):
    rng = target.rng(0)
    kind = _array_type(target)
    calls = core_calls(rng, target.device, mutable=is_mutable(target))
    wrong = {name: type(out).__name__ for name, out in
             ((name, draw(rng)) for name, draw in calls.items())
             if not isinstance(out, bytes if name == "bytes" else kind)}
    assert not wrong


def test_size_none_gives_0d_arrays(target):
    rng = target.rng(0)
    kind = _array_type(target)
    outs = {name: f(rng) for name, f in {
        "random": lambda r: r.random(),
        "uniform": lambda r: r.uniform(-2.0, 3.0),
        "normal": lambda r: r.normal(1.0, 2.0),
        "standard_normal": lambda r: r.standard_normal(),
        "standard_exponential": lambda r: r.standard_exponential(),
        "exponential": lambda r: r.exponential(3.0),
        "integers": lambda r: r.integers(0, 10),
        "integers_endpoint": lambda r: r.integers(5, endpoint=True),
        "choice": lambda r: r.choice(5),
        "choice_p": lambda r: r.choice(3, p=[0.2, 0.3, 0.5]),
    }.items()}
    wrong = {name: (type(x).__name__, tuple(getattr(x, "shape", "?"))) for name, x in outs.items()
             if not isinstance(x, kind) or tuple(x.shape) != ()}
    assert not wrong


def test_shapes_follow_size_and_broadcasting(target):
    rng = target.rng(0)
    xp = rng.xp
    col = xp.asarray([[0.0], [5.0], [10.0]], device=target.device)
    assert tuple(rng.normal(col, 1.0).shape) == (3, 1)
    assert tuple(rng.uniform(col, 20.0, size=(3, 4)).shape) == (3, 4)
    assert tuple(rng.random((2, 3, 0)).shape) == (2, 3, 0)
    assert tuple(rng.integers(0, 5, size=(4, 2)).shape) == (4, 2)
    lows = xp.asarray([0, 10, 20], device=target.device)
    out = to_numpy(rng.integers(lows, lows + 5, size=(50, 3)))
    assert out.shape == (50, 3)
    assert np.all((out >= [0, 10, 20]) & (out < [5, 15, 25]))
    assert tuple(rng.choice(6, size=(2, 3)).shape) == (2, 3)


# --- the sampling methods' semantics ------------------------------------------------
def _matrix(target):
    xp = target.rng(0).xp
    return xp.reshape(xp.arange(24, device=target.device), (4, 6))


def test_permutation_and_permuted_rearrange_without_changing(target):
    rng = target.rng(3)
    m = _matrix(target)
    before = to_numpy(m).copy()
    perm = to_numpy(rng.permutation(50))
    assert sorted(perm.tolist()) == list(range(50))
    cols = to_numpy(rng.permutation(m, axis=1))     # whole columns move together
    order = [int(c) for c in cols[0]]
    assert sorted(order) == list(range(6)) and np.array_equal(cols, before[:, order])
    rows = to_numpy(rng.permutation(m))              # axis=0
    assert np.array_equal(np.sort(rows[:, 0]), before[:, 0])
    assert np.array_equal(rows, before[rows[:, 0] // 6])
    flat = to_numpy(rng.permuted(m))                 # axis=None: all entries mixed
    assert flat.shape == (4, 6) and sorted(flat.ravel().tolist()) == list(range(24))
    each = to_numpy(rng.permuted(m, axis=1))         # each row on its own
    assert np.array_equal(np.sort(each, axis=1), before)
    assert np.array_equal(to_numpy(m), before), "permutation/permuted changed their input"


def test_choice_of_an_array(target):
    rng = target.rng(4)
    m = _matrix(target)
    before = to_numpy(m)
    cols = to_numpy(rng.choice(m, 5, axis=1))
    assert cols.shape == (4, 5)
    assert all(any(np.array_equal(c, before[:, j]) for j in range(6)) for c in cols.T)
    rows = to_numpy(rng.choice(m, (2, 2), replace=False))
    assert rows.shape == (2, 2, 6)
    starts = rows[..., 0].ravel()
    assert len(set(starts.tolist())) == 4 and np.array_equal(rows.reshape(4, 6),
                                                              before[starts // 6])
    one = rng.choice(m[0, :])
    assert tuple(one.shape) == () and 0 <= int(one) < 6
    picked = to_numpy(rng.choice(8, 8, replace=False, p=[0.1] * 4 + [0.15] * 4))
    assert sorted(picked.tolist()) == list(range(8))
    never = to_numpy(rng.choice(4, 200, p=[0.5, 0.0, 0.5, 0.0]))
    assert set(never.tolist()) <= {0, 2}


def test_shuffle_in_place(target):
    rng = target.rng(5)
    xp = rng.xp
    x = xp.asarray(_matrix(target), copy=True)
    before = to_numpy(x).copy()
    if not is_mutable(target):
        with pytest.raises(TypeError, match="permut"):
            rng.shuffle(x)
        assert np.array_equal(to_numpy(x), before)
        return
    same_object = x
    assert rng.shuffle(x, axis=1) is None
    assert x is same_object
    after = to_numpy(x)
    order = [int(c) for c in after[0]]
    assert sorted(order) == list(range(6)) and np.array_equal(after, before[:, order])
    v = xp.arange(40, device=target.device)
    rng.shuffle(v)
    shuffled = to_numpy(v)
    assert sorted(shuffled.tolist()) == list(range(40))
    assert shuffled.tolist() != list(range(40))
    assert array_api_compat.device(v) == target.device
