"""Callbacks: knobChanged, updateUI, onCreate, onDestroy.

Documented: ``addKnobChanged`` callbacks run in Nuke 13-16 only while the
node's properties panel is open (and with dummy knobs, showPanel and
hidePanel, when it opens and closes); Nuke 17's documentation says they run
for every change, programmatic ones and closed panels included (the
``knob_changed_always`` switch). ``addUpdateUI`` callbacks run at idle for
every node. ``onCreate`` runs on creation, load and paste; ``onDestroy`` on
deletion. A callback is removed only by the identical (call, args, kwargs,
nodeClass). Docs silent: whether a change made inside knobChanged runs
knobChanged again; the stand-in runs it (up to a depth where it stops the
test), so callbacks must guard against re-entry.
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional

from ._knobs import Knob
from ._state import SESSION, Callback

MAX_DEPTH = 20


def _add(
    table: List[Callback],
    call: Callable[..., Any],
    args: Any,
    kwargs: Any,
    nodeClass: str,
    node: Any = None,
) -> None:
    if not callable(call):
        raise TypeError("a callback must be callable")
    table.append((call, tuple(args), dict(kwargs or {}), nodeClass, node))


def _remove(
    table: List[Callback],
    call: Callable[..., Any],
    args: Any,
    kwargs: Any,
    nodeClass: str,
    node: Any = None,
) -> None:
    wanted = (call, tuple(args), dict(kwargs or {}), nodeClass, node)
    for i, entry in enumerate(table):
        if entry == wanted:
            del table[i]
            return
    raise ValueError("no such callback")  # docs: the identical tuple removes it


def run(table: List[Callback], node: Any, knob: Optional[Knob]) -> None:
    for call, args, kwargs, node_class, only in list(table):
        if node_class not in ("*", node.Class()) or (only is not None and only is not node):
            continue
        if SESSION.callback_depth >= MAX_DEPTH:
            raise RuntimeError(f"callbacks re-entered {MAX_DEPTH} deep on {node.fullName()}")
        SESSION.callback_depth += 1
        SESSION.this.append((node, knob))
        try:
            call(*args, **kwargs)
        finally:
            SESSION.this.pop()
            SESSION.callback_depth -= 1


def knob_changed(knob: Knob) -> None:
    node = knob._node
    if node is None:
        return
    if SESSION.switches["knob_changed_always"] or node._panel_open:
        run(SESSION.knob_changed, node, knob)


def panel_event(node: Any, name: str) -> None:
    dummy = Knob(name)
    dummy._node = node
    run(SESSION.knob_changed, node, dummy)


def idle() -> None:
    """What Nuke does at idle: updateUI for every node."""
    from ._nodes import walk

    for node in walk(SESSION.root):
        run(SESSION.update_ui, node, None)
