"""Hypothesis strategies for the NumPy-differential fuzz (``test_fuzz.py``).

A call is drawn as a method name and its arguments, each argument an
abstract :class:`Arg` (a Python value, or nested values to become an array)
that ``fuzz_oracle`` materialises twice: once as an array of the target's
namespace on its device, once as the NumPy array holding the very same
values (read back from the target's array), so that NumPy and the backend
always see identical numbers.

Values mix the valid and typical with the boundary and the invalid: 0, -0.0,
1, just below 1, negative, NaN, +-inf, subnormal, tiny and huge floats,
Python ints beyond int32/int64, bools, strings; as lists and 0-d/1-d/2-d
arrays. Sizes: None, 0, (), shapes that broadcast with the parameters and
shapes that do not, negative and non-integer ones. JAX compiles one program
per draw shape and dtype, so every shape comes from a small fixed set: the
number of compilations stays bounded however many examples run.
"""
from __future__ import annotations

import dataclasses
import math

from hypothesis import strategies as st

FLOAT_EDGES = (0.0, -0.0, 1.0, -1.0, 0.5, 1 - 2.0**-53, 1 + 2.0**-52, 2.0, -2.5, 10.0, 1e-10,
               1e-40, 1e-300, 5e-324, -5e-324, 1e10, 3.4e38, 1e300, 1.7e308, -1e300,
               math.inf, -math.inf, math.nan)
INT_EDGES = (0, 1, 2, 3, -1, -3, 10, 2**31 - 1, 2**31, 2**32, 2**62, 2**63 - 1, 2**63, 2**64,
             -(2**63), 10**9)
ODD = (True, False, "abc", None, 1 + 2j)

#: parameter kinds: what typical valid values look like
def _decimal(lo, hi):
    return st.floats(lo, hi).map(lambda x: round(x, 3))


TYPICAL = {
    "real": _decimal(-5, 5),
    "positive": _decimal(0.1, 20),
    "shape": _decimal(0.05, 30),
    "prob": _decimal(0.01, 0.99),
    "count": st.integers(0, 30),
    "int": st.integers(-20, 20),
    "kappa": _decimal(0, 50),
    "zipf": _decimal(1.1, 6),
}


@dataclasses.dataclass(frozen=True)
class Arg:
    """One argument: ``value`` as is (``kind="py"``) or an array of ``values`` (nested lists)."""

    kind: str            # "py", "list", "array"
    value: object        # the Python value, or nested lists of numbers
    dtype: str = "float"  # for arrays: "float", "int" or "bool"

    def __repr__(self):
        if self.kind == "py":
            return repr(self.value)
        return f"{self.kind}({self.value!r}, {self.dtype})"


def _scalar(kind):
    """A scalar of ``kind``: mostly typical, else an edge value of any kind."""
    typical = TYPICAL[kind]
    edges = st.sampled_from(INT_EDGES if kind in ("count", "int") else FLOAT_EDGES)
    other = st.one_of(st.sampled_from(FLOAT_EDGES), st.sampled_from(INT_EDGES),
                      st.sampled_from(ODD))
    return st.one_of(typical, typical, typical, edges, edges, other)


#: parameter array shapes: () 0-d, (2,) and (1, 2) broadcast with the sizes below
ARRAY_SHAPES = ((), (2,), (1, 2))


@st.composite
def param(draw, kind):
    """A parameter: a Python scalar (most often), a list, or an array of the namespace."""
    form = draw(st.sampled_from(("py", "py", "py", "list", "array")))
    is_int = kind in ("count", "int")
    if form == "py":
        return Arg("py", draw(_scalar(kind)))
    shape = draw(st.sampled_from(ARRAY_SHAPES if form == "array" else ARRAY_SHAPES[1:]))
    numbers = st.one_of(TYPICAL[kind], TYPICAL[kind],
                        st.sampled_from(INT_EDGES[:8] if is_int else FLOAT_EDGES))
    values = _nested(draw, numbers, shape)
    dtype = "int" if is_int and all(isinstance(x, int) for x in _flat(values)) else "float"
    if dtype == "float":
        values = _map(float, values)
    return Arg(form, values, dtype)


