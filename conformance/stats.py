"""Goodness-of-fit helpers with one documented false-alarm rate.

Every statistical assertion in the suite goes through ``assert_fits_*`` at
significance ``ALPHA`` per test. At fixed seeds the suite is deterministic;
over random seeds a correct sampler fails a test with probability ALPHA, so a
suite of T tests raises a false alarm with probability at most T * ALPHA
(Bonferroni). With ALPHA = 1e-6 and fewer than 1000 statistical tests, that
is below 1 in 1000 runs.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

ALPHA = 1e-6


def assert_fits_continuous(samples, dist, *, alpha=ALPHA, label=""):
    """Kolmogorov-Smirnov test of ``samples`` against a frozen ``scipy.stats`` distribution."""
    samples = np.asarray(samples, dtype=np.float64).ravel()
    assert np.all(np.isfinite(samples)), f"{label}: non-finite samples"
    res = stats.kstest(samples, dist.cdf)
    assert res.pvalue > alpha, f"{label}: KS statistic {res.statistic:.5f}, p = {res.pvalue:.3g}"
    return res.pvalue


def assert_fits_discrete(samples, pmf, support, *, alpha=ALPHA, min_expected=5.0, label=""):
    """Chi-square test of integer ``samples`` against ``pmf`` over ``support``.

    Cells with expected count below ``min_expected`` are pooled (the tails
    into one cell), which keeps the chi-square approximation valid.
    """
    samples = np.asarray(samples).ravel()
    n = samples.size
    support = np.asarray(support)
    probs = np.asarray(pmf(support), dtype=np.float64)
    counts = np.array([(samples == k).sum() for k in support], dtype=np.float64)
    outside = n - counts.sum()
    probs = np.append(probs, max(0.0, 1.0 - probs.sum()))
    counts = np.append(counts, outside)
    exp = probs * n
    # pool small cells greedily in order
    obs_cells, exp_cells, acc_o, acc_e = [], [], 0.0, 0.0
    for o, e in zip(counts, exp):
        acc_o += o
        acc_e += e
        if acc_e >= min_expected:
            obs_cells.append(acc_o)
            exp_cells.append(acc_e)
            acc_o = acc_e = 0.0
    if acc_e > 0 or acc_o > 0:
        if exp_cells:
            obs_cells[-1] += acc_o
            exp_cells[-1] += acc_e
        else:
            obs_cells, exp_cells = [acc_o], [acc_e]
    obs_cells, exp_cells = np.array(obs_cells), np.array(exp_cells)
    if len(obs_cells) < 2:
        return 1.0
    stat = ((obs_cells - exp_cells) ** 2 / exp_cells).sum()
    pvalue = stats.chi2.sf(stat, len(obs_cells) - 1)
    assert pvalue > alpha, f"{label}: chi2 = {stat:.2f} on {len(obs_cells) - 1} dof, p = {pvalue:.3g}"
    return pvalue


def assert_moment(samples, expected, *, sd=None, z=5.0, label=""):
    """The sample mean is within ``z`` standard errors of ``expected`` (|z| > 5: p < 6e-7)."""
    samples = np.asarray(samples, dtype=np.float64)
    mean = samples.mean(axis=0)
    se = (np.std(samples, axis=0) if sd is None else np.asarray(sd)) / np.sqrt(samples.shape[0])
    err = np.abs(mean - expected)
    assert np.all(err <= z * se + 1e-12), f"{label}: mean {mean} vs {expected} (se {se})"
