"""Goodness of fit (K7) of the core methods against scipy.stats, on every target.

Kolmogorov-Smirnov for the continuous draws (float32 and float64 where the
device has them), chi-square for everything discrete, all through
``conformance.stats`` at its ALPHA, at fixed seeds. Methods that give one
sample per call (permutations of 4, choice without replacement) are called
``CALLS`` times; the vectorised ones draw 20000 to 60000 values at once.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from conformance.stats import assert_fits_continuous, assert_fits_discrete
from conformance.targets import to_numpy

N = 50_000
CALLS = 300  # per-call samples: 12.5 expected in each of the 24 orderings of 4

CONTINUOUS = {
    "random": (lambda r, n, dt: r.random(n, dtype=dt), stats.uniform(), (0.0, 1.0)),
    "uniform": (lambda r, n, dt: r.uniform(-2.0, 3.0, size=n, dtype=dt), stats.uniform(-2, 5),
                (-2.0, 3.0)),
    "normal": (lambda r, n, dt: r.normal(1.0, 2.0, size=n, dtype=dt), stats.norm(1, 2), None),
    "standard_normal": (lambda r, n, dt: r.standard_normal(n, dtype=dt), stats.norm(), None),
    "standard_exponential": (lambda r, n, dt: r.standard_exponential(n, dtype=dt),
                             stats.expon(), (0.0, math.inf)),
    "exponential": (lambda r, n, dt: r.exponential(3.0, size=n, dtype=dt), stats.expon(scale=3),
                    (0.0, math.inf)),
}


def _floats(target):
    return [name for name in ("float32", "float64") if target.supports(name)]


@pytest.mark.parametrize("method", list(CONTINUOUS))
def test_continuous_fit(target, method):
    draw, dist, bounds = CONTINUOUS[method]
    for seed, dtype_name in enumerate(_floats(target)):
        rng = target.rng(1000 + seed)
        dtype = getattr(rng.xp, dtype_name)
        out = draw(rng, N, dtype)
        assert out.dtype == dtype
        x = to_numpy(out)
        label = f"{target.label} {method} {dtype_name}"
        if bounds is not None:  # half-open [low, high)
            assert x.min() >= bounds[0] and x.max() < bounds[1], label
        assert_fits_continuous(x, dist, label=label)


def _uniform_pmf(low, high):
    """pmf of the integers low..high-1, each equally likely."""
    return lambda k: np.where((k >= low) & (k < high), 1.0 / (high - low), 0.0)


def _fits_uniform_ints(x, low, high, label, *, of=None):
    """``x`` uniform on [low, high); ``of=N``: ``x`` is a slice of N items without replacement."""
    x = np.asarray(x).ravel()
    assert x.min() >= low and x.max() < high, f"{label}: values outside [{low}, {high})"
    factor = 1.0 if of is None else (of - x.size) / (of - 1)
    assert_fits_discrete(x, _uniform_pmf(low, high), np.arange(low, high), label=label,
                         variance_factor=factor)


@pytest.mark.parametrize("low, high, endpoint", [
    (0, 6, False),      # a range that is not a power of two
    (0, 8, False),      # one that is
    (-3, 5, False),     # negative low
    (-7, 3, False),
    (-2, 4, True),      # endpoint: 7 values
    (0, 1, False),      # a single value
])
def test_integers_small_ranges(target, low, high, endpoint):
    rng = target.rng(2000 + high - low)
    x = to_numpy(rng.integers(low, high, size=N, endpoint=endpoint))
    _fits_uniform_ints(x, low, high + endpoint, f"{target.label} integers({low}, {high})")


def test_integers_array_bounds(target):
    rng = target.rng(2100)
    xp = rng.xp
    lows, highs = [0, -5, 10, -1], [3, 2, 17, 0]
    low = xp.asarray(lows, device=target.device)
    high = xp.asarray(highs, device=target.device)
    x = to_numpy(rng.integers(low, high, size=(20_000, 4), endpoint=True))
    for j in range(4):
        _fits_uniform_ints(x[:, j], lows[j], highs[j] + 1, f"{target.label} column {j}")
    # broadcasting a column of lows against a scalar high
    col = xp.asarray([[0], [100]], device=target.device)
    y = to_numpy(rng.integers(col, 106, size=(2, 12_000)))
    _fits_uniform_ints(y[0], 0, 106, f"{target.label} broadcast row 0")
    _fits_uniform_ints(y[1], 100, 106, f"{target.label} broadcast row 1")


def test_integers_large_span(target):
    """A span of 3 * 2**29: most words are rejected at the top; thirds and low bits uniform."""
    rng = target.rng(2200)
    x = to_numpy(rng.integers(0, 3 * 2**29, size=N)).astype(np.int64)
    label = f"{target.label} integers(0, 3 * 2**29)"
    assert x.min() >= 0 and x.max() < 3 * 2**29, label
    _fits_uniform_ints(x >> 29, 0, 3, label + " top")
    _fits_uniform_ints(x & 255, 0, 256, label + " low byte")


@pytest.mark.parametrize("dtype_name", ["int8", "uint8", "int16", "int32", "uint32", "int64",
                                        "uint64"])
def test_integers_full_range(target, dtype_name):
    """Every value of the dtype: the top and bottom bytes are each uniform over 256."""
    if not target.supports(dtype_name):
        pytest.skip(f"{target.label} has no {dtype_name}")
    rng = target.rng(2300)
    xp = rng.xp
    dtype = getattr(xp, dtype_name)
    info = xp.iinfo(dtype)
    lo, hi = int(info.min), int(info.max)
    x = to_numpy(rng.integers(lo, hi, size=N, dtype=dtype, endpoint=True))
    assert x.dtype == np.dtype(dtype_name)
    bits = info.bits
    words = x.view(np.dtype(f"uint{bits}")).astype(np.uint64)
    label = f"{target.label} {dtype_name} full range"
    _fits_uniform_ints((words >> np.uint64(bits - 8)).astype(np.int64), 0, 256, label + " top")
    _fits_uniform_ints((words & np.uint64(255)).astype(np.int64), 0, 256, label + " bottom")
    # the same range written as a half-open interval [min, max + 1)
    y = to_numpy(rng.integers(lo, hi + 1, size=N, dtype=dtype))
    top = (y.view(np.dtype(f"uint{bits}")).astype(np.uint64) >> np.uint64(bits - 8))
    _fits_uniform_ints(top.astype(np.int64), 0, 256, label + " half-open, top")


def test_choice_uniform(target):
    rng = target.rng(3000)
    _fits_uniform_ints(to_numpy(rng.choice(7, N)), 0, 7, f"{target.label} choice(7)")


@pytest.mark.parametrize("p", [[0.1, 0.2, 0.3, 0.25, 0.15], [0.3, 0.0, 0.7, 0.0],
                               [0.01] * 50 + [0.5]])
def test_choice_with_p(target, p):
    rng = target.rng(3100 + len(p))
    probs = np.asarray(p) / np.sum(p)
    x = to_numpy(rng.choice(len(p), N, p=p))
    label = f"{target.label} choice(p={p[:5]})"
    assert x.min() >= 0 and x.max() < len(p), label
    zero = np.flatnonzero(probs == 0)
    assert not np.isin(x, zero).any(), f"{label}: drew an entry of probability 0"
    assert_fits_discrete(x, lambda k: probs[k], np.arange(len(p)), label=label)


def test_choice_with_p_of_an_array(target):
    rng = target.rng(3200)
    xp = rng.xp
    a = xp.asarray([10, 20, 30], device=target.device)
    p = xp.asarray([0.5, 0.25, 0.25], device=target.device)
    x = to_numpy(rng.choice(a, N, p=p))
    assert_fits_discrete(x // 10 - 1, lambda k: np.array([0.5, 0.25, 0.25])[k], np.arange(3),
                         label=f"{target.label} choice(array, p)")


def _ordered_pairs(samples):
    return np.asarray(samples)[:, 0] * 4 + np.asarray(samples)[:, 1]


def test_choice_without_replacement_uniform(target):
    """choice(4, 2, replace=False): the 12 ordered pairs are equally likely."""
    rng = target.rng(3300)
    s = np.stack([to_numpy(rng.choice(4, 2, replace=False)) for _ in range(CALLS)])
    assert np.all(s[:, 0] != s[:, 1])
    pairs = [i * 4 + j for i in range(4) for j in range(4) if i != j]
    assert_fits_discrete(_ordered_pairs(s), lambda k: np.where(np.isin(k, pairs), 1 / 12, 0.0),
                         np.arange(16), label=f"{target.label} choice(4, 2, replace=False)")


def test_choice_without_replacement_with_p(target):
    """choice(4, 2, replace=False, p): successive draws, each in proportion to what is left.

    P(first = i) = p_i; P(first = i, second = j) = p_i p_j / (1 - p_i); the
    unordered set {i, j} has the sum of its two orders.
    """
    p = np.array([0.1, 0.2, 0.3, 0.4])
    rng = target.rng(3400)
    s = np.stack([to_numpy(rng.choice(4, 2, replace=False, p=p.tolist())) for _ in range(CALLS)])
    label = f"{target.label} choice(4, 2, replace=False, p)"
    assert np.all(s[:, 0] != s[:, 1]), label
    assert_fits_discrete(s[:, 0], lambda k: p[k], np.arange(4), label=label + " first")
    ordered = np.zeros(16)
    for i, j in itertools.permutations(range(4), 2):
        ordered[i * 4 + j] = p[i] * p[j] / (1 - p[i])
    assert_fits_discrete(_ordered_pairs(s), lambda k: ordered[k], np.arange(16),
                         label=label + " ordered pairs")
    sets = np.minimum(s[:, 0], s[:, 1]) * 4 + np.maximum(s[:, 0], s[:, 1])
    unordered = np.zeros(16)
    for i, j in itertools.combinations(range(4), 2):
        unordered[i * 4 + j] = ordered[i * 4 + j] + ordered[j * 4 + i]
    assert_fits_discrete(sets, lambda k: unordered[k], np.arange(16), label=label + " sets")


def test_choice_without_replacement_with_p_large(target):
    """One draw of 3 from 30 weighted entries, many times: the first one follows p."""
    p = np.arange(1, 31) / np.arange(1, 31).sum()
    rng = target.rng(3500)
    first = [int(to_numpy(rng.choice(30, 3, replace=False, p=p.tolist()))[0])
             for _ in range(CALLS)]
    assert_fits_discrete(first, lambda k: p[k], np.arange(30),
                         label=f"{target.label} choice(30, 3, replace=False, p) first")


_PERMS = {perm: i for i, perm in enumerate(itertools.permutations(range(4)))}


def _perm_codes(rows):
    return np.array([_PERMS[tuple(int(v) for v in row)] for row in np.asarray(rows)])


def _fits_24(rows, label):
    assert_fits_discrete(_perm_codes(rows), lambda k: np.full(k.shape, 1 / 24), np.arange(24),
                         label=label)


def test_permuted_rows_uniform(target):
    """24000 independent shuffles of 4 elements in one call: all 24 orders equally likely."""
    rng = target.rng(4000)
    xp = rng.xp
    x = xp.broadcast_to(xp.arange(4, device=target.device), (24_000, 4))
    _fits_24(to_numpy(rng.permuted(x, axis=1)), f"{target.label} permuted(axis=1)")


def test_permuted_rows_positions(target):
    """Rows of 50: where element 0 lands, and what lands last, are uniform."""
    rng = target.rng(4100)
    xp = rng.xp
    x = xp.broadcast_to(xp.arange(50, device=target.device), (20_000, 50))
    y = to_numpy(rng.permuted(x, axis=1))
    assert np.array_equal(np.sort(y, axis=1), np.broadcast_to(np.arange(50), y.shape))
    _fits_uniform_ints(np.argmax(y == 0, axis=1), 0, 50, f"{target.label} position of 0")
    _fits_uniform_ints(y[:, -1], 0, 50, f"{target.label} last entry")


def test_permutation_uniform(target):
    """permutation(4), one call per sample: all 24 orders equally likely."""
    rng = target.rng(4200)
    _fits_24([to_numpy(rng.permutation(4)) for _ in range(CALLS)],
             f"{target.label} permutation(4)")


def test_permutation_large_positions(target):
    """permutation(20000): the first entries, a sample of positions, are uniform."""
    rng = target.rng(4300)
    y = to_numpy(rng.permutation(20_000))
    assert np.array_equal(np.sort(y), np.arange(20_000))
    _fits_uniform_ints(y[:10_000] % 100, 0, 100, f"{target.label} permutation(20000) mod 100",
                       of=20_000)


def test_shuffle_uniform(target):
    """shuffle of 4 elements in place, one call per sample (immutable arrays: permutation)."""
    rng = target.rng(4400)
    xp = rng.xp
    rows = []
    for _ in range(CALLS):
        x = xp.asarray([0, 1, 2, 3], device=target.device)
        if target.name in ("jax", "dask"):
            x = rng.permutation(x)  # shuffle raises there (test_devices checks that)
        else:
            rng.shuffle(x)
        rows.append(to_numpy(x))
    _fits_24(rows, f"{target.label} shuffle")


def test_permuted_flat_positions(target):
    """permuted(axis=None) of a 100 x 200 array mixes all entries: any slice is uniform."""
    rng = target.rng(4500)
    xp = rng.xp
    x = xp.reshape(xp.arange(20_000, device=target.device), (100, 200))
    y = to_numpy(rng.permuted(x))
    assert y.shape == (100, 200) and np.array_equal(np.sort(y, axis=None), np.arange(20_000))
    _fits_uniform_ints(y[:50] % 100, 0, 100, f"{target.label} permuted(axis=None) rows mod 100",
                       of=20_000)
    _fits_uniform_ints(y[:, :100] // 200, 0, 100,
                       f"{target.label} permuted(axis=None) original rows", of=20_000)
