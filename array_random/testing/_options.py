"""The plugin's options: command line, then environment variable, then ini key, then default.

Each setting is validated once, in ``pytest_configure``; a bad value is a
``pytest.UsageError`` naming the option, where it came from and what is allowed.
"""
from __future__ import annotations

import dataclasses
import os

import pytest

from . import _backends

BIT_GENERATORS = ("threefry", "native")
DEVICE_CHOICES = ("all", "default")

# (dest, flag, ini key, environment variable, help)
_OPTIONS = (
    ("array_backends", "--array-backends", "array_backends", "ARRAY_RANDOM_BACKENDS",
     "comma-separated backends the xp fixture runs on (default: all installed), from: "
     + ", ".join(_backends.KNOWN)),
    ("array_devices", "--array-devices", "array_devices", "ARRAY_RANDOM_DEVICES",
     "all: every usable device of each backend (default); default: its default device only"),
    ("rng_seed", "--rng-seed", "rng_seed", "ARRAY_RANDOM_RNG_SEED",
     "base seed of the rng fixture, a non-negative int (default: pytest-randomly's seed when "
     "it is active, else 0); each test's seed mixes it with the test's node id"),
    ("rng_bit_generator", "--rng-bit-generator", "rng_bit_generator",
     "ARRAY_RANDOM_BIT_GENERATOR",
     "threefry: the portable stream, the same numbers on every backend (default); "
     "native: each backend's own generator"),
)


@dataclasses.dataclass(frozen=True)
class Settings:
    """The validated options of one run.

    Attributes
    ----------
    backends : tuple of str
        The requested backends, in :data:`_backends.KNOWN` order.
    explicit_backends : bool
        Whether they were named (then a missing one is an error, not a skip).
    devices : str
        ``"all"`` or ``"default"``.
    seed : int or None
        The base seed given by the user, None when not given.
    bit_generator : str
        ``"threefry"`` or ``"native"``.
    """

    backends: tuple
    explicit_backends: bool
    devices: str
    seed: int | None
    bit_generator: str


def add_options(parser) -> None:
    group = parser.getgroup("array_random", "array_random.testing (xp, device, dtype, rng)")
    for dest, flag, ini, env, help_ in _OPTIONS:
        group.addoption(flag, dest=dest, default=None, help=f"{help_} [env {env}, ini {ini}]")
        parser.addini(ini, help=f"{help_} (overridden by {env} and {flag})")


def _raw(config, dest, flag, ini, env):
    """``(value, where it came from)``, or ``(None, None)`` when not set anywhere."""
    value = config.getoption(dest)
    if value is not None:
        return value, flag
    value = os.environ.get(env)
    if value:
        return value, f"${env}"
    value = config.getini(ini)
    if value:
        return value, f"ini option {ini}"
    return None, None


def _error(origin, value, allowed) -> pytest.UsageError:
    return pytest.UsageError(f"array_random.testing: {origin}={value!r}: {allowed}")


def read(config) -> Settings:
    """The run's :class:`Settings`, or ``pytest.UsageError`` on a bad value."""
    raw = {dest: _raw(config, dest, flag, ini, env) for dest, flag, ini, env, _ in _OPTIONS}

    value, origin = raw["array_backends"]
    if value is None or value.strip() == "all":
        backends, explicit = _backends.KNOWN, False
    else:
        names = [n.strip() for n in value.split(",") if n.strip()]
        unknown = [n for n in names if n not in _backends.KNOWN]
        if not names or unknown:
            raise _error(origin, value, f"unknown backend {', '.join(unknown) or '(none)'}; "
                                        f"choose from {', '.join(_backends.KNOWN)} or all")
        missing = [n for n in names if not _backends.is_installed(n)]
        if missing:
            raise _error(origin, value, f"{', '.join(missing)} not installed")
        backends, explicit = tuple(n for n in _backends.KNOWN if n in names), True

    value, origin = raw["array_devices"]
    devices = (value or "all").strip()
    if devices not in DEVICE_CHOICES:
        raise _error(origin, value, f"choose from {', '.join(DEVICE_CHOICES)}")

    value, origin = raw["rng_seed"]
    seed = None
    if value is not None:
        try:
            seed = int(str(value).strip())
        except ValueError:
            seed = -1
        if seed < 0:
            raise _error(origin, value, "the seed must be a non-negative integer")

    value, origin = raw["rng_bit_generator"]
    bit_generator = (value or "threefry").strip()
    if bit_generator not in BIT_GENERATORS:
        raise _error(origin, value, f"choose from {', '.join(BIT_GENERATORS)}")
    if bit_generator == "threefry" and not _portable_stream_available():
        if value is not None:
            raise _error(origin, value, "this array_random has no portable stream "
                                        "(default_rng(..., bit_generator=...)); use native")
        bit_generator = "native"  # an older array_random: its own generators, said in the header
    return Settings(backends, explicit, devices, seed, bit_generator)


def _portable_stream_available() -> bool:
    import inspect

    import array_random
    return "bit_generator" in inspect.signature(array_random.default_rng).parameters
