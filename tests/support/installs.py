"""Installing the package as studios do (a wheel, a folder, a rez package)
into a temporary place, and starting the stand-in's Nuke from there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

from .paths import ROOT, STANDIN

#: What a source tree never carries (made by make, pip, the tools).
_MADE = (
    ".git",
    ".venv",
    ".venv-qt5",
    "build",
    "dist",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    ".import_linter_cache",
    "*.egg-info",
)


def source_copy(target: Path) -> Path:
    """The checkout's sources copied to ``target`` (so that building writes
    nothing into the checkout the other tests read)."""
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(*_MADE))
    return target


def run(command: List[str], **options: Any) -> str:
    """Run ``command``; its stdout, or an AssertionError with its stderr."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, **options)
    assert result.returncode == 0, f"{command}: {result.stderr[-3000:]}"
    return str(result.stdout)


def fresh_venv(folder: Path, python: str = sys.executable) -> Path:
    """A new virtual environment with pip and nothing else; its python."""
    run([python, "-m", "venv", str(folder)])
    return folder / "bin" / "python"


def environment(**changes: Optional[str]) -> Dict[str, str]:
    """This process's environment without what points Python at the
    checkout (PYTHONPATH) or hides pip's messages, with ``changes``."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


#: Nuke > nuke-stops, as menu.py builds it.
MENU = [
    "Nudge",
    "Exposure panel",
    "Add stop knobs to selected",
    "Add stop knobs to selected (Grade gain)",
    "Convert legacy multiply",
    "Match exposure",
    "Make OCIOCDLTransform from stops",
    "CDL grading space...",
    "Help",
]

#: Nuke's start-up from one NUKE_PATH folder, on the stand-in: Nuke puts the
#: folder on sys.path, runs its init.py then (GUI) its menu.py; then the
#: artist makes an ExposureStops node from the Nodes menu and opens About.
START_NUKE = r"""
import json, os, runpy, sys
folder, standin = sys.argv[1], sys.argv[2]
sys.path[:0] = [standin]
sys.path.append(folder)
import nuke
nuke.GUI = True
runpy.run_path(os.path.join(folder, "init.py"))
runpy.run_path(os.path.join(folder, "menu.py"))
session = nuke._session()
items = [i.name() for i in nuke.menu("Nuke").findItem("nuke-stops").items()]
gizmos = [p for p in session.plugin_path if os.path.isfile(os.path.join(p, "ExposureStops.gizmo"))]
nuke.menu("Nodes").findItem("Color/ExposureStops (stops)").invoke()
made = [(n.Class(), n.name()) for n in nuke.allNodes()]
nuke.menu("Nuke").findItem("nuke-stops/Help/About nuke-stops").invoke()
import nuke_plugin
print(json.dumps({"items": items, "gizmos": gizmos, "made": made,
                  "package": os.path.dirname(nuke_plugin.__file__),
                  "about": session.messages[-1], "callbacks": len(session.knob_changed)}))
"""


def start_nuke(
    python: Path, folder: str, cwd: Path, *flags: str, **env: Optional[str]
) -> Dict[str, Any]:
    """Nuke's start-up (the stand-in) by ``python`` from NUKE_PATH ``folder``,
    run in ``cwd`` (not the checkout: nothing is found by accident); what
    it built."""
    out = run(
        [str(python), *flags, "-c", START_NUKE, folder, str(STANDIN)],
        cwd=str(cwd),
        env=environment(**env),
    )
    return json.loads(out)  # type: ignore[no-any-return]
