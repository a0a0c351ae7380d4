"""Exposure in photographic stops: the standalone math.

+1 stop is twice the light: ``intensity = 2 ** stops`` and
``stops = log2(intensity)``. Zero or negative intensity has no exposure.

Scalars use the standard library only, because Nuke may not ship numpy;
numpy is imported only when an array is given, so importing this module
never loads it. Nothing here knows about Nuke or Qt.

>>> exposure_to_intensity(1)
2.0
>>> intensity_to_exposure(0.5)
-1.0
>>> round(convert_units(1, "stops", "cineon"), 3)
90.309
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence, Union, overload

from ..logs import logger

if TYPE_CHECKING:
    from typing import Literal  # Python 3.8+: annotations only, so 3.7 runs too

    import numpy.typing as npt

    ArrayLike = npt.NDArray[Any]
    #: What becomes of zero and negative intensities: an error, the floor, NaN.
    Nonpositive = Literal["raise", "clamp", "nan"]

__all__ = [
    "CLAMP_FLOOR",
    "ExposureDomainError",
    "Number",
    "UNITS",
    "apply_exposure",
    "convert_units",
    "exposure_to_intensity",
    "intensity_to_exposure",
    "real_number",
]

log = logger(__name__)

#: The founding script's floor for tiny or non-positive intensities
#: (``nonpositive="clamp"``): 1e-323 is 2**-1073, so it maps to -1073 stops.
CLAMP_FLOOR = 1e-323

#: Units that :func:`convert_units` knows, and how many of each make one stop.
#: "densities" is Nuke EXPTool's 0.6-gamma negative density and "cineon" its
#: 10-bit Cineon code values; "linear" is a multiplier, not a per-stop unit.
UNITS: Dict[str, Optional[float]] = {
    "stops": 1.0,
    "linear": None,
    "densities": 0.6 * math.log10(2.0),
    "cineon": 300.0 * math.log10(2.0),
}

_NONPOSITIVE_MODES = ("raise", "clamp", "nan")
# Plain floats and ints in range skip the general checks (about 3x faster).
_INF = math.inf

# Every decision about what a "number" is lives here: bool is an int in
# Python but a checkbox to an artist, so it is refused.
Number = Union[int, float, Fraction]


class ExposureDomainError(ValueError):
    """A value that has no exposure, or an exposure with no finite intensity.

    >>> issubclass(ExposureDomainError, ValueError)
    True
    """


# --------------------------------------------------------------------------
# Input checks


def _is_array(value: object) -> bool:
    # numpy scalars (np.float64(1.0)) are numbers.Real, so they take the
    # scalar path; only real arrays, lists and tuples take the array path.
    return isinstance(value, (list, tuple)) or (
        hasattr(value, "__array__") and not isinstance(value, numbers.Real)
    )


def real_number(value: object, what: str) -> float:
    """``value`` as a finite float, or TypeError/ExposureDomainError naming it.

    >>> real_number(Fraction(1, 4), "stops")
    0.25
    >>> real_number(True, "stops")
    Traceback (most recent call last):
    ...
    TypeError: stops must be a real number, not bool True
    """
    if type(value) is float:  # fast path for the common case
        result = value
    elif isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a real number, not {type(value).__name__} {value!r}")
    else:
        try:
            result = float(value)
        except OverflowError:
            raise ExposureDomainError(f"{what} {value!r} is too large for a double") from None
    if not math.isfinite(result):
        raise ExposureDomainError(f"{what} must be finite, got {value!r}")
    return result


def _float_array(value: object, what: str) -> ArrayLike:
    """Return ``value`` as a float32 or float64 array, refusing non-numbers."""
    import numpy as np

    array = np.asarray(value)
    kind = array.dtype.kind
    if kind not in "iuf":
        raise TypeError(f"{what} must be a real-valued array, not dtype {array.dtype}")
    if array.dtype != np.float32:
        array = array.astype(np.float64, copy=False)
    bad = ~np.isfinite(array)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ExposureDomainError(f"{what} must be finite, got {array[index]!r} at index {index}")
    return array


# --------------------------------------------------------------------------
# Stops <-> intensity


@overload
def exposure_to_intensity(stops: Number) -> float: ...
@overload
def exposure_to_intensity(stops: ArrayLike) -> ArrayLike: ...
def exposure_to_intensity(stops: Union[Number, ArrayLike]) -> Union[float, ArrayLike]:
    """Linear multiplier for an exposure in stops: ``2 ** stops``.

    Integer stops are exact; a result too large for a double raises instead
    of returning inf. Very negative exposures underflow towards 0.0.

    >>> exposure_to_intensity(-2)
    0.25
    >>> exposure_to_intensity(1 / 3)
    1.2599210498948732
    >>> exposure_to_intensity(1024)
    Traceback (most recent call last):
    ...
    nuke_plugin.core.exposure.ExposureDomainError: exposure of 1024 stops overflows a double
    """
    if (type(stops) is float or type(stops) is int) and -1100.0 < stops < 1024.0:
        return math.pow(2.0, stops)  # the common case, checked by the range alone
    if _is_array(stops):
        import numpy as np

        array = _float_array(stops, "exposure")
        with np.errstate(over="ignore"):
            result = np.exp2(array)
        if not np.isfinite(result).all():
            index = tuple(int(i) for i in np.argwhere(~np.isfinite(result))[0])
            raise ExposureDomainError(
                f"exposure of {array[index]!r} stops at index {index} has no finite "
                f"{array.dtype} intensity"
            )
        return result
    value = real_number(stops, "exposure")
    try:
        return math.pow(2.0, value)
    except OverflowError:
        raise ExposureDomainError(f"exposure of {stops!r} stops overflows a double") from None


def _undefined(value: float) -> str:
    if value == 0:
        return "exposure of zero intensity is undefined"
    return f"exposure of a negative intensity ({value!r}) is undefined"


@overload
def intensity_to_exposure(intensity: Number, *, nonpositive: Nonpositive = "raise") -> float: ...
@overload
def intensity_to_exposure(
    intensity: ArrayLike, *, nonpositive: Nonpositive = "raise"
) -> ArrayLike: ...
def intensity_to_exposure(
    intensity: Union[Number, ArrayLike], *, nonpositive: Nonpositive = "raise"
) -> Union[float, ArrayLike]:
    """Exposure in stops of a linear multiplier: ``log2(intensity)``.

    ``nonpositive`` says what zero or a negative intensity gives:
    ``"raise"`` (default) raises :class:`ExposureDomainError`; ``"clamp"``
    is the founding behaviour, clamping anything below :data:`CLAMP_FLOOR`
    with a warning; ``"nan"`` gives NaN there (arrays only).

    >>> intensity_to_exposure(4)
    2.0
    >>> round(intensity_to_exposure(0.1), 4)
    -3.3219
    >>> intensity_to_exposure(5e-324)
    -1074.0
    >>> intensity_to_exposure(0)
    Traceback (most recent call last):
    ...
    nuke_plugin.core.exposure.ExposureDomainError: exposure of zero intensity is undefined
    """
    fast = type(intensity) is float or type(intensity) is int
    if fast and CLAMP_FLOOR <= intensity < _INF and nonpositive in _NONPOSITIVE_MODES:
        return math.log2(intensity)
    if nonpositive not in _NONPOSITIVE_MODES:
        raise ValueError(
            f"nonpositive must be one of {', '.join(_NONPOSITIVE_MODES)}; got {nonpositive!r}"
        )
    if _is_array(intensity):
        return _array_exposure(_float_array(intensity, "intensity"), nonpositive)
    value = real_number(intensity, "intensity")
    if value < CLAMP_FLOOR and nonpositive == "clamp":
        log.warning(
            "intensity %r is below %r; clamped to it (%g stops)",
            value,
            CLAMP_FLOOR,
            math.log2(CLAMP_FLOOR),
        )
        value = CLAMP_FLOOR
    elif value <= 0:
        if nonpositive == "nan":
            raise ValueError("nonpositive='nan' is for arrays only: a scalar never returns NaN")
        raise ExposureDomainError(_undefined(value))
    return math.log2(value)


def _array_exposure(array: ArrayLike, nonpositive: Nonpositive) -> ArrayLike:
    import numpy as np

    low = array <= 0
    if nonpositive == "raise" and low.any():
        index = tuple(int(i) for i in np.argwhere(low)[0])
        raise ExposureDomainError(f"{_undefined(float(array[index]))} (at index {index})")
    if nonpositive == "clamp":
        below = array < CLAMP_FLOOR  # in float64: float32 cannot hold the floor
        if below.any():
            log.warning("%d intensities below %r clamped to it", int(below.sum()), CLAMP_FLOOR)
            clamped = np.maximum(array.astype(np.float64), CLAMP_FLOOR)
            return np.log2(clamped).astype(array.dtype, copy=False)
        return np.log2(array)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.log2(array)
    result[low] = np.nan  # log2(0) is -inf; "nan" means undefined everywhere
    return result


# --------------------------------------------------------------------------
# Units


def convert_units(value: Number, from_unit: str, to_unit: str) -> float:
    """Convert an exposure between units: stops, linear, densities, cineon.

    >>> convert_units(1, "stops", "linear")
    2.0
    >>> round(convert_units(1, "stops", "cineon"), 3)
    90.309
    >>> round(convert_units(2, "linear", "densities"), 4)
    0.1806
    >>> convert_units(1, "stops", "lux")
    Traceback (most recent call last):
    ...
    ValueError: unknown unit 'lux'; valid units are: stops, linear, densities, cineon
    """
    for unit in (from_unit, to_unit):
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r}; valid units are: {', '.join(UNITS)}")
    per_stop = UNITS[from_unit]
    if per_stop is None:
        stops = intensity_to_exposure(value)
    else:
        stops = real_number(value, f"{from_unit} value") / per_stop
    per_stop = UNITS[to_unit]
    if per_stop is None:
        return exposure_to_intensity(stops)
    return stops * per_stop


# --------------------------------------------------------------------------
# Images

# Per-channel factors are tiled to this many elements so numpy multiplies in
# long contiguous runs instead of 4-element inner loops (measured ~5x faster;
# see docs/benchmarks.md). 65536 float32s is 256 KiB: it stays in cache.
_TILE_ELEMENTS = 65536


def _channel_factors(
    stops: Union[Number, Sequence[Number]], channels: int, dtype: Any
) -> ArrayLike:
    import numpy as np

    if _is_array(stops):
        values = [real_number(s, f"stops for channel {i}") for i, s in enumerate(stops)]  # type: ignore[arg-type]
        if len(values) != channels:
            raise ValueError(
                f"stops has {len(values)} values but the image has {channels} channels"
            )
    else:
        values = [real_number(stops, "stops")] * channels
    factors = np.array([exposure_to_intensity(s) for s in values], dtype=np.float64)
    with np.errstate(over="ignore"):
        typed = factors.astype(dtype)
    if not np.isfinite(typed).all():
        raise ExposureDomainError(f"exposure {values} overflows {np.dtype(dtype).name} pixels")
    return typed


def apply_exposure(
    pixels: ArrayLike,
    stops: Union[Number, Sequence[Number]],
    out: Optional[ArrayLike] = None,
) -> ArrayLike:
    """Multiply a float image (..., C) by ``2 ** stops``, like a Multiply node.

    ``stops`` is one value for every channel or one per channel (0 leaves a
    channel untouched, so ``(r, g, b, 0)`` keeps alpha). The result has the
    image's dtype; ``out=pixels`` works in place with no image-sized
    temporary. float32 factors are rounded to float32 before multiplying.

    >>> import numpy as np
    >>> rgba = np.ones((2, 2, 4), dtype=np.float32)
    >>> apply_exposure(rgba, (1, -1, 0, 0))[0, 0]
    array([2. , 0.5, 1. , 1. ], dtype=float32)
    >>> _ = apply_exposure(rgba, 2, out=rgba)
    >>> float(rgba.max())
    4.0
    """
    import numpy as np

    if not isinstance(pixels, np.ndarray) or pixels.dtype.kind != "f" or pixels.ndim == 0:
        raise TypeError(
            "pixels must be a floating-point numpy array with a channel axis, got "
            f"{type(pixels).__name__} {getattr(pixels, 'dtype', '')}".rstrip()
        )
    if out is None:
        out = np.empty_like(pixels)
    elif not isinstance(out, np.ndarray) or out.shape != pixels.shape or out.dtype != pixels.dtype:
        raise ValueError(
            f"out must be an array of shape {pixels.shape} and dtype {pixels.dtype}, got "
            f"{getattr(out, 'shape', type(out).__name__)} {getattr(out, 'dtype', '')}".rstrip()
        )
    elif np.may_share_memory(out, pixels) and (
        out.__array_interface__["data"][0] != pixels.__array_interface__["data"][0]
        or out.strides != pixels.strides
    ):
        raise ValueError("out overlaps pixels without being the same array")
    channels = pixels.shape[-1]
    factors = _channel_factors(stops, channels, pixels.dtype)
    if not (pixels.flags.c_contiguous and out.flags.c_contiguous):
        np.multiply(pixels, factors, out=out)  # strided views: plain broadcasting
        return out
    _multiply_contiguous(pixels.reshape(-1), factors, out.reshape(-1))
    return out


def _multiply_contiguous(src: ArrayLike, factors: ArrayLike, dst: ArrayLike) -> None:
    """Multiply flat interleaved pixels by per-channel factors, in tiles."""
    import numpy as np

    channels = factors.size
    period = channels * max(1, _TILE_ELEMENTS // channels)
    tiled = np.tile(factors, period // channels)
    rows = src.size // period
    body = rows * period
    if rows:
        np.multiply(src[:body].reshape(rows, period), tiled, out=dst[:body].reshape(rows, period))
    if body < src.size:
        tail = src[body:].reshape(-1, channels)
        np.multiply(tail, factors, out=dst[body:].reshape(-1, channels))
