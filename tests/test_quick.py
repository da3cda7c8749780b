"""Every method's generated quick path (``_methods/_quick.py``) is only a shortcut.

For each method with a quick path, over a grid of edge values of its scalar
parameters and sizes, the generated function and the door it wraps, on two
generators of the same seed, give the same draws (values, dtype, shape) and
the same exceptions (class and message). A ``when`` that accepted a value the
door refuses or changes fails here; so does a draw the door makes in another
way, as the two streams would part.
"""
from __future__ import annotations

import inspect
import itertools
import math

import numpy as np
import pytest

import array_random
from array_random import Generator

QUICK = sorted(name for name, f in vars(Generator).items()
               if callable(f) and hasattr(f, "quick_source"))
for _cls in Generator.__mro__:
    QUICK += sorted(name for name, f in vars(_cls).items()
                    if hasattr(f, "quick_source") and name not in QUICK)
del _cls

FLOATS = [0.0, -0.0, 0.5, 1.0, 2.0, -1.5, 1 - 2**-53, 1 + 2**-52, 1e-300, 5e-324, 1.7e308,
          math.inf, -math.inf, math.nan]
INTS = [0, 1, 3, 7, -2, 10**9 - 1, 10**9, 2**53 - 1, 2**53, 2**62, 2**63 - 1, 2**63, -2**63,
        True]
SIZES = [None, 3, (2,), (2, 2), (), (0,), 0, -1, (2, -1), 2.0, (2.0,), [2], np.int64(2), True]


def _scalar_params(method):
    sig = inspect.signature(getattr(Generator, method))
    names = []
    for p in list(sig.parameters.values())[1:]:
        if p.name in ("size", "dtype", "device", "out") or p.kind is p.KEYWORD_ONLY:
            break
        names.append(p.name)
    return names


def _outcome(call):
    try:
        out = call()
    except Exception as exc:  # the class and message are compared
        return ("raised", type(exc), str(exc))
    return ("drew", str(out.dtype), tuple(out.shape), np.asarray(out).tolist())


def _same(a, b):
    if a[0] != b[0] or a[:3] != b[:3]:
        return False
    if a[0] == "raised":
        return True
    return np.array_equal(np.asarray(a[3], dtype=float), np.asarray(b[3], dtype=float),
                          equal_nan=True)


def _check(xp, method, grid, sizes, seed=0):
    fast = array_random.default_rng(xp, seed)
    slow = array_random.default_rng(xp, seed)
    door = getattr(type(slow), method).__wrapped__
    checked = 0
    for args in grid:
        for size in sizes:
            kw = {} if method == "permutation" else {"size": size}
            a = _outcome(lambda: getattr(fast, method)(*args, **kw))
            b = _outcome(lambda: door(slow, *args, **kw))
            assert _same(a, b), (method, args, size, a, b)
            checked += 1
    return checked


def _grid(method, values_per_param):
    names = _scalar_params(method)
    if not names:
        return [()]
    if method == "permutation":  # a huge n is a huge array on both paths
        values_per_param = [x for x in values_per_param if not abs(x) > 100]
    pools = [values_per_param] * len(names)
    return list(itertools.product(*pools))


def test_every_usual_method_has_a_quick_path():
    # the scalar-parameter methods, and the list-parameter ones (their lists
    # kept per generator); shuffle, permuted and bytes are the backends' own
    expected = {"dirichlet", "multinomial", "multivariate_normal", "multivariate_hypergeometric",
                "random", "standard_normal", "normal", "uniform", "integers", "exponential",
                "choice", "permutation", "standard_exponential", "standard_gamma", "gamma",
                "beta", "chisquare", "f", "standard_t", "noncentral_chisquare",
                "noncentral_f", "gumbel", "laplace", "logistic", "lognormal", "pareto",
                "power", "weibull", "rayleigh", "standard_cauchy", "triangular", "vonmises",
                "wald", "poisson", "binomial", "geometric", "negative_binomial",
                "hypergeometric", "logseries", "zipf"}
    assert expected <= set(QUICK)


@pytest.mark.parametrize("method", QUICK)
def test_numpy_quick_path_is_the_door(method):
    n = len(_scalar_params(method))
    values = FLOATS + INTS if n <= 2 else [0.0, -0.0, 0.5, 2.0, -1.0, math.nan, math.inf,
                                            0, 1, 3, 10**9, 2**63]
    checked = _check(np, method, _grid(method, values), [3])
    checked += _check(np, method, _grid(method, [0.5, 3, 1.0])[:4], SIZES)
    assert checked > 10


