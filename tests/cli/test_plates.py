"""nuke-stops match, camera and cdl: real EXR files (OpenEXR) and real CDLs
(OpenColorIO), checked by applying what was written, never by recomputing it."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import pytest

from support.commandline import cli, run_main

np = pytest.importorskip("numpy")
OpenEXR = pytest.importorskip("OpenEXR", reason="pip install -e .[dev] installs OpenEXR")
ocio = pytest.importorskip("PyOpenColorIO", reason="pip install -e .[dev] installs opencolorio")


def scene(height: int = 120, width: int = 200, seed: int = 5) -> Any:
    rng = np.random.default_rng(seed)
    luminance = rng.lognormal(np.log(0.18), 0.8, (height, width, 1))
    return luminance * rng.uniform(0.7, 1.3, (height, width, 3))


def write_exr(
    path: Path,
    rgb: Any,
    dtype: str = "float32",
    origin: Tuple[int, int] = (0, 0),
    display: Optional[Tuple[int, int]] = None,
    extra: Optional[Dict[str, Any]] = None,
    channels: str = "RGB",
) -> Path:
    """An EXR with these pixels at ``origin`` of a display window (width, height)."""
    height, width = rgb.shape[:2]
    shown = display or (width, height)
    header = {
        "compression": OpenEXR.ZIP_COMPRESSION,
        "type": OpenEXR.scanlineimage,
        "dataWindow": (
            np.array(origin, dtype=np.int32),
            np.array([origin[0] + width - 1, origin[1] + height - 1], dtype=np.int32),
        ),
        "displayWindow": (
            np.array([0, 0], dtype=np.int32),
            np.array([shown[0] - 1, shown[1] - 1], dtype=np.int32),
        ),
        **(extra or {}),
    }
    data = {
        name: np.ascontiguousarray(rgb[..., i]).astype(dtype) for i, name in enumerate(channels)
    }
    OpenEXR.File(header, data).write(str(path))
    return path


@pytest.mark.parametrize("dtype", ["float16", "float32"])
@pytest.mark.parametrize("stops", [-4, -4 / 3, 0, 1, 8])
def test_match_measures_a_known_offset(
    tmp_path: Path, capsys: Any, dtype: str, stops: float
) -> None:
    pixels = scene()
    plate = write_exr(tmp_path / "plate.exr", pixels * 2.0**-stops, dtype)
    reference = write_exr(tmp_path / "ref.exr", pixels, dtype)
    status, out, err = run_main(["match", str(plate), str(reference), "--json"], capsys)
    assert (status, err) == (0, "")
    found = json.loads(out)
    assert found["stops"] == pytest.approx(stops, abs=0.01)
    assert found["pixels"] == 120 * 200
    assert set(found) == {
        "plate",
        "reference",
        "stops",
        "pixels",
        "spread",
        "plate_colorspace",
        "reference_colorspace",
    }
    assert (found["plate_colorspace"], found["reference_colorspace"]) == (None, None)


def test_snapping_is_given_beside_the_measurement(tmp_path: Path, capsys: Any) -> None:
    pixels = scene()
    plate = write_exr(tmp_path / "plate.exr", pixels * 2.0**-1.3)
    reference = write_exr(tmp_path / "ref.exr", pixels)
    status, out, _ = run_main(
        ["match", str(plate), str(reference), "--snap", "1/3", "--json"], capsys
    )
    found = json.loads(out)
    assert found["stops"] == pytest.approx(1.3, abs=0.01)
    assert found["snapped"] == pytest.approx(4 / 3)
    status, out, _ = run_main(["match", str(plate), str(reference), "--snap", "1/3"], capsys)
    assert status == 0
    assert "is 1.30 stops darker than" in out
    assert "add +1.30, +1 1/3 on a 1/3 stop grid" in out


def test_region_and_data_windows_are_in_display_coordinates(tmp_path: Path, capsys: Any) -> None:
    pixels = scene(100, 100)
    brighter = pixels.copy()
    brighter[60:80, 30:50] *= 8  # three stops brighter in display box x 30..50, y 60..80
    # the plate's pixels start at (10, 20) of a 120 x 120 display window
    plate = write_exr(tmp_path / "plate.exr", pixels[20:, 10:], origin=(10, 20), display=(120, 120))
    reference = write_exr(tmp_path / "ref.exr", brighter, display=(120, 120))
    args = ["match", str(plate), str(reference), "--region", "30", "60", "20", "20", "--json"]
    status, out, err = run_main(args, capsys)
    assert (status, err) == (0, "")
    assert json.loads(out)["stops"] == pytest.approx(3, abs=1e-3)
    assert json.loads(out)["pixels"] == 400
    status, out, _ = run_main(["match", str(plate), str(reference), "--json"], capsys)
    assert json.loads(out)["pixels"] == 80 * 90  # where both have pixels


@pytest.mark.slow
@pytest.mark.parametrize(
    ("make", "message"),
    [
        ("missing", "missing.exr: no such file"),
        ("text", "text.exr: not an OpenEXR file"),
        ("folder", "folder.exr: is a folder, not a file"),
        ("sizes", "have different display windows: 200 x 120 at (0, 0) and 50 x 50 at (0, 0)"),
        ("no colour", "no colour channels R, G, B, nor luminance Y (it has: Z)"),
        ("region", "the region and the two files' data windows share no pixel"),
        ("truncated", "truncated.exr: damaged or truncated: the header ends inside"),
    ],
)
def test_bad_input_is_one_line_and_status_2(tmp_path: Path, make: str, message: str) -> None:
    pixels = scene()
    good = write_exr(tmp_path / "good.exr", pixels)
    other = good
    extra = []
    if make == "missing":
        other = tmp_path / "missing.exr"
    elif make == "text":
        other = tmp_path / "text.exr"
        other.write_text("not pixels\n")
    elif make == "folder":
        other = tmp_path / "folder.exr"
        other.mkdir()
    elif make == "sizes":
        other = write_exr(tmp_path / "small.exr", pixels[:50, :50])
    elif make == "truncated":  # the library itself prints about this one
        other = tmp_path / "truncated.exr"
        other.write_bytes(good.read_bytes()[:200])
    elif make == "no colour":
        other = write_exr(tmp_path / "z.exr", pixels[..., :1], channels="Z")
    else:
        extra = ["--region", "500", "500", "10", "10"]
    done = cli("match", str(good), str(other), *extra)
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 2
    assert len(lines) == 1, lines  # nothing the EXR library printed leaks through
    assert message in lines[0]
    assert done.stdout == b""


def test_camera_from_settings_text(capsys: Any) -> None:
    status, out, _ = run_main(["camera", "f/4 1/50 ISO800", "f/2.8 1/50 ISO800", "--json"], capsys)
    assert (status, json.loads(out)["stops"]) == (0, 1.0)
    status, out, _ = run_main(
        ["camera", "f/2.8 1/48 ISO800", "T2.8 180deg@24fps ISO800 ND0.9"], capsys
    )
    assert out.startswith("take A is 3 stops brighter than take B: add -3 (-3.000)")
    status, _, err = run_main(["camera", "f/2.8 1/48", "f/2.8 1/48 ISO800"], capsys)
    assert status == 2
    assert "only the second gives the iso" in err
    status, _, err = run_main(["camera", "f/2.8 sunny", "f/4"], capsys)
    assert (status, err.count("\n")) == (2, 1)
    assert "cannot read 'sunny'" in err


def test_the_bundled_plates_are_one_stop_apart_by_pixels_and_by_camera(capsys: Any) -> None:
    """examples/: plate B was shot at f/4 against plate A's f/2.8 (header
    attributes are float32: 2.8 must still read as the marked f/2.8)."""
    from support.paths import EXAMPLES

    a, b = str(EXAMPLES / "plate_A.exr"), str(EXAMPLES / "plate_B.exr")
    status, out, _ = run_main(["camera", "--exr", a, b, "--json"], capsys)
    assert (status, json.loads(out)["stops"]) == (0, -1.0)
    status, out, _ = run_main(["match", b, a, "--json"], capsys)
    assert json.loads(out)["stops"] == pytest.approx(1.0, abs=0.01)


def test_camera_from_exr_headers(tmp_path: Path, capsys: Any) -> None:
    pixels = scene(8, 8)
    a = write_exr(
        tmp_path / "a.exr", pixels, extra={"aperture": 4.0, "expTime": 1 / 48, "isoSpeed": 800.0}
    )
    b = write_exr(
        tmp_path / "b.exr",
        pixels,
        extra={
            "aperture": 2.0,
            "shutterAngle": 180.0,
            "framesPerSecond": Fraction(24, 1),  # a rational, as the standard has it
            "isoSpeed": 800.0,
        },
    )
    status, out, err = run_main(["camera", "--exr", str(a), str(b), "--json"], capsys)
    assert (status, err) == (0, "")
    assert json.loads(out)["stops"] == pytest.approx(2.0)
    bare = write_exr(tmp_path / "bare.exr", pixels)
    status, _, err = run_main(["camera", "--exr", str(a), str(bare)], capsys)
    assert status == 2
    assert "no camera attributes" in err


_NOISY = """
import ctypes, os, sys
from nuke_plugin.adapters.exr_file import library_quiet
print("before", flush=True)
with library_quiet():
    ctypes.CDLL(None).printf(b"from C's stdio")
    os.write(1, b"from C++ on stdout\\n")
    os.write(2, b"from C++ on stderr\\n")
    print("Warning: Exception raised reading pixel data for part 0")
    print("and on sys.stderr", file=sys.stderr)
