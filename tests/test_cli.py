"""The ``array-random`` command: compare's flags, table, JSON, plot and exit status; info."""
from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import types

import array_api_strict as xps
import numpy as np
import pytest

import array_random
from array_random import backends, cli
from array_random._compare import SCHEMA, reference
from array_random.backends import threefry
from array_random.backends._keys import check_counter
from array_random.backends.generic import GenericBackend, ThreefrySource

SPEC_METHODS = """random integers choice bytes shuffle permutation permuted spawn beta binomial
chisquare dirichlet exponential f gamma geometric gumbel hypergeometric laplace logistic lognormal
logseries multinomial multivariate_hypergeometric multivariate_normal negative_binomial
noncentral_chisquare noncentral_f normal pareto poisson power rayleigh standard_cauchy
standard_exponential standard_gamma standard_normal standard_t triangular uniform vonmises wald
weibull zipf""".split()

SMALL = ["--size", "20000", "--no-progress", "--no-cache"]


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- the reference table ------------------------------------------------------------------
def test_reference_covers_every_distribution_of_the_spec():
    covered = set(reference.BY_NAME) | set(reference.NOT_DISTRIBUTIONS)
    assert covered == set(SPEC_METHODS)
    assert len(reference.BY_NAME) == len(reference.CASES)


def test_reference_laws_are_frozen_scipy_distributions_with_the_right_kind():
    from scipy import stats
    for case in reference.CASES:
        law = case.law(stats)
        assert hasattr(law, "cdf") and hasattr(law, "support"), case.name
        discrete = isinstance(getattr(law, "dist", law), stats.rv_discrete)
        assert discrete == (case.kind == "discrete"), case.name


def test_reference_numpy_calls_match_their_laws():
    # The exact laws are written by hand: NumPy itself must fit them (a wrong
    # parametrisation, e.g. wald's scale or pareto's shift, would fail here).
    from scipy import stats
    from array_random._compare import runner
    gen = np.random.default_rng(12345)
    for case in reference.CASES:
        x = np.asarray(case.numpy_native(gen, 20000), dtype=np.float64)
        if case.marginal is not None:
            x = x[:, case.marginal]
        law = case.law(stats)
        result = runner.check(case, x, law, runner.exact_moments(case, law))
        assert result["verdict"] == "pass", (case.name, result["reason"])


# --- one shared small run: table, JSON, plot ------------------------------------------------
@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("compare")
    argv = ["compare", "--backends", "numpy,jax,array_api_strict", "--devices",
            "cpu,no_x64,device2", "--methods", "random,normal,integers,multinomial",
            "--json", str(out / "r.json"), "--plot", str(out / "r.png"), *SMALL]
    # capsys is function-scoped: capture this module-wide run by hand
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(argv)
    return {"code": code, "out": stdout.getvalue(), "err": stderr.getvalue(),
            "json": json.loads((out / "r.json").read_text()), "png": out / "r.png"}


def test_compare_runs_and_passes(small_run):
    assert small_run["code"] == 0, small_run["out"] + small_run["err"]
    assert "Traceback" not in small_run["err"]


def test_json_schema(small_run):
    r = small_run["json"]
    assert r["schema"] == SCHEMA
    for key in ("array_random", "created", "argv", "seed", "size", "alpha", "max_z", "wall_s",
                "environment", "targets", "skipped", "not_compared", "distributions",
                "summary"):
        assert key in r, key
    assert r["size"] == 20000 and r["seed"] == 0
    labels = [t["label"] for t in r["targets"]]
    assert labels == ["numpy:cpu", "jax:cpu", "array_api_strict:device2",
                      "array_api_strict:no_x64"]
    for t in r["targets"]:
        assert set(t) >= {"label", "backend", "served_by", "device", "size", "version",
                          "default_dtypes"}
        assert t["size"] == 20000
    assert r["targets"][1]["default_dtypes"] == {"real floating": "float32", "integral": "int32"}
    assert [d["method"] for d in r["distributions"]] == ["random", "normal", "integers",
                                                         "multinomial"]
    for d in r["distributions"]:
        assert set(d) >= {"method", "call", "kind", "reference", "marginal", "exact", "status",
                          "agreement", "cells"}
        assert d["reference"].startswith("scipy.stats.")
        assert [c["target"] for c in d["cells"]] == labels
        for c in d["cells"]:
            assert c["status"] == "pass", c
            assert c["size"] == 20000
            assert c["test"] == ("ks" if d["kind"] == "continuous" else "chi2")
            assert 1e-6 <= c["pvalue"] <= 1
            assert abs(c["mean_z"]) <= 6 and abs(c["var_z"]) <= 6
            assert c["samples_per_s"] > 0 and c["seconds"] > 0
            assert isinstance(c["head_hash"], str)
    numpy_cell = r["distributions"][1]["cells"][0]
    assert numpy_cell["native_call"].startswith("numpy.random.Generator.normal")
    assert numpy_cell["ratio"] == pytest.approx(
        numpy_cell["samples_per_s"] / numpy_cell["native_samples_per_s"])
    for d in r["distributions"]:
        jax_cell = d["cells"][1]
        assert "jax.random." in jax_cell["native_call"], jax_cell["native_call"]
        assert "failed" not in jax_cell["native_call"]
        assert jax_cell["native_samples_per_s"] > 0 and jax_cell["ratio"] > 0
        assert jax_cell["native_compile_s"] > 0 and jax_cell["first_call_s"] > 0
        assert d["cells"][2]["native_call"] is None  # array_api_strict has no generator
    assert r["distributions"][3]["marginal"] == 0
    assert r["distributions"][3]["cells"][0]["shape"] == [20000, 3]
    assert r["summary"]["pass"] == 16 and r["summary"]["fail"] == 0
    assert "bytes" in r["not_compared"]


