"""Shared by tests/ and conformance/.

CI runs two pytest workers on two cores: torch's default of one OpenMP thread
per core then oversubscribes the machine and its draws run tens of times
slower, so each worker keeps to one thread unless the caller chose otherwise.

The project tests itself with its own plugin, array_random.testing (the xp,
device, dtype, rng fixtures; ``--array-backends`` etc.), and with pytester for
the plugin's own tests. ``pytest_plugins`` is honoured in this root conftest only.
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

pytest_plugins = ["array_random.testing", "pytester"]
