"""Exposure as an ASC CDL: slope 2 ** stops per channel, offset 0, power 1.

An exposure change in linear light is a multiplication, which is exactly a
CDL slope; offset, power and saturation stay neutral. The other way, only a
CDL whose offset is 0 and whose power is 1 is an exposure (its slope then
reads as stops); saturation is no part of an exposure and is reported
beside it. Standard library only: files are read and written with
OpenColorIO itself (:mod:`nuke_plugin.adapters.cdl_file`).

>>> cdl_for_stops([1, 0, -1]).slope
(2.0, 1.0, 0.5)
>>> stops_of_cdl(Cdl(slope=(2.0, 2.0, 2.0)))
(1.0, 1.0, 1.0)
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Sequence, Tuple

from .exposure import exposure_to_intensity, intensity_to_exposure, real_number

__all__ = ["Cdl", "cdl_for_stops", "stops_of_cdl"]

Triple = Tuple[float, float, float]


@dataclass(frozen=True)
class Cdl:
    """One ASC colour decision: slope, offset and power per channel, saturation."""

    slope: Triple = (1.0, 1.0, 1.0)
    offset: Triple = (0.0, 0.0, 0.0)
    power: Triple = (1.0, 1.0, 1.0)
    saturation: float = 1.0


def cdl_for_stops(stops: Sequence[float]) -> Cdl:
    """The CDL of an exposure: one value for red, green and blue, or three.

    >>> cdl_for_stops([0.5]).slope[0] == 2 ** 0.5
    True
    """
    values = [real_number(s, "stops") for s in stops]
    if len(values) == 1:
        values *= 3
    if len(values) != 3:
        raise ValueError(f"give one value in stops, or three (r g b); got {len(values)}")
    red, green, blue = (exposure_to_intensity(s) for s in values)
    for value, slope in zip(values, (red, green, blue)):
        if slope < sys.float_info.min:  # 0, or a subnormal no CDL reader keeps
            raise ValueError(
                f"{value:g} stops is a slope of {slope:g}: below what a CDL can carry "
                "(-1022 stops at least)"
            )
    return Cdl(slope=(red, green, blue))


def stops_of_cdl(cdl: Cdl, tolerance: float = 1e-9) -> Triple:
    """The exposure a CDL makes, in stops per channel; ValueError naming the
    reason when it is not one (an offset other than 0, a power other than 1,
    a slope of zero or less)."""
    for name, values, neutral in (("offset", cdl.offset, 0.0), ("power", cdl.power, 1.0)):
        if any(not math.isclose(v, neutral, abs_tol=tolerance) for v in values):
            shown = " ".join(f"{v:g}" for v in values)
            raise ValueError(
                f"its {name} is {shown}, not {neutral:g}: a CDL is a single exposure "
                "only with offset 0 and power 1"
            )
    red, green, blue = (intensity_to_exposure(s) for s in cdl.slope)
    return red, green, blue
