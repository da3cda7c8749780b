"""SPEC K9 and D5 (JAX): the portable stream gives the same values on every backend.

One seed, one call of every method (``conformance/portable.py``), drawn with
``bit_generator="threefry"`` on numpy, torch (CPU), every array_api_strict
device that has the dtype, jax and dask (when its backend is installed):

- exact methods (raw words, ``random``, ``uniform``, ``integers``, ``bytes``,
  ``choice``, ``permutation``, ``permuted``, ``shuffle``) are equal element by
  element; so are the count samplers (their float64 arithmetic differs by a
  few ulp between libraries, which at this seed flips no accept/reject
  decision, ``portable_diff.py`` measures it);
- floats from transcendental functions agree within a bound measured with
  ``portable_diff.py``/``portable.scaled_error`` (torch at most 8.6 eps, JAX
  float32 8.3, JAX float64 155: XLA's own float64 log/exp) with a 4x margin;
- devices without 64-bit integers or floats compute with 32-bit words or in
  float32, so for methods whose 64-bit path differs they are compared among
  themselves (array_api_strict ``no_x64`` with JAX without x64);
- the raw words equal ``jax.random.bits`` for the same key;
- on 4 JAX host devices (a subprocess with x64), a draw generated sharded over
  a 1-D and a 2-D mesh equals the unsharded one (``MESH_CASES`` in CI), and
  JAX's float64 and int64 draws equal NumPy's as above.

JAX fuses ``a * b + c`` into one FMA (one rounding, NumPy and torch round
twice), so on JAX ``uniform`` is held to the float bound, not equality.
"""
from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import array_random
from conformance.portable import CASES, backends, check_case, draw
from conformance.targets import to_numpy

BACKENDS = backends()


def _mutable(backend) -> bool:
    return backend.label not in ("jax", "dask")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_same_values_on_every_backend(case):
    chosen = [b for b in BACKENDS if b.supports(case)
              and (case.method != "shuffle" or _mutable(b))]
    values = {b.label: draw(b, case) for b in chosen}
    assert len(values) >= 4  # numpy, torch and strict at least
    failures = check_case(case, values, {b.label: b.group for b in chosen})
    assert not failures, "\n".join(failures)


def test_shuffle_is_refused_on_immutable_backends():
    for b in BACKENDS:
        if not _mutable(b):
            x = b.rng().xp.asarray([1, 2, 3])
            with pytest.raises(TypeError, match="immutable"):
                b.rng().shuffle(x)


@pytest.mark.parametrize("backend", BACKENDS, ids=[b.label for b in BACKENDS])
def test_raw_bits_are_jax_random_bits(backend):
    """Draw ``c``'s words are ``jax.random.bits(fold_in(fold_in(K, c), 0))`` for the key ``K``.

    ``K`` is the generator's key: the two words ``SeedSequence(seed)`` gives
    (``state["key"]``), the key JAX's own generator derives too. A full 32-bit
    span of ``integers`` returns every word as drawn; a device without int64
    is checked through ``random(float32)``, JAX's uniform arithmetic on the
    same words.
    """
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp

    rng = array_random.default_rng(backend.xp, 2026, device=backend.device,
                                   bit_generator="threefry")
    key = jax.random.wrap_key_data(jnp.asarray(rng.state["key"], dtype=jnp.uint32))
    for c in range(3):
        draw_key = jax.random.fold_in(jax.random.fold_in(key, c), 0)
        if backend.has("int64"):
            got = rng.integers(0, 2**32, size=3000, dtype=rng.xp.int64)
            expect = np.asarray(jax.random.bits(draw_key, (3000,), jnp.uint32)).astype(np.int64)
        else:
            got = rng.random(3000, dtype=rng.xp.float32)
            expect = np.asarray(jax.random.uniform(draw_key, (3000,), jnp.float32))
        got = got.compute() if hasattr(got, "compute") and hasattr(got, "dask") else got
        np.testing.assert_array_equal(to_numpy(got), expect)


#: the cases drawn with x64 and sharded in CI, each on the meshes named ("line": 4
#: devices, "grid": 2x2): one or more of every sampler family (raw words,
#: multiply-shift and masked integers, the sorts, Box-Muller, the gamma loop and
#: what is built on it, vonmises' loop, PTRS/BTRS, the count loops, the row-coupled
#: multivariate ones). Every case costs a JAX compilation per layout, so CI shards
#: each on one mesh, the 2x2 one (the costlier compilation) for a cheap case of
#: each kind (vonmises, once rounded differently on both, on both);
#: ARRAY_RANDOM_PORTABLE_FULL=1: every case, both meshes.
#: Each case is also drawn unsharded and compared with NumPy (JAX x64).
MESH_CASES = {
    "random/float64": ("line",), "uniform/float64": ("grid",),
    "integers(0,10)/int64": ("grid",), "integers(0,2**63-1)/int64": ("line",),
    "choice(1000)": ("line",), "choice(1000,replace=False)": ("line",),
    "permutation(2000)": (),  # compared with NumPy only: device= cannot place it
    "standard_normal/float64": ("grid",),
    "standard_gamma(0.3)/float64": ("line",), "beta(2,3)/float64": ("line",),
    "vonmises(0,2)/float64": ("line", "grid"), "poisson(4)": ("grid",), "poisson(50)": ("line",),
    "binomial(1000,0.4)": ("line",), "hypergeometric(10,15,8)": ("line",), "zipf(2)": ("grid",),
    "dirichlet/float64": ("line",), "multinomial(20)": ("line",),
    "multivariate_normal/float64": ("grid",),
}

