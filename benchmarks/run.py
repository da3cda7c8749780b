"""array_random against the native call it wraps, on every backend, in one run.

    python benchmarks/run.py                      # everything, ~3 minutes on 2 cores
    python benchmarks/run.py --backends numpy,jax --methods random,gamma --sizes 10,1e6
    python benchmarks/run.py --json bench.json    # also write every number to a file

Sections (each printed as a table, all written to ``--json``):

* **draws**: for every backend, method, dtype and size, the array_random call
  and the equivalent native call are timed alternately in the same process
  (warm-up first, JAX results blocked until ready). A size of at least 1000 is
  a *large* draw: the ratio array_random / native of the medians of
  ``--repeats`` paired timings (target <= 1.05), and samples/s of both. A
  smaller size (``scalar`` is ``size=None``) is a *small* draw: the cost per
  call, measured over loops of ``--calls`` calls, and the added cost in us
  (target <= 1 us on NumPy, <= 1.5 us on torch for the core methods, <= 2 us
  for the others). ``permutation`` permutes ``size // 10`` elements (10**6 for
  the default 10**7).
* **methods**: every sampling method of ``numpy.random.Generator`` (see
  ``every_method.py``), default dtype, ``size=None`` and 10, on NumPy and
  torch: the added cost per call over the native call (torch: over the
  sampler called directly where torch has no routine). Besides the median
  of the paired differences (the figure of record) each small row keeps
  ``added_min_us``, the difference of the two sides' least disturbed blocks:
  steadier while other jobs load the machine (use many ``--repeats``).
* **eager JAX**: one array_random draw of 10 normals (key derivation and
  sample; target: at most a bare call), a bare ``jax.random.normal(key, (10,))`` and
  ``jax.experimental.random.stateful_rng(0).normal(size=10)``, each blocked.
* **raw bits**: uint32 words per second of array_random's Threefry-2x32 (the
  portable stream's NumPy override and torch int32-lane cipher, the generic
  Array-API code on NumPy and array_api_strict, the unrolled cipher under
  ``jax.jit`` that JAX draws use) against ``jax.random.bits``, alternately in
  one process (targets: portable NumPy >= 1.0x, torch >= 0.5x).
* **portable**: every backend's ``bit_generator="threefry"`` draw against its
  native one (random, normal, integers, gamma, poisson; ``--portable-size``):
  what the same values on every backend cost.
* **peak memory**: the peak resident memory a float32 draw of ``--mem-size``
  adds, over the output's size (target <= 1.1: no float64 detour). Linux only
  (reads and resets the peak through /proc/self).

Where JAX is slow natively (gamma, poisson, binomial, permutation), the JAX
rows show both: a ratio below 1 means array_random's sampler is faster.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
import timeit

import every_method  # this folder: the every-method cases

ALL_BACKENDS = ("numpy", "torch", "jax")
DRAW_METHODS = ("random", "standard_normal", "normal", "integers", "exponential", "gamma",
                "poisson", "binomial", "permutation")  # the per-dtype and large-draw tables
ALL_METHODS = DRAW_METHODS + tuple(m for m in every_method.METHODS if m not in DRAW_METHODS)
FLOAT_METHODS = ("random", "standard_normal", "normal", "exponential", "gamma")
LARGE = 1000  # sizes from here on are timed as throughput, smaller ones per call
MEMORY_METHODS = ("random", "standard_normal", "normal", "exponential")

# The distributions' parameters, the same on every backend.
NORMAL = (0.5, 2.0)
INT_RANGE = (0, 1000)
EXP_SCALE = 2.0
GAMMA = (2.5, 1.5)
POISSON_LAM = 4.0
BINOMIAL = (10, 0.3)


class Unsupported(Exception):
    """This (backend, method, dtype) has no row: said why in the table."""


# --------------------------------------------------------------------------------------
# the calls: (array_random, native) zero-argument callables for one case
# --------------------------------------------------------------------------------------
def _numpy_case(method, n, dtype_name, seed=1):
    import numpy as np

    import array_random

    rng = array_random.default_rng(np, seed)
    gen = np.random.default_rng(seed)
    dt = getattr(np, dtype_name) if dtype_name else None
    f32 = dtype_name == "float32"
    size = None if n is None else n
    if method == "random":
        return lambda: rng.random(size, dtype=dt), lambda: gen.random(size, dtype=dt)
    if method == "standard_normal":
        return (lambda: rng.standard_normal(size, dtype=dt),
                lambda: gen.standard_normal(size, dtype=dt))
    if method == "normal":
        loc, scale = NORMAL
        native = ((lambda: loc + scale * gen.standard_normal(size, dtype=dt)) if f32
                  else (lambda: gen.normal(loc, scale, size)))
        return lambda: rng.normal(loc, scale, size, dtype=dt), native
    if method == "integers":
        lo, hi = INT_RANGE
        return lambda: rng.integers(lo, hi, size), lambda: gen.integers(lo, hi, size)
    if method == "exponential":
        native = ((lambda: EXP_SCALE * gen.standard_exponential(size, dtype=dt)) if f32
                  else (lambda: gen.exponential(EXP_SCALE, size)))
        return lambda: rng.exponential(EXP_SCALE, size, dtype=dt), native
    if method == "gamma":
        a, scale = GAMMA
        native = ((lambda: scale * gen.standard_gamma(a, size, dtype=dt)) if f32
                  else (lambda: gen.gamma(a, scale, size)))
        return lambda: rng.gamma(a, scale, size, dtype=dt), native
    if method == "poisson":
        return lambda: rng.poisson(POISSON_LAM, size), lambda: gen.poisson(POISSON_LAM, size)
    if method == "binomial":
        k, p = BINOMIAL
        return lambda: rng.binomial(k, p, size), lambda: gen.binomial(k, p, size)
    if method == "permutation":
        return lambda: rng.permutation(n), lambda: gen.permutation(n)
    raise Unsupported(method)


def _torch_case(method, n, dtype_name, seed=1):
    import torch

    import array_random

    rng = array_random.default_rng(torch, seed)
    gen = torch.Generator().manual_seed(seed)
    dt = getattr(torch, dtype_name) if dtype_name else None
    fdt = dt or torch.get_default_dtype()
    shape = () if n is None else (n,)
    size = None if n is None else n
    if method == "random":
        return (lambda: rng.random(size, dtype=dt),
                lambda: torch.rand(shape, generator=gen, dtype=dt))
    if method == "standard_normal":
        return (lambda: rng.standard_normal(size, dtype=dt),
                lambda: torch.randn(shape, generator=gen, dtype=dt))
    if method == "normal":
        loc, scale = NORMAL
        return (lambda: rng.normal(loc, scale, size, dtype=dt),
                lambda: torch.normal(loc, scale, shape, generator=gen, dtype=fdt))
    if method == "integers":
        lo, hi = INT_RANGE
        return (lambda: rng.integers(lo, hi, size),
                lambda: torch.randint(lo, hi, shape, generator=gen))
    if method == "exponential":
        return (lambda: rng.exponential(EXP_SCALE, size, dtype=dt),
                lambda: torch.empty(shape, dtype=fdt).exponential_(1 / EXP_SCALE, generator=gen))
    if method == "gamma":
        a, scale = GAMMA
        return (lambda: rng.gamma(a, scale, size, dtype=dt),
                lambda: scale * torch._standard_gamma(torch.full(shape, a, dtype=fdt),
                                                      generator=gen))
    if method == "poisson":
        return (lambda: rng.poisson(POISSON_LAM, size),
                lambda: torch.poisson(torch.full(shape, POISSON_LAM), generator=gen))
    if method == "binomial":
        k, p = BINOMIAL
        return (lambda: rng.binomial(k, p, size),
                lambda: torch.binomial(torch.full(shape, float(k)), torch.full(shape, p),
                                       generator=gen))
    if method == "permutation":
        return lambda: rng.permutation(n), lambda: torch.randperm(n, generator=gen)
    raise Unsupported(method)


def _jax_case(method, n, dtype_name, seed=1):
    import jax
    import jax.numpy as jnp

    import array_random

    if dtype_name == "float64" and not jax.config.jax_enable_x64:
        raise Unsupported("float64 needs JAX_ENABLE_X64=1")
    rng = array_random.default_rng(jnp, seed)
    key = jax.random.key(seed)
    dt = getattr(jnp, dtype_name) if dtype_name else None
    fdt = dt or jnp.float32
    shape = () if n is None else (n,)
    size = None if n is None else n

    # The native call compiled whole, as array_random's draw is: one dispatch each.
    def native(fn):
        jitted = jax.jit(fn)
        return lambda: jitted(key).block_until_ready()

    def ours(fn):
        return lambda: fn().block_until_ready()

    if method == "random":
        return (ours(lambda: rng.random(size, dtype=dt)),
                native(lambda k: jax.random.uniform(k, shape, fdt)))
    if method == "standard_normal":
        return (ours(lambda: rng.standard_normal(size, dtype=dt)),
                native(lambda k: jax.random.normal(k, shape, fdt)))
    if method == "normal":
        loc, scale = NORMAL
        return (ours(lambda: rng.normal(loc, scale, size, dtype=dt)),
                native(lambda k: loc + scale * jax.random.normal(k, shape, fdt)))
    if method == "integers":
        lo, hi = INT_RANGE
        return (ours(lambda: rng.integers(lo, hi, size)),
                native(lambda k: jax.random.randint(k, shape, lo, hi)))
    if method == "exponential":
        return (ours(lambda: rng.exponential(EXP_SCALE, size, dtype=dt)),
                native(lambda k: EXP_SCALE * jax.random.exponential(k, shape, fdt)))
    if method == "gamma":
        a, scale = GAMMA
        return (ours(lambda: rng.gamma(a, scale, size, dtype=dt)),
                native(lambda k: scale * jax.random.gamma(k, a, shape, fdt)))
    if method == "poisson":
        return (ours(lambda: rng.poisson(POISSON_LAM, size)),
                native(lambda k: jax.random.poisson(k, POISSON_LAM, shape)))
    if method == "binomial":
        k_, p = BINOMIAL
        return (ours(lambda: rng.binomial(k_, p, size)),
                native(lambda k: jax.random.binomial(k, k_, p, shape)))
    if method == "permutation":
        return (ours(lambda: rng.permutation(n)),
                native(lambda k: jax.random.permutation(k, n)))
    raise Unsupported(method)


CASES = {"numpy": _numpy_case, "torch": _torch_case, "jax": _jax_case}


def _dtypes(backend, method):
    if method in FLOAT_METHODS:
        return ("float32", "float64")
    return (None,)  # the backend's default integer / index dtype


# --------------------------------------------------------------------------------------
# timing
# --------------------------------------------------------------------------------------
def _once(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def time_large(ours, native, repeats, budget):
    """Paired timings, alternating which goes first; fewer pairs when one call is slow."""
    warm = _once(ours) + _once(native)  # compiles JAX, faults pages in
    pairs = max(1, min(repeats, int(budget / max(warm, 1e-9))))
    t_ours, t_native = [], []
    for i in range(pairs):
        if i % 2:
            t_native.append(_once(native))
            t_ours.append(_once(ours))
        else:
            t_ours.append(_once(ours))
            t_native.append(_once(native))
    ratios = [a / b for a, b in zip(t_ours, t_native)]
    return {"ours_s": statistics.median(t_ours), "native_s": statistics.median(t_native),
            "ratio": statistics.median(ratios), "pairs": pairs}


def time_small(ours, native, repeats, calls, budget, reset=None):
    """Per-call cost over loops of ``calls`` calls in all, split into ``repeats`` blocks.

    Slow calls (hundreds of us) get fewer calls: each side gets about
    ``budget`` seconds. ``reset()``, where given, puts both sides' generators
    in one state before each block (outside the timing): both then draw the
    same numbers, so a sampler whose time depends on them (a rejection loop's
    passes) does the same work on both sides, and the difference is the
    added cost alone.
    """
    slowest = max(_once(ours), _once(native), _once(ours), _once(native))
    calls = max(repeats, min(calls, int(budget / max(slowest, 1e-9))))
    block = max(1, calls // repeats)
    t_ours, t_native = [], []
    for i in range(repeats):
        first, second = (ours, native) if i % 2 == 0 else (native, ours)
        if reset is not None:
            reset()
        a = timeit.timeit(first, number=block) / block
        if reset is not None:
            reset()
        b = timeit.timeit(second, number=block) / block
        if i % 2:
            a, b = b, a
        t_ours.append(a)
        t_native.append(b)
    added = [a - b for a, b in zip(t_ours, t_native)]
    # the medians are the figures of record; on a loaded machine (other jobs
    # preempting blocks at random) the least disturbed block of each side is
    # the steadier estimate, kept beside them as added_min_us
    return {"ours_us": 1e6 * statistics.median(t_ours),
            "native_us": 1e6 * statistics.median(t_native),
            "added_us": 1e6 * statistics.median(added),
            "added_min_us": 1e6 * (min(t_ours) - min(t_native)),
            "added_spread_us": [1e6 * min(added), 1e6 * max(added)],
            "calls": block * repeats}


def run_draws(args, out):
    rows = []
    small = [s for s in args.sizes if s is None or s < LARGE]
    large = [s for s in args.sizes if s is not None and s >= LARGE]
    for sizes in (small, large):  # one table each
        for backend in args.backends:
            for method in args.methods:
                if method not in DRAW_METHODS:
                    continue  # the every-method section times it
                for dtype in _dtypes(backend, method):
                    for size in sizes:
                        row = _draw_row(args, backend, method, dtype, size)
                        if row is not None:
                            rows.append(row)
                            _print_draw(row)
    out["draws"] = rows


def _draw_row(args, backend, method, dtype, size):
    row = {"backend": backend, "method": method, "dtype": dtype or "default",
           "size": "scalar" if size is None else size}
    n = size
    if method == "permutation":
        if size is None:
            return None  # permutation has no scalar form
        n = max(1, size // 10) if size >= LARGE else size
        row["size"] = n
    try:
        ours, native = CASES[backend](method, n, dtype)
        if size is None or size < LARGE:
            row.update(kind="small", **time_small(ours, native, args.repeats, args.calls,
                                                  args.budget / 8))
        else:
            row.update(kind="large", **time_large(ours, native, args.repeats, args.budget))
            row["ours_per_s"] = n / row["ours_s"]
            row["native_per_s"] = n / row["native_s"]
    except Unsupported as why:
        row.update(kind="n/a", note=str(why))
    except (AttributeError, NotImplementedError, TypeError, ValueError) as exc:
        row.update(kind="n/a", note=f"{type(exc).__name__}: {exc}"[:90])
    return row


# --------------------------------------------------------------------------------------
# eager JAX, raw bits, memory
# --------------------------------------------------------------------------------------
def run_eager_jax(args, out):
    import jax
    import jax.numpy as jnp

    import array_random

    rng = array_random.default_rng(jnp, 0)
    key = jax.random.key(0)
    stateful = _stateful_rng()
    fns = {"array_random normal(size=10)": lambda: rng.standard_normal(10).block_until_ready(),
           "jax.random.normal(key, (10,))": lambda: jax.random.normal(key, (10,))
           .block_until_ready()}
    if stateful is not None:
        fns["stateful_rng(0).normal(size=10)"] = lambda: stateful.normal(size=10) \
            .block_until_ready()
    calls = {name: max(20, args.calls // (100 if "stateful" in name else 5)) for name in fns}
    best = {name: [] for name in fns}
    for f in fns.values():
        f()
    for _ in range(args.repeats):
        for name, f in fns.items():
            block = max(1, calls[name] // args.repeats)
            best[name].append(timeit.timeit(f, number=block) / block * 1e6)
    res = {name: statistics.median(v) for name, v in best.items()}
    ours, bare = res["array_random normal(size=10)"], res["jax.random.normal(key, (10,))"]
    out["eager_jax"] = {"us": res, "ours_over_bare": ours / bare,
                        "stateful_over_ours": (res.get("stateful_rng(0).normal(size=10)",
                                                       math.nan) / ours)}
    print("\n== eager JAX: one draw of 10 normals, us per call (blocked) ==")
    for name, us in res.items():
        print(f"  {name:34s} {us:9.1f}")
    print(f"  array_random / bare: {ours / bare:.2f} (target <= 1: at or below the bare call); "
          f"stateful_rng / array_random: {out['eager_jax']['stateful_over_ours']:.1f} "
          "(target >= 10)")


def run_methods(args, out):
    """Every sampling method, default dtype, ``size=None`` and 10: added us per call."""
    import every_method

    sizes = [s for s in args.sizes if s is None or s < LARGE] or [None, 10]
    rows = []
    print("\n== every method, default dtype: us per call (target: added <= 1 us on numpy, "
          "<= 1.5 us on torch for the core methods (*), <= 2 us for the others) ==")
    print(f"  {'backend':6s} {'method':28s} {'size':>6s} {'ours':>7s} {'native':>7s} "
          f"{'added':>7s} {'by min':>7s}  native call")
    for backend in args.backends:
        if backend not in every_method.CASES:
            continue
        for method in args.methods:
            for size in sizes:
                row = {"backend": backend, "method": method,
                       "size": "scalar" if size is None else size,
                       "core": method in every_method.CORE,
                       "reference": every_method.reference(backend, method)}
                try:
                    ours, native, reset = every_method.CASES[backend](method, size)
                    row.update(kind="small", **time_small(ours, native, args.repeats,
                                                          args.calls, args.budget / 8, reset))
                except every_method.NoScalar:
                    continue
                except Exception as exc:  # report, do not stop the run
                    row.update(kind="n/a", note=f"{type(exc).__name__}: {exc}"[:90])
                rows.append(row)
                star = "*" if row["core"] else " "
                head = f"  {backend:6s} {method + star:28s} {row['size']:>6}"
                if row["kind"] == "small":
                    print(f"{head} {row['ours_us']:7.2f} {row['native_us']:7.2f} "
                          f"{row['added_us']:7.2f} {row['added_min_us']:7.2f}  "
                          f"{row['reference']}", flush=True)
                else:
                    print(f"{head} n/a: {row['note']}", flush=True)
    out["methods"] = rows


def _stateful_rng():
    try:
        from jax.experimental import random as jxr
        return jxr.stateful_rng(0)
    except Exception:  # not in this JAX version
        return None


def run_bits(args, out):
    import array_api_compat.numpy as cnp

    from array_random.backends import numpy_threefry, threefry

    n = args.bits_size
    key = (0x12345678, 0x9ABCDEF0)
    # what the portable generators draw with: NumPy's override (out=, threads
    # over chunks) and torch's int32 lanes; the generic Array API cipher for scale
    fns = {"portable, numpy": lambda: numpy_threefry.counter_bits(key, n, 32),
           "generic cipher, numpy": lambda: threefry.counter_bits(cnp, key, n, width=32)}
    try:
        import array_api_strict as xps
        fns["generic cipher, array_api_strict"] = \
            lambda: threefry.counter_bits(xps, key, n, width=32)
    except ImportError:
        pass
    if "torch" in args.backends:
        from array_random.backends import torch_threefry
        fns["portable, torch (int32 lanes)"] = lambda: torch_threefry.counter_bits(key, n, 32)
    import jax
    import jax.numpy as jnp

    from array_random.backends.jax_backend import JaxSource

    jkey = jax.random.wrap_key_data(jnp.asarray(key, dtype=jnp.uint32))
    native = jax.jit(lambda k: jax.random.bits(k, (n,), jnp.uint32))
    unrolled = jax.jit(lambda k: JaxSource(k).bits((n,), 32))
    fns["jax.random.bits (jitted)"] = lambda: native(jkey).block_until_ready()
    fns["array_random threefry under jax.jit"] = lambda: unrolled(jkey).block_until_ready()
    times = {name: [] for name in fns}
    for f in fns.values():
        f()
    for _ in range(args.repeats):
        for name, f in fns.items():
            times[name].append(_once(f))
    rate = {name: n / statistics.median(t) / 1e6 for name, t in times.items()}
    jax_rate = rate["jax.random.bits (jitted)"]
    out["bits"] = {"n": n, "M_words_per_s": rate,
                   "over_jax": {name: r / jax_rate for name, r in rate.items()}}
    print(f"\n== raw bits: uint32 words/s, {n:.0e} words (target: numpy >= 1.0x, "
          "torch >= 0.5x jax.random.bits) ==")
    for name, r in rate.items():
        print(f"  {name:40s} {r:8.1f} M/s  {r / jax_rate:5.2f}x jax")


#: what the portable stream costs: these methods, native vs threefry, per backend
PORTABLE_METHODS = {"random": ((), {}), "normal": (NORMAL, {}), "integers": (INT_RANGE, {}),
                    "gamma": (GAMMA, {}), "poisson": ((POISSON_LAM,), {})}


def run_portable(args, out):
    """``default_rng(xp, s, bit_generator="threefry")`` against the native generator.

    The same array_random call, size and default dtype (float64 on NumPy and
    torch's float64 here, float32 on JAX): the ratio portable / native of the
    medians of paired timings. Below 1: the portable stream is faster.
    """
    import array_random

    n = args.portable_size
    rows = []
    print(f"\n== portable stream (bit_generator='threefry') / native, {n:.0e} draws ==")
    for backend in args.backends:
        if backend == "numpy":
            import numpy as xp
            fdtype = xp.float64
        elif backend == "torch":
            import torch as xp
            fdtype = xp.float64
        else:
            import jax.numpy as xp
            fdtype = xp.float32
        native = array_random.default_rng(xp, 1)
        portable = array_random.default_rng(xp, 1, bit_generator="threefry")
        for method, (params, kw) in PORTABLE_METHODS.items():
            kw = dict(kw)
            if method != "integers" and method != "poisson":
                kw["dtype"] = fdtype

            def call(rng, method=method, params=params, kw=kw):
                return lambda: _sync(getattr(rng, method)(*params, size=n, **kw))

            t = time_large(call(portable), call(native), args.repeats, args.budget)
            row = {"backend": backend, "method": method, "n": n, **t,
                   "portable_per_s": n / t["ours_s"], "native_per_s": n / t["native_s"]}
            rows.append(row)
            print(f"  {backend:6s} {method:10s} {t['ratio']:6.2f}x  "
                  f"portable {n / t['ours_s'] / 1e6:8.1f} M/s  native "
                  f"{n / t['native_s'] / 1e6:8.1f} M/s  ({t['pairs']} pairs)")
    out["portable"] = rows


def _sync(x):
    if hasattr(x, "block_until_ready"):
        x.block_until_ready()
    return x


def run_dask(args, out):
    """Dask native mode against dask.array.random, same chunks, threaded scheduler.

    Both draws are reduced by ``.sum()`` (the same cheap pass on both sides)
    so that the 10**8 floats never need to be held twice; the graph sizes are
    the tasks of the draw itself, per output block.
    """
    import dask
    import dask.array as da

    import array_random

    n, block = args.dask_size, args.dask_block
    ours_rng = array_random.default_rng(da, 1)
    theirs_rng = da.random.default_rng(1)
    portable_rng = array_random.default_rng(da, 1, bit_generator="threefry")
    draws = {
        "array_random dask native": lambda: ours_rng.normal(size=n, chunks=block),
        "dask.array.random": lambda: theirs_rng.normal(size=n, chunks=block),
        "array_random dask threefry": lambda: portable_rng.normal(size=n, chunks=block),
    }
    graphs = {}
    for name, make in draws.items():
        x = make()
        graphs[name] = len(x.__dask_graph__()) / x.npartitions
    times = {name: [] for name in draws}
    paired = ("array_random dask native", "dask.array.random")
    with dask.config.set(scheduler="threads"):
        for name in paired:
            draws[name]().sum().compute()  # warm-up: imports, thread pool
        # the ratio's two sides alternate; the portable draw (~8x slower) is timed once
        for _ in range(args.repeats):
            for name in paired:
                times[name].append(_once(lambda: draws[name]().sum().compute()))
        name = "array_random dask threefry"
        times[name].append(_once(lambda: draws[name]().sum().compute()))
    best = {name: min(t) for name, t in times.items()}
    ratio = best["array_random dask native"] / best["dask.array.random"]
    out["dask"] = {"n": n, "block": block, "seconds": times, "tasks_per_block": graphs,
                   "native_over_dask": ratio,
                   "threefry_over_dask": best["array_random dask threefry"]
                   / best["dask.array.random"]}
    print(f"\n== dask: normal, {n:.0e} float64 in {block:.0e}-element blocks, threaded "
          "scheduler, .sum() (target: native <= 1.1x dask.array.random) ==")
    for name in draws:
        print(f"  {name:30s} best {best[name]:7.3f} s  {best[name] / best['dask.array.random']:5.2f}x"
              f"  tasks per block {graphs[name]:.2f}")


def _status_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def _peak_added_bytes(fn):
    """Peak resident memory added while ``fn`` runs (its result dropped after)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM, the peak resident set size, to the current one
    before = _status_kb("VmRSS")
    result = fn()
    del result
    return (_status_kb("VmHWM") - before) * 1024


def _jax_compiled_bytes(method, n):
    """XLA's own buffer plan for the float32 draw: output plus temporaries, in bytes.

    The JAX CPU allocator keeps freed buffers, so resident memory says little
    about one draw; the compiled program's memory analysis is exact. The
    array_random draw is compiled through the public API (a jitted function
    of the Generator), the native call as the benchmark times it.
    """
    import jax
    import jax.numpy as jnp

    import array_random

    args = {"random": (), "standard_normal": (), "normal": NORMAL, "exponential": (EXP_SCALE,)}
    params = args[method]
    rng = array_random.default_rng(jnp, 0)
    ours = jax.jit(lambda g: getattr(g, method)(*params, size=n, dtype=jnp.float32))
    natives = {"random": lambda k: jax.random.uniform(k, (n,), jnp.float32),
               "standard_normal": lambda k: jax.random.normal(k, (n,), jnp.float32),
               "normal": lambda k: NORMAL[0] + NORMAL[1] * jax.random.normal(k, (n,)),
               "exponential": lambda k: EXP_SCALE * jax.random.exponential(k, (n,))}

    def planned(compiled):
        mem = compiled.memory_analysis()
        return mem.output_size_in_bytes + mem.temp_size_in_bytes

    return (planned(ours.lower(rng).compile()),
            planned(jax.jit(natives[method]).lower(jax.random.key(0)).compile()))


def run_memory(args, out):
    if not os.path.exists("/proc/self/clear_refs"):
        print("\n== peak memory: skipped (needs Linux /proc/self/clear_refs) ==")
        return
    n = args.mem_size
    rows = []
    print(f"\n== peak memory of a float32 draw of {n:.0e}: peak added / output bytes "
          "(target <= 1.1; JAX: XLA's buffer plan, others: peak resident memory) ==")
    for backend in args.backends:
        for method in MEMORY_METHODS:
            if method not in args.methods:
                continue
            try:
                row = {"backend": backend, "method": method}
                if backend == "jax":
                    ours_b, native_b = _jax_compiled_bytes(method, n)
                    row.update(ours=ours_b / (4 * n), native=native_b / (4 * n))
                else:
                    for warm in CASES[backend](method, 1000, "float32"):
                        warm()  # code paths loaded: only the big draw itself is measured
                    ours, native = CASES[backend](method, n, "float32")
                    row.update(ours=_peak_added_bytes(ours) / (4 * n),
                               native=_peak_added_bytes(native) / (4 * n))
            except Exception as exc:  # report, do not stop the run
                row = {"backend": backend, "method": method, "note": repr(exc)[:90]}
            rows.append(row)
            if "note" in row:
                print(f"  {backend:6s} {method:16s} n/a: {row['note']}")
            else:
                print(f"  {backend:6s} {method:16s} array_random {row['ours']:5.2f}   "
                      f"native {row['native']:5.2f}")
    out["memory"] = rows


# --------------------------------------------------------------------------------------
# printing
# --------------------------------------------------------------------------------------
_HEADER_PRINTED = set()


def _print_draw(row):
    kind = row["kind"]
    if kind not in _HEADER_PRINTED and kind != "n/a":
        _HEADER_PRINTED.add(kind)
        if kind == "large":
            print("\n== large draws: time array_random / native (target <= 1.05; on JAX's "
                  "slow samplers < 1 is faster) ==")
            print(f"  {'backend':6s} {'method':16s} {'dtype':8s} {'size':>9s} {'ratio':>6s} "
                  f"{'ours M/s':>9s} {'native M/s':>10s} pairs")
        else:
            print("\n== small draws: us per call (target: added <= 1 us on numpy, <= 1.5 us on "
                  "torch for random, standard_normal, normal, integers, exponential, "
                  "permutation; <= 2 us for the others) ==")
            print(f"  {'backend':6s} {'method':16s} {'dtype':8s} {'size':>9s} {'ours':>7s} "
                  f"{'native':>7s} {'added':>7s}")
    head = f"  {row['backend']:6s} {row['method']:16s} {row['dtype']:8s} {str(row['size']):>9s}"
    if kind == "large":
        print(f"{head} {row['ratio']:6.2f} {row['ours_per_s'] / 1e6:9.1f} "
              f"{row['native_per_s'] / 1e6:10.1f} {row['pairs']:5d}", flush=True)
    elif kind == "small":
        print(f"{head} {row['ours_us']:7.2f} {row['native_us']:7.2f} {row['added_us']:7.2f}",
              flush=True)
    else:
        print(f"{head} n/a: {row['note']}", flush=True)


def machine():
    info = {"platform": platform.platform(), "python": platform.python_version(),
            "cpus": os.cpu_count(), "processor": platform.processor() or platform.machine()}
    try:
        info["load_average"] = os.getloadavg()
    except OSError:
        pass
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = {}
    for mod in ("numpy", "torch", "jax", "array_api_strict", "array_api_compat"):
        try:
            versions[mod] = __import__(mod).__version__
        except ImportError:
            pass
    info["versions"] = versions
    return info


def _sizes(text):
    sizes = []
    for item in text.split(","):
        item = item.strip()
        sizes.append(None if item in ("scalar", "none", "None") else int(float(item)))
    return sizes


def _names(allowed):
    def parse(text):
        names = [t.strip() for t in text.split(",") if t.strip()]
        bad = [n for n in names if n not in allowed]
        if bad:
            raise argparse.ArgumentTypeError(f"unknown {bad}; choose from {', '.join(allowed)}")
        return names
    return parse


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--backends", type=_names(ALL_BACKENDS), default=list(ALL_BACKENDS),
                   help="comma-separated, from: %(default)s")
    p.add_argument("--methods", type=_names(ALL_METHODS), default=list(ALL_METHODS),
                   help="comma-separated, from: %(default)s")
    p.add_argument("--sizes", type=_sizes, default=_sizes("scalar,10,1e7"),
                   help="comma-separated draw sizes; 'scalar' is size=None; below "
                        f"{LARGE} timed per call (default: scalar,10,1e7)")
    p.add_argument("--repeats", type=int, default=3, help="timed pairs / blocks (default 3)")
    p.add_argument("--calls", type=int, default=100_000,
                   help="calls per small-draw measurement, over all blocks (default 1e5)")
    p.add_argument("--budget", type=float, default=2.0,
                   help="seconds one large case should take: fewer pairs for slow calls "
                        "(at least one after the warm-up); a small one gets an 8th of it")
    p.add_argument("--bits-size", type=lambda s: int(float(s)), default=10**7)
    p.add_argument("--mem-size", type=lambda s: int(float(s)), default=10**8,
                   help="float32 draw size for the peak-memory check; 0 skips it")
    p.add_argument("--dask-size", type=lambda s: int(float(s)), default=10**8,
                   help="elements of the Dask normal draw (default 1e8)")
    p.add_argument("--dask-block", type=lambda s: int(float(s)), default=10**7,
                   help="elements per Dask block (default 1e7)")
    p.add_argument("--portable-size", type=lambda s: int(float(s)), default=10**6,
                   help="draws per call in the portable-vs-native section (default 1e6)")
    p.add_argument("--sections", type=_names(("draws", "methods", "eager_jax", "bits",
                                              "portable", "memory", "dask")),
                   default=["draws", "methods", "eager_jax", "bits", "portable", "memory",
                            "dask"])
    p.add_argument("--json", metavar="FILE", help="write all results to FILE")
    args = p.parse_args(argv)

    start = time.perf_counter()
    out = {"machine": machine(), "args": {k: v for k, v in vars(args).items()}}
    print("machine:", json.dumps(out["machine"]))
    if "draws" in args.sections:
        run_draws(args, out)
    if "methods" in args.sections:
        run_methods(args, out)
    if "eager_jax" in args.sections and "jax" in args.backends:
        run_eager_jax(args, out)
    if "bits" in args.sections:
        run_bits(args, out)
    if "portable" in args.sections:
        run_portable(args, out)
    if "memory" in args.sections and args.mem_size:
        run_memory(args, out)
    if "dask" in args.sections:
        run_dask(args, out)
    out["seconds"] = time.perf_counter() - start
    try:
        out["machine"]["load_average_after"] = os.getloadavg()
    except OSError:
        pass
    print(f"\n{out['seconds']:.0f} s; load average before {out['machine'].get('load_average')}, "
          f"after {out['machine'].get('load_average_after')}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1, default=str)
        print(f"wrote {args.json}")
    return out


if __name__ == "__main__":
    sys.exit(main() and 0)
