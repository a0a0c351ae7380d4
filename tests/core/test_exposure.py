"""The exposure math: founding table, edge cases, units and images."""

from __future__ import annotations

import math
import subprocess
import sys
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hs

from nuke_plugin.core.exposure import (
    CLAMP_FLOOR,
    ExposureDomainError,
    apply_exposure,
    convert_units,
    exposure_to_intensity,
    intensity_to_exposure,
)

ROUND_TRIP_TOLERANCE = 1e-12


stops_range = hs.floats(min_value=-1000, max_value=1000, allow_nan=False)


@pytest.mark.parametrize(
    ("stops", "intensity"), [(2, 4.0), (1, 2.0), (0, 1.0), (-1, 0.5), (-2, 0.25)]
)
def test_founding_table(stops: int, intensity: float) -> None:
    assert exposure_to_intensity(stops) == intensity
    assert intensity_to_exposure(intensity) == stops


def test_intensity_point_one_is_minus_3_32_stops() -> None:
    assert intensity_to_exposure(0.1) == pytest.approx(-3.321928, abs=1e-6)


def test_integer_stops_are_exact_across_the_double_range() -> None:
    for n in range(-1074, 1024):
        assert exposure_to_intensity(n) == math.ldexp(1.0, n)
    assert type(exposure_to_intensity(3)) is float


@given(stops_range)
def test_round_trip(stops: float) -> None:
    back = intensity_to_exposure(exposure_to_intensity(stops))
    assert abs(back - stops) <= ROUND_TRIP_TOLERANCE


@given(stops_range, stops_range)
def test_monotonic(a: float, b: float) -> None:
    if a < b:
        assert exposure_to_intensity(a) <= exposure_to_intensity(b)
        assert intensity_to_exposure(2.0**a) <= intensity_to_exposure(2.0**b)


