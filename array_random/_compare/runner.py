"""Run the comparison: draw, time, test against the exact law, group identical streams.

Each cell (distribution x target) draws ``size`` samples from a fresh
Generator seeded with ``cell_seed(seed, distribution)`` (every target of a
distribution starts from the same seed),
times that call and the backend's native routine, and tests the samples
against the exact law: Kolmogorov-Smirnov (continuous) or chi-square
(discrete) plus the first two moments. Targets that produced bitwise-equal
samples share their statistics, which are computed once.
"""
from __future__ import annotations

import hashlib
import math
import time
import warnings
import zlib

import numpy as np

from .reference import Case

#: significance of the goodness-of-fit test, as in conformance/stats.py
ALPHA = 1e-6
#: a moment further than this many standard errors from the exact value fails
MAX_Z = 6.0
#: timed calls repeat until they add up to this many seconds (at most REPEAT calls)
MIN_TIMED = 0.05
REPEAT = 7
#: agreement is judged on this many leading values of each output
HEAD = 1000


# --- host copies and timing ------------------------------------------------------------
def to_host(x) -> np.ndarray:
    """A NumPy copy of a backend's array, for the statistics only."""
    if hasattr(x, "detach"):
        return x.detach().cpu().numpy()
    if isinstance(x, np.ndarray):
        return x
    try:
        return np.asarray(x)
    except Exception:  # array_api_strict refuses __array__ off its CPU device
        import array_api_strict as xps
        return np.asarray(x.to_device(xps.Device("CPU_DEVICE")))


def _sync(x):
    if hasattr(x, "__dask_graph__"):  # a lazy Dask array: the draw happens when computed
        return x.compute()
    if hasattr(x, "block_until_ready"):
        x.block_until_ready()
    elif getattr(x, "is_cuda", False):
        import torch
        torch.cuda.synchronize(x.device)
    return x


def _timed(fn):
    start = time.perf_counter()
    out = _sync(fn())
    return out, time.perf_counter() - start


def _best_time(fn, previous: float | None = None) -> float:
    """The fastest of a few new calls (at least one) and of ``previous``, a time already seen."""
    times = []
    while not times or (sum(times) < MIN_TIMED and len(times) < REPEAT):
        times.append(_timed(fn)[1])
    return min(times + ([previous] if previous is not None else []))


def _compiles(target) -> bool:
    """Whether the first call pays for compilation or kernel loading, so is not timed."""
    return target.backend == "jax" or str(target.device_name).startswith("cuda")


# --- exact moments and tests -------------------------------------------------------------
def exact_moments(case: Case, law) -> dict:
    """Mean, variance and excess kurtosis of the law (NaN where infinite or undefined)."""
    if case.bounds is not None:
        from scipy import integrate
        lo, hi = case.bounds
        raw = [integrate.quad(lambda x, k=k: x**k * law.pdf(x), lo, hi)[0] for k in range(1, 5)]
        m1, m2, m3, m4 = raw
        var = m2 - m1**2
        mu4 = m4 - 4 * m1 * m3 + 6 * m1**2 * m2 - 3 * m1**4
        return {"mean": m1, "var": var, "kurtosis": mu4 / var**2 - 3}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mean, var, kurt = (float(v) for v in law.stats(moments="mvk"))
    return {"mean": mean, "var": var, "kurtosis": kurt}


def _finite(v) -> bool:
    return v is not None and math.isfinite(v)


#: the KS statistic of large samples uses the exact CDF at this many sample quantiles,
#: interpolated linearly in between, when that is this close to exact at the midpoints
KS_GRID = 2**16
KS_TOLERANCE = 1e-5


def ks_test(x: np.ndarray, law) -> tuple[float, float]:
    """Kolmogorov-Smirnov statistic and exact p-value (scipy's ``kstwo``) of ``x`` against the law.

    scipy's ``kstest`` sorts twice and evaluates the CDF at every sample (a
    second for a million F or noncentral-F values); here the CDF is evaluated
    exactly at ``KS_GRID`` sample quantiles and interpolated. The interpolation
    error, measured at the midpoints, must stay below ``KS_TOLERANCE`` (the 1e-6
    critical distance at n = 10^6 is 2.7e-3), else every sample is evaluated.
    """
    from scipy import stats
    xs = np.sort(x)
    n = xs.size
    cdf = None
    if n > 4 * KS_GRID:
        grid = np.unique(xs[np.linspace(0, n - 1, KS_GRID + 1).astype(np.int64)])
        fg = law.cdf(grid)
        mid = law.cdf((grid[:-1] + grid[1:]) / 2)
        if grid.size > 1 and np.max(np.abs(mid - (fg[:-1] + fg[1:]) / 2)) < KS_TOLERANCE:
            cdf = np.interp(xs, grid, fg)
    if cdf is None:
        cdf = law.cdf(xs)
    above = np.arange(1, n + 1) / n - cdf
    below = cdf - np.arange(0, n) / n
    d = float(max(above.max(), below.max()))
    return d, float(stats.kstwo.sf(d, n))


