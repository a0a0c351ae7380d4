"""menu.py: the menus, hotkeys and callbacks it registers in Nuke's GUI."""

from __future__ import annotations

import runpy
import sys
from typing import Any

import pytest
from conftest import ROOT, make, select, standin_only, values

from nuke_plugin.ops.catalogue import (
    DRIVABLE_KNOBS,
    STOP_KNOBS,
)


@standin_only
def test_menu_builds_commands_hotkeys_and_callbacks(nuke_host: Any) -> None:
    before = {m for m in sys.modules if m.startswith("nuke_plugin.")}
    namespace = runpy.run_path(str(ROOT / "menu.py"))
    menu = nuke_host.menu("Nuke").findItem("nuke-stops")
    assert menu is not None
    for name, key in namespace["HOTKEYS"].items():
        item = menu.findItem(name)
        assert item is not None
        assert item.shortcut() == key
        assert item._context == 2
    keys_used = list(namespace["HOTKEYS"].values())
    assert len(set(keys_used)) == len(keys_used) == 6  # no two commands share a key
    assert all(key.startswith("alt+shift+") for key in keys_used)
    session = nuke_host._session()
    assert sorted(c[3] for c in session.knob_changed) == sorted(DRIVABLE_KNOBS)
    assert sorted(c[3] for c in session.update_ui) == sorted(DRIVABLE_KNOBS)
    assert namespace["LINEAR_KNOBS"] == {k for ks in DRIVABLE_KNOBS.values() for k in ks}
    assert namespace["EXPOSURE_CLASSES"] == tuple(DRIVABLE_KNOBS)
    grade = make(nuke_host, "Grade", "multiply", "2")
    select(nuke_host, grade)
    menu.findItem("Nudge/+1 stop").invoke()
    assert values(grade, "multiply") == [4.0, 4.0, 4.0, 2.0]
    assert session.undo_history[-1][0] == "+1 stop"  # one step, named by Nuke's menu group
    menu.findItem("Add stop knobs to selected").invoke()
    assert grade[STOP_KNOBS.master].value() == 2.0
    menu.findItem("Nudge/-1\u20443 stop").invoke()
    assert grade[STOP_KNOBS.master].value() == pytest.approx(5 / 3)
    toolbar = nuke_host.menu("Nodes").findItem("Color/ExposureStops (stops)")
    toolbar.invoke()
    assert any(
        n.Class() == "Group" and n.name().startswith("ExposureStops") for n in nuke_host.allNodes()
    )
    menu.findItem("Help/About nuke-stops").invoke()
    assert session.messages[-1].startswith("nuke-stops 0.")
    assert before <= {m for m in sys.modules if m.startswith("nuke_plugin.")}


@standin_only
def test_studios_choose_their_own_hotkeys(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(
        "NUKE_STOPS_HOTKEYS", "Nudge/+1 stop=ctrl+alt+Up; Nudge/-1 stop= ;Nudge/sideways=F9"
    )
    runpy.run_path(str(ROOT / "menu.py"))
    menu = nuke_host.menu("Nuke").findItem("nuke-stops")
    assert menu.findItem("Nudge/+1 stop").shortcut() == "ctrl+alt+Up"
    assert menu.findItem("Nudge/-1 stop").shortcut() == ""
    assert menu.findItem("Nudge/+1\u20443 stop").shortcut() == "alt+shift+Right"
    assert "'Nudge/sideways=F9' names no nudge command" in capsys.readouterr().out


@standin_only
def test_menu_does_nothing_without_a_gui_and_survives_its_own_failure(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(nuke_host, "GUI", False)
    runpy.run_path(str(ROOT / "menu.py"))
    session = nuke_host._session()
    assert session.menus == {}
    assert session.knob_changed == []
    assert session.update_ui == []
    monkeypatch.setattr(nuke_host, "GUI", True)

    def broken(name: str) -> Any:
        raise RuntimeError("menu bar missing")

    monkeypatch.setattr(nuke_host, "menu", broken)
    runpy.run_path(str(ROOT / "menu.py"))  # must not raise
    err = capsys.readouterr().err
    assert err.count("Traceback") == 1
    assert "menu bar missing" in err


def test_the_panel_is_registered_with_the_panels_own_names() -> None:
    """menu.py cannot import the panel (Qt) at start-up, so it repeats the
    three values Nuke needs; they must be the panel module's."""
    pytest.importorskip("pytestqt", reason="the panel needs Qt (pip install -e .[dev])")
    import ast

    from nuke_plugin.host import panel

    # Read, not run: running menu.py again would add its callbacks twice.
    tree = ast.parse((ROOT / "menu.py").read_text())
    namespace = {
        target.id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.startswith("PANEL_")
    }
    assert namespace["PANEL_WIDGET"] == panel.WIDGET
    assert namespace["PANEL_TITLE"] == panel.TITLE
    assert namespace["PANEL_ID"] == panel.PANEL_ID
