"""Every nuke-stops command shown in the README and the docs runs as written,
in order, and every example prints what they show."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import ROOT

pytestmark = pytest.mark.slow  # every command in its own shell

#: The README and the docs that show commands, in the order they are read.
PAGES = [ROOT / "README.md", *(ROOT / "docs" / f"{n}.md" for n in ("command_line", "matching"))]
README = "\n".join(page.read_text() for page in PAGES)
MATCHING = (ROOT / "docs" / "matching.md").read_text()
COMMANDS = [line.strip() for line in README.splitlines() if re.match(r" {4}(nuke-stops|cp) ", line)]


def test_every_readme_command_runs(tmp_path: Path) -> None:
    assert len(COMMANDS) >= 10
    # nuke-stops is this checkout's; /tmp in the README becomes a fresh folder.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for line in COMMANDS:
        command = line.replace("/tmp/", f"{tmp_path}/")  # as a shell runs it: &&, >
        result = subprocess.run(
            ["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, f"{command}\n{result.stderr}"
    assert (tmp_path / "a.nk.bak").exists()
    assert (tmp_path / "comp_stops.nk").exists()
    assert "nks_stops" in (tmp_path / "piped.nk").read_text()


#: The README's examples with their output: "$ nuke-stops ..." and what it
#: prints below it, in an indented block, up to the next command (a blank
#: line may be part of the output).
_OUTPUT_LINE = r"    (?!\$ |nuke-stops |cp ).*\n"
EXAMPLES = re.findall(rf"^    \$ (.+)\n((?:{_OUTPUT_LINE}|\n(?={_OUTPUT_LINE}))*)", README, re.M)


def test_every_readme_example_prints_what_the_readme_shows(tmp_path: Path) -> None:
    """Run in order in one folder (/tmp in the README), each example's
    standard output is exactly the lines the README shows under it."""
    assert len(EXAMPLES) >= 12
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for command, shown in EXAMPLES:
        result = subprocess.run(
            ["bash", "-c", command.replace("/tmp/", f"{tmp_path}/")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"{command}\n{result.stderr}"
        printed = [
            line.rstrip() for line in result.stdout.replace(f"{tmp_path}/", "/tmp/").splitlines()
        ]
        expected = [line[4:] for line in shown.rstrip("\n").split("\n")]
        assert printed == expected, command


def test_the_table_of_exposure_in_spaces_is_what_the_script_measures() -> None:
    """The README's table of what +1 stop adds in each space comes from
    benchmarks/exposure_in_spaces.py (OpenColorIO), not from a formula."""
    pytest.importorskip("PyOpenColorIO", reason="pip install -e .[dev] installs OpenColorIO")
    script = runpy.run_path(str(ROOT / "benchmarks" / "exposure_in_spaces.py"))
    measured = script["rows"]()
    start = MATCHING.index(measured[0])
    assert MATCHING[start:].splitlines()[: len(measured)] == measured


def test_the_picture_of_a_shot_is_what_the_script_draws() -> None:
    """docs/matching_a_shot.svg (the README's picture) is what `make
    shot-plot` draws from the measured shot today, byte for byte, and the
    README's figures about it hold."""
    pytest.importorskip("numpy")
    script = runpy.run_path(str(ROOT / "benchmarks" / "shot_robustness.py"))
    from nuke_plugin.core.matching import measure_offset

    from support.shots import curvetool_offsets, synthetic_shot

    shot = synthetic_shot()
    truth = shot.truth()
    robust = [measure_offset(frame, shot.frames[0]).stops for frame in shot.frames]
    mean = curvetool_offsets(shot.frames)
    drawn = script["svg"](truth, robust, mean, shot.object_from)
    assert (ROOT / "docs" / "matching_a_shot.svg").read_text() == drawn
    assert "](matching_a_shot.svg)" in MATCHING
    assert max(abs(r - t) for r, t in zip(robust, truth)) < 0.002  # "within 0.002 stop"
    assert min(abs(m - t) for m, t in list(zip(mean, truth))[shot.object_from :]) > 0.3
