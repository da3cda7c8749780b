"""Comparisons for array-agnostic tests: metadata first, then values on NumPy.

``assert_close``/``assert_equal`` check, in this order, that ``actual`` is of
the namespace, shape, dtype and device of ``desired`` (the usual bugs of
array-agnostic code: a NumPy result for a torch input, a float64 result for a
float32 input, a result on the wrong device), and only then copy both to NumPy
to compare values: that copy is the only transfer and serves the comparison only.
"""
from __future__ import annotations

import numpy as np

from ._backends import to_numpy

__all__ = ["assert_close", "assert_equal", "assert_same_distribution"]


def _namespace_name(xp) -> str:
    return getattr(xp, "__name__", repr(xp))


def _check_metadata(actual, desired, *, check_namespace, check_shape, check_dtype,
                    check_device, err_msg):
    import array_api_compat

    prefix = f"{err_msg}: " if err_msg else ""
    if not array_api_compat.is_array_api_obj(actual):
        raise AssertionError(f"{prefix}actual is a {type(actual).__name__}, not an array")
    xp = array_api_compat.array_namespace(actual)
    if not array_api_compat.is_array_api_obj(desired):
        # a Python scalar or nested list: the expected values, in actual's namespace
        desired = xp.asarray(desired, dtype=actual.dtype if check_dtype else None,
                             device=array_api_compat.device(actual))
    if check_namespace:
        other = array_api_compat.array_namespace(desired)
        if other is not xp:
            raise AssertionError(f"{prefix}namespaces differ: actual is of "
                                 f"{_namespace_name(xp)}, desired of {_namespace_name(other)}")
    if check_shape and tuple(actual.shape) != tuple(desired.shape):
        raise AssertionError(f"{prefix}shapes differ: actual {tuple(actual.shape)}, "
                             f"desired {tuple(desired.shape)}")
    if check_dtype and not _same_dtype(actual, desired, xp):
        raise AssertionError(f"{prefix}dtypes differ: actual {actual.dtype}, "
                             f"desired {desired.dtype}")
    if check_device:
        a, d = array_api_compat.device(actual), array_api_compat.device(desired)
        if a != d:
            raise AssertionError(f"{prefix}devices differ: actual on {a}, desired on {d}")
    return desired


def _same_dtype(actual, desired, xp) -> bool:
    import array_api_compat
    if array_api_compat.array_namespace(desired) is xp:
        return actual.dtype == desired.dtype
    # two namespaces (check_namespace=False): their dtype objects never compare equal
    return str(actual.dtype).rsplit(".", 1)[-1] == str(desired.dtype).rsplit(".", 1)[-1]


def assert_close(actual, desired, *, rtol=None, atol=0.0, check_namespace=True,
                 check_shape=True, check_dtype=True, check_device=True, err_msg=""):
    """Assert that ``actual`` matches ``desired`` in metadata and, within tolerance, in value.

    Parameters
    ----------
    actual : array
        The result under test.
    desired : array, scalar or nested list
        The expected result. An array must be of actual's namespace (check
        ``check_namespace``), shape, dtype and device; a scalar or list is
        taken as values in actual's namespace, dtype and device.
    rtol : float, optional
        Relative tolerance; default ``4 * sqrt(eps)`` of actual's dtype (for
        float32 ~1.4e-3, float64 ~6e-8), as SciPy's ``xp_assert_close``;
        ``1e-7`` for integer and boolean arrays.
    atol : float
        Absolute tolerance (default 0).
    check_namespace, check_shape, check_dtype, check_device : bool
        Turn one metadata check off.
    err_msg : str
        Prefix of the failure message.

    Raises
    ------
    AssertionError
        On the first metadata difference, else as ``numpy.testing.assert_allclose``
        (NaNs in the same places compare equal).

    Examples
    --------
    >>> import array_api_strict as xp
    >>> assert_close(xp.asarray([1.0, 2.0]) * 3, xp.asarray([3.0, 6.0]))
    """
    desired = _check_metadata(actual, desired, check_namespace=check_namespace,
                              check_shape=check_shape, check_dtype=check_dtype,
                              check_device=check_device, err_msg=err_msg)
    a, d = to_numpy(actual), to_numpy(desired)
    if rtol is None:
        rtol = 4 * np.finfo(a.dtype).eps ** 0.5 if np.issubdtype(a.dtype, np.inexact) else 1e-7
    np.testing.assert_allclose(a, d, rtol=rtol, atol=atol, equal_nan=True, err_msg=err_msg)


def assert_equal(actual, desired, *, check_namespace=True, check_shape=True, check_dtype=True,
                 check_device=True, err_msg=""):
    """Assert that ``actual`` equals ``desired`` exactly, metadata first (see :func:`assert_close`).

    NaNs in the same places compare equal.

    Examples
    --------
    >>> import array_api_strict as xp
    >>> assert_equal(xp.arange(3), xp.asarray([0, 1, 2], dtype=xp.int64))
    """
    desired = _check_metadata(actual, desired, check_namespace=check_namespace,
                              check_shape=check_shape, check_dtype=check_dtype,
                              check_device=check_device, err_msg=err_msg)
    np.testing.assert_array_equal(to_numpy(actual), to_numpy(desired), err_msg=err_msg)


