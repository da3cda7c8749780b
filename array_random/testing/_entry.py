"""The ``pytest11`` entry point: inert unless the project opts in with ``array_random = true``.

pytest loads every installed ``pytest11`` entry point, so this module adds
nothing but one ini key. When a project's ini file sets it, the real plugin
(``array_random.testing``) is registered before the conftest files load, so
its options, fixtures and header appear as with ``-p array_random.testing``.
"""
from __future__ import annotations


def pytest_addoption(parser):
    parser.addini("array_random", type="bool", default=False,
                  help="true: enable the array_random.testing plugin (xp, device, dtype, rng "
                       "fixtures), as -p array_random.testing does")


def pytest_load_initial_conftests(early_config, parser, args):
    if early_config.getini("array_random"):
        # a no-op when -p array_random.testing already registered it
        early_config.pluginmanager.import_plugin("array_random.testing")
