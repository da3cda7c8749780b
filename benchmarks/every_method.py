"""Small-draw cases for every sampling method: (array_random call, native call).

Used by ``run.py``'s ``methods`` section: each method of ``numpy.random.Generator``
with fixed parameters, the default dtype and device, ``size=None`` ("scalar") or
``size=10``, against the call a user of the library itself would write:

* NumPy: the same method of ``numpy.random.Generator`` (PCG64, the same seed).
* torch: the torch routine where torch has one (``torch.randn``,
  ``torch.poisson``, ``Tensor.exponential_``, ...). Where it has none the
  distribution is array_random's sampler on torch operations, and the
  reference is that sampler called directly on a ``TorchSource``: the added
  cost is then exactly the facade's (checks, conversion, dispatch).

``size=None`` has no meaning for ``permutation``, ``shuffle``, ``permuted`` and
``bytes``; they are timed with 10 elements only.

Each case also returns ``reset()``, which puts both generators in the same
state: array_random's and the reference's then draw the same numbers in a
timed block (``run.time_small``).
"""
from __future__ import annotations

# parameters per method (Python scalars or lists, as a user passes them)
ARGS = {
    "random": (), "standard_normal": (), "normal": (0.5, 2.0), "uniform": (-1.0, 2.0),
    "integers": (0, 1000), "exponential": (2.0,), "standard_exponential": (),
    "choice": (100,), "permutation": (), "shuffle": (), "permuted": (), "bytes": (),
    "gamma": (2.5, 1.5), "standard_gamma": (2.5,), "beta": (0.7, 2.5), "chisquare": (3.0,),
    "f": (3.0, 5.0), "standard_t": (4.0,), "noncentral_chisquare": (3.0, 1.5),
    "noncentral_f": (3.0, 5.0, 1.5), "gumbel": (0.5, 2.0), "laplace": (0.5, 2.0),
    "logistic": (0.5, 2.0), "lognormal": (0.5, 0.8), "pareto": (3.0,), "power": (2.0,),
    "weibull": (1.5,), "rayleigh": (2.0,), "standard_cauchy": (), "triangular": (-1.0, 0.5, 2.0),
    "vonmises": (0.5, 2.0), "wald": (1.0, 2.0),
    "poisson": (4.0,), "binomial": (10, 0.3), "geometric": (0.25,),
    "negative_binomial": (3.0, 0.5), "hypergeometric": (7, 5, 4), "logseries": (0.6,),
    "zipf": (2.0,),
    "dirichlet": ([0.5, 1.0, 2.0],), "multinomial": (20, [0.2, 0.3, 0.5]),
    "multivariate_normal": ([0.0, 1.0], [[1.0, 0.3], [0.3, 2.0]]),
    "multivariate_hypergeometric": ([5, 4, 3], 6),
}
METHODS = tuple(ARGS)
CORE = ("random", "standard_normal", "normal", "uniform", "integers", "exponential", "choice",
        "permutation")  # target: added <= 1 us on NumPy, <= 1.5 us on torch; others <= 2 us
NO_SCALAR = ("permutation", "shuffle", "permuted", "bytes")


class NoScalar(Exception):
    """The method has no ``size=None`` form."""


def _sized(method, n):
    """Positional arguments and ``size=`` of one call with ``n`` (None: scalar) elements."""
    return ARGS[method], {"size": n}


def numpy_case(method, n, seed=1):
    import numpy as np

    import array_random

    if method in NO_SCALAR and n is None:
        raise NoScalar(method)
    rng = array_random.default_rng(np, seed)
    gen = np.random.default_rng(seed)
    saved = rng.state

    def reset():
        rng.state = saved
        gen.bit_generator.state = saved["pcg64"]

    if method == "permutation":
        return lambda: rng.permutation(n), lambda: gen.permutation(n), reset
    if method == "bytes":
        return lambda: rng.bytes(n), lambda: gen.bytes(n), reset
    if method in ("shuffle", "permuted"):
        x, y = np.arange(float(n)), np.arange(float(n))
        ours, native = getattr(rng, method), getattr(gen, method)
        return lambda: ours(x), lambda: native(y), reset
    args, kw = _sized(method, n)
    ours, native = getattr(rng, method), getattr(gen, method)
    return lambda: ours(*args, **kw), lambda: native(*args, **kw), reset


def torch_case(method, n, seed=1):
    import torch

    import array_random
    from array_random.backends.torch_backend import TorchSource

    if method in NO_SCALAR and n is None:
        raise NoScalar(method)
    rng = array_random.default_rng(torch, seed)
    gen = torch.Generator().manual_seed(seed)
    shape = () if n is None else (n,)
    f = torch.get_default_dtype()
    rng.random()  # the device's generator made
    saved = rng.state

    def reset():
        rng.state = saved
        gen.set_state(saved["generators"]["cpu"])

    if method in ("shuffle", "permuted"):
        x = torch.arange(float(n))
        ours = getattr(rng, method)
        if method == "shuffle":  # in place, as shuffle is: the permuted copy written back
            return (lambda: ours(x)), (lambda: x.copy_(x[torch.randperm(n, generator=gen)])), \
                reset
        return (lambda: ours(x)), (lambda: x[torch.randperm(n, generator=gen)]), reset
    if method == "bytes":
        ours = lambda: rng.bytes(n)  # noqa: E731
    elif method == "permutation":
        ours = lambda: rng.permutation(n)  # noqa: E731
    else:
        args, kw = _sized(method, n)
        bound = getattr(rng, method)
        ours = lambda: bound(*args, **kw)  # noqa: E731
    native = _torch_native(torch, gen, method, shape, n, f)
    if native is None:  # no torch routine: the sampler itself, called directly
        native = _replay(TorchSource, rng, ours, gen)
    return ours, native, reset


