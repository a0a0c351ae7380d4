"""nuke_plugin.stops: the import pipeline code has always used keeps working.

The math itself is tested in tests/core; these hold the old names to the
new homes, so a pipeline script written against 0.1 still runs.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from nuke_plugin import stops
from nuke_plugin.core import exposure, notation


@pytest.mark.parametrize(
    "name", [n for n in stops.__all__ if n not in ("convert", "snap", "format_stops")]
)
def test_names_are_the_core_functions(name: str) -> None:
    assert getattr(stops, name) is getattr(exposure, name, getattr(notation, name, None))


def test_convert_is_convert_units() -> None:
    assert stops.convert is exposure.convert_units
    assert stops.convert(1, "stops", "linear") == 2.0


def test_the_grid_is_still_called_step_here() -> None:
    assert stops.snap(0.3, step=Fraction(1, 3)) == notation.snap(0.3, Fraction(1, 3))
    assert stops.format_stops(0.75, step=Fraction(1, 4)) == "+3/4"
    assert stops.format_stops(4 / 3) == "+1 1/3"
    assert stops.snap(0.6) == 1.0
