"""Artist notation: snapping to a grid, writing and reading stops."""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from nuke_plugin.core.exposure import ExposureDomainError
from nuke_plugin.core.notation import format_stops, parse_stops, snap

grids = hs.sampled_from([1, Fraction(1, 2), Fraction(1, 3), Fraction(1, 4), 0.5, 0.25])


def test_snap() -> None:
    assert snap(0.3, Fraction(1, 3)) == 1 / 3
    assert snap(1.1, 0.5) == 1.0
    assert snap(-1.26, 0.5) == -1.5
    assert snap(0.5) == 1.0
    assert snap(-0.5) == -1.0
    assert snap(0.74, 0.25) == 0.75
    with pytest.raises(ValueError, match="positive"):
        snap(1, 0)
    with pytest.raises(ValueError, match="positive"):
        snap(1, math.inf)
    with pytest.raises(TypeError):
        snap(1, "1/3")  # type: ignore[arg-type]


@given(hs.floats(-1e6, 1e6), grids)
def test_snap_is_idempotent_and_close(stops: float, grid: Any) -> None:
    once = snap(stops, grid)
    assert snap(once, grid) == once
    assert abs(once - stops) <= float(grid) / 2 + 1e-9


@given(hs.floats(-1e6, 1e6), grids)
def test_snap_is_symmetric(stops: float, grid: Any) -> None:
    assert snap(-stops, grid) == -snap(stops, grid)


@pytest.mark.parametrize(
    ("stops", "grid", "text"),
    [
        (1.0, Fraction(1, 3), "+1"),
        (4 / 3, Fraction(1, 3), "+1 1/3"),
        (-2 / 3, Fraction(1, 3), "-2/3"),
        (0, Fraction(1, 3), "0"),
        (-0.0, Fraction(1, 3), "0"),
        (1e-12, Fraction(1, 3), "0"),
        (-1.5, Fraction(1, 2), "-1 1/2"),
        (-1.5, Fraction(1, 6), "-1 1/2"),
        (0.1, Fraction(1, 3), "+0.10"),
        (-3.3219, Fraction(1, 3), "-3.32"),
        (2.5, 0.25, "+2 1/2"),
        (7 / 3 + 5e-10, Fraction(1, 3), "+2 1/3"),
        (7 / 3 + 5e-9, Fraction(1, 3), "+2.33"),
    ],
)
def test_format_stops(stops: float, grid: Any, text: str) -> None:
    assert format_stops(stops, grid) == text


@pytest.mark.parametrize(
    ("text", "stops"),
    [
        ("1", 1.0),
        ("+1", 1.0),
        ("-1.5", -1.5),
        ("1 1/3", 4 / 3),
        ("+1 1/3", 4 / 3),
        ("-2/3", -2 / 3),
        ("1⅓", 4 / 3),
        ("1 ⅓", 4 / 3),
        ("-½", -0.5),
        ("−1", -1.0),
        ("1.5 stops", 1.5),
        ("1 stop", 1.0),
        ("1.5ev", 1.5),
        ("-2 EV", -2.0),
        ("  .5  ", 0.5),
        ("x2", 1.0),
        ("×4", 2.0),
        ("*0.5", -1.0),
        ("X0.25", -2.0),
    ],
)
def test_parse_stops_accepts_what_artists_type(text: str, stops: float) -> None:
    assert parse_stops(text) == stops


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "abc",
        "1/0",
        "nan",
        "inf",
        "1e3",
        "1 1",
        "1/3/3",
        "2+2",
        "__import__('os')",
        "--1",
        "1.5 stop stops",
        "x",
        "x-2",
        "1,5",
    ],
)
def test_parse_stops_refuses_anything_else_quoting_it(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_stops(text)


def test_parse_stops_refuses_non_positive_multipliers_and_non_text() -> None:
    with pytest.raises(ExposureDomainError, match="x0"):
        parse_stops("x0")
    with pytest.raises(TypeError):
        parse_stops(1)  # type: ignore[arg-type]


@given(hs.floats(-1000, 1000), grids)
def test_parse_of_format_is_snap(stops: float, grid: Any) -> None:
    snapped = snap(stops, grid)
    assert parse_stops(format_stops(snapped, grid)) == snapped


@given(hs.floats(-1000, 1000))
def test_parse_of_decimal_text_is_within_half_a_hundredth(stops: float) -> None:
    assert abs(parse_stops(format_stops(stops)) - stops) <= 0.005 + 1e-9
