"""How artists write exposure: snapping to a grid, and stops as text.

Artists count in whole stops and in thirds (or halves, quarters): "+1 1/3",
"-2/3". A *grid* here is that fraction of a stop. Nothing is evaluated:
text is read by a pattern, and anything else raises ValueError quoting it.

>>> format_stops(4 / 3), parse_stops("-2/3"), snap(0.3, Fraction(1, 3))
('+1 1/3', -0.6666666666666666, 0.3333333333333333)
"""

from __future__ import annotations

import math
import re
import unicodedata
from fractions import Fraction
from typing import Tuple, Union

from .exposure import ExposureDomainError, Number, intensity_to_exposure, real_number

__all__ = [
    "GRID_RANGE",
    "Grid",
    "checked_grid",
    "compared",
    "format_stops",
    "parse_channel_stops",
    "parse_stops",
    "snap",
    "with_unit",
]

#: A fraction of a stop: 1, 1/2, 1/3 (a Fraction, int or float).
Grid = Union[int, float, Fraction]
#: The grids text is written in and values are snapped to: from a
#: ten-thousandth of a stop to a hundred stops. Beyond, a grid is a typo,
#: and its arithmetic would leave the doubles.
GRID_RANGE = (Fraction(1, 10_000), Fraction(100))
#: From this many stops on, a value is written with an exponent, not digits.
_LONGEST_DECIMAL = 1e6


def checked_grid(grid: Grid) -> Fraction:
    """The grid as an exact fraction: 0.25 -> 1/4, and 0.1 -> 1/10 (by
    repr); ValueError outside :data:`GRID_RANGE`.

    >>> checked_grid(0.25), checked_grid(Fraction(1, 3))
    (Fraction(1, 4), Fraction(1, 3))
    >>> checked_grid(Fraction(10) ** 400)
    Traceback (most recent call last):
    ...
    ValueError: a grid is from 1/10000 to 100 stops, got 1e+400
    """
    if isinstance(grid, bool) or not isinstance(grid, (int, float, Fraction)):
        raise TypeError(f"grid must be a number or Fraction, not {type(grid).__name__} {grid!r}")
    exact = Fraction(repr(grid)) if isinstance(grid, float) and math.isfinite(grid) else grid
    if not (isinstance(exact, (int, Fraction)) and exact > 0):
        raise ValueError(f"grid must be a positive finite number, got {grid!r}")
    low, high = GRID_RANGE
    if not low <= exact <= high:
        raise ValueError(f"a grid is from {low} to {high} stops, got {_short(Fraction(exact))}")
    return Fraction(exact)


def _short(value: Fraction) -> str:
    """A fraction of any size as a short decimal (no float overflow)."""
    if value.denominator == 1 and abs(value) < 10**15:
        return str(value.numerator)
    digits = len(str(abs(value.numerator))) - len(str(value.denominator))
    scaled = value / Fraction(10) ** digits  # about 1: safe as a float
    return f"{float(scaled):g}e{digits:+d}" if float(scaled) != 0 else "0"


def _nearest_multiple(stops: float, grid: Fraction) -> int:
    # Half away from zero, so snapping is symmetric: snap(-x) == -snap(x).
    # Floats decide every case but a near-tie, which exact fractions settle
    # (Fraction(float) is exact but slow: reports format thousands of values).
    rough = abs(stops) / (grid.numerator / grid.denominator)
    if rough < 2**50 and abs(rough - math.floor(rough) - 0.5) > 1e-6:
        whole_rough = math.floor(rough + 0.5)
        return whole_rough if stops >= 0 else -whole_rough
    ratio = Fraction(stops) / grid
    whole = math.floor(abs(ratio) + Fraction(1, 2))
    return whole if ratio >= 0 else -whole


