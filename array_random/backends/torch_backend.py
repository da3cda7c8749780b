"""PyTorch: one ``torch.Generator`` per device, created on that device.

Draws are made by torch's own routines with ``generator=`` and ``device=``, so
a CUDA tensor is produced on the GPU by the GPU's generator: no host round
trip, no NumPy. Each device's generator is seeded from the Generator's
SeedSequence and the device's name, so devices give independent streams.
"""
from __future__ import annotations

import functools
import itertools
import math
import operator
import threading
import zlib

import numpy as np
import torch

from ..distributions import continuous, discrete
from . import _floats
from ._base import Backend, locked
from ._source import Source

_I64_MIN = -(2**63)
_SCALARS = (float, int)
_FLOAT_MAX = {torch.float64: torch.finfo(torch.float64).max,
              torch.float32: torch.finfo(torch.float32).max,
              torch.float16: torch.finfo(torch.float16).max,
              torch.bfloat16: torch.finfo(torch.bfloat16).max}
_EXACT_INTS = {torch.float64: 2**53, torch.float32: 2**24}  # every int up to here is exact
_FMAX = {t: torch.finfo(t).max for t in (torch.float16, torch.bfloat16, torch.float32,
                                         torch.float64)}


class TorchSource(Source):
    """torch's routines with ``generator=``.

    A draw of one of the samplers in ``_LOCK_FREE`` runs without the backend's
    lock: torch holds the generator's mutex through each kernel, and through
    ``Generator.get_state``, which covers a draw of one random kernel (SPEC
    K8). Those samplers' branches that run several random kernels hold
    ``lock`` (the backend's, reentrant: a sampler drawn under it calls them)
    around all of them, so that no state read lands between two.
    """

    def __init__(self, xp, device, gen: torch.Generator, lock=None):
        self.xp = xp
        self.device = device
        self.gen = gen
        self.lock = threading.RLock() if lock is None else lock
        # looked up once: torch.device attributes are slow to read in every draw
        self.on_cpu = device.type == "cpu"
        # the float type counts are drawn in: float64 where the device has it
        self.counts_float = torch.float32 if device.type == "mps" else torch.float64
        self._tables = {}  # Poisson mean, or ("binomial", n, p) -> cdf table, see _invert
        self._geometric = {}  # p -> cdf table: the geometric draws' own (a float p is a key
        #                       here, a Poisson mean one in _tables)
        # the table inversions' condition, which does not change: the CPU's
        # multinomial and bucketize, of a float64 uniform (and geometric_'s)
        self._tabled = self.on_cpu and self.counts_float is torch.float64
        self._alphas = {}  # (shapes, shape, dtype) -> kept tensor, see _stacked_gammas
        self._hats = {}  # (kappa, dtype) -> vonmises_hat's constants, _vonmises_hat
        self._per_tensor = {}  # (id(x), make, args) -> (x, its version, made), _kept_for

    def bits(self, shape, width):
        raise NotImplementedError("torch has too few unsigned-integer kernels for raw-bit "
                                  "samplers; torch samplers use its native routines")

    def random(self, shape, dtype):
        return torch.rand(shape, generator=self.gen, dtype=dtype, device=self.device)

    def standard_normal(self, shape, dtype):
        return torch.randn(shape, generator=self.gen, dtype=dtype, device=self.device)

    def standard_exponential(self, shape, dtype):
        out = torch.empty(shape, dtype=dtype, device=self.device)
        return out.exponential_(generator=self.gen)

    # Python-scalar parameters: torch's own one-kernel routines. Tensor ones:
    # the generic samplers' arithmetic, in place on the one tensor drawn. Either
    # way no temporaries: the peak memory is the output's.
    def uniform(self, shape, dtype, low, high):
        fmax = _FMAX.get(dtype)
        if (fmax is not None and type(low) in _SCALARS and type(high) in _SCALARS
                and -fmax <= low <= high <= fmax and high - low <= fmax):
            # uniform_ refuses high < low (NumPy allows it) and spans past the
            # dtype's largest float; those take the generic arithmetic below
            out = torch.empty(shape, dtype=dtype, device=self.device)
            return out.uniform_(low, high, generator=self.gen)
        return self.random(shape, dtype).mul_(high - low).add_(low)

    def lognormal(self, shape, dtype, mean, sigma):
        if type(mean) in _SCALARS and type(sigma) in _SCALARS and 0 < sigma < math.inf:
            out = torch.empty(shape, dtype=dtype, device=self.device)
            return out.log_normal_(mean, sigma, generator=self.gen)  # exp(mean + sigma Z)
        with self.lock:  # the generic sampler: see the class docstring
            return super().lognormal(shape, dtype, mean, sigma)

    def normal(self, shape, dtype, loc, scale):
        if type(loc) in _SCALARS and type(scale) in _SCALARS:
            return torch.normal(float(loc), float(scale), shape, generator=self.gen, dtype=dtype,
                                device=self.device)
        return self.standard_normal(shape, dtype).mul_(scale).add_(loc)

    def exponential(self, shape, dtype, scale):
        if type(scale) in _SCALARS and 0 < scale < math.inf:
            out = torch.empty(shape, dtype=dtype, device=self.device)
            return out.exponential_(1 / scale, generator=self.gen)
        return self.standard_exponential(shape, dtype).mul_(scale)

    def _words(self, shape):
        """Uniform int64 words over all 2**64 values."""
        kw = dict(generator=self.gen, dtype=torch.int64, device=self.device)
        hi = torch.randint(-(2**31), 2**31, shape, **kw)
        lo = torch.randint(0, 2**32, shape, **kw)
        return (hi << 32) | lo

    def integers(self, shape, dtype, low, high):
        if isinstance(low, int) and isinstance(high, int) and high < 2**63 - 1:
            return torch.randint(low, high + 1, shape, generator=self.gen, dtype=dtype,
                                 device=self.device)
        with self.lock:  # several kernels: see the class docstring
            return self._masked_integers(shape, dtype, low, high)

    def _masked_integers(self, shape, dtype, low, high):
        # Spans beyond randint's reach or per-element bounds: mask and reject in
        # wrapping int64 arithmetic, comparing as unsigned by flipping the sign bit.
        low = torch.as_tensor(low, dtype=torch.int64, device=self.device)
        high = torch.as_tensor(high, dtype=torch.int64, device=self.device)
        span_m1 = torch.broadcast_to(high - low, shape)
        mask = span_m1.clone()
        for s in (1, 2, 4, 8, 16, 32):
            mask |= mask >> s          # arithmetic shift: spans >= 2**63 become all ones
        limit = span_m1 ^ _I64_MIN
        value = self._words(shape) & mask
        bad = (value ^ _I64_MIN) > limit
        while bool(bad.any()):
            value = torch.where(bad, self._words(shape) & mask, value)
            bad = (value ^ _I64_MIN) > limit
        return (low + value).to(dtype)

    def permutation_indices(self, shape, dtype):
        if len(shape) == 1:
            return torch.randperm(shape[0], generator=self.gen, dtype=dtype, device=self.device)
        with self.lock:  # two kernels: see the class docstring
            keys = self._words(shape)
        return torch.argsort(keys, dim=-1, stable=True).to(dtype)

    # --- continuous ---------------------------------------------------------
    def standard_gamma(self, shape, dtype, a):
        # torch clamps its gammas to the smallest normal float, which moves
        # real mass for shapes below 1 (1.3% of float32 Gamma(0.05)): it draws
        # only shapes >= 1 here, and smaller ones are boosted in log space
        if type(a) in _SCALARS and a >= 1:  # the usual case: torch's routine alone
            return torch._standard_gamma(self._full(shape, dtype, a), generator=self.gen)
        with self.lock:  # several kernels: see the class docstring
            return self._boosted_gamma(shape, dtype, a)

    def _boosted_gamma(self, shape, dtype, a):
        a = torch.broadcast_to(torch.as_tensor(a, dtype=dtype, device=self.device), shape)
        small = a < 1
        g = torch._standard_gamma(torch.where(small, a + 1, a), generator=self.gen)
        boost = continuous.boost_log(self, shape, dtype, a)
        return torch.where(small, torch.exp(torch.log(g) + boost), g)

    def log_gamma_parts(self, shape, dtype, a):
        # Gamma(max(a, a + 1)) and the boost's exponential (the generic draws
        # a third, unused one through standard_gamma's tensor branch). Only
        # shapes >= 1 reach torch (see standard_gamma). For a small draw both
        # come from one kernel over the two shapes stacked, torch's Gamma(1)
        # being an exact standard exponential: beta, f and dirichlet, which
        # draw nothing else, are then one kernel and lock-free. Per element
        # that Gamma(1) costs 1.5 times exponential_, so a larger draw makes
        # two kernels, under the lock (whose cost is nothing there).
        at_least_one = torch.where(a < 1, a + 1, a)
        if a.numel() <= _STACKED_GAMMAS:
            both = torch.stack((at_least_one, torch.ones_like(at_least_one)))
            g = torch._standard_gamma(both, generator=self.gen)
            return torch.log(g[0]), g[1]
        with self.lock:  # two kernels: see the class docstring
            g = torch._standard_gamma(at_least_one, generator=self.gen)
            e = torch.empty(a.shape, dtype=a.dtype, device=self.device)
            e.exponential_(generator=self.gen)
        return torch.log(g), e

    def gamma(self, shape, dtype, a, scale):
        top = _FLOAT_MAX.get(dtype)
        if type(a) in _SCALARS and top is not None and 1 <= a <= top:
            # the usual case, standard_gamma's first branch spelled out: two
            # Python calls fewer, a good part of a small draw
            g = torch._standard_gamma(torch.full(shape, a, dtype=dtype, device=self.device),
                                      generator=self.gen)
            return g.mul_(scale)
        return self.standard_gamma(shape, dtype, a).mul_(scale)

    def chisquare(self, shape, dtype, df):
        # 2 Gamma(df / 2), as the generic sampler, whose array df / 2 takes
        # standard_gamma's boosted branch (a few kernels under the lock, 115 us
        # small): a scalar df >= 2 is torch's routine alone, one kernel.
        # df / 2 is exact in float64 and in dtype alike.
        top = _FLOAT_MAX.get(dtype)
        if type(df) in _SCALARS and top is not None and 2 <= df <= top:
            g = torch._standard_gamma(torch.full(shape, df / 2, dtype=dtype, device=self.device),
                                      generator=self.gen)
            return g.mul_(2)
        with self.lock:  # the generic sampler: see the class docstring
            return super().chisquare(shape, dtype, df)

    def standard_cauchy(self, shape, dtype):
        out = torch.empty(shape, dtype=dtype, device=self.device)
        return out.cauchy_(generator=self.gen)

    # --- one random kernel where the generic sampler takes two, or redraws
    # an exact 0 after a host test: lock-free (_LOCK_FREE), and no device
    # sync on a GPU. Their dtypes are float32 and float64, torch's real
    # floating dtypes in the Array API (Generator._dtype refuses the others).
    def _open_uniform(self, shape, dtype):
        """torch.rand's uniforms with 0 moved to half a grid step: in (0, 1), one kernel.

        torch.rand draws multiples of 2**-53 (float64; 2**-24 in float32), each
        the left end of a cell of that width. 0 alone would turn into an
        infinity under ``log``: it stands for its cell at the cell's middle
        instead of being redrawn. 1 - u is exact, and never 0. (On CUDA the
        uniforms need not lie on that grid; the clamp still moves an exact 0
        alone, and u stays in (0, 1).)
        """
        return self.random(shape, dtype).clamp_(min=_HALF_STEP[dtype])

    def gumbel(self, shape, dtype, loc, scale):
        # loc - scale log(E), E = -log(1 - u) a standard exponential, never 0
        e = self._open_uniform(shape, dtype).neg_().log1p_().neg_()
        return e.log_().mul_(-scale).add_(loc)

    def logistic(self, shape, dtype, loc, scale):
        # log(u / (1 - u)) as log(u) - log1p(-u): both terms exact to the
        # ulp, in both tails (1 - u is exact), and never infinite
        u = self._open_uniform(shape, dtype)
        return torch.log(u).sub_(u.neg_().log1p_()).mul_(scale).add_(loc)

    def laplace(self, shape, dtype, loc, scale):
        # One kernel either way. A small draw: the difference of two standard
        # exponentials drawn in one tensor, the fewest calls. A larger one: the
        # inverse cdf of one open uniform, at half the time per element of
        # torch's exponential_; log(2 min(u, 1 - u)) with 2u and 2 - 2u exact,
        # so both tails are as fine as the uniform's grid.
        if math.prod(shape) <= _EXPONENTIAL_PAIRS:
            pair = torch.empty((2, *shape), dtype=dtype, device=self.device)
            first, second = pair.exponential_(generator=self.gen).unbind(0)
            return torch.sub(first, second).mul_(scale).add_(loc)
        u = self._open_uniform(shape, dtype)
        low = u < 0.5
        x = torch.where(low, u, 1 - u).mul_(2).log_()  # <= 0
        return torch.where(low, x, x.neg()).mul_(scale).add_(loc)

    # --- wald, standard_t, noncentral_chisquare, noncentral_f: with Python-number parameters,
    # a small draw is one kernel of torch's gamma, each element of its own
    # shape (_stacked_gammas), where the generic samplers draw a normal and a
    # uniform or a gamma, then more arithmetic, under the lock. Gamma(1/2) is
    # Z**2 / 2 for a standard normal Z; Gamma(1) is an exact standard
    # exponential E (torch's Marsaglia-Tsang), so exp(-E) is a uniform on
    # (0, 1] and the sign of E1 - E2 a fair coin. (torch clamps a gamma at the
    # smallest normal float: at a shape of 1/2 or more that moves less than
    # 1e-19 of the mass, in float32.) A larger draw takes the generic sampler,
    # whose randn and rand cost less per element than torch's gamma.
    def wald(self, shape, dtype, mean, scale):
        if (type(mean) in _SCALARS and type(scale) in _SCALARS and scale > 0
                and self._stackable(shape, dtype, mean, scale, mean / (2 * scale))):
            half_square, e = self._stacked_gammas(shape, dtype, (0.5, 1.0))
            # the generic sampler's m = (sqrt(v) + sqrt(1 + v))**2, v = mean Z**2 / (4 scale);
            # its small root mean / m where U (m + 1) <= m, i.e. E >= log1p(1 / m)
            v = half_square.mul_(mean / (2 * scale))
            root = torch.sqrt(v)
            m = v.add_(1).sqrt_().add_(root).square_()
            inverse = torch.reciprocal(m)
            small = e >= torch.log1p(inverse)
            return torch.where(small, inverse, m).mul_(mean)
        with self.lock:  # the generic sampler: see the class docstring
            return super().wald(shape, dtype, mean, scale)

    def standard_t(self, shape, dtype, df):
        # df >= 2: torch's Gamma(df / 2) needs no boost (see standard_gamma)
        if self._stackable(shape, dtype, df) and df >= 2:
            half = df / 2
            g, half_square, e1, e2 = self._stacked_gammas(shape, dtype, (half, 0.5, 1.0, 1.0))
            # Z sqrt(half / Gamma(half)): two roots, so that nothing overflows
            t = torch.div(half, g).sqrt_().mul_(half_square.mul_(2).sqrt_())
            return torch.copysign(t, e1.sub_(e2))
        with self.lock:  # the generic sampler: see the class docstring
            return super().standard_t(shape, dtype, df)

    def noncentral_chisquare(self, shape, dtype, df, nonc):
        if self._stackable(shape, dtype, df, nonc) and df > 1:
            return self._noncentral(shape, dtype, df, nonc)[0]
        with self.lock:  # the generic sampler: see the class docstring
            return super().noncentral_chisquare(shape, dtype, df, nonc)

    def noncentral_f(self, shape, dtype, dfnum, dfden, nonc):
        # NumPy's (ncchi2(dfnum, nonc) / dfnum) / (chi2(dfden) / dfden), with
        # chi2(dfden) / dfden = Gamma(dfden / 2) / (dfden / 2): no boost for dfden >= 2
        if self._stackable(shape, dtype, dfnum, dfden, nonc) and dfnum > 1 and dfden >= 2:
            half = dfden / 2
            chi2, g = self._noncentral(shape, dtype, dfnum, nonc, half)
            return torch.div(half, g).mul_(chi2.div_(dfnum))  # the ratio first: no overflow
        with self.lock:  # the generic sampler: see the class docstring
            return super().noncentral_f(shape, dtype, dfnum, dfden, nonc)

    # beta, f (Python-number shapes) and dirichlet (a 1-d alpha) of a small
    # draw: the same stacked kernel, where the generic samplers' log-space
    # arithmetic (written for shapes so small that the gammas underflow,
    # portable to every backend) takes about 30 torch calls. Shapes of 1 and
    # more: the gammas themselves; below 1, log Gamma(a) = log Gamma(a + 1) -
    # E / a, as log_gamma_parts. Shapes below _TINY_SHAPE (where E / a could
    # overflow) or above a quarter of the dtype's range (where X + Y could)
    # take the generic sampler.
    def beta(self, shape, dtype, a, b):
        if self._stackable(shape, dtype, a, b) and _TINY_SHAPE <= min(a, b) \
                and max(a, b) <= _FLOAT_MAX[dtype] / 4:
            if a >= 1 and b >= 1:
                x, y = self._stacked_gammas(shape, dtype, (a, b))
                return x.div_(y.add_(x))
            # the generic sampler's logistic function of t = log X - log Y
            t = self._log_gamma_ratio(shape, dtype, a, b)
            e = torch.abs(t).neg_().exp_()  # e / (1 + e) is the smaller of x and 1 - x
            near_one = e.add(1).reciprocal_()
            return torch.where(t >= 0, near_one, near_one * e)
        return super().beta(shape, dtype, a, b)

    def f(self, shape, dtype, dfnum, dfden):
        if self._stackable(shape, dtype, dfnum, dfden) and _TINY_SHAPE <= min(dfnum, dfden) / 2 \
                and max(dfnum, dfden) <= _FLOAT_MAX[dtype] / 4:
            a, b = dfnum / 2, dfden / 2
            if a >= 1 and b >= 1:
                x, y = self._stacked_gammas(shape, dtype, (a, b))
                return x.mul_(dfden / dfnum).div_(y)  # scaled first: about dfden / 2
            t = self._log_gamma_ratio(shape, dtype, a, b)
            return t.add_(math.log(dfden) - math.log(dfnum)).exp_()
        return super().f(shape, dtype, dfnum, dfden)

    def _log_gamma_ratio(self, shape, dtype, a, b):
        """``log X - log Y``, X ~ Gamma(a), Y ~ Gamma(b), from one stacked kernel."""
        boosted = (a < 1) + (b < 1)
        g = self._stacked_gammas(shape, dtype, (a + 1 if a < 1 else a, b + 1 if b < 1 else b)
                                 + (1.0,) * boosted)
        t = torch.log(g[0]).sub_(torch.log(g[1]))
        if a < 1:
            t.sub_(g[2].div_(a))
        if b < 1:
            t.add_(g[-1].div_(b))
        return t

    def dirichlet(self, shape, dtype, alpha):
        if alpha.ndim == 1 and 0 < math.prod(shape) <= _STACKED_GAMMAS \
                and dtype in _FLOAT_MAX:
            plan = self._kept_for(alpha, _dirichlet_plan, shape, dtype)
            if plan is not None:
                # softmax: exp(lg - max) / sum, the generic sampler's normalisation
                shapes, neg_inverse = plan
                g = torch._standard_gamma(shapes, generator=self.gen)
                return torch.softmax(torch.log(g[0]).add_(g[1].mul_(neg_inverse)), dim=-1)
        return super().dirichlet(shape, dtype, alpha)

    def _noncentral(self, shape, dtype, df, nonc, *more):
        """NumPy's noncentral chi2 for df > 1, ``2 Gamma((df - 1) / 2) + (Z + sqrt(nonc))**2``,
        and gammas of the shapes ``more``, from one stacked kernel.

        A shape below 1 is Gamma(shape + 1) boosted by ``exp(-E / shape)``, as
        in standard_gamma.
        """
        half = (df - 1) / 2
        if half >= 1:
            g, half_square, e1, e2, *rest = self._stacked_gammas(
                shape, dtype, (half, 0.5, 1.0, 1.0, *more))
        else:
            g, boost, half_square, e1, e2, *rest = self._stacked_gammas(
                shape, dtype, (half + 1, 1.0, 0.5, 1.0, 1.0, *more))
            g.mul_(boost.div_(-half).exp_())
        z = torch.copysign(half_square.mul_(2).sqrt_(), e1.sub_(e2))
        return (z.add_(math.sqrt(nonc)).square_().add_(g.mul_(2)), *rest)

    def _stackable(self, shape, dtype, *params):
        """A small draw whose parameters are Python numbers in [0, dtype's largest float]."""
        top = _FLOAT_MAX.get(dtype)
        if top is None or math.prod(shape) > _STACKED_GAMMAS:
            return False
        for x in params:
            if type(x) not in _SCALARS or not 0 <= x <= top:
                return False
        return True

    def _stacked_gammas(self, shape, dtype, shapes):
        """Gammas of each shape in ``shapes`` (Python floats), of ``shape`` each: one kernel.

        The tensor of shapes is kept per (shapes, shape, dtype): a loop of
        small draws makes it once.
        """
        key = (shapes, shape, dtype)
        alphas = self._alphas.get(key)
        if alphas is None:
            if len(self._alphas) >= _TABLES:
                self._alphas.clear()
            alphas = torch.tensor(shapes, dtype=dtype, device=self.device)
            alphas = alphas.reshape((len(shapes),) + (1,) * len(shape))
            alphas = self._alphas[key] = alphas.expand((len(shapes), *shape)).contiguous()
        return torch._standard_gamma(alphas, generator=self.gen).unbind(0)

    def _full(self, shape, dtype, value):
        """A parameter as a tensor of ``shape``: torch's samplers take no broadcast scalar."""
        if type(value) in _SCALARS:
            top = _FLOAT_MAX.get(dtype, math.inf)
            if not -top <= value <= top:
                # torch.full refuses a float beyond the dtype (1.7e308 in float32);
                # the dtype holds it as inf, as the generic samplers' casts do
                value = math.copysign(math.inf, value) if value == value else value
            return torch.full(shape, value, dtype=dtype, device=self.device)
        return torch.broadcast_to(torch.as_tensor(value, device=self.device).to(dtype), shape)

    # --- discrete: torch.poisson (NumPy's algorithms: multiplication below 10,
    # PTRS above) and torch.binomial (inversion / BTRS, as TensorFlow) with
    # generator=, computed in float64 where the device has it. On CUDA,
    # torch.poisson is cuRAND's, which turns into a normal approximation for
    # large means: there the generic sampler runs.
    # A scalar mean below _TABLE_MEAN (on the CPU): one float64 uniform per
    # count (53 bits), inverted against the cdf by torch.multinomial, which
    # returns int64 itself (_invert, _categorical). One kernel and no
    # float-to-int pass: about half the cost of torch.poisson/binomial plus
    # the conversion for a small draw, and fewer passes over a large one.
    # The same distribution to float64 rounding: the tables end where less
    # than 2**-64 of the mass is left.
    def poisson(self, shape, dtype, lam):
        if not self.on_cpu:
            with self.lock:  # the generic sampler: see the class docstring
                return super().poisson(shape, dtype, lam)
        if type(lam) in _SCALARS and lam < _TABLE_MEAN and self._tabled:
            table = self._tables.get(lam)  # keyed by the mean alone: the usual draw's lookup
            if table is None:
                table = self._table(lam, _poisson_cdf, lam)
            return self._counts(shape, dtype, table)
        counts = torch.poisson(self._full(shape, self.counts_float, lam), generator=self.gen)
        # P(count > top) < (e lam / top)**top (Chernoff): below 2**-190 for
        # lam <= top / 8 on every integer type, so there is nothing to saturate
        if type(lam) in _SCALARS and lam <= _largest_count(dtype, self.counts_float) / 8:
            return counts.to(dtype)
        return _to_counts(counts, dtype)

    def binomial(self, shape, dtype, n, p):
        if (type(n) is int and type(p) in _SCALARS and self._tabled
                and n * min(p, 1 - p) < _TABLE_MEAN):
            if p <= 0.5:
                return self._invert(shape, dtype, ("binomial", n, p), _binomial_cdf, n, p)
            # the table of the failures: its small side stays near the start
            k = self._invert(shape, torch.int64, ("binomial", n, 1 - p), _binomial_cdf, n, 1 - p)
            k = torch.rsub(k, n)
            return k if dtype is torch.int64 else k.to(dtype)
        work = self.counts_float
        counts = torch.binomial(self._full(shape, work, n), self._full(shape, work, p),
                                generator=self.gen)
        # counts never exceed n, which fits dtype (the facade checks it): only
        # an n that rounds up in the float type needs the saturating cast
        if type(n) is int and n <= _EXACT_INTS[work]:
            return counts.to(dtype)
        return _to_counts(counts, dtype)


    def geometric(self, shape, dtype, p):
        # Not too small a scalar p (on the CPU): the inversion of the cdf, as
        # for small Poisson means, by bucketize (counts from 1: _table), which
        # returns int64 itself, where geometric_ fills floats that need a
        # saturating conversion (two kernels more, the larger part of a small
        # draw's cost). An int64 geometric_ casts its u = 0 (P = 2**-53), an
        # infinite count, to int64's minimum on x86: a test of the counts
        # would cost a kernel more (a clamp_, 3.2 us).
        if type(p) is float or type(p) is int:
            # a table is kept only for a p it serves: the usual draw's one lookup
            table = self._geometric.get(p)
            if table is None and _GEOMETRIC_TABLE_P <= p <= 1 and self._tabled:
                table = self._table(p, _geometric_cdf, p, tables=self._geometric)
            if table is not None:
                return self._counts(shape, dtype, table)
        # Tensor.geometric_ on the CPU: ceil(log(u) / log1p(-p)) for a float64 u
        # in [0, 1), so P(X > k) = (1 - p)**k; u = 0 gives inf, saturated like
        # every count past the dtype (the facade bounds p so that this stays
        # below 1e-9). CUDA's u lies in (0, 1] (u = 1 would give 0): generic there.
        if type(p) in _SCALARS and 0 < p < 1 and self._tabled:
            x = torch.empty(shape, dtype=torch.float64, device=self.device)
            return _to_counts(x.geometric_(p, generator=self.gen), dtype)
        with self.lock:  # the generic sampler: see the class docstring
            return super().geometric(shape, dtype, p)

    # negative_binomial, logseries, hypergeometric: with Python-number
    # parameters (on the CPU) the same table inversion, where the generic
    # samplers make a gamma then a Poisson, or a rejection loop, of tens of
    # kernels under the lock: one kernel and lock-free. A cdf that does not
    # reach its 2**-64 tail within _TABLE_LENGTH entries is no table (False
    # kept for it): the generic sampler draws those, under the lock.
    def negative_binomial(self, shape, dtype, n, p):
        if type(n) in _SCALARS and type(p) in _SCALARS and self._tabled:
            table = self._kept_table(("negative_binomial", n, p), _negative_binomial_cdf, n, p)
            if table is not False:
                return self._counts(shape, dtype, table)
        with self.lock:  # the generic sampler: see the class docstring
            return super().negative_binomial(shape, dtype, n, p)

    def logseries(self, shape, dtype, p):
        if type(p) in _SCALARS and self._tabled:
            table = self._kept_table(("logseries", p), _logseries_cdf, p)
            if table is not False:
                return self._counts(shape, dtype, table)
        with self.lock:  # the generic sampler: see the class docstring
            return super().logseries(shape, dtype, p)

    def hypergeometric(self, shape, dtype, ngood, nbad, nsample):
        if type(ngood) is int and type(nbad) is int and type(nsample) is int and self._tabled:
            table = self._kept_table(("hypergeometric", ngood, nbad, nsample),
                                     _hypergeometric_cdf, ngood, nbad, nsample)
            if table is not False:
                return self._counts(shape, dtype, table)
        with self.lock:  # the generic sampler: see the class docstring
            return super().hypergeometric(shape, dtype, ngood, nbad, nsample)

    # vonmises with Python-number parameters, a small draw (on the CPU):
    # _PROPOSALS Best-Fisher proposals per value, the turn's uniform and
    # three more uniforms in one kernel. Each value is its first accepted
    # proposal (the rejection loop's own, as it would take them one by one),
    # then turned: the generic formulas (vonmises_proposal, vonmises_turn)
    # on the uniforms' Python floats, in float64 (backends/_floats.py as
    # their namespace), rounded to the dtype once. On a small CPU tensor a
    # torch operation costs 3-8 us here, and testing all the proposals as
    # tensors took 52 of them (290 us for 10 values); the floats take about
    # 3 us a value. A value none of them took (P < 2.3e-4 at any kappa) is
    # finished by the generic loop on a Threefry stream keyed by 64 bits of
    # the three uniforms: the draw reads the generator once, in one kernel,
    # so it is lock-free (_LOCK_FREE), and the rare rest repeats no stream
    # (a 64-bit key per draw, as jax.random's). CPU only: the uniforms are
    # read back to the host, which a GPU draw never does (D2).
    def vonmises(self, shape, dtype, mu, kappa):
        n = math.prod(shape)
        if (type(mu) in _SCALARS and type(kappa) in _SCALARS and 0 < n <= _SMALL_VONMISES
                and (dtype is torch.float64 or dtype is torch.float32) and self.on_cpu):
            hat, numbers = self._vonmises_hat(kappa, dtype)
            m = _PROPOSALS
            drawn = torch.rand(((2 * m + 1) * n + 3,), dtype=dtype, generator=self.gen,
                               device=self.device)
            values = drawn.tolist()
            thetas, missing = [], []
            for i in range(n):  # proposal j of value i: u at j n + i, v at (m + j) n + i
                for j in range(m):
                    theta, ok = continuous.vonmises_proposal(
                        _floats, numbers, values[j * n + i], values[(m + j) * n + i])
                    if ok:
                        break
                else:
                    theta = 0.0
                    missing.append(i)
                thetas.append(theta)
            if missing:
                rest = self._vonmises_rest(len(missing), dtype, hat, values[-3:]).tolist()
                for i, theta in zip(missing, rest):
                    thetas[i] = theta
            turns = values[2 * m * n:(2 * m + 1) * n]
            out = [continuous.vonmises_turn(_floats, numbers, theta, mu, w)
                   for theta, w in zip(thetas, turns)]
            return torch.tensor(out, dtype=dtype, device=self.device).view(shape)
        with self.lock:  # the generic sampler: see the class docstring
            return super().vonmises(shape, dtype, mu, kappa)

    def _vonmises_hat(self, kappa, dtype):
        """vonmises_hat's constants for ``kappa``: as ``dtype`` tensors (the rare rest's
        loop) and as Python numbers from the float64 ones (the floats' formulas), kept."""
        kept = self._hats.get((kappa, dtype))
        if kept is None:
            if len(self._hats) >= _TABLES:
                self._hats.clear()
            wide = continuous.vonmises_hat(self.xp, torch.tensor(kappa, dtype=torch.float64,
                                                                 device=self.device))
            hat = wide if dtype is torch.float64 else continuous.vonmises_hat(
                self.xp, torch.tensor(kappa, dtype=dtype, device=self.device))
            kept = self._hats[(kappa, dtype)] = (hat, tuple(c.item() for c in wide))
        return kept

    def _vonmises_rest(self, count, dtype, hat, uniforms):
        """``count`` accepted angles from the generic loop on a Threefry stream keyed by the
        top 24 bits of each of three ``uniforms`` (floats; float32 holds 24, float64 53)."""
        from .torch_threefry import TorchThreefrySource

        word = 0
        for u in uniforms:
            word = word << 24 | int(u * 2**24)
        key = (word >> 40 & 0xFFFFFFFF, word >> 8 & 0xFFFFFFFF)
        stream = TorchThreefrySource(self.xp, self.device, key)
        like = torch.zeros((count,), dtype=dtype, device=self.device)
        return continuous.vonmises_angles(stream, (count,), dtype, hat, like)

    # zipf with a Python-number a (on the CPU): the head of the law, 1 to K
    # (K at most _TABLE_LENGTH - 1), by the same table inversion, and the rare
    # rest (P(X > K) at most _ZIPF_TAIL, 3e-4 for a = 2) marked K + 1 in the
    # table and drawn by the generic sampler's proposals confined to the tail
    # (discrete.zipf_tail), as many as there are marks, put where they are.
    # Several kernels where the tail shows: zipf holds the lock (not in
    # _LOCK_FREE). Two or three kernels and a read of the largest count (a
    # CPU scalar) where the generic rejection loop takes tens: 340 us small.
    def zipf(self, shape, dtype, a):
        if type(a) in _SCALARS and self._tabled:
            top = int(_largest_count(dtype, torch.float64))  # the generic truncation
            kept = self._tables.get(("zipf", a, top))
            if kept is None:
                kept = self._zipf_table(a, top)
            if kept is not False:
                table, tail = kept
                k = self._counts(shape, torch.int64, table)
                if tail is not None and math.prod(shape):
                    if (k.item() if not shape else int(k.max())) > tail:
                        # as many tail values as marks: i.i.d. given the tail
                        marked = k > tail
                        rest = discrete.zipf_tail(self, (int(marked.sum()),), dtype, a, tail + 1)
                        k[marked] = rest.to(torch.int64)
                return k if dtype is torch.int64 else k.to(dtype)  # all <= top
        return super().zipf(shape, dtype, a)

    def _zipf_table(self, a, top):
        """``(table, tail)`` for zipf(a) truncated to ``top``, kept; False: no table."""
        key = ("zipf", a, top)
        made = _zipf_cdf(a, top)
        kept = False
        if made is not None:
            cdf, tail = made
            kept = (self._table(key, lambda: (1, cdf)), tail)
        self._tables[key] = kept  # over what _table kept: the tail's mark with it
        return kept

    # --- multinomial: a small draw's n trials each a categorical draw, by the
    # same inversion: one uniform per trial as its 53 bits, its category the
    # number of thresholds ceil(min(p_0 + ... + p_j, 1) 2**53), j < k - 1, at or
    # below it (so the last category is what the others leave, as in NumPy, and
    # none past the sum's reaching 1), the counts added up per category. One
    # random kernel where the generic sampler makes k - 1 binomials (tens of
    # kernels) under the lock.
    #
    # Fewer outcomes (at most _JOINT_OUTCOMES), the usual small case: the
    # joint law of those trials itself, tabulated (_multinomial_joint), one
    # categorical index per draw (_categorical: one kernel) and the outcome
    # it names, where the trials take a kernel per step (five).
    def multinomial(self, shape, dtype, n, pvals):
        batch = shape[:-1]
        if type(n) is int and pvals.ndim == 1 and self._tabled:
            joint = self._kept_for(pvals, _multinomial_joint, n)
            if joint is not None:
                weights, outcomes = joint
                out = outcomes[self._categorical(batch, weights)]
                return out if dtype is torch.int64 else out.to(dtype)
            if n * math.prod(batch) <= _CATEGORICAL_TRIALS:
                trials = torch.randint(_UNIT, (*batch, n), generator=self.gen,
                                       device=self.device)
                thresholds = self._kept_for(pvals, _category_thresholds)
                category = torch.bucketize(trials, thresholds, right=True)
                counts = torch.zeros(shape, dtype=torch.int64, device=self.device)
                counts.scatter_add_(-1, category, torch.ones_like(category))
                return counts if dtype is torch.int64 else counts.to(dtype)
        with self.lock:  # the generic sampler: see the class docstring
            return super().multinomial(shape, dtype, n, pvals)

    def multivariate_normal(self, shape, dtype, mean, factor):
        # the generic sampler's mean + Z factor^T as one BLAS call: addmv for
        # one draw, linear (Z factor^T + mean, no transposed view made) for a
        # batch, 5.4 us at 10 x 2 where addmm and factor.T took 6.5, and 3.2
        # against its 6.4 for one (a 26 us small draw in 10-15 us); one random
        # kernel either way
        if (math.prod(shape) and mean.ndim == 1 and factor.ndim == 2
                and mean.dtype == dtype and factor.dtype == dtype):
            z = torch.randn(shape, generator=self.gen, dtype=dtype, device=self.device)
            if len(shape) == 1:
                return torch.addmv(mean, factor, z)
            return torch.nn.functional.linear(z, factor, mean)
        return super().multivariate_normal(shape, dtype, mean, factor)

    # --- multivariate_hypergeometric ("marginals", a few items drawn): colour j
    # gets Hypergeometric(colors[j], the later colours, items left), as the
    # generic sampler draws it, each by table inversion: the tables of every
    # (j, items left) made once per colors (_mvhg_tables), laid end to end
    # on one axis, table t's thresholds shifted by t 2**53, so that one
    # bucketize of u + t 2**53 inverts each element's own table. One random
    # kernel (a uniform per colour) where the generic sampler makes k - 1
    # hypergeometrics of tens of kernels each, under the lock.
    #
    # Fewer ways of drawing (at most _JOINT_OUTCOMES), the usual small case:
    # the joint law itself, tabulated (_mvhg_joint), one categorical index per
    # draw (_categorical: one kernel) and the outcome it names.
    def multivariate_hypergeometric(self, shape, dtype, colors, nsample, *, method,
                                    total=None):
        k = shape[-1]
        if (method == "marginals" and type(nsample) is int and colors.ndim == 1 and k >= 2
                and self._tabled):
            batch = shape[:-1]
            joint = self._kept_for(colors, _mvhg_joint, nsample)
            if joint is not None:
                weights, outcomes = joint
                out = outcomes[self._categorical(batch, weights)]
                return out if dtype is torch.int64 else out.to(dtype)
            if (k - 1) * (nsample + 1) <= _MVHG_TABLES:
                boundaries, base = self._kept_for(colors, _mvhg_tables, nsample)
                uniforms = torch.randint(_UNIT, (k - 1, *batch), generator=self.gen,
                                         device=self.device)
                left = torch.full(batch, nsample, dtype=torch.int64, device=self.device)
                counts = []
                for j, u in enumerate(uniforms.unbind(0)):
                    table = left + j * (nsample + 1)
                    x = torch.bucketize(table * _UNIT + u, boundaries,
                                        right=True).add_(base[table])
                    counts.append(x)
                    left = left - x
                counts.append(left)
                out = torch.stack(counts, dim=-1)
                return out if dtype is torch.int64 else out.to(dtype)
        with self.lock:  # the generic sampler: see the class docstring
            return super().multivariate_hypergeometric(shape, dtype, colors, nsample,
                                                       method=method, total=total)

    def _kept_for(self, x, make, *args):
        """``make(x, *args)``, kept per tensor ``x`` (and args) while ``x`` is the same, unchanged.

        The quick path hands over the same kept parameter tensor on every call.
        A tensor's ``_version`` counts its in-place changes: one changed since
        is a new entry. The entry holds the tensor, so its id is not reused.
        An inference tensor (made under ``torch.inference_mode``) has no
        version counter: it is not kept.
        """
        key = (id(x), make, args)
        kept = self._per_tensor.get(key)
        if kept is not None and kept[0] is x and kept[1] == x._version:
            return kept[2]
        made = make(x, *args)
        if not x.is_inference():
            if len(self._per_tensor) >= _TABLES:
                self._per_tensor.clear()
            self._per_tensor[key] = (x, x._version, made)
        return made

    def _kept_table(self, key, cdf, *params):
        """``_table``'s thresholds for ``key``, made once; False where ``cdf`` gives None."""
        table = self._tables.get(key)
        if table is None:
            table = self._table(key, cdf, *params)
        return table

    def _invert(self, shape, dtype, key, cdf, *params):
        """Counts ``k`` of ``shape`` with ``P(k) = cdf(*params)[k] - cdf(*params)[k - 1]``.

        The table is made once per parameters (a few dozen entries) and kept
        on this source, at most _TABLES of them.
        """
        return self._counts(shape, dtype, self._kept_table(key, cdf, *params))

    def _counts(self, shape, dtype, table):
        """Counts of ``shape`` by inversion of a kept ``table`` (``_table``'s).

        A table with weights (counts from 0), for a small draw: one
        categorical kernel (``_categorical``). Else how many thresholds lie at
        or below one 53-bit uniform per element, two kernels: u is the 53
        bits torch.rand's float64 uniform is made of (its low 53 bits of one
        64-bit word), as an integer: the same words, and a cheaper call than
        torch.rand's. right=True: the count of entries <= u, so P(k) is
        exactly the width of [t[k-1], t[k]).
        """
        weights, thresholds, first = table
        if weights is not None and math.prod(shape) <= _CATEGORICAL_DRAWS:
            k = self._categorical(shape, weights)
        else:
            # written here, not as a method of its own: a Python call less
            # takes torch geometric(10) from 8.0 to 7.7 us (medians over 8
            # alternated benchmark runs); the counts are written over the
            # uniforms (each from its own element): no second int64 tensor
            # made, 0.85 us of a small draw's 6.8
            u = torch.randint(_UNIT, shape, generator=self.gen, device=self.device)
            k = torch.bucketize(u, thresholds, right=True, out=u)
        if first is not None:
            k.add_(first)
        return k if dtype is torch.int64 else _narrow_counts(k, dtype)

    def _categorical(self, shape, weights):
        """Indices of ``shape``, each ``i`` with probability ``weights[i] / weights.sum()``.

        torch.multinomial with replacement, one kernel: per index one float64
        uniform u (the low 53 bits of a 64-bit word, as torch.rand's), the
        first i whose normalised cumulative weight is >= u (weights that
        _inversion_weights made: integers summing to 2**53, so every sum and
        the normalisation are exact). It takes one index at least two at a
        time: a single one goes another way (an exponential race, 26 against
        4 us), so a lone index is the first of two.
        """
        n = math.prod(shape)
        if n >= 2:
            k = torch.multinomial(weights, n, True, generator=self.gen)
            return k if len(shape) == 1 else k.view(shape)
        if n == 1:
            return torch.multinomial(weights, 2, True, generator=self.gen).resize_(shape)
        return torch.empty(shape, dtype=torch.int64, device=self.device)

    def _table(self, key, cdf, *params, tables=None):
        """``cdf(*params)`` as a table for ``_counts``, kept under ``key`` in ``tables``
        (default: the Poisson and binomial ones).

        The cdf's entries ``c`` become thresholds ``ceil(c * 2**53)``
        (``_counts``) and, for counts from 0, the weights of
        ``_inversion_weights`` too (``_categorical``, for a small draw): a kept
        table is ``(weights or None, thresholds, first to add or None)``. A
        cdf may give None (no table: False is kept), or ``(first, cdf)`` for
        counts that start at ``first``.
        """
        if tables is None:
            tables = self._tables
        if len(tables) >= _TABLES:
            tables.clear()
        values = cdf(*params)
        if values is None:  # no table for these parameters
            tables[key] = False
            return False
        first = 0
        if type(values) is tuple:
            first, values = values
        # c * 2**53 is exact (a power-of-two scaling of a float64 in [0, 1])
        thresholds = [min(math.ceil(c * _UNIT), _UNIT) for c in values]
        weights, start = _inversion_weights(thresholds, first)
        # bucketize counts ``first`` leading 0 thresholds (far from 0, an add_
        # does: a hypergeometric's, of a 0-d tensor, 2 us where an int takes 3)
        near = first <= _TABLE_LENGTH
        below = torch.tensor([0] * first + thresholds if near else thresholds,
                             dtype=torch.int64, device=self.device)
        table = (None, below, None if near else torch.tensor(first, device=self.device))
        if start == 0:
            # counts from 0: torch.multinomial, one kernel (a small draw's way);
            # from 1 or a few on (geometric, logseries, zipf) it would need an
            # add_ (2.6 us), and a lone count a resize_ too (1.8): bucketize's
            table = (torch.tensor(weights, dtype=torch.float64, device=self.device), below, None)
        tables[key] = table
        return table


