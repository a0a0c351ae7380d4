"""Menus, messages, questions and progress windows.

Documented (Menu.addCommand): the name may hold submenus separated by "/";
the shortcut is a key sequence such as 'Ctrl-H', 'alt+o' or 'Shift+F5';
a shortcut overrides other uses of it; shortcutContext is 0 (window), 1
(application) or 2 (DAG); an invoked command runs inside an undo group.
Docs silent (stand-in's choices): a message opened while a ProgressTask is
alive is recorded (it would sit under the progress window); an exception in
a command closes its undo group and prints the traceback, as the Script
Editor shows it.
"""

from __future__ import annotations

import re
import sys
import traceback
import weakref
from typing import Any, List, Optional

from ._state import SESSION
from ._undo import Undo

_MODIFIERS = {"ctrl", "alt", "shift", "meta", "cmd"}
_KEYS = re.compile(
    r"(?i:[a-z0-9]|f\d{1,2}|up|down|left|right|pgup|pgdown|pageup|pagedown|home|end|"
    r"insert|delete|del|backspace|tab|space|return|enter|escape|esc|[\[\];',./`=\\-])\Z"
)


def check_shortcut(shortcut: str) -> None:
    if not shortcut:
        return
    parts = re.split(r"[+-](?=.)", shortcut)
    *modifiers, key = parts
    bad = [m for m in modifiers if m.lower() not in _MODIFIERS]
    if bad or not _KEYS.match(key):
        raise ValueError(f"{shortcut!r} is not a key sequence Nuke reads")


class MenuItem:
    def __init__(
        self, name: str, script: Any = None, shortcut: str = "", shortcutContext: int = 1
    ) -> None:
        self._name = name
        self._script = script
        self._shortcut = shortcut
        self._context = shortcutContext

    def name(self) -> str:
        return self._name

    def shortcut(self) -> str:
        return self._shortcut

    def script(self) -> Any:
        return self._script

    def invoke(self) -> None:
        """Runs the command inside an undo group, as Nuke does."""
        if not callable(self._script):
            raise TypeError("the stand-in invokes Python callables only")
        Undo.begin(self._name)
        try:
            self._script()
        except Exception:
            traceback.print_exc(file=sys.stderr)
        finally:
            Undo.end()


class Menu(MenuItem):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._items: List[MenuItem] = []

    def addCommand(
        self,
        name: str,
        command: Any = None,
        shortcut: str = "",
        icon: str = "",
        tooltip: str = "",
        index: int = -1,
        readonly: bool = False,
        shortcutContext: int = 1,
        tag: int = 0,
        tagTarget: int = 0,
        node: Any = None,
    ) -> MenuItem:
        if not isinstance(name, str) or not name:
            raise TypeError("addCommand needs a name")
        if not (callable(command) or isinstance(command, str)):
            raise TypeError("addCommand takes a callable or a Python string")
        if shortcutContext not in (0, 1, 2):
            raise ValueError("shortcutContext is 0 (window), 1 (application) or 2 (DAG)")
        check_shortcut(shortcut)
        parts = name.split("/")
        menu = self
        for part in parts[:-1]:
            menu = menu.addMenu(part)
        item = MenuItem(parts[-1], command, shortcut, shortcutContext)
        menu._items = [i for i in menu._items if i.name() != parts[-1]] + [item]
        return item

    def addMenu(
        self,
        name: str,
        icon: str = "",
        tooltip: str = "",
        index: int = -1,
        tag: int = 0,
        tagTarget: int = 0,
    ) -> Menu:
        found = self.findItem(name)
        if isinstance(found, Menu):
            return found
        menu = Menu(name)
        self._items.append(menu)
        return menu

    def findItem(self, name: str) -> Optional[MenuItem]:
        first, _, rest = name.partition("/")
        for item in self._items:
            if item.name() == first:
                if not rest:
                    return item
                return item.findItem(rest) if isinstance(item, Menu) else None
        return None

    def items(self) -> List[MenuItem]:
        return list(self._items)


MENU_NAMES = (
    "Nuke",
    "Nodes",
    "Pane",
    "Node Graph",
    "Viewer",
    "Animation",
    "Properties",
    "Axis",
    "Viewer/Viewer",
)


def menu(name: str) -> Menu:
    if name not in MENU_NAMES:
        raise ValueError(f"no menu {name!r}")  # the documented menu names
    return SESSION.menus.setdefault(name, Menu(name))


def message(prompt: str) -> None:
    if not isinstance(prompt, str):
        raise TypeError("message takes a str")
    SESSION.messages.append(prompt)
    if SESSION.progress_alive:
        SESSION.messages_over_progress.append(prompt)


def ask(prompt: str) -> bool:
    SESSION.questions.append(prompt)
    return SESSION.answers.pop(0) if SESSION.answers else False


def _closed() -> None:
    SESSION.progress_alive -= 1


class ProgressTask:
    """Docs: the progress window stays while the object lives."""

    def __init__(self, title: str) -> None:
        self._title = title
        self._progress: List[int] = []
        self._message = ""
        SESSION.progress_tasks.append((title, self._progress))
        SESSION.progress_alive += 1
        weakref.finalize(self, _closed)

    def setProgress(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ValueError("progress is an int from 0 to 100")
        self._progress.append(value)

    def setMessage(self, message: str) -> None:
        self._message = message

    def isCancelled(self) -> bool:
        if SESSION.cancel_progress_after is None:
            return False
        SESSION.cancel_progress_after -= 1
        return SESSION.cancel_progress_after < 0


# -- panes: where panels dock --------------------------------------------------------
#
# Documented: getPaneFor(name) returns the pane holding the named panel
# (Nuke's default layout has "Properties.1", "DAG.1", "Viewer.1") or None;
# a PythonPanel's addToPane(pane) docks it as a tab there. Docs silent
# (stand-in's model): a pane is a Qt widget stacking its tabs, the one
# shown is the current tab; closing a tab hides its widget and keeps it
# (DESIGN.md: "a closed tab is hidden, not deleted").

PANE_NAMES = ("Properties.1", "DAG.1", "Viewer.1")


class _Pane:
    def __init__(self, name: str) -> None:
        self.name = name
        self._stack: Any = None

    def stack(self) -> Any:
        """The pane's Qt widget, made when the first panel docks."""
        if self._stack is None:
            try:
                from PySide6 import QtWidgets
            except ImportError:
                from PySide2 import QtWidgets
            self._stack = QtWidgets.QStackedWidget()
            self._stack.resize(900, 500)
            self._stack.show()
        return self._stack


def getPaneFor(panelName: str) -> Optional[_Pane]:
    if not isinstance(panelName, str):
        raise TypeError("getPaneFor takes a panel name")
    if panelName not in PANE_NAMES:
        return None
    return SESSION.panes.setdefault(panelName, _Pane(panelName))  # type: ignore[no-any-return]


def dock(title: str, id: str, widget: Any, pane: Optional[_Pane]) -> None:
    """A panel docked (as a tab of ``pane``) or floating (None), and shown."""
    SESSION.docked.append((title, id, widget, pane.name if pane is not None else None))
    if pane is None:
        widget.show()
        return
    stack = pane.stack()
    stack.addWidget(widget)
    stack.setCurrentWidget(widget)
