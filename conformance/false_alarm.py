"""Measure the false-alarm rate of the conformance suite's statistical tests.

    python conformance/false_alarm.py --seeds N --out DIR [--backend NAME] [--budget SECONDS]

Runs the goodness-of-fit test files once per seed offset k = 1..N, each in its
own ``pytest`` subprocess with ``ARRAY_RANDOM_SEED_OFFSET=k`` (every
``target.rng(seed)`` becomes ``SeedSequence([seed, k])``, see ``targets.py``)
and ``ARRAY_RANDOM_PVALUE_LOG`` (every assertion of ``stats.py`` logs its
p-value). Writes ``DIR/pvalues_k.jsonl``, ``DIR/junit_k.xml`` per offset and
``DIR/summary.json``, and prints the summary.

Thousands of suite runs, what a direct estimate of a 1e-3 rate needs, do not
fit on a laptop. The script shows the two facts the bound rests on instead:

* no run fails (a failing run is reported with its tests and messages), and
* the p-values are calibrated: uniform on (0, 1), so an assertion with
  threshold ALPHA fails with probability ALPHA, and a run of T assertions
  with probability at most sum(alpha_i) <= T * ALPHA (Bonferroni, any
  dependence between the assertions).

The calibration check counts p-values below 1e-2 .. 1e-6 against their
expected counts, runs a KS test of all p-values against U(0, 1), and combines
each assertion's p-values over the seeds (Fisher) to flag one that is small
at every seed, the signature of a sampler that is slightly off.

The p-values of one run are not independent: tests reuse seeds, and
monotone transforms of one uniform stream (gumbel, logistic, rayleigh and
cauchy by inversion, or random and uniform) give the very same KS statistic.
Runs at different offsets are independent, so the seed is the unit: the
tail counts' expected values hold under any dependence, their spread is
estimated from the per-seed counts (``z_over_seeds``), and each assertion's
p-values over the seeds are i.i.d. (the KS and Fisher tests per assertion).
The pooled KS test, which assumes independence, is indicative only.

p-values too large are no false alarm but a weaker test: a chi-square on
a sample drawn without replacement (half of a permutation of 20000 values,
mod 100) has counts that vary half as much as multinomial ones, p near 1
at every seed, and shows up in ``ks_below_1e-3_p_too_large``.

Not every p-value is exactly uniform: chi-square p-values of discrete counts
take discrete values and the chi-square law is an approximation (cells with
expected count >= 5), KS p-values for n > 10000 are asymptotic, and the
moment p-values are the normal approximation of a mean of N draws. All are
close to uniform at these sample sizes; the KS test of the pooled p-values
would show a gross departure, not the small ones at single atoms. Targets
that share a bit stream (JAX and the generic Threefry backend on each
array_api_strict device draw the same numbers from the same seed) repeat
p-values; the calibration is therefore also reported on the distinct ones.
"""
from __future__ import annotations

import argparse
import collections
import json
import math
import os
import pathlib
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import numpy as np
from scipy import stats

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
FILES = ("test_gof_core.py", "test_gof_continuous.py", "test_gof_discrete.py",
         "test_gof_multivariate.py")
THRESHOLDS = (1e-2, 1e-3, 1e-4, 1e-5, 1e-6)


def _env(offset, log, jax_cache):
    env = dict(os.environ)
    env["ARRAY_RANDOM_SEED_OFFSET"] = str(offset)
    env["ARRAY_RANDOM_PVALUE_LOG"] = str(log)
    env.setdefault("OMP_NUM_THREADS", "1")
    # the import path of array_random: this checkout first, not an editable install elsewhere
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in
                                         env.get("PYTHONPATH", "").split(os.pathsep) if p])
    if jax_cache:
        # compiled XLA programs do not depend on the seed: reuse them across runs
        env["JAX_COMPILATION_CACHE_DIR"] = str(jax_cache)
        env["JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"] = "0"
        env["JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES"] = "-1"
    return env


def _junit(path):
    """(tests, failures + errors, skipped, [(test id, message)]) from a junit file."""
    suite = ET.parse(path).getroot()
    if suite.tag == "testsuites":
        suite = suite[0]
    failed = []
    for case in suite.iter("testcase"):
        for bad in list(case.findall("failure")) + list(case.findall("error")):
            name = f"{case.get('classname')}::{case.get('name')}"
            failed.append({"test": name, "message": (bad.get("message") or "")[:500]})
    n = int(suite.get("tests", 0))
    return n, int(suite.get("failures", 0)) + int(suite.get("errors", 0)), \
        int(suite.get("skipped", 0)), failed


def _load(out, offset, returncode, wall):
    tests, failures, skipped, failed = _junit(out / f"junit_{offset}.xml")
    log = out / f"pvalues_{offset}.jsonl"
    records = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return {"offset": offset, "returncode": returncode, "wall_s": round(wall, 1),
            "tests": tests, "failures": failures, "skipped": skipped, "failed": failed,
            "assertions": len(records),
            "assertions_by_kind": dict(collections.Counter(r["kind"] for r in records)),
            "sum_alpha": sum(r["alpha"] for r in records),
            # assertions with one p-value test one event (same stream, monotone transform)
            "sum_alpha_distinct": sum({r["p"]: r["alpha"] for r in records}.values()),
            "min_p": min((r["p"] for r in records), default=None)}, records


