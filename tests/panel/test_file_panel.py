"""The Exposure panel standalone on a .nk file: real widgets, offscreen.

Runs under PySide6 here and under PySide2 5.15 in .venv-qt5 (make test).
What an edit wrote is evaluated by the stand-in's own script reader and
expression evaluator (render_script), not by the product.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, List, Tuple

import pytest

from support.commandline import SETPRIV, cli, leftovers, without_module
from support.panel import cells, click, highlight, row_of, rows, shown_on
from support.paths import LEGACY, ROOT
from support.render import render_script, same

pytest.importorskip("pytestqt", reason="the panel's tests need pytest-qt (pip install -e .[dev])")

from nuke_plugin.files.reading import FileError  # noqa: E402
from nuke_plugin.nkfile.tokens import NkSyntaxError  # noqa: E402
from nuke_plugin.panel import open_file  # noqa: E402
from nuke_plugin.panel.model import BATCH, STOPS_COLUMN  # noqa: E402
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
    return shown_on(qtbot, comp)


def rendered(path: Path, node: str, knob: str, frame: float = 5.0) -> List[float]:
    result = render_script(path.read_text(), [(node, knob)], [frame])
    return list(result[(node, knob)][frame])


@pytest.mark.slow
def test_rows_are_exactly_the_knobs_scan_lists(qtbot: Any) -> None:
    """A script without stop knobs: one row per knob scan lists."""
    widget = open_file(LEGACY)
    qtbot.addWidget(widget)
    scanned = json.loads(cli("scan", "--json", str(LEGACY)).stdout)
    wanted: List[Tuple[str, str]] = [(f["node"], f["knob"]) for f in scanned]
    assert list(zip(cells(widget, "node"), cells(widget, "knob"))) == wanted
    assert "stops" in widget.model.headerData(STOPS_COLUMN, Qt.Orientation.Horizontal)
    assert cells(widget, "stops")[0] == "r +0.58 g +0.26 b 0"


@pytest.mark.slow
def test_a_converted_node_is_one_row_with_its_total_stops(qtbot: Any, tmp_path: Path) -> None:
    """After convert: one row per node, the knob the stop knobs drive, its
    stops the master plus each channel's offset, its linear the multiplier;
    the stop knobs are in the tooltip, not rows of their own."""
    converted = tmp_path / "converted.nk"
    assert cli("convert", str(LEGACY), "-o", str(converted)).returncode == 0
    widget = open_file(converted)
    qtbot.addWidget(widget)
    shown = rows(widget)
    assert [(r[0], r[2]) for r in shown] == [
        ("Grade_warm", "multiply"),
        ("Multiply_plus1", "value"),
        ("Grade_flicker_fix", "multiply"),
        ("Multiply_linked", "value"),
        ("Multiply_black", "value"),
        ("Group_match.Grade_inside", "multiply"),
        ("Group_match.Grade_inside", "white"),
    ]
    warm = shown[0]
    assert (warm[3], warm[4]) == ("1.5 1.2 1 1", "r +0.58 g +0.26 b 0")
    plus1 = row_of(widget, "Multiply_plus1", "value")
    assert cells(widget, "stops")[plus1] == "+1 a +1"  # alpha by its own offset
    tip = widget.model.data(widget.model.index(plus1, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip == "stops +1, per channel 0 0 0 +1; drives value"
    # typing sets the exposure: master 2, offsets 0; Nuke's reader agrees
    assert widget.edit_stops(plus1, "+2")
    assert cells(widget, "stops")[plus1] == "+2 a +1"
    widget.save()
    assert same(rendered(converted, "Multiply_plus1", "value", 1001), [4, 4, 4, 2])


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
    # alpha was 0.5 already: all four read -1, alpha shown on its own
    assert cells(panel, "stops")[row_of(panel, "Warm", "multiply")] == "-1 a -1"
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


def test_a_400_digit_value_is_refused_in_its_row(panel: Any, comp: Path) -> None:
    row = row_of(panel, "Warm", "multiply")
    assert panel.edit_stops(row, "9" * 400) is False
    assert "too large" in panel.status.text()
    assert not panel.source.modified
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
    row = row_of(panel, "Warm", "multiply")
    highlight(panel, row)
    click(qtbot, panel, "Convert legacy multiply")
    assert "1 node(s) changed" in panel.status.text()
    assert row_of(panel, "Warm", "multiply") == row  # the same row, now its stop knobs
    assert cells(panel, "state")[row] == "stop knob (nuke-stops)"
    assert cells(panel, "stops")[row] == "r +0.58 g +0.26 b 0 a -1"
    assert panel.edit_stops(row, "+1 1.263 1")  # r g b totals; the master stays
    panel.save()
    assert same(rendered(comp, "Warm", "multiply"), [2, 2**1.263, 2, 0.5])


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
    assert "comp.nk * \u00b7 frame 5" in panel.windowTitle()
    assert panel.save() == "saved comp.nk (as it was: comp.nk.bak)"
    assert comp.read_text() == COMP.replace("{1.5 1.2 1 0.5}", "{2 2 2 0.5}")
    assert comp.with_name("comp.nk.bak").read_text() == COMP
    assert "comp.nk \u00b7 frame 5" in panel.windowTitle()


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
    listed = model.exposures  # type: ignore[attr-defined]

    def counted(node: Any, *args: Any) -> Any:
        read.append(node.path)
        return listed(node, *args)

    monkeypatch.setattr(model, "exposures", counted)
    widget = open_file(big)
    qtbot.addWidget(widget)
    assert widget.model.rowCount() == BATCH
    assert len(read) == BATCH
    assert widget.model.canFetchMore()
    read.clear()
    widget.filter.setText("G7")  # G7 and G70-G79: filtered before any knob is read
    widget.model.fetch_all()
    assert len(read) == widget.model.rowCount() == 11


@pytest.mark.slow
def test_the_command_line_screenshot(tmp_path: Path) -> None:
    shutil.copy(LEGACY, tmp_path / "comp.nk")
    out = tmp_path / "panel.png"
    done = cli("panel", str(tmp_path / "comp.nk"), "--screenshot", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "comp.nk").read_bytes() == LEGACY.read_bytes()


@pytest.mark.slow
def test_the_command_line_refuses_bad_input_in_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.nk"
    broken.write_text("Grade {\n multiply {1 2\n")
    done = cli("panel", str(broken), "--screenshot", str(tmp_path / "x.png"))
    assert done.returncode == 2
    assert len(done.stderr.decode().strip().splitlines()) == 1
    assert "broken.nk" in done.stderr.decode()
    assert not (tmp_path / "x.png").exists()


# -- Save that never loses an edit or a colleague's file (issue 15, cases 5-7) ------


def test_save_refuses_a_latest_link_pointed_at_another_version(qtbot: Any, tmp_path: Path) -> None:
    first, second = tmp_path / "v001.nk", tmp_path / "v002.nk"
    first.write_text(COMP)
    second.write_text(COMP + "# v002, a colleague's\n")
    latest = tmp_path / "latest.nk"
    latest.symlink_to("v001.nk")
    widget = open_file(latest)
    qtbot.addWidget(widget)
    widget.edit_stops(row_of(widget, "Warm", "multiply"), "+1")
    latest.unlink()
    latest.symlink_to("v002.nk")  # re-pointed after the panel opened it
    with pytest.raises(FileError) as refused:
        widget.save()
    assert str(refused.value) == (
        f"{latest}: not saved: it now leads to {second}, not to {first} that was read "
        "(save to another file)"
    )
    assert second.read_text() == COMP + "# v002, a colleague's\n"
    assert first.read_text() == COMP
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.nk", "v001.nk", "v002.nk"]
    assert widget.source.modified
    assert str(refused.value) in widget.status.text()


def test_save_through_an_unchanged_link_names_the_file_and_its_backup(
    qtbot: Any, tmp_path: Path
) -> None:
    (tmp_path / "v001.nk").write_text(COMP)
    (tmp_path / "latest.nk").symlink_to("v001.nk")
    widget = open_file(tmp_path / "latest.nk")
    qtbot.addWidget(widget)
    widget.edit_stops(row_of(widget, "Warm", "multiply"), "+1")
    assert (
        widget.save() == "saved latest.nk (the file it leads to, v001.nk) (as it was: v001.nk.bak)"
    )
    assert (tmp_path / "latest.nk").is_symlink()
    assert (tmp_path / "v001.nk.bak").read_text() == COMP


@pytest.mark.parametrize("where", ["missing folder", "link", "read-only"])
def test_save_refuses_in_one_line_and_keeps_the_edits(
    panel: Any, comp: Path, tmp_path: Path, where: str
) -> None:
    panel.edit_stops(row_of(panel, "Warm", "multiply"), "+1")
    target = None
    if where == "missing folder":
        target, message = tmp_path / "gone" / "comp.nk", "the folder"
    elif where == "link":
        victim = tmp_path / "victim.nk"
        victim.write_text("precious")
        target = tmp_path / "out.nk"
        target.symlink_to(victim)
        message = "is a symbolic link: give the file it points to"
    else:
        comp.chmod(0o444)
        message = "is read-only (mode 0444): not replaced"
    with pytest.raises(FileError) as refused:
        panel.save(target)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)
    assert panel.source.modified
    if where == "link":
        assert victim.read_text() == "precious"
    if where == "read-only":
        assert comp.read_text() == COMP


@pytest.mark.slow
def test_the_check_and_the_write_are_under_the_folder_lock(
    qtbot: Any, panel: Any, comp: Path
) -> None:
    """Another nuke-stops run holds the folder: Save waits for it, and then
    sees the file that run wrote, and refuses, instead of checking first
    and overwriting it afterwards."""
    import fcntl
    import threading

    panel.edit_stops(row_of(panel, "Warm", "multiply"), "+1")
    holder = os.open(comp.parent, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    outcome: List[str] = []

    def save() -> None:
        try:
            outcome.append(panel.source.save())
        except FileError as error:
            outcome.append(str(error))

    saving = threading.Thread(target=save)
    saving.start()
    saving.join(1.0)
    assert saving.is_alive(), "Save did not wait for the lock"
    comp.write_text(COMP + "# written by the other run\n")
    os.close(holder)  # releases the lock
    saving.join(30)
    assert outcome
    assert "not saved: it was saved since it was read" in outcome[0]
    assert comp.read_text().endswith("# written by the other run\n")


_CLOSE_IN_A_READ_ONLY_FOLDER = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from nuke_plugin.panel import open_file
from nuke_plugin.panel.qt import QtWidgets, application
app = application()
said = []
answer = QtWidgets.QMessageBox.StandardButton.Save
QtWidgets.QMessageBox.question = staticmethod(lambda *a, **k: answer)
QtWidgets.QMessageBox.warning = staticmethod(lambda parent, title, text, *a: said.append(text))
panel = open_file(sys.argv[1])
panel.ask_before_closing = True
panel.show()
app.processEvents()
panel.edit_stops(0, "+1")
save = [b for b in panel.findChildren(QtWidgets.QPushButton) if b.text() == "Save"][0]
save.click()                      # the Save button: a reason, no traceback
status = panel.status.text()
closed = panel.close()            # the window asks, "Save" is answered, the save fails
print(json.dumps({"status": status, "closed": closed, "visible": panel.isVisible(),
                  "modified": panel.source.modified, "said": said}))
"""


