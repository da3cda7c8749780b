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
    parser.addoption("--fuzz-examples", type=int, default=None,
                     help="examples per test of the NumPy-differential fuzz (test_fuzz.py); "
                          "default: $ARRAY_RANDOM_FUZZ_EXAMPLES, else the small CI run")


def pytest_generate_tests(metafunc):
    if "target" in metafunc.fixturenames:
        chosen = targets(metafunc.config.getoption("--backend"))
        metafunc.parametrize("target", chosen, ids=[t.label for t in chosen])


@pytest.fixture(autouse=True)
def _jax_key_reuse_checker(request):
    """Every JAX test runs under JAX's key-reuse checker: a reused key raises.

    SPEC K5 for JAX: a key handed to a sampler twice would give correlated
    draws; the checker makes that an error instead of a statistical accident.
    """
    target = request.node.callspec.params.get("target") if hasattr(request.node, "callspec") \
        else None
    if target is None or target.name != "jax":
        yield
        return
    import jax

    with jax.debug_key_reuse(True):
        yield
