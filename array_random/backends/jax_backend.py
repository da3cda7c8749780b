"""JAX: a base key and a draw counter; every draw is one compiled call.

Draw ``c`` samples from ``fold_in(key, c)`` (see ``_keys``), so no key is used
twice and the JAX key-reuse checker stays silent. Eagerly the counter is a
Python int and each draw runs one jitted function ``(key, c, *params) ->
sample``, cached per (sampler, shape, dtype, placement): key derivation and
sampling cost one dispatch. Across ``jax.jit`` the Generator is a pytree whose
leaves are the key and a ``jax.Ref`` holding the counter, so the compiled
function advances the very counter that eager code would; flattening only
publishes the counter into that Ref, it never advances the stream.
"""
from __future__ import annotations

import functools
import math
import threading

import jax
import jax.numpy as jnp
import numpy as np

from .. import distributions
from ..distributions import discrete
from . import threefry
from ._base import Backend
from ._keys import SPAWN, check_counter, key_words_from_seed
from ._source import Source


class JaxSource(Source):
    """Randomness for one traced draw: primitive call ``i`` uses ``fold_in(key, i)``."""

    xp = jnp

    def __init__(self, key, device=None):
        self.key = key
        self.device = device
        self.calls = 0

    def _key(self):
        key = jax.random.fold_in(self.key, self.calls)
        self.calls += 1
        return key

    def bits(self, shape, width):
        key = self._key()
        n = math.prod(shape)
        if _UNROLL_FROM <= n < 2**32 and _unrolled_threefry(key):
            # jax.random.bits' own words, from the unrolled cipher in threefry.py:
            # JAX's CPU lowering runs the 20 rounds in a rolled loop, several
            # times slower (the counter layout is JAX's partitionable one).
            # Small draws keep JAX's: XLA:CPU splits the costlier unrolled loop
            # over threads from ~10 words on, a hand-off that costs more than
            # the cipher there.
            data = jax.random.key_data(key)
            words = threefry.counter_bits(jnp, (data[0], data[1]), n, width=width)
            return jnp.reshape(words, shape)
        return jax.random.bits(key, shape, jnp.uint32 if width == 32 else jnp.uint64)

    def _pairs(self, shape):
        """Two independent uint32 arrays of ``shape``: both words of one cipher block each.

        Half the cipher work of two ``bits(shape, 32)`` calls; one fresh key.
        """
        key = self._key()
        n = math.prod(shape)
        if _UNROLL_FROM <= n < 2**32 and _unrolled_threefry(key):
            data = jax.random.key_data(key)
            y0, y1 = threefry.counter_blocks(jnp, (data[0], data[1]), n)
            return jnp.reshape(y0, shape), jnp.reshape(y1, shape)
        words = jax.random.bits(key, (2,) + tuple(shape), jnp.uint32)
        return words[0], words[1]

    # --- discrete: fused, fixed-cost versions of the generic loops. XLA:CPU
    # runs a while_loop as one pass over the whole array per iteration, so a
    # search or rejection loop of many cheap iterations costs many passes; the
    # versions below do the common case in one fused pass and leave a loop
    # only for rare elements.
    def poisson(self, shape, dtype, lam):
        """Means below 10 by table inversion in one pass, larger ones by the generic PTRS."""
        if math.prod(jnp.shape(lam)) != 1 or math.prod(shape) == 0:
            return discrete.poisson(self, shape, dtype, lam)
        fdtype = discrete._real_dtype(self, lam)
        lam = jnp.reshape(jnp.asarray(lam, dtype=fdtype), ())

        def table(lam):
            with jax.enable_x64(True):
                lam = lam.astype(jnp.float64)
                j = jnp.arange(_TABLE, dtype=jnp.float64)
                log_pmf = j * jnp.log(jnp.where(lam > 0, lam, 1.0)) - lam - jax.lax.lgamma(j + 1)
                pmf = jnp.where((lam > 0) | (j == 0), jnp.exp(log_pmf), 0.0)
                return _thresholds(pmf)

        def ptrs(lam):
            lam = jnp.broadcast_to(jnp.maximum(lam, 10.0), shape)
            k = discrete._poisson_ptrs(self, shape, fdtype, lam, jnp.ones(shape, dtype=bool))
            return discrete.to_counts(jnp, k, dtype)

        return jax.lax.cond(lam < 10, lambda lam: self._invert(shape, dtype, table(lam)),
                            ptrs, lam)

    def binomial(self, shape, dtype, n, p):
        """``n min(p, 1-p)`` below 10 by table inversion in one pass, larger by the generic BTRS."""
        if (math.prod(jnp.shape(n)) != 1 or math.prod(jnp.shape(p)) != 1
                or math.prod(shape) == 0):
            return discrete.binomial(self, shape, dtype, n, p)
        fdtype = discrete._real_dtype(self, p)
        p = jnp.reshape(jnp.asarray(p, dtype=fdtype), ())
        n = jnp.reshape(jnp.asarray(n), ())
        flip = p > 0.5
        q = jnp.where(flip, 1 - p, p)
        nf = n.astype(fdtype)

        def table(nq):
            n, q = nq
            with jax.enable_x64(True):
                n, q = n.astype(jnp.float64), q.astype(jnp.float64)
                j = jnp.arange(_TABLE, dtype=jnp.float64)
                # pmf(j+1) / pmf(j), zero from j = n on: the support ends at n
                ratio = jnp.maximum(n - j, 0.0) / (j + 1) * (q / (1 - q))
                steps = jnp.concatenate([jnp.ones(1), jnp.cumprod(ratio[:-1])])
                pmf = jnp.exp(n * jnp.log1p(-q)) * steps
                return _thresholds(pmf)

        def small(nq):
            return self._invert(shape, dtype, table(nq))

        def btrs(nq):
            n, q = (jnp.broadcast_to(x, shape) for x in nq)
            k = discrete._binomial_btrs(self, shape, fdtype, n, q, jnp.ones(shape, dtype=bool))
            return discrete.to_counts(jnp, k, dtype)

        k = jax.lax.cond(nf * q < 10, small, btrs, (nf, q))
        return jnp.where(flip, jax.lax.convert_element_type(n, dtype) - k, k)

    def _invert(self, shape, dtype, thresholds):
        """Counts ``#{j : w > thresholds[j]}`` for uint32 words ``w``: one fused pass."""
        words = self.bits(shape, 32)
        count = jnp.zeros(shape, dtype=jnp.int32)
        for j in range(_TABLE):
            count = count + (words > thresholds[j]).astype(jnp.int32)
        return count.astype(dtype)

    def permutation_indices(self, shape, dtype):
        """Sorts 64-bit words holding a random key above each position: one plain sort.

        XLA:CPU sorts a single integer array several times faster than it
        sorts keys with an index alongside (jax.random.permutation's way), so
        the position rides in the low bits. A tie between two random keys
        would order those elements by position; a draw with any tie is
        redrawn whole, which makes the permutation exactly uniform (every
        ordering of distinct keys is equally likely). Sizes where ties are
        common keep the generic sampler.
        """
        m = shape[-1] if shape else 0
        b = max(1, (m - 1).bit_length())
        rows = math.prod(shape[:-1]) if shape else 0
        if m < 2 or rows == 0 or rows * m * m > 2.0 ** (64 - b) / 8:  # P(tie) below 1/16
            return distributions.sampling.permutation_indices(self, shape, dtype)

        def attempt(s):
            y0, y1 = s._pairs(shape)
            with jax.enable_x64(True):
                pos = jax.lax.broadcasted_iota(jnp.uint64, shape, len(shape) - 1)
                keys = ((y0.astype(jnp.uint64) << jnp.uint64(32))
                        | (y1 & jnp.uint32(~((1 << b) - 1) & 0xFFFFFFFF)).astype(jnp.uint64)
                        | pos)
                keys = jax.lax.sort(keys, dimension=len(shape) - 1)
                random = keys >> jnp.uint64(b)
                tie = jnp.any(random[..., 1:] == random[..., :-1])
                idx = (keys & jnp.uint64((1 << b) - 1)).astype(jnp.uint32)
            return idx, tie

        def body(s, state):
            return attempt(s)

        idx, _ = self.while_loop(lambda st: st[1], body, attempt(self))
        return idx.astype(dtype)

    # random, standard_normal and standard_exponential repeat jax.random's
    # arithmetic on the words of bits(), so they give jax.random.uniform's,
    # normal's and exponential's very values for the same key, only faster.
    def random(self, shape, dtype):
        if not _float_bits_ok(dtype):
            return jax.random.uniform(self._key(), shape, dtype)
        return _uniform(self.bits(shape, _width(dtype)), shape, dtype, 0.0, 1.0)

    def standard_normal(self, shape, dtype):
        if not _float_bits_ok(dtype):
            return jax.random.normal(self._key(), shape, dtype)
        lo = np.nextafter(np.array(-1.0, dtype), np.array(0.0, dtype), dtype=dtype)
        u = _uniform(self.bits(shape, _width(dtype)), shape, dtype, lo, np.array(1.0, dtype))
        return jax.lax.mul(np.array(np.sqrt(2), dtype), jax.lax.erf_inv(u))

    def standard_exponential(self, shape, dtype):
        if not _float_bits_ok(dtype):
            return jax.random.exponential(self._key(), shape, dtype)
        u = _uniform(self.bits(shape, _width(dtype)), shape, dtype, 0.0, 1.0)
        return jax.lax.neg(jax.lax.log1p(jax.lax.neg(u)))

    def while_loop(self, cond, body, state):
        loop_key = self._key()

        def step(carry):
            i, st = carry
            return i + 1, body(type(self)(jax.random.fold_in(loop_key, i), self.device), st)

        return jax.lax.while_loop(lambda carry: cond(carry[1]), step,
                                  (jnp.uint32(0), state))[1]

    # --- continuous: jax.random's one-uniform inversions, exact and cheaper
    # than the generic ones. Its gamma family (gamma, beta, dirichlet, chisquare,
    # f, t) runs one rejection loop per element and is 6-9x slower on CPU than
    # the generic masked loop, so those stay generic; its rayleigh (log of a
    # uniform that can be 0) and wald (cancelling root) are less exact.
    def gumbel(self, shape, dtype, loc, scale):
        return loc + scale * jax.random.gumbel(self._key(), shape, dtype)

    def laplace(self, shape, dtype, loc, scale):
        return loc + scale * jax.random.laplace(self._key(), shape, dtype)

    def logistic(self, shape, dtype, loc, scale):
        return loc + scale * jax.random.logistic(self._key(), shape, dtype)

    def standard_cauchy(self, shape, dtype):
        return jax.random.cauchy(self._key(), shape, dtype)


