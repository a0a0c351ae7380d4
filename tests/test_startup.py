"""init.py and menu.py: valid for Nuke, cheap, and free of numpy and Qt.

Each runs in a fresh interpreter with the strict stand-in as ``nuke``, the
way Nuke runs them: init.py in every mode, menu.py in the GUI after it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support.installs import MENU
from support.paths import STANDIN

ROOT = Path(__file__).resolve().parent.parent

RUN_LIKE_NUKE = """
import json, runpy, sys
sys.path[:0] = [sys.argv[2], sys.argv[1]]
import nuke
nuke.GUI = sys.argv[3] == "gui"
runpy.run_path(sys.argv[1] + "/init.py")
if nuke.GUI:
    runpy.run_path(sys.argv[1] + "/menu.py")
loaded = sorted(m for m in sys.modules
                if m.split(".")[0] in ("numpy", "PySide2", "PySide6", "nuke_plugin"))
items = [i.name() for i in nuke.menu("Nuke").findItem("nuke-stops").items()] if nuke.GUI else []
session = nuke._session()
panes = [i.name() for i in nuke.menu("Pane").items()] if nuke.GUI else []
print(json.dumps([session.plugin_path, loaded, items,
                  len(session.knob_changed) + len(session.update_ui), panes]))
"""


def _run(mode: str) -> list:  # type: ignore[type-arg]
    result = subprocess.run(
        [sys.executable, "-S", "-c", RUN_LIKE_NUKE, str(ROOT), str(STANDIN), mode],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stderr == ""
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_init_adds_the_gizmos_folder_and_imports_nothing_heavy() -> None:
    paths, loaded, items, callbacks, _ = _run("terminal")
    assert paths == [str(ROOT / "gizmos")]
    assert loaded == []
    assert items == []
    assert callbacks == 0


def test_menu_builds_its_menus_importing_only_the_registry_no_numpy_or_qt() -> None:
    paths, loaded, items, callbacks, panes = _run("gui")
    assert paths == [str(ROOT / "gizmos")]
    assert loaded == ["nuke_plugin", "nuke_plugin.registry"], f"start-up imported {loaded}"
    assert panes == ["Exposure (stops)"]  # registered, so saved layouts restore it
    assert items == MENU
    assert callbacks == 6  # knobChanged and updateUI, for Grade, Multiply, ColorCorrect
