"""The reference table: one parameter point per distribution, its exact law, its native calls.

Every distribution of SPEC section 3 appears once, as a :class:`Case`: the
Generator call, the exact ``scipy.stats`` distribution of what it returns (for
a multivariate method, of one 1-d marginal: the first component), and the
backends' own routines for the same draw, used only to time them. scipy, JAX
and torch are imported inside the functions that need them, never at import.
"""
from __future__ import annotations

import dataclasses
import math

#: Generator methods that are not a distribution to test against a law
NOT_DISTRIBUTIONS = ("bytes", "shuffle", "permutation", "permuted", "spawn")


@dataclasses.dataclass(frozen=True)
class Case:
    """One row of the comparison: ``rng.<name>(*args, size=n, **kwargs)``.

    ``law(stats)`` builds the exact frozen ``scipy.stats`` distribution of the
    draws (of component ``marginal`` for a multivariate method). ``jax`` and
    ``torch`` give the library's own routine for the same draw: ``(text, fn,
    params)`` with ``fn(key, n, float_dtype, int_dtype, *params)``, traced by
    ``jax.jit`` with the parameters as arguments (as constants, XLA would fold
    whole broadcast arrays at compile time: a minute for multinomial), and
    ``(text, fn)`` with ``fn(generator, n, float_dtype, int_dtype, device)``.
    NumPy's native call is ``numpy.random.Generator.<name>`` with the same
    arguments.
    """

    name: str
    args: tuple
    law: object
    law_text: str
    kind: str                      # "continuous" or "discrete"
    kwargs: dict = dataclasses.field(default_factory=dict)
    marginal: int | None = None
    jax: tuple | None = None
    torch: tuple | None = None
    #: integrate the moments over these bounds (scipy's own are slow for vonmises)
    bounds: tuple | None = None

    @property
    def call(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.name}({', '.join(parts)})"

    def draw(self, rng, n, float_dtype=None):
        """The draw; ``float_dtype`` (a name) for a continuous one instead of the default."""
        kwargs = self.kwargs
        if float_dtype is not None and self.kind == "continuous":
            kwargs = {**kwargs, "dtype": getattr(rng.xp, float_dtype)}
        return getattr(rng, self.name)(*self.args, size=n, **kwargs)

    def numpy_native(self, gen, n):
        return getattr(gen, self.name)(*self.args, size=n, **self.kwargs)

    @property
    def numpy_text(self) -> str:
        return f"numpy.random.Generator.{self.call}"


# --- native routines: JAX (jax.random, traced) ------------------------------------
def _jr():
    import jax
    return jax.random


def _torch():
    import torch
    return torch


def _tfull(value, n, dtype, device):
    return _torch().full((n,), value, dtype=dtype, device=device)


def _tempty(n, dtype, device):
    return _torch().empty((n,), dtype=dtype, device=device)


_MVN_MEAN = [1.0, -1.0]
_MVN_COV = [[2.0, 0.5], [0.5, 1.0]]
_DIRICHLET = [2.0, 3.0, 5.0]
_PVALS = [0.2, 0.3, 0.5]
_CHOICE_P = [0.1, 0.2, 0.3, 0.25, 0.15]
_COLORS = [10, 15, 5]


def _choice_law(stats):
    import numpy as np
    return stats.rv_discrete(values=(np.arange(len(_CHOICE_P)), _CHOICE_P))


def _c(name, args, law, law_text, *, jax=None, torch=None, marginal=None, kwargs=None,
       bounds=None):
    return Case(name, tuple(args), law, law_text, "continuous", dict(kwargs or {}), marginal,
                jax, torch, bounds)


def _d(name, args, law, law_text, *, jax=None, torch=None, marginal=None, kwargs=None):
    return Case(name, tuple(args), law, law_text, "discrete", dict(kwargs or {}), marginal,
                jax, torch)