def _nested(draw, numbers, shape):
    if not shape:
        return draw(numbers)
    return [_nested(draw, numbers, shape[1:]) for _ in range(shape[0])]


def _flat(values):
    if isinstance(values, list):
        for v in values:
            yield from _flat(v)
    else:
        yield values


def _map(fn, values):
    return [_map(fn, v) for v in values] if isinstance(values, list) else fn(values)


#: sizes: broadcasting with () / (2,) / (1, 2) parameters or not, empty, bad
SIZES = (None, None, None, 3, 2, (2,), (3, 2), (), 0, (0,), (2, 2), (3,), -1, (2, -1), 2.5,
         "3", (2, 1.0))


def size():
    return st.sampled_from(SIZES).map(lambda s: Arg("py", s))


FLOAT_DTYPES = (None, None, "float32", "float64")
INT_DTYPES = (None, None, "int64", "int32", "int16", "uint8", "uint64")


@dataclasses.dataclass(frozen=True)
class Method:
    name: str
    family: str
    params: tuple = ()          # (name, kind) of the distribution parameters, in order
    dtype: str | None = None    # "float", "int": the method takes dtype=
    numpy_dtype: bool = False   # NumPy's own method takes dtype= too
    has_size: bool = True


_F, _I = "float", "int"
METHODS = [
    Method("random", "continuous", (), _F, True),
    Method("uniform", "continuous", (("low", "real"), ("high", "real")), _F),
    Method("standard_normal", "continuous", (), _F, True),
    Method("normal", "continuous", (("loc", "real"), ("scale", "positive")), _F),
    Method("standard_exponential", "continuous", (), _F, True),
    Method("exponential", "continuous", (("scale", "positive"),), _F),
    Method("standard_gamma", "continuous", (("shape", "shape"),), _F, True),
    Method("gamma", "continuous", (("shape", "shape"), ("scale", "positive")), _F),
    Method("beta", "continuous", (("a", "shape"), ("b", "shape")), _F),
    Method("chisquare", "continuous", (("df", "shape"),), _F),
    Method("f", "continuous", (("dfnum", "shape"), ("dfden", "shape")), _F),
    Method("standard_t", "continuous", (("df", "shape"),), _F),
    Method("noncentral_chisquare", "continuous", (("df", "shape"), ("nonc", "positive")), _F),
    Method("noncentral_f", "continuous",
           (("dfnum", "shape"), ("dfden", "shape"), ("nonc", "positive")), _F),
    Method("gumbel", "continuous", (("loc", "real"), ("scale", "positive")), _F),
    Method("laplace", "continuous", (("loc", "real"), ("scale", "positive")), _F),
    Method("logistic", "continuous", (("loc", "real"), ("scale", "positive")), _F),
    Method("lognormal", "continuous", (("mean", "real"), ("sigma", "positive")), _F),
    Method("pareto", "continuous", (("a", "shape"),), _F),
    Method("power", "continuous", (("a", "shape"),), _F),
    Method("weibull", "continuous", (("a", "shape"),), _F),
    Method("rayleigh", "continuous", (("scale", "positive"),), _F),
    Method("standard_cauchy", "continuous", (), _F),
    Method("triangular", "continuous", (("left", "real"), ("mode", "real"), ("right", "real")),
           _F),
    Method("vonmises", "continuous", (("mu", "real"), ("kappa", "kappa")), _F),
    Method("wald", "continuous", (("mean", "positive"), ("scale", "positive")), _F),
    Method("integers", "discrete", (("low", "int"), ("high", "int")), _I, True),
    Method("poisson", "discrete", (("lam", "positive"),), _I),
    Method("binomial", "discrete", (("n", "count"), ("p", "prob")), _I),
    Method("geometric", "discrete", (("p", "prob"),), _I),
    Method("negative_binomial", "discrete", (("n", "positive"), ("p", "prob")), _I),
    Method("hypergeometric", "discrete",
           (("ngood", "count"), ("nbad", "count"), ("nsample", "count")), _I),
    Method("logseries", "discrete", (("p", "prob"),), _I),
    Method("zipf", "discrete", (("a", "zipf"),), _I),
    Method("multinomial", "multivariate", (), _I),
    Method("dirichlet", "multivariate", (), _F),
    Method("multivariate_normal", "multivariate", (), _F),
    Method("multivariate_hypergeometric", "multivariate", (), _I),
    Method("choice", "sampling"),
    Method("permutation", "sampling", has_size=False),
    Method("permuted", "sampling", has_size=False),
    Method("shuffle", "sampling", has_size=False),
    Method("bytes", "sampling", has_size=False),
]
BY_NAME = {m.name: m for m in METHODS}
FAMILIES = ("continuous", "discrete", "multivariate", "sampling")