def assert_same_distribution(sample, reference, *, alpha=1e-6, discrete=None, err_msg=""):
    """Assert that ``sample`` could come from ``reference``, a distribution or another sample.

    For random outputs that cannot match element by element (a backend's native
    stream, a different algorithm), compare distributions instead:

    - ``reference`` a frozen ``scipy.stats`` continuous distribution: one-sample
      Kolmogorov-Smirnov test;
    - a frozen ``scipy.stats`` discrete distribution: chi-square goodness of fit,
      neighbouring values pooled until every cell expects at least 5 counts;
    - an array (any namespace) or sequence: a second sample; two-sample KS for
      continuous values, chi-square test of homogeneity for discrete ones
      (integer or boolean dtype, or ``discrete=True``).

    The sample is flattened (its elements are taken as independent draws) and
    copied to NumPy for the test.

    Parameters
    ----------
    sample : array
    reference : scipy.stats frozen distribution or array
    alpha : float
        Significance level: the test fails when its p-value is below ``alpha``.
    discrete : bool, optional
        Force the discrete (chi-square) or continuous (KS) test; default: by dtype,
        or by the kind of scipy distribution.
    err_msg : str
        Prefix of the failure message.

    Raises
    ------
    AssertionError
        When the p-value is below ``alpha``, with the statistic and p-value.

    Notes
    -----
    **False-alarm rate.** When ``sample`` really has the reference distribution,
    the assertion fails with probability ``alpha`` (default 1e-6): exactly for
    the KS tests of continuous data (a KS test of discrete data is conservative,
    below ``alpha``), approximately for the chi-square tests (asymptotic, accurate
    with the at least 5 expected counts per cell this function enforces). A suite
    of ``T`` such assertions false-alarms in at most ``T * alpha`` of runs over
    random seeds (Bonferroni); with a fixed seed, e.g. the ``rng`` fixture's,
    the outcome is the same on every run. Power: with ``n`` draws KS detects a
    difference of the cdfs of about ``2.7 / sqrt(n)`` (at ``alpha=1e-6``).

    Examples
    --------
    >>> import numpy as np, scipy.stats
    >>> sample = np.random.default_rng(0).normal(size=10_000)
    >>> assert_same_distribution(sample, scipy.stats.norm())
    """
    from scipy import stats

    x = to_numpy(sample).ravel()
    is_dist = hasattr(reference, "dist") and hasattr(reference, "cdf")
    if is_dist:
        if discrete is None:
            discrete = isinstance(reference.dist, stats.rv_discrete)
        if discrete:
            statistic, pvalue, what = _chi2_gof(x, reference)
        else:
            result = stats.kstest(x, reference.cdf)
            statistic, pvalue, what = result.statistic, result.pvalue, "one-sample KS"
    else:
        y = to_numpy(reference).ravel() if not isinstance(reference, (list, tuple)) \
            else np.asarray(reference).ravel()
        if discrete is None:
            discrete = x.dtype.kind in "biu" and y.dtype.kind in "biu"
        if discrete:
            statistic, pvalue, what = _chi2_homogeneity(x, y)
        else:
            result = stats.ks_2samp(x, y)
            statistic, pvalue, what = result.statistic, result.pvalue, "two-sample KS"
    if not pvalue >= alpha:  # NaN fails too
        prefix = f"{err_msg}: " if err_msg else ""
        raise AssertionError(f"{prefix}{what} test rejects the same distribution: statistic "
                             f"{statistic:.6g}, p-value {pvalue:.3g} < alpha {alpha:g} "
                             f"(n = {x.size})")


def _pool(expected, min_count=5.0):
    """Edges (indices into the cells) merging neighbours until each expects >= min_count."""
    groups, current, total = [], [], 0.0
    for i, e in enumerate(expected):
        current.append(i)
        total += e
        if total >= min_count:
            groups.append(current)
            current, total = [], 0.0
    if current:
        if groups:
            groups[-1].extend(current)
        else:
            groups.append(current)
    return groups


def _chi2_gof(x, dist):
    from scipy import stats

    n = x.size
    if n == 0:
        raise ValueError("assert_same_distribution needs a non-empty sample")
    # cells: every integer from the 1e-12 quantile to the 1 - 1e-12 quantile, and the two tails
    lo, hi = dist.ppf(1e-12), dist.isf(1e-12)
    lo, hi = int(max(lo, x.min())), int(min(hi, x.max()))
    hi = min(hi, lo + 10**6)  # a heavy tail (zipf): the rest is the upper tail's cell
    values = np.arange(lo, hi + 1)
    probs = np.concatenate([[dist.cdf(lo - 1)], dist.pmf(values), [dist.sf(hi)]])
    counts = np.concatenate([[np.sum(x < lo)],
                             np.bincount((x[(x >= lo) & (x <= hi)] - lo).astype(np.int64),
                                         minlength=values.size), [np.sum(x > hi)]])
    groups = _pool(n * probs)
    observed = np.array([counts[g].sum() for g in groups], dtype=float)
    expected = np.array([n * probs[g].sum() for g in groups])
    expected *= n / expected.sum()  # the 1e-12 tails outside every cell: renormalise
    if len(groups) < 2:
        return 0.0, 1.0, "chi-square goodness-of-fit (one cell: nothing to test)"
    result = stats.chisquare(observed, expected)
    return result.statistic, result.pvalue, "chi-square goodness-of-fit"


def _chi2_homogeneity(x, y):
    from scipy import stats

    values = np.union1d(x, y)
    cx = np.bincount(np.searchsorted(values, x), minlength=values.size).astype(float)
    cy = np.bincount(np.searchsorted(values, y), minlength=values.size).astype(float)
    # pool by the smaller expected count of the two samples in each cell
    share = min(x.size, y.size) / (x.size + y.size)
    groups = _pool((cx + cy) * share)
    table = np.array([[cx[g].sum() for g in groups], [cy[g].sum() for g in groups]])
    if table.shape[1] < 2:
        return 0.0, 1.0, "chi-square homogeneity (one cell: nothing to test)"
    result = stats.chi2_contingency(table, correction=False)
    return result.statistic, result.pvalue, "chi-square homogeneity"
