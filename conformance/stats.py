"""Goodness-of-fit helpers with one documented false-alarm rate.

Every statistical assertion in the suite goes through ``assert_fits_*`` at
significance ``ALPHA`` per test. At fixed seeds the suite is deterministic;
over random seeds a correct sampler fails a test with probability ALPHA, so a
suite of T tests raises a false alarm with probability at most T * ALPHA
(Bonferroni), whatever the dependence between the tests.

One run of the four ``test_gof_*`` files makes T = 2111 assertions
(measured with ``conformance/false_alarm.py``): 1361 KS / chi-square tests at
ALPHA = 1e-7 and 750 moment components at |z| > Z = 5.33 (p < 1e-7), so the
suite raises a false alarm in at most 2.1e-4 of runs over random seeds, below
1 in 1000. (At the first choice, 1e-6 and z = 5, the bound was 1.8e-3: too
high.) Over 18 seed offsets no run failed and the p-values were uniform in
the tails (22 below 1e-3 against 22.4 expected, of 22,354 distinct ones), so
each assertion's false-alarm rate is its threshold.

``ARRAY_RANDOM_PVALUE_LOG=path`` appends one JSON line per assertion (per
component for ``assert_moment``) to ``path``: the pytest test id, the kind,
the p-value (two-sided, from z, for moments), the threshold and the label.
``conformance/false_alarm.py`` uses it to count T and to check that the
p-values are uniform, i.e. that each assertion's false-alarm rate is its
threshold.
"""
from __future__ import annotations

import json
import os

import numpy as np
from scipy import stats

ALPHA = 1e-7
#: two-sided p of |z| > Z is 9.8e-8, the same rate as ALPHA
Z = 5.33


def _log(kind, pvalues, alpha, label):
    path = os.environ.get("ARRAY_RANDOM_PVALUE_LOG")
    if not path:
        return
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    with open(path, "a") as f:
        for p in np.atleast_1d(np.asarray(pvalues, dtype=np.float64)).ravel():
            f.write(json.dumps({"test": test, "kind": kind, "p": float(p), "alpha": float(alpha),
                                "label": label}) + "\n")


def assert_fits_continuous(samples, dist, *, alpha=ALPHA, label=""):
    """Kolmogorov-Smirnov test of ``samples`` against a frozen ``scipy.stats`` distribution."""
    samples = np.asarray(samples, dtype=np.float64).ravel()
    assert np.all(np.isfinite(samples)), f"{label}: non-finite samples"
    res = stats.kstest(samples, dist.cdf)
    _log("ks", res.pvalue, alpha, label)
    assert res.pvalue > alpha, f"{label}: KS statistic {res.statistic:.5f}, p = {res.pvalue:.3g}"
    return res.pvalue


def assert_fits_discrete(samples, pmf, support, *, alpha=ALPHA, min_expected=5.0, label="",
                         variance_factor=1.0):
    """Chi-square test of integer ``samples`` against ``pmf`` over ``support``.

    Cells with expected count below ``min_expected`` are pooled (the tails
    into one cell), which keeps the chi-square approximation valid.
    ``variance_factor`` is the counts' variance over the multinomial one: for
    n of N items drawn without replacement (a slice of a permutation) it is
    (N - n) / (N - 1), and Pearson's statistic divided by it is chi-square.
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
    stat = ((obs_cells - exp_cells) ** 2 / exp_cells).sum() / variance_factor
    pvalue = stats.chi2.sf(stat, len(obs_cells) - 1)
    _log("chi2", pvalue, alpha, label)
    assert pvalue > alpha, f"{label}: chi2 = {stat:.2f} on {len(obs_cells) - 1} dof, p = {pvalue:.3g}"
    return pvalue


def assert_moment(samples, expected, *, sd=None, z=Z, label=""):
    """The sample mean is within ``z`` standard errors of ``expected`` (|z| > 5: p < 6e-7)."""
    samples = np.asarray(samples, dtype=np.float64)
    mean = samples.mean(axis=0)
    se = (np.std(samples, axis=0) if sd is None else np.asarray(sd)) / np.sqrt(samples.shape[0])
    err = np.abs(mean - expected)
    if os.environ.get("ARRAY_RANDOM_PVALUE_LOG"):
        with np.errstate(divide="ignore", invalid="ignore"):
            zs = np.where(err == 0, 0.0, err / se)  # se == 0 and err > 0: z = inf, p = 0
        _log("moment", 2 * stats.norm.sf(zs), 2 * stats.norm.sf(z), label)
    assert np.all(err <= z * se + 1e-12), f"{label}: mean {mean} vs {expected} (se {se})"
