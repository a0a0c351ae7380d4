"""CDLs in the space they are applied in, checked with the real OpenColorIO.

The test applies each written file itself (scene-linear -> the space ->
the file -> scene-linear, one OpenColorIO group) and compares with a
multiply by 2 ** stops: it never reuses the product's fitting or measuring.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any, List, Tuple

import pytest

from support.commandline import cli, run_main

ocio = pytest.importorskip("PyOpenColorIO", reason="pip install -e .[dev] installs OpenColorIO")

STUDIO = "ocio://studio-config-latest"
SCENE_LINEAR = "ACEScg"  # the studio config's scene_linear role
LOW, HIGH = 0.18 / 16, 0.18 * 64  # the default range: 4 stops under grey to 6 over


def applied(space: str, cdl: Path, values: List[float]) -> List[float]:
    """Neutral scene-linear values through the CDL file applied in ``space``."""
    config = ocio.Config.CreateFromFile(STUDIO)
    group = ocio.GroupTransform(
        [
            ocio.ColorSpaceTransform(src=SCENE_LINEAR, dst=space),
            ocio.FileTransform(src=str(cdl)),
            ocio.ColorSpaceTransform(src=space, dst=SCENE_LINEAR),
        ]
    )
    ocio.ClearAllCaches()
    processor = config.getProcessor(group).getOptimizedCPUProcessor(
        ocio.BIT_DEPTH_F32, ocio.BIT_DEPTH_F32, ocio.OPTIMIZATION_LOSSLESS
    )
    out = processor.applyRGB([v for v in values for _ in range(3)])
    return list(out[0::3])


def ramp(low: float, high: float, count: int = 200) -> List[float]:
    return [low * (high / low) ** (i / (count - 1)) for i in range(count)]


def write(tmp_path: Path, capsys: Any, stops: float, *options: str) -> Tuple[Path, Any]:
    path = tmp_path / "look.cc"
    status, out, err = run_main(
        ["cdl", "--stops", str(stops), "-o", str(path), "--json", *options], capsys
    )
    assert status == 0, err
    return path, json.loads(out)


@pytest.mark.parametrize(
    ("space", "exact_from"),
    [
        (SCENE_LINEAR, 0.0),  # a multiply: exact everywhere
        ("ACEScc", 2.0**-15),  # its log holds down to 2^-15
        ("ACEScct", 0.0078125),  # above its toe
    ],
)
@pytest.mark.parametrize("stops", [1.0, -1.0, 2.5, -1 / 3])
def test_a_cdl_for_an_exact_space_is_a_multiply_where_the_space_is_log(
    tmp_path: Path, capsys: Any, space: str, exact_from: float, stops: float
) -> None:
    options = () if space == SCENE_LINEAR else ("--space", space)
    path, data = write(tmp_path, capsys, stops, *options)
    assert data["space"] == space
    assert data["power"] == [1.0] * 3
    assert data["saturation"] == 1.0
    if space == SCENE_LINEAR:
        assert data["slope"] == [pytest.approx(2.0**stops, rel=1e-15)] * 3
        assert data["offset"] == [0.0] * 3
    else:
        assert data["slope"] == [1.0] * 3
        assert data["offset"] == [pytest.approx(stops / 17.52, rel=1e-5)] * 3
    # Where input and output both lie above where the space is log: exact.
    start = max(LOW, exact_from, exact_from / 2.0**stops)
    inputs = ramp(start, HIGH / max(1.0, 2.0**stops))
    for x, got in zip(inputs, applied(space, path, inputs)):
        assert got == pytest.approx(x * 2.0**stops, rel=1e-5), x
    assert data["worst_error"] < 1e-5
    assert data["range"][0] >= LOW * 0.999
    assert data["range"][1] <= HIGH * 1.001


@pytest.mark.parametrize("space", ["ARRI LogC3 (EI800)", "ARRI LogC4"])
def test_a_camera_log_is_refused_with_its_error_unless_approximate(
    tmp_path: Path, capsys: Any, space: str
) -> None:
    path = tmp_path / "look.cc"
    status, out, err = run_main(["cdl", "--stops", "1", "--space", space, "-o", str(path)], capsys)
    assert (status, out) == (2, "")
    assert err.startswith(
        f"nuke-stops: error: {space} cannot carry +1 stop as a CDL: the best one is "
    )
    assert "stop off over linear 0.0112 to 5.76 (tolerance 0.01); --approximate" in err
    assert not path.exists()  # refused before anything was written
    path, data = write(tmp_path, capsys, 1.0, "--space", space, "--approximate")
    assert data["slope"] == [1.0] * 3
    assert data["offset"][0] > 0
    low, high = data["range"]
    inputs = ramp(low, high, 241)
    errors = [abs(math.log2(g / (x * 2))) for x, g in zip(inputs, applied(space, path, inputs))]
    assert data["worst_error"] == pytest.approx(max(errors), abs=2e-3)  # what OpenColorIO gives
    assert data["worst_error"] > 0.05  # a camera log is only roughly an offset


def test_the_output_names_the_space_range_and_what_happens_outside(tmp_path: Path) -> None:
    done = cli("cdl", "--stops", "1", "--space", "ACEScct", "-o", str(tmp_path / "a.cc"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    assert lines[0] == (
        f"wrote {tmp_path / 'a.cc'}: +1 stop in ACEScct (log; config {STUDIO} (built in))"
    )
    assert lines[1].startswith("  slope 1 1 1, offset 0.0570776")
    assert lines[2].startswith("  exact over linear 0.0112 to 5.76 (values before the exposure")
    assert lines[3] == (
        "  below linear 0.00729 it is off by more than 0.01 stop: not an exposure there"
    )  # ACEScct's toe starts at 0.0078125 on the way out


def test_id_and_description_are_written(tmp_path: Path, capsys: Any) -> None:
    path, _ = write(tmp_path, capsys, 1.0, "--id", "sh010", "--description", "plate match")
    root = ElementTree.parse(path).getroot()
    assert root.get("id") == "sh010"
    assert [d.text for d in root.iter("Description")] == ["plate match"]


def test_an_offset_cdl_reads_as_an_exposure_in_its_log_space(tmp_path: Path, capsys: Any) -> None:
    path, _ = write(tmp_path, capsys, -1.0, "--space", "ACEScct")
    status, out, _ = run_main(["cdl", str(path), "--space", "ACEScct", "--json"], capsys)
    assert status == 0
    read = json.loads(out)
    assert read["stops"] == [pytest.approx(-1.0, abs=1e-5)] * 3
    assert read["worst_error"] < 1e-5
    status, _, err = run_main(["cdl", str(path)], capsys)  # as scene-linear: not an exposure
    assert status == 2
    assert "in ACEScg, a scene-linear space, where an exposure is a slope alone" in err


def test_a_slope_read_in_a_log_space_is_refused_with_the_reason(
    tmp_path: Path, capsys: Any
) -> None:
    path, _ = write(tmp_path, capsys, 1.0)  # slope 2: scene-linear
    status, out, err = run_main(["cdl", str(path), "--space", "ACEScct"], capsys)
    assert (status, out) == (2, "")
    assert "its slope 2 2 2 in ACEScct, a log space, is a contrast change, not an exposure" in err


def test_per_channel_stops_are_each_exact(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "rgb.cc"
    status, out, err = run_main(
        ["cdl", "--stops", "1", "0", "-1/3", "--space", "ACEScc", "-o", str(path), "--json"], capsys
    )
    assert status == 0, err
    data = json.loads(out)
    assert data["offset"] == pytest.approx([1 / 17.52, 0.0, -1 / 3 / 17.52], abs=1e-7)
    assert data["worst_error"] < 1e-5


@pytest.mark.parametrize(
    ("options", "wanted"),
    [
        (
            ["--space", "ACEScc2"],
            "no colour space 'ACEScc2' in the OCIO config "
            f"{STUDIO} (built in); the closest: ACEScc, ACEScct, ACEScg",
        ),
        (["--space", "Raw"], "Raw in the OCIO config"),
        (["--config", "/nowhere/config.ocio"], "the OCIO config /nowhere/config.ocio (--config)"),
        (["--range", "1", "0.5"], "--range 1 0.5: give two linear values, low then high"),
    ],
)
def test_bad_spaces_and_configs_are_one_line_and_status_2(
    tmp_path: Path, capsys: Any, options: List[str], wanted: str
) -> None:
    path = tmp_path / "look.cc"
    status, out, err = run_main(["cdl", "--stops", "1", "-o", str(path), *options], capsys)
    assert (status, out) == (2, "")
    assert wanted in err
    assert err.count("\n") == 1
    assert not path.exists()


def test_ocio_names_the_config_and_config_overrides_it(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ocio"
    broken.write_text("ocio_profile_version: 2\nroles: {\n")
    done = cli("cdl", "--stops", "1", "-o", str(tmp_path / "a.cc"), env={"OCIO": str(broken)})
    assert done.returncode == 2
    err = done.stderr.decode()
    assert err.startswith(f"nuke-stops: error: the OCIO config {broken} ($OCIO) does not load: ")
    assert err.count("\n") == 1
    done = cli(
        "cdl",
        "--stops",
        "1",
        "-o",
        str(tmp_path / "a.cc"),
        "--config",
        STUDIO,
        env={"OCIO": str(broken)},
    )
    assert done.returncode == 0, done.stderr
    assert f"config {STUDIO} (--config)" in done.stdout.decode()


def test_a_collection_entry_is_read_by_id_in_its_space(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "shots.ccc"
    for shot, stops in (("sh010", "1"), ("sh020", "-2/3")):
        single = tmp_path / f"{shot}.cc"
        status, _, err = run_main(
            ["cdl", "--stops", stops, "--space", "ACEScct", "--id", shot, "-o", str(single)], capsys
        )
        assert status == 0, err
    entries = [ElementTree.parse(tmp_path / f"{s}.cc").getroot() for s in ("sh010", "sh020")]
    collection = ElementTree.Element("ColorCorrectionCollection")
    collection.extend(entries)
    ElementTree.ElementTree(collection).write(path)
    status, out, err = run_main(
        ["cdl", str(path), "--space", "ACEScct", "--id", "sh020", "--json"], capsys
    )
    assert status == 0, err
    read = json.loads(out)
    assert (read["id"], read["index"], read["count"]) == ("sh020", 1, 2)
    assert read["stops"] == [pytest.approx(-2 / 3, abs=1e-5)] * 3
