"""`nuke-stops scan`: tables, JSON, CSV and JSON Lines, folders, parallel reads."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path
from typing import List, Sequence

import pytest

from support.commandline import cli, needs_permissions, run_main
from support.paths import CORPUS, DATA, LEGACY, needs_corpus


def test_scan_table_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(["scan", str(LEGACY)], capsys)
    assert status == 0
    assert f"== {LEGACY}" in out
    row = next(line for line in out.splitlines() if line.startswith("Grade_warm"))
    assert row.split()[:7] == ["Grade_warm", "multiply", "1.5", "1.2", "1", "1", "+0.58"]
    assert out.splitlines()[-1] == (
        "1 file(s) scanned, 7 exposure knob(s): 1 animated, 4 constant, 1 expression, 1 nonpositive"
    )


def test_scan_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, err = run_main(["scan", str(LEGACY), "--json"], capsys)
    rows = json.loads(out)
    flicker = next(r for r in rows if r["node"] == "Grade_flicker_fix")
    assert flicker["channels"][0]["keys"][1] == {"frame": 1025.0, "value": 2.0}
    assert "7 exposure knob(s)" in err  # the summary stays off the data stream
    _, out, _ = run_main(["scan", str(LEGACY), "--csv"], capsys)
    table = list(csv.DictReader(io.StringIO(out)))
    assert len(table) == 7
    assert table[0]["file"] == str(LEGACY)
    assert {r["status"] for r in table} == {"constant", "animated", "expression", "nonpositive"}


def test_scan_folders_recursively_and_reports_unreadable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "shots" / "a").mkdir(parents=True)
    shutil.copyfile(LEGACY, tmp_path / "shots" / "a" / "one.nk")
    (tmp_path / "shots" / "broken.gizmo").write_text("Gizmo {\n name X\n")
    (tmp_path / "shots" / "notes.txt").write_text("not a script")
    status, out, err = run_main(["scan", str(tmp_path / "shots")], capsys)
    assert status == 1
    assert "one.nk" in out
    assert "notes.txt" not in out + err
    assert "broken.gizmo:1:7: unclosed '{'" in err
    assert "1 file(s) could not be read" in out


@needs_corpus
def test_scan_of_the_corpus_finds_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(["scan", str(CORPUS), "--json"], capsys)
    assert status == 0
    statuses = {row["status"] for row in json.loads(out)}
    assert {"constant", "expression", "nonpositive"} <= statuses


@pytest.mark.slow
def test_a_deeply_nested_file_is_scanned_with_the_others(tmp_path: Path) -> None:
    depth = 1000
    deep = "".join(f"Group {{\n name G{i}\n}}\n" for i in range(depth))
    (tmp_path / "deep.nk").write_text(deep + "Grade {\n multiply 2\n}\n" + "end_group\n" * depth)
    shutil.copyfile(LEGACY, tmp_path / "legacy.nk")
    result = cli("scan", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {Path(r["file"]).name for r in rows} == {"deep.nk", "legacy.nk"}
    assert any(r["node"].endswith("G999.Grade") for r in rows)


@pytest.mark.slow
def test_scan_counts_a_file_once_however_it_is_named(tmp_path: Path) -> None:
    shutil.copyfile(LEGACY, tmp_path / "comp.nk")
    (tmp_path / "link.nk").symlink_to("comp.nk")
    result = cli("scan", "comp.nk", "./comp.nk", "link.nk", str(tmp_path), cwd=tmp_path)
    assert result.stdout.count(b"== ") == 1
    assert b"1 file(s) scanned, 7 exposure knob(s)" in result.stdout


@pytest.mark.slow
@needs_permissions
def test_an_unreadable_folder_is_reported_and_fails_the_scan(tmp_path: Path) -> None:
    shutil.copyfile(LEGACY, tmp_path / "comp.nk")
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    shutil.copyfile(LEGACY, hidden / "other.nk")
    os.chmod(hidden, 0o000)
    os.chmod(tmp_path, 0o777)
    try:
        result = cli("scan", str(tmp_path), unprivileged=True)
    finally:
        os.chmod(hidden, 0o755)
    assert result.returncode == 1
    assert f"nuke-stops: error: {hidden}: cannot read the folder: Permission denied".encode() in (
        result.stderr
    )
    assert b"1 file(s) scanned" in result.stdout
    assert b"1 folder(s) could not be read" in result.stdout


def _scripts(tmp_path: Path, count: int) -> Sequence[Path]:
    folder = tmp_path / "show"
    folder.mkdir()
    sources = [
        LEGACY,
        DATA / "golden" / "comp.nk",
        DATA / "golden" / "crlf.nk",
        DATA / "statements.nk",
    ]
    paths = []
    for i in range(count):
        path = folder / f"shot{i:02d}.nk"
        shutil.copyfile(sources[i % len(sources)], path)
        paths.append(path)
    (folder / "broken.nk").write_text("Grade {\n")
    return paths


@pytest.mark.slow
@pytest.mark.parametrize("form", [[], ["--json"], ["--csv"], ["--jsonl"]])
def test_scan_in_parallel_gives_the_same_output_in_the_same_order(
    tmp_path: Path, form: List[str]
) -> None:
    _scripts(tmp_path, 9)
    serial = cli("scan", str(tmp_path / "show"), "--jobs", "1", *form)
    parallel = cli("scan", str(tmp_path / "show"), "--jobs", "3", *form)
    assert serial.returncode == parallel.returncode == 1  # broken.nk
    assert serial.stdout == parallel.stdout
    assert serial.stderr == parallel.stderr


@pytest.mark.slow
def test_json_lines_are_one_finding_a_line_and_errors_are_records(tmp_path: Path) -> None:
    _scripts(tmp_path, 3)
    result = cli("scan", str(tmp_path / "show"), "--jsonl")
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    errors = [r for r in records if "error" in r]
    assert [Path(r["file"]).name for r in errors] == ["broken.nk"]
    findings = [r for r in records if "error" not in r]
    assert {Path(r["file"]).name for r in findings} == {"shot00.nk", "shot01.nk", "shot02.nk"}
    assert all({"node", "knob", "stops", "status"} <= set(r) for r in findings)


def test_control_characters_in_names_are_escaped_in_the_table_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hostile script's node name cannot send ESC sequences to the
    terminal; JSON keeps the name exactly."""

    script = tmp_path / "evil.nk"
    script.write_text("Grade {\n multiply 2\n name Evil\x1b]0;pwned\x07\n}\n")
    status, out, _ = run_main(["scan", str(script)], capsys)
    assert status == 0
    assert "\x1b" not in out
    assert "Evil\\x1b]0;pwned\\x07" in out
    status, out, _ = run_main(["scan", str(script), "--json"], capsys)
    assert json.loads(out)[0]["node"] == "Evil\x1b]0;pwned\x07"
