"""nuke-stops scan and convert on files: outputs, atomic writes, nothing half-done."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path
from typing import List, Tuple

import pytest
from conftest import CORPUS, EXAMPLES, needs_corpus

from nuke_plugin.cli import main
from nuke_plugin.offline import read_script, scan_script

LEGACY = EXAMPLES / "legacy_comp.nk"


def run(args: List[str], capsys: pytest.CaptureFixture[str]) -> Tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def comp(tmp_path: Path) -> Path:
    target = tmp_path / "comp.nk"
    shutil.copyfile(LEGACY, target)
    return target


def test_scan_table_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["scan", str(LEGACY)], capsys)
    assert status == 0
    assert f"== {LEGACY}" in out
    row = next(line for line in out.splitlines() if line.startswith("Grade_warm"))
    assert row.split()[:7] == ["Grade_warm", "multiply", "1.5", "1.2", "1", "1", "+0.58"]
    assert out.splitlines()[-1] == (
        "1 file(s) scanned, 7 exposure knob(s): 1 animated, 4 constant, 1 expression, 1 nonpositive"
    )


def test_scan_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, err = run(["scan", str(LEGACY), "--json"], capsys)
    rows = json.loads(out)
    flicker = next(r for r in rows if r["node"] == "Grade_flicker_fix")
    assert flicker["channels"][0]["keys"][1] == {"frame": 1025.0, "value": 2.0}
    assert "7 exposure knob(s)" in err  # the summary stays off the data stream
    _, out, _ = run(["scan", str(LEGACY), "--csv"], capsys)
    table = list(csv.DictReader(io.StringIO(out)))
    assert len(table) == 7 and table[0]["file"] == str(LEGACY)
    assert {r["status"] for r in table} == {"constant", "animated", "expression", "nonpositive"}


def test_scan_folders_recursively_and_reports_unreadable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "shots" / "a").mkdir(parents=True)
    shutil.copyfile(LEGACY, tmp_path / "shots" / "a" / "one.nk")
    (tmp_path / "shots" / "broken.gizmo").write_text("Gizmo {\n name X\n")
    (tmp_path / "shots" / "notes.txt").write_text("not a script")
    status, out, err = run(["scan", str(tmp_path / "shots")], capsys)
    assert status == 1
    assert "one.nk" in out and "notes.txt" not in out + err
    assert "broken.gizmo:1:7: unclosed '{'" in err
    assert "1 file(s) could not be read" in out


@needs_corpus
def test_scan_of_the_corpus_finds_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["scan", str(CORPUS), "--json"], capsys)
    assert status == 0
    statuses = {row["status"] for row in json.loads(out)}
    assert {"constant", "expression", "nonpositive"} <= statuses


def test_convert_to_an_output_file(
    comp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "converted.nk"
    target.parent.mkdir()
    status, out, _ = run(["convert", str(comp), "-o", str(target)], capsys)
    assert status == 0
    assert "converted  Grade_warm.multiply: stops 0, per channel +0.58 +0.26 0 0" in out
    assert "left alone Multiply_black.value: nonpositive" in out
    assert f"4 node(s) converted; written to {target}" in out
    assert comp.read_bytes() == LEGACY.read_bytes()  # the input is untouched
    statuses = {f.path: f.status for f in scan_script(read_script(target)) if f.knob != "white"}
    assert statuses["Grade_warm"] == "driven" and statuses["Multiply_black"] == "nonpositive"


def test_convert_in_place_keeps_a_backup(comp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mode = 0o640
    os.chmod(comp, mode)
    status, out, _ = run(["convert", "--in-place", str(comp)], capsys)
    assert status == 0
    assert Path(str(comp) + ".bak").read_bytes() == LEGACY.read_bytes()
    assert "nks_channel_stops" in comp.read_text()
    assert os.stat(comp).st_mode & 0o777 == mode
    assert f"written to {comp}, original kept as comp.nk.bak" in out


def test_dry_run_prints_the_diff_and_writes_nothing(
    comp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(["convert", "--dry-run", str(comp)], capsys)
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
    status, _, err = run(["convert", "--in-place", str(comp), str(broken)], capsys)
    assert status == 2
    assert f"{broken}:2:8: unclosed" in err and "nothing was written" in err
    assert comp.read_bytes() == LEGACY.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.nk", "comp.nk"]


def test_a_failed_write_leaves_the_target_as_it_was(
    comp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    status, out, err = run(["convert", "--in-place", str(comp)], capsys)
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
        (["convert", "missing.nk", "--dry-run"], "missing.nk: cannot read"),
        (["scan", "nowhere"], "nowhere: cannot read"),
    ],
)
def test_usage_errors(
    args: List[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    status, _, err = run(args, capsys)
    assert status in (1, 2)
    assert message in err


def test_output_same_as_input_is_refused(comp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["convert", str(comp), "-o", str(comp)], capsys)
    assert status == 2 and "use --in-place" in err
    assert comp.read_bytes() == LEGACY.read_bytes()


def test_convert_json_report(
    comp: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(["convert", str(comp), "-o", str(tmp_path / "o.nk"), "--json"], capsys)
    assert status == 0
    [report] = json.loads(out)
    by_node = {o["node"]: o for o in report["outcomes"]}
    assert by_node["Multiply_plus1"]["status"] == "converted"
    assert by_node["Multiply_plus1"]["stops"] == 1.0
    assert by_node["Multiply_linked"]["status"] == "expression"


def test_progress_bar_is_drawn_only_on_a_terminal() -> None:
    from nuke_plugin.cli_scripts import _Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    bar = _Progress(3, "scanning", terminal)
    bar.step(1)
    bar.step(3)
    bar.close()
    assert "\rscanning [##########--------------------] 1/3" in terminal.getvalue()
    assert "[##############################] 3/3" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r")
    piped = io.StringIO()
    quiet = _Progress(3, "scanning", piped)
    quiet.step(1)
    quiet.close()
    assert piped.getvalue() == ""
