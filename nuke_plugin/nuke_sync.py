"""Keep stop knobs honest inside Nuke: a knobChanged callback.

menu.py registers :func:`on_knob_changed` for Grade, Multiply and
ColorCorrect. When an artist edits the linear knob of a node that has stop
knobs, the stop knobs follow the new value (see
:func:`nuke_plugin.conversion.relink`); when the new value has no stops (an
expression, zero, a negative value) the stops knob is relabelled
"stops (unlinked)" with the reason in its tooltip, so the two knobs never
disagree silently.
"""

from __future__ import annotations

import nuke

from .conversion import driven_knob, relink
from .exposure_knobs import EXPOSURE_KNOBS, STOP_KNOBS
from .nuke_node import LiveNode

__all__ = ["on_knob_changed"]

_busy = [False]  # writing knobs below fires knobChanged again: ignore those
UNLINKED = "stops (unlinked)"


def on_knob_changed() -> None:
    """Nuke calls this after any knob of a registered class changes."""
    if _busy[0]:
        return
    node = nuke.thisNode()
    knob = nuke.thisKnob().name()
    if knob not in EXPOSURE_KNOBS.get(node.Class(), ()) or node.knob(STOP_KNOBS.master) is None:
        return
    live = LiveNode(node)
    if driven_knob(live) != knob:
        return
    _busy[0] = True
    try:
        outcome = relink(live, knob)
        stops = node[STOP_KNOBS.master]
        if outcome.status == "broken":
            stops.setLabel(UNLINKED)
            stops.setTooltip(outcome.detail)
        elif outcome.status in ("relinked", "linked"):
            stops.setLabel("stops")
    finally:
        _busy[0] = False