class PortableJaxSource(JaxSource):
    """The portable stream on JAX: the generic samplers' values, JAX's fast bits.

    Keeps only the overrides that give the generic samplers' very values
    (``bits`` and ``random``: the same words and float arithmetic; the
    ``while_loop`` keys; ``integers`` is generic already) and drops those that
    draw other values: the erf_inv normal, the table poisson/binomial, the
    sort permutation, jax.random's gumbel/laplace/logistic/cauchy.
    """

    #: multinomial/multivariate_hypergeometric: one call per category, as eagerly
    unrolled_categories = True

    def integers(self, shape, dtype, *params, bounds=None):
        # Python-int bounds arrive as static ``bounds`` (see PortableJaxBackend.draw)
        low, high = bounds if bounds is not None else params
        return Source.integers(self, shape, dtype, low, high)


for _name in ("standard_normal", "standard_exponential", "poisson", "binomial",
              "permutation_indices", "gumbel", "laplace", "logistic", "standard_cauchy"):
    setattr(PortableJaxSource, _name, getattr(Source, _name))
del _name


def _thresholds(pmf):
    """uint32 ``t_j`` with ``w > t_j`` exactly when ``w / 2**32 >= cdf(j)``, from a float64 pmf.

    Inverting with the 32-bit word itself gives every count its probability
    to within 2**-32 (a float32 uniform resolves only 2**-23). ``_TABLE``
    entries hold all but less than 2**-40 of the mass for the means the
    tables serve (below 10), so the last threshold is 2**32 - 1 and no word
    falls beyond the table.
    """
    cdf = jnp.cumsum(pmf)
    t = jnp.clip(jnp.ceil(cdf * 2.0**32), 1.0, 2.0**32) - 1.0
    return t.astype(jnp.uint64).astype(jnp.uint32)


