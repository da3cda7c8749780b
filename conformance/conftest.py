"""The conformance suite: ``pytest conformance [--backend NAME]``.

Every test takes the ``target`` fixture, parametrised over every installed
backend and device (see ``targets.py``), and uses only the public API.
"""
import pytest

from conformance.targets import targets


def pytest_addoption(parser):
    parser.addoption("--backend", default=None,
                     help="run the conformance suite on this backend only "
                          "(numpy, jax, torch, array_api_strict, or a namespace's module name)")


def pytest_generate_tests(metafunc):
    if "target" in metafunc.fixturenames:
        chosen = targets(metafunc.config.getoption("--backend"))
        metafunc.parametrize("target", chosen, ids=[t.label for t in chosen])