def test_json_agreement_groups_identical_streams(small_run):
    # the generic backend reproduces JAX's bits: float32 `random` agrees bitwise
    rows = {d["method"]: d for d in small_run["json"]["distributions"]}
    groups = [set(g) for g in rows["random"]["agreement"]]
    assert {"jax:cpu", "array_api_strict:device2", "array_api_strict:no_x64"} in groups
    cells = {c["target"]: c for c in rows["random"]["cells"]}
    assert cells["jax:cpu"]["group"] == cells["array_api_strict:no_x64"]["group"] is not None
    assert cells["numpy:cpu"]["group"] is None and cells["numpy:cpu"]["same_as"] == []
    assert cells["jax:cpu"]["head_hash"] == cells["array_api_strict:device2"]["head_hash"]
    # float32 on both: the first values really are equal
    a = array_random.default_rng(xps, 0, device=xps.Device("device2")).random(5)
    import jax.numpy as jnp
    b = array_random.default_rng(jnp, 0).random(5)
    np.testing.assert_array_equal(np.asarray(a.to_device(xps.Device("CPU_DEVICE"))),
                                  np.asarray(b))


def test_table(small_run):
    out = small_run["out"]
    assert "\x1b[" not in out  # piped: plain text, no colour codes
    for text in ("numpy", "jax", "strict", "no_x64", "random", "multinomial", "✓",
                 "identical values: jax:cpu = array_api_strict:device2 = "
                 "array_api_strict:no_x64", "16 pass, 0 fail, 0 error"):
        assert text in out, text
    rows = [line for line in out.splitlines()
            if line.lstrip().startswith(("random", "normal", "integers", "multinomial"))]
    assert len(rows) == 4 and all("✓" in row and "✗" not in row for row in rows)


def test_plot_is_a_valid_png(small_run):
    import matplotlib.image
    data = small_run["png"].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    img = matplotlib.image.imread(small_run["png"])
    assert img.ndim == 3 and img.shape[0] > 200 and img.shape[1] > 600


# --- a wrong sampler is caught ----------------------------------------------------------------
class _WideNormalSource(ThreefrySource):
    """The generic source with a broken primitive: normals 1.5 times too wide."""

    def standard_normal(self, shape, dtype):
        return 1.5 * super().standard_normal(shape, dtype)


class _BrokenBackend(GenericBackend):
    def __init__(self, xp, device, seed):
        super().__init__(xp, device, seed)
        self.name = "broken"

    def draw(self, name, shape, dtype, device, *params, **static):
        check_counter(self.count)
        src = _WideNormalSource(self.xp, device, threefry.fold_in(self.key, self.count))
        self.count += 1
        return getattr(src, name)(shape, dtype, *params, **static)


@pytest.fixture
def broken_namespace(monkeypatch):
    """An importable namespace ``broken_xp`` (array_api_strict underneath) with a wrong backend."""
    module = types.ModuleType("broken_xp")
    for attr in dir(xps):
        if not attr.startswith("__") or attr == "__array_namespace_info__":
            setattr(module, attr, getattr(xps, attr))
    monkeypatch.setitem(sys.modules, "broken_xp", module)
    monkeypatch.setattr(backends, "_REGISTRY", list(backends._REGISTRY))
    array_random.register_backend("broken", lambda xp: xp is module, _BrokenBackend)
    return module


