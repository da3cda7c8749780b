"""The per-call fast paths keep the slow paths' answers and errors.

What is cached per generator (the (kind, dtype) -> (device, dtype) answers,
the array types of the namespace) must never cache a refusal or let another
library's array through; torch's inversion tables (Poisson, binomial,
geometric, negative binomial, logseries, hypergeometric) must be the exact cdf.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import array_random


def _pooled_chisquare(observed, expected) -> float:
    """The chi-square p-value, the cells expecting fewer than 5 pooled into one (dropped
    where it expects nothing), the expected counts scaled to the observed total."""
    observed, expected = np.asarray(observed, dtype=float), np.asarray(expected, dtype=float)
    keep = expected >= 5
    obs = np.append(observed[keep], observed[~keep].sum())
    exp = np.append(expected[keep], expected[~keep].sum())
    if exp[-1] == 0:
        obs, exp = obs[:-1], exp[:-1]
    return stats.chisquare(obs, exp * obs.sum() / exp.sum()).pvalue


def test_bad_dtype_raises_every_time():
    rng = array_random.default_rng(np, 0)
    for _ in range(2):  # a refusal is not cached as an answer
        with pytest.raises(TypeError):
            rng.random(3, dtype=np.int32)
        with pytest.raises(TypeError):
            rng.poisson(3.0, dtype=np.float32)
    assert rng.random(3, dtype=np.float32).dtype == np.float32
    assert rng.random(3).dtype == np.float64  # the default is not the last explicit one
    assert rng.poisson(3.0, 2, dtype=np.int8).dtype == np.int8
    assert rng.poisson(3.0, 2).dtype == np.int64


def test_a_foreign_array_is_refused_after_an_own_one():
    torch = pytest.importorskip("torch")
    rng = array_random.default_rng(np, 0)
    x = np.arange(5.0)
    rng.shuffle(x)  # numpy's array type is now known to be this namespace's
    with pytest.raises(TypeError):
        rng.shuffle(torch.arange(5.0))
    with pytest.raises(TypeError):
        rng.permutation([1, 2, 3])


def test_scalar_sizes_and_params_take_the_same_path_as_arrays():
    a, b = array_random.default_rng(np, 3), array_random.default_rng(np, 3)
    assert np.array_equal(a.normal(0.5, 2.0, 4), b.normal(np.asarray(0.5), 2.0, (4,)))
    assert a.normal(0.5, 2.0).shape == () and b.normal(0.5, 2.0, ()).shape == ()
    with pytest.raises(ValueError):
        a.normal(0.0, 1.0, -1)


@pytest.mark.parametrize("lam", [0.0, 1e-3, 0.7, 3.0, 9.99])
def test_torch_poisson_table_is_the_cdf(lam):
    pytest.importorskip("torch")
    from array_random.backends.torch_backend import _poisson_cdf

    cdf = np.asarray(_poisson_cdf(lam))
    k = np.arange(len(cdf) - 1)
    assert np.max(np.abs(cdf[:-1] - stats.poisson(lam).cdf(k))) < 1e-14
    assert cdf[-1] >= 1.0 and np.all(np.diff(cdf) >= 0)  # every u < 1 falls inside
    assert stats.poisson(lam).sf(len(cdf) - 1) < 2.0**-53  # nothing left beyond the table


@pytest.mark.parametrize("n, p", [(0, 0.3), (10, 0.0), (10, 0.3), (60, 0.005), (2000, 1e-4),
                                  (10**12, 9e-12), (19, 0.5)])
def test_torch_binomial_table_is_the_cdf(n, p):
    pytest.importorskip("torch")
    from array_random.backends.torch_backend import _binomial_cdf

    cdf = np.asarray(_binomial_cdf(n, p))
    k = np.arange(len(cdf) - 1)
    assert np.max(np.abs(cdf[:-1] - stats.binom(n, p).cdf(k)), initial=0.0) < 1e-13
    assert cdf[-1] >= 1.0 and np.all(np.diff(cdf) >= 0)  # every u < 1 falls inside
    assert len(cdf) - 1 == n or stats.binom(n, p).sf(len(cdf) - 1) < 2.0**-53


@pytest.mark.parametrize("n, p", [(3, 0.5), (0.5, 0.3), (1e-3, 0.9), (1, 0.0215), (50, 0.9),
                                  (0.2, 0.05), (5, 1.0)])
def test_torch_negative_binomial_table_is_the_cdf(n, p):
    pytest.importorskip("torch")
    from array_random.backends.torch_backend import _negative_binomial_cdf

    cdf = np.asarray(_negative_binomial_cdf(n, p))
    k = np.arange(len(cdf) - 1)
    assert np.max(np.abs(cdf[:-1] - stats.nbinom(n, p).cdf(k)), initial=0.0) < 1e-14
    assert cdf[-1] == 1.0 and np.all(np.diff(cdf) >= 0)
    assert stats.nbinom(n, p).sf(len(cdf) - 1) < 2.0**-53  # nothing left beyond the table


@pytest.mark.parametrize("p", [0.0, 1e-9, 0.5, 0.9, 0.97])
def test_torch_logseries_table_is_the_cdf(p):
    pytest.importorskip("torch")
    from array_random.backends.torch_backend import _logseries_cdf

    cdf = np.asarray(_logseries_cdf(p))
    k = np.arange(len(cdf) - 1)  # entry k is P(X <= k), X >= 1
    want = stats.logser(p).cdf(k) if p > 0 else (k >= 1).astype(float)
    assert cdf[0] == 0.0 and cdf[-1] == 1.0 and np.all(np.diff(cdf) >= 0)
    assert np.max(np.abs(cdf[:-1] - want)) < 1e-14
    assert p == 0 or stats.logser(p).sf(len(cdf) - 1) < 2.0**-53


@pytest.mark.parametrize("good, bad, sample", [
    (7, 5, 4), (100, 200, 50), (10**8, 10**8, 1000), (5, 10**6, 5), (10**6, 5, 10**6 - 2),
    (0, 5, 3), (5, 0, 3), (3, 3, 0), (500, 500, 1000)])
def test_torch_hypergeometric_table_is_the_cdf(good, bad, sample):
    # against the exact cdf, in integers (scipy's is off by 1e-8 at 10**8)
    pytest.importorskip("torch")
    from fractions import Fraction

    from array_random.backends.torch_backend import _hypergeometric_cdf

    first, cdf = _hypergeometric_cdf(good, bad, sample)
    total = math.comb(good + bad, sample)
    low = max(0, sample - bad)
    below = sum(math.comb(good, k) * math.comb(bad, sample - k) for k in range(low, first))
    assert Fraction(below, total) < 2.0**-53  # the counts left out below the table
    exact, running = [], below
    for k in range(first, first + len(cdf)):
        running += math.comb(good, k) * math.comb(bad, sample - k)
        exact.append(float(Fraction(running, total)))
    assert cdf[-1] == 1.0 and np.all(np.diff(cdf) >= 0)
    assert np.max(np.abs(np.asarray(cdf[:-1]) - exact[:-1]), initial=0.0) < 1e-14
    assert 1.0 - exact[-1] < 2.0**-53  # and above it


def test_torch_tables_too_long_are_left_to_the_generic_sampler():
    torch = pytest.importorskip("torch")
    from array_random.backends import torch_backend as tb

    assert tb._negative_binomial_cdf(0.1, 0.01) is None  # a 0.99**k tail: > 2048 entries
    assert tb._logseries_cdf(0.99) is None
    assert tb._hypergeometric_cdf(10**6, 10**6, 10**5) is None  # sd 158: +-9 sd > 2048
    rng = array_random.default_rng(torch, 8)
    x = rng.hypergeometric(10**6, 10**6, 10**5, size=400).double()
    # mean 50000, sd 150: the mean of 400 is within 7.5 of it, 4 times in 10**4
    assert abs(float(x.mean()) - 5e4) < 30.0
    assert int(rng.logseries(0.99, size=50).min()) >= 1
    src = rng._backend._source(rng.device)
    assert src._tables[("logseries", 0.99)] is False  # tried once, kept as no table


def test_torch_table_draws_count_from_their_first_value():
    torch = pytest.importorskip("torch")
    rng = array_random.default_rng(torch, 9)
    # 999993 to 999998 good items among 10**6 - 2 drawn from 10**6 good, 5 bad
    x = rng.hypergeometric(10**6, 5, 10**6 - 2, size=4000)
    assert x.dtype == torch.int64
    assert int(x.min()) >= 999993 and int(x.max()) <= 999998
    mean = (10**6 - 2) * 10**6 / (10**6 + 5)  # sd of the mean < 0.02: 0.1 is > 5 sigma
    assert abs(float(x.double().mean()) - mean) < 0.1
    # narrower dtypes: the table's int64 counts converted
    small = rng.negative_binomial(0.3, 0.3, size=5000, dtype=torch.int8)
    assert small.dtype == torch.int8 and int(small.min()) >= 0
    # mean n (1 - p) / p = 0.7, sd sqrt(0.7 / 0.3) / sqrt(5000) = 0.022: 0.11 is 5 sigma
    assert abs(float(small.double().mean()) - 0.7) < 0.11
    series = rng.logseries(0.9, size=5000, dtype=torch.int16)
    assert series.dtype == torch.int16 and int(series.min()) >= 1


def test_torch_multinomial_trials_have_the_binomial_marginals():
    # the categorical trials of a small draw: each count is Binomial(n, p_j),
    # the counts add up to n; fixed seed, a fit fails at p < 1e-3
    torch = pytest.importorskip("torch")
    from array_random.backends import torch_backend as tb

    rng = array_random.default_rng(torch, 20261208)
    pvals = [0.2, 0.3, 0.15, 0.35]
    assert 20 * 8 <= tb._CATEGORICAL_TRIALS
    # 1771 outcomes: past the joint table, so the trials draw
    assert tb._multinomial_joint(torch.tensor(pvals, dtype=torch.float64), 20) is None
    x = torch.cat([rng.multinomial(20, pvals, 8) for _ in range(2000)]).numpy()
    assert x.shape == (16000, 4) and np.all(x.sum(axis=1) == 20)
    for j, p in enumerate(pvals[:-1] + [1 - sum(pvals[:-1])]):
        cells = np.arange(21)
        observed = np.bincount(x[:, j], minlength=21)
        expected = stats.binom(20, p).pmf(cells) * len(x)
        assert _pooled_chisquare(observed, expected) > 1e-3, (j, p)
    # NumPy's rules: the last probability is what the others leave; a sum of
    # the others at 1 (to rounding) leaves the later categories nothing
    assert rng.multinomial(6, [0.0, 0.0, 0.9], 3).tolist() == [[0, 0, 6]] * 3
    assert rng.multinomial(6, [0.7, 0.3 + 1e-13, 0.5], 50)[:, 2].sum() == 0
    assert rng.multinomial(6, [1.0], 2).tolist() == [[6], [6]]
    assert rng.multinomial(0, [0.5, 0.5], 2).tolist() == [[0, 0], [0, 0]]
    assert rng.multinomial(3, [0.5, 0.5], 4, dtype=torch.int8).dtype == torch.int8


@pytest.mark.parametrize("joint", [True, False])
@pytest.mark.parametrize("colors, nsample", [([5, 4, 3], 6), ([3, 0, 7, 2], 5), ([1, 9], 9)])
def test_torch_multivariate_hypergeometric_tables_have_the_joint_law(colors, nsample, joint,
                                                                     monkeypatch):
    # the table inversions of a small draw against scipy's pmf of every
    # outcome, chi-square; fixed seed, fails at p < 1e-3. joint: the joint
    # law's one table (_mvhg_joint); else (no joint table allowed) the
    # marginal tables of one colour after another (_mvhg_tables)
    torch = pytest.importorskip("torch")
    import itertools

    from array_random.backends import torch_backend

    if not joint:
        monkeypatch.setattr(torch_backend, "_JOINT_OUTCOMES", 0)
    # which branch draws: the joint table exists (or not) for these parameters
    assert (torch_backend._mvhg_joint(torch.tensor(colors), nsample) is not None) == joint

    rng = array_random.default_rng(torch, 20261209)
    x = torch.cat([rng.multivariate_hypergeometric(colors, nsample, 16)
                   for _ in range(2000)]).numpy()
    assert np.all(x.sum(axis=1) == nsample) and np.all(x <= np.asarray(colors))
    law = stats.multivariate_hypergeom(colors, nsample)
    outcomes = [k for k in itertools.product(*(range(c + 1) for c in colors))
                if sum(k) == nsample]
    seen = {k: 0 for k in outcomes}
    for row in map(tuple, x):
        seen[row] += 1  # a KeyError: an impossible outcome
    observed = np.array([seen[k] for k in outcomes], dtype=float)
    expected = np.array([law.pmf(k) for k in outcomes]) * len(x)
    assert _pooled_chisquare(observed, expected) > 1e-3


@pytest.mark.parametrize("shape", [(2,), (5, 2), (2, 3, 2)])
def test_torch_multivariate_normal_is_the_generic_formula(shape):
    # addmv / addmm / matmul on the same normals as the generic mean + Z F^T
    torch = pytest.importorskip("torch")
    from array_random.distributions import multivariate

    rng = array_random.default_rng(torch, 13)
    src = rng._backend._source(rng.device)
    mean = torch.tensor([0.5, -1.0], dtype=torch.float64)
    factor = torch.tensor([[1.0, 0.0], [0.3, 1.4]], dtype=torch.float64)
    state = src.gen.get_state()
    ours = src.multivariate_normal(shape, torch.float64, mean, factor)
    src.gen.set_state(state)
    generic = multivariate.multivariate_normal(src, shape, torch.float64, mean, factor)
    assert ours.shape == shape and torch.allclose(ours, generic, rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("joint", [True, False])
@pytest.mark.parametrize("n, pvals", [(6, [0.2, 0.3, 0.15, 0.35]), (9, [0.5, 0.0, 0.5]),
                                      (4, [0.6, 0.3, 0.3])])
def test_torch_multinomial_small_draws_have_the_joint_law(n, pvals, joint, monkeypatch):
    # the joint table (_multinomial_joint) and the categorical trials, each
    # against scipy's pmf of every outcome, chi-square; fixed seed, fails at
    # p < 1e-3. (4, [0.6, 0.3, 0.3]): the last category is what the others
    # leave, 0.1, as NumPy's
    torch = pytest.importorskip("torch")
    import itertools

    from array_random.backends import torch_backend as tb

    if not joint:
        monkeypatch.setattr(tb, "_JOINT_OUTCOMES", 0)
    # no way of drawing more items than there is room for, or fewer than none
    assert tb._ways(5, [1, 2]) is None and tb._ways(-1, [3]) is None
    t = torch.tensor(pvals, dtype=torch.float64)
    assert (tb._multinomial_joint(t, n) is not None) == joint
    rng = array_random.default_rng(torch, 20261207)
    x = torch.cat([rng.multinomial(n, pvals, 16) for _ in range(2000)]).numpy()
    assert np.all(x.sum(axis=1) == n)
    q = pvals[:-1] + [1 - sum(pvals[:-1])]
    outcomes = [k for k in itertools.product(range(n + 1), repeat=len(q)) if sum(k) == n]
    seen = dict.fromkeys(outcomes, 0)
    for row in map(tuple, x):
        seen[row] += 1
    observed = np.array([seen[k] for k in outcomes], dtype=float)
    expected = np.array([stats.multinomial(n, q).pmf(k) for k in outcomes]) * len(x)
    assert observed[expected == 0].sum() == 0  # nothing impossible
    assert _pooled_chisquare(observed, expected) > 1e-3


def test_torch_multinomial_sees_pvals_changed_in_place():
    # the thresholds are kept per pvals tensor: one changed in place is new
    torch = pytest.importorskip("torch")
    rng = array_random.default_rng(torch, 4)
    p = torch.tensor([0.5, 0.5], dtype=torch.float64)
    assert rng.multinomial(10, p, 20)[:, 0].sum() > 0
    p[0], p[1] = 0.0, 1.0
    assert rng.multinomial(10, p, 20)[:, 0].sum() == 0
    # an inference tensor has no version counter: it is not kept, and still drawn
    with torch.inference_mode():
        q = torch.tensor([0.5, 0.5], dtype=torch.float64)
        assert rng.multinomial(10, q, 20)[:, 0].sum() > 0
        q[0], q[1] = 0.0, 1.0
        assert rng.multinomial(10, q, 20)[:, 0].sum() == 0
        assert rng.multinomial(10, [0.2, 0.8], 3).sum() == 30


def test_torch_dirichlet_small_draws_at_the_edges():
    # a zero alpha gives a zero component; alphas below _TINY_SHAPE, all zero
    # or beyond a quarter of the dtype's range take the generic sampler; an
    # alpha tensor changed in place is a new plan
    torch = pytest.importorskip("torch")
    from array_random.backends import torch_backend as tb

    rng = array_random.default_rng(torch, 12)
    x = rng.dirichlet([0.0, 1.0, 2.0], 8, dtype=torch.float64)
    assert bool((x[:, 0] == 0).all()) and torch.allclose(x.sum(-1), torch.ones(8, dtype=x.dtype))
    assert rng.dirichlet([0.0, 0.0], 3).tolist() == [[0.0, 0.0]] * 3
    tiny = rng.dirichlet([1e-40, 1.0], 4, dtype=torch.float64)
    assert bool((tiny[:, 1] == 1.0).all())  # Gamma(1e-40) = G exp(-E / 1e-40): 0 in float64
    huge = rng.dirichlet([1e38, 1.0], 2, dtype=torch.float32)
    assert bool(torch.isfinite(huge).all())
    a = torch.tensor([1.0, 1.0], dtype=torch.float64)
    src = rng._backend._source(rng.device)
    assert tb._dirichlet_plan(a, (4, 2), torch.float64) is not None
    assert tb._dirichlet_plan(torch.tensor([1e-40, 1.0]), (2,), torch.float64) is None
    first = rng.dirichlet(a, 50)
    a[0] = 0.0
    assert bool((rng.dirichlet(a, 50)[:, 0] == 0).all()) and bool((first[:, 0] > 0).all())
    assert len(src._per_tensor) >= 2


def test_torch_new_one_kernel_samplers_under_inference_mode():
    # the kept tensors (stacked shapes, tables, thresholds) made under
    # torch.inference_mode serve later draws outside it, and the other way round
    torch = pytest.importorskip("torch")
    rng = array_random.default_rng(torch, 6)
    calls = [lambda: rng.wald(1.0, 2.0, 4), lambda: rng.standard_t(4.0, 4),
             lambda: rng.noncentral_chisquare(3.0, 1.5, 4),
             lambda: rng.noncentral_f(3.0, 5.0, 1.5, 4), lambda: rng.negative_binomial(3, 0.5, 4),
             lambda: rng.logseries(0.6, 4), lambda: rng.hypergeometric(7, 5, 4, 4),
             lambda: rng.multinomial(20, [0.2, 0.3, 0.5], 4)]
    calls += [lambda: rng.beta(0.7, 2.5, 4), lambda: rng.f(3.0, 5.0, 4),
              lambda: rng.dirichlet([0.5, 1.0, 2.0], 4),
              lambda: rng.multivariate_hypergeometric([5, 4, 3], 6, 4)]
    for call in calls:
        with torch.inference_mode():
            first = call()
        second = call()
        assert first.shape == second.shape and not second.is_inference()


def test_torch_table_draws_keep_dtype_and_flip():
    torch = pytest.importorskip("torch")
    rng = array_random.default_rng(torch, 5)
    x = rng.binomial(10, 0.9, size=2000, dtype=torch.int16)  # drawn as 10 - Binomial(10, 0.1)
    assert x.dtype == torch.int16 and int(x.min()) >= 0 and int(x.max()) <= 10
    assert abs(float(x.double().mean()) - 9.0) < 0.1  # sd of the mean 0.0067: > 14 sigma
    assert rng.poisson(4.0).shape == () and rng.poisson(4.0).dtype == torch.int64
    assert rng.binomial(7, 1.0, 3).tolist() == [7, 7, 7]


# --- the draws that skip the backend's lock (SPEC K8) ----------------------------------
# Each such sampler must be one call into the library's generator, which holds
# its own lock (NumPy's BitGenerator lock, torch's generator mutex) through it:
# two calls would let a state read land between them. Parameters per sampler
# as the facade hands them over; every lock-free entry must have a case here.
_SOURCE_ARGS = {
    "bits": (32,), "random": (), "standard_normal": (), "standard_exponential": (),
    "integers": (0, 9), "uniform": (-1.0, 2.0), "normal": (0.5, 2.0), "exponential": (2.0,),
    "gamma": (2.5, 1.5), "standard_gamma": (2.5,), "poisson": (4.0,), "binomial": (10, 0.3),
    "geometric": (0.25,), "negative_binomial": (3.0, 0.5), "hypergeometric": (7, 5, 4),
    "logseries": (0.6,), "zipf": (2.0,), "beta": (0.7, 2.5), "chisquare": (3.0,),
    "standard_t": (4.0,), "noncentral_chisquare": (3.0, 1.5), "gumbel": (0.5, 2.0),
    "f": (3.0, 5.0), "noncentral_f": (3.0, 5.0, 1.5),
    "laplace": (0.5, 2.0), "logistic": (0.5, 2.0), "lognormal": (0.5, 0.8), "pareto": (3.0,),
    "power": (2.0,), "rayleigh": (2.0,), "weibull": (1.5,), "triangular": (-1.0, 0.5, 2.0),
    "vonmises": (0.5, 2.0), "wald": (1.0, 2.0), "standard_cauchy": (),
    "permutation_indices": (),
}
# the vector draws' parameters, as arrays (numpy; the facade converts lists) and
# the length of the last axis
_VECTOR_ARGS = {"multinomial": ((20, [0.2, 0.3, 0.5]), {}),
                "multivariate_hypergeometric": (([5, 4, 3], 6), {"method": "marginals"}),
                "multivariate_normal": (([0.0, 1.0], [[1.0, 0.0], [0.3, 2.0]]), {}),
                "dirichlet": (([0.5, 1.0, 2.0],), {})}  # one call for a 1-d float64 alpha
_COUNTS = ("integers", "poisson", "binomial", "geometric", "negative_binomial",
           "hypergeometric", "logseries", "zipf", "permutation_indices", "bits", "multinomial")


class _CountingGenerator:
    """A numpy.random.Generator whose method calls are counted (and those made without ``lock``)."""

    def __init__(self, gen, lock=None):
        self._gen, self.calls, self.unlocked, self._held = gen, 0, 0, lock

    def __getattr__(self, name):
        attr = getattr(self._gen, name)
        if not callable(attr):
            return attr

        def counted(*args, **kwargs):
            self.calls += 1
            self.unlocked += self._held is not None and not self._held._is_owned()
            return attr(*args, **kwargs)
        return counted


@pytest.mark.parametrize("shape", [(), (5,)])
def test_numpy_lock_free_samplers_are_one_numpy_call_or_locked(shape):
    from array_random.backends import numpy_backend as nb

    assert set(nb._ONE_CALL) | {"permutation_indices"} <= set(_SOURCE_ARGS) | set(_VECTOR_ARGS)
    src = array_random.default_rng(np, 0)._backend._source
    src.gen = counting = _CountingGenerator(src.gen, src.lock)
    for name, (params, static) in _VECTOR_ARGS.items():
        floats = name in ("multivariate_normal", "dirichlet")
        dtype = np.dtype(np.float64 if floats else np.int64)
        counting.calls = 0
        arrays = [np.asarray(p) if isinstance(p, list) else p for p in params]
        k = np.shape(params[0])[-1] if name != "multinomial" else 3
        out = getattr(src, name)(shape + (k,), dtype, *arrays, **static)
        assert counting.calls == 1, (name, counting.calls)
        assert type(out) is np.ndarray and out.dtype == dtype
    for name in [n for n in [*nb._ONE_CALL, "permutation_indices"] if n not in _VECTOR_ARGS]:
        need = nb._ONE_CALL.get(name, True)
        if need is not True:
            dtypes = [need]
        elif name in _COUNTS:
            dtypes = [np.dtype(np.int64), np.dtype(np.int32)]
        else:
            dtypes = [np.dtype(np.float64), np.dtype(np.float32)]
        for dtype in dtypes:
            counting.calls = counting.unlocked = 0
            size = (5,) if name == "permutation_indices" else shape
            # bits(shape, width): its one parameter takes the dtype's place
            args = _SOURCE_ARGS[name] if name == "bits" else (dtype, *_SOURCE_ARGS[name])
            out = getattr(src, name)(size, *args)
            # one call, or (f in float32: the generic sampler) every call under the lock
            assert counting.calls == 1 or (counting.calls > 1 and counting.unlocked == 0), (
                name, dtype, counting.calls, counting.unlocked)
            # the facade's drawer is this very sampler: no 0-d wrapping after it
            assert type(out) is np.ndarray and out.shape == size, (name, dtype)


def _torch_kernels(torch, fn, lock):
    """``(calls, calls without lock held)``: the torch calls ``fn()`` makes with a ``generator=``."""
    from torch.overrides import TorchFunctionMode

    class Count(TorchFunctionMode):
        calls = unlocked = 0

        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            if kwargs.get("generator") is not None:
                Count.calls += 1
                Count.unlocked += not lock._is_owned()
            return func(*args, **kwargs)

    with Count():
        fn()
    return Count.calls, Count.unlocked


# the several-kernel branches of the lock-free torch samplers
_TORCH_SEVERAL = [("integers", (0, 2**63 - 1)), ("integers", (-(2**63), 2**63 - 1)),
                  ("standard_gamma", (0.5,)), ("gamma", (0.3, 2.0)), ("lognormal", (0.5, 0.0)),
                  ("geometric", (1.0,)), ("standard_t", (1.5,)),
                  ("noncentral_chisquare", (0.5, 1.5)), ("noncentral_f", (3.0, 1.5, 1.5)),
                  ("noncentral_f", (0.5, 5.0, 1.5)), ("negative_binomial", (0.1, 0.01)),
                  ("logseries", (0.99,)), ("hypergeometric", (10**6, 10**6, 10**5)),
                  ("chisquare", (1.5,))]


@pytest.mark.parametrize("shape", [(), (5,)])
def test_torch_lock_free_samplers_are_one_kernel_or_locked(shape):
    torch = pytest.importorskip("torch")
    from array_random.backends import torch_backend as tb

    rng = array_random.default_rng(torch, 0)
    src = rng._backend._source(rng.device)
    assert src.lock is rng._backend._lock
    # a vector draw: mean and covariance factor as the facade hands them over
    vectors = {"multivariate_normal": (torch.zeros(2, dtype=torch.float64),
                                       torch.eye(2, dtype=torch.float64)),
               "dirichlet": (torch.tensor([0.5, 0.0, 2.0], dtype=torch.float64),),
               "multinomial": (20, torch.tensor([0.2, 0.3, 0.5], dtype=torch.float64))}
    # (multivariate_hypergeometric, which takes a keyword, is checked below)
    cases = [(name, vectors[name] if name in vectors else _SOURCE_ARGS[name])
             for name in sorted(tb._LOCK_FREE - {"multivariate_hypergeometric"})]
    # multinomial past _CATEGORICAL_TRIALS: the generic binomials
    several = _TORCH_SEVERAL + [("multinomial", (5000, vectors["multinomial"][1]))]
    for name, params in cases + several:
        size = (5,) if name == "permutation_indices" else shape
        if name in vectors:
            size = shape + (params[-1].shape[0],)
        dtype = torch.int64 if name in _COUNTS else torch.float64
        calls, unlocked = _torch_kernels(torch, lambda: getattr(src, name)(size, dtype, *params),
                                         src.lock)
        # one kernel, or every kernel under the lock
        assert calls >= 1 and (calls == 1 or unlocked == 0), (name, params, calls, unlocked)
    calls, unlocked = _torch_kernels(torch, lambda: src.permutation_indices((3, 4), torch.int64),
                                     src.lock)
    assert calls == 2 and unlocked == 0
    colors = torch.tensor([5, 4, 3])
    # the joint table, the marginal tables; past _MVHG_TABLES the generic
    for nsample, kernels in ((6, 1), (100, 1), (400, None)):
        calls, unlocked = _torch_kernels(
            torch, lambda: src.multivariate_hypergeometric(shape + (3,), torch.int64,
                                                           colors * 100, nsample,
                                                           method="marginals"), src.lock)
        assert calls >= 1 and (calls == kernels or unlocked == 0), (nsample, calls, unlocked)
    # a larger draw may take the other branch (two gamma kernels, laplace's
    # uniform, the generic samplers)
    for name in ("beta", "f", "laplace", "gumbel", "logistic", "wald", "standard_t",
                 "noncentral_chisquare", "noncentral_f", "vonmises"):
        calls, unlocked = _torch_kernels(
            torch, lambda: getattr(src, name)((3000,), torch.float64, *_SOURCE_ARGS[name]),
            src.lock)
        assert calls >= 1 and (calls == 1 or unlocked == 0), (name, calls, unlocked)
    calls, unlocked = _torch_kernels(
        torch, lambda: src.dirichlet((100, 3), torch.float64, torch.tensor([0.5, 1.0, 2.0],
                                                                            dtype=torch.float64)),
        src.lock)
    assert calls == 2 and unlocked == 0
    assert not src.lock._is_owned()


def test_numpy_shuffle_permuted_bytes_are_one_numpy_call():
    # NumPy's own shuffle (1-d), permuted and bytes; the N-d shuffle's one
    # permutation: each one call, under NumPy's lock alone (SPEC K8)
    rng = array_random.default_rng(np, 0)
    backend = rng._backend
    backend.gen = backend._source.gen = counting = _CountingGenerator(backend.gen)
    calls = [lambda: rng.shuffle(np.arange(6.0)), lambda: rng.shuffle(np.ones((3, 4)), axis=1),
             lambda: rng.permuted(np.ones((3, 4))), lambda: rng.permuted(np.ones((3, 4)), axis=1),
             lambda: rng.bytes(7)]
    for i, call in enumerate(calls):
        counting.calls = 0
        call()
        assert counting.calls == 1, i
    assert not backend._lock._is_owned()


def test_torch_shuffle_permuted_bytes_are_one_kernel_or_locked():
    torch = pytest.importorskip("torch")
    rng = array_random.default_rng(torch, 0)
    lock = rng._backend._lock
    one = [lambda: rng.shuffle(torch.arange(6.0)), lambda: rng.shuffle(torch.ones(3, 4), axis=1),
           lambda: rng.permuted(torch.arange(6.0)), lambda: rng.permuted(torch.ones(3, 4)),
           lambda: rng.bytes(7)]
    for i, call in enumerate(one):
        assert _torch_kernels(torch, call, lock) == (1, 1), i  # randperm, randint: no lock
    # a permutation per row: two kernels (argsort keys), both under the lock
    calls, unlocked = _torch_kernels(torch, lambda: rng.permuted(torch.ones(3, 4), axis=1), lock)
    assert calls == 2 and unlocked == 0
    assert not lock._is_owned()


@pytest.mark.parametrize("lib", ["numpy", "torch"])
def test_kept_drawers_follow_a_restored_state(lib):
    xp = pytest.importorskip(lib)
    rng = array_random.default_rng(xp, 8)
    calls = [lambda: rng.normal(0.5, 2.0, 3), lambda: rng.integers(0, 9, 3),
             lambda: rng.permutation(4), lambda: rng.random(2, dtype=xp.float32)]
    for call in calls:
        call()  # every drawer made and kept
    saved = rng.state
    first = [np.asarray(call()) for call in calls]
    rng.state = saved
    assert all(np.array_equal(a, np.asarray(call())) for a, call in zip(first, calls))
    other = array_random.default_rng(xp, 9)
    other.state = saved  # a generator that never drew: its first drawers, same values
    assert all(np.array_equal(a, np.asarray(call())) for a, call in
               zip(first, [lambda: other.normal(0.5, 2.0, 3), lambda: other.integers(0, 9, 3),
                           lambda: other.permutation(4),
                           lambda: other.random(2, dtype=xp.float32)]))


def test_a_kept_drawer_is_per_dtype_and_device():
    rng = array_random.default_rng(np, 0)
    assert rng.normal(0.0, 1.0, 2).dtype == np.float64
    assert rng.normal(0.0, 1.0, 2, dtype=np.float32).dtype == np.float32
    assert rng.normal(0.0, 1.0, 2).dtype == np.float64
    assert rng.integers(0, 5, 2, dtype=np.int8).dtype == np.int8
    assert rng.integers(0, 5, 2).dtype == np.int64
    torch = pytest.importorskip("torch")
    t = array_random.default_rng(torch, 0)
    assert t.integers(0, 5, 2, dtype=torch.int16).dtype == torch.int16
    assert t.integers(0, 5, 2).dtype == torch.int64
    assert t.normal(0.0, 1.0, 2, dtype=torch.float64).dtype == torch.float64
    assert t.normal(0.0, 1.0, 2).dtype == torch.float32


@pytest.mark.parametrize("p", [1.0, 0.9, 0.5, 0.25, 0.05, 0.0215])
def test_torch_geometric_table_is_the_cdf(p):
    pytest.importorskip("torch")
    from array_random.backends.torch_backend import _GEOMETRIC_TABLE_P, _geometric_cdf

    assert p >= _GEOMETRIC_TABLE_P
    cdf = np.asarray(_geometric_cdf(p))
    k = np.arange(len(cdf) - 1)  # entry k is P(X <= k), X >= 1
    assert cdf[0] == 0.0 and cdf[-1] == 1.0 and np.all(np.diff(cdf) >= 0)
    assert np.max(np.abs(cdf[:-1] - stats.geom(p).cdf(k))) < 1e-15
    assert stats.geom(p).sf(len(cdf) - 1) < 2.0**-53  # nothing left beyond the table


def test_torch_geometric_table_draws():
    torch = pytest.importorskip("torch")
    rng = array_random.default_rng(torch, 11)
    x = rng.geometric(0.25, size=20000)
    assert x.dtype == torch.int64 and int(x.min()) >= 1
    # mean 4, sd of the mean sqrt(12 / 20000) = 0.0245: 0.15 is > 6 sigma
    assert abs(float(x.double().mean()) - 4.0) < 0.15
    assert bool((rng.geometric(1.0, size=50) == 1).all())
    # int8 results: the table reaches past 127; the counts there saturate
    small = rng.geometric(0.16, size=5000, dtype=torch.int8)
    assert small.dtype == torch.int8 and int(small.min()) >= 1


@pytest.mark.parametrize("cdf, first", [
    ("poisson", 0), ("geometric", 0), ([0.0, 0.0, 0.3, 0.5], 2), ([2.0**-60, 0.5, 1.0], 0),
    ([0.25, 0.25, 1.0 + 2.0**-52], 0), ([0.0], 3), ([0.5, 0.75], 5000)])
@pytest.mark.parametrize("shape", [(), (1,), (7,), (2, 3), (0, 4)])
def test_torch_multinomial_inversion_is_bucketize_bit_for_bit(cdf, first, shape):
    # TorchSource._counts draws a table from 0 by torch.multinomial with the
    # weights of _inversion_weights: from one generator state, the very counts
    # that bucketize gives for randint(2**53) against the thresholds, edge cases
    # included (leading zero thresholds, a cdf ending below or above 1, a lone
    # count, counts from 5000 on: the add_); counts from a few on are bucketize's
    torch = pytest.importorskip("torch")
    from array_random.backends import torch_backend as tb

    if cdf == "poisson":
        cdf = tb._poisson_cdf(4.0)
    elif cdf == "geometric":
        cdf = tb._geometric_cdf(0.25)
    from array_api_compat import torch as xpt

    src = tb.TorchSource(xpt, torch.device("cpu"), torch.Generator().manual_seed(5))
    table = src._table(("test", tuple(cdf), first), lambda: (first, cdf))
    thresholds = torch.tensor([min(math.ceil(c * 2**53), 2**53) for c in cdf])
    twin = torch.Generator().manual_seed(5)
    # counts from 0: torch.multinomial (a small draw); from a few on: bucketize itself
    start = tb._inversion_weights(thresholds.tolist(), first)[1]
    assert (table[0] is not None) == (start == 0)
    for _ in range(3):
        got = src._counts(shape, torch.int64, table)
        n = math.prod(shape)
        if n == 1 and start == 0:
            n = 2  # a lone count: the first of two
        want = torch.bucketize(torch.randint(2**53, (n,), generator=twin), thresholds,
                               right=True) + first
        want = want[:math.prod(shape)].reshape(shape)
        assert got.shape == shape and got.dtype == torch.int64
        assert torch.equal(got, want)
    assert torch.equal(src.gen.get_state(), twin.get_state())
    # and over many draws, where the rare edges of the grid show: 200 of the
    # largest multinomial draw, then one past it (bucketize's)
    for n in [tb._CATEGORICAL_DRAWS] * 200 + [tb._CATEGORICAL_DRAWS + 1]:
        got = src._counts((n,), torch.int64, table)
        want = torch.bucketize(torch.randint(2**53, (n,), generator=twin), thresholds,
                               right=True) + first
        assert torch.equal(got, want)


def test_torch_scalar_geometric_draws_fit():
    # size=None, one count a call (the table's randint and bucketize), Geometric(p)
    # by chi-square over 1..15 and the tail, 15 dof; p > 1e-3 at this fixed seed
    torch = pytest.importorskip("torch")
    rng = array_random.default_rng(torch, 3)
    draws = np.array([int(rng.geometric(0.25)) for _ in range(20000)])
    assert draws.min() >= 1
    observed = np.bincount(np.minimum(draws, 16), minlength=17)[1:]
    expected = stats.geom(0.25).pmf(np.arange(1, 16))
    expected = np.append(expected, stats.geom(0.25).sf(15)) * len(draws)
    assert stats.chisquare(observed, expected).pvalue > 1e-3
    assert rng.geometric(1.0).tolist() == 1


@pytest.mark.parametrize("proposals", [8, 1])
@pytest.mark.parametrize("kappa", [0.0, 1e-9, 0.3, 2.0, 50.0, 1e8])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_torch_vonmises_small_draws_fit(kappa, dtype, proposals, monkeypatch):
    # the small-draw branch (the first accepted of _PROPOSALS proposals, the
    # generic loop on a Threefry stream for a value none took: forced often
    # with 1 proposal), scalar
    # and size-16 calls: KS against scipy for mu = 0, and two-sample KS against
    # the generic sampler for mu = 0.5 (the wrap into [-pi, pi]); fixed seed,
    # each fails at p < 1e-3
    torch = pytest.importorskip("torch")
    from array_api_compat import torch as xpt

    from array_random.backends import torch_backend as tb
    from array_random.distributions import continuous

    monkeypatch.setattr(tb, "_PROPOSALS", proposals)
    dt = getattr(torch, dtype)
    src = tb.TorchSource(xpt, torch.device("cpu"), torch.Generator().manual_seed(13))
    x = torch.cat([src.vonmises((16,), dt, 0.0, kappa) for _ in range(600)]
                  + [src.vonmises((), dt, 0.0, kappa).reshape(1) for _ in range(400)])
    assert x.dtype == dt and bool((x.abs() <= math.pi).all())
    law = stats.vonmises(kappa) if kappa > 0 else stats.uniform(-math.pi, 2 * math.pi)
    assert stats.kstest(x.double().numpy(), law.cdf).pvalue > 1e-3
    ours = torch.cat([src.vonmises((16,), dt, 0.5, kappa) for _ in range(600)])
    generic = continuous.vonmises(src, (9600,), dt, 0.5, kappa)
    assert stats.ks_2samp(ours.double().numpy(), generic.double().numpy()).pvalue > 1e-3


def test_torch_vonmises_small_draw_reads_the_generator_once(monkeypatch):
    # one kernel on the generator (its state then as after that one rand), the
    # values no proposal took finished on a Threefry stream keyed by the draw:
    # the same seed gives the same values, and the next draw other ones
    torch = pytest.importorskip("torch")
    from array_api_compat import torch as xpt

    from array_random.backends import torch_backend as tb

    monkeypatch.setattr(tb, "_PROPOSALS", 1)  # a third of the values fall through
    twin = torch.Generator().manual_seed(21)
    a = tb.TorchSource(xpt, torch.device("cpu"), torch.Generator().manual_seed(21))
    b = tb.TorchSource(xpt, torch.device("cpu"), torch.Generator().manual_seed(21))
    first, again = a.vonmises((40,), torch.float64, 0.0, 50.0), b.vonmises((40,), torch.float64,
                                                                         0.0, 50.0)
    assert torch.equal(first, again)
    torch.rand((3 * 40 + 3,), dtype=torch.float64, generator=twin)
    assert torch.equal(a.gen.get_state(), twin.get_state())
    second = a.vonmises((40,), torch.float64, 0.0, 50.0)
    assert not bool((second == first).any())


_INT64_TOP = 2**63 - 1024  # the generic zipf's truncation: int64's largest float64 below


@pytest.mark.parametrize("a", [1.5, 2.0, 3.0, 7.0, 30.0])
def test_torch_zipf_table_is_the_truncated_cdf(a):
    # the head table against Hurwitz zeta: P(X <= k) = (zeta(a) - zeta(a, k + 1)) /
    # (zeta(a) - zeta(a, top + 1)), the law truncated to int64 as the generic sampler's
    pytest.importorskip("torch")
    from scipy import special

    from array_random.backends import torch_backend as tb

    cdf, tail = tb._zipf_cdf(a, _INT64_TOP)
    k = np.arange(1, len(cdf))  # entries 1..K; the last, 1.0, is K + 1 or the tail's mark
    whole = special.zeta(a) - special.zeta(a, _INT64_TOP + 1)
    want = (special.zeta(a) - special.zeta(a, k + 1)) / whole
    assert np.max(np.abs(np.asarray(cdf[:-1]) - want)) < 1e-14
    assert cdf[-1] == 1.0 and np.all(np.diff(cdf) >= 0)
    if tail is None:  # nothing left past the last value, K + 1
        assert special.zeta(a, len(cdf) + 1) / whole < 2.0**-60
    else:  # the mark stands for P(X > K), at most _ZIPF_TAIL
        assert tail == len(cdf) - 1 == tb._TABLE_LENGTH
        assert 1 - cdf[-2] <= tb._ZIPF_TAIL
    assert tb._zipf_cdf(1.2, _INT64_TOP) is None  # a tail of 22%: the generic sampler
    # a narrow dtype: the whole truncated law in the table, no tail
    cdf8, tail8 = tb._zipf_cdf(a, 127)
    assert tail8 is None and len(cdf8) <= 127
    k8 = np.arange(1, len(cdf8))
    want8 = (special.zeta(a) - special.zeta(a, k8 + 1)) / (special.zeta(a) - special.zeta(a, 128))
    assert np.max(np.abs(np.asarray(cdf8[:-1]) - want8)) < 1e-14


@pytest.mark.parametrize("a, dtype", [(1.5, "int64"), (2.0, "int64"), (1.5, "int8")])
def test_torch_zipf_small_draws_have_the_law_with_its_tail(a, dtype):
    # small draws through the facade (the head table, the tail past 2048 drawn
    # by discrete.zipf_tail), scalar and size-16 calls, chi-square over bins
    # that include the tail; fixed seed, fails at p < 1e-3
    torch = pytest.importorskip("torch")
    from scipy import special

    rng = array_random.default_rng(torch, 20261207)
    dt = getattr(torch, dtype)
    x = np.concatenate([rng.zipf(a, 16, dtype=dt).numpy() for _ in range(2500)]
                       + [np.array([int(rng.zipf(a, dtype=dt)) for _ in range(4000)])])
    top = 127 if dtype == "int8" else _INT64_TOP
    assert x.min() >= 1 and x.max() <= top
    edges = [1, 2, 3, 4, 5, 6, 11, 101, 2049] + ([10**4] if a < 2 else []) + [top + 1]
    edges = sorted({min(e, top + 1) for e in edges})
    observed = np.histogram(x.astype(float), bins=np.asarray(edges, dtype=float))[0]
    mass = np.array([special.zeta(a, lo) - special.zeta(a, hi) for lo, hi in zip(edges, edges[1:])])
    expected = mass / mass.sum() * len(x)
    assert np.all(expected >= 5), expected  # a = 2: one tail bin, 13 expected
    assert stats.chisquare(observed, expected).pvalue > 1e-3
    if dtype == "int64":
        assert observed[-2:].sum() > 0  # the tail was drawn


@pytest.mark.parametrize("a, least", [(1.5, 2049), (2.0, 2049), (2.0, 2), (3.0, 5)])
def test_zipf_tail_is_the_law_beyond_least(a, least):
    # discrete.zipf_tail: Zipf(a) given X >= least, by chi-square over bins
    # starting at least itself (the confined proposals' edge); torch source,
    # fixed seed, fails at p < 1e-3
    torch = pytest.importorskip("torch")
    from scipy import special

    from array_random.backends import torch_backend as tb
    from array_random.distributions import discrete

    from array_api_compat import torch as xpt

    src = tb.TorchSource(xpt, torch.device("cpu"), torch.Generator().manual_seed(9))
    x = discrete.zipf_tail(src, (20000,), torch.int64, a, least).numpy()
    assert x.min() >= least
    edges = [least, least + 1, least + 2, 2 * least + 3, 10 * least, 100 * least, _INT64_TOP + 1]
    observed = np.histogram(x.astype(float), bins=np.asarray(edges, dtype=float))[0]
    mass = np.array([special.zeta(a, lo) - special.zeta(a, hi) for lo, hi in zip(edges, edges[1:])])
    expected = mass / mass.sum() * len(x)
    assert _pooled_chisquare(observed, expected) > 1e-3


@pytest.mark.parametrize("shape", [(), (5,)])
def test_numpy_several_call_branches_hold_the_lock(shape):
    # the lock-free samplers that are one NumPy call for some parameters only:
    # every call of their other branch is made under the backend's lock
    src = array_random.default_rng(np, 0)._backend._source
    src.gen = counting = _CountingGenerator(src.gen, src.lock)
    f64, f32 = np.dtype(np.float64), np.dtype(np.float32)
    cases = [("f", f64, (0.5, 5.0)), ("f", f32, (3.0, 5.0)), ("noncentral_f", f64, (3.0, 0.5, 1.0)),
             ("dirichlet", f32, (np.asarray([0.5, 2.0], dtype=np.float32),)),
             ("dirichlet", f64, (np.asarray([[0.5, 2.0], [1.0, 1.0]]),))]
    for name, dtype, params in cases:
        counting.calls = counting.unlocked = 0
        size = shape + (2,) if name == "dirichlet" else shape
        if name == "dirichlet" and params[0].ndim == 2:
            size = (2, 2)
        out = getattr(src, name)(size, dtype, *params)
        assert counting.calls >= 2 and counting.unlocked == 0, (name, dtype, counting.calls)
        assert type(out) is np.ndarray and out.shape == size and out.dtype == dtype
    assert not src.lock._is_owned()


def test_torch_quick_paths_hold_the_lock_through_several_kernels():
    # the generated quick path takes a locked drawer apart (sampler and lock)
    # and holds the lock itself: every kernel of such a draw runs under it
    torch = pytest.importorskip("torch")
    rng = array_random.default_rng(torch, 3)
    lock = rng._backend._lock
    # (standard_t below df = 2, a logseries or negative_binomial too long-tailed
    # for a table, a wald or vonmises of a larger draw: the generic samplers)
    draws = [lambda: rng.vonmises(0.5, 2.0, 200), lambda: rng.standard_t(1.5, 5),
             lambda: rng.logseries(0.995, 5), lambda: rng.negative_binomial(0.1, 0.01, 5),
             lambda: rng.wald(1.0, 2.0, 200), lambda: rng.zipf(2.0, 5),
             lambda: rng.multinomial(5000, [0.2, 0.3, 0.5], 2),
             lambda: rng.multivariate_hypergeometric([300, 300, 300], 400, 2)]
    for i, draw in enumerate(draws):
        for _ in range(2):  # the first call makes the plan, the second uses it
            calls, unlocked = _torch_kernels(torch, draw, lock)
            assert calls >= 1 and unlocked == 0, (i, calls, unlocked)
    assert not lock._is_owned()


@pytest.mark.parametrize("dtype_name, step", [("float64", 2.0**-53), ("float32", 2.0**-24)])
def test_torch_one_kernel_samplers_at_the_uniforms_ends(dtype_name, step, monkeypatch):
    # torch.rand's 0 (probability one grid step) stands for its cell at the
    # cell's middle: gumbel and logistic stay finite, and at the grid's other
    # end too, without a redraw (which would be a second kernel)
    torch = pytest.importorskip("torch")
    import array_api_compat.torch as xp

    from array_random.backends import torch_backend
    from array_random.backends.torch_backend import TorchSource

    dtype = getattr(torch, dtype_name)
    ends = [0.0, step, 0.5, 1 - step]

    class Ends(TorchSource):
        def random(self, shape, dtype):
            return torch.tensor(ends, dtype=dtype)

    src = Ends(xp, torch.device("cpu"), torch.Generator())
    u = [step / 2, *ends[1:]]
    gumbel = [0.5 - 2.0 * math.log(-math.log1p(-x)) for x in u]
    logistic = [0.5 + 2.0 * math.log(x / (1 - x)) for x in u]
    # laplace's large-draw branch: log(2u) below 1/2, -log(2 - 2u) from it
    laplace = [0.5 + 2.0 * (math.log(2 * x) if x < 0.5 else -math.log(2 - 2 * x)) for x in u]
    monkeypatch.setattr(torch_backend, "_EXPONENTIAL_PAIRS", 0)
    for name, want in (("gumbel", gumbel), ("logistic", logistic), ("laplace", laplace)):
        got = getattr(src, name)((4,), dtype, 0.5, 2.0)
        assert got.dtype == dtype and bool(torch.isfinite(got).all()), name
        np.testing.assert_allclose(got.double().numpy(), want, rtol=1e-6, atol=1e-6,
                                   err_msg=name)


def test_numpy_float64_scalars_are_numpys_own_values_as_0d_arrays():
    # drawn with NumPy's size=None (a Python float, then a 0-d array): the same
    # values as NumPy's Generator, in the same order, and an array as ever
    rng = array_random.default_rng(np, 5)
    twin = np.random.default_rng(5)
    cases = [("random", ()), ("standard_normal", ()), ("standard_exponential", ()),
             ("uniform", (0.5, 2.0)), ("normal", (0.5, 2.0)), ("exponential", (2.0,))]
    for name, params in cases * 2:
        out, want = getattr(rng, name)(*params), getattr(twin, name)(*params)
        assert type(out) is np.ndarray and out.shape == () and out.dtype == np.float64, name
        assert out == want, name
        arrays = [np.asarray(p) for p in params]  # the door's route: 0-d parameters
        out, want = getattr(rng, name)(*arrays), getattr(twin, name)(*params)
        assert type(out) is np.ndarray and out.shape == () and out == want, name
    for name, params in cases:  # a float32 scalar stays float32 (NumPy's float is a float64)
        out = getattr(rng, name)(*params, dtype=np.float32)
        assert type(out) is np.ndarray and out.shape == () and out.dtype == np.float32, name


@pytest.mark.parametrize("dtype_name", ["float64", "float32"])
def test_torch_small_draw_branches_have_the_right_distribution(dtype_name):
    # the conformance fits draw 40_000 values in one call, which takes the
    # large-draw branch of torch's laplace, log_gamma_parts, wald, standard_t
    # and noncentral_chisquare; the small-draw one (an exponential pair; one
    # stacked gamma kernel) is fitted here, over
    # 4000 draws of 16 values. Fixed seed; a fit fails at p < 1e-3 (a false
    # alarm rate of 1e-3 per fit over seeds, none at this one)
    torch = pytest.importorskip("torch")
    from array_random.backends import torch_backend

    assert 2 * 16 <= torch_backend._STACKED_GAMMAS and 16 <= torch_backend._EXPONENTIAL_PAIRS
    assert torch_backend._STACKED_GAMMAS < 40_000  # the conformance fits: the other branch
    rng = array_random.default_rng(torch, 20261207)
    dtype = getattr(torch, dtype_name)

    def sample(draw):
        return np.concatenate([draw().double().numpy().reshape(16, -1)[:, 0]
                               for _ in range(4000)])

    fits = {
        "laplace": (lambda: rng.laplace(-1.0, 0.5, 16, dtype=dtype), stats.laplace(-1.0, 0.5)),
        "beta": (lambda: rng.beta(0.7, 2.5, 16, dtype=dtype), stats.beta(0.7, 2.5)),
        "f": (lambda: rng.f(3.0, 5.0, 16, dtype=dtype), stats.f(3.0, 5.0)),
        # a component of a Dirichlet(0.3, 1, 2) is Beta(0.3, 3)
        "dirichlet": (lambda: rng.dirichlet([0.3, 1.0, 2.0], 16, dtype=dtype),
                      stats.beta(0.3, 3.0)),
        # one stacked gamma kernel each; noncentral_chisquare's df of 1.4
        # boosts a Gamma(0.2) (below 1), df = 3 draws Gamma(1) as it is
        "standard_t": (lambda: rng.standard_t(5.0, 16, dtype=dtype), stats.t(5.0)),
        "standard_t(2)": (lambda: rng.standard_t(2.0, 16, dtype=dtype), stats.t(2.0)),
        "wald": (lambda: rng.wald(1.0, 2.0, 16, dtype=dtype), stats.invgauss(0.5, scale=2.0)),
        "noncentral_chisquare": (lambda: rng.noncentral_chisquare(3.0, 1.5, 16, dtype=dtype),
                                 stats.ncx2(3.0, 1.5)),
        "noncentral_chisquare(1.4)": (
            lambda: rng.noncentral_chisquare(1.4, 0.5, 16, dtype=dtype), stats.ncx2(1.4, 0.5)),
        "noncentral_f": (lambda: rng.noncentral_f(3.0, 5.0, 1.5, 16, dtype=dtype),
                         stats.ncf(3.0, 5.0, 1.5)),
        "noncentral_f(1.4, 2)": (lambda: rng.noncentral_f(1.4, 2.0, 0.5, 16, dtype=dtype),
                                 stats.ncf(1.4, 2.0, 0.5)),
        # beta and f with both shapes >= 1: the gammas' ratio itself; f(1, 0.5):
        # both boosted in log space
        "beta(2, 3)": (lambda: rng.beta(2.0, 3.0, 16, dtype=dtype), stats.beta(2.0, 3.0)),
        "f(1, 0.5)": (lambda: rng.f(1.0, 0.5, 16, dtype=dtype), stats.f(1.0, 0.5)),
        # the third component of Dirichlet(0.3, 1, 2) is Beta(2, 1.3)
        "dirichlet[2]": (lambda: rng.dirichlet([0.3, 1.0, 2.0], 16, dtype=dtype)[:, 2],
                         stats.beta(2.0, 1.3)),
    }
    for name, (draw, law) in fits.items():
        p = stats.kstest(sample(draw), law.cdf).pvalue
        assert p > 1e-3, (name, dtype_name, p)
