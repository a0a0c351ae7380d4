"""The panel's rows as an artist reads them (issue 20), over a parsed file:
one row per exposure, read-only rows that say why, a row that stays where
it is after an edit. Runs under PySide6 and PySide2 (make test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from support.panel import cells, row_of, shown_on
from support.render import render_script, same

pytest.importorskip("pytestqt", reason="the panel's tests need pytest-qt (pip install -e .[dev])")

from nuke_plugin.panel.model import COLUMNS, STOPS_COLUMN  # noqa: E402
from nuke_plugin.panel.qt import Qt  # noqa: E402

DRIVE = "{pow(2,nks_stops+nks_channel_stops.%s)}"
STOP_KNOBS = (
    " addUserKnob {20 nks_exposure l Exposure}\n"
    " addUserKnob {7 nks_stops l stops}\n"
    ' addUserKnob {19 nks_channel_stops l "per channel"}\n'
    " addUserKnob {1 nks_drives +INVISIBLE}\n"
)
SCRIPT = f"""Root {{
 inputs 0
 frame 12
}}
Grade {{
 multiply {{1.5 1.2 1 1}}
 name Plain
}}
Grade {{
 multiply 0
 name Black
}}
Multiply {{
 value {{{{parent.Plain.multiply}}}}
 name Linked
}}
Grade {{
{STOP_KNOBS} nks_stops {{{{curve x1 -1 x12 0.5 x24 1}}}}
 nks_channel_stops {{0 0 0 0}}
 nks_drives multiply
 multiply {{{DRIVE % "r"} {DRIVE % "g"} {DRIVE % "b"} {{pow(2,nks_channel_stops.a)}}}}
 name Keyed
}}
Grade {{
{STOP_KNOBS} nks_stops 1
 nks_channel_stops {{0 0 0 0}}
 nks_drives multiply
 multiply 3
 name Unlinked
}}
"""


@pytest.fixture
def comp(tmp_path: Path) -> Path:
    path = tmp_path / "rows.nk"
    path.write_text(SCRIPT)
    return path


@pytest.fixture
def panel(qtbot: Any, comp: Path) -> Any:
    return shown_on(qtbot, comp)


def _flags(panel: Any, row: int) -> Any:
    return panel.model.flags(panel.model.index(row, STOPS_COLUMN))


def _tooltip(panel: Any, row: int) -> str:
    return str(panel.model.data(panel.model.index(row, 0), Qt.ItemDataRole.ToolTipRole))


def test_an_animated_row_shows_its_value_at_the_frame_its_keys_and_range(panel: Any) -> None:
    row = row_of(panel, "Keyed", "multiply")
    assert cells(panel, "stops")[row] == "+0.50 @12 \u00b7 3 keys, -1..+1"
    assert cells(panel, "linear")[row] == "1.414 1.414 1.414 1"
    assert cells(panel, "state")[row] == "animated"


@pytest.mark.parametrize(
    ("node", "knob", "why"),
    [
        ("Black", "multiply", "channel r is 0: exposure of zero intensity is undefined"),
        ("Linked", "value", "parent.Plain.multiply"),
        ("Unlinked", "multiply", "multiply no longer follows the stop knobs"),
    ],
)
def test_rows_that_cannot_be_written_are_read_only_and_say_why(
    panel: Any, node: str, knob: str, why: str
) -> None:
    row = row_of(panel, node, knob)
    assert not _flags(panel, row) & Qt.ItemFlag.ItemIsEditable
    assert why in _tooltip(panel, row)
    assert why in cells(panel, "state")[row]
    assert _tooltip(panel, row).startswith("read only: ")


def test_a_writable_row_is_editable(panel: Any) -> None:
    assert _flags(panel, row_of(panel, "Plain", "multiply")) & Qt.ItemFlag.ItemIsEditable


def test_typing_into_a_row_of_no_exposure_writes_nothing(panel: Any, comp: Path) -> None:
    """A multiply of 0 has no stops: +1 must not write {2 2 2 0}."""
    row = row_of(panel, "Black", "multiply")
    assert panel.edit_stops(row, "+1") is False
    assert not panel.source.modified
    assert cells(panel, "state")[row].startswith("refused: Black.multiply: not expressible")


def test_zero_stops_is_a_value_the_row_stays_where_it_was(panel: Any, comp: Path) -> None:
    order = list(zip(cells(panel, "node"), cells(panel, "knob")))
    row = row_of(panel, "Plain", "multiply")
    assert panel.edit_stops(row, "0") is True
    assert list(zip(cells(panel, "node"), cells(panel, "knob"))) == order
    assert cells(panel, "stops")[row] == "0"
    assert cells(panel, "linear")[row] == "1"  # at its default, every channel
    panel.save()
    rendered = render_script(comp.read_text(), [("Plain", "multiply")], [12.0])
    assert same(list(rendered[("Plain", "multiply")][12.0]), [1, 1, 1, 1])


def test_a_linear_zero_is_refused_with_the_reason(panel: Any) -> None:
    row = row_of(panel, "Plain", "multiply")
    assert panel.edit_stops(row, "x0") is False
    assert "exposure of zero intensity is undefined" in cells(panel, "state")[row]
    assert not panel.source.modified


def test_long_text_loses_its_middle_not_its_end(panel: Any) -> None:
    assert panel.table.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert COLUMNS[-1] == "state"
