"""The portable stream on a real Dask cluster (two worker processes, loopback only).

The draw is several times larger than one worker's memory limit, so the
cluster can only reduce it block by block; the reductions (per block: sum,
sum of squares and a histogram, combined into mean and variance) must equal,
bit for bit, the same draw reduced block by block in this process.
"""
from __future__ import annotations

import logging
import math

import numpy as np
import pytest

import array_random

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

MEMORY_LIMIT = 160 * 2**20          # per worker (a worker process holds ~90 MiB by itself)
BLOCK = 2**19                       # float64 elements: 4 MiB a block
BLOCKS = 164                        # 656 MiB in all: 4.1x one worker's limit
BINS = np.linspace(0.0, 1.0, 11)
LANES = 1024


def _exact_sum(x):
    """A float sum whose rounding depends on the values only, not on memory alignment.

    NumPy's pairwise ``sum`` peels a few elements off an unaligned start, so
    the same values summed in two processes can differ in the last bit. Here
    1024 lanes are each summed in sequence (a reduction along axis 0, lane by
    lane), and the lanes are added exactly by ``math.fsum``.
    """
    return math.fsum(np.add.reduce(x.reshape(-1, LANES), axis=0).tolist())


def _partials(block):
    """One block's reduction: sum, sum of squares, histogram counts (exact floats)."""
    counts, _ = np.histogram(block, bins=BINS)
    return np.concatenate([[_exact_sum(block), _exact_sum(block * block)],
                           counts.astype(np.float64)])


def _mean_var(parts):
    n = parts[:, 2:].sum()
    total, squares = math.fsum(parts[:, 0]), math.fsum(parts[:, 1])
    mean = total / n
    return mean, squares / n - mean * mean


def _draw():
    rng = array_random.default_rng(da, 2026,
                                   bit_generator="threefry")
    return rng.random(BLOCK * BLOCKS, chunks=BLOCK)


def test_portable_draw_reduced_on_a_local_cluster_equals_the_local_reduction():
    x = _draw()
    assert x.nbytes > 4 * MEMORY_LIMIT and x.numblocks == (BLOCKS,)
    assert len(x.__dask_graph__()) == BLOCKS  # one task per block
    parts = x.map_blocks(_partials, chunks=(2 + len(BINS) - 1,), dtype=np.float64)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  memory_limit=MEMORY_LIMIT,
                                  silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster) as client:
        remote = np.asarray(client.compute(parts, sync=True)).reshape(BLOCKS, -1)

    # the same graph, block by block in this process (never the whole array at once)
    local = np.stack([_partials(x.blocks[i].compute(scheduler="sync")) for i in range(BLOCKS)])
    assert np.array_equal(remote, local)
    n = BLOCK * BLOCKS
    assert remote[:, 2:].sum() == n  # every element counted in the histogram
    mean, var = _mean_var(remote)
    assert (mean, var) == _mean_var(local)
    # the statistics themselves: mean 1/2 and variance 1/12 within 6 standard errors,
    # every histogram bin 1/10 of the draw within 6 standard errors
    assert abs(mean - 0.5) < 6 * (1 / 12 / n) ** 0.5
    assert abs(var - 1 / 12) < 6 * (1 / 180 / n) ** 0.5
    assert np.all(np.abs(remote[:, 2:].sum(axis=0) / n - 0.1) < 6 * (0.09 / n) ** 0.5)
    # and the first block is NumPy's portable draw of the same seed
    first = array_random.default_rng(np, 2026, bit_generator="threefry").random(BLOCK)
    assert np.array_equal(_partials(first), local[0])