print("after", flush=True)
"""


@pytest.mark.slow
def test_what_the_exr_library_prints_does_not_leak() -> None:
    """The OpenEXR library writes to file descriptors 1 and 2 from C++ and
    prints to sys.stdout from its binding: none of it may reach a command's
    output."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _NOISY], capture_output=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"before\nafter\n", b"")


def encoded(rgb: Any, space: str) -> Any:
    """Scene-linear (ACEScg) pixels encoded into ``space`` by OpenColorIO."""
    config = ocio.Config.CreateFromFile("ocio://studio-config-latest")
    out = np.ascontiguousarray(rgb, dtype=np.float32)
    config.getProcessor("ACEScg", space).getDefaultCPUProcessor().applyRGB(out)
    return out


@pytest.mark.parametrize("space", ["ACEScct", "ARRI LogC3 (EI800)"])
def test_log_encoded_plates_are_matched_in_scene_linear(
    tmp_path: Path, capsys: Any, space: str
) -> None:
    linear = scene()
    plate = write_exr(tmp_path / "plate.exr", encoded(linear, space))
    reference = write_exr(tmp_path / "ref.exr", encoded(linear * 2 ** (4 / 3), space))
    status, out, err = run_main(
        ["match", str(plate), str(reference), "--colorspace", space, "--json"], capsys
    )
    assert status == 0, err
    found = json.loads(out)
    assert found["stops"] == pytest.approx(4 / 3, abs=0.01)
    assert (found["plate_colorspace"], found["reference_colorspace"]) == (space, space)
    # The same log pixels taken as linear, as the command did before: the
    # ratio of code values is no exposure, and the answer is far off.
    status, out, _ = run_main(["match", str(plate), str(reference), "--json"], capsys)
    assert status == 0
    wrong = json.loads(out)["stops"]
    assert abs(wrong - 4 / 3) > 0.9
    assert json.loads(out)["plate_colorspace"] is None


def test_plates_in_different_spaces_are_each_decoded(tmp_path: Path, capsys: Any) -> None:
    linear = scene()
    plate = write_exr(tmp_path / "plate.exr", encoded(linear, "ARRI LogC4"))
    reference = write_exr(tmp_path / "ref.exr", (linear * 0.5).astype(np.float32))
    status, out, err = run_main(
        ["match", str(plate), str(reference), "--plate-colorspace", "ARRI LogC4"], capsys
    )
    assert status == 0, err
    first, second = out.splitlines()
    assert "add -1.00 " in first
    assert second == "  plate ARRI LogC4, decoded to ACEScg by OpenColorIO; reference scene-linear"


def test_an_unknown_plate_space_is_one_line(tmp_path: Path, capsys: Any) -> None:
    plate = write_exr(tmp_path / "plate.exr", scene().astype(np.float32))
    status, out, err = run_main(["match", str(plate), str(plate), "--colorspace", "LogC9"], capsys)
    assert (status, out) == (2, "")
    assert err.startswith("nuke-stops: error: no colour space 'LogC9' in the OCIO config ")
    assert err.count("\n") == 1