def chi2_test(x: np.ndarray, law, min_expected: float = 5.0) -> tuple[float, float, int]:
    """Chi-square of integer samples against the law's pmf; sparse cells pooled with neighbours."""
    from scipy import stats
    n = x.size
    a, b = law.support()
    lo = int(max(a, law.ppf(1e-10)))
    hi = int(min(b, law.isf(1e-10)))
    ks = np.arange(lo, hi + 1)
    expected = np.concatenate([[law.cdf(lo - 1)], law.pmf(ks), [law.sf(hi)]]) * n
    idx = np.clip(x - lo, -1, hi - lo + 1).astype(np.int64) + 1
    observed = np.bincount(idx, minlength=ks.size + 2).astype(np.float64)
    cells_o, cells_e, acc_o, acc_e = [], [], 0.0, 0.0
    for o, e in zip(observed, expected):
        acc_o += o
        acc_e += e
        if acc_e >= min_expected:
            cells_o.append(acc_o)
            cells_e.append(acc_e)
            acc_o = acc_e = 0.0
    if cells_e:
        cells_o[-1] += acc_o
        cells_e[-1] += acc_e
    cells_o, cells_e = np.array(cells_o), np.array(cells_e)
    if cells_o.size < 2:
        return 0.0, 1.0, 0
    stat = float(((cells_o - cells_e) ** 2 / cells_e).sum())
    dof = cells_o.size - 1
    return stat, float(stats.chi2.sf(stat, dof)), dof


def check(case: Case, x: np.ndarray, law, exact: dict) -> dict:
    """Goodness of fit and moments of the samples ``x`` (float64, 1-d), and a verdict."""
    n = x.size
    out = {"test": "ks" if case.kind == "continuous" else "chi2", "statistic": None,
           "pvalue": None, "dof": None, "mean": None, "var": None, "mean_z": None,
           "var_z": None, "verdict": "pass", "reason": None}
    if not np.all(np.isfinite(x)):
        return {**out, "verdict": "fail", "reason": f"{int(np.sum(~np.isfinite(x)))} "
                                                    f"non-finite values"}
    a, b = law.support()
    if x.min() < a or x.max() > b:
        return {**out, "verdict": "fail",
                "reason": f"values outside the support [{a:g}, {b:g}]: "
                          f"min {x.min():.4g}, max {x.max():.4g}"}
    if case.kind == "discrete":
        if not np.all(x == np.round(x)):
            return {**out, "verdict": "fail", "reason": "non-integer values"}
        out["statistic"], out["pvalue"], out["dof"] = chi2_test(x, law)
    else:
        out["statistic"], out["pvalue"] = ks_test(x, law)
    mean, var = float(x.mean()), float(x.var(ddof=1)) if n > 1 else 0.0
    out["mean"], out["var"] = mean, var
    if _finite(exact["var"]) and exact["var"] > 0:
        out["mean_z"] = (mean - exact["mean"]) / math.sqrt(exact["var"] / n)
        if _finite(exact["kurtosis"]) and n > 1:
            # Var(sample variance) = sigma^4 (excess kurtosis + 2) / n, to first order
            se = exact["var"] * math.sqrt((exact["kurtosis"] + 2) / n)
            out["var_z"] = (var - exact["var"]) / se
    reasons = []
    if out["pvalue"] < ALPHA:
        reasons.append(f"{out['test'].upper()} p = {out['pvalue']:.2g}")
    for name in ("mean", "var"):
        z = out[f"{name}_z"]
        if z is not None and abs(z) > MAX_Z:
            reasons.append(f"{name} off by {z:+.1f} SE")
    if reasons:
        out["verdict"], out["reason"] = "fail", "; ".join(reasons)
    return out


