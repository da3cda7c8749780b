"""The ``array-random`` command: ``compare`` (backends side by side) and ``info``.

``array-random compare`` draws every distribution on every installed backend
and device from the same seed, and prints one table: goodness of fit against
``scipy.stats`` with a pass/fail mark, draws per second through array_random
and through the backend's own routine, and which backends drew identical
values. ``--json FILE`` writes every figure (schema: ``array_random._compare``),
``--plot FILE.png`` one histogram panel per distribution. ``array-random info``
lists backends, versions, devices and default dtypes.

Exit status: 0 when every cell passes, 1 when one fails or raises, 2 for a bad
command line (one line on stderr). rich, scipy and matplotlib (the ``cli``
extra) are imported only here, when the command runs.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys

PROG = "array-random"
DEFAULT_SIZE = 10**6
DEFAULT_SEED = 0


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad command line in one line and exit status 2."""

    def error(self, message):
        raise _UsageError(f"{message} (see {self.prog} --help)")


def _size(text: str) -> int:
    s = text.strip().replace("_", "").replace(",", "")
    m = re.fullmatch(r"(\d+)\s*(?:\*\*|\^)\s*(\d+)", s)
    try:
        if m:
            value = int(m.group(1)) ** int(m.group(2))
        else:
            f = float(s)
            if not f.is_integer():
                raise ValueError
            value = int(f)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f"--size must be a positive integer, got {text!r}")
    if value <= 0:
        raise argparse.ArgumentTypeError(f"--size must be positive, got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed must be a non-negative integer, got {text!r}")
    if value < 0:
        raise argparse.ArgumentTypeError(f"--seed must be non-negative, got {text!r}")
    return value


def _names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list, got {text!r}")
    return names


def _parser() -> _Parser:
    p = _Parser(prog=PROG, description="array_random: NumPy's Generator API on every Array "
                "API backend. Compare the backends, or list them.")
    sub = p.add_subparsers(dest="command", metavar="{compare,info}", parser_class=_Parser)
    c = sub.add_parser("compare", help="every distribution on every backend, side by side",
                       description="Draw every distribution on every installed backend and "
                       "device from the same seed; report goodness of fit against scipy.stats, "
                       "speed against the native routine, and which backends agree bitwise. "
                       "Exit status 0: all pass; 1: a cell failed or raised; 2: bad flags.")
    c.add_argument("--backends", type=_names, metavar="LIST",
                   help="comma-separated: numpy, jax, torch, array_api_strict, or an importable "
                        "Array API namespace served by a registered backend (default: every "
                        "installed built-in one)")
    c.add_argument("--devices", type=_names, metavar="LIST",
                   help="comma-separated device names (cpu, cuda, device2, ...) or labels "
                        "(torch:cpu); 'all' for every device (default: every device, "
                        "array_api_strict on no_x64 only)")
    c.add_argument("--methods", type=_names, metavar="LIST",
                   help="comma-separated Generator methods (default: every distribution)")
    c.add_argument("--size", type=_size, default=None, metavar="N",
                   help="draws per cell, e.g. 100000, 1e5, 10^5 (default: 10^6; a default run "
                        "gives array_api_strict a tenth of it)")
    c.add_argument("--seed", type=_seed, default=DEFAULT_SEED, metavar="S",
                   help=f"seed of every cell's Generator (default: {DEFAULT_SEED})")
    c.add_argument("--bit-generator", choices=("native", "threefry"), default="native",
                   help="native: each library's own generator (default); threefry: the "
                        "portable stream, the same values on every backend. With threefry, "
                        "continuous draws are float32 on every device (the one float dtype "
                        "all have) unless --float-dtype says otherwise")
    c.add_argument("--float-dtype", choices=("default", "float32", "float64"), default=None,
                   help="dtype of continuous draws: each device's default, or one for all "
                        "(devices without it are skipped)")
    c.add_argument("--full", action="store_true",
                   help="every device of every backend (array_api_strict's five) at the full "
                        "--size")
    c.add_argument("--json", metavar="FILE", help="write every figure to FILE as JSON")
    c.add_argument("--plot", metavar="FILE.png", help="write the histograms to FILE "
                   "(.png, .pdf or .svg)")
    c.add_argument("--no-native", action="store_true",
                   help="do not time the backends' own routines (saves compiling JAX's)")
    c.add_argument("--no-cache", action="store_true",
                   help="do not keep JAX's compiled draws in the persistent compilation cache "
                        "(default: $XDG_CACHE_HOME/array-random/jax, unless JAX has one)")
    c.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    sub.add_parser("info", help="backends, versions, devices and default dtypes",
                   description="List the built-in backends: installed or not, version, "
                   "devices and each device's default dtypes.")
    return p


def _check_writable(path: str, flag: str) -> None:
    if os.path.isdir(path):
        raise _UsageError(f"{flag} {path}: is a directory")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise _UsageError(f"{flag} {path}: no such directory {parent}")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise _UsageError(f"{flag} {path}: not writable")
    if not os.path.exists(path) and not os.access(parent, os.W_OK):
        raise _UsageError(f"{flag} {path}: directory {parent} is not writable")


