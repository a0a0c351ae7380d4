"""nuke-stops match over a shot: frame sequences on disk (OpenEXR), the three
modes, the outputs, and a .nk checked by evaluating its curve in the stand-in."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from support.commandline import cli, run_main
from support.render import render_script

np = pytest.importorskip("numpy")
OpenEXR = pytest.importorskip("OpenEXR", reason="pip install -e .[dev] installs OpenEXR")

FRAMES = list(range(1001, 1013))


def write_exr(path: Path, rgb: Any, display: Optional[Tuple[int, int]] = None) -> None:
    height, width = rgb.shape[:2]
    shown = display or (width, height)
    header = {
        "compression": OpenEXR.ZIP_COMPRESSION,
        "type": OpenEXR.scanlineimage,
        "dataWindow": (np.array([0, 0], np.int32), np.array([width - 1, height - 1], np.int32)),
        "displayWindow": (
            np.array([0, 0], np.int32),
            np.array([shown[0] - 1, shown[1] - 1], np.int32),
        ),
    }
    data = {c: np.ascontiguousarray(rgb[..., i]).astype("float16") for i, c in enumerate("RGB")}
    OpenEXR.File(header, data).write(str(path))


def scene(seed: int = 5, height: int = 48, width: int = 80) -> Any:
    rng = np.random.default_rng(seed)
    luminance = rng.lognormal(np.log(0.18), 0.8, (height, width, 1))
    return luminance * rng.uniform(0.7, 1.3, (height, width, 3))


def flicker(seed: int = 1) -> Dict[int, float]:
    rng = np.random.default_rng(seed)
    return {f: float(rng.uniform(-0.5, 0.5)) for f in FRAMES}


def sequence(
    folder: Path, name: str, exposure: Dict[int, float], skip: Tuple[int, ...] = ()
) -> str:
    """plate.####.exr: the scene at each frame's exposure (in stops)."""
    base = scene()
    for frame, stops in exposure.items():
        if frame not in skip:
            write_exr(folder / f"{name}.{frame:04d}.exr", base * 2.0**stops)
    return str(folder / f"{name}.####.exr")


def rows(out: str) -> Dict[int, Dict[str, Any]]:
    return {row["frame"]: row for row in json.loads(out)}


def test_sequence_against_sequence_gives_each_frames_offset(tmp_path: Path, capsys: Any) -> None:
    plate_exposure = flicker()
    plate = sequence(tmp_path, "plate", plate_exposure)
    reference = sequence(tmp_path, "ref", {f: 0.25 for f in FRAMES}).replace("####", "%04d")
    code, out, err = run_main(["match", plate, reference, "--json", "--jobs", "1"], capsys)
    assert code == 0, err
    found = rows(out)
    assert sorted(found) == FRAMES
    for frame, stops in plate_exposure.items():
        assert found[frame]["stops"] == pytest.approx(0.25 - stops, abs=0.005)
        assert found[frame]["pixels"] == 48 * 80
        assert set(found[frame]) == {"frame", "stops", "spread", "pixels"}


def test_sequence_against_one_frame(tmp_path: Path, capsys: Any) -> None:
    exposure = flicker(2)
    plate = sequence(tmp_path, "plate", exposure)
    write_exr(tmp_path / "grade_frame.exr", scene() * 2.0**-1)
    code, out, err = run_main(["match", plate, str(tmp_path / "grade_frame.exr"), "--json"], capsys)
    assert code == 0, err
    for frame, row in rows(out).items():
        assert row["stops"] == pytest.approx(-1 - exposure[frame], abs=0.005)


def test_to_frame_deflickers_against_a_frame_of_the_same_plate(tmp_path: Path, capsys: Any) -> None:
    exposure = flicker(3)
    plate = sequence(tmp_path, "plate", exposure)
    code, out, err = run_main(["match", plate, "--to-frame", "1004", "--json"], capsys)
    assert code == 0, err
    for frame, row in rows(out).items():
        assert row["stops"] == pytest.approx(exposure[1004] - exposure[frame], abs=0.005)


def test_smooth_takes_the_flicker_out_and_keeps_the_trend(tmp_path: Path, capsys: Any) -> None:
    trend = {f: 0.05 * (f - 1001) for f in FRAMES}
    spikes = {f: (0.5 if f % 3 == 0 else 0.0) for f in FRAMES}
    plate = sequence(tmp_path, "plate", {f: trend[f] + spikes[f] for f in FRAMES})
    code, out, err = run_main(["match", plate, "--smooth", "5", "--json"], capsys)
    assert code == 0, err
    found = rows(out)
    for frame in FRAMES[2:-2]:
        assert found[frame]["stops"] == pytest.approx(-spikes[frame], abs=0.11)  # 2 trend steps
    corrected = [trend[f] + spikes[f] + found[f]["stops"] for f in FRAMES]
    assert max(abs(b - a) for a, b in zip(corrected, corrected[1:])) < 0.2  # was 0.55
    assert found[1004]["against"] == 1003
    assert found[1004]["step"] == pytest.approx(0.05, abs=0.005)


