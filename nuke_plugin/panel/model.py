"""The panel's rows: one per exposure-bearing knob, read lazily from a source.

A Qt table model over a :class:`~nuke_plugin.panel.source.Source`. A
refresh lists the nodes of the exposure classes (cheap: path and class),
drops those the filter rules out before any knob is read, and reads the
first batch; Qt asks for more (``canFetchMore``/``fetchMore``) as the view
scrolls, so a 5,000-node script costs one batch until someone scrolls.
Rows are exactly what ``nuke-stops scan`` lists (:func:`~nuke_plugin.ops.scan.scan_node`).

Typing into the stops column sets that knob's exposure
(:meth:`ExposureModel.setData`); bad text or a refused edit leaves the
script as it was, returns False, and shows the reason in the row.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Set

from ..core.notation import parse_channel_stops
from ..ops.assess import KnobState
from ..ops.exposure_node import ExposureNode
from ..ops.outcome import Outcome, Status
from ..ops.scan import Finding, scan_node
from ..report import STATE_TEXT
from .qt import Qt, QtCore, QtGui, Signal
from .source import Source, knob_names

__all__ = ["COLUMNS", "STOPS_COLUMN", "ExposureModel", "Row"]

COLUMNS = ("node", "class", "knob", "linear", "stops", "state")
STOPS_COLUMN = COLUMNS.index("stops")
#: Nodes read per fetch: enough to fill a tall panel, little enough to be instant.
BATCH = 128

_INDEX = QtCore.QModelIndex
if TYPE_CHECKING:
    from typing import Union

    Index = Union[QtCore.QModelIndex, QtCore.QPersistentModelIndex]
_Role = Qt.ItemDataRole
_DIM = (KnobState.EXPRESSION, KnobState.UNSUPPORTED, KnobState.NONPOSITIVE)


@dataclass(frozen=True)
class Row:
    """One knob of one node; ``problem`` is why the last edit was refused."""

    finding: Finding
    problem: str = ""

    @property
    def path(self) -> str:
        return self.finding.path


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
        self._selected_only = False
        self.refresh()

    # -- what is listed ----------------------------------------------------------

    def refresh(self) -> None:
        """List the source's nodes again and read the first batch."""
        self.beginResetModel()
        self._rows = []
        self._pending = [
            n
            for n in self.source.nodes(self._selected_only)
            if self._may_pass(n.path, n.node_class)
        ]
        self._pending.reverse()  # taken from the end: script order, O(1) a node
        self.endResetModel()
        self.fetchMore(_INDEX())

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

    def _passes(self, finding: Finding) -> bool:
        wanted = self._filter
        return not wanted or any(
            wanted in text.lower() for text in (finding.path, finding.node_class, finding.knob)
        )

    def _rows_of(self, node: ExposureNode) -> List[Row]:
        return [Row(f) for f in scan_node(node) if self._passes(f)]

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
        new = self._rows_of(node) if node is not None and wanted else []
        if numbers and len(numbers) == len(new):
            for i, row in zip(numbers, new):
                self._rows[i] = row
            last = len(COLUMNS) - 1
            self.dataChanged.emit(self.index(numbers[0], 0), self.index(numbers[-1], last))
            return
        if numbers:  # a node's rows are together: remove them as one block
            self.beginRemoveRows(_INDEX(), numbers[0], numbers[-1])
            del self._rows[numbers[0] : numbers[-1] + 1]
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
        finding = self._rows[number].finding
        where = f"{finding.path}.{finding.knob}"
        text = str(value)
        if not text.strip():
            return False  # an emptied cell: nothing asked
        try:
            stops = parse_channel_stops(text)
        except ValueError as error:
            return self._refused(number, f"{where}: {error}")
        outcome = self.source.set_stops(finding.path, finding.knob, stops)
        if outcome.status is not Status.SET:
            return self._refused(number, _why(outcome))
        self.update_nodes([finding.path])
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
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        found = super().flags(index)
        if index.isValid() and index.column() == STOPS_COLUMN:
            found |= Qt.ItemFlag.ItemIsEditable
        return found

    def data(self, index: Index, role: int = _Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (_Role.DisplayRole, _Role.EditRole):
            return _cells(row)[column]
        if role == _Role.ToolTipRole:
            return row.problem or row.finding.detail or STATE_TEXT.get(row.finding.state, "")
        if role == _Role.ForegroundRole:
            if row.problem and column == COLUMNS.index("state"):
                return QtGui.QBrush(QtGui.QColor(220, 60, 60))
            if row.finding.state in _DIM:
                return QtGui.QBrush(QtGui.QColor(140, 140, 140))
        return None


def _cells(row: Row) -> Dict[int, str]:
    finding = row.finding
    state = STATE_TEXT.get(finding.state, str(finding.state))
    if row.problem:
        state = f"refused: {row.problem}"
    elif finding.detail and finding.state in _DIM:
        state = f"{state}: {finding.detail}"
    cells = (finding.path, finding.node_class, finding.knob, finding.linear, finding.stops, state)
    return dict(enumerate(cells))


def _why(outcome: Outcome) -> str:
    return f"{outcome.where}: {outcome.detail or outcome.status}"
