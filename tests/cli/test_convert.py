"""`nuke-stops convert` on scripts: outputs, diffs, reports, and nothing half-done.

Most run the real command in a separate process (``python -m nuke_plugin``),
the way artists and farms run it."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from nuke_plugin.adapters.script_file import read_script
from nuke_plugin.adapters.script_ops import scan_script
from nuke_plugin.nkfile.parser import parse

from support import portable
from support.commandline import cli, converted_text, run_main
from support.paths import LEGACY, ROOT


def test_convert_to_an_output_file(
    comp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "converted.nk"
    target.parent.mkdir()
    status, out, _ = run_main(["convert", str(comp), "-o", str(target)], capsys)
    assert status == 0
    assert "converted  Grade_warm.multiply: stops 0, per channel +0.58 +0.26 0 0" in out
    assert "left alone Multiply_black.value: nonpositive" in out
    assert f"4 node(s) converted; written to {target}" in out
    assert comp.read_bytes() == LEGACY.read_bytes()  # the input is untouched
    statuses = {f.path: f.state for f in scan_script(read_script(target)) if f.knob != "white"}
    assert statuses["Grade_warm"] == "driven"
    assert statuses["Multiply_black"] == "nonpositive"


def test_convert_in_place_keeps_a_backup(comp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mode = 0o640
    os.chmod(comp, mode)
    status, out, _ = run_main(["convert", "--in-place", str(comp)], capsys)
    assert status == 0
    assert Path(str(comp) + ".bak").read_bytes() == LEGACY.read_bytes()
    assert "nks_channel_stops" in comp.read_text()
    assert os.stat(comp).st_mode & 0o777 == mode
    assert f"written to {comp}, original kept as comp.nk.bak" in out


def test_dry_run_prints_the_diff_and_writes_nothing(
    comp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run_main(["convert", "--dry-run", str(comp)], capsys)
    assert status == 0
    assert out.startswith(f"--- {comp}\n+++ {comp} (converted)\n")
    assert "- multiply {1.5 1.2 1 1}\n" in out
    assert "+ nks_channel_stops {0.5849625007211562 0.2630344058337938 0 0}\n" in out
    assert "converted  Grade_warm.multiply" in err
    assert comp.read_bytes() == LEGACY.read_bytes()
    assert sorted(p.name for p in comp.parent.iterdir()) == ["comp.nk"]


def test_nothing_is_written_when_any_input_fails_to_parse(
    comp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.nk"
    broken.write_text('Grade {\n label "unterminated\n}\n')
    status, _, err = run_main(["convert", "--in-place", str(comp), str(broken)], capsys)
    assert status == 2
    assert f"{broken}:2:8: unclosed" in err
    assert "nothing was written" in err
    assert comp.read_bytes() == LEGACY.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.nk", "comp.nk"]


def test_a_failed_write_leaves_the_target_as_it_was(
    comp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    status, out, err = run_main(["convert", "--in-place", str(comp)], capsys)
    assert status == 1
    assert f"not converted: {comp}.bak: cannot write: no space left on device" in out
    assert "Traceback" not in out + err
    assert comp.read_bytes() == LEGACY.read_bytes()
    assert sorted(p.name for p in comp.parent.iterdir()) == ["comp.nk"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["convert", "a.nk"], "exactly one of -o OUT.nk (or -o - for standard output)"),
        (["convert", "a.nk", "b.nk", "-o", "c.nk"], "-o takes one input"),
        (["convert", "1", "--from", "stops"], "both --from and --to"),
        (["convert", "1", "--from", "stops", "--to", "linear", "--in-place"], "for scripts"),
        (["convert", "missing.nk", "--dry-run"], "missing.nk: no such file"),
        (["scan", "nowhere"], "nowhere: no such file"),
    ],
)
def test_usage_errors(
    args: List[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    status, _, err = run_main(args, capsys)
    assert status in (1, 2)
    assert message in err


def test_output_same_as_input_is_refused(comp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_main(["convert", str(comp), "-o", str(comp)], capsys)
    assert status == 2
    assert "use --in-place" in err
    assert comp.read_bytes() == LEGACY.read_bytes()


def test_convert_json_report(
    comp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run_main(
        ["convert", str(comp), "-o", str(tmp_path / "o.nk"), "--json"], capsys
    )
    assert status == 0
    [report] = json.loads(out)
    by_node = {o["node"]: o for o in report["outcomes"]}
    assert by_node["Multiply_plus1"]["status"] == "converted"
    assert by_node["Multiply_plus1"]["stops"] == 1.0
    assert by_node["Multiply_linked"]["status"] == "expression"


@pytest.mark.slow
def test_the_same_file_named_twice_is_converted_once(comp: Path) -> None:
    result = cli("convert", "--in-place", "comp.nk", "./comp.nk", str(comp), cwd=comp.parent)
    assert result.returncode == 0, result.stderr
    assert (comp.parent / "comp.nk.bak").read_bytes() == LEGACY.read_bytes()
    assert b"named 3 times: converted once" in result.stdout
    assert result.stdout.count(b"== ") == 1


@pytest.mark.slow
def test_dash_writes_the_script_to_standard_output(comp: Path) -> None:
    result = cli("convert", str(comp), "-o", "-")
    assert result.returncode == 0
    assert result.stdout == converted_text(comp)
    assert b"written to standard output" in result.stderr


@pytest.mark.slow
def test_in_a_batch_a_failing_file_is_reported_and_the_others_are_written(tmp_path: Path) -> None:
    small = tmp_path / "small.nk"
    small.write_text("Multiply {\n value 2\n name M\n}\n")
    shutil.copyfile(LEGACY, tmp_path / "comp.nk")
    result = cli("convert", "--in-place", "small.nk", "comp.nk", cwd=tmp_path, limit=1000)
    assert result.returncode == 1
    assert b"nks_stops" in small.read_bytes()
    assert (tmp_path / "comp.nk").read_bytes() == LEGACY.read_bytes()
    assert b"not converted: " in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("command", [["scan"], ["scan", "--csv"], ["convert", "--dry-run"]])
def test_names_with_any_byte_print_as_they_are(tmp_path: Path, command: List[str]) -> None:
    script = tmp_path / "latin.nk"
    script.write_bytes(b"Grade {\n multiply 2\n name Gr\xe9de\n}\n")
    result = cli(*command, str(script), env={"PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0, result.stderr
    assert b"Gr\xe9de" in result.stdout + result.stderr
    assert b"Traceback" not in result.stderr


@pytest.mark.slow
def test_json_keeps_any_byte_recoverable(tmp_path: Path) -> None:
    script = tmp_path / "latin.nk"
    script.write_bytes(b"Grade {\n multiply 2\n name Gr\xe9de\n}\n")
    result = cli("scan", str(script), "--json")
    [row] = json.loads(result.stdout)
    assert row["node"].encode("utf-8", "surrogateescape") == b"Gr\xe9de"


@pytest.mark.slow
def test_a_multiplier_whose_stops_overflow_is_left_alone(tmp_path: Path) -> None:
    script = tmp_path / "huge.nk"
    script.write_text("Grade {\n multiply 1.797e308\n name Huge\n}\n")
    result = cli("convert", "--in-place", str(script))
    assert result.returncode == 0
    assert b"left alone Huge.multiply: unsupported (channel r is 1.797e+308" in result.stdout
    assert b"nks_stops" not in script.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"Grade {\n multiply 2 }\n name G\n xpos 1\n}\n",
            b"bad.nk:3:2: unexpected 'name G' outside",
        ),
        (b"\x00" * 300_000, b"bad.nk:1:1: a NUL byte: this is not a Nuke script"),
    ],
)
def test_malformed_scripts_are_refused_with_line_and_column(
    tmp_path: Path, content: bytes, message: bytes
) -> None:
    (tmp_path / "bad.nk").write_bytes(content)
    result = cli("convert", "--in-place", "bad.nk", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert (tmp_path / "bad.nk").read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nk"]


@pytest.mark.slow
def test_a_last_group_without_end_group_is_converted_with_a_warning(tmp_path: Path) -> None:
    text = "Group {\n name G\n}\n Multiply {\n  value 2\n  name M\n }\n"
    (tmp_path / "open.nk").write_text(text)
    result = cli("convert", "--in-place", "open.nk", cwd=tmp_path)
    assert result.returncode == 0
    assert b"nuke-stops: warning: open.nk:8:1: group 'G' is never closed" in result.stderr
    converted = (tmp_path / "open.nk").read_text()
    assert converted.startswith(text[: text.index("  value")])
    assert "nks_stops 1" in converted
    assert converted.endswith("  nks_drives value\n }\n")
    assert "end_group" not in converted
    assert parse(converted).find("G.M") is not None


@pytest.mark.slow
def test_a_file_with_nothing_to_convert_is_not_rewritten_and_gets_no_backup(tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.nk"
    quiet.write_text("Blur {\n size 3\n name B\n}\n")
    before = os.stat(quiet)
    result = cli("convert", "--in-place", "quiet.nk", cwd=tmp_path)
    assert result.returncode == 0
    assert b"0 node(s) converted; unchanged: not rewritten" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quiet.nk"]
    assert os.stat(quiet).st_mtime_ns == before.st_mtime_ns


@pytest.mark.slow
@portable.posix_only("holds the folder's flock (test_portable.py holds a lock file)")
def test_a_run_that_waits_for_another_says_so_in_one_line(comp: Path) -> None:
    """The lock's warning is logged by the package and shown by the CLI."""
    import fcntl

    held = os.open(comp.parent, os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)  # another run is converting in this folder
    command = [sys.executable, "-m", "nuke_plugin", "convert", "--in-place", str(comp)]
    run = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert run.stderr is not None
        ready, _, _ = select.select([run.stderr], [], [], 60)
        line = run.stderr.readline().decode() if ready else "(nothing in 60 s)"
    finally:
        os.close(held)  # the other run ends: this one goes on
    run.communicate(timeout=120)
    folder = os.path.realpath(comp.parent)
    assert line == f"nuke-stops: warning: waiting for another run in {folder}\n"
    assert run.returncode == 0
    assert (comp.parent / "comp.nk.bak").exists()