#: the samplers that are one random kernel, or hold the source's lock around
#: several (see TorchSource): their draws skip the backend's lock. uniform,
#: normal, exponential: torch's routine or one tensor drawn and scaled;
#: binomial and poisson: a table's one uniform draw or torch's routine. The
#: next six are generic samplers whose randomness is one primitive call
#: (random, standard_exponential or standard_normal: one kernel here) and
#: arithmetic, whatever the parameters (no branch, no redraw); gumbel,
#: logistic and laplace are TorchSource's own, of one kernel; beta, f and
#: dirichlet are generic, and draw only TorchSource.log_gamma_parts: one
#: kernel, or (a larger draw) two under the lock. wald, standard_t,
#: noncentral_chisquare, noncentral_f (one stacked gamma kernel), negative_binomial,
#: logseries, hypergeometric (a table), multinomial (categorical trials) and
#: multivariate_hypergeometric (tables), chisquare (torch's gamma) and vonmises
#: (proposals in one kernel, the rare rest on a Threefry stream) are
#: TorchSource's own for a usual small draw, and hold the lock around the
#: generic sampler otherwise.
_LOCK_FREE = frozenset((
    "random", "standard_normal", "standard_exponential", "uniform", "normal", "exponential",
    "lognormal", "standard_cauchy", "standard_gamma", "gamma", "integers",
    "permutation_indices", "poisson", "binomial", "geometric",
    "pareto", "power", "rayleigh", "weibull", "triangular", "multivariate_normal",
    "gumbel", "logistic", "laplace", "beta", "f", "dirichlet",
    "wald", "standard_t", "noncentral_chisquare", "noncentral_f",
    "negative_binomial", "logseries", "hypergeometric", "multinomial",
    "multivariate_hypergeometric", "chisquare", "vonmises"))

