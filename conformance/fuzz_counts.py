"""Count a slow fuzz run's log: ``python -m conformance.fuzz_counts LOG.jsonl [...]``.

Reads the lines that ``ARRAY_RANDOM_FUZZ_LOG`` makes ``test_fuzz.py`` append
(``[target, method, outcome, ...]``) and prints two Markdown tables: per
target (calls, agree, named deviations, mismatches, NumPy hangs, examples
without a representable call) and per target and method (calls, and how
many of them were deviations or mismatches). A call is an example that ran on
the target and was judged; ``unrepresentable`` and ``numpy-hang`` examples
are no calls.
"""
from __future__ import annotations

import collections
import json
import sys

NOT_CALLS = ("unrepresentable", "numpy-hang")


def read(paths):
    rows = []
    for path in paths:
        with open(path) as f:
            rows.extend(json.loads(line) for line in f if line.strip())
    return rows


def per_target(rows):
    out = collections.defaultdict(collections.Counter)
    for target, _method, outcome, *rest in rows:  # rest: the call and why, for mismatches
        c = out[target]
        if outcome in NOT_CALLS:
            c[outcome] += 1
            continue
        c["calls"] += 1
        c[outcome if outcome in ("agree", "mismatch") else "deviation"] += 1
        if outcome == "mismatch" and len(rest) >= 2 and str(rest[1]).startswith("hung"):
            c["hang"] += 1
    return out


def per_method(rows):
    out = collections.defaultdict(collections.Counter)
    for target, method, outcome, *_ in rows:
        if outcome not in NOT_CALLS:
            out[target, method]["calls"] += 1
            if outcome != "agree":
                out[target, method][outcome] += 1
    return out


def tables(rows) -> str:
    lines = ["| target | examples | calls | agree | named deviations | mismatches | of them hangs "
             "| NumPy hang/OOM (skipped) | unrepresentable |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for target, c in sorted(per_target(rows).items()):
        examples = c["calls"] + c["numpy-hang"] + c["unrepresentable"]
        lines.append(f"| {target} | {examples} | {c['calls']} | {c['agree']} | {c['deviation']} "
                     f"| {c['mismatch']} | {c['hang']} | {c['numpy-hang']} "
                     f"| {c['unrepresentable']} |")
    methods = per_method(rows)
    targets = sorted({t for t, _ in methods})
    names = sorted({m for _, m in methods})
    lines += ["", "Calls per target and method (deviations/mismatches in brackets where any):",
              "", "| method | " + " | ".join(targets) + " |",
              "|---|" + "---:|" * len(targets)]
    for name in names:
        cells = []
        for t in targets:
            c = methods.get((t, name), collections.Counter())
            other = {k: v for k, v in c.items() if k != "calls"}
            dev = sum(v for k, v in other.items() if k != "mismatch")
            extra = f" ({dev}/{other.get('mismatch', 0)})" if other else ""
            cells.append(f"{c['calls']}{extra}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print(tables(read(sys.argv[1:])))
