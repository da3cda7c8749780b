"""array_random.testing driven by pytester: opting in, parametrisation, seeds, options, header.

Every inner run names its backends (numpy and array_api_strict: fast to draw on, five
devices between them) and disables pytest-randomly unless the test is about it, so the
inner runs are quick and ordered. Markers, the rerun line and the helpers are in
test_plugin_markers.py and test_plugin_assertions.py.
"""
from __future__ import annotations

import importlib.util
import json

import pytest

from array_random.testing import _backends

# Load the inner runs' backends in this process first: pytester restores sys.modules after
# each in-process run, and an extension module (numpy.fft) imported by a run and dropped
# after it cannot be imported a second time.
for _name in ("numpy", "array_api_strict"):
    _backends.load(_name)
try:  # likewise for what Hypothesis's pytest plugin imports at the end of every run (~5 s)
    import hypothesis.internal.observability  # noqa: F401
except ImportError:
    pass

SAMPLE = """
import json, os, pathlib
import numpy as np
from array_random.testing._backends import to_numpy

def record(request, value):
    out = pathlib.Path(os.environ["ARRAY_RANDOM_TEST_OUT"])
    out.mkdir(exist_ok=True)
    (out / (request.node.name + ".json")).write_text(
        json.dumps(np.asarray(to_numpy(value), dtype=np.float64).tolist()))

def test_a(rng, request):
    record(request, rng.random(4, dtype=rng.xp.float32))

def test_b(rng, request):
    record(request, rng.random(4, dtype=rng.xp.float32))

def test_c(rng, request):
    record(request, rng.integers(0, 2**30, size=4))
"""

FAST = ("--array-backends", "numpy,array_api_strict", "-p", "no:randomly")

#: the tests that drive pytest-randomly (a test extra) need it installed
needs_randomly = pytest.mark.skipif(importlib.util.find_spec("pytest_randomly") is None,
                                    reason="pytest-randomly is not installed")


@pytest.fixture
def out(pytester, monkeypatch):
    """Where SAMPLE's tests write their draws: ``out()`` reads them back by test name."""
    path = pytester.path / "draws"
    monkeypatch.setenv("ARRAY_RANDOM_TEST_OUT", str(path))

    def read():
        found = {p.stem: json.loads(p.read_text()) for p in path.glob("*.json")}
        for p in path.glob("*.json"):
            p.unlink()
        return found
    return read


def _collected(result) -> list[str]:
    return [line.split("::", 1)[1] for line in result.outlines if "::" in line]


# --- opting in ------------------------------------------------------------------------
def test_installed_but_not_opted_in_changes_nothing(pytester):
    pytester.makepyfile(test_x="def test_x(xp):\n    pass\n")
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'xp' not found*"])
    assert "array_random.testing" not in result.stdout.str()  # no header line
    assert pytester.runpytest("--array-backends", "numpy").ret == pytest.ExitCode.USAGE_ERROR
    markers = pytester.runpytest("--markers").stdout.str()
    assert "skip_backend" not in markers and "requires_capability" not in markers


@pytest.mark.parametrize("how", ["command line", "conftest", "ini", "addopts", "ini and -p",
                                 "conftest and -p"])
def test_each_way_to_opt_in(pytester, how):
    pytester.makepyfile(test_x="def test_x(xp):\n    assert hasattr(xp, 'asarray')\n")
    args = [*FAST]
    if how in ("command line", "ini and -p", "conftest and -p"):
        args += ["-p", "array_random.testing"]
    if how in ("conftest", "conftest and -p"):
        pytester.makeconftest("pytest_plugins = ['array_random.testing']\n")
    if how in ("ini", "ini and -p"):
        pytester.makeini("[pytest]\narray_random = true\n")
    if how == "addopts":
        pytester.makeini("[pytest]\naddopts = -p array_random.testing\n")
    result = pytester.runpytest(*args, "-v")
    result.assert_outcomes(passed=2)  # numpy, array_api_strict; no "already registered"
    result.stdout.fnmatch_lines(["array_random.testing: rng seed 0 (default)*"])


def test_blocking_the_entry_point_turns_the_ini_opt_in_off(pytester):
    pytester.makepyfile(test_x="def test_x(xp):\n    pass\n")
    pytester.makeini("[pytest]\narray_random = true\n")
    result = pytester.runpytest("-p", "no:array_random", "-p", "no:randomly")
    result.stdout.fnmatch_lines(["*fixture 'xp' not found*"])