def run_one(offset, out, files, backend, jax_cache, extra):
    log = out / f"pvalues_{offset}.jsonl"
    junit = out / f"junit_{offset}.xml"
    log.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}",
           *[str(HERE / f) for f in files], *extra]
    if backend:
        cmd += ["--backend", backend]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=_env(offset, log, jax_cache),
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    (out / f"pytest_{offset}.out").write_text(proc.stdout + proc.stderr)
    (out / f"run_{offset}.json").write_text(json.dumps({"returncode": proc.returncode,
                                                       "wall_s": wall}))
    return _load(out, offset, proc.returncode, wall)


def load_dir(out):
    """The runs already in ``out``: for re-summarizing without running anything."""
    runs, all_records = [], []
    offsets = sorted(int(p.stem.split("_")[1]) for p in out.glob("junit_*.xml"))
    for offset in offsets:
        meta = out / f"run_{offset}.json"
        if meta.exists():
            m = json.loads(meta.read_text())
            returncode, wall = m["returncode"], m["wall_s"]
        else:  # written by an earlier version of this script: rebuild from the junit file
            root = ET.parse(out / f"junit_{offset}.xml").getroot()
            suite = root[0] if root.tag == "testsuites" else root
            wall = float(suite.get("time", "nan"))
            returncode = 1 if int(suite.get("failures", 0)) + int(suite.get("errors", 0)) else 0
        run, records = _load(out, offset, returncode, wall)
        runs.append(run)
        all_records.append(records)
    return runs, all_records


def _keyed(records):
    """Each record with a key naming the same assertion in every run: test, label, occurrence."""
    seen = collections.Counter()
    for r in records:
        k = (r["test"], r["label"], r["kind"])
        yield k + (seen[k],), r
        seen[k] += 1


def calibration(ps_by_seed):
    """Tail counts, with their spread over the seeds, and a KS test, of p-values per seed."""
    ps = np.concatenate([np.asarray(p, dtype=np.float64) for p in ps_by_seed])
    n, seeds = ps.size, len(ps_by_seed)
    if n == 0:
        return {"n": 0}
    tails = {}
    for t in THRESHOLDS:
        per_seed = np.array([(np.asarray(p) <= t).sum() for p in ps_by_seed], dtype=np.float64)
        k, expected = int(per_seed.sum()), n * t
        # the variance of the total from the seeds (independent), not from the p-values
        # (dependent within a seed); at least the binomial one, which rare tails'
        # mostly-zero per-seed counts underestimate
        var = max(seeds * per_seed.var(ddof=1) if seeds > 1 else 0.0, expected * (1 - t))
        tails[f"{t:g}"] = {"observed": k, "expected": round(expected, 3),
                           "z_over_seeds": round((k - expected) / math.sqrt(var), 2)}
    ks = stats.kstest(ps, "uniform")
    means = np.array([np.mean(p) for p in ps_by_seed if len(p)])
    return {"n": n, "min_p": float(ps.min()), "mean_p": round(float(ps.mean()), 4),
            "mean_p_sd_over_seeds": round(float(means.std(ddof=1)), 4) if means.size > 1 else None,
            "tails": tails,
            "ks_vs_uniform_assuming_independence": {"statistic": float(ks.statistic),
                                                    "pvalue": float(ks.pvalue)}}


