"""``nukescripts.panels``: dockable panels, as Nuke's own module builds them.

Documented, and read in Nuke's nukescripts/panels.py:
``registerWidgetAsPanel(widget, name, id, create=False)`` adds ``name`` to
the Pane menu and registers ``id`` for ``restorePanel`` (how Nuke brings a
panel back with a saved layout); with ``create`` it returns the panel. The
widget is given as a *string*: Nuke puts it into a PyCustom_Knob as
``WidgetKnob(<widget>)`` and evaluates it as Python when the panel is first
shown, then builds the class with no arguments. ``PythonPanel.addToPane(pane)``
docks the panel as a tab of ``pane`` (None: a floating window).

The stand-in never evaluates text: it reads the two forms public tools use,
``package.module.Class`` and ``__import__('package.module',
fromlist=['Class']).Class``, imports the module then (not at
registration), and raises ValueError for anything else. Docs silent: a
closed tab hides the widget and keeps it (DESIGN.md; the stand-in's
``nuke._close_tab``); whether Nuke shows the widget again when the same id
is docked twice; the stand-in makes a new one.
"""

from __future__ import annotations

import importlib
import re
from typing import Any, Callable, Dict, Optional

import nuke

_PATH = re.compile(r"(?P<module>[A-Za-z_][\w.]*)\.(?P<name>[A-Za-z_]\w*)\Z")
_IMPORT = re.compile(
    r"__import__\(\s*'(?P<module>[\w.]+)'\s*,\s*fromlist\s*=\s*\[\s*'(?P<name>\w+)'\s*\]\s*\)"
    r"\.(?P<attr>\w+)\Z"
)
_registered: Dict[str, Callable[[], Any]] = {}


def _widget_class(text: str) -> Any:
    found = _IMPORT.match(text.strip())
    if found:
        return getattr(importlib.import_module(found["module"]), found["attr"])
    found = _PATH.match(text.strip())
    if found:
        return getattr(importlib.import_module(found["module"]), found["name"])
    raise ValueError(f"the stand-in reads a class path or __import__(...).Class, not {text!r}")


class PythonPanel:
    def __init__(self, title: str = "", id: str = "", scrollable: bool = True) -> None:
        self._title = title
        self._id = id
        self._widget_text = ""
        self.widget: Any = None

    def addToPane(self, pane: Any = None) -> Any:
        cls = _widget_class(self._widget_text)
        self.widget = cls()  # built with no arguments, as Nuke's WidgetKnob.makeUI does
        nuke._dock(self._title, self._id, self.widget, pane)
        return self


def registerPanel(id: str, command: Callable[[], Any]) -> None:
    _registered[id] = command


def restorePanel(id: str) -> Optional[Any]:
    if id not in _registered:
        print("Can't restore panel", repr(id), "because it hasn't been registered.")
        return None
    return _registered[id]()


def registerWidgetAsPanel(widget: str, name: str, id: str, create: bool = False) -> Any:
    if not isinstance(widget, str):
        raise TypeError("registerWidgetAsPanel takes the widget as a string of Python")

    def make() -> PythonPanel:
        panel = PythonPanel(name, id)
        panel._widget_text = widget
        return panel

    def add_panel() -> Any:
        return make().addToPane()

    nuke.menu("Pane").addCommand(name, add_panel)
    registerPanel(id, add_panel)
    return make() if create else None