_UNIT = 2**53  # torch.rand's float64 uniforms are multiples of 2**-53: u / _UNIT
#: half the grid step of torch.rand's uniforms (multiples of 2**-53 in float64,
#: of 2**-24 in float32), for TorchSource._open_uniform
_HALF_STEP = {torch.float64: 2.0**-54, torch.float32: 2.0**-25}
# the largest draws made the small-draw way, by timings on the CPU (float64):
# one stacked gamma kernel against gamma + exponential_ (14 against 12 us at 10
# elements, without the lock the latter needs; 124 against 87 at 1000), and
# laplace's exponential pair against its uniform (20 against 47 us at 10, 65
# at 1000 both, 468 against 224 at 10**4)
_STACKED_GAMMAS = 64
#: the largest vonmises draw made the small-draw way, and its proposals per
#: value: Best-Fisher accepts at least 65% at any kappa (65.7% measured as
#: kappa grows, 10**6 proposals each), so 8 all fail with probability below
#: 0.35**8 = 2.3e-4
_SMALL_VONMISES = 64
_PROPOSALS = 8
#: the least gamma shape beta, f and dirichlet draw from the stacked kernel:
#: E / shape stays far from float32's range
_TINY_SHAPE = 1e-30
_EXPONENTIAL_PAIRS = 1024
#: the most trials (n times the batch size) a multinomial draws one by one; the
#: generic binomials, about 100 us each at any n, beyond
_CATEGORICAL_TRIALS = 4096
#: the largest table draw made by torch.multinomial; bucketize beyond, which is
#: the faster past about 1000 (a Poisson table: 29.6 against 30.2 us at 1000,
#: 261 against 210 at 10**4; 3.9 against 6.2 at 10)
_CATEGORICAL_DRAWS = 1024
#: the most tables (colours - 1 times nsample + 1) a multivariate_hypergeometric
#: inverts against, shifted by 2**53 each within int64 (1023 at most)
_MVHG_TABLES = 512
#: the most outcomes a multinomial or multivariate_hypergeometric tabulates
#: jointly: torch.multinomial reads every weight per call (7.5 against 3.9 us
#: at 2048 against 12)
_JOINT_OUTCOMES = 1024
#: nor more than this many items (trials) drawn: see _ways
_JOINT_ITEMS = 64
_TABLE_MEAN = 10.0  # poisson lam, binomial n min(p, 1 - p) below this: table inversion
_TABLE_TAIL = 2.0**-64  # a table ends past the mean where a term drops below this
_TABLES = 64  # tables kept per source
_TABLE_TAIL_LOG = math.log(_TABLE_TAIL)
#: the most mass past a zipf table (its tail, drawn by rejection): a = 1.5's is 1.7%
_ZIPF_TAIL = 0.05
_TABLE_LENGTH = 2048  # the most entries of a geometric table, which sets the smallest p:
_GEOMETRIC_TABLE_P = -math.expm1(_TABLE_TAIL_LOG / (_TABLE_LENGTH - 2))  # 0.0214