def test_missing_and_mismatched_frames_are_reported_and_the_run_goes_on(
    tmp_path: Path, capsys: Any
) -> None:
    exposure = flicker(4)
    plate = sequence(tmp_path, "plate", exposure, skip=(1003,))
    write_exr(tmp_path / "plate.1005.exr", scene()[:40])  # another size
    (tmp_path / "plate.1007.exr").write_bytes(b"v/1\x01 truncated")
    reference = sequence(tmp_path, "ref", {f: 0.0 for f in FRAMES})
    code, out, err = run_main(["match", plate, reference, "--frames", "1001-1012"], capsys)
    assert code == 1
    lines = {line.split()[0]: line for line in out.splitlines() if line[:4].isdigit()}
    assert "no value" in lines["1003"]
    assert "plate.1003.exr" in lines["1003"]
    assert "different display windows" in lines["1005"]
    assert "no value" in lines["1007"]
    assert "+" in lines["1004"] or "-" in lines["1004"].split()[1]
    assert "12 frame(s): 9 measured, 3 without a value (1003, 1005, 1007)" in out
    code, out, err = run_main(
        ["match", plate, reference, "--json", "--frames", "1001-1012"], capsys
    )
    found = rows(out)
    assert found[1003]["stops"] is None
    assert "plate.1003.exr" in found[1003]["error"]
    assert "error" not in found[1004]


def test_strict_stops_at_the_first_frame_without_a_value(tmp_path: Path, capsys: Any) -> None:
    plate = sequence(tmp_path, "plate", flicker(), skip=(1006,))
    reference = sequence(tmp_path, "ref", {f: 0.0 for f in FRAMES})
    nk = tmp_path / "out.nk"
    args = ["match", plate, reference, "--frames", "1001-1012", "--strict", "--nk", str(nk)]
    code, out, err = run_main(args, capsys)
    assert code == 2
    assert err.count("\n") == 1
    assert "frame 1006" in err
    assert "--strict" in err
    assert not nk.exists()


def test_the_nk_renders_the_measured_stops_at_every_frame(tmp_path: Path, capsys: Any) -> None:
    """Evaluated by the stand-in from the written file: the Grade's multiply
    at each frame is 2 ** (the frame's measured stops)."""
    exposure = flicker(5)
    plate = sequence(tmp_path, "plate", exposure, skip=(1008,))
    reference = sequence(tmp_path, "ref", {f: 0.0 for f in FRAMES})
    nk = tmp_path / "shot.nk"
    args = ["match", plate, reference, "--frames", "1001-1012", "--nk", str(nk), "--json"]
    code, out, err = run_main(args, capsys)
    assert code == 1  # frame 1008 has no value
    assert "no key at 1008" in err
    measured = {f: r["stops"] for f, r in rows(out).items() if r["stops"] is not None}
    text = nk.read_text()
    assert "x1008" not in text
    rendered = render_script(text, [("plate_match", "multiply")], measured)
    for frame, stops in measured.items():
        values = rendered[("plate_match", "multiply")][frame]
        assert values[:3] == pytest.approx([2.0**stops] * 3, rel=1e-9)
        assert values[3] == 1.0


def test_snap_keys_the_snapped_value_and_keeps_the_measured_beside_it(
    tmp_path: Path, capsys: Any
) -> None:
    exposure = flicker(6)
    plate = sequence(tmp_path, "plate", exposure)
    reference = sequence(tmp_path, "ref", {f: 0.0 for f in FRAMES})
    nk = tmp_path / "snapped.nk"
    args = ["match", plate, reference, "--snap", "1/3", "--nk", str(nk), "--json"]
    code, out, err = run_main(args, capsys)
    assert code == 0, err
    found = rows(out)
    rendered = render_script(nk.read_text(), [("plate_match", "nks_stops")], FRAMES)
    for frame, row in found.items():
        assert row["stops"] == pytest.approx(-exposure[frame], abs=0.005)
        assert row["snapped"] * 3 == pytest.approx(round(row["stops"] * 3))
        assert rendered[("plate_match", "nks_stops")][frame] == pytest.approx([row["snapped"]])


def test_chunks_concatenated_are_one_run_byte_for_byte(tmp_path: Path) -> None:
    """A farm job array: each task a range, its --jsonl output appended in
    frame order, gives what one run on one machine gives (any --jobs)."""
    plate = sequence(tmp_path, "plate", flicker(7), skip=(1005,))
    reference = sequence(tmp_path, "ref", {f: 0.1 for f in FRAMES})
    whole = cli("match", plate, reference, "--frames", "1001-1012", "--jsonl", "--jobs", "2")
    parts = [
        cli("match", plate, reference, "--frames", chunk, "--jsonl", "--jobs", "1")
        for chunk in ("1001-1004", "1005-1009", "1010-1012")
    ]
    assert whole.stdout.count(b"\n") == 12
    assert b"".join(p.stdout for p in parts) == whole.stdout


