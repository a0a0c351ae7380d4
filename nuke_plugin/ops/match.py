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
from typing import Mapping

from ..core.notation import format_stops, with_unit
from ..nkfile.curves import value_at
from ..nkfile.values import Animation, Channel, Key, KnobValueError
from ..registry import STOP_KNOBS
from .catalogue import representable
from .convert import plan_conversion
from .exposure_node import ExposureNode
from .nudge import _out_of_range, plan_nudge
from .outcome import Edit, Outcome, Status, StopKnobValues

__all__ = ["plan_match", "plan_match_frames"]


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
    detail = f"stop knobs added, {with_unit(format_stops(stops))} on the master"
    return replace(
        outcome, detail=detail, master=master + stops, edit=replace(edit, stop_knobs=knobs)
    )


def _keyed(master: Channel, offsets: Mapping[int, float]) -> Animation:
    """``master`` with a key at each frame of ``offsets``: its value there
    plus the offset. Keys of an animated master at other frames stay; a
    constant master becomes keys at those frames alone (Nuke holds the first
    and last key's value outside them)."""
    base = master if isinstance(master, Animation) else Animation("curve", ())
    keys = {key.frame: key for key in base.keys}
    for frame, stops in sorted(offsets.items()):
        now = value_at(base, frame) if isinstance(master, Animation) else float(master)
        keys[float(frame)] = Key(float(frame), now + stops)
    return Animation("curve", tuple(keys[f] for f in sorted(keys)), base.flag)


def plan_match_frames(node: ExposureNode, offsets: Mapping[int, float]) -> Outcome:
    """Plan keying per-frame offsets (frame: stops to add) onto a node's
    stop master: each frame's key is the master's value there plus that
    frame's offset. A Grade, Multiply or ColorCorrect without stop knobs
    gets them first, in the same edit (one undo step). Refused, with the
    reason, where :func:`plan_match` is (an expression, clones, stop knobs
    the linear knob no longer follows, a value beyond what a knob holds).

    >>> from nuke_plugin.adapters.script_node import ScriptNode
    >>> from nuke_plugin.nkfile.parser import parse
    >>> from nuke_plugin.ops.outcome import applied
    >>> node = ScriptNode(parse("Grade {\\n name Plate_match\\n}\\n").nodes[0])
    >>> str(applied(node, plan_match_frames(node, {1001: 0.5, 1002: -0.25})).status)
    'set'
    >>> node.node.knob_text("nks_stops")
    '{{curve x1001 0.5 x1002 -0.25}}'
    """
    if not offsets:
        return Outcome.of(node, STOP_KNOBS.master, Status.REFUSED, "no frame was measured")
    shown = f"{len(offsets)} frame(s) keyed, {format_stops(min(offsets.values()))} to "
    shown += f"{format_stops(max(offsets.values()))} stops"
    if node.has_knob(STOP_KNOBS.master):
        checked = plan_nudge(node, 0.0)  # the nudge's refusals: expression, clone, unlinked
        if checked.status is not Status.NUDGED:
            return checked
        try:
            master = (node.read(STOP_KNOBS.master) or [0.0])[0]
        except KnobValueError as error:
            return Outcome.of(node, STOP_KNOBS.master, Status.REFUSED, str(error))
        keyed = _keyed(master, offsets)
        problem = _out_of_range(node, [master], [keyed], stops=True)
        if problem:
            return Outcome.of(node, STOP_KNOBS.master, Status.REFUSED, problem)
        edit = Edit(writes=((STOP_KNOBS.master, (keyed,)),))
        return Outcome.of(node, STOP_KNOBS.master, Status.SET, shown, edit=edit)
    outcome = plan_conversion(node, include_default=True)
    if outcome.edit is None or outcome.edit.stop_knobs is None:
        return outcome
    added = outcome.edit.stop_knobs
    if isinstance(added.master, Animation) and added.master.is_expression:
        return Outcome.of(node, outcome.knob, Status.REFUSED, "its stops are an expression")
    keyed = _keyed(added.master, offsets)
    if not all(representable(key.value) for key in keyed.keys):
        reason = f"stops of {shown} cannot be written"
        return Outcome.of(node, outcome.knob, Status.REFUSED, reason)
    knobs = StopKnobValues(keyed, added.channels, added.drives)
    detail = f"stop knobs added, {shown}"
    return replace(
        outcome,
        status=Status.SET,
        detail=detail,
        master=keyed,
        edit=replace(outcome.edit, stop_knobs=knobs),
    )
