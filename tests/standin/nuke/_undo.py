"""Undo groups, as the stand-in models them.

Documented (nuke.Undo): ``begin(name)`` opens a user-visible group of undo
actions, ``end()`` closes it, ``cancel()`` undoes what the group recorded and
discards it; every menu command already runs inside a group Nuke opens
(Menu.addCommand). Docs silent on nesting: the stand-in allows it, an inner
``end()`` closes only the inner group and only the outermost group becomes
an undo step. Docs silent on ``cancel()`` inside a nested group: the
stand-in closes the inner group and undoes nothing, so code that relies on
it is caught by the tests.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, Optional

from ._state import SESSION


def _objects() -> Dict[int, Any]:
    from ._nodes import Group, walk

    found: Dict[int, Any] = {id(SESSION.root): SESSION.root}
    for node in walk(SESSION.root):
        found[id(node)] = node
        for knob in node._knobs.values():
            found[id(knob)] = knob
        if isinstance(node, Group):
            found[id(node)] = node
    for knob in SESSION.root._knobs.values():
        found[id(knob)] = knob
    return found


def snapshot() -> Dict[Any, Dict[str, Any]]:
    """Every node's and knob's state; the objects themselves are kept, so
    handles callers hold stay valid after a restore (as in Nuke)."""
    objects = _objects()
    memo = dict(objects)
    return {obj: copy.deepcopy(obj.__dict__, memo) for obj in objects.values()}


def restore(state: Dict[Any, Dict[str, Any]]) -> None:
    memo = {id(obj): obj for obj in state}
    fresh = {obj: copy.deepcopy(saved, dict(memo)) for obj, saved in state.items()}
    for obj, saved in fresh.items():
        obj.__dict__.clear()
        obj.__dict__.update(saved)


class Undo:
    """nuke.Undo: begin/end/cancel, usable as ``with nuke.Undo():``."""

    def __init__(self, name: Optional[str] = None) -> None:
        self._name = name

    def __enter__(self) -> Undo:
        Undo.begin(self._name)
        return self

    def __exit__(self, *exc: Any) -> None:
        Undo.end()

    @classmethod
    def begin(cls, name: Optional[str] = None) -> None:
        if not SESSION.undo_open:
            SESSION.undo_before = snapshot()
        SESSION.undo_open.append(name or "")

    @classmethod
    def end(cls) -> None:
        if not SESSION.undo_open:
            raise RuntimeError("Undo.end() with no group open")  # docs silent
        name = SESSION.undo_open.pop()
        if not SESSION.undo_open:
            outer = name or "?"
            SESSION.undo_history.append((outer, SESSION.undo_before))
            SESSION.undo_before = None

    @classmethod
    def cancel(cls) -> None:
        if not SESSION.undo_open:
            return  # docs (17.1): safe when no group is open
        SESSION.undo_open.pop()
        if not SESSION.undo_open:
            restore(SESSION.undo_before)  # type: ignore[arg-type]
            SESSION.undo_before = None
        # nested: docs silent; the inner group closes and nothing is undone

    @classmethod
    def name(cls, name: str) -> None:
        if SESSION.undo_open:
            SESSION.undo_open[0] = name

    @classmethod
    def undo(cls) -> None:
        if SESSION.undo_history:
            _, before = SESSION.undo_history.pop()
            restore(before)

    @classmethod
    def undoSize(cls) -> int:
        return len(SESSION.undo_history)

    @classmethod
    def undoDescribe(cls) -> str:
        return SESSION.undo_history[-1][0] if SESSION.undo_history else ""