def _unrolled_threefry(key) -> bool:
    """Whether threefry.counter_bits reproduces ``jax.random.bits`` for ``key``."""
    return (jax.config.jax_threefry_partitionable
            and str(jax.random.key_impl(key)) == "threefry2x32")


def _float_bits_ok(dtype) -> bool:
    return jnp.dtype(dtype).itemsize in (4, 8)


def _width(dtype) -> int:
    return 8 * jnp.dtype(dtype).itemsize


def _uniform(bits, shape, dtype, minval, maxval):
    """``jax.random.uniform``'s floats from its words ``bits``, operation for operation."""
    finfo = jnp.finfo(dtype)
    uint = bits.dtype
    float_bits = jax.lax.shift_right_logical(bits, jnp.array(finfo.bits - finfo.nmant, uint))
    float_bits = jax.lax.bitwise_or(
        float_bits, jnp.asarray(np.array(1.0, dtype).view(uint), dtype=uint))
    floats = jax.lax.bitcast_convert_type(float_bits, dtype) - jnp.array(1.0, dtype)
    minval = jax.lax.broadcast_to_rank(jax.lax.convert_element_type(minval, dtype), len(shape))
    maxval = jax.lax.broadcast_to_rank(jax.lax.convert_element_type(maxval, dtype), len(shape))
    return jax.lax.max(minval, jax.lax.reshape(floats * (maxval - minval) + minval, shape))


