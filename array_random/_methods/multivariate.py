"""Multivariate distributions: the doors of dirichlet, multinomial, multivariate_normal, ..."""
from __future__ import annotations


class MultivariateMethods:
    pass
