"""What refreshing the Exposure panel costs on a 5,000-node script.

    make bench        # or: .venv/bin/python benchmarks/bench_panel.py

The panel's refresh (list the nodes, read the first batch, let the view lay
out) against the naive rebuild done in the same run: read every node's
exposure knobs and fill a QStandardItemModel shown in the same kind of
view. Both read through the same source and scan code, so the difference is
the panel's laziness, not a faster reader. Goal: faster than the naive
rebuild and under 100 ms; issue 20: at least 10x faster. Two sources: a
parsed .nk file (the standalone panel) and the stand-in's live session (the
in-Nuke panel; the stand-in's knobs are Python, not Nuke's C++, so read its
ratio, not its times). Also: scrolling to the end (every row read), one
node's update, and what the gauge column costs: a refresh with every row
of the first batch in view (a window that tall), drawn with the gauge's
delegate and with Qt's plain one, interleaved (goal: under 10% more).
A fifth of the script's Grades have stop knobs (converted), and their
rows are one per node, as the panel lists them.
Medians of 9 rounds, offscreen (QT_QPA_PLATFORM=offscreen).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "standin"))

import nuke  # noqa: E402  (the stand-in)

from nuke_plugin.ops.exposures import exposures  # noqa: E402
from nuke_plugin.panel import ExposureWidget, FileSource  # noqa: E402
from nuke_plugin.panel.model import BATCH, COLUMNS, GAUGE_COLUMN  # noqa: E402
from nuke_plugin.panel.qt import BINDING, QtGui, QtWidgets, application  # noqa: E402
from nuke_plugin.panel.source import Source  # noqa: E402

ROUNDS = 9
NODES = 5000
STOP_KNOBS = (
    " addUserKnob {20 nks_exposure l Exposure}\n addUserKnob {7 nks_stops l stops}\n"
    ' addUserKnob {19 nks_channel_stops l "per channel"}\n addUserKnob {1 nks_drives +INVISIBLE}\n'
    " nks_channel_stops {0 0.2 -0.1 0}\n"
)
DRIVEN = (
    " multiply {{pow(2,nks_stops+nks_channel_stops.r)} {pow(2,nks_stops+nks_channel_stops.g)}"
    " {pow(2,nks_stops+nks_channel_stops.b)} {pow(2,nks_channel_stops.a)}}"
)


def script_text() -> str:
    """5,000 nodes: Grades (some keyed, some with three channels),
    Multiplys, ColorCorrects, EXPTools and nodes with no exposure, a tenth
    of them inside groups."""
    parts = ["Root {\n inputs 0\n frame 1001\n}\n"]
    for i in range(NODES):
        kind = i % 10
        if kind == 3:  # converted: stop knobs driving multiply
            body = STOP_KNOBS + f" nks_stops {i % 5 / 3}\n nks_drives multiply\n" + DRIVEN
        elif kind in (0, 1, 2):
            body = f" multiply {{{1 + i % 7 / 10} {1 + i % 5 / 10} 1 1}}"
        elif kind == 4:
            body = " multiply {{curve x1001 1 x1050 2}}"
        elif kind == 5:
            body = f" value {1 + i % 3}"
        elif kind == 6:
            body = " gain {1.2 1.1 1 1}"
        elif kind == 7:
            body = " mode Stops\n red 0.5"
        else:
            body = " size 4"
        node_class = ["Grade"] * 5 + ["Multiply", "ColorCorrect", "EXPTool", "Blur", "Blur"]
        parts.append(f"{node_class[kind]} {{\n{body}\n name N{i}\n}}\n")
        if i % 500 == 499:
            parts.append(f"Group {{\n name G{i}\n}}\nGrade {{\n multiply 2\n name In{i}\n}}\n")
            parts.append("end_group\n")
    return "".join(parts)


def naive(source: Source, view: QtWidgets.QTableView) -> int:
    """Read every knob and fill a QStandardItemModel: the reference."""
    model = QtGui.QStandardItemModel(0, len(COLUMNS), view)  # owned by the view
    model.setHorizontalHeaderLabels(list(COLUMNS))
    # setItem, not appendRow(list): PySide6 6.12's appendRow(list) drops a
    # reference to None per call until Python aborts (seen here).
    frame = source.frame()
    found = [e for node in source.nodes(False) for e in exposures(node, frame)]
    model.setRowCount(len(found))
    for row, e in enumerate(found):
        cells = (e.path, e.node_class, e.knob, e.linear_text, e.at_frame_text, "", str(e.state))
        for column, text in enumerate(cells):
            model.setItem(row, column, QtGui.QStandardItem(text))
    old = view.model()
    view.setModel(model)
    if old is not None:
        old.deleteLater()
    application().processEvents()
    return model.rowCount()


def timed(call: Callable[[], Any]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(name: str, source: Source) -> List[str]:
    app = application()
    widget = ExposureWidget(source)
    widget.resize(1000, 600)
    widget.show()
    app.processEvents()
    view = QtWidgets.QTableView()
    view.resize(1000, 600)
    view.show()

    def refresh() -> None:
        widget.refresh()
        app.processEvents()

    lazy = timed(refresh)
    shown = widget.model.rowCount()
    full = timed(lambda: naive(source, view))
    every = naive(source, view)

    def read_every_row() -> None:
        widget.refresh()
        widget.model.fetch_all()

    whole = timed(read_every_row)
    first = widget.model.row(0).path
    one = timed(lambda: widget.model.update_nodes([first]))
    gauge, plain = gauge_cost(widget)
    widget.close()
    view.close()
    return [
        f"{name}: refresh {lazy * 1000:.1f} ms ({shown} of {every} rows read), "
        f"naive rebuild {full * 1000:.1f} ms: {full / lazy:.1f}x faster (goal 10x)",
        f"{name}: every row read {whole * 1000:.1f} ms ({whole / full:.2f} of the naive rebuild); "
        f"one node updated {one * 1e6:.0f} us",
        f"{name}: refresh with {BATCH} rows in view drawn, with the gauge {gauge * 1000:.1f} ms, "
        f"without {plain * 1000:.1f} ms: {gauge / plain:.2f}x (goal under 1.10)",
    ]


def gauge_cost(widget: ExposureWidget) -> Tuple[float, float]:
    """A refresh drawn with every row of a batch in view, with the gauge's
    delegate and with Qt's plain one, in interleaved rounds, each first in
    half of them."""
    app = application()
    table = widget.table
    widget.resize(1000, table.verticalHeader().defaultSectionSize() * (BATCH + 8) + 200)
    app.processEvents()
    gauge_delegate = table.itemDelegateForColumn(GAUGE_COLUMN)
    plain_delegate = QtWidgets.QStyledItemDelegate(table)
    times: Dict[str, List[float]] = {"gauge": [], "plain": []}
    pair = [("gauge", gauge_delegate), ("plain", plain_delegate)]
    for number in range(2 * ROUNDS):  # ABBA: the first of a pair is slower, either one
        for kind, delegate in pair if number % 2 else pair[::-1]:
            table.setItemDelegateForColumn(GAUGE_COLUMN, delegate)
            start = time.perf_counter()
            widget.refresh()
            app.processEvents()
            table.viewport().repaint()
            times[kind].append(time.perf_counter() - start)
    table.setItemDelegateForColumn(GAUGE_COLUMN, gauge_delegate)
    return statistics.median(times["gauge"]), statistics.median(times["plain"])


def main() -> None:
    text = script_text()
    lines = [f"Exposure panel, {NODES} nodes, {BINDING}, medians of {ROUNDS}"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.nk"
        path.write_text(text)
        lines += measure("file", FileSource(path))
    nuke._reset()  # type: ignore[attr-defined]
    nuke.scriptReadText(text)
    from nuke_plugin.host.panel import LiveSource

    lines += measure("live (stand-in)", LiveSource())
    lines.append(idle_check())
    print("\n".join(lines))


def idle_check() -> str:
    """What following edits through updateUI would cost instead: Nuke calls
    it for every node at each idle pass, and a change check must read each
    exposure knob's text and compare it with what the panel last saw."""
    from nuke_plugin.registry import EXPOSURE_KNOBS

    nodes = [n for n in nuke.allNodes(recurseGroups=True) if n.Class() in EXPOSURE_KNOBS]
    seen: Dict[Tuple[str, str], str] = {}

    def idle_pass() -> None:
        for node in nodes:
            for name in EXPOSURE_KNOBS[node.Class()]:
                knob = node.knob(name)
                text = knob.toScript() if knob is not None else ""
                key = (node.fullName(), name)
                if seen.get(key) != text:
                    seen[key] = text

    idle_pass()
    per_pass = timed(idle_pass)
    return (
        f"an updateUI change check (stand-in): {per_pass * 1000:.1f} ms an idle pass over "
        f"{len(nodes)} nodes, {per_pass / len(nodes) * 1e6:.1f} us a node: not used"
    )


if __name__ == "__main__":
    main()
