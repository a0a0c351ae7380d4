"""Camera settings in stops: nominal marked values, raw arithmetic, bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from nuke_plugin.core.camera import (
    Settings,
    exposure_value,
    nd_to_stops,
    shutter_seconds,
    stops_between,
    t_stop,
)

FULL_APERTURES = [1, 1.4, 2, 2.8, 4, 5.6, 8, 11, 16, 22, 32, 45, 64]


FULL_SHUTTERS = [
    1,
    1 / 2,
    1 / 4,
    1 / 8,
    1 / 15,
    1 / 30,
    1 / 60,
    1 / 125,
    1 / 250,
    1 / 500,
    1 / 1000,
    1 / 2000,
    1 / 4000,
    1 / 8000,
]


THIRD_APERTURES = [2, 2.2, 2.5, 2.8, 3.2, 3.5, 4, 4.5, 5.0, 5.6, 6.3, 7.1, 8, 9, 10, 11]


HALF_APERTURES = [2, 2.4, 2.8, 3.3, 4, 4.8, 5.6, 6.7, 8, 9.5, 11]


THIRD_SHUTTERS = [1 / d for d in (30, 40, 50, 60, 80, 100, 125, 160, 200, 250, 320, 400, 500)]


HALF_SHUTTERS = [1 / d for d in (30, 45, 60, 90, 125, 180, 250, 350, 500)]


THIRD_ISOS = [100, 125, 160, 200, 250, 320, 400, 500, 640, 800, 1000, 1250, 1600]


HALF_ISOS = [100, 140, 200, 280, 400, 560, 800, 1100, 1600]


def _series_steps(values: list, measure) -> list:  # type: ignore[type-arg, no-untyped-def]
    return [measure(b) - measure(a) for a, b in zip(values, values[1:])]


@pytest.mark.parametrize(
    ("series", "step"),
    [(FULL_APERTURES, 1.0), (THIRD_APERTURES, 1 / 3), (HALF_APERTURES, 0.5)],
)
def test_aperture_series_are_even_steps(series: list, step: float) -> None:  # type: ignore[type-arg]
    for diff in _series_steps(series, lambda n: exposure_value(n, 1)):
        assert diff == pytest.approx(step, abs=1e-12)


@pytest.mark.parametrize(
    ("series", "step"),
    [(FULL_SHUTTERS, 1.0), (THIRD_SHUTTERS, 1 / 3), (HALF_SHUTTERS, 0.5)],
)
def test_shutter_series_are_even_steps(series: list, step: float) -> None:  # type: ignore[type-arg]
    for diff in _series_steps(series, lambda t: exposure_value(1, t)):
        assert diff == pytest.approx(step, abs=1e-12)


@pytest.mark.parametrize(("series", "step"), [(THIRD_ISOS, 1 / 3), (HALF_ISOS, 0.5)])
def test_iso_series_are_even_steps(series: list, step: float) -> None:  # type: ignore[type-arg]
    for diff in _series_steps(series, lambda iso: -exposure_value(1, 1, iso)):
        assert diff == pytest.approx(step, abs=1e-12)


def test_marked_values_are_nominal() -> None:
    assert exposure_value(2.8, 1) == 3.0  # f/2.8 is 2 ** 1.5
    assert exposure_value(5.6, 1) == 5.0
    assert exposure_value(1, 1 / 60) == 6.0  # 1/60 s is 1/64
    assert exposure_value(1, 1 / 125) == 7.0
    assert exposure_value(1, 1, iso=640) == pytest.approx(-math.log2(4 * 2 ** (2 / 3)))
    assert stops_between(Settings(4, 1 / 50), Settings(2.8, 1 / 50)) == 1.0  # not 1.029


def test_raw_arithmetic_on_request() -> None:
    assert exposure_value(2.8, 1, nominal=False) == pytest.approx(2 * math.log2(2.8))
    raw = stops_between(Settings(4, 1 / 50), Settings(2.8, 1 / 50), nominal=False)
    assert raw == pytest.approx(2 * math.log2(4 / 2.8))
    assert raw == pytest.approx(1.029, abs=1e-3)


def test_unmarked_values_are_used_as_they_are() -> None:
    assert exposure_value(1, 1 / 48) == pytest.approx(math.log2(48))
    assert exposure_value(1.9, 1) == pytest.approx(2 * math.log2(1.9))
    assert exposure_value(1, 1, iso=1234) == pytest.approx(-math.log2(12.34))


def test_ambiguous_marks_take_the_closest_nominal_value() -> None:
    # f/1.2 is the half stop 2**0.25 (1.19), closer than the third 2**(1/3) (1.26)
    assert exposure_value(1.2, 1) == 0.5
    # f/13 is the third stop 2**(11/3) (12.7), closer than the half 2**(15/4) (13.5)
    assert exposure_value(13, 1) == pytest.approx(22 / 3)


def test_founding_ev_formula() -> None:
    assert exposure_value(1, 1) == 0.0
    assert exposure_value(2.8, 1 / 125) == 10.0
    assert exposure_value(2.8, 1 / 125, iso=400) == 8.0


def test_stops_between_directions() -> None:
    base = Settings(4, 1 / 50, iso=400, nd_density=0.3)
    assert stops_between(base, Settings(2.8, 1 / 50, 400, 0.3)) == 1.0  # wider aperture
    assert stops_between(base, Settings(4, 1 / 25, 400, 0.3)) == 1.0  # longer shutter
    assert stops_between(base, Settings(4, 1 / 50, 800, 0.3)) == 1.0  # higher ISO
    assert stops_between(base, Settings(4, 1 / 50, 400, 0.0)) == 1.0  # weaker ND
    assert stops_between(base, base) == 0.0


@given(hs.floats(0.5, 64), hs.floats(1e-4, 30), hs.floats(6, 200000), hs.floats(0, 4))
def test_stops_between_is_antisymmetric(n: float, t: float, iso: float, nd: float) -> None:
    a = Settings(2.8, 1 / 48)
    b = Settings(n, t, iso, nd)
    assert stops_between(a, b) == pytest.approx(-stops_between(b, a), abs=1e-12)
    assert stops_between(a, b, nominal=False) == pytest.approx(
        math.log2(t * 48 * (2.8 / n) ** 2 * iso / 100) - nd / math.log10(2), abs=1e-9
    )


def test_nd_filters() -> None:
    assert nd_to_stops(0.3, nominal=False) == pytest.approx(0.9966, abs=1e-4)
    assert nd_to_stops(0.3) == 1.0
    assert nd_to_stops(0.9) == 3.0
    assert nd_to_stops(1.2) == 4.0
    assert nd_to_stops(0.6) == 2.0
    assert nd_to_stops(0.15) == 0.5
    assert nd_to_stops(0) == 0.0
    assert nd_to_stops(0.37) == pytest.approx(0.37 / math.log10(2))
    with pytest.raises(ValueError, match="-0.3"):
        nd_to_stops(-0.3)


def test_t_stop_and_shutter_angle() -> None:
    assert t_stop(2.0, 1.0) == 2.0
    assert t_stop(2.0, 0.5) == pytest.approx(2 * math.sqrt(2))
    assert shutter_seconds(180, 24) == 1 / 48
    assert shutter_seconds(360, 25) == 1 / 25
    assert shutter_seconds(172.8, 24) == pytest.approx(0.02)
    with pytest.raises(ValueError, match="transmittance"):
        t_stop(2, 1.5)
    with pytest.raises(ValueError, match="400"):
        shutter_seconds(400, 24)
    with pytest.raises(ValueError, match="fps"):
        shutter_seconds(180, 0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"f_number": 0, "shutter_seconds": 1},
        {"f_number": 2, "shutter_seconds": -1},
        {"f_number": 2, "shutter_seconds": 1, "iso": math.nan},
        {"f_number": 2, "shutter_seconds": 1, "nd_density": -1},
        {"f_number": "2.8", "shutter_seconds": 1},
    ],
)
def test_settings_refuse_bad_values(kwargs: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises((ValueError, TypeError)):
        Settings(**kwargs)


def test_settings_are_immutable() -> None:
    settings = Settings(2.8, 1 / 48)
    with pytest.raises(AttributeError):
        settings.iso = 200  # type: ignore[misc]
