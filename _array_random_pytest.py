"""array_random's pytest entry points, kept apart so that being installed costs nothing.

pytest imports every installed ``pytest11`` entry point on every run, and
pytest-randomly every ``random_seeder``; a module inside ``array_random``
would import the library (and NumPy) into every test run on the machine. This
one imports nothing: it adds one ini key, and when a project's ini sets it
(``array_random = true``) it registers the real plugin, ``array_random.testing``,
before the conftest files load, as ``-p array_random.testing`` would.
"""
from __future__ import annotations

#: pytest-randomly's session seed in this process (see random_seeder); read by the plugin
randomly_seed = None


def pytest_addoption(parser):
    parser.addini("array_random", type="bool", default=False,
                  help="true: enable the array_random.testing plugin (xp, device, dtype, rng "
                       "fixtures), as -p array_random.testing does")


def pytest_load_initial_conftests(early_config, parser, args):
    if early_config.getini("array_random"):
        # a no-op when -p array_random.testing already registered it
        early_config.pluginmanager.import_plugin("array_random.testing")


def random_seeder(seed: int) -> None:
    """pytest-randomly's ``random_seeder`` entry point: remember its session seed.

    pytest-randomly calls every seeder with its seed at session start, then
    with per-test offsets (``seed + crc32(node id)``): only the first call of
    a session is the seed itself, and the plugin clears the record before each
    session (restoring it after a nested one). Without the plugin it is unused.
    """
    global randomly_seed
    if randomly_seed is None:
        randomly_seed = int(seed)
