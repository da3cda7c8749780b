"""The quick path of every sampling method, generated from a one-line description.

Most calls in a loop are the usual one: Python-scalar parameters that pass the
method's checks, the default dtype and device, ``size`` None, an int or a
tuple of ints. For that call every step of the door is the same from call to
call except the values: the resolved device and dtype, the backend's drawer
for the sampler, the checks a scalar needs. :func:`quick` declares it for a
door::

    @quick("normal", floats="loc scale", when="loc == loc and scale > 0")
    def normal(self, loc=0.0, scale=1.0, size=None, *, dtype=None, device=None):
        ...  # the door: conversions, checks, _draw

and replaces the door by a function of the same signature, docstring and
module (its doctests run as the door's) that tests for the usual call in plain
expressions and makes it as one call of the drawer, resolved once per
generator (a *plan*); any other call goes to the door unchanged. Like
``dataclasses``, the function is generated as source text: a generic wrapper
(``*args, **kwargs``, a loop over checks) would cost more than the whole
quick path.

``when`` only ever *accepts*: it must hold only for values the door takes
without changing them, so that both paths draw the same values (NaN fails
every comparison, so a NaN always reaches the door and its message).
``tests/test_quick.py`` checks that for every method, over a grid of edge
values, the quick path and the door give the same draws and the same
exceptions.

A method with array parameters (``dirichlet(alpha)``, ``multinomial(n,
pvals)``, ...) is usually called with the same short Python lists again and
again, and converting and checking them (a device array, NaN and range
tests, a covariance factorisation) is most of its cost. Its quick path takes
lists of Python numbers (``lists=``) and keeps, per generator, what the
door's own ``prepare`` function makes of them (the device arrays, and facts
such as their length), keyed by their values: the same values are converted
and checked once. ``prepare`` raises, or returns None, for anything the
door must see (it refuses it, or warns): then the door runs, in its own order
of checks. Nothing that failed is kept. The lists kept last are found again
without their key when the call passes the very same objects (the memo's
echo, below).
"""
from __future__ import annotations

import functools
import inspect
import itertools
import linecache
import marshal
import math

from .._validate import is_traced

#: a float parameter given as a Python int is used as is below this magnitude
#: (``Generator._param``); beyond it the door converts it to a float
EXACT = 2**53
#: a count parameter (``n``, ``ngood``, ...) given as a Python int is used as
#: is in int64's range (``DiscreteMethods._count_param``)
INT64 = 2**63
#: prepared list parameters kept per method and generator; past this many
#: different ones (lists that change from call to call) the memo starts over
MEMO_SIZE = 64
#: nor is a key longer than this kept (about 7000 numbers): such lists are
#: converted on every call, as the door does, so that a generator holds at
#: most MEMO_SIZE small entries (a few MiB), not copies of long lists
MEMO_KEY_BYTES = 1 << 16

_counter = itertools.count()


def quick(sampler, *, kind="real floating", floats="", counts="", when="True", args=None,
          shape=None, fixed=None, consts=None, lists=None, prepare=None, entry="",
          vector=None):
    """Give the door it decorates a generated quick path for its usual call.

    Parameters
    ----------
    sampler : str
        The backend sampler the usual call draws (``Backend.drawer``).
    kind : {"real floating", "integral", "counts", "indexing"}
        The default dtype of the draw: ``Generator._where``'s kinds, or
        ``"counts"`` (the default integer dtype of count distributions) or
        ``"indexing"`` (indices).
    floats, counts : str
        Space-separated parameter names that must be Python floats (or ints
        below 2**53) resp. Python ints in int64's range.
    when : str
        A Python expression in the parameters (and ``consts``, and ``_shape``,
        the draw's shape) that holds only where the door would pass them on
        unchanged, checks passed.
    args : str, optional
        The sampler's parameters as an expression list; default: ``floats``
        and ``counts`` in the signature's order.
    shape : str, optional
        The draw's shape as an expression, for a door without ``size``.
    fixed : dict, optional
        Other parameters and the values the usual call has (``out``: None is
        implied for a door that has ``out``).
    consts : dict, optional
        Names for ``when`` and ``args``: ``name -> fact(gen, dtype)``, computed
        once per generator for its default dtype.
    lists : dict, optional
        List parameters: ``name -> "floats"`` (a list or tuple of Python
        floats and ints), ``"ints"`` (of Python ints) or
        ``"matrix"`` (a list of such float rows).
    prepare : callable, optional
        ``prepare(gen, dtype, device, *lists) -> tuple or None``: the door's
        conversion and checks of the list parameters alone. Its tuple is
        kept for the lists' values and unpacked into the names ``entry``
        (each starting with ``_``) for ``when``, ``args`` and ``vector``.
    entry : str
        Space-separated names of the fields of ``prepare``'s tuple.
    vector : str, optional
        The length of a vector draw's last axis, as an expression: its
        shape is then ``size + (vector,)``.
    """
    def decorate(door):
        return _generate(door, sampler, kind, floats.split(), counts.split(), when, args,
                         shape, dict(fixed or {}), dict(consts or {}), dict(lists or {}),
                         prepare, entry.split(), vector)
    return decorate


