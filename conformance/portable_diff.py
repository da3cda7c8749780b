"""Measure how far the portable stream's values agree across backends.

    python conformance/portable_diff.py [--json FILE] [--all-pairs]

Draws every case of ``conformance/portable.py`` (one seed, one call of every
method, float64 and float32) on every installed backend in
``bit_generator="threefry"`` mode and prints, per case and backend, against
NumPy: the fraction of differing elements and the largest distance in ulp
(floats) or in absolute value (counts). ``=`` means bit-identical, ``-`` that
the backend's device lacks the dtype, ``err`` that the draw raised (the JSON
says why). ``--all-pairs`` writes every pair of backends to the JSON, not only
the pairs with NumPy. JAX runs in this process without x64 (float32 only);
``JAX_ENABLE_X64=1`` in the environment adds its float64 cases.
"""
from __future__ import annotations

import argparse
import itertools
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from conformance.portable import CASES, backends, compare, draw  # noqa: E402


def measure(cases=CASES, targets=None, all_pairs=False):
    """``{case: {"values": {label: array or error}, "pairs": {(a, b): (frac, ulp)}}}``."""
    targets = targets if targets is not None else backends()
    out = {}
    for case in cases:
        values = {}
        for t in targets:
            if not t.supports(case):
                continue
            try:
                values[t.label] = draw(t, case)
            except Exception as exc:  # measured, not hidden: the report shows it
                values[t.label] = f"{type(exc).__name__}: {exc}"
        labels = list(values)
        pairs = {}
        for a, b in (itertools.combinations(labels, 2) if all_pairs
                     else [(labels[0], x) for x in labels[1:]]):
            va, vb = values[a], values[b]
            pairs[a, b] = None if isinstance(va, str) or isinstance(vb, str) else compare(va, vb)
        out[case.name] = {"values": values, "pairs": pairs}
    return out, [t.label for t in targets]


def _cell(pair, value) -> str:
    if isinstance(value, str):
        return "err"
    if pair is None:
        return "err"
    frac, ulp = pair
    if frac == 0:
        return "="
    return f"{frac:.2g}/{ulp:.3g}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="write every figure to this file")
    parser.add_argument("--all-pairs", action="store_true", help="every pair in the JSON")
    args = parser.parse_args(argv)
    result, labels = measure(all_pairs=args.all_pairs)
    ref = labels[0]
    others = labels[1:]
    short = {lab: lab.replace("array_api_strict-", "strict-") for lab in others}
    print(f"fraction of differing elements / largest ulp (counts: absolute) vs {ref}; "
          "'=' bit-identical, '-' dtype not on that device")
    print(f"{'case':34}" + "".join(f"{short[o]:>20}" for o in others))
    for name, res in result.items():
        row = []
        for o in others:
            if o not in res["values"]:
                row.append("-")
            else:
                row.append(_cell(res["pairs"].get((ref, o)), res["values"][o]))
        print(f"{name:34}" + "".join(f"{c:>20}" for c in row))
    errors = {(n, lab): v for n, r in result.items() for lab, v in r["values"].items()
              if isinstance(v, str)}
    for (n, lab), v in errors.items():
        print(f"error: {n} on {lab}: {v}")
    if args.json:
        data = {"schema": "array-random-portable-diff/1", "reference": ref, "cases": {
            n: {"pairs": {f"{a} vs {b}": (None if p is None else
                                         {"differing": p[0], "max_ulp": p[1]})
                          for (a, b), p in r["pairs"].items()},
                "errors": {lab: v for lab, v in r["values"].items() if isinstance(v, str)}}
            for n, r in result.items()}}
        pathlib.Path(args.json).write_text(json.dumps(data, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
