"""The per-call fast paths keep the slow paths' answers and errors.

What is cached per generator (the (kind, dtype) -> (device, dtype) answers,
the array types of the namespace) must never cache a refusal or let another
library's array through; torch's inversion tables for small Poisson and
binomial means must be the exact cdf.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import array_random


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


def test_torch_table_draws_keep_dtype_and_flip():
    torch = pytest.importorskip("torch")
    rng = array_random.default_rng(torch, 5)
    x = rng.binomial(10, 0.9, size=2000, dtype=torch.int16)  # drawn as 10 - Binomial(10, 0.1)
    assert x.dtype == torch.int16 and int(x.min()) >= 0 and int(x.max()) <= 10
    assert abs(float(x.double().mean()) - 9.0) < 0.1  # sd of the mean 0.0067: > 14 sigma
    assert rng.poisson(4.0).shape == () and rng.poisson(4.0).dtype == torch.int64
    assert rng.binomial(7, 1.0, 3).tolist() == [7, 7, 7]