def _generate(door, sampler, kind, floats, counts, when, args, shape, fixed, consts, lists,
              prepare, entry, vector):
    name = door.__name__
    sig = inspect.signature(door)
    params = list(sig.parameters)[1:]  # after self
    if any(p.startswith("_") for p in params):
        raise TypeError(f"quick({sampler!r}): the generated code's own names start with _")
    for p in floats + counts + list(fixed) + list(lists):
        if p not in params:
            raise TypeError(f"quick({sampler!r}): {name} has no parameter {p!r}")
    if lists and (prepare is None or not entry or any(not e.startswith("_") for e in entry)
                  or any(kind not in _PLAIN for kind in lists.values())):
        raise TypeError(f"quick({sampler!r}): lists need a prepare, entry names starting "
                        f"with _, and kinds among {sorted(_PLAIN)}")
    if "out" in params:
        fixed.setdefault("out", None)

    tests = [f"{p} is None" for p in ("dtype", "device") if p in params]
    defaults = {}  # fixed values that are the door's defaults: the very objects
    for p, value in fixed.items():
        # None, True, False by identity; another value (a string, a float) by
        # its exact type, then equality (an array's == is no truth value),
        # after an identity test with the door's default, the usual case
        test = (f"{p} is {value!r}" if value is None or isinstance(value, bool)
                else f"type({p}) is {type(value).__name__} and {p} == {value!r}")
        default = sig.parameters[p].default
        if not (value is None or isinstance(value, bool)) and type(default) is type(value) \
                and default == value:
            defaults[p] = default
            test = f"({p} is _default_{p} or {test})"
        tests.append(test)
    tests += [f"(type({p}) is float or type({p}) is int and -{EXACT} < {p} < {EXACT})"
              for p in floats]
    tests += [f"type({p}) is int and -{INT64} <= {p} < {INT64}" for p in counts]
    if args is None:
        args = ", ".join(p for p in params if p in floats or p in counts)
    plan_names = ", ".join(["_run", "_dt"] + list(consts) + ["_lock"])

    lines = [f"def {name}{_signature_text(sig)}:"]
    lines.append(f"    if {' and '.join(tests) or 'True'}:")
    if shape is None:
        # size: None, an int, or a tuple of ints, none negative (any other
        # size, a bad one included, is the door's)
        lines += [
            "        if size is None:",
            "            _shape = ()",
            "        elif type(size) is int:",
            "            _shape = (size,) if size >= 0 else None",
            "        elif type(size) is tuple:",
            "            _shape = size",
            "            for _d in size:",
            "                if type(_d) is not int or _d < 0:",
            "                    _shape = None",
            "                    break",
            "        else:",
            "            _shape = None",
        ]
    else:
        lines.append(f"        _shape = {shape}")
    draw_shape = "_shape" if vector is None else f"_shape + ({vector},)"
    run = f"_run({draw_shape}, _dt{', ' if args else ''}{args})"
    # a drawer that holds a lock (locked() in backends/_base.py) comes as its
    # sampler and lock, held here: a Python call less on such a draw
    call = ["if _lock is None:", f"    return {run}", "_lock.acquire()", "try:",
            f"    return {run}", "finally:", "    _lock.release()"]
    if not lists:
        lines += [
            "        if _shape is not None:",
            "            try:",
            f"                {plan_names} = self._plans[{name!r}]",
            "            except KeyError:",
            f"                {plan_names} = _plan(self)",
            f"            if {when}:",
            *(" " * 16 + line for line in call),
        ]
    else:
        # first the memo's echo, if it has one to try: the entry of lists kept
        # before, if these are made of the very same objects (see _echo);
        # else the lists' marshal bytes as a key (None: not of values marshal
        # writes; the door's), then what prepare made of them, kept in the
        # plan's memo. Only lists and tuples are looked at: an array
        # parameter would be copied whole as bytes.
        plan_names += ", _memo"
        names = ", ".join(lists)
        are_lists = " and ".join(f"type({p}) in _lists" for p in lists)
        lines += [
            f"        if _shape is not None and {are_lists}:",
            "            try:",
            f"                {plan_names} = self._plans[{name!r}]",
            "            except KeyError:",
            f"                {plan_names} = _plan(self)",
            "            _echo = _memo.echo",
            f"            _entry = None if _echo is None else _echo({names})",
            "            if _entry is None:",
            "                try:",
            f"                    _key = _dumps({names if len(lists) == 1 else f'({names})'}, 2)",
            "                except Exception:  # ValueError: an object marshal does not write",
            "                    _key = None",
            "                if _key is not None:",
            "                    _kept = _memo.get(_key)",
            "                    if _kept is None:",
            f"                        _kept = _memo.make(self, _key, {names})",
            "                    else:  # found by its key: no echo tried, but now and then",
            "                        _wait = _memo.wait - 1",
            "                        if _wait:",
            "                            _memo.wait = _wait",
            "                            if _echo is not None:",
            "                                _memo.echo = None",
            "                        else:",
            f"                            _memo.wait, _memo.echo = {ECHO_RETRY}, _kept[1]",
            "                    if _kept is not None:",
            "                        _entry = _kept[0]",
            "            if _entry is not None:",
            f"                {', '.join(entry)}{',' if len(entry) == 1 else ''} = _entry",
            f"                if {when}:",
            *(" " * 20 + line for line in call),
        ]
    lines.append(f"    return _door({_call_text(sig)})")
    source = "\n".join(lines) + "\n"

    def plan(gen):
        """(drawer, dtype, *consts, lock[, memo]) of the usual call on ``gen``, made once.

        The drawer of a draw under a lock is its sampler, and the lock (else None).
        """
        dtype, device = gen._home(kind)
        run = gen._drawer(sampler, dtype, device)
        lock = getattr(run, "lock", None)
        found = (run if lock is None else run.sampler, dtype,
                 *(fact(gen, dtype) for fact in consts.values()), lock)
        if lists:
            found += (_Memo(prepare, dtype, device, tuple(lists.values())),)
        gen._plans[name] = found
        return found

    # the generated function lives in the door's module (doctest finds its
    # examples there); the door and the plan maker are its closure cells
    filename = f"<quick {door.__module__}.{door.__qualname__} #{next(_counter)}>"
    helpers = ", ".join(["_door", "_plan", "_dumps", "_lists",
                         *(f"_default_{p}" for p in defaults)])
    factory = f"def _factory({helpers}):\n{_indent(source)}    return {name}\n"
    linecache.cache[filename] = (len(factory), None, factory.splitlines(True), filename)
    namespace = {}
    exec(compile(factory, filename, "exec"), door.__globals__, namespace)
    fast = namespace["_factory"](door, plan, marshal.dumps, _LIST_TYPES, *defaults.values())
    fast.__defaults__ = door.__defaults__
    fast.__kwdefaults__ = door.__kwdefaults__
    fast.__doc__ = door.__doc__
    fast.__qualname__ = door.__qualname__
    fast.__module__ = door.__module__
    fast.__wrapped__ = door
    fast.quick_source = source  # for readers and tests: what the usual call runs
    fast.quick_kinds = {**dict.fromkeys(floats, "float"), **dict.fromkeys(counts, "count")}
    fast.quick_lists = dict(lists)
    return fast