# --- parametrisation ------------------------------------------------------------------
def test_xp_is_each_backend_as_array_api_compat_presents_it(pytester):
    pytester.makepyfile(test_x="""
        import array_api_compat.numpy, array_api_strict
        def test_x(xp):
            assert xp in (array_api_compat.numpy, array_api_strict)
    """)
    result = pytester.runpytest("-p", "array_random.testing", *FAST, "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*test_x[[]numpy[]] PASSED*",
                                 "*test_x[[]array_api_strict[]] PASSED*"])


def test_device_and_dtype_parametrise_by_what_each_device_has(pytester):
    pytester.makepyfile(test_x="""
        def test_device(xp, device):
            assert xp.zeros(1, device=device).device == device
        def test_dtype(xp, device, dtype):
            assert xp.zeros(1, device=device, dtype=dtype).dtype == dtype
        def test_dtype_default_device(xp, dtype):
            pass
    """)
    result = pytester.runpytest("-p", "array_random.testing", *FAST, "--collect-only", "-q")
    ids = _collected(result)
    assert [i for i in ids if i.startswith("test_device[")] == [
        "test_device[numpy-cpu]", "test_device[array_api_strict-CPU_DEVICE]",
        "test_device[array_api_strict-device1]", "test_device[array_api_strict-device2]",
        "test_device[array_api_strict-no_float64]", "test_device[array_api_strict-no_x64]"]
    dtypes = [i for i in ids if i.startswith("test_dtype[")]
    assert "test_dtype[array_api_strict-device1-float64]" in dtypes
    assert "test_dtype[array_api_strict-no_float64-float32]" in dtypes
    assert "test_dtype[array_api_strict-no_float64-float64]" not in dtypes
    assert len(dtypes) == 2 + 2 + 2 + 2 + 1 + 1
    assert [i for i in ids if i.startswith("test_dtype_default")] == [
        "test_dtype_default_device[numpy-float32]", "test_dtype_default_device[numpy-float64]",
        "test_dtype_default_device[array_api_strict-float32]",
        "test_dtype_default_device[array_api_strict-float64]"]
    result = pytester.runpytest("-p", "array_random.testing", *FAST, "--array-devices",
                                "default")
    result.assert_outcomes(passed=2 + 4 + 4)


def test_a_test_that_parametrises_xp_or_dtype_itself_keeps_its_own(pytester):
    pytester.makepyfile(test_x="""
        import numpy, pytest
        @pytest.mark.parametrize("xp", [numpy])
        def test_own_xp(xp):
            assert xp is numpy
        @pytest.mark.parametrize("dtype", ["float16"])
        def test_own_dtype(xp, dtype):
            assert dtype == "float16"
        @pytest.mark.parametrize("xp", [numpy])
        def test_own_xp_with_plugin_rng(xp, rng):
            pass
        @pytest.mark.parametrize("dtype", ["float16", "int8"])
        def test_own_dtype_only(dtype):
            pass
    """)
    result = pytester.runpytest("-p", "array_random.testing", *FAST, "-v")
    result.assert_outcomes(passed=3 + 2, errors=1)
    result.stdout.fnmatch_lines(["*test_own_dtype_only[[]int8[]] PASSED*"])
    result.stdout.fnmatch_lines(["*test_own_dtype[[]numpy-float16[]] PASSED*",
                                 "*parametrises 'xp' itself*"])


def test_rng_is_a_generator_on_the_case(pytester):
    pytester.makepyfile(test_r="""
        import array_api_compat
        def test_on_case(xp, device, rng):
            assert rng.xp is xp and rng.device == device
            assert rng.state["bit_generator"] == "threefry"
            assert array_api_compat.device(rng.random(2)) == device
        def test_native(rng, pytestconfig):
            assert rng.state["bit_generator"] == "native"
    """)
    result = pytester.runpytest("-p", "array_random.testing", *FAST, "-k", "on_case")
    result.assert_outcomes(passed=6)
    result = pytester.runpytest("-p", "array_random.testing", *FAST, "-k", "native",
                                "--rng-bit-generator", "native")
    result.assert_outcomes(passed=6)
    result.stdout.fnmatch_lines(["*bit generator native*"])


