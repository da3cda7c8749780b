"""The plugin's hooks and fixtures (registered by ``-p array_random.testing``)."""
from __future__ import annotations

import pytest

from . import _markers, _options, _rerun, _seeding
from ._cases import Plan
from ._seeding import CASE

_PER_DEVICE = "_array_random_per_device"
_PER_DTYPE = "_array_random_per_dtype"
_SETTINGS = pytest.StashKey()
_PLAN = pytest.StashKey()
_OUTER_SEED = pytest.StashKey()
_OWN = ("xp", "device", "dtype", "rng")


# --- configuration ------------------------------------------------------------------
def pytest_addoption(parser):
    _options.add_options(parser)


def pytest_configure(config):
    for line in _markers.LINES:
        config.addinivalue_line("markers", line)
    config.stash[_SETTINGS] = _options.read(config)  # pytest.UsageError on a bad value
    config.stash[_OUTER_SEED] = _seeding.enter_session()


def pytest_unconfigure(config):
    if _OUTER_SEED in config.stash:
        _seeding.leave_session(config.stash[_OUTER_SEED])


def _settings(config):
    return config.stash[_SETTINGS]


def plan(config) -> Plan:
    """The run's backends and devices, enumerated (libraries imported) on first use."""
    if _PLAN not in config.stash:
        config.stash[_PLAN] = Plan.build(_settings(config))
    return config.stash[_PLAN]


def pytest_sessionstart(session):
    plan(session.config)  # an unusable --array-backends name is a usage error, before collection


def pytest_report_header(config):
    settings, run = _settings(config), plan(config)
    base, origin = _seeding.base_seed(config, settings)
    stream = ("threefry (the portable stream: the same numbers on every backend)"
              if settings.bit_generator == "threefry" else "native (each backend's own)")
    lines = [f"array_random.testing: rng seed {base} ({origin}), bit generator {stream}, "
             f"devices {settings.devices}"]
    for backend in run.backends:
        devices = ", ".join(backend.device_label(d) for d in run.devices_of(backend))
        lines.append(f"  {backend.name} {backend.version}: {devices}")
    for name, why in run.left_out:
        lines.append(f"  {name}: left out, {why}")
    return lines


# --- parametrisation ----------------------------------------------------------------
def _argnames(mark) -> list[str]:
    names = mark.args[0] if mark.args else mark.kwargs.get("argnames", ())
    if isinstance(names, str):
        names = names.split(",")
    return [n.strip() for n in names if n.strip()]


def pytest_generate_tests(metafunc):
    if CASE not in metafunc.fixturenames:
        return  # no xp/device/dtype/rng of this plugin (or the test overrides them)
    direct = {n for m in metafunc.definition.iter_markers("parametrize") for n in _argnames(m)}
    if CASE in direct or "xp" in direct:
        return  # the test brings its own namespaces; _array_random_case explains if asked
    if not any(n in metafunc.fixturenames and n not in direct for n in _OWN):
        return  # e.g. parametrize("dtype", ...) alone: the test's own dtype, no backends
    try:
        _markers.validate(metafunc.definition)
    except _markers.MarkerError as exc:
        raise pytest.Collector.CollectError(f"{metafunc.definition.nodeid}: {exc}") from None
    cases = plan(metafunc.config).cases(
        per_device=_PER_DEVICE in metafunc.fixturenames and "device" not in direct,
        per_dtype=_PER_DTYPE in metafunc.fixturenames and "dtype" not in direct)
    metafunc.parametrize(CASE, [pytest.param(c, id=c.id,
                                             marks=_markers.marks_for(metafunc.definition, c))
                                for c in cases], indirect=True)


# --- fixtures -----------------------------------------------------------------------
@pytest.fixture
def _array_random_case(request):
    """The (backend, device, dtype) case of this test, set by pytest_generate_tests."""
    try:
        return request.param
    except AttributeError:
        pytest.fail(f"{request.node.nodeid}: array_random.testing's device, dtype and rng "
                    "fixtures come with its xp parametrisation, and this test parametrises "
                    "'xp' itself", pytrace=False)


@pytest.fixture
def _array_random_per_device():
    """Requested by ``device``: tells the parametrisation to run every device."""


@pytest.fixture
def _array_random_per_dtype():
    """Requested by ``dtype``: tells the parametrisation to run every floating dtype."""


@pytest.fixture
def xp(_array_random_case):
    """The array namespace of this case, as ``array_api_compat`` presents it.

    One case per installed backend (``--array-backends``): numpy
    (``array_api_compat.numpy``), array_api_strict, torch
    (``array_api_compat.torch``), jax (``jax.numpy``), dask.
    """
    return _array_random_case.backend.xp


@pytest.fixture
def device(_array_random_case, _array_random_per_device):
    """A device of ``xp``: every usable one (``--array-devices all``) or the default one."""
    return _array_random_case.device


@pytest.fixture
def dtype(_array_random_case, _array_random_per_dtype):
    """Each real floating dtype the device has (float32, and float64 where it exists)."""
    return _array_random_case.dtype


@pytest.fixture
def rng(request, xp, device):
    """An ``array_random.Generator`` for ``xp`` on ``device``, seeded for this test.

    The seed mixes the base seed (``--rng-seed``) with the test's node id
    (without the backend/device/dtype part), so the test draws the same numbers
    alone, in any order and under pytest-xdist, and, with the default portable
    stream, the same numbers on every backend.
    """
    return _generator(request, xp, device)


@pytest.fixture
def numpy_rng(request):
    """A NumPy ``array_random.Generator`` seeded as ``rng``: the reference for comparisons.

    With the portable stream (the default) it draws the very numbers ``rng``
    draws, for the same calls and dtypes, so a function of those draws can be
    compared element by element with its NumPy result.
    """
    import numpy as np

    return _generator(request, np, None)


def _generator(request, xp, device):
    """``default_rng(xp, the test's seed, device=device)`` in the run's bit generator."""
    import array_random

    settings = _settings(request.config)
    base, _ = _seeding.base_seed(request.config, settings)
    seed = _seeding.seed_sequence(base, _seeding.test_key(request.node))
    if settings.bit_generator == "native":  # also an array_random without bit_generator=
        return array_random.default_rng(xp, seed, device=device)
    return array_random.default_rng(xp, seed, device=device,
                                    bit_generator=settings.bit_generator)


# --- the rerun line -----------------------------------------------------------------
@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        settings = _settings(item.config)
        base, _ = _seeding.base_seed(item.config, settings)
        line = _rerun.command(item, settings, base)
        if line is not None:
            text = f"{line}\n{_rerun.details(item, settings, base)}"
            if hasattr(report.longrepr, "addsection"):
                report.longrepr.addsection("array_random: rerun this case", text)
            else:
                report.sections.append(("array_random: rerun this case", text))
            report.user_properties = [*report.user_properties, (_rerun.PROPERTY, line)]
    return report


def pytest_terminal_summary(terminalreporter):
    lines = [value for key in ("failed", "error")
             for report in terminalreporter.stats.get(key, ())
             for name, value in getattr(report, "user_properties", ()) if name == _rerun.PROPERTY]
    if lines:
        terminalreporter.section("array_random: rerun the failed cases")
        for line in dict.fromkeys(lines):
            terminalreporter.line(line)
