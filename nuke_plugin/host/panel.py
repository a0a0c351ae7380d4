"""The Exposure panel inside Nuke: the live source and the class Nuke docks.

menu.py registers the panel with ``nukescripts.panels.registerWidgetAsPanel``
at start-up, giving the widget as a string (Nuke evaluates it when the panel
is first shown, so Qt and this module load only then) and an id that lets
Nuke restore the panel with a saved layout (both in
:mod:`nuke_plugin.registry`). :func:`open_panel` (the menu
command) docks it in the Properties pane, or brings the open one forward.

Following the host (:class:`LiveSource`): onCreate and onDestroy for every
node class (a dictionary lookup for classes the panel does not list),
knobChanged for the exposure classes and Group (a rename changes the paths
inside it), and the package's own commands through
:mod:`nuke_plugin.host.events`. updateUI is not used: checking every listed
node at each idle pass costs 3-10 microseconds a node (docs/benchmarks.md).
Every callback is removed when the panel is hidden (a closed tab).
"""

from __future__ import annotations

import os
import weakref
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, List, Optional, Sequence, Tuple

import nuke

from ..adapters.live_node import LiveNode
from ..ops.exposure_node import ExposureNode
from ..ops.outcome import Outcome, Status
from ..panel.qt import QtWidgets
from ..panel.source import Changed, Source
from ..panel.widget import ExposureWidget
from ..registry import (
    EXPOSURE_CLASSES,
    EXPOSURE_KNOBS,
    EXPTOOL_KNOBS,
    GROUP_CLASSES,
    PANEL_ID,
    PANEL_TITLE,
    PANEL_WIDGET,
    STOP_KNOBS,
)
from . import commands, events

__all__ = ["ExposurePanel", "LiveSource", "open_panel"]

#: The knobs whose change can change a row (plus "name": a rename).
_WATCHED_KNOBS = frozenset(
    (
        *(k for knobs in EXPOSURE_KNOBS.values() for k in knobs),
        *EXPTOOL_KNOBS,
        "mode",
        STOP_KNOBS.master,
        STOP_KNOBS.channels,
        STOP_KNOBS.drives,
    )
)


class LiveSource(Source):
    """The script open in this Nuke session."""

    can_save = False  # Nuke saves its own scripts
    modified = False
    frame_is_settable = False  # the viewer's frame is followed

    def __init__(self) -> None:
        self._changed: Optional[Changed] = None
        self._callbacks: List[Tuple[Callable[..., None], Callable[..., None], str]] = []

    def nodes(self, selected_only: bool) -> List[ExposureNode]:
        found = nuke.allNodes(group=nuke.root(), recurseGroups=True)
        return [
            LiveNode(n)
            for n in found
            if n.Class() in EXPOSURE_CLASSES and (not selected_only or n.isSelected())
        ]

    def node(self, path: str) -> Optional[ExposureNode]:
        with nuke.root():
            found = nuke.toNode(path)
        if found is None or found.Class() not in EXPOSURE_CLASSES:
            return None
        return LiveNode(found)

    def _nodes(self, paths: Sequence[str]) -> List[nuke.Node]:
        found = (self.node(p) for p in paths)
        return [n.node for n in found if isinstance(n, LiveNode)]

    @property
    def title(self) -> str:
        """The script's file name: the Root's ``name`` knob holds its path,
        empty until the script is saved."""
        knob = nuke.root().knob("name")
        path = str(knob.value()) if knob is not None else ""
        return os.path.basename(path) if path else "untitled script"

    def frame(self) -> float:
        return float(nuke.frame())

    def set_frame(self, frame: float) -> None:
        raise ValueError("inside Nuke the panel follows the viewer's frame")

    def set_stops(self, path: str, knob: str, stops: Sequence[float]) -> Outcome:
        found = self._nodes([path])
        if not found:  # deleted since the panel last heard of it
            return Outcome(path, "", knob, Status.REFUSED, "no longer in the script")
        return commands.set_stops(found[0], knob, stops)

    def nudge(self, paths: Sequence[str], step: Fraction) -> List[Outcome]:
        return commands.nudge(float(step), nodes=self._nodes(paths))

    def add_stop_knobs(self, paths: Sequence[str]) -> List[Outcome]:
        return commands.add_stop_knobs(nodes=self._nodes(paths))

    def convert_legacy(self, paths: Sequence[str]) -> List[Outcome]:
        return commands.convert_nodes(self._nodes(paths))

    def save(self, path: Optional[Path] = None) -> str:
        raise NotImplementedError("Nuke saves its own scripts (File > Save)")

    # -- following the host ------------------------------------------------------

    def watch(self, changed: Changed) -> None:
        self.unwatch()
        self._changed = changed
        self._add(nuke.addOnCreate, nuke.removeOnCreate, self._created, "*")
        self._add(nuke.addOnDestroy, nuke.removeOnDestroy, self._destroyed, "*")
        for node_class in sorted(EXPOSURE_CLASSES | {"Group"}):
            self._add(nuke.addKnobChanged, nuke.removeKnobChanged, self._knob_changed, node_class)
        events.listen(self._commands_changed)

    def _add(
        self,
        add: Callable[..., None],
        remove: Callable[..., None],
        call: Callable[[], None],
        node_class: str,
    ) -> None:
        add(call, nodeClass=node_class)
        self._callbacks.append((remove, call, node_class))

    def unwatch(self) -> None:
        """Remove every callback watch() added: by the identical call and class."""
        while self._callbacks:
            remove, call, node_class = self._callbacks.pop()
            remove(call, nodeClass=node_class)
        events.forget(self._commands_changed)
        self._changed = None

    def _report_changed(self, paths: Optional[Sequence[str]]) -> None:
        """Pass on to the panel which nodes changed (None: anything)."""
        if self._changed is not None:
            self._changed(paths)

    def _created(self) -> None:
        node = nuke.thisNode()
        if node.Class() in EXPOSURE_CLASSES:
            self._report_changed([node.fullName()])

    def _destroyed(self) -> None:
        node = nuke.thisNode()
        node_class = node.Class()
        if node_class in EXPOSURE_CLASSES:
            self._report_changed([node.fullName()])
        elif node_class in GROUP_CLASSES:
            self._report_changed(None)  # whether its nodes each get onDestroy is not documented

    def _knob_changed(self) -> None:
        name = nuke.thisKnob().name()
        if name == "name":
            self._report_changed(None)  # paths changed, inside a renamed group too
        elif name in _WATCHED_KNOBS:
            self._report_changed([nuke.thisNode().fullName()])

    def _commands_changed(self, paths: List[str]) -> None:
        self._report_changed(paths)


