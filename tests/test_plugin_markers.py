"""array_random.testing's markers and rerun line, driven by pytester."""
from __future__ import annotations

import importlib.util
import re
import shlex

import pytest

from array_random.testing import _backends

for _name in ("numpy", "array_api_strict"):  # see test_plugin.py: load before pytester runs
    _backends.load(_name)
try:
    import hypothesis.internal.observability  # noqa: F401
except ImportError:
    pass

FAST = ("-p", "array_random.testing", "--array-backends", "numpy,array_api_strict",
        "-p", "no:randomly")


def _literal(text):
    """``text`` as an fnmatch pattern matching itself (node ids hold brackets)."""
    return re.sub(r"([][])", r"[\1]", text)


def test_skip_and_xfail_backend_stack(pytester):
    pytester.makepyfile(test_m="""
        import pytest
        @pytest.mark.skip_backend("numpy", reason="numpy has no such thing")
        @pytest.mark.skip_backend("torch", "jax", reason="not these either")
        def test_skipped(xp):
            assert xp.__name__ == "array_api_strict"
        @pytest.mark.xfail_backend("array_api_strict", reason="strict refuses it")
        def test_xfail(xp):
            assert xp.__name__ != "array_api_strict"
        @pytest.mark.xfail_backend("numpy", reason="wrongly expected to fail")
        def test_xpass_strict(xp):
            pass
        @pytest.mark.xfail_backend("numpy", reason="flaky here", strict=False)
        def test_xpass_lenient(xp):
            pass
        pytestmark = pytest.mark.skip_backend("dask", reason="module-level marks count too")
    """)
    result = pytester.runpytest(*FAST, "-rfsxX")
    result.assert_outcomes(passed=4, skipped=1, xfailed=1, xpassed=1, failed=1)
    result.stdout.fnmatch_lines([
        "FAILED test_m.py::test_xpass_strict[[]numpy[]] - [[]XPASS(strict)[]]*",
        "SKIPPED [[]1[]] test_m.py:*: skip_backend(numpy): numpy has no such thing",
        "XFAIL test_m.py::test_xfail[[]array_api_strict[]] - xfail_backend(array_api_strict): "
        "strict refuses it",
        "XPASS test_m.py::test_xpass_lenient[[]numpy[]]*"])


@pytest.mark.parametrize("marker, message", [
    ('skip_backend("nmpy", reason="typo")',
     "skip_backend('nmpy'): unknown backend nmpy; known: numpy, array_api_strict"),
    ('xfail_backend("numpy")', "xfail_backend('numpy') needs reason='...'"),
    ('skip_backend(reason="which?")', "skip_backend needs one or more backend names"),
    ('xfail_backend("numpy", reason="r", stict=True)', "unexpected keyword stict"),
    ('requires_capability("float128")', "requires_capability: unknown capability 'float128'"),
])
def test_a_misused_marker_is_a_collection_error(pytester, marker, message):
    pytester.makepyfile(test_m=f"""
        import pytest
        @pytest.mark.{marker}
        def test_x(xp):
            pass
        def test_fine(xp):
            pass
    """)
    result = pytester.runpytest(*FAST)
    assert result.ret == pytest.ExitCode.INTERRUPTED  # collection error: nothing runs
    result.stdout.fnmatch_lines([f"*{message}*"])
    assert "Traceback" not in result.stdout.str()


def test_requires_capability_reads_the_namespace_info(pytester):
    pytester.makepyfile(test_m="""
        import pytest
        @pytest.mark.requires_capability("float64")
        def test_float64(xp, device):
            xp.zeros(1, dtype=xp.float64, device=device)
        @pytest.mark.requires_capability("mutable_arrays", "boolean_indexing")
        def test_mutable(xp, device):
            x = xp.zeros(2, device=device)
            x[0] = 1.0
        @pytest.mark.requires_capability(device_type="cuda", reason="GPU kernels")
        def test_cuda(xp, device):
            raise AssertionError("never runs on this CPU-only machine")
        @pytest.mark.requires_capability(device_type=("cpu",))
        def test_cpu(xp, device):
            pass
    """)
    result = pytester.runpytest(*FAST, "-rs", "-v")
    result.assert_outcomes(passed=6 - 2 + 6 + 6, skipped=2 + 6)
    result.stdout.fnmatch_lines([
        "SKIPPED [[]1[]] *: requires_capability: array_api_strict-no_float64 has no float64",
        "SKIPPED [[]1[]] *: requires_capability: array_api_strict-no_x64 has no float64",
        "SKIPPED [[]1[]] *: GPU kernels: numpy-cpu has device type cpu, not cuda"])


