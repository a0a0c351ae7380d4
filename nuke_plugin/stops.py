"""The exposure math, as pipeline code imports it: ``nuke_plugin.stops``.

The functions live in :mod:`nuke_plugin.core.exposure` and
:mod:`nuke_plugin.core.notation`; this module keeps the import and the
names the README has always shown, ``convert`` and the ``step`` keyword of
``snap`` and ``format_stops`` included.

>>> format_stops(4 / 3), round(convert(1, "stops", "cineon"), 3)
('+1 1/3', 90.309)
"""

from __future__ import annotations

from fractions import Fraction

from .core.exposure import (
    CLAMP_FLOOR,
    UNITS,
    ExposureDomainError,
    Number,
    apply_exposure,
    convert_units,
    exposure_to_intensity,
    intensity_to_exposure,
)
from .core.notation import Grid, parse_stops
from .core.notation import format_stops as _format_stops
from .core.notation import snap as _snap

__all__ = [
    "CLAMP_FLOOR",
    "ExposureDomainError",
    "UNITS",
    "apply_exposure",
    "convert",
    "exposure_to_intensity",
    "format_stops",
    "intensity_to_exposure",
    "parse_stops",
    "snap",
]

#: The older name of :func:`nuke_plugin.core.exposure.convert_units`.
convert = convert_units


def snap(stops: Number, step: Grid = 1) -> float:
    """:func:`nuke_plugin.core.notation.snap`, its grid called ``step`` here."""
    return _snap(stops, step)


def format_stops(stops: Number, step: Grid = Fraction(1, 3)) -> str:
    """:func:`nuke_plugin.core.notation.format_stops`, its grid called ``step``."""
    return _format_stops(stops, step)