class ExposurePanel(ExposureWidget):
    """The widget Nuke docks (built with no arguments, as Nuke builds it)."""

    _last: Optional[weakref.ReferenceType[ExposurePanel]] = None

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(LiveSource(), parent)
        step = commands.nudge_step()
        self.step.setCurrentIndex(max(0, self.step.findData(step)))
        ExposurePanel._last = weakref.ref(self)

    @classmethod
    def shown(cls) -> Optional[ExposurePanel]:
        """The panel made last, when it is still open: visible, or a tab
        behind another in its pane (not a closed tab, which Nuke hides)."""
        panel = cls._last() if cls._last is not None else None
        if panel is None:
            return None
        try:
            if panel.isVisible():
                return panel
        except RuntimeError:  # Qt has deleted it (its pane went)
            return None
        tab = _tab_of(panel)
        if tab is not None and tab[0].isVisible() and tab[0].currentWidget() is not tab[1]:
            return panel
        return None


def _tab_of(
    panel: QtWidgets.QWidget,
) -> Optional[Tuple[QtWidgets.QStackedWidget, QtWidgets.QWidget]]:
    """The stack of tabs the panel is in, and its tab there (the panel, or
    the widget Nuke wrapped it in)."""
    child: QtWidgets.QWidget = panel
    parent = child.parentWidget()
    while parent is not None:
        if isinstance(parent, QtWidgets.QStackedWidget):
            return parent, child
        child, parent = parent, parent.parentWidget()
    return None


def _bring_forward(panel: QtWidgets.QWidget) -> None:
    """Make the panel the current tab of its pane and raise its window."""
    tab = _tab_of(panel)
    if tab is not None:
        tab[0].setCurrentWidget(tab[1])
    panel.window().raise_()
    panel.activateWindow()


def open_panel() -> Any:
    """Nuke > nuke-stops > Exposure panel: dock the panel in the Properties
    pane, or bring the open one forward instead of making a second."""
    open_now = ExposurePanel.shown()
    if open_now is not None:
        _bring_forward(open_now)
        return open_now
    import nukescripts

    panel = nukescripts.panels.registerWidgetAsPanel(PANEL_WIDGET, PANEL_TITLE, PANEL_ID, True)
    pane = nuke.getPaneFor("Properties.1")
    return panel.addToPane(pane) if pane is not None else panel.addToPane()
