"""Who wants to hear what the package's own commands changed: the panel.

Nuke 13-16 call knobChanged only while a node's properties panel is open,
so a panel cannot rely on Nuke to hear about a nudge from the menu. The
engine calls :func:`changed` with the nodes each command changed; listeners
(the open Exposure panel) hear it. No ``nuke`` here.

>>> heard = []
>>> listen(heard.append)
>>> changed(["Grade1"])
>>> forget(heard.append)
>>> changed(["Grade2"])
>>> heard
[['Grade1']]
"""

from __future__ import annotations

from typing import Callable, List, Sequence

from ..logs import logger

__all__ = ["changed", "forget", "listen"]

Listener = Callable[[List[str]], None]
_listeners: List[Listener] = []


def listen(listener: Listener) -> None:
    """Hear the full names of the nodes each command changes."""
    if listener not in _listeners:
        _listeners.append(listener)


def forget(listener: Listener) -> None:
    """Stop hearing (nothing happens for a listener not listening)."""
    if listener in _listeners:
        _listeners.remove(listener)


def changed(paths: Sequence[str]) -> None:
    """A command changed these nodes. A listener that fails is logged and
    the others still hear: a panel's bug never breaks a command."""
    for listener in list(_listeners):
        try:
            listener(list(paths))
        except Exception:
            logger(__name__).exception("a listener of nuke-stops commands failed")
