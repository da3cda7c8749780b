"""array_random.testing: test array-agnostic code on every installed backend.

PYTEST_DONT_REWRITE (the helpers raise their own messages; importing this
module before pytest registers it must not warn).

A pytest plugin, inactive until a project opts in, by one of::

    pytest -p array_random.testing              # command line (or addopts)
    pytest_plugins = ["array_random.testing"]  # the root conftest.py
    array_random = true                        # [tool.pytest.ini_options] / pytest.ini

Fixtures: ``xp`` (each installed backend's namespace, as array_api_compat
presents it), ``device`` (each usable device), ``dtype`` (each real floating
dtype of the device), ``rng`` (an ``array_random.Generator`` on ``xp`` and
``device``, seeded from ``--rng-seed`` and the test's node id, drawing the
portable stream: the same numbers on every backend) and ``numpy_rng`` (the
same seed on NumPy: the reference to compare with). Options
``--array-backends``, ``--array-devices``, ``--rng-seed``,
``--rng-bit-generator`` (each with an ini key and an environment variable),
markers ``skip_backend``, ``xfail_backend``, ``requires_capability``, and a
pasteable rerun line for every failing case.

Helpers (usable without the plugin): :func:`assert_close`,
:func:`assert_equal`, :func:`assert_same_distribution`, and
:func:`installed_backends` (the enumeration behind ``xp``/``device``).
"""
from ._plugin import (  # noqa: F401  (hooks and fixtures: pytest finds them on this module)
    _array_random_case,
    _array_random_per_device,
    _array_random_per_dtype,
    device,
    dtype,
    numpy_rng,
    pytest_addoption,
    pytest_configure,
    pytest_generate_tests,
    pytest_report_header,
    pytest_runtest_makereport,
    pytest_sessionstart,
    pytest_terminal_summary,
    pytest_unconfigure,
    rng,
    xp,
)
from ._backends import KNOWN, Backend, installed_backends
from .assertions import assert_close, assert_equal, assert_same_distribution

__all__ = ["assert_close", "assert_equal", "assert_same_distribution", "installed_backends",
           "Backend", "KNOWN"]
