"""Put a measured offset on a plate's node: its stop knobs, added if missing.

Written against :class:`~nuke_plugin.ops.exposure_node.ExposureNode`. A node with
stop knobs is nudged by the offset (:func:`~nuke_plugin.ops.nudge.plan_nudge`);
a Grade, Multiply or ColorCorrect without them gets them, its current value
converted and the offset added to the master, in one edit (one undo step).

>>> from nuke_plugin.adapters.script_node import ScriptNode
>>> from nuke_plugin.nkfile.parser import parse
>>> node = ScriptNode(parse("Grade {\\n multiply 2\\n name Plate_grade\\n}\\n").nodes[0])
>>> outcome = plan_match(node, 4 / 3)
>>> str(outcome.status), round(outcome.master, 6)
('converted', 2.333333)
"""

from __future__ import annotations

from dataclasses import replace

from ..core.notation import format_stops
from ..nkfile.values import Animation
from ..registry import STOP_KNOBS
from .catalogue import representable
from .convert import plan_conversion
from .exposure_node import ExposureNode
from .nudge import plan_nudge
from .outcome import Outcome, Status, StopKnobValues

__all__ = ["plan_match"]


def plan_match(node: ExposureNode, stops: float) -> Outcome:
    """Plan adding ``stops`` to a node's exposure through its stop knobs."""
    if node.has_knob(STOP_KNOBS.master):
        return plan_nudge(node, stops)
    outcome = plan_conversion(node, include_default=True)
    edit = outcome.edit
    if edit is None or edit.stop_knobs is None:
        return outcome
    master = edit.stop_knobs.master
    if isinstance(master, Animation) or not representable(master + stops):
        reason = f"a master of {master} + {stops:g} stops cannot be written"
        return Outcome.of(node, outcome.knob, Status.REFUSED, reason)
    knobs = StopKnobValues(master + stops, edit.stop_knobs.channels, edit.stop_knobs.drives)
    detail = f"stop knobs added, {format_stops(stops)} stop(s) on the master"
    return replace(
        outcome, detail=detail, master=master + stops, edit=replace(edit, stop_knobs=knobs)
    )