CASES: tuple[Case, ...] = (
    # --- continuous --------------------------------------------------------------
    _c("random", (), lambda s: s.uniform(), "uniform()",
       jax=("jax.random.uniform(key, (n,))", lambda k, n, f, i: _jr().uniform(k, (n,), f), ()),
       torch=("torch.rand(n)", lambda g, n, f, i, d: _torch().rand(n, generator=g, dtype=f,
                                                                  device=d))),
    _c("uniform", (-1.0, 3.0), lambda s: s.uniform(-1.0, 4.0), "uniform(loc=-1, scale=4)",
       jax=("jax.random.uniform(key, (n,), minval=-1, maxval=3)",
            lambda k, n, f, i, lo, hi: _jr().uniform(k, (n,), f, lo, hi), (-1.0, 3.0)),
       torch=("torch.empty(n).uniform_(-1, 3)",
              lambda g, n, f, i, d: _tempty(n, f, d).uniform_(-1.0, 3.0, generator=g))),
    _c("standard_normal", (), lambda s: s.norm(), "norm()",
       jax=("jax.random.normal(key, (n,))", lambda k, n, f, i: _jr().normal(k, (n,), f), ()),
       torch=("torch.randn(n)", lambda g, n, f, i, d: _torch().randn(n, generator=g, dtype=f,
                                                                    device=d))),
    _c("normal", (1.0, 2.0), lambda s: s.norm(1.0, 2.0), "norm(loc=1, scale=2)",
       jax=("1 + 2 * jax.random.normal(key, (n,))",
            lambda k, n, f, i, m, s: m + s * _jr().normal(k, (n,), f), (1.0, 2.0)),
       torch=("torch.empty(n).normal_(1, 2)",
              lambda g, n, f, i, d: _tempty(n, f, d).normal_(1.0, 2.0, generator=g))),
    _c("standard_exponential", (), lambda s: s.expon(), "expon()",
       jax=("jax.random.exponential(key, (n,))",
            lambda k, n, f, i: _jr().exponential(k, (n,), f), ()),
       torch=("torch.empty(n).exponential_()",
              lambda g, n, f, i, d: _tempty(n, f, d).exponential_(generator=g))),
    _c("exponential", (2.0,), lambda s: s.expon(scale=2.0), "expon(scale=2)",
       jax=("2 * jax.random.exponential(key, (n,))",
            lambda k, n, f, i, s: s * _jr().exponential(k, (n,), f), (2.0,)),
       torch=("torch.empty(n).exponential_(0.5)",
              lambda g, n, f, i, d: _tempty(n, f, d).exponential_(0.5, generator=g))),
    _c("standard_gamma", (2.5,), lambda s: s.gamma(2.5), "gamma(2.5)",
       jax=("jax.random.gamma(key, 2.5, (n,))",
            lambda k, n, f, i, a: _jr().gamma(k, a, (n,), f), (2.5,)),
       torch=("torch._standard_gamma(torch.full((n,), 2.5))",
              lambda g, n, f, i, d: _torch()._standard_gamma(_tfull(2.5, n, f, d), generator=g))),
    _c("gamma", (2.5, 2.0), lambda s: s.gamma(2.5, scale=2.0), "gamma(2.5, scale=2)",
       jax=("2 * jax.random.gamma(key, 2.5, (n,))",
            lambda k, n, f, i, a, s: s * _jr().gamma(k, a, (n,), f), (2.5, 2.0)),
       torch=("2 * torch._standard_gamma(torch.full((n,), 2.5))",
              lambda g, n, f, i, d: 2.0 * _torch()._standard_gamma(_tfull(2.5, n, f, d),
                                                                   generator=g))),
    _c("beta", (2.0, 5.0), lambda s: s.beta(2.0, 5.0), "beta(2, 5)",
       jax=("jax.random.beta(key, 2, 5, (n,))",
            lambda k, n, f, i, a, b: _jr().beta(k, a, b, (n,), f), (2.0, 5.0))),
    _c("chisquare", (4.0,), lambda s: s.chi2(4.0), "chi2(4)",
       jax=("jax.random.chisquare(key, 4, (n,))",
            lambda k, n, f, i, df: _jr().chisquare(k, df, (n,), f), (4.0,)),
       torch=("2 * torch._standard_gamma(torch.full((n,), 2.0))",
              lambda g, n, f, i, d: 2.0 * _torch()._standard_gamma(_tfull(2.0, n, f, d),
                                                                   generator=g))),
    _c("f", (5.0, 20.0), lambda s: s.f(5.0, 20.0), "f(5, 20)",
       jax=("jax.random.f(key, 5, 20, (n,))",
            lambda k, n, f, i, a, b: _jr().f(k, a, b, (n,), f), (5.0, 20.0))),
    _c("standard_t", (10.0,), lambda s: s.t(10.0), "t(10)",
       jax=("jax.random.t(key, 10, (n,))", lambda k, n, f, i, df: _jr().t(k, df, (n,), f),
            (10.0,))),
    _c("noncentral_chisquare", (3.0, 2.0), lambda s: s.ncx2(3.0, 2.0), "ncx2(3, 2)"),
    _c("noncentral_f", (5.0, 20.0, 2.0), lambda s: s.ncf(5.0, 20.0, 2.0), "ncf(5, 20, 2)"),
    _c("gumbel", (0.5, 2.0), lambda s: s.gumbel_r(0.5, 2.0), "gumbel_r(loc=0.5, scale=2)",
       jax=("0.5 + 2 * jax.random.gumbel(key, (n,))",
            lambda k, n, f, i, m, s: m + s * _jr().gumbel(k, (n,), f), (0.5, 2.0))),
    _c("laplace", (1.0, 2.0), lambda s: s.laplace(1.0, 2.0), "laplace(loc=1, scale=2)",
       jax=("1 + 2 * jax.random.laplace(key, (n,))",
            lambda k, n, f, i, m, s: m + s * _jr().laplace(k, (n,), f), (1.0, 2.0))),
    _c("logistic", (1.0, 2.0), lambda s: s.logistic(1.0, 2.0), "logistic(loc=1, scale=2)",
       jax=("1 + 2 * jax.random.logistic(key, (n,))",
            lambda k, n, f, i, m, s: m + s * _jr().logistic(k, (n,), f), (1.0, 2.0))),
    _c("lognormal", (0.5, 0.5), lambda s: s.lognorm(0.5, scale=math.exp(0.5)),
       "lognorm(0.5, scale=exp(0.5))",
       jax=("exp(0.5) * jax.random.lognormal(key, 0.5, (n,))",
            lambda k, n, f, i, c, s: c * _jr().lognormal(k, s, (n,), f), (math.exp(0.5), 0.5)),
       torch=("torch.empty(n).log_normal_(0.5, 0.5)",
              lambda g, n, f, i, d: _tempty(n, f, d).log_normal_(0.5, 0.5, generator=g))),
    _c("pareto", (5.0,), lambda s: s.lomax(5.0), "lomax(5)",
       jax=("jax.random.pareto(key, 5, (n,)) - 1",
            lambda k, n, f, i, a: _jr().pareto(k, a, (n,), f) - 1, (5.0,))),
    _c("power", (3.0,), lambda s: s.powerlaw(3.0), "powerlaw(3)"),
    _c("rayleigh", (2.0,), lambda s: s.rayleigh(scale=2.0), "rayleigh(scale=2)",
       jax=("jax.random.rayleigh(key, 2, (n,))",
            lambda k, n, f, i, s: _jr().rayleigh(k, s, (n,), f), (2.0,))),
    _c("weibull", (1.5,), lambda s: s.weibull_min(1.5), "weibull_min(1.5)",
       jax=("jax.random.weibull_min(key, 1, 1.5, (n,))",
            lambda k, n, f, i, s, a: _jr().weibull_min(k, s, a, (n,), f), (1.0, 1.5))),
    _c("standard_cauchy", (), lambda s: s.cauchy(), "cauchy()",
       jax=("jax.random.cauchy(key, (n,))", lambda k, n, f, i: _jr().cauchy(k, (n,), f), ()),
       torch=("torch.empty(n).cauchy_()",
              lambda g, n, f, i, d: _tempty(n, f, d).cauchy_(generator=g))),
    _c("triangular", (-1.0, 0.0, 2.0), lambda s: s.triang(1.0 / 3.0, loc=-1.0, scale=3.0),
       "triang(1/3, loc=-1, scale=3)",
       jax=("jax.random.triangular(key, -1, 0, 2, (n,))",
            lambda k, n, f, i, a, m, b: _jr().triangular(k, a, m, b, (n,), f),
            (-1.0, 0.0, 2.0))),
    # mu = 0: scipy's vonmises with loc != 0 lives on [loc - pi, loc + pi], NumPy's on [-pi, pi]
    _c("vonmises", (0.0, 2.0), lambda s: s.vonmises(2.0), "vonmises(2)",
       bounds=(-math.pi, math.pi)),
    _c("wald", (1.0, 2.0), lambda s: s.invgauss(0.5, scale=2.0), "invgauss(0.5, scale=2)",
       jax=("2 * jax.random.wald(key, 0.5, (n,))",
            lambda k, n, f, i, m, s: s * _jr().wald(k, m, (n,), f), (0.5, 2.0))),
    _c("dirichlet", (_DIRICHLET,), lambda s: s.beta(2.0, 8.0), "beta(2, 8) [x[:, 0]]",
       marginal=0,
       jax=("jax.random.dirichlet(key, alpha, (n,))",
            lambda k, n, f, i, alpha: _jr().dirichlet(k, alpha, (n,), f), (_DIRICHLET,)),
       torch=("torch._sample_dirichlet(alpha.expand(n, 3))",
              lambda g, n, f, i, d: _torch()._sample_dirichlet(
                  _torch().tensor(_DIRICHLET, dtype=f, device=d).expand(n, 3), generator=g))),
    _c("multivariate_normal", (_MVN_MEAN, _MVN_COV), lambda s: s.norm(1.0, math.sqrt(2.0)),
       "norm(1, sqrt(2)) [x[:, 0]]", marginal=0,
       jax=("jax.random.multivariate_normal(key, mean, cov, (n,))",
            lambda k, n, f, i, mean, cov: _jr().multivariate_normal(k, mean, cov, (n,), f),
            (_MVN_MEAN, _MVN_COV))),
    # --- discrete ----------------------------------------------------------------
    _d("integers", (0, 10), lambda s: s.randint(0, 10), "randint(0, 10)",
       jax=("jax.random.randint(key, (n,), 0, 10)",
            lambda k, n, f, i, lo, hi: _jr().randint(k, (n,), lo, hi, i), (0, 10)),
       torch=("torch.randint(0, 10, (n,))",
              lambda g, n, f, i, d: _torch().randint(0, 10, (n,), generator=g, dtype=i,
                                                     device=d))),
    _d("binomial", (20, 0.3), lambda s: s.binom(20, 0.3), "binom(20, 0.3)",
       jax=("jax.random.binomial(key, 20, 0.3, (n,))",
            lambda k, n, f, i, m, p: _jr().binomial(k, m, p, (n,), f), (20.0, 0.3)),
       torch=("torch.binomial(torch.full((n,), 20.), torch.full((n,), 0.3))",
              lambda g, n, f, i, d: _torch().binomial(_tfull(20.0, n, f, d), _tfull(0.3, n, f, d),
                                                      generator=g))),
    _d("poisson", (4.0,), lambda s: s.poisson(4.0), "poisson(4)",
       jax=("jax.random.poisson(key, 4, (n,))",
            lambda k, n, f, i, lam: _jr().poisson(k, lam, (n,), i), (4.0,)),
       torch=("torch.poisson(torch.full((n,), 4.))",
              lambda g, n, f, i, d: _torch().poisson(_tfull(4.0, n, f, d), generator=g))),
    _d("geometric", (0.2,), lambda s: s.geom(0.2), "geom(0.2)",
       jax=("jax.random.geometric(key, 0.2, (n,))",
            lambda k, n, f, i, p: _jr().geometric(k, p, (n,), i), (0.2,)),
       torch=("torch.empty(n).geometric_(0.2)",
              lambda g, n, f, i, d: _tempty(n, f, d).geometric_(0.2, generator=g))),
    _d("negative_binomial", (5, 0.4), lambda s: s.nbinom(5, 0.4), "nbinom(5, 0.4)"),
    _d("hypergeometric", (10, 15, 8), lambda s: s.hypergeom(25, 10, 8), "hypergeom(25, 10, 8)"),
    _d("logseries", (0.6,), lambda s: s.logser(0.6), "logser(0.6)"),
    _d("zipf", (4.0,), lambda s: s.zipf(4.0), "zipf(4)"),
    _d("multinomial", (20, _PVALS), lambda s: s.binom(20, 0.2), "binom(20, 0.2) [x[:, 0]]",
       marginal=0,
       jax=("jax.random.multinomial(key, 20, pvals, shape=(n, 3))",
            lambda k, n, f, i, m, p: _jr().multinomial(k, m, p, shape=(n, 3), dtype=f),
            (20.0, _PVALS))),
    _d("multivariate_hypergeometric", (_COLORS, 8), lambda s: s.hypergeom(30, 10, 8),
       "hypergeom(30, 10, 8) [x[:, 0]]", marginal=0),
    _d("choice", (5,), _choice_law, "rv_discrete(p=p)", kwargs={"p": _CHOICE_P},
       jax=("jax.random.choice(key, 5, (n,), p=p)",
            lambda k, n, f, i, p: _jr().choice(k, 5, (n,), p=p), (_CHOICE_P,)),
       torch=("torch.multinomial(p, n, replacement=True)",
              lambda g, n, f, i, d: _torch().multinomial(
                  _torch().tensor(_CHOICE_P, dtype=f, device=d), n, replacement=True,
                  generator=g))),
)

BY_NAME = {case.name: case for case in CASES}
