"""The panel's views of the rows (issue 20), standalone on a file: the
frame field, the gauge (read back from the drawn pixels), sorting, the
state filter, the nudge keys, and the header. PySide6 and PySide2."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, List

import pytest

from support.panel import cells, highlight, row_of, shown_on
from support.render import render_script, same

pytest.importorskip("pytestqt", reason="the panel's tests need pytest-qt (pip install -e .[dev])")

from nuke_plugin.panel.model import COLUMNS, GAUGE_COLUMN  # noqa: E402
from nuke_plugin.panel.qt import Qt, QtGui  # noqa: E402
from nuke_plugin.panel.widget import BRIGHTER, DARKER, bar_length  # noqa: E402

SCRIPT = """Root {
 inputs 0
 frame 10
}
Grade {
 multiply 2
 name Up1
}
Grade {
 multiply 0.25
 name Down2
}
Grade {
 white 1
 multiply {1 1 1 1}
 gamma 1.2
 name Zero
}
Multiply {
 value {{curve x1 1 x20 4}}
 name Ramp
}
Grade {
 multiply {2 1 0.5 1}
 name Split
}
Multiply {
 value {{parent.Up1.multiply}}
 name Linked
}
"""


@pytest.fixture
def comp(tmp_path: Path) -> Path:
    path = tmp_path / "views.nk"
    path.write_text(SCRIPT)
    return path


@pytest.fixture
def panel(qtbot: Any, comp: Path) -> Any:
    return shown_on(qtbot, comp, 1000, 420)


def test_the_frame_field_starts_at_the_roots_frame_and_moves_keyed_rows(panel: Any) -> None:
    assert panel.frame.value() == 10
    row = row_of(panel, "Ramp", "value")
    # The value at frame 10 as the stand-in's own curve evaluator reads it
    at_10 = render_script(SCRIPT, [("Ramp", "value")], [10.0])[("Ramp", "value")][10.0][0]
    assert cells(panel, "stops")[row] == f"+{math.log2(at_10):.2f} @10 \u00b7 2 keys, 0..+2"
    panel.frame.setValue(20)
    assert cells(panel, "stops")[row].startswith("+2 @20 \u00b7 2 keys, 0..+2")
    assert "frame 20" in panel.header.text()
    assert panel.edit_stops(row, "+1")  # keys frame 20, as the status line says
    assert "key at frame 20" in panel.status.text()


def _bar_pixels(panel: Any, row: int) -> List[int]:
    """How many pixels of each gauge colour the row's gauge cell holds on
    its middle line, read from the drawn panel."""
    table = panel.table
    rect = table.visualRect(panel.model.index(row, GAUGE_COLUMN))
    image = table.viewport().grab().toImage()
    y = rect.center().y()
    line = [QtGui.QColor(image.pixel(x, y)) for x in range(rect.left(), rect.right() + 1)]
    return [sum(1 for c in line if c == colour) for colour in (BRIGHTER, DARKER)]


@pytest.mark.parametrize(("node", "stops"), [("Up1", 1.0), ("Down2", -2.0)])
def test_the_gauge_draws_a_bar_as_long_as_the_stops(panel: Any, node: str, stops: float) -> None:
    row = row_of(panel, node, "multiply")
    rect = panel.table.visualRect(panel.model.index(row, GAUGE_COLUMN))
    half = (rect.width() - 6) // 2
    bright, dark = _bar_pixels(panel, row)
    wanted = bar_length(stops, half)
    assert wanted == round(abs(stops) / 5 * half) > 0
    assert (bright, dark) == ((wanted, 0) if stops > 0 else (0, wanted))


def test_zero_stops_draws_no_bar(panel: Any, comp: Path) -> None:
    row = row_of(panel, "Up1", "multiply")
    assert panel.edit_stops(row, "0")
    assert _bar_pixels(panel, row) == [0, 0]


def test_channels_that_differ_get_a_bar_each(panel: Any) -> None:
    """Split is r +1, g 0, b -1: the top third brighter, the bottom darker."""
    row = row_of(panel, "Split", "multiply")
    table = panel.table
    rect = table.visualRect(panel.model.index(row, GAUGE_COLUMN))
    image = table.viewport().grab().toImage()
    box_top, box_height = rect.top() + 3, rect.height() - 6
    third = box_height // 3

    def colours_at(y: int) -> List[int]:
        line = [QtGui.QColor(image.pixel(x, y)) for x in range(rect.left(), rect.right() + 1)]
        return [sum(1 for c in line if c == colour) for colour in (BRIGHTER, DARKER)]

    half = (rect.width() - 6) // 2
    assert colours_at(box_top + third // 2) == [bar_length(1, half), 0]  # red
    assert colours_at(box_top + third + third // 2) == [0, 0]  # green
    assert colours_at(box_top + 2 * third + third // 2) == [0, bar_length(-1, half)]  # blue


def test_the_table_sorts_by_stops_node_and_state(panel: Any) -> None:
    stops = COLUMNS.index("stops")
    panel.table.sortByColumn(stops, Qt.SortOrder.DescendingOrder)
    nodes = cells(panel, "node")
    assert nodes[:3] == ["Ramp", "Up1", "Split"]  # +1.28, +1, 0 (mean); then the rest
    assert nodes[-1] == "Linked"  # no stops: last
    panel.table.sortByColumn(COLUMNS.index("node"), Qt.SortOrder.AscendingOrder)
    assert cells(panel, "node") == sorted(cells(panel, "node"), key=str.lower)
    panel.table.sortByColumn(COLUMNS.index("state"), Qt.SortOrder.AscendingOrder)
    assert cells(panel, "state")[0] == "animated"


def test_the_state_filter_shows_one_kind(panel: Any) -> None:
    panel.state_filter.setCurrentText("read only")
    assert cells(panel, "node") == ["Linked"]
    panel.state_filter.setCurrentText("animated")
    assert cells(panel, "node") == ["Ramp"]
    panel.state_filter.setCurrentText("every state")
    assert len(cells(panel, "node")) == 5  # Zero's multiply is at its default: not listed


def test_the_nudge_hotkeys_nudge_the_highlighted_rows(panel: Any, qtbot: Any, comp: Path) -> None:
    panel.table.setFocus()
    highlight(panel, row_of(panel, "Up1", "multiply"))
    qtbot.keyClick(
        panel.table,
        Qt.Key.Key_Up,
        Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert cells(panel, "stops")[row_of(panel, "Up1", "multiply")] == "+2 a +1"  # alpha kept
    qtbot.keyClick(
        panel.table,
        Qt.Key.Key_Left,
        Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert cells(panel, "stops")[row_of(panel, "Up1", "multiply")] == "+1 2/3 a +1"
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    qtbot.keyClick(panel.table, Qt.Key.Key_Backspace)
    assert row_of(panel, "Up1", "multiply") >= 0  # nothing deleted
    panel.save()
    rendered = render_script(comp.read_text(), [("Up1", "multiply")], [10.0])
    assert same(list(rendered[("Up1", "multiply")][10.0])[:3], [2 ** (5 / 3)] * 3)


def test_the_header_says_where_the_artist_is(panel: Any) -> None:
    assert panel.header.text() == (
        "views.nk \u00b7 frame 10 \u00b7 5 exposure(s) shown of 6 node(s) with exposure knobs"
    )
    assert (
        panel.windowTitle()
        == "Exposure (stops) \u2014 views.nk \u00b7 frame 10 \u2014 5 exposure(s) shown"
    )
    panel.filter.setText("Up1")
    assert "1 exposure(s) shown of 6 node(s)" in panel.header.text()
