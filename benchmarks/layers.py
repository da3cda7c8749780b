"""Where a small draw's time goes: the same draw entered at each layer of array_random.

    python benchmarks/layers.py                 # numpy and torch, a few methods
    python benchmarks/layers.py --blocks 40     # more blocks: steadier minima
    python benchmarks/layers.py --context       # Python alone and next to torch kernels

For one draw (``normal(0.5, 2.0, size=10)``, ...) it times, from the bottom up:

1. ``native``: the library's own call (``numpy.random.Generator.normal``, ``torch.normal``;
   where torch has none, the sampler called on a ``TorchSource`` of its own);
2. ``source``: the backend's sampler (``NumpySource.normal``): argument order, dtype test;
3. ``drawer``: what the facade keeps per (sampler, dtype, device) from
   ``Backend.drawer`` (the source's bound sampler where the draw needs no lock:
   then nothing over layer 2; else the lock and, on NumPy, the 0-d wrap);
4. ``Generator.<method>``: the public call, its quick path (``_methods/_quick.py``:
   the argument tests, the shape, the plan lookup, the ``when`` checks; for
   list parameters, their key and the kept arrays' lookup);
5. the door behind it, as a call that is not the usual one goes (device/dtype
   lookup, parameter conversion and checks, ``Generator._draw``), for comparison.

Each figure is the minimum over ``--blocks`` blocks of ``--calls`` calls (the
minimum, not the median: on a shared machine it is the least disturbed block),
and each layer's own cost is its difference to the layer below. Layers 2-5 draw
from the Generator's own stream, layer 1 from a separate generator.
"""
from __future__ import annotations

import argparse
import timeit

DRAWS = {  # method: (parameters, size)
    "random": ((), 10),
    "normal": ((0.5, 2.0), 10),
    "poisson": ((4.0,), 10),
    "gamma": ((2.5, 1.5), 10),
    # torch: TorchSource's own one-kernel sampler, lock-free
    "gumbel": ((0.5, 2.0), 10),
    # lists: the public call finds the converted arrays by the lists' values
    "dirichlet": (([0.5, 1.0, 2.0],), 10),
    "multivariate_normal": (([0.0, 1.0], [[1.0, 0.3], [0.3, 2.0]]), 10),
}


def _numpy_layers(method, params, size):
    import numpy as np

    import array_random

    rng = array_random.default_rng(np, 0)
    gen = np.random.default_rng(0)
    return rng, (lambda: getattr(gen, method)(*params, size))


def _torch_layers(method, params, size):
    import torch

    import array_random

    rng = array_random.default_rng(torch, 0)
    gen = torch.Generator().manual_seed(0)
    shape = (size,)
    f = torch.get_default_dtype()
    natives = {
        "random": lambda: torch.rand(shape, generator=gen, dtype=f),
        "normal": lambda: torch.normal(*params, shape, generator=gen, dtype=f),
        "poisson": lambda: torch.poisson(torch.full(shape, params[0], dtype=f), generator=gen),
        "gamma": lambda: params[1] * torch._standard_gamma(torch.full(shape, params[0], dtype=f),
                                                           generator=gen),
    }
    # no torch routine: the sampler on a source of its own, without the lock
    # (filled in by layers() with what the facade hands over)
    return rng, natives.get(method)


def layers(backend, method, blocks, calls):
    params, size = DRAWS[method]
    rng, native = {"numpy": _numpy_layers, "torch": _torch_layers}[backend](method, params, size)
    seen = []
    real = rng._backend.drawer

    def spy(name, dtype, device):
        run = real(name, dtype, device)

        def watched(shape, dtype, *p, **static):
            seen.append((name, shape, dtype, device, p))
            return run(shape, dtype, *p, **static)
        return watched

    rng._backend.drawer = spy  # one call, to learn what the facade hands over
    getattr(rng, method)(*params, size)
    del rng._backend.drawer
    name, shape, dtype, device, p = seen[0]
    rng._runs.clear()  # the drawer the facade keeps, without the spy
    rng._plans.clear()
    getattr(rng, method)(*params, size)
    run = rng._runs[name, dtype, device]
    b = rng._backend
    source = b._source if backend == "numpy" else b._sources[device]
    sampler = getattr(source, name)
    if native is None:
        import torch

        from array_random.backends.torch_backend import TorchSource
        alone = getattr(TorchSource(rng.xp, device, torch.Generator().manual_seed(0)), name)
        native = lambda: alone(shape, dtype, *p)  # noqa: E731
    public = getattr(rng, method)
    door = getattr(type(rng), method).__wrapped__
    calls_by_layer = {
        "native": native,
        "source": lambda: sampler(shape, dtype, *p),
        "drawer": lambda: run(shape, dtype, *p),
        f"Generator.{method}": lambda: public(*params, size),
        "(the door, no quick path)": lambda: door(rng, *params, size),
    }
    best = {k: float("inf") for k in calls_by_layer}
    for _ in range(blocks):
        for k, f in calls_by_layer.items():
            best[k] = min(best[k], timeit.timeit(f, number=calls) / calls * 1e6)
    return best


def _loop():
    x = 0
    for _ in range(20):
        x += 1
    return x


