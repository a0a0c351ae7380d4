"""The nuke-stops command line, run as a real process and in-process."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from nuke_plugin.cli.main import main

from support.commandline import cli, run_main
from support.paths import ROOT


def test_stops_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(["stops", "2", "0.5", "2.83"], capsys)
    assert status == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["multiply", "stops", "text"]
    assert lines[1].split() == ["2", "1", "+1"]
    assert lines[2].split() == ["0.5", "-1", "-1"]
    assert lines[3].split() == ["2.83", "1.5008", "+1", "2/3"]  # the nearest 1/3 step


def test_the_grid_is_the_nearest_step_beside_the_exact_stops(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run_main(["stops", "2.83", "3", "--grid", "1/2", "--json"], capsys)
    rows = json.loads(out)
    assert [r["text"] for r in rows] == ["+1 1/2", "+1 1/2"]
    assert rows[0]["stops"] == pytest.approx(1.50081, abs=1e-5)  # exact, beside it
    assert rows[1]["stops"] == pytest.approx(1.58496, abs=1e-5)


def test_linear_accepts_negative_and_fractional_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(["linear", "+1 1/3", "-2", "-2/3", "-½", "--json"], capsys)
    assert status == 0
    rows = json.loads(out)
    assert [r["text"] for r in rows] == ["+1 1/3", "-2", "-2/3", "-0.50"]
    assert rows[1]["multiply"] == 0.25
    assert rows[0]["multiply"] == pytest.approx(2 ** (4 / 3))


@pytest.mark.parametrize("option", ["--grid", "--step"])  # --step: its 0.1 name
def test_the_grid_changes_the_artist_text(option: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_main(["linear", option, "1/2", "-1.5", "--json"], capsys)
    assert json.loads(out)[0]["text"] == "-1 1/2"


def test_units(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(["units", "1", "--from", "stops", "--to", "cineon", "--json"], capsys)
    assert status == 0
    assert json.loads(out) == [{"stops": 1.0, "cineon": pytest.approx(90.309, abs=1e-3)}]
    _, out, _ = run_main(["units", "-2", "0", "--from", "stops", "--to", "linear"], capsys)
    assert out.split() == ["stops", "linear", "-2", "0.25", "0", "1"]


def test_convert_with_units_is_the_older_spelling_of_units(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, old, _ = run_main(["convert", "-2", "0", "--from", "stops", "--to", "linear"], capsys)
    _, new, _ = run_main(["units", "-2", "0", "--from", "stops", "--to", "linear"], capsys)
    assert old == new
    status, _, err = run_main(["convert", "1", "--from", "stops"], capsys)
    assert status == 2
    assert err == "nuke-stops: error: converting numbers needs both --from and --to\n"


def test_units_needs_both_units(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["units", "1", "--from", "stops"])
    assert exit_.value.code == 2
    assert "--to" in capsys.readouterr().err


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    import nuke_plugin

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"nuke-stops {nuke_plugin.__version__}\n"
    assert version("nuke-stops") == nuke_plugin.__version__  # pyproject reads it from there
    changelog = (ROOT / "CHANGELOG.md").read_text()
    newest = re.search(r"^## (\S+) \(", changelog, re.MULTILINE)
    assert newest is not None
    assert newest.group(1) == nuke_plugin.__version__  # the CHANGELOG's newest entry


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["stops", "2", "0", "4"], "'0'"),
        (["stops", "2", "-1"], "'-1'"),
        (["stops", "nan"], "'nan'"),
        (["stops", "two"], "'two'"),
        (["linear", "1", "abc"], "'abc'"),
        (["linear", "--step", "0", "1"], "'0'"),
        (["linear", "--step", "third", "1"], "'third'"),
        (["linear", "--grid", "-1/3", "1"], "'-1/3'"),
        (["units", "-1", "--from", "linear", "--to", "stops"], "'-1'"),
        (["convert", "-1", "--from", "linear", "--to", "stops"], "'-1'"),
    ],
)
def test_bad_input_is_one_line_naming_the_value(
    args: List[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run_main(args, capsys)
    assert status == 2
    assert out == ""  # nothing half-printed
    assert err.count("\n") == 1
    assert named in err
    assert err.startswith("nuke-stops: error:")


def test_unknown_unit_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["units", "1", "--from", "stops", "--to", "lux"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "lux" in err


HUGE = "9" * 400  # a value pasted wrong: 400 digits


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["match", "a.exr", "b.exr", "--snap", "1e400"], "--snap '1e400'"),
        (["match", "a.exr", "b.exr", "--snap", "1e-400"], "--snap '1e-400'"),
        (["match", "a.exr", "b.exr", "--snap", ""], "--snap ''"),
        (["linear", "1", "--grid", "1e400"], "--grid '1e400'"),
        (["linear", "1", "--grid", "1e-400"], "--grid '1e-400'"),
        (["linear", HUGE], "as stops: too large"),
        (["cdl", "--stops", HUGE, "-o", "x.cc"], "as stops: too large"),
        (["match", "a.exr", "b.exr", "--region", "0.5", "0", "4", "4"], "--region '0.5 0 4 4'"),
        (["match", "a.exr", "b.exr", "--region", "a", "b", "c", "d"], "--region 'a b c d'"),
        (["match", "a.exr", "b.exr", "--region", "1", "2", "3"], "give four whole numbers"),
        (["match", "a.exr", "b.exr", "--region", "0", "0", "0", "4"], "must be positive"),
        (["camera", "f/2.8", "f/2.8 ND" + "1" + "0" * 300], "ND density 1e+300"),
        (["scan", "--jobs", "lots", "a.nk"], "--jobs 'lots' is not a whole number"),
        (["nosuchcommand"], "invalid choice: 'nosuchcommand'"),
    ],
)
def test_numbers_and_options_out_of_any_range_are_one_line(
    args: List[str],
    named: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each is one line naming the value and exit status 2: no traceback, no
    usage block, nothing silently ignored, no 300-digit number."""
    monkeypatch.chdir(tmp_path)
    try:
        status, out, err = run_main(args, capsys)
    except SystemExit as exit_:  # argparse's own refusals
        status, (out, err) = int(exit_.code or 0), capsys.readouterr()
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("nuke-stops: error:")
    assert named in err
    assert len(err) < 300
    assert not (tmp_path / "x.cc").exists()