@functools.lru_cache(maxsize=1024)
def _compiled(name, shape, dtype, sharding, static, host_key=False, source=JaxSource):
    """One draw as one jitted function.

    ``host_key`` False: ``(key, counter, *params)``, the draw's key
    ``fold_in(key, counter)`` derived in the graph (inside jax.jit, where the
    counter is traced, and for key types other than threefry). True:
    ``(words, *params)``, that key's data derived on the host (see
    ``_host_key_block``): XLA:CPU runs a program with a second chained
    fold_in several times slower than one with a single fold_in, far beyond
    the cipher's own cost.
    """
    # A sampler's constants and index arrays (a 0-d bound, a table, an arange)
    # cannot take a sharding over a mesh of another rank; inside the compiled
    # draw they need no placement: out_shardings lays the result out.
    placement = None if isinstance(sharding, jax.sharding.NamedSharding) else sharding
    if host_key:
        def run(words, *params):
            src = source(jax.random.wrap_key_data(words, impl="threefry2x32"), placement)
            return getattr(src, name)(shape, dtype, *params, **dict(static))
    else:
        def run(key, counter, *params):
            src = source(jax.random.fold_in(key, counter), placement)
            return getattr(src, name)(shape, dtype, *params, **dict(static))

    return jax.jit(run, out_shardings=sharding)


def _host_key_block(key, start: int):
    """Data of ``fold_in(key, c)`` for the draws ``c`` from ``start`` on, or None.

    Eager draws take their keys from here, derived for a block of draws at a
    time by the unrolled cipher on NumPy (well under 1 us a key, against tens
    of us for a second fold_in in the draw's program); bit for bit
    ``jax.random.fold_in`` (tests/test_jax_bits.py). Only concrete threefry
    keys can be derived this way.
    """
    if _is_tracer(key) or str(jax.random.key_impl(key)) != "threefry2x32":
        return None  # a key made inside jax.jit has no value yet
    k0, k1 = (int(w) for w in np.asarray(jax.random.key_data(key)))
    n = min(_HOST_KEY_BLOCK, SPAWN - start)
    y0, y1 = threefry.threefry2x32(np, (k0, k1), np.zeros(n, np.uint32),
                                   np.arange(start, start + n, dtype=np.uint32))
    return np.stack([y0, y1], axis=1)


_UNROLL_FROM = 1024  # words; below, jax.random.bits' own cipher is as fast
_TABLE = 40          # inversion table length: Poisson(10) puts 7e-13 beyond it
_HOST_KEY_BLOCK = 256
_FNS: dict = {}
_FNS_MAX = 1024
_INT32_LIMIT = 2**31


def _sharding(device):
    if isinstance(device, jax.sharding.Sharding):
        return device
    return jax.sharding.SingleDeviceSharding(device)


def _jit_arg(param, dtype):
    """A parameter as jit takes it: a Python int beyond int32 goes in as ``dtype``.

    jit traces a Python int as a (weak) int32, or int64 with x64, which cannot
    hold the bounds of a full-range uint32 or uint64 draw; the facade has
    checked that they fit ``dtype``.
    """
    if type(param) is int and not -(2**31) <= param < 2**31:
        if jnp.issubdtype(dtype, jnp.integer):
            info = jnp.iinfo(dtype)
            if info.min <= param <= info.max:
                return np.asarray(param, dtype=dtype)
        # a float parameter given as a Python int (zipf(2**63), an int32 draw):
        # as a float, not an int that overflows in JAX's argument parsing
        return float(param)
    return param


def _is_tracer(x) -> bool:
    return isinstance(x, jax.core.Tracer)


