"""K6: a JAX Generator across ``jax.jit`` behaves exactly as in eager code (SPEC 4).

The jrng example: a generator passed to a jitted function twice gives two
different results, the same numbers as the eager function from the same seed,
and is left where eager code would leave it. Everything runs under JAX's
key-reuse checker. Raw draws are compared bit for bit; every other method
is compared too, integers exactly and floats to a few ulp: XLA compiles a
transcendental function (log, pow) slightly differently once it is fused into
a larger jitted program, so the gamma family (gamma, beta, chisquare, f,
noncentral_f) can differ from its eager value in the last digits.
"""
from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")

import array_random  # noqa: E402


def several(rng):
    """Raw draws of several methods in one function."""
    return {
        "random": rng.random(5),
        "normal": rng.normal(size=(2, 3)),
        "integers": rng.integers(0, 100, size=6),
        "choice": rng.choice(10, 4, replace=False),
        "choice_p": rng.choice(4, 5, p=[0.1, 0.2, 0.3, 0.4]),
        "permutation": rng.permutation(8),
    }


def _host(tree):
    return {k: np.asarray(v) for k, v in tree.items()}


def _equal(a, b) -> bool:
    return all(a[k].dtype == b[k].dtype and a[k].shape == b[k].shape
               and a[k].tobytes() == b[k].tobytes() for k in a)


def _same_state(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(np.asarray(a[k]), np.asarray(b[k]))
                                        for k in a)


def _distinct(a, b) -> list[str]:
    return [k for k in a if a[k].tobytes() == b[k].tobytes()]


@pytest.fixture(autouse=True)
def key_reuse_checker():
    """Every test here runs with JAX's key-reuse checker on: a reused key raises."""
    with jax.debug_key_reuse(True):
        yield


def test_jit_matches_eager_and_advances_the_generator_as_eager():
    jitted = jax.jit(several)
    rng = array_random.default_rng(jnp, 42)
    j1, j2 = _host(jitted(rng)), _host(jitted(rng))
    after_jit = np.asarray(rng.random(4))

    eager = array_random.default_rng(jnp, 42)
    e1, e2 = _host(several(eager)), _host(several(eager))
    after_eager = np.asarray(eager.random(4))

    assert not _distinct(j1, j2), f"two jitted calls repeated {_distinct(j1, j2)}"
    assert _equal(j1, e1) and _equal(j2, e2), "jitted draws differ from eager ones"
    assert after_jit.tobytes() == after_eager.tobytes(), "jit advanced the generator differently"
    assert _same_state(rng.state, eager.state)


#: every method of SPEC 3, one call each (50 draws from its own generator)
EVERY_METHOD = {
    "beta": lambda r: r.beta(0.7, 2.5, 50), "binomial": lambda r: r.binomial(10, 0.3, 50),
    "binomial_large_n": lambda r: r.binomial(1000, 0.4, 50),
    "chisquare": lambda r: r.chisquare(3.0, 50),
    "dirichlet": lambda r: r.dirichlet([0.5, 1.0, 2.0], 50),
    "exponential": lambda r: r.exponential(2.0, 50), "f": lambda r: r.f(3.0, 5.0, 50),
    "gamma": lambda r: r.gamma(0.5, 2.0, 50), "geometric": lambda r: r.geometric(0.2, 50),
    "gumbel": lambda r: r.gumbel(0.0, 1.0, 50),
    "hypergeometric": lambda r: r.hypergeometric(10, 20, 8, 50),
    "laplace": lambda r: r.laplace(0.0, 1.0, 50), "logistic": lambda r: r.logistic(0.0, 1.0, 50),
    "lognormal": lambda r: r.lognormal(0.0, 1.0, 50), "logseries": lambda r: r.logseries(0.6, 50),
    "multinomial": lambda r: r.multinomial(20, [0.2, 0.3, 0.5], 50),
    "multivariate_hypergeometric": lambda r: r.multivariate_hypergeometric([5, 10, 15], 8, 50),
    "multivariate_normal": lambda r: r.multivariate_normal([0.0, 1.0], [[1.0, 0.5], [0.5, 2.0]],
                                                           50),
    "negative_binomial": lambda r: r.negative_binomial(5, 0.4, 50),
    "noncentral_chisquare": lambda r: r.noncentral_chisquare(3.0, 2.0, 50),
    "noncentral_f": lambda r: r.noncentral_f(3.0, 5.0, 2.0, 50),
    "pareto": lambda r: r.pareto(3.0, 50), "poisson": lambda r: r.poisson(4.0, 50),
    "poisson_large_lam": lambda r: r.poisson(400.0, 50), "power": lambda r: r.power(2.0, 50),
    "rayleigh": lambda r: r.rayleigh(1.0, 50), "standard_cauchy": lambda r: r.standard_cauchy(50),
    "standard_exponential": lambda r: r.standard_exponential(50),
    "standard_gamma": lambda r: r.standard_gamma(3.0, 50),
    "standard_t": lambda r: r.standard_t(4.0, 50),
    "triangular": lambda r: r.triangular(0.0, 1.0, 3.0, 50),
    "uniform": lambda r: r.uniform(1.0, 3.0, 50), "vonmises": lambda r: r.vonmises(0.5, 2.0, 50),
    "wald": lambda r: r.wald(1.0, 2.0, 50), "weibull": lambda r: r.weibull(2.0, 50),
    "zipf": lambda r: r.zipf(2.0, 50), "bytes": lambda r: r.bytes(8),
    "permuted": lambda r: r.permuted(jnp.arange(12).reshape(3, 4), axis=1),
}
#: the most a float draw may move, in units in the last place, once fused into a jitted program
MAX_ULP = 32