def _replay(source_class, rng, call, gen):
    """The backend call that ``call`` makes, as a direct call of the source's sampler.

    One call of ``call`` is spied on (``Backend.draw`` and the drawers the
    facade keeps from ``Backend.drawer``) to learn what the facade hands over
    (sampler name, shape, dtype, device, converted parameters); the returned
    callable makes that sampler call on a fresh source, skipping the facade.
    """
    backend = rng._backend
    seen = []
    inside = []  # a drawer's own draw() call is not a second draw
    real_draw, real_drawer = backend.draw, backend.drawer

    def spy(name, shape, dtype, device, *params, **static):
        if not inside:
            seen.append((name, shape, dtype, device, params, static))
        return real_draw(name, shape, dtype, device, *params, **static)

    def spy_drawer(name, dtype, device):  # the facade's usual route
        run = real_drawer(name, dtype, device)

        def watched(shape, dtype, *params, **static):
            seen.append((name, shape, dtype, device, params, static))
            inside.append(True)
            try:
                return run(shape, dtype, *params, **static)
            finally:
                inside.pop()
        return watched

    kept, plans = dict(rng._runs), dict(rng._plans)
    # the facade asks for its drawers anew, from the spy (quick paths too)
    rng._runs.clear()
    rng._plans.clear()
    backend.draw, backend.drawer = spy, spy_drawer
    try:
        call()
    finally:
        del backend.draw, backend.drawer
        rng._runs.clear()
        rng._runs.update(kept)
        rng._plans.clear()
        rng._plans.update(plans)
    if len(seen) != 1:
        raise NotImplementedError(f"{len(seen)} backend draws per call")
    name, shape, dtype, device, params, static = seen[0]
    sampler = getattr(source_class(rng.xp, device, gen), name)
    return lambda: sampler(shape, dtype, *params, **static)


def _torch_native(torch, gen, method, shape, n, f):
    """The torch routine a torch user would call for ``method``, or None."""
    a = ARGS[method]
    if method == "random":
        return lambda: torch.rand(shape, generator=gen, dtype=f)
    if method == "standard_normal":
        return lambda: torch.randn(shape, generator=gen, dtype=f)
    if method == "normal":
        return lambda: torch.normal(a[0], a[1], shape, generator=gen, dtype=f)
    if method == "uniform":
        return lambda: torch.empty(shape, dtype=f).uniform_(a[0], a[1], generator=gen)
    if method == "integers":
        return lambda: torch.randint(a[0], a[1], shape, generator=gen)
    if method == "choice":
        return lambda: torch.randint(0, a[0], shape, generator=gen)
    if method == "exponential":
        return lambda: torch.empty(shape, dtype=f).exponential_(1 / a[0], generator=gen)
    if method == "standard_exponential":
        return lambda: torch.empty(shape, dtype=f).exponential_(generator=gen)
    if method == "permutation":
        return lambda: torch.randperm(n, generator=gen)
    if method == "bytes":
        return lambda: torch.randint(0, 256, (n,), generator=gen, dtype=torch.uint8) \
            .numpy().tobytes()
    if method == "gamma":
        return lambda: a[1] * torch._standard_gamma(torch.full(shape, a[0], dtype=f),
                                                    generator=gen)
    if method == "standard_gamma":
        return lambda: torch._standard_gamma(torch.full(shape, a[0], dtype=f), generator=gen)
    if method == "poisson":
        return lambda: torch.poisson(torch.full(shape, a[0], dtype=f), generator=gen)
    if method == "binomial":
        return lambda: torch.binomial(torch.full(shape, float(a[0]), dtype=f),
                                      torch.full(shape, a[1], dtype=f), generator=gen)
    if method == "geometric":
        return lambda: torch.empty(shape, dtype=f).geometric_(a[0], generator=gen)
    if method == "lognormal":
        return lambda: torch.empty(shape, dtype=f).log_normal_(a[0], a[1], generator=gen)
    if method == "standard_cauchy":
        return lambda: torch.empty(shape, dtype=f).cauchy_(generator=gen)
    return None


CASES = {"numpy": numpy_case, "torch": torch_case}


def reference(backend, method):
    """What the native column of ``method`` on ``backend`` times, in a few words."""
    if backend == "numpy":
        return f"Generator.{method}"
    if method == "shuffle":
        return "x.copy_(x[randperm])"
    if method == "permuted":
        return "x[randperm]"
    import torch
    probe = _torch_native(torch, None, method, (1,), 1, torch.float32)
    return "torch routine" if probe is not None else "sampler direct"
