"""NumPy: ``numpy.random.Generator`` (PCG64) does every draw it has a routine for."""
from __future__ import annotations

import numpy as np

from ._base import Backend
from ._source import Source


class NumpySource(Source):
    def __init__(self, xp, gen: np.random.Generator):
        self.xp = xp
        self.device = "cpu"
        self.gen = gen

    def bits(self, shape, width):
        dtype = np.uint32 if width == 32 else np.uint64
        return self.gen.integers(0, np.iinfo(dtype).max, size=shape, dtype=dtype, endpoint=True)

    def random(self, shape, dtype):
        return self.gen.random(shape, dtype=dtype)

    def standard_normal(self, shape, dtype):
        return self.gen.standard_normal(shape, dtype=dtype)

    def standard_exponential(self, shape, dtype):
        return self.gen.standard_exponential(shape, dtype=dtype)

    def integers(self, shape, dtype, low, high):
        return self.gen.integers(low, high, size=shape, dtype=dtype, endpoint=True)

    def permutation_indices(self, shape, dtype):
        if len(shape) == 1:
            return self.gen.permutation(shape[0]).astype(dtype, copy=False)
        return self.gen.permuted(np.broadcast_to(np.arange(shape[-1], dtype=dtype), shape), axis=-1)

    def uniform(self, shape, dtype, low, high):
        if dtype == np.float64:
            return self.gen.uniform(low, high, shape)
        return super().uniform(shape, dtype, low, high)

    def normal(self, shape, dtype, loc, scale):
        if dtype == np.float64:
            return self.gen.normal(loc, scale, shape)
        return super().normal(shape, dtype, loc, scale)

    def exponential(self, shape, dtype, scale):
        if dtype == np.float64:
            return self.gen.exponential(scale, shape)
        return super().exponential(shape, dtype, scale)


class NumpyBackend(Backend):
    name = "numpy"

    def __init__(self, xp, device, seed):
        super().__init__(xp, device, seed)
        if isinstance(seed, np.random.Generator):
            self.gen = seed
        else:
            self.gen = np.random.Generator(np.random.PCG64(seed))
        self._source = NumpySource(xp, self.gen)

    def draw(self, name, shape, dtype, device, *params, **static):
        out = getattr(self._source, name)(shape, dtype, *params, **static)
        # numpy returns Python/NumPy scalars for shape (); the contract is a 0-d array
        return out if type(out) is np.ndarray else np.asarray(out)

    def spawn(self, n):
        return [NumpyBackend(self.xp, self.device, child) for child in self.gen.spawn(n)]

    def entropy(self):
        return [int(w) for w in self.gen.integers(0, 2**32, size=4, dtype=np.uint32)]

    def get_state(self):
        return {"bit_generator": self.gen.bit_generator.state,
                "seed_seq": self.gen.bit_generator.seed_seq}

    def set_state(self, state):
        bitgen = np.random.PCG64(state["seed_seq"])
        bitgen.state = state["bit_generator"]
        self.gen = np.random.Generator(bitgen)
        self._source = NumpySource(self.xp, self.gen)

    def check_device(self, device):
        if device not in ("cpu", None):
            raise ValueError(f"NumPy arrays live on 'cpu' only, not {device!r}")
        return "cpu"
