"""init.py and menu.py: valid for Nuke, cheap, and free of numpy and Qt.

Nuke runs these files with its own ``nuke`` module; here a small recorder
takes its place (the strict stand-in arrives with the in-Nuke commands).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUN_LIKE_NUKE = """
import json, runpy, sys, types
calls = []
nuke = types.ModuleType("nuke")
nuke.GUI = True
nuke.pluginAddPath = lambda path: calls.append(path)
sys.modules["nuke"] = nuke
runpy.run_path(sys.argv[1] + "/init.py")
runpy.run_path(sys.argv[1] + "/menu.py")
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("numpy", "PySide2", "PySide6"))
print(json.dumps([calls, heavy]))
"""


def test_init_adds_the_gizmos_folder_and_imports_nothing_heavy() -> None:
    result = subprocess.run(
        [sys.executable, "-c", RUN_LIKE_NUKE, str(ROOT)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    calls, heavy = json.loads(result.stdout)
    assert calls == [str(ROOT / "gizmos")]
    assert heavy == []
    assert (ROOT / "gizmos").is_dir()