def context(blocks):
    """What a fixed piece of Python costs alone, and just before a torch sampler's kernels.

    The layers above add Python around torch calls; on some machines that
    Python runs several times slower there than alone (torch's dispatch
    leaves the interpreter's code and branch history cold), which this shows.
    """
    import statistics

    import torch

    from array_random.backends.torch_backend import TorchSource

    src = TorchSource(torch, torch.device("cpu"), torch.Generator().manual_seed(0))
    cases = {"loop alone": (_loop, 20000),
             "gumbel": (lambda: src.gumbel((10,), torch.float32, 0.5, 2.0), 300),
             "loop, then gumbel": (lambda: (_loop(), src.gumbel((10,), torch.float32, 0.5, 2.0)),
                                   300)}
    names = list(cases)
    times = {k: [] for k in cases}
    for i in range(blocks):
        for k in names[i % 3:] + names[:i % 3]:
            f, n = cases[k]
            times[k].append(timeit.timeit(f, number=n) / n * 1e6)
    best = {k: min(v) for k, v in times.items()}
    median = {k: statistics.median(v) for k, v in times.items()}
    print(f"\nPython next to torch kernels (minimum over {blocks} blocks, us): a 20-step loop "
          f"alone {best['loop alone']:.2f}; before torch gumbel(10) it adds "
          f"{best['loop, then gumbel'] - best['gumbel']:.2f} (median "
          f"{median['loop, then gumbel'] - median['gumbel']:.2f})")
    cold_calls(40 * blocks)


def cold_calls(rounds):
    """The first call of a C function after a long torch sampler, against the same call warm.

    What a quick path does around a sampler of many kernels (the generic
    ``zipf``, a rejection loop, called as ``discrete.zipf`` on a torch source:
    its Python and torch's dispatch evict the caches and TLB entries the call
    needs; until stop 17 this was ``logseries``, now one table kernel, and
    since stop 18 ``TorchSource.zipf`` is a table too, so the generic sampler
    is called by name): the lock's ``acquire``/``release``, the list key
    (``marshal.dumps``) and its memo lookup (``dict.get``), the memo's echo
    that stands for both where the same list comes again (since stop 19), a
    Python no-op pair for comparison. Each is timed alone between two ``perf_counter_ns``
    reads right after the sampler returns, round-robin; the figure is the
    median less that of the two reads alone.
    """
    import marshal
    import statistics
    import threading
    import time

    import array_api_compat.torch as xp
    import torch

    from array_random._methods._quick import _echo
    from array_random.backends.torch_backend import TorchSource
    from array_random.distributions import discrete

    src = TorchSource(xp, torch.device("cpu"), torch.Generator().manual_seed(0))
    lock = threading.RLock()
    key = marshal.dumps([0.5, 1.0, 2.0], 2)
    memo = {key: None}

    class Noop:
        def acquire(self):
            pass

        def release(self):
            pass

    noop, dumps, get, values = Noop(), marshal.dumps, memo.get, [0.5, 1.0, 2.0]
    echo = _echo(("floats",), (key,), (values,))  # the memo's echo of the same list
    clock = time.perf_counter_ns

    def nothing():
        t0 = clock()
        return clock() - t0

    def pair(a, r):
        def timed():
            t0 = clock()
            a()
            r()
            return clock() - t0
        return timed

    def one(f, x, *more):
        def timed():
            t0 = clock()
            f(x, *more)
            return clock() - t0
        return timed

    probes = {"nothing": nothing, "RLock acquire+release": pair(lock.acquire, lock.release),
              "Python no-op pair": pair(noop.acquire, noop.release),
              "marshal.dumps(list, 2)": one(dumps, values, 2), "dict.get(bytes)": one(get, key),
              "memo echo(list)": one(echo, values)}
    cold = {k: [] for k in probes}
    warm = {k: [] for k in probes}
    for i in range(rounds):
        for k, probe in probes.items():
            discrete.zipf(src, (10,), torch.int64, 2.0)
            cold[k].append(probe())
            warm[k].append(min(probe() for _ in range(5)))
    base_cold = statistics.median(cold["nothing"])
    base_warm = statistics.median(warm["nothing"])
    print(f"\nOne C call right after torch zipf(10) (the generic sampler), against the "
          f"same call warm: median ns over {rounds} rounds, less the clock reads")
    for k in list(probes)[1:]:
        print(f"  {k:24s} cold {statistics.median(cold[k]) - base_cold:6.0f}   "
              f"warm {statistics.median(warm[k]) - base_warm:6.0f}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backends", default="numpy,torch")
    p.add_argument("--methods", default=",".join(DRAWS))
    p.add_argument("--blocks", type=int, default=25)
    p.add_argument("--calls", type=int, default=400)
    p.add_argument("--context", action="store_true",
                   help="only: what Python costs alone and next to torch kernels")
    args = p.parse_args(argv)
    if args.context:
        context(args.blocks)
        return
    for backend in args.backends.split(","):
        for method in args.methods.split(","):
            best = layers(backend, method, args.blocks, args.calls)
            params, size = DRAWS[method]
            print(f"\n{backend} {method}{params[:]} size={size}: us per call (own cost)")
            below = None
            for k, us in best.items():
                own = "" if below is None else f"(+{us - below:5.2f})"
                print(f"  {k:28s} {us:6.2f} {own}")
                below = us


if __name__ == "__main__":
    main()
