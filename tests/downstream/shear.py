"""Weak-lensing shape noise, written once against the Array API (in the style of GLASS).

A downstream library's code: it takes an array_random Generator (any backend) and
returns arrays of the generator's namespace, on its device, in the requested dtype.
"""
from __future__ import annotations

import array_api_compat


def ellipticity_gaussian(count: int, sigma: float, *, rng, dtype=None):
    """Complex ellipticities with Gaussian components of scale ``sigma``, truncated to |e| < 1.

    Components outside the unit disc are redrawn (all at once, masked) until none is left,
    as GLASS's ``ellipticity_gaussian`` does.

    Returns
    -------
    e1, e2 : arrays of shape ``(count,)``
    """
    xp = rng.xp
    e1 = rng.normal(0.0, sigma, size=count, dtype=dtype)
    e2 = rng.normal(0.0, sigma, size=count, dtype=dtype)
    outside = e1 * e1 + e2 * e2 >= 1
    while bool(xp.any(outside)):
        n1 = rng.normal(0.0, sigma, size=count, dtype=dtype)
        n2 = rng.normal(0.0, sigma, size=count, dtype=dtype)
        e1, e2 = xp.where(outside, n1, e1), xp.where(outside, n2, e2)
        outside = e1 * e1 + e2 * e2 >= 1
    return e1, e2


def shear_estimate(e1, e2, weights):
    """The weighted mean ellipticity ``(g1, g2)`` and its standard error, as 0-d arrays."""
    xp = array_api_compat.array_namespace(e1, e2, weights)
    w = weights / xp.sum(weights)
    g1, g2 = xp.sum(w * e1), xp.sum(w * e2)
    # the variance of a weighted mean of independent draws: sum(w**2 var(e))
    var = xp.sum(w * w * ((e1 - g1) ** 2 + (e2 - g2) ** 2)) / 2
    return g1, g2, xp.sqrt(var)