def test_the_report_names_grades_whose_multiply_another_knob_choice_leaves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "g.nk"
    script.write_text("Grade {\n multiply 2\n name Warm\n}\nGrade {\n name Plain\n}\n")
    args = ["convert", str(script), "--grade-knob", "white", "--dry-run"]
    code, out, err = run_main(args, capsys)
    assert code == 0
    assert (
        "left alone Warm.white: default (white is at its default (1); multiply holds a value "
        "and is left as it is)" in err
    )
    assert "Plain" not in err  # at its default, and nothing else to say


def test_dry_run_json_is_all_on_stdout_with_the_diff_inside(
    comp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main(["convert", str(comp), "--dry-run", "--json"], capsys)
    assert code == 0
    assert err == ""
    [found] = json.loads(out)
    assert found["diff"].startswith(f"--- {comp}\n")
    assert "+ nks_drives multiply" in found["diff"]
    assert found["result"] == "not written (--dry-run)"


def test_converting_again_says_it_has_stop_knobs_once(
    comp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    once = tmp_path / "once.nk"
    assert run_main(["convert", str(comp), "-o", str(once)], capsys)[0] == 0
    code, out, err = run_main(["convert", str(once), "--dry-run"], capsys)
    assert "already (it has stop knobs)" in err
    assert "already (has stop knobs already)" not in err
