"""NumPy-differential fuzz: every method, NumPy's ``default_rng`` as the oracle (issue 10).

Each test draws calls of one family of methods (continuous, discrete,
multivariate, sampling) with Hypothesis (``fuzz_strategies``) and checks
each on one target against NumPy with the outcome rules of ``fuzz_oracle``:
the same exception class with nothing drawn, or an array of the backend's
namespace with NumPy's shape, dtype kind, finiteness and support; a call
that does not return within the time limit fails. Deliberate differences are
the named rows of ``fuzz_oracle.DEVIATIONS`` (and of the README's table).

Runs are derandomized (a fixed sequence of examples) with no example
database, so CI is deterministic. ``--fuzz-examples N`` (or
``ARRAY_RANDOM_FUZZ_EXAMPLES=N``) sets the examples per test: the default is
the CI size; the slow run in the README used 2500 (10^4 calls per target).
Set ``ARRAY_RANDOM_FUZZ_LOG=path`` to append one line per call
(target, method, outcome) for counting. An example whose NumPy call does not
return within ``ARRAY_RANDOM_FUZZ_NUMPY_TIME_LIMIT`` seconds (20), or needs
more than 6 GiB, has no oracle: it is skipped and logged as ``numpy-hang``
(``fuzz_numpy``).
"""
from __future__ import annotations

import collections
import concurrent.futures
import json
import os
import pathlib

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conformance import fuzz_oracle
from conformance.fuzz_strategies import FAMILIES, call
from conformance.targets import BUILTIN

#: examples per (target, family) test in CI: about 4 per method
CI_EXAMPLES = {"continuous": 60, "discrete": 30, "multivariate": 20, "sampling": 25}


#: JAX compiles a program per new shape/dtype/parameter kind: ~1 s per CI example on a
#: cold cache, so its CI run takes the first half of the same examples
CI_SHARE = {"jax": 0.5}


def _examples(config, family, target):
    n = config.getoption("--fuzz-examples") or os.environ.get("ARRAY_RANDOM_FUZZ_EXAMPLES")
    if n:
        return int(n)
    return max(1, round(CI_EXAMPLES[family] * CI_SHARE.get(target.name, 1.0)))


@pytest.fixture
def pool():
    """One worker thread runs each backend call, so that a hang can time out."""
    ex = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    yield ex
    ex.shutdown(wait=False, cancel_futures=True)


@pytest.mark.parametrize("family", FAMILIES)
def test_fuzz_against_numpy(target, family, pool, request):
    if target.name not in BUILTIN:
        pytest.skip("the fuzz covers the built-in backends (Dask: issue 8's own tests)")
    log_path = os.environ.get("ARRAY_RANDOM_FUZZ_LOG")
    counts = collections.Counter()
    failures = []

    @settings(max_examples=_examples(request.config, family, target), derandomize=True, database=None,
              deadline=None, phases=(Phase.explicit, Phase.generate),
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        c = data.draw(call(family), label="call")
        try:
            verdict = fuzz_oracle.check_call(c, target, pool)
        except fuzz_oracle.NumpyHang as exc:  # NumPy's own call timed out: no oracle
            counts[c.method, "numpy-hang"] += 1
            _log(log_path, [target.label, c.method, "numpy-hang", repr(c), str(exc)])
            return
        except fuzz_oracle.Unrepresentable as exc:
            counts[c.method, "unrepresentable"] += 1
            _log(log_path, [target.label, c.method, "unrepresentable", repr(c), str(exc)])
            return
        outcome = "mismatch" if not verdict.ok else (verdict.deviation or "agree")
        counts[c.method, outcome] += 1
        _log(log_path, [target.label, c.method, outcome]
             + ([repr(c), verdict.why] if not verdict.ok else []))
        if not verdict.ok:
            failures.append(f"{c!r}: {verdict.why}")
            if verdict.why.startswith("hung"):
                raise AssertionError(f"{c!r}: {verdict.why}")

    run()
    assert not failures, f"{len(failures)} mismatches with NumPy:\n" + "\n".join(failures[:40])


def _log(path, row):
    if path:
        with open(path, "a") as f:
            f.write(json.dumps(row) + "\n")


def test_readme_lists_every_deviation():
    """The README's deviation table has exactly the oracle's rows (same names, same text)."""
    readme = pathlib.Path(__file__).resolve().parent.parent / "README.md"
    text = readme.read_text()
    section = text.split("### Deviations from NumPy (bad input)", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("`")[1]: line.split("|")[2].strip()
            for line in section.splitlines() if line.startswith("| `")}
    assert rows == fuzz_oracle.DEVIATIONS


def test_numpy_hang_skips_the_example(monkeypatch):
    """A NumPy call past the limit is NumpyHang (a skip, not a failure), and the next call works."""
    from conformance import fuzz_numpy

    monkeypatch.setattr(fuzz_numpy, "TIME_LIMIT", 0.0)  # not even a worker start fits in it
    with pytest.raises(fuzz_numpy.NumpyHang):
        fuzz_numpy.run("normal", [0.0, 1.0], {"size": 3}, 0)
    monkeypatch.setattr(fuzz_numpy, "TIME_LIMIT", 60.0)
    how, value = fuzz_numpy.run("normal", [0.0, 1.0], {"size": 3}, 0)
    assert how == "value" and value.tolist() == np.random.default_rng(0).normal(size=3).tolist()