_MESH_SCRIPT = textwrap.dedent("""
    import json, os, sys
    os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=4"
    sys.path.insert(0, {root!r})
    import jax, jax.numpy as jnp, numpy as np
    from jax.sharding import Mesh, NamedSharding, PartitionSpec as P
    from conformance.portable import CASES, N, Backend, check_case, draw
    mesh_cases = {mesh_cases!r}  # name -> mesh names; None: every case on both

    assert jax.config.jax_enable_x64 and len(jax.devices()) == 4
    numpy_b, jax_b = Backend("numpy", np, "cpu"), Backend("jax", jnp, jax.devices()[0])
    devs = np.array(jax.devices())
    meshes = {{"line": NamedSharding(Mesh(devs, ("x",)), P("x")),
              "grid": NamedSharding(Mesh(devs.reshape(2, 2), ("x", "y")), P("x", "y"))}}
    out = {{"failures": [], "sharded": 0, "compared": 0}}
    for case in CASES:
        if case.method == "shuffle" or "float32" in case.name:
            continue  # float32: checked in the main process, JAX without x64
        if mesh_cases is not None and case.name not in mesh_cases:
            continue
        plain = draw(jax_b, case, host=False)
        host = np.frombuffer(plain, dtype=np.uint8) if isinstance(plain, bytes) else np.asarray(plain)
        out["failures"] += [case.name + ": " + f for f in check_case(
            case, {{"numpy": draw(numpy_b, case), "jax": host}},
            {{"numpy": (True, True), "jax": (True, True)}})]
        out["compared"] += 1
        if case.method == "bytes" or not case.sized and case.method != "choice":
            continue  # bytes are Python bytes; an array argument sets the placement
        if any(map(callable, case.args + tuple(case.kwargs.values()))):
            continue  # array parameters live on one device: tests/test_jax_sharding.py
        names = ("line", "grid") if mesh_cases is None else mesh_cases[case.name]
        sizes = {{"line": (N,) + case.batch_tail if case.sized else None,
                  "grid": (40, 52) + case.batch_tail}}
        layouts = [(meshes[m], sizes[m]) for m in names if case.sized or m == "line"]
        for sharding, size in layouts:
            # the draw of the comparison above where it has this size: one compilation less
            same = size is None or tuple(plain.shape[:len(size)]) == size
            whole = plain if same else draw(jax_b, case, size=size, host=False)
            parts = draw(jax_b, case, size=size, device=sharding, host=False)
            name = f"{{case.name}} on {{sharding.spec}}"
            if not parts.sharding.is_equivalent_to(sharding, parts.ndim):
                out["failures"].append(f"{{name}}: laid out as {{parts.sharding}}")
            a, b = np.asarray(whole), np.asarray(parts)
            if not np.array_equal(a, b, equal_nan=a.dtype.kind == "f"):
                out["failures"].append(f"{{name}}: {{np.mean(a != b):.3g}} of the elements "
                                       "differ from the unsharded draw")
            out["sharded"] += 1
    print(json.dumps(out))
""")


def test_jax_sharded_draws_equal_unsharded_and_numpy():
    """D5 for JAX, in a subprocess with 4 host devices and x64 (both read when JAX starts).

    Every method whose draw can be placed by ``device=`` (all but ``bytes``,
    ``shuffle``, the permutations of a given array and the cases with array
    parameters, which would have to be placed first) is drawn unsharded, over
    a 1-D mesh of 4 devices and over a 2x2 mesh: bit for bit the same. That
    includes the methods that couple elements along an axis (permutation and
    choice without replacement sort keys along it; dirichlet normalises by a
    row sum; multinomial and multivariate_hypergeometric give each category
    what the earlier ones left; multivariate_normal multiplies rows by a
    matrix): XLA partitions the one program and gathers what an operation
    needs, so it computes the same values. (The samplers avoid the two
    operations XLA:CPU compiled differently once sharded: ``atan``, whose
    vectorised and scalar forms differ by 1 ulp, and a last-axis reduction
    fused with ``exp``; see vonmises and ``_fold_last``.) (Dask
    blocks differ: a block is drawn on its own, so such methods need whole
    rows in a block.) CI shards ``MESH_CASES``; ``ARRAY_RANDOM_PORTABLE_FULL=1``
    every case.
    """
    pytest.importorskip("jax")
    root = str(pathlib.Path(__file__).resolve().parent.parent)
    env = dict(os.environ, JAX_PLATFORMS="cpu", JAX_ENABLE_X64="1")
    full = os.environ.get("ARRAY_RANDOM_PORTABLE_FULL") == "1"
    script = _MESH_SCRIPT.format(root=root, mesh_cases=None if full else MESH_CASES)
    # every case on both meshes compiles ~2.5x as much as CI's subset (400 s at a load of 6)
    proc = subprocess.run([sys.executable, "-c", script], env=env,
                          capture_output=True, text=True, timeout=2400 if full else 600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["compared"] == (sum(c.method != "shuffle" and "float32" not in c.name
                                   for c in CASES) if full else len(MESH_CASES))
    assert out["sharded"] >= 80 if full else out["sharded"] == sum(map(len, MESH_CASES.values()))
    assert not out["failures"], "\n".join(out["failures"])
