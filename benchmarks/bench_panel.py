"""What refreshing the Exposure panel costs on a 5,000-node script.

    make bench        # or: .venv/bin/python benchmarks/bench_panel.py

The panel's refresh (list the nodes, read the first batch, let the view lay
out) against the naive rebuild done in the same run: read every node's
exposure knobs and fill a QStandardItemModel shown in the same kind of
view. Both read through the same source and scan code, so the difference is
the panel's laziness, not a faster reader. Goal: faster than the naive
rebuild and under 100 ms. Two sources: a parsed .nk file (the standalone
panel) and the stand-in's live session (the in-Nuke panel; the stand-in's
knobs are Python, not Nuke's C++, so read its ratio, not its times).
Also: scrolling to the end (every row read) and one node's update.
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

from nuke_plugin.ops.scan import scan_node  # noqa: E402
from nuke_plugin.panel import ExposureWidget, FileSource  # noqa: E402
from nuke_plugin.panel.model import COLUMNS  # noqa: E402
from nuke_plugin.panel.qt import BINDING, QtGui, QtWidgets, application  # noqa: E402
from nuke_plugin.panel.source import Source  # noqa: E402

ROUNDS = 9
NODES = 5000


def script_text() -> str:
    """5,000 nodes: Grades (some keyed, some with three channels),
    Multiplys, ColorCorrects, EXPTools and nodes with no exposure, a tenth
    of them inside groups."""
    parts = ["Root {\n inputs 0\n frame 1001\n}\n"]
    for i in range(NODES):
        kind = i % 10
        if kind in (0, 1, 2, 3):
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
    findings = [f for node in source.nodes(False) for f in scan_node(node)]
    model.setRowCount(len(findings))
    for row, f in enumerate(findings):
        cells = (f.path, f.node_class, f.knob, f.linear, f.stops, str(f.state))
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
    widget.close()
    view.close()
    return [
        f"{name}: refresh {lazy * 1000:.1f} ms ({shown} of {every} rows read), "
        f"naive rebuild {full * 1000:.1f} ms: {full / lazy:.1f}x faster",
        f"{name}: every row read {whole * 1000:.1f} ms ({whole / full:.2f} of the naive rebuild); "
        f"one node updated {one * 1e6:.0f} us",
    ]


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
