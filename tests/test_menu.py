"""menu.py: the menus, hotkeys and callbacks it registers in Nuke's GUI."""

from __future__ import annotations

import runpy
import sys
from typing import Any, List

import pytest

from nuke_plugin.registry import DRIVABLE_KNOBS, STOP_KNOBS

from support.in_nuke import make, select, values
from support.paths import ROOT, standin_only


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


@standin_only
def test_the_panel_is_registered_with_the_registrys_names(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """menu.py registers the panel with the registry's widget string, title
    and id: what Nuke restores a saved layout by."""
    import nukescripts

    from nuke_plugin import registry

    given: List[Any] = []
    real = nukescripts.panels.registerWidgetAsPanel

    def recorded(*args: Any) -> Any:
        given.append(args)
        return real(*args)

    monkeypatch.setattr(nukescripts.panels, "registerWidgetAsPanel", recorded)
    runpy.run_path(str(ROOT / "menu.py"))
    assert given == [(registry.PANEL_WIDGET, registry.PANEL_TITLE, registry.PANEL_ID)]
    assert nuke_host.menu("Pane").findItem(registry.PANEL_TITLE) is not None