def snap(stops: Number, grid: Grid = 1) -> float:
    """Round an exposure to the nearest multiple of ``grid`` stops.

    Halves round away from zero.

    >>> snap(0.3, Fraction(1, 3))
    0.3333333333333333
    >>> snap(-1.26, 0.5)
    -1.5
    >>> snap(2.5)
    3.0
    """
    exact = checked_grid(grid)
    return float(_nearest_multiple(real_number(stops, "stops"), exact) * exact)


def compared(subject: str, other: str, stops: Number) -> str:
    """How ``subject`` sits against ``other``, in the one wording every
    command uses: ``stops`` is what to add to ``subject`` to match
    ``other`` (positive: it is darker). "stop" is singular only for 1.

    >>> compared("plate_B.exr", "plate_A.exr", 1.0)
    'plate_B.exr is 1 stop darker than plate_A.exr: add +1'
    >>> compared("B", "A", -4 / 3)
    'B is 1 1/3 stops brighter than A: add -1 1/3'
    >>> compared("B", "A", 0.004)
    'B has the exposure of A: add 0'
    """
    value = real_number(stops, "stops")
    add = format_stops(value)
    if add == "0" or add in ("+0.00", "-0.00"):
        return f"{subject} has the exposure of {other}: add 0"
    how = "darker" if value > 0 else "brighter"
    return f"{subject} is {with_unit(add.lstrip('+-'))} {how} than {other}: add {add}"


def with_unit(text: str) -> str:
    """Stops text (one value, or one a channel) with its unit: "stop" is
    singular only for exactly one stop.

    >>> [with_unit(t) for t in ("+1", "-1", "1", "+1 1/3", "-2/3", "+1.00")]
    ['+1 stop', '-1 stop', '1 stop', '+1 1/3 stops', '-2/3 stops', '+1.00 stops']
    >>> with_unit("+1 +1 +1 0")
    '+1 +1 +1 0 stops'
    """
    return f"{text} {'stop' if text.lstrip('+-') == '1' else 'stops'}"


def format_stops(stops: Number, grid: Grid = Fraction(1, 3)) -> str:
    """Artist-facing text for an exposure: ``+1 1/3``, ``-2/3``, ``+0.10``.

    Values within 1e-9 of a multiple of ``grid`` are written as a reduced
    fraction; anything else as a decimal with two places. The sign is
    always shown, except for zero.

    >>> [format_stops(s) for s in (1.0, 4 / 3, -2 / 3, 0, 0.1)]
    ['+1', '+1 1/3', '-2/3', '0', '+0.10']
    >>> format_stops(-1.5, grid=Fraction(1, 2))
    '-1 1/2'
    """
    value = real_number(stops, "stops")
    exact = checked_grid(grid)
    if abs(value) >= _LONGEST_DECIMAL:
        return f"{value:+.3g}"
    multiple = _nearest_multiple(value, exact)
    if abs(value - float(multiple * exact)) > 1e-9:
        return f"{value:+.2f}"
    snapped = multiple * exact
    if snapped == 0:
        return "0"
    sign = "+" if snapped > 0 else "-"
    whole, part = divmod(abs(snapped), 1)
    if part == 0:
        return f"{sign}{whole}"
    if whole == 0:
        return f"{sign}{part}"
    return f"{sign}{whole} {part}"


# The vulgar fractions artists type, each read from its Unicode value.
_VULGAR = {c: Fraction(unicodedata.numeric(c)).limit_denominator(8) for c in "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"}
_VULGAR_CHARS = "".join(_VULGAR)

_STOPS_TEXT = re.compile(
    rf"""^(?P<sign>[+-])?\s*
    (?:
        (?P<whole>\d+)?\s*(?P<vulgar>[{_VULGAR_CHARS}])  # 1⅓, ½
      | (?:(?P<mixed>\d+)\s+)?(?P<num>\d+)/(?P<den>\d+)    # 1 1/3, 2/3
      | (?P<decimal>\d+(?:\.\d*)?|\.\d+)                   # 1, 1.5, .5
    )
    \s*(?:stops?|ev)?$""",
    re.VERBOSE | re.IGNORECASE,
)
_MULTIPLIER_TEXT = re.compile(r"^[x×*]\s*(?P<value>\d+(?:\.\d*)?|\.\d+)$", re.IGNORECASE)


