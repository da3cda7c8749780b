"""The Generator facade: NumPy's API, settled into (shape, dtype, device, params) for a backend.

Every sampling method follows one path: resolve ``device`` and ``dtype``,
convert and check the parameters (NumPy's exception classes, before anything
is drawn), work out the output shape, then ``backend.draw(sampler, ...)``. The
methods themselves live in ``_methods/``, grouped by kind.
"""
from __future__ import annotations

import copy
import numbers

import array_api_compat

from . import _validate
from ._dispatch import make_backend
from ._methods.continuous import ContinuousMethods
from ._methods.discrete import DiscreteMethods
from ._methods.multivariate import MultivariateMethods
from ._methods.sampling import SamplingMethods

_EXACT = 2**53  # Python ints up to here are exact as floats
_KINDS = {"real floating": "a real floating", "integral": "an integer"}
_NAMES = {"real floating": ("float16", "float32", "float64"),
          "integral": ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")}


class Generator(ContinuousMethods, DiscreteMethods, MultivariateMethods, SamplingMethods):
    """Random draws in one array namespace, on one default device.

    Create it with :func:`array_random.default_rng`. Every method of
    ``numpy.random.Generator`` exists with NumPy's parameter names, defaults
    and broadcasting, plus keyword-only ``device=`` (and ``dtype=`` where it
    makes floats or integers). Results are arrays of the generator's namespace.

    Attributes
    ----------
    xp : module
        The array namespace (as ``array_api_compat`` presents it).
    device : object
        The default device of every draw.
    backend : str
        ``"numpy"``, ``"jax"``, ``"torch"``, ``"array_api_strict"``, ...
    """

    def __new__(cls, backend=None):
        # a backend whose arrays need methods of their own (Dask's chunks=)
        # names its Generator subclass; Generator(backend) then builds that
        facade = getattr(backend, "facade", None)
        if facade is not None and not issubclass(cls, facade):
            cls = facade
        return super().__new__(cls)

    def __init__(self, backend):
        self._backend = backend
        # an attribute, not a property: every parameter check reads it
        self.xp = backend.xp
        self._dtype_cache = {}
        self._range_cache = {}
        self._defaults = {}  # (kind, dtype) -> (device, dtype) of a draw on the home device
        self._own_types = set()  # array types found to be of this namespace
        self._mutable_types = set()  # those of them found writable in place (shuffle)
        self._runs = {}  # (sampler, dtype, device) -> the backend's drawer, see _draw
        self._plans = {}  # method -> its usual call's (drawer, dtype, ...), see _methods/_quick

    # --- identity ------------------------------------------------------------
    @property
    def device(self):
        return self._backend.device

    @property
    def backend(self) -> str:
        return self._backend.name

    def __repr__(self):
        bits = type(self._backend).bit_generator
        shown = "" if bits == "native" else f", bit_generator={bits!r}"
        return f"Generator(backend={self.backend!r}{shown}, device={self.device!r})"

    # --- state ---------------------------------------------------------------
    @property
    def state(self) -> dict:
        """The generator's complete state; assign a dict read from it to restore it.

        ``"backend"`` and ``"bit_generator"`` (``"native"`` or ``"threefry"``)
        say which generators it fits; the other entries are the backend's own.
        """
        return {"backend": self.backend, "bit_generator": type(self._backend).bit_generator,
                **self._backend.get_state()}

    @state.setter
    def state(self, value: dict) -> None:
        bits = type(self._backend).bit_generator
        if (not isinstance(value, dict) or value.get("backend") != self.backend
                or value.get("bit_generator", "native") != bits):
            raise ValueError(f"not the state of a {self.backend} generator with "
                             f"bit_generator={bits!r}")
        self._backend.set_state(copy.deepcopy(
            {k: v for k, v in value.items() if k not in ("backend", "bit_generator")}))

    def __getstate__(self):
        return {"xp": self.xp.__name__, "device": self._backend.portable_device(self.device),
                "state": self.state}

    def __setstate__(self, saved):
        import importlib

        xp = importlib.import_module(saved["xp"])
        backend, _ = make_backend(xp, 0, None, saved["state"].get("bit_generator", "native"))
        backend.device = backend.check_device(backend.restore_device(saved["device"]))
        self.__init__(backend)
        self.state = saved["state"]

    def __deepcopy__(self, memo):
        clone = type(self).__new__(type(self))
        clone.__setstate__(self.__getstate__())
        return clone

    def spawn(self, n_children: int) -> list[Generator]:
        """Independent child generators; the parent's own draws are unaffected.

        Parameters
        ----------
        n_children : int
            How many children.

        Returns
        -------
        list of Generator
            Children on the same backend and device. Spawning again gives new,
            different children; the parent's draw stream does not change.

        Examples
        --------
        >>> a, b = array_random.default_rng(numpy, 7).spawn(2)
        """
        n = _validate.size(n_children)
        if n is None or len(n) != 1:
            raise TypeError("n_children must be an int")
        return [Generator(child) for child in self._backend.spawn(n[0])]

    def jax_key(self):
        """A fresh JAX key, taken out of this generator's stream as one draw takes its key.

        For code that mixes array_random and ``jax.random``: the key is
        ``fold_in(key, c)`` of this generator's key and draw counter ``c``, the
        very key draw ``c`` would have used, and the counter advances by one, so
        no later draw and no other ``jax_key()`` call uses it again (SPEC K3).
        Inside ``jax.jit`` (the generator passed as an argument) it follows the
        K6 rules like any draw: the jitted function returns the key eager code
        would, and advances the generator the same way. The way back in is a
        key as seed: ``default_rng(xp, key, bit_generator="threefry")``.

        Returns
        -------
        jax.Array
            A typed threefry key (``jax.random.key_data`` gives its two words).

        Raises
        ------
        TypeError
            On a native-mode NumPy or torch generator, whose streams have no keys.

        Examples
        --------
        >>> import jax, jax.numpy as jnp
        >>> rng = array_random.default_rng(jnp, 0)
        >>> key = rng.jax_key()
        >>> x = jax.random.normal(key, (3,))            # JAX's own sampler, a fresh key
        >>> k2 = array_random.default_rng(numpy, 0, bit_generator="threefry").jax_key()
        >>> bool((jax.random.key_data(key) == jax.random.key_data(k2)).all())  # one stream
        True
        """
        return self._backend.next_key()

    # --- the path shared by every sampling method -----------------------------
    def _where(self, dtype, kind: str, device):
        """``(device, dtype)`` of a draw: ``_device``, then ``_dtype`` of ``kind`` on it.

        A draw on the generator's device (the usual one) looks its answer up
        per ``(kind, dtype)``: two calls and a cache lookup are a good part of
        a small draw's cost. Only successful resolutions are kept, so a bad
        dtype raises on every call.
        """
        if device is None:
            # the generator's own device: the answer depends on (kind, dtype)
            # alone, kept per pair (a dtype given explicitly included)
            try:
                return self._defaults[kind, dtype]
            except KeyError:
                home = self._backend.device
                found = self._defaults[kind, dtype] = (home, self._dtype(dtype, kind, home))
                return found
            except TypeError:  # an unhashable dtype: resolved (or refused) below
                pass
        device = self._device(device)
        return device, self._dtype(dtype, kind, device)

    def _device(self, device):
        if device is None:
            return self._backend.device
        return self._backend.check_device(device)

    def _dtype(self, dtype, kind: str, device):
        """The output dtype: the device's default for ``kind``, or ``dtype`` if the device has it.

        With ``dtype=None``, ``kind`` may also be ``"indexing"`` or ``"widest float"``
        (float64 where the device has it, else float32: what count samplers compute in).
        """
        try:
            return self._dtype_cache[dtype, kind, device]
        except (KeyError, TypeError):  # TypeError: an unhashable device or dtype
            pass
        if dtype is None and kind == "widest float":
            floats = self._backend.dtypes(device, "real floating")
            resolved = floats.get("float64", floats.get("float32"))
        elif dtype is None:
            resolved = self._backend.default_dtypes(device)[kind]
        else:
            supported = self._backend.dtypes(device, kind)
            name = _dtype_name(self.xp, dtype)
            resolved = supported.get(name)
            if resolved is None:
                if name in _NAMES[kind]:
                    raise TypeError(f"dtype {name} is not available on device {device!r} of "
                                    f"{self.backend}; it has {sorted(supported)}")
                raise TypeError(f"dtype {dtype!r} is not {_KINDS[kind]} dtype; use one of "
                                f"{sorted(supported)}")
        try:
            self._dtype_cache[dtype, kind, device] = resolved
        except TypeError:
            pass
        return resolved

    def _param(self, name, value, dtype, device):
        """A Python scalar, or an array of this namespace on ``device`` cast to ``dtype``."""
        if type(value) is float:
            return value  # the common case, before the slower ABC checks below
        if type(value) is int:
            if dtype is None or -_EXACT < value < _EXACT:
                return value
            # a float parameter given as a huge int: a float, as NumPy converts it
            # (an int beyond float64 is NumPy's OverflowError too)
            return float(value)
        if isinstance(value, numbers.Number) and not isinstance(value, complex):
            # bool included: NumPy takes True/False as 1/0
            return float(value) if not isinstance(value, numbers.Integral) else int(value)
        if isinstance(value, str):  # NumPy's classes: ValueError if it is no number at all
            try:
                float(value)
            except ValueError:
                raise ValueError(f"{name}: could not convert string to float: {value!r}") from None
            raise TypeError(f"{name} must be a real number, not str")
        xp = self.xp
        if isinstance(value, (list, tuple)):
            return self._backend.asarray(_validate.as_given(value, dtype), dtype, device)
        if not array_api_compat.is_array_api_obj(value) or isinstance(value, bool):
            raise TypeError(f"{name} must be a real number or an array, not "
                            f"{type(value).__name__}")
        if array_api_compat.array_namespace(value) is not xp:
            raise TypeError(f"{name} is a {type(value).__module__} array, but this generator "
                            f"draws {self.backend} arrays: convert it first (nothing is "
                            f"transferred silently)")
        if not _validate.is_traced(value) and not _same_device(array_api_compat.device(value), device):
            raise ValueError(f"{name} lives on {array_api_compat.device(value)!r}, the draw on "
                             f"{device!r}: move it there first (nothing is transferred silently)")
        if getattr(value, "ndim", 1) == 0 and self.backend in ("numpy",):
            return float(value) if dtype is not None and _is_float(xp, dtype) else int(value)
        if dtype is None or value.dtype == dtype:
            return value
        return _validate.narrow(xp, value, dtype)

    def _draw(self, sampler, size, dtype, device, *params):
        """The common path: ``params``, in the sampler's order, checked by the caller.

        The usual draw (Python-scalar parameters, ``size`` None or an int) gets
        its shape here in a few type checks, the rule of
        :func:`_validate.draw_shape` inlined; anything else goes through it.
        The draw itself is the backend's drawer for ``(sampler, dtype,
        device)``, asked for once (:meth:`Backend.drawer`): for most small
        draws that is the backend's sampler itself, bound, a call less than
        going through ``Backend.draw`` with its lookups.
        """
        for p in params:
            if type(p) is not float and type(p) is not int:
                shape = _validate.draw_shape(size, params)
                break
        else:
            if size is None:
                shape = ()
            elif type(size) is int and size >= 0:
                shape = (size,)
            else:
                shape = _validate.draw_shape(size, params)
        try:
            run = self._runs[sampler, dtype, device]
        except KeyError:
            run = self._drawer(sampler, dtype, device)
        except TypeError:  # an unhashable device or dtype: nothing kept
            return self._backend.draw(sampler, shape, dtype, device, *params)
        # the arguments spelled out: a call with *params costs ~0.15 us more
        # (CPython's CALL_FUNCTION_EX path), a good part of a small draw
        n = len(params)
        if n == 2:
            return run(shape, dtype, params[0], params[1])
        if n == 1:
            return run(shape, dtype, params[0])
        if n == 0:
            return run(shape, dtype)
        return run(shape, dtype, *params)

    def _drawer(self, sampler, dtype, device):
        """The backend's drawer for ``(sampler, dtype, device)``, asked for once."""
        try:
            return self._runs[sampler, dtype, device]
        except KeyError:
            run = self._runs[sampler, dtype, device] = self._backend.drawer(sampler, dtype,
                                                                            device)
            return run

    def _home(self, kind):
        """``(dtype, device)`` of a draw of ``kind`` with the default dtype and device.

        ``kind``: ``"real floating"``, ``"integral"``, ``"indexing"``, or
        ``"counts"`` (the result dtype of the count distributions, see
        ``DiscreteMethods._counts``). What the quick paths draw
        (``_methods/_quick.py``).
        """
        device = self._backend.device
        if kind == "counts":
            kind = "integral"
        if kind == "indexing":
            return self._dtype(None, "indexing", device), device
        return self._where(None, kind, None)[1], device

    def _int_range(self, dtype):
        """``(min, max)`` of the integer ``dtype``, looked up once per dtype."""
        return self._per_dtype(_validate.integer_range, dtype)

    def _per_dtype(self, fact, dtype):
        """``fact(xp, dtype)`` (a bound, a range), computed once per fact and dtype."""
        try:
            return self._range_cache[fact, dtype]
        except (KeyError, TypeError):  # TypeError: an unhashable dtype
            pass
        found = fact(self.xp, dtype)
        try:
            self._range_cache[fact, dtype] = found
        except TypeError:
            pass
        return found


def _dtype_name(xp, dtype):
    if isinstance(dtype, str) and dtype in _NAMES["real floating"] + _NAMES["integral"]:
        return dtype
    for name in _NAMES["real floating"] + _NAMES["integral"] + ("bool",):
        if getattr(xp, name, None) is not None and dtype == getattr(xp, name):
            return name
    try:  # numpy-style spellings: numpy.float32, "f4", numpy.dtype("float32")
        import numpy as np
        return np.dtype(dtype).name
    except (TypeError, ValueError):
        return None


def _is_float(xp, dtype) -> bool:
    return dtype in (getattr(xp, "float32", None), getattr(xp, "float64", None))


def _same_device(a, b) -> bool:
    if a == b:
        return True
    try:
        import jax
        if isinstance(b, jax.sharding.Sharding):
            return True  # the compiled draw lays parameters out as the sharding asks
    except ImportError:
        pass
    return str(a) == str(b)