# --- list parameters ---------------------------------------------------------------
# A key is the lists' ``marshal`` bytes (format 2: floats as their 8 bytes).
# marshal writes only exact builtin types, each under its own code, so equal
# bytes mean the same nesting of lists and tuples, the same element types and
# the same values, -0.0 and 0.0 apart: what converts to one array. It is one C
# call: testing each element's type on every call cost three times as much.
# The tests below run once per new key, before anything is kept: only lists
# of exact Python floats and ints are, and everything else (a bool, a
# complex, a NumPy scalar, which marshal writes as raw bytes, -0.0, None)
# goes to the door.
_LIST_TYPES = (list, tuple)


def _plain_float(x) -> bool:
    return type(x) is int or type(x) is float and not (x == 0.0 and math.copysign(1.0, x) < 0)


def _plain_int(x) -> bool:
    return type(x) is int


def _plain_list(values, element) -> bool:
    """``values`` is a list or tuple whose every item passes ``element``."""
    return type(values) in _LIST_TYPES and all(map(element, values))


def _plain_floats(values) -> bool:
    return _plain_list(values, _plain_float)


def _plain_ints(values) -> bool:
    return _plain_list(values, _plain_int)


def _plain_matrix(rows) -> bool:
    return _plain_list(rows, _plain_floats)