def test_immutable_arrays_are_skipped_by_mutable_arrays(pytester):
    pytester.makepyfile(test_m="""
        import pytest
        @pytest.mark.requires_capability("mutable_arrays")
        def test_mutable(xp):
            pass
    """)
    result = pytester.runpytest("-p", "array_random.testing", "--array-backends", "jax",
                                "-p", "no:randomly", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*requires_capability: jax has immutable arrays"])


def test_the_rerun_line_reruns_exactly_the_failing_case(pytester):
    pytester.makepyfile(test_f="""
        def test_ok(rng):
            pass
        def test_fails(rng, device):
            value = float(rng.random())
            print("drew", value)
            assert rng.xp.__name__ != "array_api_strict" or "device1" not in str(device)
    """)
    result = pytester.runpytest(*FAST, "--rng-seed", "11")
    result.assert_outcomes(passed=11, failed=1)
    node = "test_f.py::test_fails[array_api_strict-device1]"
    command = (f"python -m pytest '{node}' -p array_random.testing --array-backends "
               "array_api_strict --rng-seed 11")
    result.stdout.fnmatch_lines([
        "*- array_random: rerun this case -*", _literal(command),
        "backend array_api_strict *, device device1, rng seed 11 (SeedSequence([[]11, *]), "
        "bit generator threefry)",
        "*= array_random: rerun the failed cases =*", _literal(command)])
    drew = [line for line in result.outlines if line.startswith("drew")]
    # paste it: one test runs, the same failing case with the same numbers
    args = shlex.split(command)[3:]
    again = pytester.runpytest(*args, "-p", "no:randomly")
    again.assert_outcomes(failed=1)
    assert [line for line in again.outlines if line.startswith("drew")] == drew


@pytest.mark.skipif(importlib.util.find_spec("pytest_randomly") is None,
                    reason="pytest-randomly is not installed")
def test_the_rerun_line_carries_the_non_default_options(pytester):
    pytester.makepyfile(test_f="def test_fails(rng):\n    assert False\n")
    pytester.makeconftest("pytest_plugins = ['array_random.testing']\n")
    result = pytester.runpytest("--array-backends", "numpy", "--rng-bit-generator", "native",
                                "-p", "randomly", "--randomly-seed", "3")
    result.stdout.fnmatch_lines([  # opted in by the conftest: no -p array_random.testing
        "python -m pytest 'test_f.py::test_fails[[]numpy-cpu[]]' --array-backends numpy --rng-seed 3"
        " --rng-bit-generator native -p randomly --randomly-seed 3"])


def test_the_rerun_line_runs_from_the_rootdir(pytester, monkeypatch):
    pytester.makeini("[pytest]\n")
    sub = pytester.mkpydir("sub")
    (sub / "test_f.py").write_text("def test_fails(xp):\n    assert False\n")
    monkeypatch.chdir(sub)
    result = pytester.runpytest(*FAST, "test_f.py")
    result.stdout.fnmatch_lines([_literal(f"cd {pytester.path} && python -m pytest "
                                          "'sub/test_f.py::test_fails[numpy]'") + "*"])


def test_no_rerun_line_for_tests_without_the_fixtures(pytester):
    pytester.makepyfile(test_f="def test_fails():\n    assert False\n")
    result = pytester.runpytest(*FAST)
    result.assert_outcomes(failed=1)
    assert "array_random: rerun" not in result.stdout.str()
