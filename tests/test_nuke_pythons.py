"""The stdlib-only modules under the Pythons that Nuke 13-15 embed (3.7, 3.9,
3.10), and `pip install .` under each of them and 3.11 (Nuke 16).

Nuke itself is not installed here, so this runs the same code under plain
CPython of those versions, without numpy, when they are on the machine
(pyenv's versions are looked for too). A missing interpreter skips only its
own case; 3.11 (Nuke 16) is the interpreter running the suite.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path
from typing import Optional

import pytest

from nuke_plugin import __version__

from support.installs import environment, fresh_venv, run, source_copy
from support.paths import DATA, ROOT

pytestmark = pytest.mark.slow  # each interpreter in its own process

SCRIPT = r"""
import sys
sys.path.insert(0, sys.argv[1])
from nuke_plugin.stops import exposure_to_intensity, intensity_to_exposure, format_stops
from nuke_plugin.stops import parse_stops, snap, convert
from nuke_plugin.camera import Settings, stops_between
from nuke_plugin.cli.main import main
assert [exposure_to_intensity(s) for s in (2, 1, 0, -1, -2)] == [4.0, 2.0, 1.0, 0.5, 0.25]
assert round(intensity_to_exposure(0.1), 4) == -3.3219
assert format_stops(parse_stops("+1 1/3")) == "+1 1/3" and snap(0.3, 0.5) == 0.5
assert round(convert(1, "stops", "cineon"), 3) == 90.309
assert stops_between(Settings(4, 1 / 50), Settings(2.8, 1 / 50)) == 1.0
assert main(["linear", "-2/3", "x2"]) == 0
from nuke_plugin.nkfile.parser import parse
from nuke_plugin.adapters.script_ops import convert_script, scan_script
from nuke_plugin.ops.nudge import plan_nudge
from nuke_plugin.ops.outcome import applied
from nuke_plugin.adapters.script_node import ScriptNode
import nuke_plugin.cli.scan, nuke_plugin.cli.convert
script = parse("Grade {\n multiply {1.5 1.2 1 1}\n name G\n}\n")
assert [f.stops for f in scan_script(script)] == ["+0.58 +0.26 0 0"]
assert [o.status for o in convert_script(script)] == ["converted"]
node = ScriptNode(parse(script.to_text()).nodes[0])
assert applied(node, plan_nudge(node, 1)).status == "nudged"
from nuke_plugin.core.matching import offset_of_samples
from nuke_plugin.core.camera import parse_camera, report_stops_between
from nuke_plugin.core.cdl import cdl_for_stops, stops_of_cdl
cells = [(0.1 * i, 0.2 * i, 0.3 * i) for i in range(1, 6)]
found = offset_of_samples(cells, [(r / 2, g / 2, b / 2) for r, g, b in cells])
assert (found.stops, found.pixels) == (-1.0, 5)
assert report_stops_between(parse_camera("f/2.8 1/48"), parse_camera("f/4 180deg@24fps")) == -1
assert stops_of_cdl(cdl_for_stops([1])) == (1.0, 1.0, 1.0)
import nuke_plugin.ops.match, nuke_plugin.ops.set_stops
assert "numpy" not in sys.modules
print("ok", sys.version_info[:2])
"""


def _interpreter(version: str) -> Optional[str]:
    candidates = [shutil.which(f"python{version}")]
    pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates += sorted(glob.glob(f"{pyenv}/versions/{version}.*/bin/python{version}"))
    for path in filter(None, candidates):
        probe = subprocess.run([path, "-c", "import sys; print(sys.version)"], capture_output=True)
        if probe.returncode == 0:
            return path
    return None


@pytest.mark.parametrize("version", ["3.7", "3.9", "3.10"])
def test_runs_under_nukes_python(version: str) -> None:
    python = _interpreter(version)
    if python is None:
        pytest.skip(f"no Python {version} on this machine")
    result = subprocess.run(
        [python, "-c", SCRIPT, str(ROOT)], capture_output=True, text=True, env={"PATH": ""}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"ok {tuple(map(int, version.split('.')))}"


@pytest.mark.parametrize("version", ["3.7", "3.9", "3.10", "3.11"])
def test_pip_install_builds_and_runs_under_nukes_python(version: str, tmp_path: Path) -> None:
    """`pip install .` as a TD runs it, under each Nuke's Python: the build
    requirement (setuptools, fetched by pip) must be one that Python runs;
    then the installed command answers --version and scans a script."""
    python = _interpreter(version)
    if python is None:
        pytest.skip(f"no Python {version} on this machine")
    source = source_copy(tmp_path / "source")
    venv = fresh_venv(tmp_path / "env", python)
    run([str(venv), "-m", "pip", "install", "--quiet", str(source)], env=environment())
    command = str(venv.parent / "nuke-stops")
    assert run([command, "--version"], env=environment()).strip() == f"nuke-stops {__version__}"
    scanned = run([command, "scan", str(DATA / "nested_groups.nk")], cwd=str(tmp_path))
    assert "Group1.Inner.Multiply1  value     0.5          -1" in scanned
    folder = Path(run([command, "nuke-path"], env=environment()).strip())
    assert (folder / "menu.py").read_bytes() == (ROOT / "menu.py").read_bytes()