@pytest.mark.parametrize("bad", [None, "1", True, False, 1j, {}, object()])
def test_non_numbers_raise_type_error(bad: Any) -> None:
    with pytest.raises(TypeError, match="real number"):
        exposure_to_intensity(bad)
    with pytest.raises(TypeError, match="real number"):
        intensity_to_exposure(bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_input_raises(bad: float) -> None:
    with pytest.raises(ExposureDomainError, match="finite"):
        exposure_to_intensity(bad)
    with pytest.raises(ExposureDomainError, match="finite"):
        intensity_to_exposure(bad)


def test_overflow_raises_naming_the_value() -> None:
    assert exposure_to_intensity(1023.9) < math.inf
    with pytest.raises(ExposureDomainError, match="1024.5"):
        exposure_to_intensity(1024.5)
    with pytest.raises(ExposureDomainError, match="too large"):
        exposure_to_intensity(10**400)


def test_zero_and_negative_have_no_exposure() -> None:
    with pytest.raises(ExposureDomainError, match="exposure of zero intensity is undefined"):
        intensity_to_exposure(0)
    with pytest.raises(ExposureDomainError, match="exposure of zero intensity is undefined"):
        intensity_to_exposure(-0.0)
    with pytest.raises(ExposureDomainError, match=r"negative intensity \(-0.5\) is undefined"):
        intensity_to_exposure(-0.5)
    assert isinstance(ExposureDomainError("x"), ValueError)


def test_subnormal_intensities_are_valid() -> None:
    assert intensity_to_exposure(5e-324) == -1074.0
    assert intensity_to_exposure(CLAMP_FLOOR) == -1073.0


def test_clamp_reproduces_the_founding_script(caplog: pytest.LogCaptureFixture) -> None:
    assert intensity_to_exposure(0, nonpositive="clamp") == -1073.0
    assert intensity_to_exposure(-7, nonpositive="clamp") == -1073.0
    assert [r.levelname for r in caplog.records] == ["WARNING", "WARNING"]
    assert "intensity -7.0 is below 1e-323; clamped" in caplog.records[1].getMessage()
    assert caplog.records[0].name == "nuke_plugin.core.exposure"
    caplog.clear()
    assert intensity_to_exposure(0.5, nonpositive="clamp") == -1.0
    assert caplog.records == []


def test_nan_mode_is_for_arrays_only_and_unknown_modes_are_refused() -> None:
    with pytest.raises(ValueError, match="arrays only"):
        intensity_to_exposure(0, nonpositive="nan")
    with pytest.raises(ValueError, match="'ignore'"):
        intensity_to_exposure(1, nonpositive="ignore")  # type: ignore[call-overload]


def test_scalar_kinds() -> None:
    assert exposure_to_intensity(Fraction(1, 2)) == math.sqrt(2)
    assert exposure_to_intensity(np.float32(1.0)) == 2.0
    assert type(exposure_to_intensity(np.float64(1.0))) is float
    assert intensity_to_exposure(np.int64(8)) == 3.0


def test_arrays_keep_shape_and_dtype() -> None:
    stops32 = np.array([[0, 1], [-1, 2]], dtype=np.float32)
    out = exposure_to_intensity(stops32)
    assert out.dtype == np.float32
    assert out.shape == (2, 2)
    np.testing.assert_array_equal(out, [[1, 2], [0.5, 4]])
    assert exposure_to_intensity(np.array([1, 2])).dtype == np.float64
    assert exposure_to_intensity(np.array([1], dtype=np.float16)).dtype == np.float64
    back = intensity_to_exposure(out)
    assert back.dtype == np.float32
    np.testing.assert_array_equal(back, stops32)


def test_array_errors_name_the_index() -> None:
    with pytest.raises(ExposureDomainError, match=r"index \(1,\)"):
        intensity_to_exposure(np.array([1.0, 0.0, 2.0]))
    with pytest.raises(ExposureDomainError, match=r"index \(0, 1\)"):
        exposure_to_intensity(np.array([[1.0, np.nan]]))
    with pytest.raises(ExposureDomainError, match="float32"):
        exposure_to_intensity(np.array([200.0], dtype=np.float32))
    with pytest.raises(TypeError, match="dtype"):
        exposure_to_intensity(np.array(["a"]))
    with pytest.raises(TypeError, match="dtype"):
        exposure_to_intensity(np.array([True]))


def test_array_nonpositive_modes(caplog: pytest.LogCaptureFixture) -> None:
    values = np.array([4.0, 0.0, -1.0])
    np.testing.assert_array_equal(
        intensity_to_exposure(values, nonpositive="nan"), [2.0, np.nan, np.nan]
    )
    clamped = intensity_to_exposure(values, nonpositive="clamp")
    np.testing.assert_array_equal(clamped, [2.0, -1073.0, -1073.0])
    assert [r.getMessage() for r in caplog.records] == ["2 intensities below 1e-323 clamped to it"]
    clamped32 = intensity_to_exposure(values.astype(np.float32), nonpositive="clamp")
    assert clamped32.dtype == np.float32
    np.testing.assert_array_equal(clamped32, [2.0, -1073.0, -1073.0])


def test_convert_units() -> None:
    assert convert_units(1, "stops", "linear") == 2.0
    assert convert_units(0.25, "linear", "stops") == -2.0
    assert convert_units(1, "stops", "cineon") == pytest.approx(90.309, abs=1e-3)
    assert convert_units(1, "stops", "densities") == pytest.approx(0.1806, abs=1e-4)
    assert convert_units(90.30899869919435, "cineon", "stops") == pytest.approx(1.0, abs=1e-12)
    assert convert_units(0.6 * math.log10(2), "densities", "linear") == pytest.approx(2.0)
    assert convert_units(3, "cineon", "cineon") == 3.0


def test_convert_refuses_unknown_units_and_bad_values() -> None:
    with pytest.raises(ValueError, match="valid units are: stops, linear, densities, cineon"):
        convert_units(1, "stop", "linear")
    with pytest.raises(ValueError, match="'EV'"):
        convert_units(1, "stops", "EV")
    with pytest.raises(ExposureDomainError, match="zero"):
        convert_units(0, "linear", "stops")
    with pytest.raises(ExposureDomainError, match="finite"):
        convert_units(math.nan, "stops", "cineon")


@given(hs.floats(-50, 50), hs.sampled_from(["stops", "linear", "densities", "cineon"]))
def test_convert_round_trips(stops: float, unit: str) -> None:
    there = convert_units(stops, "stops", unit)
    assert convert_units(there, unit, "stops") == pytest.approx(stops, abs=1e-9)


def _image(shape: Any, dtype: Any = np.float32, seed: int = 1) -> Any:
    return np.random.default_rng(seed).random(shape).astype(dtype)


@pytest.mark.parametrize("shape", [(7, 5, 4), (3, 3), (1, 1), (2160, 4096, 4), (999, 3)])
def test_apply_exposure_matches_a_multiply(shape: Any) -> None:
    pixels = _image(shape)
    channels = shape[-1]
    stops = [1.0, -1 / 3, 0.5, 0.0][:channels] + [0.25] * max(0, channels - 4)
    expected = pixels.astype(np.float64) * np.exp2(stops)
    result = apply_exposure(pixels, stops)
    assert result.dtype == np.float32
    assert result.shape == pixels.shape
    np.testing.assert_allclose(result, expected, rtol=2e-7)


def test_apply_exposure_zero_stops_leaves_a_channel_untouched() -> None:
    pixels = _image((64, 64, 4))
    pixels[0, 0] = [np.nan, -0.0, 1e-40, 3.0]  # odd values pass through too
    result = apply_exposure(pixels, (1, 1, 1, 0))
    np.testing.assert_array_equal(result[..., 3], pixels[..., 3])
    assert np.isnan(result[0, 0, 0])


def test_apply_exposure_in_place_makes_no_image_sized_temporary() -> None:
    import tracemalloc

    pixels = _image((1024, 1024, 4))
    expected = pixels * np.float32(2.0)
    tracemalloc.start()
    result = apply_exposure(pixels, 1, out=pixels)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result is pixels
    np.testing.assert_array_equal(pixels, expected)
    assert peak < pixels.nbytes / 10, f"peak {peak} bytes for a {pixels.nbytes}-byte image"


def test_apply_exposure_float64_and_strided_views() -> None:
    pixels = _image((50, 40, 4), np.float64)
    view = pixels[::2, ::3]
    result = apply_exposure(view, (1, 2, 3, 0))
    np.testing.assert_array_equal(result, view * np.array([2.0, 4.0, 8.0, 1.0]))
    out = np.zeros_like(pixels)
    apply_exposure(pixels, -1, out=out)
    np.testing.assert_array_equal(out, pixels / 2)


def test_apply_exposure_refuses_bad_input() -> None:
    pixels = _image((4, 4, 4))
    with pytest.raises(TypeError, match="floating-point"):
        apply_exposure(np.ones((4, 4, 4), dtype=np.uint8), 1)
    with pytest.raises(TypeError, match="floating-point"):
        apply_exposure([[1.0, 2.0]], 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="3 values but the image has 4 channels"):
        apply_exposure(pixels, (1, 1, 1))
    with pytest.raises(ExposureDomainError, match="finite"):
        apply_exposure(pixels, (1, math.nan, 1, 1))
    with pytest.raises(ExposureDomainError, match="float32"):
        apply_exposure(pixels, 200)
    with pytest.raises(ValueError, match="shape"):
        apply_exposure(pixels, 1, out=np.empty((4, 4, 3), np.float32))
    with pytest.raises(ValueError, match="dtype"):
        apply_exposure(pixels, 1, out=np.empty((4, 4, 4), np.float64))
    flat = _image((10, 4))
    with pytest.raises(ValueError, match="overlaps"):
        apply_exposure(flat[:5], 1, out=flat[1:6])
    before = pixels.copy()
    with pytest.raises(ExposureDomainError):
        apply_exposure(pixels, (1, 1, 1, 1e6), out=pixels)
    np.testing.assert_array_equal(pixels, before)  # refused before anything changed


@pytest.mark.slow
def test_the_scalar_math_does_not_import_numpy() -> None:
    code = (
        "import sys, nuke_plugin.core.exposure as e, nuke_plugin.core.notation as n, "
        "nuke_plugin.core.camera, nuke_plugin.stops, nuke_plugin.camera; "
        "n.format_stops(e.intensity_to_exposure(2)); "
        "assert 'numpy' not in sys.modules, 'numpy was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
