"""``skip_backend``, ``xfail_backend`` and ``requires_capability``: marks per case.

The markers are read when a test is parametrised and become ordinary
``skip``/``xfail`` marks on the cases they concern, so ``-rs``/``-rx`` report
them as usual. A marker with an unknown backend or capability is an error of
the test file, not a silent no-op.
"""
from __future__ import annotations

import pytest

from . import _backends

#: capabilities read from ``__array_namespace_info__().capabilities()``
_INFO_CAPABILITIES = {"boolean_indexing": "boolean indexing",
                      "data_dependent_shapes": "data-dependent shapes"}
#: every name ``requires_capability`` accepts (dtype names: the device has that dtype)
CAPABILITIES = ("mutable_arrays", *_INFO_CAPABILITIES, *_backends.STANDARD_DTYPES)

LINES = (
    "skip_backend(name, *names, reason): skip the xp/device/dtype/rng cases of these "
    "backends (" + ", ".join(_backends.KNOWN) + "); stackable",
    "xfail_backend(name, *names, reason, strict=True): expect these backends' cases to fail; "
    "stackable",
    "requires_capability(*capabilities, device_type=None, reason=None): skip the cases whose "
    "device lacks a capability (" + ", ".join(CAPABILITIES[:4]) + ", a dtype name) or is "
    "not of device_type (cpu, cuda, gpu, tpu, mps, or a tuple of them)",
)


class MarkerError(Exception):
    """A misused marker; reported as a collection error of the test's file."""


def _names(mark) -> tuple:
    names = mark.args
    if not names or not all(isinstance(n, str) for n in names):
        raise MarkerError(f"{mark.name} needs one or more backend names, got {names!r}")
    unknown = [n for n in names if n not in _backends.KNOWN]
    if unknown:
        raise MarkerError(f"{mark.name}({', '.join(map(repr, names))}): unknown backend "
                          f"{', '.join(unknown)}; known: {', '.join(_backends.KNOWN)}")
    return names


def _reason(mark) -> str:
    reason = mark.kwargs.get("reason")
    if not isinstance(reason, str) or not reason:
        raise MarkerError(f"{mark.name}({', '.join(map(repr, mark.args))}) needs reason='...'")
    return reason


def _check_kwargs(mark, allowed):
    extra = set(mark.kwargs) - set(allowed)
    if extra:
        raise MarkerError(f"{mark.name}: unexpected keyword {', '.join(sorted(extra))}")


def validate(definition) -> None:
    """Check every marker of a test once, before any case is built."""
    for mark in definition.iter_markers("skip_backend"):
        _check_kwargs(mark, ("reason",))
        _names(mark), _reason(mark)
    for mark in definition.iter_markers("xfail_backend"):
        _check_kwargs(mark, ("reason", "strict"))
        _names(mark), _reason(mark)
    for mark in definition.iter_markers("requires_capability"):
        _check_kwargs(mark, ("device_type", "reason"))
        unknown = [c for c in mark.args if c not in CAPABILITIES]
        if unknown or not (mark.args or mark.kwargs.get("device_type")):
            raise MarkerError(f"requires_capability: unknown capability "
                              f"{', '.join(map(repr, unknown)) or '(none given)'}; "
                              f"known: {', '.join(CAPABILITIES)}")


def marks_for(definition, case) -> list:
    """The ``skip``/``xfail`` marks of one case."""
    marks = []
    for mark in definition.iter_markers("skip_backend"):
        if case.name in mark.args:
            marks.append(pytest.mark.skip(reason=f"skip_backend({case.name}): "
                                                 f"{mark.kwargs['reason']}"))
    for mark in definition.iter_markers("xfail_backend"):
        if case.name in mark.args:
            marks.append(pytest.mark.xfail(reason=f"xfail_backend({case.name}): "
                                                  f"{mark.kwargs['reason']}",
                                           strict=mark.kwargs.get("strict", True)))
    for mark in definition.iter_markers("requires_capability"):
        lacking = _lacking(case, mark.args, mark.kwargs.get("device_type"))
        if lacking:
            reason = mark.kwargs.get("reason") or "requires_capability"
            marks.append(pytest.mark.skip(reason=f"{reason}: {case.id} has {lacking}"))
    return marks


def _lacking(case, capabilities, device_type) -> str:
    """What the case's device lacks, in words; "" when it has everything asked for."""
    backend, device = case.backend, case.device
    for capability in capabilities:
        if capability == "mutable_arrays":
            if not _backends.mutable_arrays(backend, device):
                return "immutable arrays"
        elif capability in _INFO_CAPABILITIES:
            if not _backends.capabilities(backend).get(_INFO_CAPABILITIES[capability]):
                return f"no {_INFO_CAPABILITIES[capability]}"
        elif capability not in _backends.dtypes(backend, device):
            return f"no {capability}"
    if device_type is not None:
        wanted = (device_type,) if isinstance(device_type, str) else tuple(device_type)
        actual = _backends.device_type(case.name, device)
        # "gpu" names any GPU (torch says cuda or mps, JAX gpu); "cuda" also takes JAX's gpu
        accepted = set(wanted) | ({"cuda", "rocm", "mps"} if "gpu" in wanted else set()) \
            | ({"gpu"} if "cuda" in wanted else set())
        if actual not in accepted:
            return f"device type {actual}, not {' or '.join(wanted)}"
    return ""