def test_jobs_do_not_change_the_result(tmp_path: Path) -> None:
    plate = sequence(tmp_path, "plate", flicker(8))
    outputs = [
        cli("match", plate, "--smooth", "3", "--csv", "--jobs", jobs).stdout for jobs in "12"
    ]
    assert outputs[0] == outputs[1]
    assert outputs[0].splitlines()[0] == b"frame,stops,spread,pixels,step,against,error"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{plate}", "--to-frame", "1001", "{ref}"], "against itself"),
        (["{plate}", "--smooth", "4"], "--smooth 4: a window of 4 frames: give an odd number"),
        (["{plate}", "--to-frame", "1001", "--smooth", "3"], "give one"),
        (["{plate}"], "needs a REFERENCE"),
        (["{one}", "{ref}"], "is one file and the reference a sequence"),
        (["{one}", "{one}", "--frames", "1-3"], "for frame sequences"),
        (["{one}", "{one}", "--nk", "x.nk"], "--nk is for a shot"),
        (["{plate}", "{ref}", "--frames", "1001-abc"], "'1001-abc' is not a frame range"),
        (["{plate}", "--to-frame", "999"], "the reference frame 999"),
        (["{tmp}/a.%04d.####.exr", "{ref}"], "2 frame numbers"),
        (["{tmp}/none.####.exr", "{ref}"], "no frames of"),
        (["{plate}", "{ref}", "--colorspace", "NoSuchSpace"], "NoSuchSpace"),
    ],
)
def test_bad_input_is_one_line(tmp_path: Path, capsys: Any, args: List[str], message: str) -> None:
    plate = sequence(tmp_path, "plate", {1001: 0.0, 1002: 0.0})
    reference = sequence(tmp_path, "ref", {1001: 0.0, 1002: 0.0})
    one = str(tmp_path / "ref.1001.exr")
    given = [a.format(plate=plate, ref=reference, one=one, tmp=tmp_path) for a in args]
    code, out, err = run_main(["match", *given], capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert message in err


def children(pid: int) -> int:
    """How many processes ``pid`` has started (Linux's /proc)."""
    count = 0
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        count += entry.name.isdigit() and fields[1] == str(pid)
    return count


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers in /proc")
def test_ctrl_c_stops_cleanly_and_prints_what_was_measured(tmp_path: Path) -> None:
    """Ctrl-C once the workers run (3,000 frames: tens of seconds of work),
    not after a guessed delay."""
    write_exr(tmp_path / "plate.0001.exr", scene(height=300, width=500))
    for frame in range(2, 3001):  # the same file under every frame's name
        os.link(tmp_path / "plate.0001.exr", tmp_path / f"plate.{frame:04d}.exr")
    process = subprocess.Popen(
        [sys.executable, "-m", "nuke_plugin", "match", str(tmp_path / "plate.####.exr"),
         "--to-frame", "1", "--jsonl", "--jobs", "2", "--nk", str(tmp_path / "out.nk")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while children(process.pid) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    done = [json.loads(line)["frame"] for line in out.splitlines()]
    assert done == list(range(1, len(done) + 1))
    assert 0 < len(done) < 3000
    assert f"stopped (Ctrl-C) after {len(done)} of 3000 frame(s); nothing written" in err
    assert not (tmp_path / "out.nk").exists()


def test_smooth_starts_a_new_chain_where_no_frame_before_can_be_compared(
    tmp_path: Path, capsys: Any
) -> None:
    """Frames 1007 on are another size (a re-rendered plate): they are
    never compared with the frames before, and each part is deflickered
    on its own; a missing frame is stepped over (compared across)."""
    exposure = flicker(9)
    base = scene()
    for frame, stops in exposure.items():
        image = base if frame < 1007 else base[:40]
        if frame != 1003:
            write_exr(tmp_path / f"plate.{frame:04d}.exr", image * 2.0**stops)
    plate = str(tmp_path / "plate.####.exr")
    code, out, err = run_main(["match", plate, "--smooth", "3", "--frames", "1001-1012"], capsys)
    assert code == 1  # 1003 is missing
    lines = {line.split()[0]: line for line in out.splitlines() if line[:4].isdigit()}
    assert "starts a chain" in lines["1007"]
    assert "starts a chain" not in lines["1004"]  # compared with 1002, across the gap
    code, out, err = run_main(
        ["match", plate, "--smooth", "3", "--frames", "1001-1012", "--json"], capsys
    )
    found = rows(out)
    assert found[1004]["against"] == 1002
    assert found[1007]["against"] is None
    assert found[1008]["against"] == 1007
    for first, last in ((1001, 1006), (1007, 1012)):
        frames = [f for f in range(first, last + 1) if f != 1003]
        corrected = [exposure[f] + found[f]["stops"] for f in frames]
        assert max(corrected) - min(corrected) < max(exposure[f] for f in frames) - min(
            exposure[f] for f in frames
        )
