"""The Exposure panel: every exposure in the script, in stops, in one widget.

The same widget runs docked in Nuke (over the live session,
:mod:`nuke_plugin.host.panel`) and standalone over a .nk file
(:func:`nuke_plugin.panel.open_file`). It talks to nodes only through its
:class:`~nuke_plugin.panel.source.Source`.

Following the host: while shown it watches the source (Nuke's onCreate,
onDestroy and knobChanged callbacks, and the package's own commands), and
coalesces what it hears into one update when Qt is next idle; when hidden
(Nuke hides a closed tab rather than deleting it) it removes every callback,
and reads the script again when shown. When the pointer enters the panel
the rows in view are read again: that catches what no callback reports
(an undo, an edit in the curve editor) for the price of a screenful.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, List, Optional, Sequence, Set

from ..core.notation import format_stops
from ..files.reading import FileError
from ..ops.nudge import NUDGE_STEPS
from ..ops.outcome import Outcome
from ..registry import nudge_hotkeys
from .model import GAUGE_COLUMN, STATE_FILTERS, STOPS_COLUMN, STOPS_ROLE, ExposureModel
from .qt import QShortcut, Qt, QtCore, QtGui, QtWidgets
from .source import Source

__all__ = ["GAUGE_RANGE", "PICTURE_FORMATS", "ExposureWidget", "GaugeDelegate"]

#: The picture formats a screenshot is written in, by file suffix.
PICTURE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}

#: Above this many changed nodes at once (a script loaded, a big paste) a
#: full refresh is cheaper than updating node by node: on 5,000 nodes a
#: refresh takes about 22 ms and one node's update about 0.6 ms
#: (benchmarks/bench_panel.py).
REFRESH_FROM = 32
_VIEW = QtWidgets.QAbstractItemView
#: The gauge's scale: this many stops either side of 0 fill its half.
GAUGE_RANGE = 5.0
#: The gauge's colours: brighter than the plate (warm), darker (cool).
BRIGHTER = QtGui.QColor(230, 140, 40)
DARKER = QtGui.QColor(60, 120, 230)
#: How often the panel looks at Nuke's current frame while shown (ms).
FRAME_POLL_MS = 250
#: What each nudge hotkey does in the panel: so many stops, or (by step)
#: so many of the panel's chosen step.
_NUDGES = {
    "Nudge/+1 stop": (Fraction(1), False),
    "Nudge/-1 stop": (Fraction(-1), False),
    "Nudge/+1\u20443 stop": (Fraction(1, 3), False),
    "Nudge/-1\u20443 stop": (Fraction(-1, 3), False),
    "Nudge/Up by step": (Fraction(1), True),
    "Nudge/Down by step": (Fraction(-1), True),
}


class GaugeDelegate(QtWidgets.QStyledItemDelegate):
    """Draws a row's stops as a bar on a -5..+5 stop scale centred on 0:
    warm to the right for brighter, cool to the left for darker; three thin
    bars (red, green, blue, top to bottom) when the channels differ. A value
    beyond the scale fills its half."""

    def paint(
        self,
        painter: QtGui.QPainter,
        option: QtWidgets.QStyleOptionViewItem,
        index: Any,  # QModelIndex (or a persistent one)
    ) -> None:
        # Not the base class's paint: it asks the model for a dozen roles a
        # cell (each a call into Python); the gauge needs the selection and
        # one role (benchmarks/bench_panel.py).
        rect = option.rect  # type: ignore[attr-defined]
        if option.state & QtWidgets.QStyle.StateFlag.State_Selected:  # type: ignore[attr-defined]
            painter.fillRect(rect, option.palette.highlight())  # type: ignore[attr-defined]
        stops = index.data(STOPS_ROLE)
        if not stops or any(s is None for s in stops[:3]):
            return
        rgb = [float(s) for s in stops[:3]]
        box = rect.adjusted(3, 3, -3, -3)
        half = box.width() // 2
        centre = box.left() + half
        painter.fillRect(
            QtCore.QRect(centre, box.top(), 1, box.height()), QtGui.QColor(150, 150, 150)
        )
        bars = [rgb[0]] if max(rgb) - min(rgb) < 1e-9 else rgb
        height = max(1, box.height() // len(bars))
        for number, value in enumerate(bars):
            length = bar_length(value, half)
            left = centre + 1 if value > 0 else centre - length
            colour = BRIGHTER if value > 0 else DARKER
            top = box.top() + number * height
            painter.fillRect(QtCore.QRect(left, top, length, height - (len(bars) > 1)), colour)


def bar_length(stops: float, half: int) -> int:
    """The gauge bar's length in pixels for ``stops`` on a half of ``half``.

    >>> bar_length(1, 50), bar_length(-2, 50), bar_length(0, 50), bar_length(9, 50)
    (10, 20, 0, 50)
    """
    return int(round(min(abs(stops), GAUGE_RANGE) / GAUGE_RANGE * half))


def _step_text(step: Fraction) -> str:
    return {Fraction(1, 2): "\u00bd", Fraction(1, 3): "\u2153", Fraction(1, 4): "\u00bc"}.get(
        step, str(step)
    )


class ExposureWidget(QtWidgets.QWidget):
    """The panel over one source; see the module documentation."""

    def __init__(self, source: Source, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.source = source
        self.model = ExposureModel(source, self)
        self._changed_paths: Set[str] = set()
        self._everything = False
        self._update_due = False
        self._watching = False
        self._stale = False
        self.ask_before_closing = False  # standalone windows ask about unsaved edits
        self.setObjectName("nuke_stops.exposure_panel")
        # Deleted without being hidden first (its pane or Nuke went): the
        # source's callbacks must go too. The slot holds the source, not self.
        watched = self.source
        self.destroyed.connect(lambda *_: watched.unwatch())
        self._build()
        self.model.told.connect(self.status.setText)
        self.model.told.connect(lambda _: self._show_title())
        self.model.modelReset.connect(self._show_title)
        self.model.rowsInserted.connect(lambda *_: self._show_title())
        self._frame_shown = self.source.frame()
        self._frame_timer = QtCore.QTimer(self)
        self._frame_timer.setInterval(FRAME_POLL_MS)
        self._frame_timer.timeout.connect(self._follow_frame)
        self._show_title()
        self._say_listed()
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(GAUGE_COLUMN, 120)

    # -- layout ------------------------------------------------------------------

    def _build(self) -> None:
        self.filter = QtWidgets.QLineEdit()
        self.filter.setPlaceholderText("filter: node, class or knob")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.model.set_filter)
        self.selected_only = QtWidgets.QCheckBox("selected nodes only")
        self.selected_only.toggled.connect(self.model.set_selected_only)
        refresh = self._button("Refresh", self.refresh, "Read the script again")
        self.state_filter = QtWidgets.QComboBox()
        self.state_filter.addItems(list(STATE_FILTERS))
        self.state_filter.setToolTip("Show the rows of one kind of state")
        self.state_filter.currentTextChanged.connect(self.model.set_state_filter)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.state_filter)
        top.addWidget(self.selected_only)
        if self.source.frame_is_settable:  # a file: the artist picks the frame
            self.frame = QtWidgets.QSpinBox()
            self.frame.setRange(-1_000_000, 1_000_000)
            self.frame.setPrefix("frame ")
            self.frame.setValue(int(self.source.frame()))
            self.frame.setToolTip("The frame values are shown at and an edit keys")
            self.frame.valueChanged.connect(self.set_frame)
            top.addWidget(self.frame)
        top.addWidget(refresh)
        self.header = QtWidgets.QLabel("")

        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(_VIEW.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(_VIEW.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            _VIEW.EditTrigger.DoubleClicked
            | _VIEW.EditTrigger.EditKeyPressed
            | _VIEW.EditTrigger.AnyKeyPressed
        )
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.setItemDelegateForColumn(GAUGE_COLUMN, GaugeDelegate(self.table))
        # Sorting starts unsorted (script order) and reads every row only
        # when the artist asks for an order.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self._add_keys()
        # A long state or path loses its middle, not its end: the reason's
        # last words stay in view (the whole text is in the tooltip).
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)

        nudges = QtWidgets.QHBoxLayout()
        for step in (-1, Fraction(-1, 3), Fraction(1, 3), 1):
            text = format_stops(step).replace("-", "\u2212").replace("1/3", "\u2153")
            self._button(text, self._nudge_by(Fraction(step)), f"Nudge {text} stop", nudges)
        nudges.addSpacing(12)
        self.step = QtWidgets.QComboBox()
        for step in NUDGE_STEPS:
            self.step.addItem(f"{_step_text(step)} stop", step)
        self.step.setCurrentIndex(NUDGE_STEPS.index(Fraction(1, 3)))
        self.step.setToolTip("The step of the \u2212 step and + step buttons")
        nudges.addWidget(self.step)
        self._button("\u2212 step", lambda: self.nudge(-self.chosen_step()), "", nudges)
        self._button("+ step", lambda: self.nudge(self.chosen_step()), "", nudges)
        nudges.addStretch(1)

        actions = QtWidgets.QHBoxLayout()
        self._button(
            "Add stop knobs",
            self.add_stop_knobs,
            "Add the Exposure tab to the highlighted Grade/Multiply/ColorCorrect nodes",
            actions,
        )
        self._button(
            "Convert legacy multiply",
            self.convert_legacy,
            "Turn the highlighted nodes' multiply values into stop knobs",
            actions,
        )
        actions.addStretch(1)
        if self.source.can_save:
            self._button("Save", self._save_clicked, "Write the script (keeping .bak)", actions)
        self.status = QtWidgets.QLabel("")
        self.status.setWordWrap(True)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(nudges)
        layout.addLayout(actions)
        layout.addWidget(self.status)

    def _button(
        self,
        text: str,
        action: Callable[[], Any],
        tooltip: str,
        row: Optional[QtWidgets.QHBoxLayout] = None,
    ) -> QtWidgets.QPushButton:
        button = QtWidgets.QPushButton(text)
        button.setToolTip(tooltip)
        button.setAutoDefault(False)
        button.clicked.connect(lambda *_: action())
        if row is not None:
            row.addWidget(button)
        return button

    def _add_keys(self) -> None:
        """The Node Graph's nudge hotkeys (as the studio configured them)
        nudge the highlighted rows here too; Delete and Backspace do nothing
        (in Nuke they would reach the Node Graph and delete nodes)."""
        chosen, _ = nudge_hotkeys(os.environ.get("NUKE_STOPS_HOTKEYS", ""))
        self.shortcuts: List[QShortcut] = []
        for name, (amount, by_step) in _NUDGES.items():
            if chosen.get(name):
                nudge = self._nudge_by_chosen(amount) if by_step else self._nudge_by(amount)
                self._shortcut(chosen[name], nudge)
        for key in ("Delete", "Backspace"):
            self._shortcut(key, lambda: None)

    def _shortcut(self, key: str, action: Callable[[], None]) -> None:
        shortcut = QShortcut(QtGui.QKeySequence(key), self.table)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(action)
        self.shortcuts.append(shortcut)

    def _nudge_by_chosen(self, steps: Fraction) -> Callable[[], None]:
        return lambda: self.nudge(steps * self.chosen_step())

    def _show_title(self) -> None:
        """Where the artist is: the script, the frame, and how many
        exposures are shown (the header line; the window's title too)."""
        mark = " *" if self.source.modified else ""
        more = "+" if self.model.canFetchMore() else ""
        shown = f"{self.model.rowCount()}{more} exposure(s) shown"
        where = f"{self.source.title}{mark} \u00b7 frame {self.source.frame():g}"
        nodes = f"{self.model.nodes_listed} node(s) with exposure knobs"
        self.header.setText(f"{where} \u00b7 {shown} of {nodes}")
        self.setWindowTitle(f"Exposure (stops) \u2014 {where} \u2014 {shown}")

    def set_frame(self, frame: float) -> None:
        """Show the values at ``frame`` (a file: what the frame field does)."""
        self.source.set_frame(frame)
        self._frame_changed()

    def _frame_changed(self) -> None:
        self._frame_shown = self.source.frame()
        self.model.frame_changed()
        self._show_title()

    def _follow_frame(self) -> None:
        """Inside Nuke: the viewer's frame moved since the last look."""
        if self.source.frame() != self._frame_shown:
            self._frame_changed()

    # -- actions -----------------------------------------------------------------

    def refresh(self) -> None:
        """Read the script again (the filter and selection toggle stay)."""
        self.model.refresh()
        self._stale = False
        self._say_listed()

    def _say_listed(self) -> None:
        more = "so far; more as you scroll" if self.model.canFetchMore() else "in all"
        self.status.setText(f"{self.model.rowCount()} exposure(s) listed {more}")

    def save(self, path: Optional[Path] = None) -> str:
        """Write the script back (a file source); raises FileError, one line,
        and then the edits stay, unsaved."""
        try:
            done = self.source.save(path)
        except FileError as error:
            self.status.setText(str(error))
            raise
        self.status.setText(done)
        self._show_title()
        return done

    def _save_clicked(self) -> Optional[str]:
        """Save; the reason it failed (also shown under the buttons), or None."""
        try:
            self.save()
        except FileError as error:
            return str(error)
        return None

    def picture(self, form: str) -> bytes:
        """The panel as drawn, encoded in memory as ``form`` (a value of
        :data:`PICTURE_FORMATS`) and decoded again to check it; ValueError
        when Qt cannot encode it. Nothing is written here."""
        image = self.grab().toImage()
        buffer = QtCore.QBuffer()
        buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
        # The format is a str: PySide6 6.8 refuses the bytes its stubs ask for.
        if not image.save(buffer, form):  # type: ignore[call-overload]
            raise ValueError(f"this Qt cannot write {form} pictures")
        data = bytes(buffer.data().data())
        check = QtGui.QImage()
        if not check.loadFromData(data, form) or check.size() != image.size():  # type: ignore[arg-type]
            raise ValueError(f"the {form} picture Qt made does not read back")
        return data

    def highlighted(self) -> List[str]:
        """The nodes of the highlighted rows, in row order."""
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        return self.model.paths(rows)

    def chosen_step(self) -> Fraction:
        return Fraction(self.step.currentData())

    def _act(self, action: str, run: Callable[[List[str]], Sequence[Outcome]]) -> None:
        paths = self.highlighted()
        if not paths:
            self.status.setText(f"{action}: highlight the rows of the nodes to change first")
            return
        self.model.after_action(run(paths), action)
        self._show_title()

    def nudge(self, step: Fraction) -> None:
        """Nudge the highlighted rows' nodes by ``step`` stops (one undo step)."""
        text = f"Nudge {format_stops(step, abs(step))} stop"
        self._act(text, lambda paths: self.source.nudge(paths, step))

    def _nudge_by(self, step: Fraction) -> Callable[[], None]:
        return lambda: self.nudge(step)

    def add_stop_knobs(self) -> None:
        self._act("Add stop knobs", self.source.add_stop_knobs)

    def convert_legacy(self) -> None:
        self._act("Convert legacy multiply", self.source.convert_legacy)

    def edit_stops(self, row: int, text: str) -> bool:
        """Type ``text`` into a row's stops cell, as the artist does."""
        return self.model.setData(self.model.index(row, STOPS_COLUMN), text)

    # -- following the host ------------------------------------------------------

    def changed(self, paths: Optional[Sequence[str]]) -> None:
        """The source says these nodes changed (None: anything): update once
        Qt is idle, however many times it says so before."""
        if paths is None:
            self._everything = True
        else:
            self._changed_paths.update(paths)
        if not self._update_due:
            self._update_due = True
            QtCore.QTimer.singleShot(0, self._update)

    def _update(self) -> None:
        self._update_due = False
        paths, self._changed_paths = self._changed_paths, set()
        if self._everything or len(paths) > REFRESH_FROM:
            self._everything = False
            self.model.refresh()
        else:
            self.model.update_nodes(sorted(paths))

    def _read_rows_in_view(self) -> None:
        rows = self.model.rowCount()
        top = self.table.rowAt(0)
        if rows == 0 or top < 0:
            return
        bottom = self.table.rowAt(self.table.viewport().height() - 1)
        last = rows - 1 if bottom < 0 else bottom
        self.model.update_nodes(self.model.paths(range(top, last + 1)))

    def showEvent(self, event: QtGui.QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()
        if not self._watching:
            self.source.watch(self.changed)
            self._watching = True
        if not self.source.frame_is_settable:
            self._follow_frame()
            self._frame_timer.start()

    def hideEvent(self, event: QtGui.QHideEvent) -> None:  # noqa: N802 - Qt's name
        super().hideEvent(event)
        self._frame_timer.stop()
        if self._watching:
            self.source.unwatch()
            self._watching = False
            self._stale = True

    def enterEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().enterEvent(event)
        self._read_rows_in_view()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.ask_before_closing and self.source.modified and not self._may_close():
            event.ignore()
            return
        super().closeEvent(event)

    def _may_close(self) -> bool:
        buttons = QtWidgets.QMessageBox.StandardButton
        answer = QtWidgets.QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save the changes to {self.source.title}?",
            buttons.Save | buttons.Discard | buttons.Cancel,
        )
        if answer == buttons.Save:
            failed = self._save_clicked()
            if failed is not None:  # the window, and the edits, stay
                QtWidgets.QMessageBox.warning(self, "Not saved", failed)
                return False
            return True
        return answer == buttons.Discard