def _need_cli_extra() -> None:
    import importlib.util
    missing = [m for m in ("rich", "scipy", "matplotlib") if importlib.util.find_spec(m) is None]
    if missing:
        raise _UsageError(f"this command needs {', '.join(missing)}: "
                          f"pip install 'array-random[cli]'")


def _compare(args, argv) -> int:
    from . import _compare
    from ._compare import reference, report, targets

    _need_cli_extra()
    for flag, path in (("--json", args.json), ("--plot", args.plot)):
        if path:
            _check_writable(path, flag)
    if args.plot and os.path.splitext(args.plot)[1].lower() not in (".png", ".pdf", ".svg"):
        raise _UsageError(f"--plot {args.plot}: the file name must end in .png, .pdf or .svg")
    if args.methods:
        unknown = [m for m in args.methods if m not in reference.BY_NAME]
        if unknown:
            nodist = [m for m in unknown if m in reference.NOT_DISTRIBUTIONS]
            if nodist:
                raise _UsageError(f"--methods: {', '.join(nodist)} draw no distribution to "
                                  f"compare")
            raise _UsageError(f"--methods: unknown method {', '.join(unknown)}; choose from "
                              f"{', '.join(reference.BY_NAME)}")
        cases = [reference.BY_NAME[m] for m in dict.fromkeys(args.methods)]
    else:
        cases = list(reference.CASES)
    backends = None if not args.backends or args.backends == ["all"] else args.backends
    try:
        chosen, skipped = targets.select(backends, args.devices, full=args.full)
    except targets.UsageError as exc:
        raise _UsageError(str(exc)) from None
    float_dtype = args.float_dtype or ("float32" if args.bit_generator == "threefry"
                                       else "default")
    float_dtype = None if float_dtype == "default" else float_dtype
    if float_dtype is not None:
        lacking = [t for t in chosen if not _has_dtype(t, float_dtype)]
        skipped = list(skipped) + [targets.Skipped(t.backend, t.device_name,
                                                   f"no {float_dtype}") for t in lacking]
        chosen = [t for t in chosen if t not in lacking]
    chosen = [dataclasses.replace(t, bit_generator=args.bit_generator, float_dtype=float_dtype)
              for t in chosen]
    size = args.size or DEFAULT_SIZE
    reduced = args.size is None and not args.full
    cache = None
    if not args.no_cache and any(t.backend == "jax" for t in chosen):
        cache = _jax_cache()

    with report.Progress(len(cases) * len(chosen), enabled=not args.no_progress) as progress:
        result = _compare.compare(cases, chosen, skipped, size, args.seed,
                                  reduced_strict=reduced, plot=bool(args.plot),
                                  native=not args.no_native,
                                  on_cell=progress.on_cell, argv=argv)
    result["jax_cache"] = cache
    result["bit_generator"] = args.bit_generator
    result["float_dtype"] = float_dtype
    report.show(result)
    try:
        if args.json:
            import json
            with open(args.json, "w") as fh:
                json.dump(_compare.to_json(result), fh, indent=1)
                fh.write("\n")
        if args.plot:
            from ._compare import plot
            plot.plot(result, args.plot)
    except OSError as exc:
        raise _UsageError(f"cannot write {exc.filename}: {exc.strerror}") from None
    s = result["summary"]
    return 1 if s["fail"] or s["error"] else 0


def _has_dtype(target, name: str) -> bool:
    info = target.rng(0).xp.__array_namespace_info__()
    try:
        return name in info.dtypes(device=target.device)
    except TypeError:  # jax.numpy's takes no device
        return name in info.dtypes()


def _jax_cache() -> str | None:
    """Turn on JAX's persistent compilation cache; its directory, or None.

    Compiling JAX's draws is most of a run; cached, a second run skips XLA's
    work. A directory JAX was already given (``JAX_COMPILATION_CACHE_DIR``)
    is kept.
    """
    import jax

    current = jax.config.jax_compilation_cache_dir
    if current:
        return current
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "array-random", "jax")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return None
    if not os.access(path, os.W_OK):
        return None
    jax.config.update("jax_compilation_cache_dir", path)
    return path


def _info() -> int:
    from ._compare import report, targets

    _need_cli_extra()
    records, lib = targets.info()
    report.show_info(records, lib)
    return 0


def main(argv=None) -> int:
    """Run ``array-random``; returns the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0: success (every cell passes); 1: a cell failed or raised; 2: bad flags.

    Examples
    --------
    >>> from array_random.cli import main
    >>> main(["compare", "--backends", "numpy", "--methods", "normal",
    ...       "--size", "1e4"])  # doctest: +SKIP
    0
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(argv)
        if args.command == "compare":
            return _compare(args, argv)
        if args.command == "info":
            return _info()
        raise _UsageError(f"choose a command: compare or info (see {PROG} --help)")
    except _UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