@dataclasses.dataclass(frozen=True)
class Call:
    """``getattr(rng, method)(*args, **kwargs)`` with abstract arguments."""

    method: str
    args: tuple = ()
    kwargs: tuple = ()  # (name, Arg) pairs

    def __repr__(self):
        inner = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        return f"{self.method}({', '.join(inner)})"


def _vector(draw, kind, lengths=(1, 2, 3)):
    n = draw(st.sampled_from(lengths))
    edges = INT_EDGES[:8] if kind in ("count", "int") else FLOAT_EDGES
    return [draw(st.one_of(TYPICAL[kind], TYPICAL[kind], TYPICAL[kind],
                           st.sampled_from(edges))) for _ in range(n)]


def _vector_arg(draw, values, dtype):
    form = draw(st.sampled_from(("list", "list", "array", "py")))
    if form == "py":  # a scalar where a vector belongs, or a 2-d batch
        return Arg("py", values[0]) if draw(st.booleans()) else Arg("array", [values, values],
                                                                     dtype)
    return Arg(form, values, dtype)


def _probabilities(draw, n):
    p = [draw(_decimal(0, 1)) for _ in range(n)]
    total = sum(p)
    if total > 0 and draw(st.integers(0, 3)):  # mostly normalised, sometimes not
        p = [x / total for x in p]
    if draw(st.integers(0, 5)) == 0:
        p[draw(st.integers(0, n - 1))] = draw(st.sampled_from((-0.1, math.nan, 1.5, math.inf)))
    return p


def _dtype(draw, method):
    if method.dtype == "float":
        return draw(st.sampled_from(FLOAT_DTYPES + (("float16", "int32") if method.numpy_dtype
                                                    else ())))
    if method.dtype == "int":
        return draw(st.sampled_from(INT_DTYPES))
    return None