# --- histograms for the plot --------------------------------------------------------------
def plot_grid(case: Case, law) -> np.ndarray:
    """Bin edges (continuous) or support points (discrete) the plot shows."""
    if case.kind == "continuous":
        q1, q3 = law.ppf(0.25), law.ppf(0.75)
        # heavy tails (Cauchy) would squeeze the body into one bin: at most 3 IQRs out
        lo = max(law.ppf(0.005), q1 - 3 * (q3 - q1))
        hi = min(law.ppf(0.995), q3 + 3 * (q3 - q1))
        return np.linspace(lo, hi, 61)
    lo, hi = int(law.ppf(0.0005)), int(law.ppf(0.9995))
    if hi - lo > 60:
        hi = lo + 60
    return np.arange(lo, hi + 1)


def histogram(case: Case, x: np.ndarray, grid: np.ndarray) -> list[float]:
    """Density over ``grid``'s bins (continuous) or frequency of each point (discrete)."""
    if case.kind == "continuous":
        counts, _ = np.histogram(x, bins=grid)
        return (counts / (x.size * np.diff(grid))).tolist()
    idx = x.astype(np.int64) - int(grid[0])
    inside = (idx >= 0) & (idx < grid.size)
    return (np.bincount(idx[inside], minlength=grid.size) / x.size).tolist()


# --- one cell ---------------------------------------------------------------------------------
def _digest(x: np.ndarray) -> str:
    """Hash of the values as float64: equal for equal values of any dtype."""
    return hashlib.sha1(np.ascontiguousarray(x, dtype=np.float64).tobytes()).hexdigest()


def _raw_digest(x: np.ndarray) -> str:
    """Hash of the bytes and dtype (cheaper, for the cache of test results)."""
    h = hashlib.sha1(str(x.dtype).encode())
    h.update(memoryview(np.ascontiguousarray(x)).cast("B"))
    return h.hexdigest()


def _native(case: Case, target, n: int, seed, fdtype, idtype):
    """``(text, zero-argument callable)`` for the backend's own routine, or ``(None, None)``."""
    # JAX keys and torch seeds take one int: the cell's seed words, mixed
    seed = int(np.random.SeedSequence(seed).generate_state(1, np.uint32)[0])
    if target.backend == "numpy":
        gen = np.random.default_rng(seed)
        return case.numpy_text, lambda: case.numpy_native(gen, n)
    if target.backend == "jax" and case.jax is not None:
        import jax
        text, fn, params = case.jax
        key = jax.device_put(jax.random.key(seed), target.device)
        args = [jax.device_put(np.asarray(p, dtype=idtype if isinstance(p, int) else fdtype),
                               target.device) for p in params]
        # compiled ahead of time, so that the first call is already a timed one
        compiled = jax.jit(lambda k, *a: fn(k, n, fdtype, idtype, *a)).lower(key, *args).compile()
        return text, lambda: compiled(key, *args)
    if target.backend == "torch" and case.torch is not None:
        import torch
        text, fn = case.torch
        gen = torch.Generator(device=target.device)
        gen.manual_seed(seed)
        return text, lambda: fn(gen, n, fdtype, idtype, target.device)
    return None, None


def _dtypes(rng):
    dts = rng.xp.__array_namespace_info__().default_dtypes(device=rng.device)
    return dts["real floating"], dts["integral"]


class _Draw:
    """The first call of a cell: its samples, and how long it took (JAX: compilation included)."""

    def __init__(self, case: Case, target, size: int, seed: int):
        import array_random

        self.missing = not hasattr(array_random.Generator, case.name)
        if self.missing:
            return
        self.rng = target.rng(seed)
        out, self.first = _timed(lambda: case.draw(self.rng, size, target.float_dtype))
        self.host = to_host(out)


class _Native:
    """The backend's own routine for a cell, ready to time (JAX: compiled ahead of time)."""

    def __init__(self, case: Case, target, size: int, seed: int):
        self.text = self.fn = self.compile_s = None
        start = time.perf_counter()
        try:
            rng = target.rng(seed)
            fdtype, idtype = _dtypes(rng)
            if target.float_dtype is not None:  # the native call in array_random's dtype
                fdtype = getattr(rng.xp, target.float_dtype)
            self.text, self.fn = _native(case, target, size, seed, fdtype, idtype)
        except Exception as exc:  # the native routine may not take this dtype
            self.text = f"{_native_text(case, target)} (failed: {type(exc).__name__})"
        if target.backend == "jax" and self.fn is not None:
            self.compile_s = time.perf_counter() - start