@pytest.mark.parametrize("method", QUICK)
def test_torch_quick_path_is_the_door(method):
    torch = pytest.importorskip("torch")
    n = len(_scalar_params(method))
    values = FLOATS + INTS if n <= 1 else [0.0, -0.0, 0.5, 2.0, -1.0, math.nan, math.inf,
                                            0, 1, 3, 2**53, 2**63]
    if n == 3:
        values = [0.0, -0.0, 0.5, 2.0, -1.0, math.nan, 0, 3, 10**9]
    _check(torch, method, _grid(method, values), [3])
    _check(torch, method, _grid(method, [0.5, 3, 1.0])[:2], SIZES)


@pytest.mark.parametrize("xp_name", ["jax.numpy", "array_api_strict"])
def test_other_backends_quick_path_is_the_door(xp_name):
    # JAX: float32 and int32 by default (no x64), so the dtype facts of the
    # quick paths (int32's bounds, its Poisson limit) are other ones. Each new
    # draw shape and parameter type is a compilation: one shape, floats for
    # float parameters and ints for counts
    xp = pytest.importorskip(xp_name)
    floats = [0.0, -0.0, 0.5, 3.0, math.nan, -1.0, 2.0**31, 1e300]
    ints = [0, 1, 3, -1, 2**31 - 1, 2**31, 10**9, 2**62]
    for method in QUICK:
        kinds = getattr(Generator, method).quick_kinds
        pools = [ints if kinds.get(name, "count") == "count" else floats
                 for name in _scalar_params(method)]
        if method == "permutation":
            pools = [[x for x in ints if abs(x) < 100]]
        grid = list(itertools.product(*pools))
        if len(grid) > 24:
            grid = grid[::len(grid) // 24 + 1]
        _check(xp, method, grid, [2])
    if xp_name != "jax.numpy":
        for method in QUICK:
            _check(xp, method, _grid(method, [0.5, 3])[:1], [None, (2,), (0,), -1, 2.0])


# --- the array-parameter methods: lists of Python numbers, kept per generator --------
NAN, INF = math.nan, math.inf
LIST_CASES = {
    "dirichlet": [
        ([0.5, 1.0, 2.0],), ([0.0, 1.0],), ([-0.0, 1.0],), ([1, 2, 3],), ((0.5, 2.0),), ([],),
        ([-1.0, 2.0],), ([NAN, 1.0],), ([INF, 1.0],), ([1e-300, 1.0],), ([5e-324, 2.0],),
        ([0.5 + 0j, 1.0],), ([True, 1.0],), ([[0.5, 1.0]],), ([2**53 + 1, 1.0],), ([1e300, 1.0],),
        (["0.5", 1.0],), ([np.float64(0.5), 1.0],),
    ],
    "multinomial": [
        (n, pvals) for n in (0, 5, -1, 2**63 - 1, 2**63, True, 5.0)
        for pvals in ([0.2, 0.3, 0.5], [1.0], [0.0, 1.0], [0.5, 0.6], [0.5, 0.6, -0.1],
                      [NAN, 0.5], [], [1, 0], [-0.0, 1.0], [0.2 + 0j, 0.8], (0.25, 0.75),
                      [[0.5, 0.5]])
    ],
    "multivariate_normal": [
        ([0.0, 1.0], [[1.0, 0.3], [0.3, 2.0]]), ([0.0], [[1.0]]), ([], []),
        ([0.0, 1.0], [[1.0, 3.0], [3.0, 2.0]]),  # not positive-semidefinite: a warning
        ([NAN, 0.0], [[1.0, 0.0], [0.0, 1.0]]), ([0.0, 1.0], [[1.0, NAN], [NAN, 1.0]]),
        ([0.0, 1.0], [[1.0, INF], [0.0, 1.0]]), ([0, 1], [[1, 0], [0, 1]]),
        ([0.0, 1.0, 2.0], [[1.0, 0.0], [0.0, 1.0]]), ([0.0, 1.0], [[1.0, 0.0], [0.0]]),
        ([0.0, 1.0], [[1.0, 0.0], [0.0, 1.0 + 0j]]), ([0.0, 1.0], ((1.0, 0.0), (0.0, 1.0))),
        ([0.0, 1.0], [[1.0, 0.0], [1e-9, 1.0]]), ([[0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]),
        ([-0.0, 1.0], [[1.0, -0.0], [-0.0, 1.0]]), ([0.0, 1.0], [[1.0, -0.0], [-0.0, 1.0]]),
    ],
    "multivariate_hypergeometric": [
        (colors, nsample) for colors in ([5, 4, 3], [0, 0], [], [5, -1], [2**63, 1],
                                         [2**62, 2**62], [10**9, 1], [5.0, 3], [True, 2],
                                         (2, 2))
        for nsample in (0, 3, 12, 13, -1, 2**63, 3.0)
    ],
}
LIST_KEYWORDS = {"multivariate_normal": [{}, {"check_valid": "raise"}, {"check_valid": "ignore"},
                                         {"tol": 0.5}, {"method": "cholesky"}],
                 # method="count" (the door's, never the quick path's) only with the first
                 # colours: it permutes all sum(colors) items, 10**9 of them in [10**9, 1]
                 "multivariate_hypergeometric": [{}]}
LIST_SIZES = [None, 3, (2,), (2, 2), (0,), -1, 2.0]


def _list_outcome(call):
    import warnings

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        out = _outcome(call)
    return out + (sorted(str(w.message) for w in seen),)


def _check_lists(xp, method, cases, keywords, sizes, seed=0):
    fast = array_random.default_rng(xp, seed)
    slow = array_random.default_rng(xp, seed)
    door = getattr(type(slow), method).__wrapped__
    for args in cases:
        for kw in keywords:
            for size in sizes:
                for _ in range(2):  # the first call prepares the lists, the second finds them
                    a = _list_outcome(lambda: getattr(fast, method)(*args, size=size, **kw))
                    b = _list_outcome(lambda: door(slow, *args, size=size, **kw))
                    assert _same(a[:-1], b[:-1]) and a[-1] == b[-1], (method, args, kw, size,
                                                                      a, b)


@pytest.mark.parametrize("method", sorted(LIST_CASES))
@pytest.mark.parametrize("lib", ["numpy", "torch"])
def test_list_quick_path_is_the_door(lib, method):
    xp = pytest.importorskip(lib)
    _check_lists(xp, method, LIST_CASES[method], LIST_KEYWORDS.get(method, [{}]),
                 LIST_SIZES if lib == "numpy" else [None, (2, 2), -1])


@pytest.mark.parametrize("lib", ["numpy", "torch"])
def test_list_quick_path_leaves_other_methods_to_the_door(lib):
    xp = pytest.importorskip(lib)
    _check_lists(xp, "multivariate_hypergeometric", LIST_CASES["multivariate_hypergeometric"][:7],
                 [{"method": "count"}, {"method": "other"}], [None, 2])


@pytest.mark.parametrize("xp_name", ["jax.numpy", "array_api_strict"])
def test_other_backends_list_quick_path_is_the_door(xp_name):
    xp = pytest.importorskip(xp_name)
    for method, cases in LIST_CASES.items():
        _check_lists(xp, method, cases[::3], [{}], [2])


def test_list_quick_path_keeps_values_not_objects():
    rng = array_random.default_rng(np, 4)
    twin = array_random.default_rng(np, 4)
    alpha = [0.5, 1.0, 2.0]
    out = rng.dirichlet(alpha, 2)
    out[...] = -1.0  # the caller owns the result: nothing kept is written through it
    alpha[0] = 5.0   # a list changed in place is a new key, not the kept entry
    door = type(rng).dirichlet.__wrapped__
    door(twin, [0.5, 1.0, 2.0], 2)
    assert np.array_equal(rng.dirichlet(alpha, 2), door(twin, [5.0, 1.0, 2.0], 2))
    cov = [[1.0, 0.0], [0.0, 1.0]]
    rng.multivariate_normal([0.0, 0.0], cov)
    cov[1][1] = NAN  # an inner list too
    with pytest.raises(np.linalg.LinAlgError):
        rng.multivariate_normal([0.0, 0.0], cov)


def test_echo_finds_the_same_objects_only():
    from array_random._methods._quick import ECHO_ITEMS

    rng = array_random.default_rng(np, 6)
    twin = array_random.default_rng(np, 6)
    door = type(rng).multivariate_normal.__wrapped__
    mean, cov = [0.0, 1.0], [[1.0, 0.25], [0.25, 2.0]]
    rng.multivariate_normal(mean, cov, 2)
    door(twin, mean, cov, 2)
    memo = rng._plans["multivariate_normal"][-1]
    echo = memo.echo  # the kept lists' echo (the memo's may change below; this one does not)
    kept = echo(mean, cov)
    assert kept is not None and kept is memo[next(iter(memo))][0]
    # new lists of the same objects (a literal of the same constants) echo too
    assert echo(list(mean), [list(cov[0]), list(cov[1])]) is kept
    one = 1.0 + 0.0 * len(mean)  # a float equal to mean[1], but another object
    assert one == mean[1] and one is not mean[1]
    for other_mean, other_cov in [
            ([0.0, one], cov), ([0.0, True], cov), ([0.0, 1], cov), ([0.0, 1.0 + 0j], cov),
            ([0.0, np.float64(1.0)], cov), ([-0.0, 1.0], cov), (tuple(mean), cov),
            (mean + [2.0], cov), (mean[:1], cov), (mean, cov[:1]), (mean, [cov[0], tuple(cov[1])]),
            (mean, [cov[0], cov[1] + [0.0]]), (mean, cov + [cov[1]]),
            (mean, [cov[0], [0.25, 2]])]:
        assert echo(other_mean, other_cov) is None, (other_mean, other_cov)
        # ... and the call is the door's (a draw, or its exception)
        assert _same(_outcome(lambda: rng.multivariate_normal(other_mean, other_cov, 2)),
                     _outcome(lambda: door(twin, other_mean, other_cov, 2))), other_mean
    # changed in place: the lists no longer echo, and draw their new values
    rng, twin = array_random.default_rng(np, 9), array_random.default_rng(np, 9)
    rng.multivariate_normal(mean, cov)
    door(twin, mean, cov)
    memo = rng._plans["multivariate_normal"][-1]
    kept = memo.echo(mean, cov)
    assert kept is not None
    cov[0][1] = cov[1][0] = 0.5
    assert _echo_of(memo, mean, cov) is None
    assert np.array_equal(rng.multivariate_normal(mean, cov, 2), door(twin, mean, cov, 2))
    now = memo.echo(mean, cov)
    assert now is not None and now is not kept  # the new values, kept last
    # too many numbers: no echo, the key alone
    alpha = [1.0 + i for i in range(ECHO_ITEMS + 1)]
    rng.dirichlet(alpha)
    assert rng._plans["dirichlet"][-1].echo is None


def test_echo_is_tried_after_new_lists_and_now_and_then_after_found_ones():
    # each entry's echo is made when it is kept, of those lists, and tried
    # first; after lists found by their key (the same values in other
    # objects, or two parameter sets in turn) none is tried, so that such
    # calls do not pay for an echo that misses, but every ECHO_RETRY-th of
    # them tries the echo of the entry it found
    from array_random._methods._quick import ECHO_RETRY

    rng = array_random.default_rng(np, 7)
    twin = array_random.default_rng(np, 7)
    door = type(rng).dirichlet.__wrapped__

    def draw(lists):
        assert np.array_equal(rng.dirichlet(lists, 2), door(twin, lists, 2))

    a, b, c = [0.5, 1.0, 2.0], [1.5, 1.0, 2.0], [2.5, 1.0, 2.0]
    draw(a)
    memo = rng._plans["dirichlet"][-1]
    assert _echo_of(memo, a) is memo[next(iter(memo))][0]
    draw(a)
    assert _echo_of(memo, a) is not None  # found by its echo: still tried
    draw(b)
    assert _echo_of(memo, a) is None and _echo_of(memo, b) is not None
    same_values = [float(x) for x in ("0.5", "1.0", "2.0")]  # a's values, new objects
    for i in range(1, ECHO_RETRY):  # found by their key
        draw((same_values, a, b)[i % 3])
        assert memo.echo is None and memo.wait == ECHO_RETRY - i, i
    draw(b)  # the ECHO_RETRY-th: b's entry's echo is tried next
    assert _echo_of(memo, b) is not None and memo.wait == ECHO_RETRY
    draw(b)  # ... and finds b
    assert _echo_of(memo, b) is not None and memo.wait == ECHO_RETRY
    draw(same_values)  # it misses: none again
    assert memo.echo is None and memo.wait == ECHO_RETRY - 1
    draw(c)  # new lists: their echo
    assert _echo_of(memo, c) is not None and len(memo) == 3


def _echo_of(memo, *lists):
    """What the quick path's echo gives for ``lists`` (None: none, or no echo to try)."""
    return None if memo.echo is None else memo.echo(*lists)


def test_echo_is_only_made_for_what_is_kept():
    rng = array_random.default_rng(np, 8)
    for refused in ([0.5, -1.0], [0.5, True], [0.5, math.nan]):
        _outcome(lambda: rng.dirichlet(refused))
        memo = rng._plans["dirichlet"][-1]
        assert len(memo) == 0 and _echo_of(memo, refused) is None


def test_list_keys_tell_apart_what_converts_apart():
    import marshal

    from array_random._methods._quick import _plain_floats, _plain_ints, _plain_matrix

    # what may be kept: exact Python floats and ints (tested once per new key)
    assert _plain_floats([0.5, 1, 2.0]) and _plain_floats((0.5,)) and _plain_floats([])
    for other in ([-0.0, 1.0], [0.5 + 0j, 1.0], [True, 1.0], [np.float32(0.5)], "ab", [[0.5]],
                  np.ones(2), [None]):
        assert not _plain_floats(other), other
    assert _plain_ints([5, 4]) and not _plain_ints([5.0, 4]) and not _plain_ints([True, 2])
    assert _plain_matrix([[1.0, 0], (0.5, 2.0)])
    for other in ([[1.0, -0.0]], [{1.0, 2.0}], [np.ones(2)], [[1.0, 0j]], [1.0, 2.0]):
        assert not _plain_matrix(other), other

    # the key: values equal to a kept list's, but another array, have other bytes
    def key(x):
        return marshal.dumps(x, 2)
    kept = key([0.5, 1, 0.0])
    for other in ([0.5, 1.0, 0.0], [0.5, True, 0.0], [0.5 + 0j, 1, 0.0], [0.5, 1, -0.0],
                  (0.5, 1, 0.0), [[0.5], 1, 0.0]):
        assert key(other) != kept, other
    # a NumPy scalar is written as its raw bytes (a float64 and an int64 can
    # share them); such a list is never kept, so no key of one is ever found
    assert key([np.float64(0.5)]) != key([0.5]) and not _plain_floats([np.float64(0.5)])
    with pytest.raises(ValueError):  # a subclass: refused, the door's
        key([type("F", (float,), {})(0.5)])


def test_list_quick_path_sends_what_it_cannot_keep_to_the_door():
    import marshal

    rng = array_random.default_rng(np, 3)
    twin = array_random.default_rng(np, 3)
    door = type(rng).dirichlet.__wrapped__
    for alpha in ([0.5, True], [np.float64(0.5), 1.0], (0.5, 2), [1.0, -0.0 + 1.0],
                  [0.5, -0.0], [0.5, True], (0.5, 2)):
        assert np.array_equal(rng.dirichlet(alpha, 3), door(twin, alpha, 3)), alpha
    # a list with a bool, a NumPy scalar or -0.0 is never kept
    kept = set(rng._plans["dirichlet"][-1])
    assert kept == {marshal.dumps((0.5, 2), 2), marshal.dumps([1.0, 1.0], 2)}


def test_list_quick_path_memo_is_bounded():
    from array_random._methods._quick import MEMO_SIZE

    rng = array_random.default_rng(np, 1)
    for i in range(3 * MEMO_SIZE):
        rng.dirichlet([1.0, 1.0 + i])
    memo = rng._plans["dirichlet"][-1]
    assert 0 < len(memo) <= MEMO_SIZE


def test_list_quick_path_keeps_no_long_list():
    from array_random._methods._quick import MEMO_KEY_BYTES

    rng = array_random.default_rng(np, 2)
    twin = array_random.default_rng(np, 2)
    door = type(rng).dirichlet.__wrapped__
    alpha = [1.0 + i % 7 for i in range(MEMO_KEY_BYTES // 9 + 1)]  # 9 bytes a float
    for _ in range(2):
        assert np.array_equal(rng.dirichlet(alpha, 2), door(twin, alpha, 2))
    assert len(rng._plans["dirichlet"][-1]) == 0  # converted each time, as the door does
    rng.dirichlet(alpha[:100])
    assert len(rng._plans["dirichlet"][-1]) == 1


def test_warning_points_at_the_caller():
    rng = array_random.default_rng(np, 1)
    with pytest.warns(RuntimeWarning, match="positive-semidefinite") as seen:
        rng.multivariate_normal([0.0, 0.0], [[1.0, 3.0], [3.0, 1.0]])
    assert seen[0].filename == __file__


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64])
def test_logseries_threshold_only_accepts_what_the_door_accepts(dtype):
    from array_random._methods.discrete import (_OVERFLOW_CHANCE, _logseries_p_safe,
                                                _logseries_tail)

    rng = array_random.default_rng(np, 0)
    dtype = np.dtype(dtype)
    top = rng._int_range(dtype)[1]
    p_safe = _logseries_p_safe(rng, dtype)
    below = [p_safe * (1 - 2.0**-k) for k in range(1, 40)] + [p_safe]
    assert all(_logseries_tail(p, top) <= _OVERFLOW_CHANCE for p in below)
    # the usual p of a narrow dtype is on the quick side too
    assert p_safe > 0.85