@st.composite
def call(draw, family):
    """One call of a method of ``family``, arguments as NumPy's signature names them."""
    method = draw(st.sampled_from([m for m in METHODS if m.family == family]))
    name = method.name
    args, kwargs = [], {}
    if name in ("choice", "permutation", "permuted", "shuffle", "bytes"):
        args, kwargs = _sampling(draw, name)
    elif name == "multinomial":
        n = draw(param("count"))
        k = draw(st.sampled_from((1, 2, 3)))
        args = [n, _vector_arg(draw, _probabilities(draw, k), "float")]
    elif name == "dirichlet":
        args = [_vector_arg(draw, _vector(draw, "shape"), "float")]
    elif name == "multivariate_normal":
        k = draw(st.sampled_from((1, 2)))
        mean = _vector(draw, "real", (k,))
        a = draw(st.sampled_from(((1.0, 0.0, 0.0, 1.0), (2.0, 0.5, 0.5, 1.0), (1.0, 2.0, 2.0, 1.0),
                                  (1.0, math.nan, math.nan, 1.0), (0.0, 0.0, 0.0, 0.0),
                                  (1.0, 0.3, -0.3, 1.0), (math.inf, 0.0, 0.0, 1.0))))
        cov = [[a[0]]] if k == 1 else [[a[0], a[1]], [a[2], a[3]]]
        if draw(st.integers(0, 9)) == 0:
            cov = [row[:1] for row in cov] if k == 2 else [[1.0, 0.0]]  # not square
        args = [Arg(draw(st.sampled_from(("list", "array"))), mean, "float"),
                Arg(draw(st.sampled_from(("list", "array"))), cov, "float")]
        for key, choices in (("check_valid", ("warn", "raise", "ignore", "nope")),
                             ("method", ("svd", "eigh", "cholesky"))):
            if draw(st.booleans()):
                kwargs[key] = Arg("py", draw(st.sampled_from(choices)))
    elif name == "multivariate_hypergeometric":
        colors = _vector(draw, "count", (1, 2, 3))
        if draw(st.integers(0, 4)) == 0:
            colors[0] = draw(st.sampled_from((-1, 2**63, 1.5, 10**9)))
        form = draw(st.sampled_from(("list", "array")))
        dtype = "int" if all(type(c) is int for c in colors) else "float"
        args = [Arg(form, colors, dtype),
                Arg("py", draw(st.one_of(st.integers(0, 12), st.sampled_from((-1, 2.0, 10**10)))))]
        if draw(st.booleans()):
            kwargs["method"] = Arg("py", draw(st.sampled_from(("marginals", "count", "x"))))
    else:
        args = [draw(param(kind)) for _, kind in method.params]
        # trailing parameters with a default may be left out
        while args and draw(st.integers(0, 3)) == 0 and _has_default(name, len(args) - 1):
            args.pop()
        if name == "integers" and draw(st.booleans()):
            kwargs["endpoint"] = Arg("py", draw(st.booleans()))
    if method.has_size and draw(st.integers(0, 2)):
        kwargs["size"] = draw(size())
    dtype = _dtype(draw, method)
    if dtype is not None:
        kwargs["dtype"] = Arg("py", dtype)
    return Call(name, tuple(args), tuple(kwargs.items()))


_DEFAULTS = {  # parameters (by position) that NumPy lets the caller leave out
    "uniform": 0, "normal": 0, "exponential": 0, "gumbel": 0, "laplace": 0, "logistic": 0,
    "lognormal": 0, "rayleigh": 0, "poisson": 0, "gamma": 1, "integers": 1,
}


def _has_default(name, index):
    return name in _DEFAULTS and index >= _DEFAULTS[name]


def _sampling(draw, name):
    if name == "bytes":
        return [Arg("py", draw(st.sampled_from((0, 1, 5, 16, -1, 2.5, True))))], {}
    kind = draw(st.sampled_from(("int", "vector", "vector", "matrix", "0d")))
    if kind == "int":
        x = Arg("py", draw(st.sampled_from((0, 1, 5, -2, 2.5, True))))
    elif kind == "0d":
        x = Arg("array", draw(st.sampled_from((3.0, 2))), "float")
    elif kind == "vector":
        x = Arg("array", [float(i) for i in range(draw(st.sampled_from((0, 1, 4))))], "float")
    else:
        x = Arg("array", [[float(3 * i + j) for j in range(3)] for i in range(2)], "float")
    kwargs = {}
    if name == "choice":
        n = x.value if kind == "int" else (len(x.value) if kind != "0d" else 0)
        if draw(st.integers(0, 2)):
            kwargs["size"] = draw(size())
        if draw(st.booleans()):
            kwargs["replace"] = Arg("py", draw(st.booleans()))
        if draw(st.integers(0, 2)) == 0 and isinstance(n, int) and 0 < n < 10:
            kwargs["p"] = Arg("list", _probabilities(draw, n), "float")
        if kind == "matrix" and draw(st.booleans()):
            kwargs["axis"] = Arg("py", draw(st.sampled_from((0, 1, -1, 2))))
        return [x], kwargs
    if draw(st.integers(0, 2)) == 0:
        axes = (0, 1, -1, 2, -3) if name != "permuted" else (None, 0, 1, -1, 2)
        kwargs["axis"] = Arg("py", draw(st.sampled_from(axes)))
    return [x], kwargs