_PLAIN = {"floats": _plain_floats, "ints": _plain_ints, "matrix": _plain_matrix}


class _Memo(dict):
    """One method's prepared list parameters on one generator.

    key -> (``prepare``'s tuple, its echo). An echo, ``echo(*lists)``, is
    its entry if the lists it is given are made of the very same objects as
    the lists the entry was kept for, else None (:func:`_echo`); the memo's
    ``echo`` is the one the quick path tries first, or None.
    """

    __slots__ = ("prepare", "dtype", "device", "plain", "kinds", "echo", "wait")

    def __init__(self, prepare, dtype, device, kinds):
        super().__init__()
        self.prepare, self.dtype, self.device = prepare, dtype, device
        self.kinds = kinds  # each list's kind: "floats", "ints" or "matrix"
        self.plain = [_PLAIN[kind] for kind in kinds]  # each list's test
        self.echo = None  # the echo tried first; None: none (see _echo)
        self.wait = ECHO_RETRY  # lists found by their key before an echo is tried again

    def make(self, gen, key, *values):
        """(``prepare``'s tuple, its echo) for ``values``, kept under ``key``; None: the
        door decides."""
        for plain, value in zip(self.plain, values):
            if not plain(value):
                return None
        try:
            found = self.prepare(gen, self.dtype, self.device, *values)
        except Exception:  # the door raises it, after the checks it makes first
            return None
        if found is None:
            return None
        # a JAX tracer (a list converted inside jax.jit) lives in one trace only
        if len(key) > MEMO_KEY_BYTES or any(is_traced(x) for x in found):
            return found, None
        if len(self) >= MEMO_SIZE:
            self.clear()
        kept = self[key] = found, _echo(self.kinds, found, values)
        self.echo = kept[1]
        return kept


