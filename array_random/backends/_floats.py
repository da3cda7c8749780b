"""Python floats as the few namespace functions of the vonmises formulas.

For a draw of a handful of values on a CPU, ``TorchSource.vonmises`` runs
the generic formulas (``continuous.vonmises_proposal``, ``vonmises_turn``)
on the Python floats of one kernel's uniforms, with this module as their
``xp``: a torch operation on a small CPU tensor costs 3-8 us on this
project's machine, the same arithmetic on a float about 0.1. Float64
throughout, rounded to the draw's dtype once, at the end.
"""
from __future__ import annotations

import math
import operator

sin, atan2, log1p, log, isfinite = math.sin, math.atan2, math.log1p, math.log, math.isfinite
remainder = operator.mod  # a float's % takes the divisor's sign, as the standard's remainder
abs = abs  # the builtin, as a namespace attribute


def where(condition, x1, x2):
    return x1 if condition else x2


def logical_and(x1, x2):
    return x1 and x2


def logical_not(x):
    return not x