def _inversion_weights(thresholds: list[int], first: int) -> tuple[list[int], int]:
    """torch.multinomial weights that invert ``thresholds`` as ``bucketize`` would.

    ``thresholds``: nondecreasing integers in [0, 2**53]; the count of a
    53-bit uniform ``u`` is ``first`` plus the number of thresholds ``<= u``.
    torch.multinomial takes the first index ``i`` whose cumulative weight,
    over the sum, is ``>= u * 2**-53`` (u = 0 takes index 0, whatever its
    weight). So: leading 0 thresholds (always counted) move into ``first``;
    index ``i`` gets the cumulative weight ``t_i - 1`` (weights ``t_0 - 1``,
    ``t_1 - t_0``, ...); a last threshold below 2**53 is followed by 2**53 (the
    count past the table, as bucketize gives it); and a last weight 1, never
    drawn, brings the sum to 2**53. Every partial sum is then an integer below
    2**53 and the normalisation a power of two: exact in float64, and each
    count comes out as bucketize's (tests/test_fast_paths.py draws both from
    one state).
    """
    lead = 0
    while lead < len(thresholds) and thresholds[lead] == 0:  # P = 0: never drawn
        lead += 1
    t = thresholds[lead:]
    if not t or t[-1] < _UNIT:
        t.append(_UNIT)
    return [t[0] - 1] + [b - a for a, b in zip(t, t[1:])] + [1], first + lead