# --- the echo ----------------------------------------------------------------------
# A list parameter's marshal key and its lookup are the quick path's largest
# cost after a torch draw: 1.0 + 0.3 of the 1.7 µs that
# multivariate_normal([0., 1.], [[1., .3], [.3, 2.]], size=10) adds (ad-hoc
# timeit, 9 x 3 blocks of 50000 calls alternated with the sampler called
# directly); with the echo in their place it adds 1.2 (1.95 before). Right
# after a long torch sampler the echo of a 3-float list costs 1.4 µs, the
# key and lookup 1.9 + 0.9 (benchmarks/layers.py --context). Lists a loop
# passes again are usually made of the same objects: the same lists, or
# literals of the same constants. The memo's echo tests that: the same container types and
# lengths, and each element the very object that was kept (floats and ints
# cannot change, and the echo holds them, so their ids are not reused); then
# the lists' marshal bytes are the kept key's, and the kept entry is the one
# the key would find. Each entry's echo is made once, when it is kept, for
# the lists it was kept for, and the quick path tries the memo's echo: that
# of the entry kept last, until lists are found by their key. An echo that
# misses costs a call: lists computed anew on every call (the same values
# in new objects) or two parameter sets in turn would pay it on every call.
# So lists found by their key leave no echo to try, but every ECHO_RETRY-th
# of them tries the echo of the entry it found (lists used again after
# others). Such calls cost about 0.1-0.3 µs more than the key alone did
# (ad-hoc timeit after a torch dirichlet(10), lists of new objects on every
# call: in one process 1.76-1.80 µs added against 1.67-1.69 for the same
# code without an echo; against stop 18's code, separate processes,
# 1.61-1.91 against 1.50-2.43, and two lists in turn 1.65-1.93 against
# 1.47-1.72), where the same lists again cost 0.8-1.2 against 1.25-1.6.

#: the most numbers an echo is made for; longer lists take the key
ECHO_ITEMS = 24
#: after lists found by their key, every this many of them try an echo
ECHO_RETRY = 64


def _echo(kinds, entry, values):
    """The function ``echo(*lists) -> entry or None`` of ``values`` (see above); None
    for lists of more than ECHO_ITEMS numbers."""
    shape, types, items = [], [], []
    for kind, value in zip(kinds, values):
        types.append(type(value))
        if kind == "matrix":
            shape.append(tuple(len(row) for row in value))
            types += map(type, value)
            for row in value:
                items += row
        else:
            shape.append(len(value))
            items += value
    if len(items) > ECHO_ITEMS:
        return None
    return _echo_factory(tuple(kinds), tuple(shape))(entry, *types, *items)


@functools.lru_cache(maxsize=256)
def _echo_factory(kinds, shape):
    """``factory(entry, *types, *items) -> echo`` for lists of this shape, compiled once."""
    tests, types, items = [], [], []

    def same(expr, n):
        # expr's type and length, then each of its n elements, by identity
        t = f"_t{len(types)}"
        types.append(t)
        tests.extend([f"type({expr}) is {t}", f"len({expr}) == {n}"])
        for i in range(n):
            e = f"_e{len(items)}"
            items.append(e)
            tests.append(f"{expr}[{i}] is {e}")

    lists = [f"_l{j}" for j in range(len(kinds))]
    for j, (kind, size) in enumerate(zip(kinds, shape)):
        if kind == "matrix":
            t = f"_t{len(types)}"
            types.append(t)
            tests.extend([f"type({lists[j]}) is {t}", f"len({lists[j]}) == {len(size)}"])
            for r, n in enumerate(size):
                same(f"{lists[j]}[{r}]", n)
        else:
            same(lists[j], size)
    source = (f"def _factory(_entry, {', '.join(types + items)}):\n"
              f"    def echo({', '.join(lists)}):\n"
              f"        if {' and '.join(tests)}:\n"
              f"            return _entry\n"
              f"        return None\n"
              f"    return echo\n")
    namespace = {}
    exec(compile(source, f"<echo {kinds} {shape}>", "exec"), {}, namespace)
    return namespace["_factory"]


def _signature_text(sig):
    """``(self, a, b, size, *, dtype, device)``: the names; defaults are set afterwards."""
    out, star = [], False
    for p in sig.parameters.values():
        if p.kind is p.KEYWORD_ONLY and not star:
            out.append("*")
            star = True
        if p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
            raise TypeError(f"quick: unsupported parameter kind of {p.name}")
        out.append(p.name)
    return "(" + ", ".join(out) + ")"


def _call_text(sig):
    return ", ".join(p.name if p.kind is p.POSITIONAL_OR_KEYWORD else f"{p.name}={p.name}"
                     for p in sig.parameters.values())


def _indent(text):
    return "".join("    " + line + "\n" for line in text.splitlines())
