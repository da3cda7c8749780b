"""Per-test seeds: a base seed mixed with the test's node id, and pytest-randomly's hook.

A test's seed must not depend on what else runs (order, ``-k``, xdist
workers) nor on which backend it runs on: with the portable stream, that is
what makes every backend draw the same numbers for the same test. So the key
is the node id *without* the plugin's own case (``[torch-cpu]``), plus the
index of every other parameter, hashed with SHA-256.
"""
from __future__ import annotations

import hashlib

import numpy as np

import _array_random_pytest as _entry  # holds pytest-randomly's seed (its random_seeder)

CASE = "_array_random_case"


def enter_session() -> object:
    """Forget pytest-randomly's seed for a new session; returns the one to restore after it.

    Sessions nest (pytester runs pytest inside a test): the outer session's
    seed comes back when the inner one ends (:func:`leave_session`).
    """
    outer, _entry.randomly_seed = _entry.randomly_seed, None
    return outer


def leave_session(outer) -> None:
    _entry.randomly_seed = outer


def base_seed(config, settings) -> tuple[int, str]:
    """``(base seed, where it came from)``: --rng-seed, else pytest-randomly's, else 0."""
    if settings.seed is not None:
        return settings.seed, "--rng-seed"
    if randomly_active(config):
        seed = _entry.randomly_seed
        if seed is None:  # before pytest-randomly's session start (the report header)
            seed = config.getoption("randomly_seed")
        return int(seed) % 2**64, "--randomly-seed"
    return 0, "default"


def randomly_active(config) -> bool:
    return config.pluginmanager.hasplugin("randomly") and isinstance(
        config.getoption("randomly_seed", None), int)


def test_key(item) -> str:
    """The node id without the plugin's case: ``path::Class::test[other=0]``."""
    callspec = getattr(item, "callspec", None)
    others = sorted((k, i) for k, i in callspec.indices.items() if k != CASE) if callspec else ()
    name = getattr(item, "originalname", None) or item.name
    return f"{item.parent.nodeid}::{name}" + "".join(f"[{k}={i}]" for k, i in others)


def seed_words(base: int, key: str) -> list[int]:
    """The entropy of the test's ``SeedSequence``: the base seed, then 4 words of the key."""
    digest = hashlib.sha256(key.encode()).digest()
    return [base] + [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]


def seed_sequence(base: int, key: str) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed_words(base, key))
