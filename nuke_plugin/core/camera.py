"""Camera settings in stops: exposure value, ND filters, T-stops, shutter angle.

For matching two plates from their camera reports. Marked camera values
are nominal, as photographers count them: f/2.8 is 2**1.5, 1/125 s is 1/128,
ISO 640 is 400 * 2**(2/3), so f/2.8 -> f/4 is exactly one stop. A value that
is not a marked one (1/48 s) is used as it is, and ``nominal=False`` gives
the raw arithmetic throughout.

Where one marking stands in two series (f/1.2 is both the half stop 2**0.25
and the third stop 2**(1/3)), the nominal value closest to the marking wins.

Standard library only.

>>> a = Settings(f_number=2.8, shutter_seconds=1 / 125)
>>> b = Settings(f_number=4, shutter_seconds=1 / 60)
>>> stops_between(a, b)
0.0
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Dict, List, Optional, Sequence, Tuple

from .exposure import Number, real_number

__all__ = [
    "CameraReport",
    "Settings",
    "parse_camera",
    "report_stops_between",
    "exposure_value",
    "nd_to_stops",
    "shutter_seconds",
    "stops_between",
    "t_stop",
]

# Marked values, each series in order from its first entry, one step apart,
# laid out as the scales are printed, so the formatter leaves them be.
# fmt: off
# Apertures count stops of light from f/1 (f-number = 2 ** (stops / 2)).
_APERTURE_THIRDS = (
    0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.5, 2.8, 3.2, 3.5, 4,
    4.5, 5.0, 5.6, 6.3, 7.1, 8, 9, 10, 11, 13, 14, 16, 18, 20, 22, 25, 29, 32,
    36, 40, 45, 51, 57, 64,
)  # starts at f/0.7 = -1 stop
_APERTURE_HALVES = (
    0.7, 0.8, 1.0, 1.2, 1.4, 1.7, 2, 2.4, 2.8, 3.3, 4, 4.8, 5.6, 6.7, 8, 9.5, 11,
    13, 16, 19, 22, 27, 32, 38, 45, 54, 64,
)  # starts at f/0.7 = -1 stop
# Shutter times count stops from 1 s (time = 2 ** stops).
_SHUTTER_THIRDS = tuple(1 / d for d in (
    8000, 6400, 5000, 4000, 3200, 2500, 2000, 1600, 1250, 1000, 800, 640, 500,
    400, 320, 250, 200, 160, 125, 100, 80, 60, 50, 40, 30, 25, 20, 15, 13, 10,
    8, 6, 5, 4, 3, 2.5, 2, 1.6, 1.3,
)) + (1, 1.3, 1.6, 2, 2.5, 3.2, 4, 5, 6, 8, 10, 13, 15, 20, 25, 30)
# (both shutter series start at 1/8000 s = -13 stops)
_SHUTTER_HALVES = tuple(1 / d for d in (
    8000, 6000, 4000, 3000, 2000, 1500, 1000, 750, 500, 350, 250, 180, 125, 90,
    60, 45, 30, 20, 15, 10, 8, 6, 4, 3, 2, 1.5,
)) + (1, 1.5, 2, 3, 4, 6, 8, 10, 15, 20, 30)
# ISO counts stops from ISO 100 (iso = 100 * 2 ** stops).
_ISO_THIRDS = (
    12, 16, 20, 25, 32, 40, 50, 64, 80, 100, 125, 160, 200, 250, 320, 400, 500,
    640, 800, 1000, 1250, 1600, 2000, 2500, 3200, 4000, 5000, 6400, 8000,
    10000, 12800, 16000, 20000, 25600, 32000, 40000, 51200, 64000, 80000,
    102400,
)  # from ISO 12 = -3 stops
_ISO_HALVES = (
    25, 35, 50, 70, 100, 140, 200, 280, 400, 560, 800, 1100, 1600, 2200, 3200,
    4500, 6400, 9000, 12800, 18000, 25600,
)  # from ISO 25 = -2 stops
# fmt: on


def _table(
    series: Sequence[Tuple[Sequence[float], Fraction, Fraction]], to_value: Fraction
) -> Dict[float, Fraction]:
    """Map each marking to its nominal stops; ambiguous marks take the closest."""
    candidates: Dict[float, List[Fraction]] = {}
    for marks, first, step in series:
        for i, mark in enumerate(marks):
            candidates.setdefault(_key(mark), []).append(first + i * step)
    return {
        mark: min(options, key=lambda s: abs(2 ** float(s * to_value) - mark))
        for mark, options in candidates.items()
    }


def _key(value: float) -> float:
    # Marks are compared to 9 significant figures, so 1/60 computed any way
    # finds the 1/60 mark.
    return float(f"{value:.9g}")


_THIRD, _HALF = Fraction(1, 3), Fraction(1, 2)
# Aperture: f-number = 2 ** (stops / 2), so stops are scaled by 1/2 to compare.
_APERTURE = _table(
    [(_APERTURE_THIRDS, Fraction(-1), _THIRD), (_APERTURE_HALVES, Fraction(-1), _HALF)],
    Fraction(1, 2),
)
_SHUTTER = _table(
    [(_SHUTTER_THIRDS, Fraction(-13), _THIRD), (_SHUTTER_HALVES, Fraction(-13), _HALF)],
    Fraction(1),
)
_ISO_RATIO = _table(  # keyed by iso / 100
    [
        ([m / 100 for m in _ISO_THIRDS], Fraction(-3), _THIRD),
        ([m / 100 for m in _ISO_HALVES], Fraction(-2), _HALF),
    ],
    Fraction(1),
)


#: The most stops one camera setting may stand for: 2 ** -1074 is the
#: smallest double, so a setting beyond is a typo, not an exposure.
_FARTHEST = 1074


def _within(stops: float, what: str, value: float) -> float:
    if abs(stops) > _FARTHEST:
        raise ValueError(
            f"{what} {value:g} is {stops:+.3g} stops: beyond any exposure (±{_FARTHEST} stops)"
        )
    return stops


def _positive(value: Number, what: str) -> float:
    result = real_number(value, what)
    if result <= 0:
        raise ValueError(f"{what} must be positive, got {value!r}")
    return result


def _aperture_stops(f_number: float, nominal: bool) -> float:
    """Stops of light lost from f/1: log2(N**2)."""
    marked = _APERTURE.get(_key(f_number)) if nominal else None
    return (
        float(marked)
        if marked is not None
        else _within(2 * math.log2(f_number), "f-number", f_number)
    )


def _shutter_stops(seconds: float, nominal: bool) -> float:
    marked = _SHUTTER.get(_key(seconds)) if nominal else None
    return float(marked) if marked is not None else _within(math.log2(seconds), "shutter", seconds)


def _iso_stops(iso: float, nominal: bool) -> float:
    marked = _ISO_RATIO.get(_key(iso / 100)) if nominal else None
    return float(marked) if marked is not None else _within(math.log2(iso / 100), "ISO", iso)


def exposure_value(
    f_number: Number, shutter_seconds: Number, iso: Number = 100, *, nominal: bool = True
) -> float:
    """EV = log2(N**2 / t) - log2(ISO / 100), with marked values nominal.

    >>> exposure_value(2.8, 1 / 125)
    10.0
    >>> exposure_value(1, 1, iso=400)
    -2.0
    >>> round(exposure_value(2.8, 1 / 125, nominal=False), 4)
    9.9366
    """
    n = _positive(f_number, "f-number")
    t = _positive(shutter_seconds, "shutter time (seconds)")
    s = _positive(iso, "ISO")
    return _aperture_stops(n, nominal) - _shutter_stops(t, nominal) - _iso_stops(s, nominal)


def nd_to_stops(density: Number, *, nominal: bool = True) -> float:
    """Stops of light an ND filter of optical density ``density`` takes away.

    Physically D / log10(2) (ND0.3 is 0.9966 stops); nominally, as filters
    are sold, every 0.1 of density that is a marked value (a multiple of 0.1
    or 0.15) is a third of a stop, so ND0.3 is 1 stop and ND0.9 is 3.

    >>> nd_to_stops(0.3), nd_to_stops(0.9), nd_to_stops(0.15)
    (1.0, 3.0, 0.5)
    >>> round(nd_to_stops(0.3, nominal=False), 4)
    0.9966
    """
    d = real_number(density, "ND density")
    if d < 0:
        raise ValueError(f"ND density must be zero or more, got {density!r}")
    hundredths = round(d * 100)
    marked = abs(d * 100 - hundredths) < 1e-6 and (hundredths % 10 == 0 or hundredths % 15 == 0)
    if nominal and marked:
        return _within(float(Fraction(hundredths, 30)), "ND density", d)
    return _within(d / math.log10(2.0), "ND density", d)


def t_stop(f_number: Number, transmittance: Number) -> float:
    """T-stop of a lens: f-number over the square root of its transmittance.

    >>> round(t_stop(2.0, 0.8), 3)
    2.236
    """
    n = _positive(f_number, "f-number")
    t = _positive(transmittance, "transmittance")
    if t > 1:
        raise ValueError(f"transmittance is a fraction of light (0 to 1], got {transmittance!r}")
    return n / math.sqrt(t)


def shutter_seconds(angle_degrees: Number, fps: Number) -> float:
    """Exposure time of a rotary (cinema) shutter.

    >>> shutter_seconds(180, 24) == 1 / 48
    True
    """
    angle = _positive(angle_degrees, "shutter angle (degrees)")
    if angle > 360:
        raise ValueError(f"shutter angle must be at most 360 degrees, got {angle_degrees!r}")
    return angle / 360.0 / _positive(fps, "frame rate (fps)")


@dataclass(frozen=True)
class Settings:
    """How a plate was shot: aperture, shutter time, ISO and ND filtration.

    >>> Settings(2.8, 1 / 48, iso=800, nd_density=0.6)
    Settings(f_number=2.8, shutter_seconds=0.020833333333333332, iso=800, nd_density=0.6)
    """

    f_number: float
    shutter_seconds: float
    iso: float = 100
    nd_density: float = 0.0

    def __post_init__(self) -> None:
        _positive(self.f_number, "f-number")
        _positive(self.shutter_seconds, "shutter time (seconds)")
        _positive(self.iso, "ISO")
        nd_to_stops(self.nd_density)

    def exposure(self, *, nominal: bool = True) -> float:
        """Stops of light reaching the image, relative to f/1, 1 s, ISO 100, no ND.

        >>> Settings(1, 1).exposure()
        0.0
        >>> Settings(1, 1, iso=200, nd_density=0.3).exposure()
        0.0
        """
        ev = exposure_value(self.f_number, self.shutter_seconds, self.iso, nominal=nominal)
        return 0.0 - ev - nd_to_stops(self.nd_density, nominal=nominal)  # never -0.0


def stops_between(a: Settings, b: Settings, *, nominal: bool = True) -> float:
    """How many stops brighter a plate shot with ``b`` is than one shot with ``a``.

    More light through the lens, a longer shutter, a higher ISO or a weaker
    ND in ``b`` gives a positive number: apply it to plate ``a`` to match ``b``.

    >>> stops_between(Settings(4, 1 / 50), Settings(2.8, 1 / 50))
    1.0
    >>> stops_between(Settings(2.8, 1 / 48), Settings(2.8, 1 / 48, iso=800, nd_density=0.9))
    0.0
    """
    return b.exposure(nominal=nominal) - a.exposure(nominal=nominal)


@dataclass(frozen=True)
class CameraReport:
    """What a camera report says of a take; None where it says nothing."""

    f_number: Optional[float] = None  # or the T-stop, when that is what was given
    shutter_seconds: Optional[float] = None
    iso: Optional[float] = None
    nd_density: float = 0.0


_NUMBER = r"(\d+(?:\.\d*)?|\.\d+)"
_WORDS = (
    ("f_number", re.compile(rf"^[ft]/?{_NUMBER}$", re.IGNORECASE)),
    ("fraction", re.compile(rf"^{_NUMBER}/{_NUMBER}s?$", re.IGNORECASE)),
    ("seconds", re.compile(rf"^{_NUMBER}s$", re.IGNORECASE)),
    ("angle", re.compile(rf"^{_NUMBER}(?:deg|\u00b0)@{_NUMBER}fps$", re.IGNORECASE)),
    ("iso", re.compile(rf"^(?:iso|asa|ei){_NUMBER}$", re.IGNORECASE)),
    ("nd", re.compile(rf"^nd{_NUMBER}$", re.IGNORECASE)),
)


def parse_camera(text: str) -> CameraReport:
    """Read camera settings as reports write them; nothing is evaluated.

    Words, in any order: aperture ``f/2.8``, ``f2.8`` or T-stop ``T2.8``;
    shutter ``1/48``, ``1/48s``, ``0.5s`` or a shutter angle ``180deg@24fps``
    (``180°@24fps``); ``ISO800`` (or ``ISO 800``, ``EI800``); ``ND0.3``.

    >>> parse_camera("f/4 1/50 ISO800 ND0.3")
    CameraReport(f_number=4.0, shutter_seconds=0.02, iso=800.0, nd_density=0.3)
    >>> parse_camera("T2.8 180deg@24fps").shutter_seconds == 1 / 48
    True
    >>> parse_camera("f/2.8 fast")
    Traceback (most recent call last):
    ...
    ValueError: cannot read 'fast' in 'f/2.8 fast' (examples: f/2.8 1/48 ISO800 ND0.3, 180deg@24fps)
    """
    words = re.sub(r"(?i)\b(iso|asa|ei|nd)\s+(?=[\d.])", r"\1", text.strip()).split()
    if not words:
        raise ValueError("no camera settings given (examples: f/2.8 1/48 ISO800 ND0.3)")
    found: Dict[str, float] = {}
    for word in words:
        matches = ((kind, pattern.match(word)) for kind, pattern in _WORDS)
        kind, match = next(((k, m) for k, m in matches if m), ("", None))
        if match is None:
            raise ValueError(
                f"cannot read {word!r} in {text!r} (examples: f/2.8 1/48 ISO800 ND0.3, "
                "180deg@24fps)"
            )
        numbers = [float(n) for n in match.groups()]
        if kind == "fraction":
            kind, value = "shutter_seconds", numbers[0] / _positive(numbers[1], "shutter")
        elif kind == "seconds":
            kind, value = "shutter_seconds", numbers[0]
        elif kind == "angle":
            kind, value = "shutter_seconds", shutter_seconds(numbers[0], numbers[1])
        else:
            kind = {"iso": "iso", "nd": "nd_density"}.get(kind, kind)
            value = numbers[0]
        if kind in found:
            raise ValueError(f"{text!r} gives the {kind.replace('_', ' ')} twice")
        found[kind] = value
    report = CameraReport(**found)
    for name in ("f_number", "shutter_seconds", "iso"):
        value = getattr(report, name)
        if value is not None:
            _positive(value, name.replace("_", " "))
    nd_to_stops(report.nd_density)
    return report


def report_stops_between(
    a: CameraReport,
    b: CameraReport,
    *,
    nominal: bool = True,
    names: Tuple[str, str] = ("the first", "the second"),
) -> float:
    """How many stops brighter take ``b`` is than take ``a``
    (:func:`stops_between`). Aperture, shutter and ISO count when both
    reports give them; given in one report only, it is an error naming the
    take that gives it (``names``: how the two are called, file names for
    EXR headers); the other take's value is unknown. No ND means none.

    >>> report_stops_between(parse_camera("f/2.8 1/48 ISO800"), parse_camera("f/4 1/48 ISO800"))
    -1.0
    """
    values: Dict[str, float] = {}
    for name, neutral in (("f_number", 1.0), ("shutter_seconds", 1.0), ("iso", 100.0)):
        first, second = getattr(a, name), getattr(b, name)
        if (first is None) != (second is None):
            which = names[0] if second is None else names[1]
            raise ValueError(
                f"only {which} gives the {name.replace('_', ' ')}: give it for both or neither"
            )
        values[name] = neutral if first is None else first
        values[name + "_b"] = neutral if second is None else second
    first_settings = Settings(
        values["f_number"], values["shutter_seconds"], values["iso"], a.nd_density
    )
    second_settings = Settings(
        values["f_number_b"], values["shutter_seconds_b"], values["iso_b"], b.nd_density
    )
    return stops_between(first_settings, second_settings, nominal=nominal)
