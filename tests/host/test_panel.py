"""The Exposure panel inside Nuke: docking, following the host, one undo step
per action. Real widgets (offscreen) over the live adapter, on the stand-in
here; the tests that read only Foundry's API also run in Nuke's GUI
(Help > Run self-test, with pytest-qt importable there).
"""

from __future__ import annotations

import runpy
from typing import Any, Iterator

import pytest

from support.in_nuke import make, select, values
from support.panel import click, highlight, row_of, rows
from support.paths import ROOT, standin_only
from support.render import same

pytest.importorskip("pytestqt", reason="the panel's tests need pytest-qt (pip install -e .[dev])")

from nuke_plugin.host import events  # noqa: E402
from nuke_plugin.host.panel import ExposurePanel, open_panel  # noqa: E402
from nuke_plugin.panel.qt import QtWidgets  # noqa: E402


@pytest.fixture
def panel(nuke_host: Any, qtbot: Any) -> Iterator[Any]:
    """The panel as the menu opens it, closed again afterwards."""
    opened = open_panel()
    widget = ExposurePanel.shown()
    assert widget is not None, f"open_panel() showed no panel ({opened!r})"
    qtbot.addWidget(widget)
    qtbot.waitExposed(widget)
    yield widget
    widget.hide()  # closing the tab removes the callbacks (pytest-qt deletes it after)


def settle(qtbot: Any, widget: Any) -> None:
    """Let the panel apply what it heard (it updates once Qt is idle)."""
    qtbot.waitUntil(lambda: not widget._update_due, timeout=2000)


@standin_only
def test_registration_docks_one_panel_and_brings_it_forward(nuke_host: Any, qtbot: Any) -> None:
    runpy.run_path(str(ROOT / "menu.py"))
    session = nuke_host._session()
    callbacks = [len(session.on_create), len(session.on_destroy), len(session.knob_changed)]
    nuke_host.menu("Nuke").findItem("nuke-stops/Exposure panel").invoke()
    [(title, panel_id, widget, pane)] = session.docked
    qtbot.addWidget(widget)
    assert (title, panel_id, pane) == (
        "Exposure (stops)",
        "io.github.nuke_stops.ExposurePanel",
        "Properties.1",
    )
    assert isinstance(widget, ExposurePanel)
    assert widget.isVisible()
    assert len(session.knob_changed) > callbacks[2]
    assert session.on_create
    assert session.on_destroy

    other = QtWidgets.QLabel("another tab")
    stack = nuke_host.getPaneFor("Properties.1").stack()
    stack.addWidget(other)
    stack.setCurrentWidget(other)  # the panel is now a tab behind another
    nuke_host.menu("Nuke").findItem("nuke-stops/Exposure panel").invoke()
    assert len(session.docked) == 1, "a second panel was made"
    assert stack.currentWidget() is widget

    nuke_host._close_tab(widget)  # Nuke hides a closed tab; it is not deleted
    assert [len(session.on_create), len(session.on_destroy), len(session.knob_changed)] == (
        callbacks
    ), "callbacks left behind by a closed panel"
    assert events._listeners == []
    nuke_host.menu("Pane").findItem("Exposure (stops)").invoke()  # Nuke's Pane menu
    assert len(session.docked) == 2
    qtbot.addWidget(session.docked[-1][2])
    session.docked[-1][2].hide()


def test_rows_follow_creation_deletion_and_renames(nuke_host: Any, panel: Any, qtbot: Any) -> None:
    assert rows(panel) == []
    grade = make(nuke_host, "Grade", "multiply", "2")
    settle(qtbot, panel)
    assert [r[:5] for r in rows(panel)] == [[grade.name(), "Grade", "multiply", "2", "+1"]]
    grade.showControlPanel()  # knobChanged: Nuke 13-16 call it while the panel is open
    grade.setName("Plate_A_grade")
    settle(qtbot, panel)
    assert [r[0] for r in rows(panel)] == ["Plate_A_grade"]
    nuke_host.delete(grade)
    settle(qtbot, panel)
    assert rows(panel) == []


def test_the_menus_own_commands_update_the_panel(nuke_host: Any, panel: Any, qtbot: Any) -> None:
    from nuke_plugin.host import commands

    grade = make(nuke_host, "Grade", "multiply", "2")
    settle(qtbot, panel)
    select(nuke_host, grade)
    commands.nudge(1.0)  # properties panel closed: no knobChanged; the command tells
    settle(qtbot, panel)
    assert rows(panel)[0][3:5] == ["4 4 4 2", "+2 +2 +2 +1"]