def _native_text(case, target):
    entry = getattr(case, target.backend, None) if target.backend in ("jax", "torch") else None
    return entry[0] if entry else case.numpy_text


def prepare_draw(case: Case, target, size: int, seed: int) -> _Draw:
    with np.errstate(all="ignore"):
        return _Draw(case, target, size, seed)


def prepare_native(case: Case, target, size: int, seed: int) -> _Native:
    return _Native(case, target, size, seed)


class _Timer:
    """The timed calls of one cell: array_random's draw and the native routine.

    The first draw counts as a measurement unless it compiled (JAX, CUDA);
    :meth:`measure` keeps the best time seen.
    """

    def __init__(self, case: Case, target, size: int, draw: _Draw, native: _Native | None):
        rng = draw.rng
        self.size = size
        self.draw = lambda: case.draw(rng, size)
        self.native = native.fn if native is not None else None
        self.seconds = None if _compiles(target) else draw.first
        self.native_seconds = None
        self.native_error = None

    def measure(self) -> None:
        """Time the calls never timed, and the quick ones again (best time kept)."""
        if self.seconds is None or self.seconds < RETIME:
            self.seconds = _best_time(self.draw, self.seconds)
        if self.native is not None and self.native_error is None:
            if self.native_seconds is None or self.native_seconds < RETIME:
                try:
                    self.native_seconds = _best_time(self.native, self.native_seconds)
                except Exception as exc:  # the native routine may not take this dtype
                    self.native_error = type(exc).__name__

    def update(self, rec: dict) -> None:
        rate = self.size / self.seconds if self.seconds else None
        native = self.size / self.native_seconds if self.native_seconds else None
        rec["seconds"] = self.seconds
        rec["samples_per_s"] = rate
        rec["native_samples_per_s"] = native
        rec["ratio"] = rate / native if rate and native else None
        if self.native_error:
            rec["native_call"] = f"{rec['native_call']} (failed: {self.native_error})"


#: calls quicker than this are timed again once nothing runs in the background
RETIME = 0.5


def _record(case: Case, target, size: int, draw: _Draw, native: _Native | None):
    """The cell's record before timing: ``(record, flat host samples, marginal)``."""
    rec = {"method": case.name, "target": target.label, "status": "ok", "size": size,
           "dtype": None, "shape": None, "seconds": None, "samples_per_s": None,
           "first_call_s": None, "native_call": None, "native_samples_per_s": None,
           "native_compile_s": None, "ratio": None, "error": None}
    if draw.missing:
        rec["status"] = "missing"
        return rec, None, None
    host = draw.host
    rec["dtype"] = str(host.dtype)
    rec["shape"] = list(host.shape)
    rec["first_call_s"] = draw.first
    if native is not None:
        rec["native_call"] = native.text
        rec["native_compile_s"] = native.compile_s
    flat = host.reshape(-1)
    marginal = host[..., case.marginal].reshape(-1) if case.marginal is not None else flat
    return rec, flat, marginal


def _error(case, target, exc) -> dict:
    msg = str(exc).splitlines()[0] if str(exc) else ""
    return {"method": case.name, "target": target.label, "status": "error",
            "error": f"{type(exc).__name__}: {msg}"}


def cell_seed(seed: int, case: Case) -> list[int]:
    """The seed of every target's Generator for one distribution: ``[seed, crc32(name)]``.

    Every target draws a distribution from the same seed; distributions get
    different ones, so that monotone transforms of one stream (uniform,
    gumbel, logistic, ...) do not all show the same p-value.
    """
    return [seed, zlib.crc32(case.name.encode())]


