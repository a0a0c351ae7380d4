"""nuke-stops cdl: CDLs written and read by OpenColorIO, checked by applying
what was written; and written the way every file is, with nothing lost."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any, List

import pytest

from support.commandline import cli, leftovers, run_main, without_module

np = pytest.importorskip("numpy")
ocio = pytest.importorskip("PyOpenColorIO", reason="pip install -e .[dev] installs opencolorio")

from nuke_plugin.core.exposure import apply_exposure  # noqa: E402


def scene(height: int, width: int) -> Any:
    rng = np.random.default_rng(5)
    return rng.lognormal(np.log(0.18), 0.8, (height, width, 1)) * rng.uniform(
        0.7, 1.3, (height, width, 3)
    )


def ocio_apply(path: Path, pixels: Any) -> Any:
    """The CDL file applied by OpenColorIO itself to RGB pixels."""
    config = ocio.Config.CreateRaw()
    transform = ocio.FileTransform(src=str(path), interpolation=ocio.INTERP_LINEAR)
    processor = config.getProcessor(transform).getDefaultCPUProcessor()
    image = np.ascontiguousarray(pixels, dtype=np.float32)
    processor.applyRGB(image)
    return image


@pytest.mark.parametrize("suffix", [".cc", ".ccc", ".cdl"])
@pytest.mark.parametrize("stops", [["1"], ["-1/3"], ["1", "0", "-2/3"], ["x2", "+1 1/3", "-0.25"]])
def test_cdl_written_by_ocio_applies_as_the_exposure(
    tmp_path: Path, capsys: Any, suffix: str, stops: Any
) -> None:
    path = tmp_path / f"look{suffix}"
    status, out, err = run_main(["cdl", "--stops", *stops, "-o", str(path)], capsys)
    assert (status, err) == (0, "")
    pixels = scene(16, 16).astype(np.float32)
    wanted = apply_exposure(pixels, [parse(s) for s in (stops * 3 if len(stops) == 1 else stops)])
    got = ocio_apply(path, pixels)
    assert np.max(np.abs(got / wanted - 1)) <= 1e-6
    status, out, _ = run_main(["cdl", str(path), "--json"], capsys)
    read = json.loads(out)
    assert read["stops"] == pytest.approx(
        [parse(s) for s in (stops * 3 if len(stops) == 1 else stops)]
    )


def parse(text: str) -> float:
    from nuke_plugin.core.notation import parse_stops

    return parse_stops(text)


def written_cdl(path: Path, offset: float = 0.0, power: float = 1.0) -> Path:
    transform = ocio.CDLTransform(slope=[2, 2, 2], offset=[offset] * 3, power=[power] * 3, sat=1.0)
    ocio.GroupTransform([transform]).write("ColorCorrection", str(path), ocio.Config.CreateRaw())
    return path


@pytest.mark.parametrize(
    ("offset", "power", "reason"),
    [
        (0.1, 1.0, "it has an offset (0.1 0.1 0.1) in ACEScg, a scene-linear space"),
        (0.0, 1.2, "its power is 1.2 1.2 1.2, not 1"),
    ],
)
def test_a_cdl_that_is_not_an_exposure_is_refused(
    tmp_path: Path, capsys: Any, offset: float, power: float, reason: str
) -> None:
    path = written_cdl(tmp_path / "grade.cc", offset, power)
    status, out, err = run_main(["cdl", str(path)], capsys)
    assert (status, out) == (2, "")
    assert reason in err
    assert err.count("\n") == 1


def test_cdl_needs_an_output_and_a_known_suffix(tmp_path: Path, capsys: Any) -> None:
    assert run_main(["cdl", "--stops", "1"], capsys)[0] == 2
    status, _, err = run_main(["cdl", "--stops", "1", "-o", str(tmp_path / "look.xml")], capsys)
    assert status == 2
    assert "ends in .cc, .ccc or .cdl" in err
    assert not (tmp_path / "look.xml").exists()
    assert run_main(["cdl", "--stops", "1", "2", "-o", str(tmp_path / "a.cc")], capsys)[0] == 2


def slope_in(path: Path) -> List[float]:
    """The slope OpenColorIO itself reads from a file."""
    return [float(v) for v in ocio.CDLTransform.CreateFromFile(str(path), "").getSlope()]


# -- writing: nothing lost (issue 15, cases 1 to 4 and 8) ---------------------------


@pytest.mark.slow
def test_a_full_disk_leaves_the_old_file_whole_and_says_so(tmp_path: Path) -> None:
    """OpenColorIO reports no failed write; the bytes are made in memory and
    written by the product, which checks them, and the full disk is an error."""
    target = tmp_path / "fs.cc"
    assert cli("cdl", "--stops", "1", "-o", str(target)).returncode == 0
    before = target.read_bytes()
    done = cli("cdl", "--stops", "3", "-o", str(target), limit=100)
    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert lines == [f"nuke-stops: error: {target}.bak: cannot write: file too large"] or lines == [
        f"nuke-stops: error: {target}: cannot write: file too large"
    ], lines
    assert target.read_bytes() == before
    assert slope_in(target) == [2.0, 2.0, 2.0]
    assert leftovers(tmp_path) == []


@pytest.mark.slow
def test_a_planted_temporary_link_is_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    (tmp_path / ".sl.cc.nuke-stops.tmp").symlink_to(victim)
    dangling = tmp_path / ".sl.cc.nuke-stops.tmp.cc"
    dangling.symlink_to(tmp_path / "elsewhere.cc")
    done = cli("cdl", "--stops", "3", "-o", "sl.cc", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "precious"
    assert not (tmp_path / "elsewhere.cc").exists()
    assert not (tmp_path / "sl.cc").is_symlink()
    assert slope_in(tmp_path / "sl.cc") == [8.0, 8.0, 8.0]


@pytest.mark.slow
def test_two_runs_at_once_take_turns_and_each_report_is_true(tmp_path: Path) -> None:
    """Locked as convert is: the file is never corrupt, and the one that ran
    second backed up exactly what the first wrote."""
    target = tmp_path / "conc.cc"
    stops = {"1": 2.0, "2": 4.0}
    for trial in range(6):
        for path in (target, tmp_path / "conc.cc.bak"):
            if path.exists():
                path.unlink()
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "nuke_plugin", "cdl", "--stops", s, "-o", str(target)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for s in stops
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        final = slope_in(target)[0]
        assert final in stops.values(), f"trial {trial}: {final}"
        backup = tmp_path / "conc.cc.bak"
        assert backup.exists(), f"trial {trial}: the second run kept no backup"
        assert {slope_in(backup)[0], final} == set(stops.values()), f"trial {trial}"
        for (out, _), s in zip(outputs, stops):
            unit = "stop" if s == "1" else "stops"
            assert out.decode().startswith(f"wrote {target}: +{s} {unit} "), out
        assert leftovers(tmp_path) == []


# -1022 passes the product's own check, and OpenColorIO reads its slope back
# as 0: the read-back before the rename refuses it.
@pytest.mark.slow
@pytest.mark.parametrize("stops", ["-1080", "-1074", "-1023", "-1022", "1030", "9" * 400])
def test_values_a_cdl_cannot_carry_are_refused_before_anything_is_written(
    tmp_path: Path, stops: str
) -> None:
    target = tmp_path / "keep.cc"
    assert cli("cdl", "--stops", "1", "-o", str(target)).returncode == 0
    before = target.read_bytes()
    done = cli("cdl", "--stops", stops, "-o", str(target))
    assert done.returncode == 2
    assert len(done.stderr.decode().splitlines()) == 1, done.stderr
    assert b"Traceback" not in done.stderr
    assert target.read_bytes() == before
    assert not (tmp_path / "keep.cc.bak").exists()


def test_a_very_dark_slope_written_is_read_back_by_the_tool(tmp_path: Path, capsys: Any) -> None:
    target = tmp_path / "dark.cc"
    status, _, err = run_main(["cdl", "--stops", "-1000", "-o", str(target)], capsys)
    assert (status, err) == (0, "")
    status, out, err = run_main(["cdl", str(target), "--json"], capsys)
    assert (status, err) == (0, "")
    assert json.loads(out)["stops"] == [-1000.0] * 3


@pytest.mark.slow
def test_replacing_keeps_the_mode_and_a_backup_and_refuses_read_only(tmp_path: Path) -> None:
    target = tmp_path / "look.ccc"
    collection = ocio.GroupTransform(
        [ocio.CDLTransform(slope=[s] * 3, id=f"shot_{i}") for i, s in enumerate((1.5, 3.0))]
    )
    collection.write("ColorCorrectionCollection", str(target), ocio.Config.CreateRaw())
    original = target.read_bytes()
    os.chmod(target, 0o640)
    done = cli("cdl", "--stops", "1", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert b"(the file it replaced: look.ccc.bak)" in done.stdout
    assert (tmp_path / "look.ccc.bak").read_bytes() == original
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    os.chmod(target, 0o444)
    written = target.read_bytes()
    done = cli("cdl", "--stops", "2", "-o", str(target))
    assert done.returncode == 2
    assert b"is read-only (mode 0444): not replaced (--force replaces it)" in done.stderr
    assert target.read_bytes() == written
    done = cli("cdl", "--stops", "2", "-o", str(target), "--force")
    assert done.returncode == 0, done.stderr
    assert slope_in(target) == [4.0, 4.0, 4.0]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o444


# -- reading (issue 15, case 19) ---------------------------------------------------------


def collection(path: Path, *slopes: float) -> Path:
    transforms = [ocio.CDLTransform(slope=[s] * 3, id=f"sh{i:03d}") for i, s in enumerate(slopes)]
    ocio.GroupTransform(transforms).write(
        "ColorCorrectionCollection", str(path), ocio.Config.CreateRaw()
    )
    return path


def test_a_collection_says_which_entry_was_read_and_id_chooses(tmp_path: Path, capsys: Any) -> None:
    path = collection(tmp_path / "shots.ccc", 2.0, 4.0, 8.0)
    status, out, _ = run_main(["cdl", str(path)], capsys)
    assert status == 0
    assert out.splitlines()[:2] == [
        f"{path} (correction 'sh000', 1 of 3 (--id chooses)): +1 stop in ACEScg "
        "(scene-linear; config ocio://studio-config-latest (built in))",
        "  slope 2 2 2, offset 0 0 0, power 1 1 1, saturation 1",
    ]
    status, out, _ = run_main(["cdl", str(path), "--id", "sh002", "--json"], capsys)
    read = json.loads(out)
    assert (read["stops"], read["id"], read["index"], read["count"]) == ([3.0] * 3, "sh002", 2, 3)
    status, _, err = run_main(["cdl", str(path), "--id", "sh009"], capsys)
    assert status == 2
    assert err == (
        f"nuke-stops: error: {path}: no correction with id 'sh009' (it has: sh000, sh001, sh002)\n"
    )


BROKEN = {
    "negative": (
        '<ColorCorrection id="a"><SOPNode><Slope>-2 2 2</Slope><Offset>0 0 0</Offset>'
        "<Power>1 1 1</Power></SOPNode></ColorCorrection>",
        "Invalid 'slope'",
    ),
    "asc_sop": (
        '<ColorCorrection id="a"><ASC_SOP><Slope>2 2 2</Slope><Offset>0 0 0</Offset>'
        "<Power>1 1 1</Power></ASC_SOP></ColorCorrection>",
        "OpenColorIO did not read part of it",
    ),
    "inf": (
        '<ColorCorrection id="a"><SOPNode><Slope>2 2 2</Slope><Offset>0 0 0</Offset>'
        "<Power>1 1 1</Power></SOPNode><SatNode><Saturation>inf</Saturation></SatNode>"
        "</ColorCorrection>",
        "correction 'a': its saturation inf is not a finite number",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.parametrize("as_json", [False, True])
def test_a_cdl_that_cannot_be_read_as_stops_says_why_in_one_line(
    tmp_path: Path, case: str, as_json: bool
) -> None:
    text, reason = BROKEN[case]
    path = tmp_path / "grade.cc"
    path.write_text(text)
    done = cli("cdl", str(path), *(["--json"] if as_json else []))
    lines = done.stderr.decode().splitlines()
    assert (done.returncode, done.stdout) == (2, b"")
    assert len(lines) == 1, lines
    assert reason in lines[0]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["folder", "missing"])
def test_what_is_not_a_cdl_file_is_named_as_what_it_is(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "look.cc"
    if kind == "folder":
        path.mkdir()
    status = cli("cdl", str(path))
    message = "is a folder, not a file" if kind == "folder" else "no such file"
    assert status.returncode == 2
    assert status.stderr.decode() == f"nuke-stops: error: {path}: {message}\n"


@pytest.mark.slow
def test_without_opencolorio_cdl_says_which_extra(tmp_path: Path) -> None:

    done = cli(
        "cdl",
        "--stops",
        "1",
        "-o",
        str(tmp_path / "look.cc"),
        env=without_module(tmp_path, "PyOpenColorIO"),
    )
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "nuke-stops: error: working in OCIO colour spaces needs OpenColorIO: "
        "pip install 'nuke-stops[cdl]'\n"
    )
    assert not (tmp_path / "look.cc").exists()


def test_a_written_file_that_does_not_read_back_replaces_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read-back runs on the complete temporary file before the rename:
    damage it there (as a failing disk would) and the old file stays."""
    from nuke_plugin.adapters import cdl_file
    from nuke_plugin.core.cdl import Cdl

    target = tmp_path / "a.cc"
    cdl_file.write_cdl(target, Cdl(slope=(2.0, 2.0, 2.0)))
    before = target.read_bytes()
    real = cdl_file._read

    def damaged(ocio: Any, path: Path, cdl_id: str) -> Any:
        if ".nuke-stops.tmp" in path.name:
            path.write_text("<nothing/>")
        return real(ocio, path, cdl_id)

    monkeypatch.setattr(cdl_file, "_read", damaged)
    with pytest.raises(cdl_file.CdlError) as refused:
        cdl_file.write_cdl(target, Cdl(slope=(4.0, 4.0, 4.0)))
    assert str(refused.value).startswith(f"{target}: not written: OpenColorIO cannot read it back")
    assert ".nuke-stops.tmp" not in str(refused.value)
    assert target.read_bytes() == before
    assert not (tmp_path / "a.cc.bak").exists()
    assert leftovers(tmp_path) == []
