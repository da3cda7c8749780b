"""The Examples of every public Generator method run, so that they cannot drift.

The quick paths (``_methods/_quick.py``) replace most doors by generated
functions: they keep the door's docstring, and doctest must still find it.
"""
from __future__ import annotations

import doctest

import numpy as np
import pytest

import array_random

PUBLIC = sorted(name for name in dir(array_random.Generator)
                if not name.startswith("_") and callable(getattr(array_random.Generator, name)))


@pytest.mark.parametrize("name", PUBLIC)
def test_the_examples_run(name):
    if name == "jax_key":
        pytest.importorskip("jax")
    method = getattr(array_random.Generator, name)
    tests = doctest.DocTestFinder().find(method, name,
                                         globs={"array_random": array_random, "numpy": np})
    runner = doctest.DocTestRunner()
    attempted = 0
    for test in tests:
        result = runner.run(test)
        assert result.failed == 0, f"{name}: {result.failed} example(s) failed"
        attempted += result.attempted
    assert attempted >= 1, f"{name} has no example"