def run(cases, targets, size, seed: int, *, plot: bool = False, native: bool = True,
        on_cell=None) -> list[dict]:
    """Every cell of ``cases`` x ``targets``: the comparison's figures (see the JSON schema).

    ``size`` is the number of draws per cell, or a function of the target
    giving it. ``on_cell(case, target)`` is called before each cell (progress).

    Compiling JAX's draws dominates a run, so two background threads start at
    once on every JAX cell (the first draw, compiled and made; the native
    routine, compiled ahead of time), while the main thread draws and tests the
    other backends first and the JAX cells last. Then, with nothing running in
    the background, the main thread times every cell: the calls not timed yet
    (JAX's, whose first call compiled; the native routines), and those quicker
    than ``RETIME`` again. A slower first call is timed once, as it was made.
    """
    from concurrent.futures import ThreadPoolExecutor

    from scipy import stats

    n_of = size if callable(size) else (lambda target: size)
    compiled = [t for t in targets if t.backend == "jax"]
    order = [t for t in targets if t not in compiled] + compiled
    laws = [case.law(stats) for case in cases]
    exacts = [exact_moments(case, law) for case, law in zip(cases, laws)]
    grids = [plot_grid(case, law) if plot else None for case, law in zip(cases, laws)]
    caches: list[dict] = [{} for _ in cases]   # full-output digest -> test results
    hists: list[dict] = [{} for _ in cases]
    cells: dict = {}
    timers: dict = {}
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="array-random-compile")
    futures = {}

    def get(k, target, what, n):
        fut = futures.pop((k, target.label, what), None)
        if fut is not None:
            return fut.result()
        if what == "draw":
            return prepare_draw(cases[k], target, n, cell_seed(seed, cases[k]))
        return prepare_native(cases[k], target, n, cell_seed(seed, cases[k])) if native else None

    # set once here: catch_warnings is not thread-safe, and the background threads draw too
    caught = warnings.catch_warnings()
    caught.__enter__()
    warnings.simplefilter("ignore")
    try:
        for k, case in enumerate(cases):
            for t in compiled:
                s = cell_seed(seed, case)
                futures[k, t.label, "draw"] = pool.submit(prepare_draw, case, t, n_of(t), s)
                if native:
                    futures[k, t.label, "native"] = pool.submit(prepare_native, case, t,
                                                                n_of(t), s)
        for target in order:
            for k, case in enumerate(cases):
                if on_cell is not None:
                    on_cell(case, target)
                started = time.perf_counter()
                try:
                    rec, timer = _cell(case, target, n_of(target), get, k, laws[k], exacts[k],
                                       grids[k], caches[k], hists[k], plot)
                    if timer is not None:
                        timers[k, target.label] = timer
                except Exception as exc:
                    rec = _error(case, target, exc)
                rec["wall_s"] = time.perf_counter() - started
                cells[k, target.label] = rec
        pool.shutdown(wait=True)
        for key, timer in timers.items():
            started = time.perf_counter()
            try:
                with np.errstate(all="ignore"):
                    timer.measure()
            except Exception as exc:
                k = key[0]
                cells[key] = _error(cases[k], next(t for t in targets if t.label == key[1]), exc)
                continue
            timer.update(cells[key])
            cells[key]["wall_s"] += time.perf_counter() - started
    finally:
        for fut in futures.values():
            fut.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        caught.__exit__(None, None, None)

    rows = []
    for k, case in enumerate(cases):
        row_cells = [cells[k, t.label] for t in targets]
        _agreement(row_cells)
        row = {"method": case.name, "call": case.call, "kind": case.kind,
               "reference": f"scipy.stats.{case.law_text}",
               "marginal": case.marginal, "exact": exacts[k], "cells": row_cells}
        if plot:
            row["_grid"] = grids[k].tolist()
            row["_law"] = laws[k]
        rows.append(row)
    return rows


def _cell(case, target, n, get, k, law, exact, grid, cache, hists, plot):
    """One cell on the main thread, untimed: its prepared draw and (cached) tests."""
    draw = get(k, target, "draw", n)
    nat = None if draw.missing else get(k, target, "native", n)
    with np.errstate(all="ignore"):
        rec, flat, marginal = _record(case, target, n, draw, nat)
        if flat is None:
            return rec, None
        timer = _Timer(case, target, n, draw, nat)
        del draw, nat
        full = _raw_digest(flat)
        rec["head_hash"] = _digest(flat[:HEAD])[:16]
        if full not in cache:
            x = np.asarray(marginal, dtype=np.float64)
            cache[full] = check(case, x, law, exact)
            if plot:
                hists[full] = histogram(case, x, grid)
        rec.update(cache[full])
        rec["status"] = rec.pop("verdict")
        if plot:
            rec["_hist"] = hists[full]
    return rec, timer


def _agreement(cells) -> None:
    """Label targets whose first HEAD values are identical: group letters A, B, ..."""
    groups: dict[str, list] = {}
    for rec in cells:
        if rec.get("head_hash"):
            groups.setdefault(rec["head_hash"], []).append(rec)
    letter = 0
    for members in groups.values():
        for rec in members:
            rec["same_as"] = [m["target"] for m in members if m is not rec]
            rec["group"] = None
        if len(members) > 1:
            for rec in members:
                rec["group"] = chr(ord("A") + letter)
            letter += 1
