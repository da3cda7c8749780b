"""Multivariate samplers (see the package docstring for the sampler convention)."""
from __future__ import annotations

__all__: list[str] = []
