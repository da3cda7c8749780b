"""``array-random compare``: every distribution on every backend, side by side.

The pieces: :mod:`.reference` (one parameter point per distribution, its
exact ``scipy.stats`` law, the backends' native routines), :mod:`.targets`
(which backends and devices exist here), :mod:`.runner` (draw, time, test,
group identical streams), :mod:`.report` (terminal table, JSON) and
:mod:`.plot` (one panel per distribution). Importing ``array_random`` never
imports this package; rich, scipy and matplotlib are the ``cli`` extra.

JSON schema (``--json FILE``), version ``array-random-compare/1``
-----------------------------------------------------------------
Non-finite numbers are written as ``null``. Top level::

    schema          "array-random-compare/1"
    array_random    library version
    created         ISO 8601 time (UTC)
    argv            the command line's arguments
    seed, size      --seed and --size: every target draws distribution m from
                    default_rng(xp, [seed, crc32(m)]), `size` draws (or the
                    target's own size, see targets)
    alpha, max_z    a cell fails when p < alpha or |moment z| > max_z
    wall_s          seconds the whole comparison took
    environment     {"python", "platform", "versions": {package: version}}
    targets         [{"label": "jax:cpu", "backend" (the namespace), "served_by"
                      (Generator.backend: the array_random backend class serving it),
                      "device", "size" (draws per cell on this target), "version",
                      "default_dtypes": {"real floating", "integral"}}]
    skipped         [{"backend", "device" (null: the whole backend), "reason"}]
    not_compared    Generator methods that are no distribution (bytes, shuffle, ...)
    distributions   [distribution], in table order
    summary         {"pass", "fail", "error", "missing": cell counts,
                     "missing_methods": [names the Generator does not have]}
    jax_cache       JAX's persistent compilation cache directory, or null

distribution::

    method          Generator method name, e.g. "gamma"
    call            the call made, e.g. "gamma(2.5, 2.0)" (plus size=N)
    kind            "continuous" (KS test) or "discrete" (chi-square test)
    reference       the exact law, e.g. "scipy.stats.gamma(2.5, scale=2)"
    marginal        null, or the component tested of a multivariate draw (x[:, k])
    exact           {"mean", "var", "kurtosis" (excess)} of the law
    status          "pass" (every cell that ran passed), "fail", "error" or
                    "missing" (the Generator has no such method)
    agreement       [[labels]]: groups of targets whose first 1000 values
                    (cast to float64 on the host) are identical
    cells           [cell], one per target

cell::

    target          target label
    status          "pass", "fail", "error" (it raised) or "missing"
    size, dtype, shape        draws made, result dtype and shape
    test            "ks" or "chi2"; statistic, pvalue, dof (chi2 only)
    mean, var       sample mean and variance (of the marginal)
    mean_z, var_z   their distance from the exact values in standard errors
                    (null where the law has no finite variance / 4th moment)
    reason          why it failed, e.g. "KS p = 2e-12; var off by +9.1 SE"
    error           "ExceptionType: message" for status "error"
    seconds         best time of one array_random call of `size` draws
    samples_per_s   size / seconds
    first_call_s    the first call (for JAX: tracing and compilation included)
    native_call     the backend's own routine timed against it, or null
    native_samples_per_s  its samples per second
    ratio           samples_per_s / native_samples_per_s (1: as fast; below 1: slower)
    head_hash       hash of the first 1000 values as float64
    group           letter shared by targets with identical values, or null
    same_as         labels of the targets with identical values
    wall_s          seconds this cell took on the main thread, tests included
"""
from __future__ import annotations

import datetime
import math
import platform
import sys
import time

from . import reference, runner, targets

__all__ = ["compare", "SCHEMA"]

SCHEMA = "array-random-compare/1"
#: a default run gives array_api_strict this fraction of --size (see targets.select)
STRICT_FRACTION = 10


def _clean(value):
    """JSON-ready: non-finite floats become None, NumPy scalars Python ones."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _row_status(cells) -> str:
    states = {c["status"] for c in cells}
    for s in ("fail", "error"):
        if s in states:
            return s
    if states == {"missing"}:
        return "missing"
    return "pass" if "pass" in states else "missing"


def compare(cases, chosen, skipped, size: int, seed: int, *, reduced_strict: bool = False,
            plot: bool = False, native: bool = True, on_cell=None, argv=()) -> dict:
    """Run the comparison; the result follows the JSON schema above (plus ``_`` keys for plots)."""
    started = time.perf_counter()

    def n_of(target):
        if reduced_strict and target.backend == "array_api_strict":
            return max(1, size // STRICT_FRACTION)
        return size

    rows = runner.run(cases, chosen, n_of, seed, plot=plot, native=native, on_cell=on_cell)
    wall = time.perf_counter() - started
    for row in rows:
        row["status"] = _row_status(row["cells"])
        groups = {}
        for c in row["cells"]:
            if c.get("group"):
                groups.setdefault(c["group"], []).append(c["target"])
        row["agreement"] = list(groups.values())
    counts = {s: sum(c["status"] == s for r in rows for c in r["cells"])
              for s in ("pass", "fail", "error", "missing")}
    versions = {}
    for pkg in ("numpy", "scipy", "array-api-compat", "jax", "jaxlib", "torch",
                "array-api-strict", "rich", "matplotlib"):
        v = targets.version(pkg)
        if v:
            versions[pkg] = v
    target_records = []
    for t in chosen:
        try:
            dts, served = targets.default_dtypes(t), t.rng(0).backend
        except Exception:
            dts = served = None
        target_records.append({"label": t.label, "backend": t.backend, "served_by": served,
                               "device": t.device_name, "size": n_of(t),
                               "version": targets.version(t.backend), "default_dtypes": dts})
    return {
        "schema": SCHEMA,
        "array_random": _version(),
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "argv": list(argv),
        "seed": seed,
        "size": size,
        "alpha": runner.ALPHA,
        "max_z": runner.MAX_Z,
        "wall_s": wall,
        "environment": {"python": sys.version.split()[0], "platform": platform.platform(),
                        "versions": versions},
        "targets": target_records,
        "skipped": [{"backend": s.backend, "device": s.device, "reason": s.reason}
                    for s in skipped],
        "not_compared": list(reference.NOT_DISTRIBUTIONS),
        "distributions": rows,
        "summary": {**counts, "missing_methods": [r["method"] for r in rows
                                                  if r["status"] == "missing"]},
    }


def _version():
    import array_random
    return array_random.__version__


def to_json(result: dict) -> dict:
    return _clean(result)