@pytest.mark.slow
@pytest.mark.skipif(
    SETPRIV is None and os.geteuid() == 0, reason="needs setpriv to drop root's file rights"
)
def test_a_failed_save_keeps_the_window_the_edits_and_says_why(tmp_path: Path) -> None:
    folder = tmp_path / "shot"
    folder.mkdir()
    comp = folder / "comp.nk"
    shutil.copyfile(LEGACY, comp)
    os.chmod(folder, 0o555)  # the folder cannot be written in
    command = [sys.executable, "-c", _CLOSE_IN_A_READ_ONLY_FOLDER, str(comp)]
    if os.geteuid() == 0:
        assert SETPRIV is not None
        command = [SETPRIV, "--bounding-set", "-dac_override,-dac_read_search,-fowner", *command]
    try:
        done = subprocess.run(command, capture_output=True, timeout=120, cwd=ROOT)
    finally:
        os.chmod(folder, 0o755)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    result = json.loads(done.stdout.decode().strip().splitlines()[-1])
    reason = f"{comp}: not saved: cannot write in {folder}: permission denied"
    assert result == {
        "status": reason,
        "closed": False,
        "visible": True,
        "modified": True,
        "said": [reason],
    }
    assert comp.read_bytes() == LEGACY.read_bytes()


# -- screenshots (case 9) -------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("folder", "is a folder: give a file name"),
        ("shot.gif", "a screenshot is a .png, .jpg or .jpeg file"),
        ("gone/shot.png", "the folder"),
    ],
)
def test_a_screenshot_that_cannot_be_written_is_one_line(
    tmp_path: Path, name: str, message: str
) -> None:
    (tmp_path / "folder").mkdir()
    done = cli("panel", str(LEGACY), "--screenshot", str(tmp_path / name))
    lines = done.stderr.decode().strip().splitlines()
    assert done.returncode == 2
    assert len(lines) == 1, lines
    assert message in lines[0]
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "shot.gif").exists()


