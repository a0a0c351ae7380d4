"""Who wants to hear what the package's own commands changed: the panel.

Nuke 13-16 call knobChanged only while a node's properties panel is open,
so a panel cannot rely on Nuke to hear about a nudge from the menu. The
commands tell :func:`tell` the nodes they changed; listeners (the open
Exposure panel) hear it. No ``nuke`` here.

>>> heard = []
>>> listen(heard.append)
>>> tell(["Grade1"])
>>> forget(heard.append)
>>> tell(["Grade2"])
>>> heard
[['Grade1']]
"""

from __future__ import annotations

import logging
from typing import Callable, List, Sequence

__all__ = ["forget", "listen", "tell"]

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


def tell(paths: Sequence[str]) -> None:
    """A command changed these nodes. A listener that fails is logged and
    the others still hear: a panel's bug never breaks a command."""
    for listener in list(_listeners):
        try:
            listener(list(paths))
        except Exception:
            logging.getLogger(__name__).exception("a listener of nuke-stops commands failed")