def summarize(runs, all_records, distinct):
    failing = [r for r in runs if r["failures"] or r["returncode"] != 0]
    kinds = sorted({r["kind"] for recs in all_records for r in recs})
    # per assertion over the seeds (independent): small at every seed is a slightly-off sampler
    per = collections.defaultdict(list)
    for recs in all_records:
        for key, r in _keyed(recs):
            per[key].append(r["p"])
    fisher, ks_each = [], []
    for key, ps in per.items():
        x = -2 * np.log(np.clip(ps, 1e-300, 1)).sum()
        fisher.append((float(stats.chi2.sf(x, 2 * len(ps))), key, len(ps)))
        if len(ps) >= 5:
            ks_each.append((float(stats.kstest(ps, "uniform").pvalue), key, len(ps),
                            float(np.mean(ps))))
    fisher.sort()
    ks_each.sort()
    t = [r["assertions"] for r in runs]
    smallest = sorted(((r["p"], run["offset"], r) for run, recs in zip(runs, all_records)
                       for r in recs), key=lambda x: x[0])[:10]
    return {
        "suite_runs": len(runs),
        "runs_with_a_failure": len(failing),
        "failing_runs": [{"offset": r["offset"], "failed": r["failed"],
                          "returncode": r["returncode"]} for r in failing],
        "tests_per_run": sorted({r["tests"] for r in runs}),
        "assertions_per_run_T": sorted(set(t)),
        # P(a run fails) <= the sum of the assertions' thresholds (Bonferroni)
        "bonferroni_bound_per_run": max(r["sum_alpha"] for r in runs),
        "bonferroni_bound_per_run_distinct_events": max(r["sum_alpha_distinct"] for r in runs),
        "distinct_assertions_per_run": distinct,
        "total_assertions": int(sum(t)),
        "wall_s_per_run": {"mean": round(float(np.mean([r["wall_s"] for r in runs])), 1),
                           "max": max(r["wall_s"] for r in runs)},
        "calibration_all": calibration([[r["p"] for r in recs] for recs in all_records]),
        "calibration_distinct": calibration([sorted({r["p"] for r in recs})
                                             for recs in all_records]),
        "calibration_by_kind": {k: calibration([[r["p"] for r in recs if r["kind"] == k]
                                                for recs in all_records]) for k in kinds},
        "per_assertion_over_seeds": {
            "assertions": len(fisher),
            "fisher_below_1e-3": sum(f[0] <= 1e-3 for f in fisher),
            # p-values too large (mean > 1/2) make a test weaker, not a false alarm;
            # too small (mean < 1/2) would raise the false-alarm rate above alpha
            "ks_below_1e-3_p_too_large": sum(f[0] <= 1e-3 and f[3] > 0.5 for f in ks_each),
            "ks_below_1e-3_p_too_small": sum(f[0] <= 1e-3 and f[3] < 0.5 for f in ks_each),
            "expected_below_1e-3": round(len(fisher) * 1e-3, 2),
            "fisher_smallest": [{"p": f[0], "test": f[1][0], "label": f[1][1], "kind": f[1][2],
                                 "occurrence": f[1][3], "seeds": f[2]} for f in fisher[:5]],
            "ks_below_1e-3": [{"p": f[0], "mean_p": round(f[3], 4), "test": f[1][0],
                               "label": f[1][1], "kind": f[1][2], "occurrence": f[1][3],
                               "seeds": f[2]} for f in ks_each if f[0] <= 1e-3]},
        "smallest_p": [{"p": p, "offset": k, "test": r["test"], "label": r["label"],
                        "kind": r["kind"]} for p, k, r in smallest],
        "rule_of_three_95pct_upper_bound_on_run_failure_rate":
            round(3 / len(runs), 4) if not failing else None,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=0, help="offsets 1..N (at most)")
    ap.add_argument("--summarize-only", action="store_true",
                    help="run nothing: summarize the runs already in --out")
    ap.add_argument("--start", type=int, default=1, help="first offset")
    ap.add_argument("--out", type=pathlib.Path, required=True)
    ap.add_argument("--backend", default=None, help="pytest --backend (default: every target)")
    ap.add_argument("--budget", type=float, default=None,
                    help="start no new run after this many seconds")
    ap.add_argument("--jax-cache", type=pathlib.Path, default=None,
                    help="persistent XLA compilation cache shared by the runs")
    ap.add_argument("--files", nargs="*", default=list(FILES))
    ap.add_argument("pytest_args", nargs="*", help="after --: passed to pytest")
    args = ap.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    prev = {}
    if args.summarize_only:
        previous = out / "summary.json"
        prev = json.loads(previous.read_text()) if previous.exists() else {}
        imported = prev.get("array_random_file")
        args.files, args.backend = prev.get("files", args.files), prev.get("backend")
        runs, all_records = load_dir(out)
        t0 = time.perf_counter() - sum(r["wall_s"] for r in runs)
    else:
        probe = subprocess.run([sys.executable, "-c",
                                "import array_random; print(array_random.__file__)"],
                               cwd=ROOT, env=_env(0, os.devnull, None), capture_output=True,
                               text=True)
        imported = probe.stdout.strip() or probe.stderr.strip()
        print(f"array_random from {imported}", flush=True)
        t0 = time.perf_counter()
        runs, all_records = [], []
        for offset in range(args.start, args.start + args.seeds):
            if args.budget is not None and runs and time.perf_counter() - t0 > args.budget:
                break
            run, records = run_one(offset, out, args.files, args.backend, args.jax_cache,
                                   args.pytest_args)
            runs.append(run)
            all_records.append(records)
            print(json.dumps({k: run[k] for k in ("offset", "wall_s", "tests", "failures",
                                                  "assertions", "min_p")}), flush=True)
            for f in run["failed"]:
                print(f"  FAILED {f['test']}: {f['message']}", flush=True)
    if not runs:
        ap.error("no runs: give --seeds N, or --summarize-only with an --out that has runs")
    distinct = sorted({len({r["p"] for r in recs}) for recs in all_records})
    command = " ".join([sys.executable] + sys.argv)
    summary = {"command": prev.get("command", command) if args.summarize_only else command,
               **({"summarized_by": command} if args.summarize_only else {}),
               "array_random_file": imported, "files": args.files, "backend": args.backend,
               "total_wall_s": round(time.perf_counter() - t0, 1),
               **summarize(runs, all_records, distinct), "runs": runs}
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps({k: v for k, v in summary.items() if k != "runs"}, indent=1))
    return 1 if summary["runs_with_a_failure"] else 0


if __name__ == "__main__":
    sys.exit(main())
