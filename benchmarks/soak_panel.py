"""Soak: the Exposure panel through thousands of edits, nudges and refreshes.

    .venv/bin/python benchmarks/soak_panel.py [EDITS]        # default 3,000
    .venv-qt5/bin/python benchmarks/soak_panel.py            # under PySide2

What the panel extra's Qt pins rest on. Over a parsed 200-node script, it
types a value into a row's stops cell the way the view does (setData),
nudges highlighted rows, and refreshes, EDITS times in all. After every
step it reads the knob back from the script and checks that the cell shows
it and that it is what was asked (no drift); at the end it saves, reads the
file again and checks every node there. Exit status 1 on any mismatch. A binding that corrupts
reference counts aborts Python itself (PySide6 6.12.0: "Fatal Python
error: bool_dealloc" after about 500 edits), so a clean exit is the result.
Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from nuke_plugin.core.notation import format_stops  # noqa: E402
from nuke_plugin.panel import ExposureWidget, FileSource  # noqa: E402
from nuke_plugin.panel.model import COLUMNS, STOPS_COLUMN  # noqa: E402
from nuke_plugin.panel.qt import BINDING, QtCore, application  # noqa: E402

NODES = 200


def script() -> str:
    nodes = "".join(f"Grade {{\n multiply {{2 2 2 1}}\n name G{i}\n}}\n" for i in range(NODES))
    return "Root {\n inputs 0\n frame 1\n}\n" + nodes


def red_stops(source: FileSource, path: str) -> float:
    node = source.node(path)
    assert node is not None
    values = node.read("multiply")
    assert values is not None
    return math.log2(float(values[0]))  # type: ignore[arg-type]


def main(edits: int) -> int:
    folder = Path(tempfile.mkdtemp())
    comp = folder / "soak.nk"
    comp.write_text(script())
    application()
    source = FileSource(comp)
    panel = ExposureWidget(source)
    panel.resize(900, 500)
    panel.show()
    model = panel.model
    model.fetch_all()
    rows = model.rowCount()
    expected = {model.paths([r])[0]: 1.0 for r in range(rows)}  # multiply 2: +1 stop
    node_column = COLUMNS.index("node")
    start = time.perf_counter()
    for step in range(edits):
        row = (step * 37) % rows
        path = model.paths([row])[0]
        if step % 10 == 9:  # a nudge of the highlighted row
            panel.table.selectRow(row)
            panel.nudge(Fraction(1, 3))
            expected[path] += 1 / 3
        elif step % 50 == 49:
            panel.refresh()
            model.fetch_all()
        else:
            # +1/3 to +4: never 0, where a Grade's multiply is its default and
            # its row leaves the list (scan's rows are the panel's)
            stops = ((step * 7) % 12 + 1) / 3
            if not model.setData(model.index(row, STOPS_COLUMN), format_stops(stops)):
                print(f"step {step}: typing {format_stops(stops)} into {path} was refused")
                return 1
            expected[path] = stops
        QtCore.QCoreApplication.processEvents()
        got = red_stops(source, path)
        shown = model.data(model.index(row, STOPS_COLUMN))
        if abs(got - expected[path]) > 1e-9 or model.data(model.index(row, node_column)) != path:
            print(f"step {step}: {path} holds {got} stops, not {expected[path]}")
            return 1
        if not str(shown).startswith(format_stops(got).split()[0]):
            print(f"step {step}: the row of {path} shows {shown!r} for {got} stops")
            return 1
    seconds = time.perf_counter() - start
    panel.save()
    saved = FileSource(comp)  # the file as written, read again
    drift = max(abs(red_stops(saved, p) - s) for p, s in expected.items())
    print(
        f"{BINDING} {QtCore.qVersion()}, Python {sys.version.split()[0]}: {edits:,} edits, "
        f"nudges and refreshes in {seconds:.1f} s, no crash, largest drift {drift:.1e} stop"
    )
    return 0 if drift < 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000))