@pytest.mark.slow
def test_python_dash_m_and_console_script_run() -> None:
    module = subprocess.run(
        [sys.executable, "-m", "nuke_plugin", "linear", "-1"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert module.stdout.split()[-3:] == ["-1", "-1", "0.5"]
    script = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from nuke_plugin.cli.main import main; sys.exit(main())",
            "stops",
            "0",
        ],
        capture_output=True,
        text=True,
    )
    assert script.returncode == 2
    assert "zero" in script.stderr
    assert script.stdout == ""


@pytest.mark.slow
def test_numbers_beyond_a_double_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    result = cli("units", "--from", "stops", "--to", "cineon", "1e308", "--json")
    assert result.returncode == 2
    assert result.stdout == b""
    assert b"Infinity" not in result.stderr
    assert b"stops value '1e308' is beyond any cineon value (overflow)" in result.stderr


def test_a_run_leaves_the_package_logging_as_it_was(capsys: pytest.CaptureFixture[str]) -> None:
    """A pipeline that calls main() keeps its own logging set-up."""
    import logging

    package = logging.getLogger("nuke_plugin")
    before = list(package.handlers), package.level
    run_main(["stops", "2"], capsys)
    assert (list(package.handlers), package.level) == before


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("match", "usage: nuke-stops match [options] PLATE REFERENCE\n"),
        ("camera", "usage: nuke-stops camera [--exr] [--json] A B\n"),
        ("panel", "usage: nuke-stops panel [--screenshot PNG] [--force] FILE\n"),
        ("cdl", "usage: nuke-stops cdl --stops (S | R G B) -o FILE [options]\n"),
    ],
)
def test_usage_lines_name_and_count_the_arguments(command: str, usage: str) -> None:
    import argparse

    from nuke_plugin.cli.main import _parser

    parser = _parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert commands.choices[command].format_usage().startswith(usage)
    assert "[EXR ...]" not in commands.choices[command].format_help()


def test_a_bare_nuke_stops_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out = capsys.readouterr().out
    for command in ("stops", "linear", "units", "convert", "scan", "panel", "match", "cdl"):
        assert f"    {command}" in out


def test_units_options_say_what_they_take(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["units", "--help"])
    out = capsys.readouterr().out
    assert "--from UNIT  the unit the values are in: stops, linear" in out
    assert "--to UNIT    the unit to give them in:" in out