class JaxBackend(Backend):
    name = "jax"
    #: the per-draw source: PortableJaxSource for bit_generator="threefry"
    source_class = JaxSource
    #: (key, first draw, key data of the draws from there or None): see _host_key_block
    _keys = None

    def __init__(self, xp, device, seed, *, count=0, ref=None, spawned=0):
        super().__init__(xp, device, seed)
        if isinstance(seed, np.random.SeedSequence):
            seed = jnp.asarray(key_words_from_seed(seed), dtype=jnp.uint32)
        if not jnp.issubdtype(seed.dtype, jax.dtypes.prng_key):
            seed = jax.random.wrap_key_data(seed)
        self.key = seed
        self.count = count      # authoritative while self.ref is None
        self.ref = ref          # a jax.Ref published for jit, or its tracer inside jit
        self.spawned = spawned

    @classmethod
    def accepts_native_seed(cls, seed) -> bool:
        if not isinstance(seed, jax.Array):
            return False
        if jnp.issubdtype(seed.dtype, jax.dtypes.prng_key):
            return seed.shape == ()
        return seed.dtype == jnp.uint32 and seed.shape == (2,)

    def _next_counter(self):
        with self._lock:  # SPEC K8: the read and the advance as one step
            if self.ref is not None:
                if _is_tracer(self.ref):
                    c = self.ref[...]
                    self.ref[...] = c + jnp.uint32(1)
                    return c
                # back from a jitted call: take over whatever it advanced the counter to
                self.count, self.ref = int(self.ref[...]), None
            c = self.count
            if c >= _INT32_LIMIT:
                check_counter(c)
                c = np.uint32(c)
            # a Python int goes to the device ~5 us faster than a NumPy scalar;
            # fold_in takes it as the same uint32 either way
            self.count += 1
            return c

    def _next_words(self):
        """The host-derived key data of the next eager draw, or None (derive in the graph)."""
        with self._lock:  # SPEC K8: the read and the advance as one step
            if self.ref is not None:
                if _is_tracer(self.ref):
                    return None
                self._sync()
            c, block = self.count, self._keys
            if block is None or block[0] is not self.key or (
                    block[2] is not None and not 0 <= c - block[1] < len(block[2])):
                check_counter(c)
                block = self._keys = (self.key, c, _host_key_block(self.key, c))
            if block[2] is None:
                return None
            self.count = c + 1
            return block[2][c - block[1]]

    def draw(self, name, shape, dtype, device, *params, **static):
        if device is None:  # the device of a traced array (permuted's x inside jax.jit)
            device = self.device
        words = self._next_words()
        # a dict lookup in front of _compiled's lru_cache: no Sharding object,
        # no sorting, no cache-key tuple of the lru_cache's making per draw
        cache_key = (name, shape, dtype, device, tuple(sorted(static.items())) if static else (),
                     words is not None, self.source_class)
        fn = _FNS.get(cache_key)
        if fn is None:
            fn = _compiled(name, shape, dtype, _sharding(device), *cache_key[4:])
            if len(_FNS) >= _FNS_MAX:
                _FNS.clear()
            _FNS[cache_key] = fn
        if params:
            params = [_jit_arg(p, dtype) for p in params]
        if words is not None:
            return fn(words, *params)
        return fn(self.key, self._next_counter(), *params)

    def next_key(self):
        """The key the next draw would use, ``fold_in(key, counter)``; the counter advances.

        Eagerly from the host-derived block (as a draw); inside jax.jit, or for
        another key type, by ``fold_in`` on the (traced) counter.
        """
        words = self._next_words()
        if words is not None:
            return jax.random.wrap_key_data(jnp.asarray(words), impl="threefry2x32")
        return jax.random.fold_in(self.key, self._next_counter())

    def spawn(self, n):
        with self._lock:
            key, first, self.spawned = self.key, self.spawned, self.spawned + n
        base = jax.random.fold_in(key, SPAWN)
        return [type(self)(self.xp, self.device, jax.random.fold_in(base, first + j))
                for j in range(n)]

    def entropy(self):
        return [int(w) for w in np.asarray(jax.random.key_data(self.key)).ravel()]

    @classmethod
    def _portable(cls):
        return PortableJaxBackend

    def _sync(self):
        if self.ref is not None and not _is_tracer(self.ref):
            self.count, self.ref = int(self.ref[...]), None

    def get_state(self):
        with self._lock:
            self._sync()
            key, count, spawned = self.key, self.count, self.spawned
        return {"key": np.asarray(jax.random.key_data(key)),
                "impl": str(jax.random.key_impl(key)), "counter": count, "spawned": spawned}

    def set_state(self, state):
        key = jax.random.wrap_key_data(jnp.asarray(state["key"]), impl=state["impl"])
        with self._lock:
            self.key, self.count, self.ref = key, int(state["counter"]), None
            self.spawned = int(state["spawned"])

    def portable_device(self, device):
        # JAX devices and shardings do not pickle: keep platform, device ids and layout
        if isinstance(device, jax.Device):
            return ("device", device.platform, device.id)
        if isinstance(device, jax.sharding.SingleDeviceSharding):
            (only,) = device.device_set
            return ("single", only.platform, only.id)
        if isinstance(device, jax.sharding.NamedSharding):
            devices = device.mesh.devices
            return ("named", devices.flat[0].platform, [d.id for d in devices.flat],
                    devices.shape, device.mesh.axis_names, device.spec)
        return device

    def restore_device(self, saved):
        if not isinstance(saved, tuple):
            return saved
        kind, platform, ids = saved[:3]
        by_id = {d.id: d for d in jax.devices(platform)}
        if kind == "device":
            return by_id[ids]
        if kind == "single":
            return jax.sharding.SingleDeviceSharding(by_id[ids])
        shape, axis_names, spec = saved[3:]
        mesh = jax.sharding.Mesh(np.array([by_id[i] for i in ids]).reshape(shape), axis_names)
        return jax.sharding.NamedSharding(mesh, spec)

    def asarray(self, value, dtype, device):
        # a parameter broadcasts against the draw, it is not laid out like it:
        # replicate it over the draw's devices (sharding it as the output would
        # fail for any shape the mesh does not divide)
        if isinstance(device, jax.sharding.NamedSharding):
            device = jax.sharding.NamedSharding(device.mesh, jax.sharding.PartitionSpec())
        return jax.device_put(jnp.asarray(value, dtype=dtype), device)

    def check_device(self, device):
        if isinstance(device, (jax.sharding.Sharding, jax.Device)):
            return device
        raise ValueError(f"a JAX device must be a jax.Device or a jax.sharding.Sharding, "
                         f"not {device!r}")

    def dtypes(self, device, kind):
        return jnp.__array_namespace_info__().dtypes(kind=kind)

    def default_dtypes(self, device):
        return jnp.__array_namespace_info__().default_dtypes()

    # --- pytree --------------------------------------------------------------
    def tree_flatten(self):
        with self._lock:
            if self.ref is None:
                # publish, not advance: the Ref now carries the authoritative count
                self.ref = jax.new_ref(np.uint32(self.count))
            return (self.key, self.ref), (self.device, self.spawned)

    @classmethod
    def tree_unflatten(cls, xp, aux, children):
        # no checks: JAX unflattens with placeholder leaves too
        self = cls.__new__(cls)
        self._lock = threading.Lock()  # no __init__ here
        self.xp, (self.device, self.spawned) = xp, aux
        (self.key, self.ref), self.count = children, 0
        return self