@pytest.mark.slow
def test_a_screenshot_on_a_full_disk_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    out.write_bytes(b"an older picture")
    done = cli("panel", str(LEGACY), "--screenshot", str(out), limit=1000)
    assert done.returncode == 2
    assert done.stderr.decode().strip().splitlines() == [
        f"nuke-stops: error: {out}: cannot write: file too large"
    ]
    assert out.read_bytes() == b"an older picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shot.png"]


@pytest.mark.slow
def test_a_jpg_screenshot_is_a_jpeg_and_a_replaced_picture_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "shot.jpg"
    done = cli("panel", str(LEGACY), "--screenshot", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:3] == b"\xff\xd8\xff"  # JPEG, not PNG bytes in a .jpg
    first = out.read_bytes()
    done = cli("panel", str(LEGACY), "--screenshot", str(out))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "shot.jpg.bak").read_bytes() == first
    assert b"(the picture it replaced: shot.jpg.bak)" in done.stdout


@pytest.mark.slow
def test_a_planted_link_at_the_screenshot_temporary_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    for name in (".shot.png.nuke-stops.tmp.png", ".shot.png.nuke-stops.tmp"):
        (tmp_path / name).symlink_to(victim)
    done = cli("panel", str(LEGACY), "--screenshot", "shot.png", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == "precious"
    shot = tmp_path / "shot.png"
    assert not shot.is_symlink()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_without_qt_the_panel_names_its_extra(tmp_path: Path) -> None:
    done = cli(
        "panel",
        str(LEGACY),
        "--screenshot",
        str(tmp_path / "x.png"),
        env=without_module(tmp_path, "PySide6", "PySide2"),
    )
    assert done.returncode == 2
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1
    assert lines[0] == (
        "nuke-stops: error: nuke-stops panel needs PySide6 (PySide2 on Python 3.7): "
        "pip install 'nuke-stops[panel]'"
    )


NO_QT_SCRIPT = """
import sys
from fractions import Fraction
from pathlib import Path
import nuke_plugin.panel
from nuke_plugin.panel.source import Source
from nuke_plugin.panel.file_source import FileSource
source: Source = FileSource(Path(sys.argv[1]))
[outcome] = source.nudge(["Warm"], Fraction(1))
print(outcome.status.value, source.modified)
try:
    nuke_plugin.panel.ExposureWidget
except ImportError as error:
    print("widget:", error)
print(sorted(m for m in sys.modules if m.startswith(("PySide", "shiboken"))))
"""


@pytest.mark.slow
def test_the_panel_sources_work_where_no_qt_is_installed(tmp_path: Path, comp: Path) -> None:
    """What a panel works on (source, file_source) is plain Python: only the
    widget needs a binding, and nothing loads one before it is asked for."""
    done = subprocess.run(
        [sys.executable, "-c", NO_QT_SCRIPT, str(comp)],
        env={**os.environ, **without_module(tmp_path, "PySide6", "PySide2")},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    status, widget, loaded = done.stdout.splitlines()
    assert status == "nudged True"
    assert widget == "widget: No module named 'PySide2'"  # the widget alone needs Qt
    assert loaded == "[]"