def test_a_wrong_sampler_is_marked_fail(capsys, tmp_path, broken_namespace):
    path = tmp_path / "r.json"
    code, out, err = run(capsys, "compare", "--backends", "numpy,broken_xp", "--methods",
                         "standard_normal,random", "--json", str(path), *SMALL)
    assert code == 1  # a failing cell: exit status 1
    r = json.loads(path.read_text())
    assert r["targets"][1]["label"] == "broken_xp:CPU_DEVICE"
    assert r["targets"][1]["served_by"] == "broken"
    cells = {(d["method"], c["target"]): c for d in r["distributions"] for c in d["cells"]}
    bad = cells["standard_normal", "broken_xp:CPU_DEVICE"]
    assert bad["status"] == "fail"
    assert bad["pvalue"] < 1e-6 and bad["var_z"] > 6
    assert "KS p" in bad["reason"] and "var off" in bad["reason"]
    assert cells["standard_normal", "numpy:cpu"]["status"] == "pass"
    assert cells["standard_normal", "numpy:cpu"]["native_samples_per_s"] > 0
    assert cells["random", "broken_xp:CPU_DEVICE"]["status"] == "pass"
    assert r["distributions"][0]["status"] == "fail"
    assert r["summary"]["fail"] == 1
    row = next(line for line in out.splitlines() if line.lstrip().startswith("standard_normal"))
    assert "✗" in row and "✓" in row  # numpy passes, the broken backend fails
    assert "✗ standard_normal on broken_xp:CPU_DEVICE: KS p" in out


def test_a_method_the_generator_lacks_is_missing(capsys, tmp_path, monkeypatch):
    case = reference.Case("not_yet_there", (1.0,), lambda s: s.norm(), "norm()", "continuous")
    monkeypatch.setitem(reference.BY_NAME, "not_yet_there", case)
    path = tmp_path / "r.json"
    code, out, err = run(capsys, "compare", "--backends", "numpy", "--methods",
                         "not_yet_there,normal", "--json", str(path), *SMALL)
    assert code == 0, err
    r = json.loads(path.read_text())
    assert r["distributions"][0]["status"] == "missing"
    assert r["distributions"][0]["cells"][0]["status"] == "missing"
    assert r["distributions"][1]["status"] == "pass"
    assert r["summary"]["missing_methods"] == ["not_yet_there"]
    assert "missing" in out and "not in the Generator yet (1): not_yet_there" in out


def test_portable_stream_gives_one_letter_across_every_backend(capsys, tmp_path):
    # --bit-generator threefry: the same values on every backend and device for
    # the exact methods (float32 for continuous draws: the dtype all devices have)
    path = tmp_path / "r.json"
    code, out, err = run(capsys, "compare", "--bit-generator", "threefry", "--full",
                         "--no-native", "--methods", "random,uniform,integers,poisson",
                         "--json", str(path), *SMALL)
    assert code == 0, out + err
    r = json.loads(path.read_text())
    assert r["bit_generator"] == "threefry" and r["float_dtype"] == "float32"
    labels = [t["label"] for t in r["targets"]]
    assert {"numpy:cpu", "jax:cpu", "torch:cpu", "array_api_strict:no_x64",
            "array_api_strict:device1"} <= set(labels)
    rows = {d["method"]: d for d in r["distributions"]}
    for method in ("random", "uniform", "integers"):
        assert [set(g) for g in rows[method]["agreement"]] == [set(labels)], method
        assert len({c["head_hash"] for c in rows[method]["cells"]}) == 1
    # counts: float64 arithmetic where the device has it, float32 elsewhere
    poisson = {c["target"]: c["group"] for c in rows["poisson"]["cells"]}
    assert poisson["numpy:cpu"] == poisson["torch:cpu"] == poisson["array_api_strict:device1"]
    assert poisson["numpy:cpu"] != poisson["array_api_strict:no_float64"]
    assert "bit generator: threefry; continuous draws in float32" in out
    # the native default keeps each library's own stream
    native = cli._parser().parse_args(["compare"])
    assert native.bit_generator == "native" and native.float_dtype is None


# --- flags ------------------------------------------------------------------------------------
@pytest.mark.parametrize("argv, says", [
    (["compare", "--backends", "nosuchlib"], "unknown backend 'nosuchlib'"),
    (["compare", "--backends", "os"], "unknown backend 'os'"),
    (["compare", "--methods", "normal,nosuch"], "unknown method nosuch"),
    (["compare", "--methods", "shuffle"], "shuffle draw no distribution"),
    (["compare", "--size", "0"], "--size must be positive"),
    (["compare", "--size", "-10"], "--size must be positive"),
    (["compare", "--size", "ten"], "--size must be a positive integer"),
    (["compare", "--size", "1.5"], "--size must be a positive integer"),
    (["compare", "--seed", "-1"], "--seed must be non-negative"),
    (["compare", "--devices", "tpu7"], "no device tpu7"),
    (["compare", "--json", "/nonexistent-dir/r.json"], "no such directory"),
    (["compare", "--plot", "/nonexistent-dir/r.png"], "no such directory"),
    (["compare", "--plot", "r.txt"], "must end in .png, .pdf or .svg"),
    (["compare", "--json", "/"], "is a directory"),
    (["compare", "--no-such-flag"], "unrecognized arguments"),
    (["compare", "--bit-generator", "pcg64"], "invalid choice: 'pcg64'"),
    (["compare", "--methods"], "expected one argument"),
    (["frobnicate"], "invalid choice"),
    ([], "choose a command"),
])
def test_bad_flags_give_one_line_and_status_2(capsys, argv, says):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("array-random: error: "), err
    assert says in err
    assert "Traceback" not in err and out == ""


