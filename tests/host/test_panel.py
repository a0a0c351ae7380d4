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
from nuke_plugin.panel.model import COLUMNS  # noqa: E402
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
    assert rows(panel)[0][3:5] == ["4 4 4 2", "+2 a +1"]


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
    state = COLUMNS.index("state")
    assert rows(panel)[row_of(panel, grade.name(), "multiply")][state].startswith("refused: ")
    assert panel.edit_stops(row_of(panel, linked.name(), "value"), "+1") is False
    assert "driven by the expression" in panel.status.text()
    assert values(grade, "multiply") == [2, 2, 2, 2]
    assert nuke_host.Undo.undoSize() == before
    name = grade.name()
    row = row_of(panel, name, "multiply")
    panel.source.unwatch()  # deleted while the panel was not listening
    nuke_host.delete(grade)
    assert panel.edit_stops(row, "+1") is False
    assert rows(panel)[row][state] == f"refused: {name}.multiply: no longer in the script"


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
    highlight(panel, row_of(panel, a.name(), "multiply"))  # one row: the stop knobs drive it
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


# -- the rows as an artist reads them (issue 20), on the live session ----------------


def test_a_node_with_stop_knobs_is_one_row_with_its_totals(nuke_host: Any, panel: Any) -> None:
    from nuke_plugin.host import commands

    grade = make(nuke_host, "Grade", "multiply", "2 2 1 1")
    select(nuke_host, grade)
    commands.add_stop_knobs()
    panel.refresh()
    assert [r[:5] for r in rows(panel)] == [
        [grade.name(), "Grade", "multiply", "2 2 1 1", "r +1 g +1 b 0"]
    ]
    assert panel.edit_stops(0, "+1 1/3")  # the total: master +1 1/3, offsets 0
    assert same(values(grade, "multiply")[:3], [2 ** (4 / 3)] * 3)
    assert rows(panel)[0][4] == "+1 1/3"


def test_the_panel_follows_the_viewers_frame(nuke_host: Any, panel: Any, qtbot: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "{curve x1 1 x10 4}")
    nuke_host.frame(1)
    settle(qtbot, panel)  # what the creation callback asked for is done
    panel.refresh()
    assert rows(panel)[0][4].startswith("0 @1 \u00b7 2 keys")
    nuke_host.frame(10)  # the artist scrubs: no callback tells, the panel looks
    qtbot.waitUntil(lambda: "frame 10" in panel.header.text(), timeout=3000)
    assert rows(panel)[0][4].startswith("+2 @10 \u00b7 2 keys")
    assert panel.edit_stops(0, "+1")
    assert "key at frame 10" in panel.status.text()
    assert grade["multiply"].getValueAt(10, 0) == pytest.approx(2.0)


def test_a_cloned_node_is_read_only_and_says_why(nuke_host: Any, panel: Any) -> None:
    from nuke_plugin.panel.model import STOPS_COLUMN
    from nuke_plugin.panel.qt import Qt

    grade = make(nuke_host, "Grade", "multiply", "2")
    nuke_host.clone(grade)
    panel.refresh()
    for row in range(panel.model.rowCount()):
        index = panel.model.index(row, STOPS_COLUMN)
        assert not panel.model.flags(index) & Qt.ItemFlag.ItemIsEditable
        tip = panel.model.data(index, Qt.ItemDataRole.ToolTipRole)
        assert tip.startswith("read only: ")
        assert "clone" in tip
    assert panel.edit_stops(0, "+1") is False
    assert values(grade, "multiply") == [2, 2, 2, 2]


def test_the_header_names_the_script_and_the_frame(nuke_host: Any, panel: Any) -> None:
    make(nuke_host, "Grade", "multiply", "2")
    nuke_host.frame(1001)
    panel.refresh()
    assert panel.header.text() == (
        "untitled script \u00b7 frame 1001 \u00b7 "
        "1 exposure(s) shown of 1 node(s) with exposure knobs"
    )