def test_every_method_under_jit_matches_eager():
    """Integers exactly, floats within MAX_ULP of the eager draw, every method."""
    eager = {name: np.asarray(f(array_random.default_rng(jnp, 7)))
             for name, f in EVERY_METHOD.items() if name != "bytes"}
    rngs = {name: array_random.default_rng(jnp, 7) for name in eager}
    jitted = _host(jax.jit(lambda rs: {n: EVERY_METHOD[n](r) for n, r in rs.items()})(rngs))
    assert sorted(jitted) == sorted(eager)
    far = {}
    for name, want in eager.items():
        got = jitted[name]
        assert got.dtype == want.dtype and got.shape == want.shape, name
        if np.issubdtype(want.dtype, np.floating):
            ulp = np.max(np.abs(got - want) / np.spacing(np.abs(want)))
            if not ulp <= MAX_ULP:
                far[name] = float(ulp)
        elif got.tobytes() != want.tobytes():
            far[name] = "integers differ"
    assert not far, f"jitted draws differ from eager ones: {far}"
    # and each generator was advanced as eagerly: the next draw is the eager one's next
    for name, rng in rngs.items():
        again = array_random.default_rng(jnp, 7)
        EVERY_METHOD[name](again)
        assert np.asarray(rng.random(3)).tobytes() == np.asarray(again.random(3)).tobytes(), name


def test_jit_is_reproducible():
    def run():
        rng = array_random.default_rng(jnp, 7)
        jitted = jax.jit(several)
        return [_host(jitted(rng)) for _ in range(3)] + [{"next": np.asarray(rng.normal(size=3))}]

    first, second = run(), run()
    assert all(_equal(a, b) for a, b in zip(first, second))


def test_eager_and_jitted_calls_interleave():
    """eager, jit, eager, jit from one generator: the same stream as all eager."""
    jitted = jax.jit(several)
    mixed, eager = array_random.default_rng(jnp, 3), array_random.default_rng(jnp, 3)
    got = [_host(several(mixed)), _host(jitted(mixed)), _host(several(mixed)),
           _host(jitted(mixed))]
    want = [_host(several(eager)) for _ in range(4)]
    assert all(_equal(g, w) for g, w in zip(got, want))


def test_generator_created_from_a_key_inside_jit():
    @jax.jit
    def make_and_draw(key):
        rng = array_random.default_rng(jnp, key)
        return several(rng), rng.random(3)

    key = jax.random.key(123)
    traced, traced_next = make_and_draw(key)
    eager = array_random.default_rng(jnp, key)
    assert _equal(_host(traced), _host(several(eager)))
    assert np.asarray(traced_next).tobytes() == np.asarray(eager.random(3)).tobytes()
    # and a raw uint32[2] key works as well
    raw = jax.random.key_data(jax.random.key(5))
    traced_raw, _ = make_and_draw(raw)
    assert _equal(_host(traced_raw), _host(several(array_random.default_rng(jnp, raw))))


def test_flattening_does_not_advance_the_stream():
    rng, untouched = array_random.default_rng(jnp, 9), array_random.default_rng(jnp, 9)
    rng.random(2)
    untouched.random(2)
    state = rng.state
    leaves1, treedef1 = jax.tree_util.tree_flatten(rng)
    leaves2, treedef2 = jax.tree_util.tree_flatten(rng)
    assert treedef1 == treedef2 and len(leaves1) == len(leaves2)
    assert _same_state(rng.state, state)
    assert _equal(_host(several(rng)), _host(several(untouched)))


def test_a_generator_inside_a_pytree_argument():
    """The generator may travel inside a container: still the eager stream."""
    @jax.jit
    def f(args):
        return several(args["rng"])["normal"], args["other"] + 1

    rng, eager = array_random.default_rng(jnp, 11), array_random.default_rng(jnp, 11)
    out, other = f({"rng": rng, "other": jnp.int32(1)})
    assert int(other) == 2
    assert np.asarray(out).tobytes() == np.asarray(several(eager)["normal"]).tobytes()
    assert np.asarray(rng.random(2)).tobytes() == np.asarray(eager.random(2)).tobytes()


def test_eager_draws_pass_the_key_reuse_checker():
    """Eager draws, spawning and children under the checker: nothing raises, all differ."""
    rng = array_random.default_rng(jnp, 1)
    draws = [_host(several(rng)) for _ in range(2)]
    draws += [_host(several(child)) for child in rng.spawn(2)]
    draws.append(_host(several(rng)))
    for i in range(len(draws)):
        for j in range(i):
            assert not _distinct(draws[i], draws[j]), (i, j)


def test_the_key_reuse_checker_is_on():
    """Guard for the fixture: reusing a key under it must raise."""
    key = jax.random.key(0)
    jax.random.normal(key)
    with pytest.raises(Exception, match="(?i)reuse"):
        jax.random.normal(key)