def test_bad_flags_from_the_shell(tmp_path):
    # the real process: exit status 2, one line on stderr, nothing drawn
    proc = subprocess.run([sys.executable, "-m", "array_random", "compare", "--size", "0"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("text, value", [("1000", 1000), ("1e5", 10**5), ("10^6", 10**6),
                                         ("10**3", 1000), ("1_000_000", 10**6)])
def test_size_spellings(text, value):
    assert cli._size(text) == value


def test_help(capsys):
    code, out, _ = run(capsys, "compare", "--help")
    assert code == 0
    assert "--backends" in out and "--json" in out and "--plot" in out


def test_devices_and_default_strict_device():
    from array_random._compare import targets
    chosen, skipped = targets.select(["array_api_strict"], ["device2", "no_x64"])
    assert [t.label for t in chosen] == ["array_api_strict:device2", "array_api_strict:no_x64"]
    chosen, skipped = targets.select(["array_api_strict"], None)
    assert [t.label for t in chosen] == ["array_api_strict:no_x64"]
    assert "CPU_DEVICE" in skipped[0].device and "--full" in skipped[0].reason
    chosen, _ = targets.select(["array_api_strict"], None, full=True)
    assert len(chosen) == 5


def test_a_backend_that_is_not_installed_is_skipped_with_its_reason(monkeypatch):
    from array_random._compare import targets
    real = targets._import
    monkeypatch.setattr(targets, "_import", lambda m: None if m == "torch" else real(m))
    chosen, skipped = targets.select(["numpy", "torch"], None)
    assert [t.label for t in chosen] == ["numpy:cpu"]
    assert skipped[0].backend == "torch" and "not installed" in skipped[0].reason


def test_torch_cells_are_tested_and_timed_against_torch_routines(capsys, tmp_path):
    path = tmp_path / "r.json"
    code, out, err = run(capsys, "compare", "--backends", "torch", "--devices", "cpu",
                         "--methods", "standard_normal,poisson,choice,beta", "--json",
                         str(path), *SMALL)
    assert code == 0, out + err
    cells = {d["method"]: d["cells"][0] for d in json.loads(path.read_text())["distributions"]}
    for name in ("standard_normal", "poisson", "choice"):
        assert cells[name]["native_call"].startswith("torch."), cells[name]["native_call"]
        assert "failed" not in cells[name]["native_call"]
        assert cells[name]["native_samples_per_s"] > 0 and cells[name]["ratio"] > 0
    assert cells["beta"]["native_call"] is None  # torch has no beta routine taking a generator
    assert all(c["status"] == "pass" for c in cells.values())
    assert "native routine not timed" not in out


def test_torch_without_cuda_says_so():
    import torch
    from array_random._compare import targets
    chosen, skipped = targets.select(["torch"], None)
    assert chosen[0].label == "torch:cpu"
    if not torch.cuda.is_available():
        assert skipped[0].text == "torch cuda (no CUDA device)"


# --- info, and the import stays light ----------------------------------------------------------
def test_info(capsys):
    code, out, err = run(capsys, "info")
    assert code == 0, err
    import jax
    import torch
    for text in ("numpy", np.__version__, "jax", jax.__version__, "torch", "array_api_strict",
                 "CPU_DEVICE", "device2", "no_float64", "no_x64", "float64", "float32", "int32",
                 "x64 off", f"array_random {array_random.__version__}"):
        assert text in out, text
    jax_line = next(line for line in out.splitlines() if line.lstrip().startswith("jax"))
    assert "float32" in jax_line and "int32" in jax_line
    if not torch.cuda.is_available():
        assert "no CUDA device" in out


def test_jax_compilation_cache_goes_to_the_user_cache(tmp_path):
    # in a subprocess: JAX's cache directory is process-wide configuration
    env = {**__import__("os").environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("JAX_COMPILATION_CACHE_DIR", None)
    proc = subprocess.run([sys.executable, "-m", "array_random", "compare", "--backends", "jax",
                           "--methods", "gamma", "--size", "1000", "--no-native"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    cache = tmp_path / "array-random" / "jax"
    assert f"JAX compilation cache: {cache}" in proc.stdout
    assert cache.is_dir()


def test_importing_array_random_does_not_need_the_cli_extra():
    code = ("import sys, array_random, array_random.cli; "
            "print(sorted(m for m in ('rich', 'scipy', 'matplotlib') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
