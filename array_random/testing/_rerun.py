"""The rerun line: a failing case says how to run exactly it again, as a pasteable command."""
from __future__ import annotations

import shlex

from ._seeding import CASE, randomly_active, seed_words, test_key

#: the key of the rerun command in a report's user_properties (travels with xdist reports)
PROPERTY = "array_random_rerun"


def command(item, settings, base: int) -> str | None:
    """``python -m pytest 'node id' --array-backends B --rng-seed S ...`` for a case, or None."""
    callspec = getattr(item, "callspec", None)
    case = callspec.params.get(CASE) if callspec is not None else None
    if case is None:
        return None
    config = item.config
    args = ["python", "-m", "pytest", item.nodeid]
    if _opted_in_on_command_line(config):
        args += ["-p", "array_random.testing"]
    # the node id holds the device and dtype; the backend option keeps the others out of
    # the collection and makes the case exist even where an ini or env narrowed the backends
    args += ["--array-backends", case.name, "--rng-seed", str(base)]
    if settings.bit_generator != "threefry":
        args += ["--rng-bit-generator", settings.bit_generator]
    if randomly_active(config):
        args += ["-p", "randomly", "--randomly-seed", str(config.getoption("randomly_seed"))]
    line = shlex.join(args)
    if config.invocation_params.dir != config.rootpath:
        # node ids are relative to the rootdir: run it from there
        line = f"cd {shlex.quote(str(config.rootpath))} && {line}"
    return line


def details(item, settings, base: int) -> str:
    case = item.callspec.params[CASE]
    words = seed_words(base, test_key(item))
    return (f"backend {case.name} {case.backend.version}, device {case.device_label}"
            + (f", dtype {case.dtype_name}" if case.dtype_name else "")
            + f", rng seed {base} (SeedSequence({words}), bit generator "
              f"{settings.bit_generator})")


def _opted_in_on_command_line(config) -> bool:
    """Whether ``-p array_random.testing`` was typed (then the rerun line needs it too)."""
    args = list(config.invocation_params.args)
    return any(a == "-parray_random.testing"
               or (a == "-p" and i + 1 < len(args) and args[i + 1] == "array_random.testing")
               for i, a in enumerate(args))