def test_typing_stops_is_one_undo_step_and_keys_an_animated_knob(
    nuke_host: Any, panel: Any, qtbot: Any
) -> None:
    plain = make(nuke_host, "Grade", "multiply", "1.5 1.2 1 0.5")
    keyed = make(nuke_host, "Grade", "multiply", "{curve x1 1 x10 4} 1 1 1")
    panel.refresh()
    nuke_host.frame(5)
    before = nuke_host.Undo.undoSize()
    assert panel.edit_stops(row_of(panel, plain.name(), "multiply"), "+1 1/3") is True
    assert same(values(plain, "multiply"), [2 ** (4 / 3)] * 3 + [0.5])
    assert nuke_host.Undo.undoSize() == before + 1
    assert panel.edit_stops(row_of(panel, keyed.name(), "multiply"), "1 0 -1") is True
    assert same(values(keyed, "multiply", 5), [2, 1, 0.5, 1])
    # red is keyed: a key at frame 5, the others stay; green and blue are constants
    assert same(values(keyed, "multiply", 1), [1, 1, 0.5, 1])
    assert same(values(keyed, "multiply", 10), [4, 1, 0.5, 1])
    assert [k.x for k in keyed["multiply"].animation(0).keys()] == [1, 5, 10]  # noqa: SIM118
    nuke_host.Undo.undo()
    assert values(keyed, "multiply", 5)[1:3] == [1, 1]
    nuke_host.Undo.undo()
    assert same(values(plain, "multiply"), [1.5, 1.2, 1, 0.5])


def test_bad_text_changes_nothing_and_says_why_in_the_row(
    nuke_host: Any, panel: Any, qtbot: Any
) -> None:
    grade = make(nuke_host, "Grade", "multiply", "2")
    linked = make(nuke_host, "Multiply", "value", f"{{{grade.name()}.multiply}}")
    panel.refresh()
    before = nuke_host.Undo.undoSize()
    assert panel.edit_stops(row_of(panel, grade.name(), "multiply"), "2+2") is False
    assert rows(panel)[row_of(panel, grade.name(), "multiply")][5].startswith("refused: ")
    assert panel.edit_stops(row_of(panel, linked.name(), "value"), "+1") is False
    assert "driven by the expression" in panel.status.text()
    assert values(grade, "multiply") == [2, 2, 2, 2]
    assert nuke_host.Undo.undoSize() == before
    name = grade.name()
    row = row_of(panel, name, "multiply")
    panel.source.unwatch()  # deleted while the panel was not listening
    nuke_host.delete(grade)
    assert panel.edit_stops(row, "+1") is False
    assert rows(panel)[row][5] == f"refused: {name}.multiply: no longer in the script"


def test_buttons_act_on_highlighted_rows_as_one_undo_step_each(
    nuke_host: Any, panel: Any, qtbot: Any
) -> None:
    a = make(nuke_host, "Grade", "multiply", "2")
    b = make(nuke_host, "Multiply", "value", "0.5")
    untouched = make(nuke_host, "Grade", "multiply", "3")
    panel.refresh()
    highlight(panel, row_of(panel, a.name(), "multiply"), row_of(panel, b.name(), "value"))
    before = nuke_host.Undo.undoSize()
    click(qtbot, panel, "+1")
    assert values(a, "multiply") == [4, 4, 4, 2]
    assert values(b, "value") == [1, 1, 1, 0.5]
    assert nuke_host.Undo.undoSize() == before + 1
    click(qtbot, panel, "Add stop knobs")
    assert a.knob("nks_stops") is not None
    assert b.knob("nks_stops") is not None
    assert untouched.knob("nks_stops") is None
    assert nuke_host.Undo.undoSize() == before + 2
    highlight(panel, row_of(panel, a.name(), "nks_stops"))
    click(qtbot, panel, "\u2212\u2153")
    assert a["nks_stops"].value() == pytest.approx(2 - 1 / 3)
    nuke_host.Undo.undo()
    assert a["nks_stops"].value() == pytest.approx(2)


def test_selected_only_lists_the_selected_nodes(nuke_host: Any, panel: Any) -> None:
    a = make(nuke_host, "Grade", "multiply", "2")
    make(nuke_host, "Grade", "multiply", "3")
    select(nuke_host, a)
    panel.selected_only.setChecked(True)
    assert [r[0] for r in rows(panel)] == [a.name()]
