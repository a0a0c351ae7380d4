"""Every nuke-stops command shown in the README runs as written, in order."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import ROOT

pytestmark = pytest.mark.slow  # every command in its own shell

README = (ROOT / "README.md").read_text()
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