def _zipf_rest(a: float, n: int) -> float:
    """``sum(k**-a for k >= n)`` by Euler-Maclaurin, for ``n >= _TABLE_LENGTH`` (the next
    term, of order a**7 n**(-a-7) / 1.2e6, is below 1e-16 of the sum there)."""
    return (n ** (1 - a) / (a - 1) + n**-a / 2 + a * n ** (-a - 1) / 12
            - a * (a + 1) * (a + 2) * n ** (-a - 3) / 720
            + a * (a + 1) * (a + 2) * (a + 3) * (a + 4) * n ** (-a - 5) / 30240)


def _zipf_cdf(a: float, top: int) -> tuple[list[float], int | None] | None:
    """``(cdf, tail)``: Zipf(a) on 1..top, the cdf at 1, 2, ..., K, then 1.0.

    ``tail`` None: K + 1 is the last value, the rest beyond it below 2**-64
    (or past ``top``, where the law is truncated). ``tail`` K: the entry K + 1
    stands for every value past K (the caller draws those), of total mass
    P(K < X <= top), computed with _zipf_rest. None (no table) for an ``a``
    not above 1 or a tail over _ZIPF_TAIL. The partial sums are compensated
    (Kahan): 2047 terms summed plainly would lose 2e-13.
    """
    if not 1 < a < math.inf:
        return None
    total = compensation = 0.0
    sums = []
    for k in range(1, min(_TABLE_LENGTH, top) + 1):
        y = k**-a - compensation
        t = total + y
        compensation = (t - total) - y
        total = t
        sums.append(total)
        # the rest is at most the integral of x**-a from k: negligible, or nothing left
        if k == top or k ** (1 - a) / (a - 1) < _TABLE_TAIL * total:
            return [c / total for c in sums[:-1]] + [1.0], None
    k = len(sums)
    rest = _zipf_rest(a, k + 1) - _zipf_rest(a, top + 1)
    whole = total + rest
    if rest > _ZIPF_TAIL * whole:
        return None
    return [c / whole for c in sums] + [1.0], k


