"""The nuke-stops command line, run as a real process and in-process."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import List, Tuple

import pytest

from nuke_plugin.cli import main


def run(args: List[str], capsys: pytest.CaptureFixture[str]) -> Tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def test_stops_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["stops", "2", "0.5", "2.83"], capsys)
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["multiply", "stops", "text"]
    assert lines[1].split() == ["2", "1", "+1"]
    assert lines[2].split() == ["0.5", "-1", "-1"]
    assert lines[3].split() == ["2.83", "1.5008", "+1.50"]


def test_linear_accepts_negative_and_fractional_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["linear", "+1 1/3", "-2", "-2/3", "-½", "--json"], capsys)
    assert status == 0
    rows = json.loads(out)
    assert [r["text"] for r in rows] == ["+1 1/3", "-2", "-2/3", "-0.50"]
    assert rows[1]["multiply"] == 0.25
    assert rows[0]["multiply"] == pytest.approx(2 ** (4 / 3))


def test_step_changes_the_artist_text(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["linear", "--step", "1/2", "-1.5", "--json"], capsys)
    assert json.loads(out)[0]["text"] == "-1 1/2"


def test_convert_units(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["convert", "1", "--from", "stops", "--to", "cineon", "--json"], capsys)
    assert status == 0
    assert json.loads(out) == [{"stops": 1.0, "cineon": pytest.approx(90.309, abs=1e-3)}]
    _, out, _ = run(["convert", "-2", "0", "--from", "stops", "--to", "linear"], capsys)
    assert out.split() == ["stops", "linear", "-2", "0.25", "0", "1"]


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
        (["convert", "-1", "--from", "linear", "--to", "stops"], "'-1'"),
    ],
)
def test_bad_input_is_one_line_naming_the_value(
    args: List[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(args, capsys)
    assert status == 2
    assert out == ""  # nothing half-printed
    assert err.count("\n") == 1 and named in err and err.startswith("nuke-stops: error:")


def test_unknown_unit_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["convert", "1", "--from", "stops", "--to", "lux"])
    assert exit_.value.code == 2
    assert "lux" in capsys.readouterr().err


def test_python_dash_m_and_console_script_run() -> None:
    module = subprocess.run(
        [sys.executable, "-m", "nuke_plugin", "linear", "-1"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert module.stdout.split()[-3:] == ["-1", "-1", "0.5"]
    script = subprocess.run(
        [sys.executable, "-c", "import sys; from nuke_plugin.cli import main; sys.exit(main())",
         "stops", "0"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert script.returncode == 2 and "zero" in script.stderr and script.stdout == ""
