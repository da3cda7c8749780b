"""SPEC 3: every method of ``numpy.random.Generator``, with NumPy's signature.

Each method takes NumPy's parameters in NumPy's order with NumPy's defaults,
so that code written for NumPy's Generator runs unchanged, and adds only the
keyword-only ``dtype=`` and ``device=``. A ``dtype`` that NumPy defaults to
float64 or int64 defaults here to the device's default dtype (``None``).
"""
from __future__ import annotations

import inspect

import numpy as np
import pytest

import array_random

#: numpy.random.Generator's public methods; bit_generator is NumPy's PCG64 object,
#: which no other backend has (the README says to use ``state``)
NUMPY_METHODS = sorted(name for name in dir(np.random.Generator)
                       if not name.startswith("_") and name != "bit_generator")


def _params(fn):
    return list(inspect.signature(fn).parameters.values())[1:]  # without self


def test_numpy_has_the_methods_we_expect():
    """Guard: the list is NumPy's, not empty, and covers the SPEC's families."""
    assert {"random", "integers", "choice", "gamma", "multivariate_normal", "zipf",
            "spawn", "permuted"} <= set(NUMPY_METHODS)


@pytest.mark.parametrize("method", NUMPY_METHODS)
def test_signature_is_numpys_plus_dtype_and_device(method):
    ours = _params(getattr(array_random.Generator, method))
    theirs = _params(getattr(np.random.Generator, method))
    head = ours[:len(theirs)]
    assert [(p.name, p.kind) for p in head] == [(p.name, p.kind) for p in theirs]
    for o, t in zip(head, theirs):
        if o.name == "dtype":  # NumPy's float64/int64 default: the device's default here
            assert o.default is None, method
        else:
            assert o.default == t.default or o.default is t.default, (method, o.name)
    extra = ours[len(theirs):]
    assert all(p.kind is p.KEYWORD_ONLY and p.default is None for p in extra), method
    assert {p.name for p in extra} <= {"dtype", "device"}, method
    names = {p.name for p in ours}
    # the result's place comes from x (shuffle, permuted), or there is no array
    if method not in ("shuffle", "permuted", "bytes", "spawn"):
        assert "device" in names, f"{method} has no device="
    # the result's dtype is that of x or a (choice, permutation)
    if method not in ("shuffle", "permuted", "bytes", "spawn", "choice", "permutation"):
        assert "dtype" in names, f"{method} has no dtype="