def _poisson_cdf(lam: float) -> list[float]:
    """The Poisson(lam) cdf at 0, 1, ..., up to where the rest is below 2**-64 (lam < 10)."""
    term = math.exp(-lam)
    total, k, cdf = term, 0, [term]
    while k <= lam or term > _TABLE_TAIL:  # past the mode the terms fall geometrically
        k += 1
        term *= lam / k
        total += term
        cdf.append(total)
    cdf[-1] = max(total, 1.0)  # the tail beyond (< 2**-60) goes to the last count
    return cdf


def _geometric_cdf(p: float) -> list[float]:
    """0, then the Geometric(p) cdf at 1, 2, ..., up to where the rest is below 2**-64.

    The leading 0: the number of entries ``<= u`` is then the count itself
    (u in [cdf[k-1], cdf[k]) gives k), for ``p >= _GEOMETRIC_TABLE_P``.
    """
    log_q = math.log1p(-p) if p < 1 else -math.inf
    cdf, k = [0.0], 0
    while True:
        k += 1
        cdf.append(-math.expm1(k * log_q))  # 1 - (1 - p)**k, exact to rounding
        if k * log_q < _TABLE_TAIL_LOG:
            break
    cdf[-1] = 1.0  # the tail beyond (< 2**-64) goes to the last count
    return cdf