# --- seeds ----------------------------------------------------------------------------
def test_seeds_stable_alone_and_equal_on_every_backend(pytester, out):
    pytester.makepyfile(test_s=SAMPLE)
    pytester.runpytest("-p", "array_random.testing", *FAST).assert_outcomes(passed=18)
    full = out()
    assert len(full) == 18
    # the portable stream: every backend and device draws the same numbers for one test
    for name in ("test_a", "test_b", "test_c"):
        values = {json.dumps(v) for k, v in full.items() if k.startswith(name + "[")}
        assert len(values) == 1, (name, values)
    assert full["test_a[numpy-cpu]"] != full["test_b[numpy-cpu]"]  # tests differ
    pytester.runpytest("-p", "array_random.testing", *FAST,
                       "test_s.py::test_b[array_api_strict-device2]").assert_outcomes(passed=1)
    assert out() == {"test_b[array_api_strict-device2]": full["test_b[array_api_strict-device2]"]}
    pytester.runpytest("-p", "array_random.testing", *FAST, "--rng-seed", "1")
    moved = out()
    assert all(moved[k] != full[k] for k in full)


@needs_randomly
def test_seeds_stable_under_reordering(pytester, out):
    pytester.makepyfile(test_s=SAMPLE)
    runs = []
    for order_seed in ("1", "4"):
        result = pytester.runpytest("-p", "array_random.testing", "--array-backends",
                                    "numpy,array_api_strict", "-p", "randomly",
                                    "--randomly-seed", order_seed, "--rng-seed", "7", "-v")
        result.assert_outcomes(passed=18)
        runs.append(([line.split(" ")[0] for line in result.outlines if " PASSED" in line],
                     out()))
    (order1, draws1), (order2, draws2) = runs
    assert order1 != order2 and sorted(order1) == sorted(order2)  # another order ...
    assert draws1 == draws2                                         # ... the same numbers


def test_seeds_stable_under_xdist_and_several_jax_devices(pytester, out, monkeypatch):
    pytester.makepyfile(test_s=SAMPLE)
    pytester.runpytest("-p", "array_random.testing", *FAST).assert_outcomes(passed=18)
    serial = out()
    # a fresh process: JAX reads its host device count once, when it starts
    monkeypatch.setenv("XLA_FLAGS", "--xla_force_host_platform_device_count=2")
    monkeypatch.setenv("JAX_PLATFORMS", "cpu")
    result = pytester.runpytest_subprocess("-p", "array_random.testing", "-p", "no:randomly",
                                           "--array-backends", "numpy,array_api_strict,jax",
                                           "-p", "xdist", "-n", "2")
    result.assert_outcomes(passed=18 + 6)
    result.stdout.fnmatch_lines(["  jax *: cpu0, cpu1"])
    distributed = out()
    assert {k: v for k, v in distributed.items() if "jax" not in k} == serial
    for device in ("cpu0", "cpu1"):  # each JAX device draws the portable stream too
        for name in ("test_a", "test_b", "test_c"):
            assert distributed[f"{name}[jax-{device}]"] == serial[f"{name}[numpy-cpu]"]


@needs_randomly
def test_pytest_randomly_seed_moves_the_rng_seeds(pytester, out):
    pytester.makepyfile(test_s=SAMPLE)
    draws = {}
    for seed in ("5", "5", "6"):
        result = pytester.runpytest("-p", "array_random.testing", "--array-backends", "numpy",
                                    "-p", "randomly", "--randomly-seed", seed)
        result.assert_outcomes(passed=3)
        result.stdout.fnmatch_lines([f"array_random.testing: rng seed {seed} (--randomly-seed)*"])
        draws.setdefault(seed, []).append(out())
    assert draws["5"][0] == draws["5"][1]
    assert all(draws["5"][0][k] != draws["6"][0][k] for k in draws["5"][0])
    # an explicit --rng-seed wins over pytest-randomly's
    pytester.runpytest("-p", "array_random.testing", "--array-backends", "numpy", "-p",
                       "randomly", "--randomly-seed", "6", "--rng-seed", "5")
    assert out() == draws["5"][0]


@needs_randomly
def test_a_nested_session_gives_the_outer_randomly_seed_back(pytester, monkeypatch):
    import _array_random_pytest as entry
    monkeypatch.setattr(entry, "randomly_seed", None)
    entry.random_seeder(41)  # as pytest-randomly does at the outer session's start
    entry.random_seeder(41 + 12345)  # per-test offsets after it do not count
    pytester.makepyfile(test_x="def test_x(rng):\n    pass\n")
    result = pytester.runpytest("-p", "array_random.testing", "--array-backends", "numpy",
                                "-p", "randomly", "--randomly-seed", "5")
    result.assert_outcomes(passed=1)
    assert entry.randomly_seed == 41


