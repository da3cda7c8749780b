"""Shared by tests/ and conformance/.

CI runs two pytest workers on two cores: torch's default of one OpenMP thread
per core then oversubscribes the machine and its draws run tens of times
slower, so each worker keeps to one thread unless the caller chose otherwise.
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