def _dirichlet_plan(alpha, shape, dtype):
    """``(shapes, -1 / alpha)`` of TorchSource.dirichlet for ``alpha``, or None.

    ``shapes``: (2, *shape), max(alpha, alpha + 1) over Gamma(1)'s, in ``dtype``;
    ``-1 / alpha`` where alpha < 1 (the boost), 0 elsewhere, -inf for alpha 0
    (that component is 0). None (the generic sampler) unless every alpha is 0
    or in [_TINY_SHAPE, a quarter of the dtype's range] and one is not 0.
    """
    a = alpha.to(dtype)
    top = _FLOAT_MAX[dtype] / 4
    if not bool((((a >= _TINY_SHAPE) & (a <= top)) | (a == 0)).all() & (a > 0).any()):
        return None
    small = a < 1
    shapes = torch.stack((torch.where(small, a + 1, a), torch.ones_like(a)))
    shapes = shapes.reshape((2,) + (1,) * (len(shape) - 1) + a.shape).expand((2, *shape))
    neg_inverse = torch.where(small, -1 / torch.where(a > 0, a, 1.0), 0.0)
    neg_inverse = torch.where(a == 0, -math.inf, neg_inverse).expand(shape)
    return shapes.contiguous(), neg_inverse.contiguous()


def _ways(n: int, caps: list[int]) -> list[tuple[int, ...]] | None:
    """Every ``(x_0, ..., x_k-1)`` with sum ``n`` and ``0 <= x_j <= caps[j]``, in
    lexicographic order; None past _JOINT_OUTCOMES of them (or none at all), or
    for an ``n`` past _JOINT_ITEMS: the weights' integers (n!, d**x, C(c, x))
    then stay small (one way of drawing 10**6 items would take n! of 10**6, a
    multinomial of 1000 trials 0.3 s to tabulate).
    """
    k = len(caps)
    # no way at all (math.comb below refuses a negative count), or too many items
    if not 0 <= n <= min(sum(caps), _JOINT_ITEMS):
        return None
    # the number of ways is at most each of these; enumerated only if one is small
    bound = min(math.comb(n + k - 1, k - 1), math.comb(sum(caps) - n + k - 1, k - 1),
                math.prod(min(c, n) + 1 for c in caps))
    if bound > _JOINT_OUTCOMES:
        return None
    later = [sum(caps[j:]) for j in range(k + 1)]  # room in part j and after
    ways = []

    def walk(j, left, prefix):
        if j == k - 1:
            ways.append(prefix + (left,))  # left <= caps[-1]: the lower end below
            return
        for x in range(max(0, left - later[j + 1]), min(caps[j], left) + 1):
            walk(j + 1, left - x, prefix + (x,))

    walk(0, n, ())
    return ways


