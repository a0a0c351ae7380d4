"""The Exposure panel standalone on a .nk file: real widgets, offscreen.

Runs under PySide6 here and under PySide2 5.15 in .venv-qt5 (make test).
What an edit wrote is evaluated by the stand-in's own script reader and
expression evaluator (render_script), not by the product.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, List, Tuple

import pytest
from conftest import LEGACY, cli, click, highlight, render_script, same

pytest.importorskip("pytestqt", reason="the panel's tests need pytest-qt (pip install -e .[dev])")

from nuke_plugin.nkfile.files import FileError  # noqa: E402
from nuke_plugin.nkfile.script import NkSyntaxError  # noqa: E402
from nuke_plugin.panel import open_file  # noqa: E402
from nuke_plugin.panel.model import BATCH, COLUMNS, STOPS_COLUMN  # noqa: E402
from nuke_plugin.panel.qt import Qt, QtWidgets  # noqa: E402

COMP = """Root {
 inputs 0
 frame 5
}
Grade {
 multiply {1.5 1.2 1 0.5}
 name Warm
 selected true
}
Grade {
 multiply {{curve x1 1 x10 4}}
 name Flicker
}
Multiply {
 value {{parent.Warm.multiply}}
 name Linked
}
"""


@pytest.fixture
def comp(tmp_path: Path) -> Path:
    path = tmp_path / "comp.nk"
    path.write_text(COMP)
    return path


@pytest.fixture
def panel(qtbot: Any, comp: Path) -> Any:
    widget = open_file(comp)
    qtbot.addWidget(widget)
    widget.resize(900, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cells(widget: Any, column: str) -> List[str]:
    model = widget.model
    model.fetch_all()
    return [model.data(model.index(i, COLUMNS.index(column))) for i in range(model.rowCount())]


def row_of(widget: Any, node: str, knob: str) -> int:
    rows = list(zip(cells(widget, "node"), cells(widget, "knob")))
    return rows.index((node, knob))


def rendered(path: Path, node: str, knob: str, frame: float = 5.0) -> List[float]:
    result = render_script(path.read_text(), [(node, knob)], [frame])
    return list(result[(node, knob)][frame])


def test_rows_are_exactly_the_knobs_scan_lists(qtbot: Any) -> None:
    widget = open_file(LEGACY)
    qtbot.addWidget(widget)
    scanned = json.loads(cli("scan", "--json", str(LEGACY)).stdout)
    wanted: List[Tuple[str, str]] = [(f["node"], f["knob"]) for f in scanned]
    assert list(zip(cells(widget, "node"), cells(widget, "knob"))) == wanted
    assert "stops" in widget.model.headerData(STOPS_COLUMN, Qt.Orientation.Horizontal)
    assert cells(widget, "stops")[0] == "+0.58 +0.26 0 0"


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("+1", [2, 2, 2]),
        ("+1 1/3", [2 ** (4 / 3)] * 3),
        ("-0.5", [2**-0.5] * 3),
        ("x2", [2, 2, 2]),
        ("-\u00bd", [2**-0.5] * 3),
        ("1 0 -1", [2, 1, 0.5]),
        ("1, -1/3, x4", [2, 2 ** (-1 / 3), 4]),
    ],
)
def test_typing_stops_sets_red_green_blue_and_leaves_alpha(
    panel: Any, comp: Path, text: str, wanted: List[float]
) -> None:
    assert panel.edit_stops(row_of(panel, "Warm", "multiply"), text) is True
    panel.save()
    assert same(rendered(comp, "Warm", "multiply"), [*wanted, 0.5])


def test_typing_into_the_cell_of_the_real_view(panel: Any, qtbot: Any, comp: Path) -> None:
    index = panel.model.index(row_of(panel, "Warm", "multiply"), STOPS_COLUMN)
    panel.table.setCurrentIndex(index)
    panel.table.edit(index)
    editor = panel.table.viewport().findChild(QtWidgets.QLineEdit)
    assert editor is not None, "no editor opened on the stops cell"
    editor.selectAll()
    qtbot.keyClicks(editor, "-1")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # the delegate commits on Return through a queued call: let Qt run it
    qtbot.waitUntil(lambda: panel.table.state() != panel.table.State.EditingState)
    assert (
        cells(panel, "stops")[row_of(panel, "Warm", "multiply")] == "-1"
    )  # alpha was 0.5 already: all four read -1
    panel.save()
    assert same(rendered(comp, "Warm", "multiply"), [0.5, 0.5, 0.5, 0.5])


def test_bad_text_shows_the_reason_in_the_row_and_changes_nothing(panel: Any, comp: Path) -> None:
    row = row_of(panel, "Warm", "multiply")
    assert panel.edit_stops(row, "two stops") is False
    state = cells(panel, "state")[row]
    assert state.startswith("refused: Warm.multiply: cannot read 'two stops' as stops")
    assert panel.source.modified is False
    assert "cannot read" in panel.status.text()
    assert panel.edit_stops(row, "1 2") is False  # two values: neither one nor r g b
    refused = panel.edit_stops(row_of(panel, "Linked", "value"), "+1")
    assert refused is False
    assert "driven by the expression" in cells(panel, "state")[row_of(panel, "Linked", "value")]
    assert comp.read_text() == COMP


def test_an_animated_knob_is_keyed_at_the_scripts_frame(panel: Any, comp: Path) -> None:
    alpha_before = rendered(comp, "Flicker", "multiply", 5)[3]
    assert panel.edit_stops(row_of(panel, "Flicker", "multiply"), "+2")
    panel.save()
    assert same(rendered(comp, "Flicker", "multiply", 5), [4, 4, 4, alpha_before])
    assert same(rendered(comp, "Flicker", "multiply", 1), [1, 1, 1, 1])  # other keys kept
    assert same(rendered(comp, "Flicker", "multiply", 10), [4, 4, 4, 4])


def test_nudge_buttons_and_the_step_act_on_highlighted_rows(
    panel: Any, qtbot: Any, comp: Path
) -> None:
    highlight(panel, row_of(panel, "Warm", "multiply"))
    click(qtbot, panel, "+1")
    click(qtbot, panel, "\u2212\u2153")  # −⅓
    panel.step.setCurrentIndex(panel.step.findText("\u00bd stop"))
    click(qtbot, panel, "+ step")
    panel.save()
    # 1.5 * 2 * 2**(-1/3) * 2**(1/2), alpha untouched
    factor = 2 * 2 ** (-1 / 3) * 2**0.5
    assert same(rendered(comp, "Warm", "multiply"), [1.5 * factor, 1.2 * factor, factor, 0.5])


def test_actions_without_highlighted_rows_say_so(panel: Any, qtbot: Any) -> None:
    click(qtbot, panel, "+1")
    assert "highlight the rows" in panel.status.text()
    assert panel.source.modified is False


def test_add_stop_knobs_and_convert_turn_rows_into_stop_knob_rows(
    panel: Any, qtbot: Any, comp: Path
) -> None:
    highlight(panel, row_of(panel, "Warm", "multiply"))
    click(qtbot, panel, "Convert legacy multiply")
    assert ("Warm", "nks_channel_stops") in zip(cells(panel, "node"), cells(panel, "knob"))
    assert "1 node(s) changed" in panel.status.text()
    highlight(panel, row_of(panel, "Warm", "nks_stops"))
    assert panel.edit_stops(row_of(panel, "Warm", "nks_stops"), "+1")
    panel.save()
    # offsets log2(1.5), log2(1.2), 0 from the conversion, +1 on top; alpha kept
    assert same(rendered(comp, "Warm", "multiply"), [3, 2.4, 2, 0.5])


def test_the_filter_and_the_selection_toggle(panel: Any) -> None:
    panel.filter.setText("flick")
    assert cells(panel, "node") == ["Flicker"]
    panel.filter.setText("VALUE")  # knob names too, any case
    assert cells(panel, "knob") == ["value"]
    panel.filter.setText("")
    panel.selected_only.setChecked(True)
    assert cells(panel, "node") == ["Warm"]


def test_save_changes_only_the_edited_knob_and_keeps_a_backup(panel: Any, comp: Path) -> None:
    panel.edit_stops(row_of(panel, "Warm", "multiply"), "+1")
    assert panel.windowTitle().endswith("comp.nk *")
    assert panel.save() == "saved comp.nk (as it was: comp.nk.bak)"
    assert comp.read_text() == COMP.replace("{1.5 1.2 1 0.5}", "{2 2 2 0.5}")
    assert comp.with_name("comp.nk.bak").read_text() == COMP
    assert not panel.windowTitle().endswith("*")


def test_save_refuses_a_file_someone_saved_meanwhile(panel: Any, comp: Path) -> None:
    panel.edit_stops(row_of(panel, "Warm", "multiply"), "+1")
    comp.write_text(COMP + "# saved by someone else\n")
    with pytest.raises(FileError, match="not saved: it was saved since it was read"):
        panel.save()
    assert comp.read_text().endswith("# saved by someone else\n")
    other = comp.with_name("mine.nk")
    assert panel.save(other) == "saved mine.nk"
    assert "{2 2 2 0.5}" in other.read_text()


def test_a_script_that_does_not_parse_makes_no_panel(tmp_path: Path, qtbot: Any) -> None:
    broken = tmp_path / "broken.nk"
    broken.write_text("Grade {\n multiply {1 2\n")
    with pytest.raises(NkSyntaxError, match="broken.nk"):
        open_file(broken)
    with pytest.raises(FileError, match="missing.nk"):
        open_file(tmp_path / "missing.nk")


def test_rows_are_read_lazily(tmp_path: Path, qtbot: Any, monkeypatch: Any) -> None:
    from nuke_plugin.panel import model

    nodes = 5 * BATCH
    big = tmp_path / "big.nk"
    big.write_text("".join(f"Grade {{\n multiply 2\n name G{i}\n}}\n" for i in range(nodes)))
    read: List[str] = []
    scan = model.scan_node  # type: ignore[attr-defined]

    def counted(node: Any) -> Any:
        read.append(node.path)
        return scan(node)

    monkeypatch.setattr(model, "scan_node", counted)
    widget = open_file(big)
    qtbot.addWidget(widget)
    assert widget.model.rowCount() == BATCH
    assert len(read) == BATCH
    assert widget.model.canFetchMore()
    read.clear()
    widget.filter.setText("G7")  # G7 and G70-G79: filtered before any knob is read
    widget.model.fetch_all()
    assert len(read) == widget.model.rowCount() == 11


def test_the_command_line_screenshot(tmp_path: Path) -> None:
    shutil.copy(LEGACY, tmp_path / "comp.nk")
    out = tmp_path / "panel.png"
    done = cli("panel", str(tmp_path / "comp.nk"), "--screenshot", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "comp.nk").read_bytes() == LEGACY.read_bytes()


def test_the_command_line_refuses_bad_input_in_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.nk"
    broken.write_text("Grade {\n multiply {1 2\n")
    done = cli("panel", str(broken), "--screenshot", str(tmp_path / "x.png"))
    assert done.returncode == 2
    assert len(done.stderr.decode().strip().splitlines()) == 1
    assert "broken.nk" in done.stderr.decode()
    assert not (tmp_path / "x.png").exists()
