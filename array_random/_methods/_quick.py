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
"""
from __future__ import annotations

import inspect
import itertools
import linecache

#: a float parameter given as a Python int is used as is below this magnitude
#: (``Generator._param``); beyond it the door converts it to a float
EXACT = 2**53
#: a count parameter (``n``, ``ngood``, ...) given as a Python int is used as
#: is in int64's range (``DiscreteMethods._count_param``)
INT64 = 2**63

_counter = itertools.count()


def quick(sampler, *, kind="real floating", floats="", counts="", when="True", args=None,
          shape=None, fixed=None, consts=None):
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
    """
    def decorate(door):
        return _generate(door, sampler, kind, floats.split(), counts.split(), when, args,
                         shape, dict(fixed or {}), dict(consts or {}))
    return decorate


def _generate(door, sampler, kind, floats, counts, when, args, shape, fixed, consts):
    name = door.__name__
    sig = inspect.signature(door)
    params = list(sig.parameters)[1:]  # after self
    if any(p.startswith("_") for p in params):
        raise TypeError(f"quick({sampler!r}): the generated code's own names start with _")
    for p in floats + counts + list(fixed):
        if p not in params:
            raise TypeError(f"quick({sampler!r}): {name} has no parameter {p!r}")
    if "out" in params:
        fixed.setdefault("out", None)

    tests = [f"{p} is None" for p in ("dtype", "device") if p in params]
    for p, value in fixed.items():
        # None, True, False by identity; a string default by equality
        tests.append(f"{p} is {value!r}" if value is None or isinstance(value, bool)
                     else f"{p} == {value!r}")
    tests += [f"(type({p}) is float or type({p}) is int and -{EXACT} < {p} < {EXACT})"
              for p in floats]
    tests += [f"type({p}) is int and -{INT64} <= {p} < {INT64}" for p in counts]
    if args is None:
        args = ", ".join(p for p in params if p in floats or p in counts)
    plan_names = ", ".join(["_run", "_dt"] + list(consts))

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
    lines += [
        "        if _shape is not None:",
        "            try:",
        f"                {plan_names} = self._plans[{name!r}]",
        "            except KeyError:",
        f"                {plan_names} = _plan(self)",
        f"            if {when}:",
        f"                return _run(_shape, _dt{', ' if args else ''}{args})",
        f"    return _door({_call_text(sig)})",
    ]
    source = "\n".join(lines) + "\n"

    def plan(gen):
        """(drawer, dtype, *consts) of the usual call on ``gen``, made once."""
        dtype, device = gen._home(kind)
        found = (gen._drawer(sampler, dtype, device), dtype,
                 *(fact(gen, dtype) for fact in consts.values()))
        gen._plans[name] = found
        return found

    # the generated function lives in the door's module (doctest finds its
    # examples there); the door and the plan maker are its closure cells
    filename = f"<quick {door.__module__}.{door.__qualname__} #{next(_counter)}>"
    factory = f"def _factory(_door, _plan):\n{_indent(source)}    return {name}\n"
    linecache.cache[filename] = (len(factory), None, factory.splitlines(True), filename)
    namespace = {}
    exec(compile(factory, filename, "exec"), door.__globals__, namespace)
    fast = namespace["_factory"](door, plan)
    fast.__defaults__ = door.__defaults__
    fast.__kwdefaults__ = door.__kwdefaults__
    fast.__doc__ = door.__doc__
    fast.__qualname__ = door.__qualname__
    fast.__module__ = door.__module__
    fast.__wrapped__ = door
    fast.quick_source = source  # for readers and tests: what the usual call runs
    fast.quick_kinds = {**dict.fromkeys(floats, "float"), **dict.fromkeys(counts, "count")}
    return fast


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