class PortableJaxBackend(JaxBackend):
    """``bit_generator="threefry"`` on JAX: the same keys, the generic samplers' values."""

    bit_generator = "threefry"
    source_class = PortableJaxSource

    def draw(self, name, shape, dtype, device, *params, **static):
        if name == "integers" and all(type(p) is int for p in params):
            # traced, Python-int bounds would take the generic sampler's
            # array-bounds path (64-bit words under x64); static they take the
            # scalar one (Lemire on 32-bit words), as on every other backend.
            # One compiled draw per pair of bounds.
            return super().draw(name, shape, dtype, device, bounds=params)
        return super().draw(name, shape, dtype, device, *params, **static)

    @classmethod
    def _native(cls):
        return JaxBackend


def _register_pytree():
    """Make every Generator a pytree: a JAX one has leaves (key, counter Ref), others none."""
    from .._generator import Generator

    def flatten(gen):
        backend = gen._backend
        if isinstance(backend, JaxBackend):
            children, aux = backend.tree_flatten()
            return children, (type(backend), backend.xp, aux)
        return (), (None, gen, None)

    def unflatten(aux, children):
        cls, xp, inner = aux
        if cls is None:
            return xp  # a non-JAX generator rides along as static data
        return Generator(cls.tree_unflatten(xp, inner, children))

    jax.tree_util.register_pytree_node(Generator, flatten, unflatten)


_register_pytree()