def parse_stops(text: str) -> float:
    """Read an exposure as artists type it; returns stops.

    Accepts ``1``, ``+1``, ``-1.5``, ``1 1/3``, ``-2/3``, ``1⅓``, ``-½``,
    an optional ``stops``/``ev`` suffix, and multipliers ``x2``/``*0.5``.
    Nothing is evaluated: anything else raises ``ValueError``.

    >>> parse_stops("+1 1/3") == 4 / 3
    True
    >>> parse_stops("-½"), parse_stops("1.5 stops"), parse_stops("x2"), parse_stops("*0.5")
    (-0.5, 1.5, 1.0, -1.0)
    >>> parse_stops("2+2")
    Traceback (most recent call last):
    ...
    ValueError: cannot read '2+2' as stops (examples: 1, -1.5, +1 1/3, -2/3, 1⅓, x2)
    """
    if not isinstance(text, str):
        raise TypeError(f"stops text must be a str, not {type(text).__name__} {text!r}")
    cleaned = text.strip().replace("\u2212", "-")  # U+2212 MINUS SIGN, as pasted from docs
    multiplier = _MULTIPLIER_TEXT.match(cleaned)
    if multiplier:
        value = float(multiplier.group("value"))
        try:
            return intensity_to_exposure(value)
        except ExposureDomainError as error:
            raise ExposureDomainError(f"multiplier in {text!r}: {error}") from None
    found = _STOPS_TEXT.match(cleaned)
    if not found:
        raise ValueError(f"cannot read {text!r} as stops (examples: 1, -1.5, +1 1/3, -2/3, 1⅓, x2)")
    parts = found.groupdict()
    if parts["vulgar"]:
        amount = Fraction(int(parts["whole"] or 0)) + _VULGAR[parts["vulgar"]]
    elif parts["num"]:
        if int(parts["den"]) == 0:
            raise ValueError(f"cannot read {text!r} as stops: division by zero")
        amount = Fraction(int(parts["mixed"] or 0)) + Fraction(int(parts["num"]), int(parts["den"]))
    else:
        amount = Fraction(parts["decimal"])
    try:
        result = float(-amount if parts["sign"] == "-" else amount)
    except OverflowError:  # more digits than a double holds
        result = math.inf
    if not math.isfinite(result):
        raise ExposureDomainError(f"cannot read {_clipped(text)!r} as stops: too large")
    return result


def _clipped(text: str, longest: int = 40) -> str:
    """Typed text as an error message quotes it: a 400-digit value is cut."""
    return text if len(text) <= longest else f"{text[:longest]}... ({len(text)} characters)"


def parse_channel_stops(text: str) -> Tuple[float, ...]:
    """Read one exposure for red, green and blue, or one each: 1 or 3 values.

    The whole text is tried as one value first (``+1 1/3`` has a space in
    it); otherwise it is split on commas, or else on spaces, and each part
    must read as stops (see :func:`parse_stops`).

    >>> parse_channel_stops("+1 1/3")
    (1.3333333333333333,)
    >>> parse_channel_stops("1, -1/3, x2"), parse_channel_stops("1 0 -1")
    ((1.0, -0.3333333333333333, 1.0), (1.0, 0.0, -1.0))
    >>> parse_channel_stops("1 2")
    Traceback (most recent call last):
    ...
    ValueError: cannot read '1 2' as stops: type one value, or three for r g b
    """
    try:
        return (parse_stops(text),)
    except ExposureDomainError:
        raise
    except ValueError as error:
        whole_error = error
    parts = text.split(",") if "," in text else text.split()
    if len(parts) != 3:
        if len(parts) <= 1:
            raise whole_error
        raise ValueError(f"cannot read {text!r} as stops: type one value, or three for r g b")
    return tuple(parse_stops(part) for part in parts)
