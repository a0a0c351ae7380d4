"""The Exposure panel: what an artist does with the mouse."""

from __future__ import annotations

from typing import Any, List


def highlight(panel: Any, *rows: int) -> None:
    """Highlight exactly these rows of the panel's table."""
    selection = panel.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            panel.model.index(row, 0),
            selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
        )


def click(qtbot: Any, panel: Any, text: str) -> None:
    """Click the panel's one button that reads ``text``."""
    from nuke_plugin.panel.qt import Qt, QtWidgets

    buttons = [b for b in panel.findChildren(QtWidgets.QPushButton) if b.text() == text]
    assert len(buttons) == 1, f"no single button {text!r}"
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)


def rows(panel: Any) -> List[List[str]]:
    """Every row of the panel's table, every column, as shown."""
    model = panel.model
    model.fetch_all()
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def cells(panel: Any, column: str) -> List[str]:
    """One column of the panel's table, top to bottom."""
    from nuke_plugin.panel.model import COLUMNS

    return [row[COLUMNS.index(column)] for row in rows(panel)]


def row_of(panel: Any, node: str, knob: str) -> int:
    """The row showing this node's knob."""
    return list(zip(cells(panel, "node"), cells(panel, "knob"))).index((node, knob))


def shown_on(qtbot: Any, path: Any, width: int = 900, height: int = 400) -> Any:
    """The standalone panel on a script file, shown offscreen at this size."""
    from nuke_plugin.panel import open_file

    widget = open_file(path)
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
