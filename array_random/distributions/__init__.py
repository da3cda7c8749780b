"""Samplers written once, in Array API operations, on a backend's primitives.

Every sampler is a function ``sampler(src, shape, dtype, *params)``: ``src`` is
the backend's :class:`~array_random.backends._source.Source` (``src.xp`` is the
namespace, ``src.device`` the target device), ``shape`` the output shape after
broadcasting, ``dtype`` the validated output dtype, and ``params`` the validated
parameters (Python scalars, or arrays of ``src.xp`` already on the device and,
for floats, already of ``dtype``). Samplers never validate: the Generator facade
does that before anything is drawn.
"""
from . import basic, continuous, discrete, multivariate, sampling

SAMPLERS = {}
for _module in (basic, sampling, continuous, discrete, multivariate):
    for _name in _module.__all__:
        SAMPLERS[_name] = getattr(_module, _name)
del _module, _name
