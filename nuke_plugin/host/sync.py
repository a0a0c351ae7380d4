"""Keep stop knobs honest inside Nuke: knobChanged and updateUI callbacks.

menu.py registers :func:`on_knob_changed` and :func:`on_update_ui` for
Grade, Multiply and ColorCorrect. When the linear knob of a node with stop
knobs is edited, the stop knobs follow the new value (see
:func:`nuke_plugin.ops.convert.plan_relink`); when the new value has no stops
(an expression, zero, a negative value) the stops knob is relabelled
"stops (unlinked)" with the reason in its tooltip, so the two never
disagree silently. A later relink puts the label and tooltip back.

Why two callbacks: in Nuke 13 to 16 knobChanged runs only while the node's
properties panel is open (and with dummy knobs when it opens); edits made
with the panel closed (curve editor, other tools' scripts) are caught by
updateUI, which Nuke runs at idle for every node, so it does almost
nothing unless a node has stop knobs whose link changed. Nuke 17's
knobChanged also runs for programmatic changes, this package's own writes
included: those are ignored (:func:`paused`), and a relink writes only when
something differs, so it never re-enters itself.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Dict, Iterator

import nuke

from ..adapters.live_node import KnobWriteError, LiveNode
from ..ops.catalogue import STOP_KNOB_SPECS, UNLINKED_LABEL, is_driving_expression
from ..ops.convert import driven_knob, plan_relink
from ..ops.outcome import Status, apply_edit
from ..registry import DRIVABLE_KNOBS, STOP_KNOBS

__all__ = ["on_knob_changed", "on_update_ui", "paused"]

_STOPS_SPEC = next(s for s in STOP_KNOB_SPECS if s.name == STOP_KNOBS.master)
_paused = False  # True while this package writes knobs
_broken_text: Dict[str, str] = {}  # node -> the linear knob's text when it broke


@contextmanager
def paused() -> Iterator[None]:
    """Ignore knob changes made inside (this package's own writes)."""
    global _paused
    before = _paused
    _paused = True
    try:
        yield
    finally:
        _paused = before


def on_knob_changed() -> None:
    """Nuke calls this after a knob of a registered class changes."""
    if _paused:
        return
    node = nuke.thisNode()
    knob = nuke.thisKnob().name()
    if knob not in DRIVABLE_KNOBS.get(node.Class(), ()) or node.knob(STOP_KNOBS.master) is None:
        return
    _sync(node, knob)


def _still_driven(knob: nuke.Knob) -> bool:
    """Red, green and blue still hold their driving expressions (the ops
    rule, read cheaply: each channel's expression text, no value parsed)."""
    if not isinstance(knob, nuke.Array_Knob):
        return False
    for index, channel in enumerate("rgb"):
        curve = knob.animation(index)
        if curve is None or not is_driving_expression(curve.expression(), channel):
            return False
    return True


def on_update_ui() -> None:
    """Nuke calls this at idle for every node of a registered class: a
    dictionary lookup for nodes without stop knobs, a few knob reads for
    nodes with them, a relink only when the link changed."""
    if _paused:
        return
    node = nuke.thisNode()
    stops = node.knob(STOP_KNOBS.master)
    if stops is None:
        return
    name = driven_knob(LiveNode(node)) or ""
    linear = node.knob(name)
    if linear is None:
        return
    if _still_driven(linear):
        if stops.label() == UNLINKED_LABEL:
            _mark_linked(node, stops)
        return
    if stops.label() == UNLINKED_LABEL and _broken_text.get(node.fullName()) == linear.toScript():
        return  # already reported, and unchanged since
    _sync(node, name)


def _mark_linked(node: nuke.Node, stops: nuke.Knob) -> None:
    stops.setLabel(_STOPS_SPEC.label)
    stops.setTooltip(_STOPS_SPEC.tooltip)
    _broken_text.pop(node.fullName(), None)


def _sync(node: nuke.Node, knob: str) -> None:
    live = LiveNode(node)
    outcome = plan_relink(live, knob)
    reason = outcome.detail if outcome.status is Status.BROKEN else ""
    if outcome.edit is not None:
        with paused():
            try:
                apply_edit(live, outcome.edit)
            except KnobWriteError as error:
                live.revert()
                reason = f"{knob} could not be relinked: {error}"
    stops = node[STOP_KNOBS.master]
    if reason:
        stops.setLabel(UNLINKED_LABEL)
        stops.setTooltip(reason)
        linear = node.knob(knob)
        _broken_text[node.fullName()] = linear.toScript() if linear is not None else ""
    elif outcome.status in (Status.RELINKED, Status.LINKED):
        _mark_linked(node, stops)