# --- options --------------------------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    (["--array-backends", "numpy,nosuch"], "--array-backends='numpy,nosuch': unknown backend "
                                           "nosuch; choose from numpy, array_api_strict"),
    (["--array-backends", ","], "unknown backend (none)"),
    (["--array-devices", "some"], "--array-devices='some': choose from all, default"),
    (["--rng-seed", "-1"], "--rng-seed='-1': the seed must be a non-negative integer"),
    (["--rng-seed", "abc"], "--rng-seed='abc': the seed must be a non-negative integer"),
    (["--rng-bit-generator", "mt"], "--rng-bit-generator='mt': choose from threefry, native"),
])
def test_bad_option_is_a_usage_error(pytester, args, message):
    pytester.makepyfile(test_x="def test_x(xp):\n    pass\n")
    result = pytester.runpytest("-p", "array_random.testing", "-p", "no:randomly", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()


def test_a_named_backend_that_cannot_run_is_a_usage_error(pytester, monkeypatch):
    pytester.makepyfile(test_x="def test_x(xp):\n    pass\n")
    real = _backends.load
    monkeypatch.setattr(_backends, "is_installed", lambda name: name != "dask")
    result = pytester.runpytest("-p", "array_random.testing", "--array-backends", "numpy,dask")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "--array-backends='numpy,dask': dask not installed" in result.stderr.str()
    monkeypatch.setattr(_backends, "load", lambda name: (None, "cannot be used: ImportError")
                        if name == "torch" else real(name))
    result = pytester.runpytest("-p", "array_random.testing", "--array-backends", "torch")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "--array-backends torch: torch cannot be used: ImportError" in result.stderr.str()
    # not named: left out, and the header says why
    result = pytester.runpytest("-p", "array_random.testing", "-p", "no:randomly")
    result.stdout.fnmatch_lines(["  torch: left out, cannot be used: ImportError"])


def test_options_from_environment_and_ini(pytester, monkeypatch):
    pytester.makepyfile(test_x="def test_x(xp, device):\n    pass\n")
    pytester.makeini("[pytest]\narray_backends = array_api_strict\narray_devices = default\n"
                     "rng_seed = 3\n")
    base = ("-p", "array_random.testing", "-p", "no:randomly")
    result = pytester.runpytest(*base, "--collect-only", "-q")
    assert _collected(result) == ["test_x[array_api_strict-CPU_DEVICE]"]
    result = pytester.runpytest(*base)
    result.stdout.fnmatch_lines(["array_random.testing: rng seed 3 (--rng-seed)*devices default"])
    monkeypatch.setenv("ARRAY_RANDOM_BACKENDS", "numpy")  # the environment beats the ini ...
    monkeypatch.setenv("ARRAY_RANDOM_RNG_SEED", "4")
    assert _collected(pytester.runpytest(*base, "--collect-only", "-q")) == ["test_x[numpy-cpu]"]
    pytester.runpytest(*base).stdout.fnmatch_lines(["array_random.testing: rng seed 4*"])
    result = pytester.runpytest(*base, "--array-backends", "numpy,array_api_strict",  # ... and
                                "--array-devices", "all", "--collect-only", "-q")     # the flags
    assert len(_collected(result)) == 6
    monkeypatch.setenv("ARRAY_RANDOM_DEVICES", "most")
    result = pytester.runpytest(*base)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "$ARRAY_RANDOM_DEVICES='most'" in result.stderr.str()


def test_installed_backends_is_the_enumeration():
    from array_random.testing import KNOWN, installed_backends
    found = installed_backends()
    assert [b.name for b in found] == [n for n in KNOWN if n in {b.name for b in found}]
    assert {"numpy", "array_api_strict"} <= {b.name for b in found}
    strict = installed_backends(("array_api_strict",))[0]
    assert [strict.device_label(d) for d in strict.devices] == [
        "CPU_DEVICE", "device1", "device2", "no_float64", "no_x64"]
    with pytest.raises(ValueError, match="unknown backend cupyy"):
        installed_backends(("cupyy",))


def test_header_lists_backends_versions_and_devices(pytester):
    import array_api_strict
    import numpy

    pytester.makepyfile(test_x="def test_x(xp):\n    pass\n")
    result = pytester.runpytest("-p", "array_random.testing", *FAST)
    result.stdout.fnmatch_lines([
        "array_random.testing: rng seed 0 (default), bit generator threefry*, devices all",
        f"  numpy {numpy.__version__}: cpu",
        f"  array_api_strict {array_api_strict.__version__}: CPU_DEVICE, device1, device2, "
        "no_float64, no_x64"])