def _joint_table(outcomes, weights, denominator, device):
    """``(weights, outcomes)`` tensors for ``_categorical``: outcome i drawn with
    probability ``weights[i] / denominator`` (positive integers summing to it).

    Each threshold ceil(cdf 2**53) is computed in integers, exactly; none is
    0, so the categorical index is the outcome's row.
    """
    cumulative, thresholds = 0, []
    for w in weights:
        cumulative += w
        thresholds.append(-(-cumulative * _UNIT // denominator))  # ceil, exact
    inverse, first = _inversion_weights(thresholds, 0)
    assert first == 0  # every weight is positive: no leading 0 threshold
    return (torch.tensor(inverse, dtype=torch.float64, device=device),
            torch.tensor(outcomes, dtype=torch.int64, device=device))


def _mvhg_joint(colors, nsample):
    """The multivariate hypergeometric's joint law as ``_joint_table``'s pair, or None
    past _JOINT_OUTCOMES ways of drawing.

    Way x has probability prod_j C(colors[j], x_j) / C(total, nsample): an
    exact integer ratio.
    """
    values = [int(c) for c in colors.tolist()]
    ways = _ways(nsample, values)
    if ways is None:
        return None
    weights = [math.prod(math.comb(c, x) for c, x in zip(values, row)) for row in ways]
    return _joint_table(ways, weights, math.comb(sum(values), nsample), colors.device)


def _multinomial_joint(pvals, n):
    """Multinomial(n, q)'s joint law as ``_joint_table``'s pair, or None past
    _JOINT_OUTCOMES outcomes.

    q: the categorical trials' own probabilities, ``d_j / 2**53`` with ``d_j``
    the widths between ``_category_thresholds`` (the last category what the
    others leave, none past a sum of 1, as NumPy). Outcome x has probability
    n! / prod x_j! prod d_j**x_j / 2**(53 n): an exact integer ratio, so the
    joint table draws what n trials would, to the final 2**-53 rounding.
    """
    edges = [0] + _category_thresholds(pvals).tolist() + [_UNIT]
    widths = [b - a for a, b in zip(edges, edges[1:])]
    ways = _ways(n, [n if d else 0 for d in widths])  # a category of width 0 stays empty
    if ways is None:
        return None
    # every factorial and power made once, by one multiplication each (a pow
    # per outcome took 0.4 s at n = 1000)
    factorials = list(itertools.accumulate(range(1, n + 1), operator.mul, initial=1))
    powers = [list(itertools.accumulate(itertools.repeat(d, n), operator.mul, initial=1))
              for d in widths]
    weights = []
    for row in ways:
        coefficient = factorials[n]
        for x in row:
            coefficient //= factorials[x]
        weights.append(coefficient * math.prod(p[x] for x, p in zip(row, powers)))
    return _joint_table(ways, weights, _UNIT**n, pvals.device)


def _mvhg_tables(colors, nsample):
    """``(boundaries, base)`` of TorchSource.multivariate_hypergeometric.

    Table ``t = j (nsample + 1) + left`` is Hypergeometric(colors[j], colours
    after j, left)'s (``_hypergeometric_cdf``; a left beyond the items there
    never occurs, and gets the table of drawing them all). Its thresholds, shifted by
    ``t 2**53``, follow the earlier tables' in ``boundaries``; a uniform u < 2**53
    of table t lies above all of those and below the later ones, so the count
    is the number of boundaries <= u + t 2**53, plus ``base[t]``: the table's
    first count less the number of boundaries before it.
    """
    values = [int(c) for c in colors.tolist()]
    boundaries, base = [], []
    for j in range(len(values) - 1):
        later = sum(values[j + 1:])
        for left in range(nsample + 1):
            t = len(base)
            first, cdf = _hypergeometric_cdf(values[j], later, min(left, values[j] + later))
            base.append(first - len(boundaries))
            boundaries += [t * _UNIT + math.ceil(c * _UNIT) for c in cdf]
    device = colors.device
    return (torch.tensor(boundaries, dtype=torch.int64, device=device),
            torch.tensor(base, dtype=torch.int64, device=device))


def _category_thresholds(pvals):
    """multinomial's thresholds ``ceil(min(p_0 + ... + p_j, 1) 2**53)``, j < k - 1, as int64."""
    # in pvals' float64: times 2**53 and ceil are exact
    cumulative = torch.cumsum(pvals[:-1], 0).clamp_(max=1.0)
    return torch.ceil(cumulative * _UNIT).to(torch.int64)


def _tail_bound(term: float, ratio: float) -> float:
    """The sum of the terms after ``term`` where each is at most ``ratio`` (< 1) times the last."""
    return term * ratio / (1 - ratio) if ratio < 1 else math.inf


def _negative_binomial_cdf(n: float, p: float) -> list[float] | None:
    """The NB(n, p) cdf at 0, 1, ... (failures before the n-th success), or None past
    _TABLE_LENGTH entries.

    The term ratio ``(k + n) / (k + 1) (1 - p)`` falls towards ``1 - p`` from above
    for n > 1 and rises towards it from below for n < 1: the larger of the two
    bounds every later ratio, so the table ends where the rest is below 2**-64.
    """
    q = 1.0 - p
    term = math.exp(n * math.log(p))  # P(0) = p**n
    if term < _TABLE_TAIL:  # a mean far out: a table would not fit
        return None
    total, k, cdf = term, 0, [term]
    while True:
        ratio = (k + n) / (k + 1) * q
        if ratio < 1 and _tail_bound(term, max(ratio, q)) < _TABLE_TAIL:
            break
        term *= ratio
        k += 1
        total += term
        cdf.append(total)
        if len(cdf) > _TABLE_LENGTH:
            return None
    cdf[-1] = max(total, 1.0)  # the tail beyond (< 2**-64) goes to the last count
    return cdf


def _logseries_cdf(p: float) -> list[float] | None:
    """0, then the Logseries(p) cdf at 1, 2, ..., or None past _TABLE_LENGTH entries.

    ``P(k) = -p**k / (k log(1 - p))``: each term is less than p times the last.
    The leading 0 makes the count of entries ``<= u`` the value itself, as in
    ``_geometric_cdf``. p = 0 is all ones (NumPy's limit).
    """
    if p == 0:
        return [0.0, 1.0]
    term = -p / math.log1p(-p)  # P(1)
    total, k, cdf = term, 1, [0.0, term]
    while _tail_bound(term, p) >= _TABLE_TAIL:
        term *= p * k / (k + 1)
        k += 1
        total += term
        cdf.append(total)
        if len(cdf) > _TABLE_LENGTH:
            return None
    cdf[-1] = max(total, 1.0)
    return cdf


def _hypergeometric_cdf(good: int, bad: int, sample: int) -> tuple[int, list[float]] | None:
    """``(first, cdf)``: the Hypergeometric cdf at first, first + 1, ... (first near the mode).

    The terms are made from the mode outwards by their exact ratios (integer
    products, one rounding each) and normalised by their sum; the distribution
    is log-concave, so each side ends where the rest is below 2**-64 of the
    mode's term. The counts left out on either side have less than that mass
    (given to the first and last kept); None past _TABLE_LENGTH entries.
    """
    low, high = max(0, sample - bad), min(sample, good)
    mode = min(max((sample + 1) * (good + 1) // (good + bad + 2), low), high)
    up, term, k = [], 1.0, mode
    while k < high:
        ratio = (good - k) * (sample - k) / ((k + 1) * (bad - sample + k + 1))
        if ratio < 1 and _tail_bound(term, ratio) < _TABLE_TAIL:
            break
        term *= ratio
        k += 1
        up.append(term)
        if len(up) >= _TABLE_LENGTH:
            return None
    down, term, k = [], 1.0, mode
    while k > low:
        ratio = k * (bad - sample + k) / ((good - k + 1) * (sample - k + 1))
        if ratio < 1 and _tail_bound(term, ratio) < _TABLE_TAIL:
            break
        term *= ratio
        k -= 1
        down.append(term)
        if len(up) + len(down) >= _TABLE_LENGTH:
            return None
    terms = down[::-1] + [1.0] + up
    whole = math.fsum(terms)
    cdf, total = [], 0.0
    for t in terms:
        total += t
        cdf.append(total / whole)
    cdf[-1] = 1.0
    return mode - len(down), cdf


def _narrow_counts(k, dtype):
    """A table's int64 counts as ``dtype``, the few past its maximum saturated.

    A table holds at most _TABLE_LENGTH counts, so only int8's maximum can be
    passed (a geometric, negative binomial or logseries table; Poisson and
    binomial tables end below it or at ``n``, and a hypergeometric count fits,
    both of which the facade has checked).
    """
    top = torch.iinfo(dtype).max
    return (k.clamp_max_(top) if top < _TABLE_LENGTH else k).to(dtype)


def _binomial_cdf(n: int, p: float) -> list[float]:
    """The Binomial(n, p) cdf at 0, 1, ..., for ``p <= 0.5`` and ``n p < 10``."""
    term = math.exp(n * math.log1p(-p)) if p < 1 else 0.0
    odds = p / (1 - p) if p < 1 else 0.0
    total, k, cdf = term, 0, [term]
    while k < n and (k <= n * p or term > _TABLE_TAIL):
        term *= (n - k) / (k + 1) * odds
        k += 1
        total += term
        cdf.append(total)
    cdf[-1] = max(total, 1.0)
    return cdf


def _to_counts(x, dtype):
    """Non-negative integral floats to ``dtype``, saturating as ``discrete.to_counts``, in place."""
    return x.clamp_(max=_largest_count(dtype, x.dtype)).to(dtype)


@functools.cache
def _largest_count(dtype, fdtype) -> float:
    return discrete.float_at_most(torch, int(torch.iinfo(dtype).max), fdtype)


class TorchBackend(Backend):
    name = "torch"
    # reentrant: a sampler drawn under it may call one of the sources'
    # samplers that takes it again (see TorchSource)
    lock_type = threading.RLock

    def __init__(self, xp, device, seed):
        super().__init__(xp, device, seed)
        self.gens: dict[str, torch.Generator] = {}
        self._sources: dict = {}  # device -> TorchSource, kept through set_state
        if isinstance(seed, torch.Generator):
            self.gens[str(seed.device)] = seed
            seed = np.random.SeedSequence(seed.initial_seed())
        self.seed_seq = seed

    @classmethod
    def accepts_native_seed(cls, seed) -> bool:
        return isinstance(seed, torch.Generator)

    @classmethod
    def threefry_seed(cls, seed):
        # the portable stream cannot continue a torch.Generator's stream: 128
        # bits drawn from it seed it instead, as from a numpy.random.Generator
        if isinstance(seed, torch.Generator):
            words = torch.randint(0, 2**32, (4,), generator=seed, dtype=torch.int64,
                                  device=seed.device)
            return np.random.SeedSequence(words.tolist())
        return seed

    @classmethod
    def _portable(cls):
        from .generic import portable_class
        from .torch_threefry import TorchThreefrySource
        return portable_class(cls, TorchThreefrySource)

    def generator(self, device) -> torch.Generator:
        name = str(device)
        gen = self.gens.get(name)
        if gen is None:
            words = self.seed_seq.generate_state(4, np.uint32).tolist()
            seed = np.random.SeedSequence(words + [zlib.crc32(name.encode())])
            gen = torch.Generator(device=device)
            gen.manual_seed(int(seed.generate_state(1, np.uint64)[0]))
            self.gens[name] = gen
        return gen

    def _source(self, device) -> TorchSource:
        """The device's source, made once (under the lock: two threads must not
        both create a device's generator, two equal streams)."""
        src = self._sources.get(device)
        if src is None:
            with self._lock:
                src = self._sources.get(device)
                if src is None:
                    src = TorchSource(self.xp, device, self.generator(device), self._lock)
                    self._sources[device] = src
        return src

    def draw(self, name, shape, dtype, device, *params, **static):
        # one source per device, kept: str(device) and a new object per draw
        # are a good part of a small draw's cost
        sampler = getattr(self._source(device), name)
        if name in _LOCK_FREE:  # see TorchSource
            return sampler(shape, dtype, *params, **static)
        # the whole draw under the lock (SPEC K8), as numpy.random.Generator
        # holds its BitGenerator's: no state read between its kernels
        with self._lock:
            return sampler(shape, dtype, *params, **static)

    def drawer(self, name, dtype, device):
        sampler = getattr(self._source(device), name)  # set_state keeps the source
        if name in _LOCK_FREE:
            return sampler
        return locked(sampler, self._lock)  # as draw does it

    def spawn(self, n):
        with self._lock:
            children = self.seed_seq.spawn(n)
        return [TorchBackend(self.xp, self.device, child) for child in children]

    def entropy(self):
        return self.seed_seq.generate_state(4, np.uint32).tolist()

    def get_state(self):
        with self._lock:
            return {"seed_seq": self.seed_seq,
                    "generators": {name: g.get_state() for name, g in self.gens.items()}}

    def set_state(self, state):
        gens = {}
        for name, gstate in state["generators"].items():
            gen = torch.Generator(device=name)
            gen.set_state(gstate)
            gens[name] = gen
        with self._lock:
            self.seed_seq, self.gens = state["seed_seq"], gens
            # the same sources, each on its restored generator (or the fresh one
            # of the restored seed): the facade's drawers are bound to them
            for device, src in self._sources.items():
                src.gen = self.generator(device)

    def take(self, x, indices, axis):
        # array_api_compat's take first maps negative indices (a torch.where):
        # most of a small permutation's cost, and drawn indices have none
        return torch.index_select(x, axis, indices)

    # A permutation along one axis: torch.randperm on x's device, as
    # permutation_indices draws it (int64, one kernel: no lock, see
    # TorchSource), without the facade's way there (~1 us of a small
    # shuffle); and copy_, 0.5 us cheaper than x[...] = for the write back.
    def shuffle(self, x, axis, indices):
        x.copy_(torch.index_select(x, axis, self._permutation(x, x.shape[axis])))

    def permuted(self, x, axis, indices):
        if x.ndim == 1:  # axis None or 0: one permutation
            return torch.index_select(x, 0, self._permutation(x, x.shape[0]))
        return super().permuted(x, axis, indices)

    def _permutation(self, x, n):
        src = self._source(x.device)
        return torch.randperm(n, generator=src.gen, device=src.device)

    def bytes(self, n):
        # the generic draw's very call; torch's own host copy, 3 us cheaper than DLPack
        values = self._source(self.device).integers((n,), torch.uint8, 0, 255)
        return values.cpu().numpy().tobytes()

    def device_of(self, x):
        return x.device  # what array_api_compat.device returns, 2 us sooner

    def check_device(self, device):
        try:
            return torch.device(device)
        except (RuntimeError, TypeError) as exc:
            raise ValueError(f"{device!r} is not a torch device") from exc
