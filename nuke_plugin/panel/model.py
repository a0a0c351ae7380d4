"""The panel's rows: one per exposure, read lazily from a source.

A Qt table model over a :class:`~nuke_plugin.panel.source.Source`. A
refresh lists the nodes of the exposure classes (cheap: path and class),
drops those the filter rules out before any knob is read, and reads the
first batch; Qt asks for more (``canFetchMore``/``fetchMore``) as the view
scrolls, so a 5,000-node script costs one batch until someone scrolls.
A row is an exposure (:func:`~nuke_plugin.ops.exposures.exposures`): a node
with stop knobs is one row, the knob they drive with its total stops per
channel; every other exposure-bearing knob is a row of its own, as ``scan``
lists it. Values are at the source's current frame.

Typing into the stops column sets that exposure
(:meth:`ExposureModel.setData`); bad text or a refused edit leaves the
script as it was, returns False, and shows the reason in the row. Rows the
panel cannot write (an expression, a clone, unlinked stop knobs, no
exposure) are not editable, and say why in their tooltip. A row stays
where it is after an edit, even one that puts its knob back at its default.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Optional,
    Sequence,
    Set,
    Tuple,
)

from ..core.notation import parse_channel_stops
from ..ops.assess import KnobState
from ..ops.exposure_node import ExposureNode
from ..ops.exposures import Exposure, exposures
from ..ops.outcome import Outcome, Status
from ..report import STATE_TEXT
from .qt import Qt, QtCore, QtGui, Signal
from .source import Source, knob_names

__all__ = [
    "COLUMNS",
    "GAUGE_COLUMN",
    "SORTABLE",
    "STATE_FILTERS",
    "STOPS_COLUMN",
    "STOPS_ROLE",
    "ExposureModel",
    "Row",
]

COLUMNS = ("node", "class", "knob", "linear", "stops", "gauge", "state")
STOPS_COLUMN = COLUMNS.index("stops")
GAUGE_COLUMN = COLUMNS.index("gauge")
#: The role the gauge's delegate reads: the row's stops per channel.
STOPS_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: The columns a click on the header sorts by, and what it sorts on.
SORTABLE = ("node", "class", "stops", "state")
#: What the state filter offers: its label, and which rows it keeps.
STATE_FILTERS: Dict[str, Callable[[Exposure], bool]] = {
    "every state": lambda e: True,
    "editable": lambda e: e.editable,
    "read only": lambda e: not e.editable,
    "animated": lambda e: e.state == KnobState.ANIMATED,
    "stop knobs": lambda e: e.state in (KnobState.STOP_KNOB, KnobState.ANIMATED),
    "constant": lambda e: e.state == KnobState.CONSTANT,
}
#: Nodes read per fetch: enough to fill a tall panel, little enough to be instant.
BATCH = 128

_INDEX = QtCore.QModelIndex
if TYPE_CHECKING:
    from typing import Union

    Index = Union[QtCore.QModelIndex, QtCore.QPersistentModelIndex]
_Role = Qt.ItemDataRole


@dataclass(frozen=True)
class Row:
    """One exposure of one node; ``problem`` is why the last edit was refused."""

    exposure: Exposure
    problem: str = ""

    @property
    def path(self) -> str:
        return self.exposure.path


class ExposureModel(QtCore.QAbstractTableModel):
    """Exposure-bearing knobs of a source, as a table (see the module doc)."""

    #: What the last action did or why it did nothing, for a status line.
    told = Signal(str)

    def __init__(self, source: Source, parent: Optional[QtCore.QObject] = None) -> None:
        super().__init__(parent)
        self.source = source
        self._rows: List[Row] = []
        self._pending: List[ExposureNode] = []  # listed, not read yet
        self._filter = ""
        self._state_filter = "every state"
        self._selected_only = False
        self._sorted: Optional[Tuple[int, Qt.SortOrder]] = None
        self.nodes_listed = 0  # the source's exposure nodes, before any filter
        self.refresh()

    # -- what is listed ----------------------------------------------------------

    def refresh(self) -> None:
        """List the source's nodes again and read the first batch."""
        self.beginResetModel()
        self._rows = []
        listed = self.source.nodes(self._selected_only)
        self.nodes_listed = len(listed)
        self._pending = [n for n in listed if self._may_pass(n.path, n.node_class)]
        self._pending.reverse()  # taken from the end: script order, O(1) a node
        self.endResetModel()
        self.fetchMore(_INDEX())
        if self._sorted is not None:
            self.sort(*self._sorted)

    def set_state_filter(self, label: str) -> None:
        """Keep the rows of one kind of state (a key of STATE_FILTERS)."""
        if label not in STATE_FILTERS:
            raise ValueError(f"no state filter {label!r}: {', '.join(STATE_FILTERS)}")
        self._state_filter = label
        self.refresh()

    def frame_changed(self) -> None:
        """The source's frame moved: the rows whose values depend on it
        (keyed ones) are read again at the new frame."""
        keyed = [r.path for r in self._rows if r.exposure.keys]
        self.update_nodes(keyed)

    def sort(  # noqa: D102 - Qt's name and signature
        self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder
    ) -> None:
        """Sort by node, class, stops (red, green and blue's mean; rows
        without stops last) or state. Sorting reads every row first: an
        order is only true of all of them."""
        if not 0 <= column < len(COLUMNS) or COLUMNS[column] not in SORTABLE:
            return  # -1: Qt's "unsorted"
        self._sorted = (column, order)
        while self._pending:  # fetch_all without the view's notices: one reset below
            self._rows.extend(self._rows_of(self._pending.pop()))
        self.layoutAboutToBeChanged.emit()
        descending = order == Qt.SortOrder.DescendingOrder
        if COLUMNS[column] == "stops":  # rows without stops last, either way
            sign = -1.0 if descending else 1.0

            def by_stops(row: Row) -> Tuple[bool, float]:
                mean = _mean(row.exposure)
                return mean is None, sign * (mean or 0.0)

            self._rows.sort(key=by_stops)
        else:
            self._rows.sort(key=lambda r: _cells(r)[column].lower(), reverse=descending)
        self.layoutChanged.emit()

    def set_filter(self, text: str) -> None:
        """Keep rows whose node path, class or knob contains ``text`` (any case)."""
        self._filter = text.strip().lower()
        self.refresh()

    def set_selected_only(self, selected_only: bool) -> None:
        """Only the selected nodes (True), or the whole script."""
        self._selected_only = selected_only
        self.refresh()

    def _may_pass(self, path: str, node_class: str) -> bool:
        """The filter, before any knob is read: the knob names a class can have."""
        wanted = self._filter
        if not wanted or wanted in path.lower() or wanted in node_class.lower():
            return True
        return any(wanted in knob.lower() for knob in knob_names(node_class))

    def _passes(self, exposure: Exposure) -> bool:
        if not STATE_FILTERS[self._state_filter](exposure):
            return False
        wanted = self._filter
        names = [exposure.path, exposure.node_class, exposure.knob]
        names += [part.knob for part in exposure.parts]  # its stop knobs too
        return not wanted or any(wanted in text.lower() for text in names)

    def _rows_of(self, node: ExposureNode, keep: Sequence[str] = ()) -> List[Row]:
        listed = exposures(node, self.source.frame(), keep)
        return [Row(e) for e in listed if self._passes(e)]

    def canFetchMore(self, parent: Index = _INDEX()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and bool(self._pending)

    def fetchMore(self, parent: Index = _INDEX()) -> None:  # noqa: B008, N802
        """Read the next batch of nodes (more when a batch has no rows)."""
        if parent.isValid():
            return
        new: List[Row] = []
        while self._pending and not new:
            for _ in range(min(BATCH, len(self._pending))):
                new.extend(self._rows_of(self._pending.pop()))
        if new:
            first = len(self._rows)
            self.beginInsertRows(_INDEX(), first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()

    def fetch_all(self) -> None:
        """Read every node now (tests, and a script someone wants whole)."""
        while self.canFetchMore():
            self.fetchMore()

    def row(self, number: int) -> Row:
        return self._rows[number]

    def paths(self, numbers: Iterable[int]) -> List[str]:
        """The nodes of these rows, once each, in row order."""
        return list(dict.fromkeys(self._rows[n].path for n in sorted(set(numbers))))

    # -- following the host ------------------------------------------------------

    def update_nodes(self, paths: Iterable[str]) -> None:
        """Read these nodes again: rows changed in place, removed when the
        node is gone, added (at the end) for a node not listed before."""
        selected = {n.path for n in self.source.nodes(True)} if self._selected_only else None
        for path in dict.fromkeys(paths):
            self._update_node(path, selected)

    def _update_node(self, path: str, selected: Optional[Set[str]]) -> None:
        node = self.source.node(path)
        listed = [i for i, n in enumerate(self._pending) if n.path == path]
        if listed:  # not read yet: it is read, as it is then, when its turn comes
            if node is None:
                del self._pending[listed[0]]
            else:
                self._pending[listed[0]] = node
            return
        numbers = [i for i, row in enumerate(self._rows) if row.path == path]
        wanted = (
            node is not None
            and self._may_pass(path, node.node_class)
            and (selected is None or path in selected)
        )
        # The knobs listed stay listed: an edit to 0 stops keeps its row.
        keep = [self._rows[i].exposure.knob for i in numbers]
        new = self._rows_of(node, keep) if node is not None and wanted else []
        if numbers and len(numbers) == len(new):
            for i, row in zip(numbers, new):
                self._rows[i] = row
            last = len(COLUMNS) - 1
            self.dataChanged.emit(self.index(numbers[0], 0), self.index(numbers[-1], last))
            return
        for number in reversed(numbers):  # sorted, a node's rows may be apart
            self.beginRemoveRows(_INDEX(), number, number)
            del self._rows[number]
            self.endRemoveRows()
        if node is None or not new:
            return
        if not numbers and self._pending:
            self._pending.insert(0, node)  # a new node, read after the others
            return
        where = numbers[0] if numbers else len(self._rows)
        self.beginInsertRows(_INDEX(), where, where + len(new) - 1)
        self._rows[where:where] = new
        self.endInsertRows()

    # -- editing -----------------------------------------------------------------

    def setData(  # noqa: N802 - Qt's name
        self, index: Index, value: Any, role: int = _Role.EditRole
    ) -> bool:
        """Typing into a stops cell: set that knob's exposure (see
        :mod:`nuke_plugin.ops.set_stops`); False, with the reason in the
        row, when the text cannot be read or the edit is refused."""
        if not index.isValid() or index.column() != STOPS_COLUMN or role != _Role.EditRole:
            return False
        number = index.row()
        exposure = self._rows[number].exposure
        where = f"{exposure.path}.{exposure.knob}"
        text = str(value)
        if not text.strip():
            return False  # an emptied cell: nothing asked
        try:
            stops = parse_channel_stops(text)
        except ValueError as error:
            return self._refused(number, f"{where}: {error}")
        outcome = self.source.set_stops(exposure.path, exposure.knob, stops)
        if outcome.status is not Status.SET:
            return self._refused(number, _why(outcome))
        self.update_nodes([exposure.path])
        self.told.emit(f"{where} set to {outcome.detail}")
        return True

    def _refused(self, number: int, reason: str) -> bool:
        self._rows[number] = replace(self._rows[number], problem=reason)
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))
        self.told.emit(reason)
        return False

    def after_action(self, outcomes: Sequence[Outcome], action: str) -> None:
        """Read the acted-on nodes again and say what happened."""
        self.update_nodes(o.path for o in outcomes)
        refused = [o for o in outcomes if not o.changed]
        changed = len(outcomes) - len(refused)
        text = f"{action}: {changed} node(s) changed"
        if refused:
            text += "; left alone: " + "; ".join(_why(o) for o in refused[:3])
            text += f" (and {len(refused) - 3} more)" if len(refused) > 3 else ""
        self.told.emit(text)

    # -- Qt's model interface ----------------------------------------------------

    def rowCount(self, parent: Index = _INDEX()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _INDEX()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = _Role.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _Role.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == _Role.ToolTipRole:
            if COLUMNS[section] == "gauge":
                return "stops on a -5..+5 scale: orange brighter, blue darker"
            if COLUMNS[section] in SORTABLE:
                return f"click to sort by {COLUMNS[section]}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        found = super().flags(index)
        if (
            index.isValid()
            and index.column() == STOPS_COLUMN
            and self._rows[index.row()].exposure.editable
        ):
            found |= Qt.ItemFlag.ItemIsEditable
        return found

    def data(self, index: Index, role: int = _Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == STOPS_ROLE:
            return row.exposure.stops
        if role == _Role.DisplayRole:
            return _cells(row)[column]
        if role == _Role.EditRole:  # what the editor opens with: the stops alone
            return row.exposure.stops_text if column == STOPS_COLUMN else _cells(row)[column]
        if role == _Role.ToolTipRole:
            return _tooltip(row)
        if role == _Role.ForegroundRole:
            if row.problem and column == COLUMNS.index("state"):
                return QtGui.QBrush(QtGui.QColor(220, 60, 60))
            if not row.exposure.editable:
                return QtGui.QBrush(QtGui.QColor(140, 140, 140))
        return None


def _reason(exposure: Exposure) -> str:
    """Why a row cannot be written, in the state's words."""
    state = STATE_TEXT.get(exposure.state, str(exposure.state))
    return f"{state}: {exposure.detail}" if exposure.detail else state


def _cells(row: Row) -> Dict[int, str]:
    exposure = row.exposure
    state = STATE_TEXT.get(exposure.state, str(exposure.state))
    if row.problem:
        state = f"refused: {row.problem}"
    elif not exposure.editable:
        state = _reason(exposure)
    cells = (
        exposure.path,
        exposure.node_class,
        exposure.knob,
        exposure.linear_text,
        exposure.at_frame_text,
        "",  # the gauge is drawn by its delegate
        state,
    )
    return dict(enumerate(cells))


def _mean(exposure: Exposure) -> Optional[float]:
    known = [s for s in exposure.stops[:3] if s is not None]
    return sum(known) / 3 if len(known) == 3 else None


def _tooltip(row: Row) -> str:
    """The whole story of a row: why it was refused or is read-only, and
    the knobs behind it."""
    exposure = row.exposure
    lines = [row.problem] if row.problem else []
    if not exposure.editable:
        lines.append(f"read only: {_reason(exposure)}")
    elif exposure.detail:
        lines.append(exposure.detail)
    if exposure.keys:
        lines.append(f"at frame {exposure.frame:g}; {exposure.keys} key(s)")
    return "\n".join(lines) or STATE_TEXT.get(exposure.state, "")


def _why(outcome: Outcome) -> str:
    return f"{outcome.where}: {outcome.detail or outcome.status}"
