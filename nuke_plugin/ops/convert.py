"""Turn legacy multiply values into stops: one operation for Nuke and files.

Written against :class:`~nuke_plugin.ops.exposure_node.ExposureNode`: the plan reads
a node and returns an :class:`~nuke_plugin.ops.outcome.Outcome` carrying the
edit to write. Commands plan every node before changing any, so a node that
cannot be read or converted is reported and left alone without touching
the others.

A converted node gets an "Exposure" tab with a master ``nks_stops`` knob and
a per-channel ``nks_channel_stops`` (r, g, b, a) knob, and its linear knob is
driven by ``pow(2, ...)`` expressions, so Nuke renders it exactly as before,
with or without this package:

    multiply {1.5 1.2 1 1}
    ->  multiply {{pow(2,nks_stops+nks_channel_stops.r)} {...g} {...b} 1}
        nks_stops 0
        nks_channel_stops {0.585 0.263 0 0}

Choices: when red, green and blue agree, their stops go to the master knob
and the channel offsets are 0 (``multiply 2`` becomes ``stops +1``). Alpha
is driven only when its multiplier was not 1, and never by the master, so a
nudge never changes alpha. A keyed channel keeps its keys and gets the stops
on top (``curve*pow(2, ...)``): it renders exactly as before at every frame,
between keys included (converting the keys themselves to stops would change
the in-between frames: docs/between_keys.md measures by how much).
Expressions, zero and negative values, unreadable values and clones are
reported and left untouched.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from ..core.exposure import ExposureDomainError, intensity_to_exposure
from ..nkfile.values import Animation, Channel, KnobValueError
from ..registry import CONVERTIBLE, STOP_KNOBS
from .assess import Assessment, KnobState, assess
from .catalogue import (
    CHANNEL_NAMES,
    driven_by_stop_knobs,
    driving_expression,
    expand,
    representable,
)
from .exposure_node import ExposureNode
from .outcome import CLONE_REASON, Edit, Outcome, Status, StopKnobValues

__all__ = ["driven_knob", "plan_conversion", "plan_relink", "stop_knob_values"]


def stop_knob_values(
    values: Optional[Sequence[Channel]],
) -> Tuple[Channel, List[Channel], List[Channel], List[str]]:
    """Master stops, per-channel stops, the driving channels, and which
    channels keep their keys, for a linear knob's value (None: default 1).

    >>> master, offsets, driving, keyed = stop_knob_values([2.0, 2.0, 2.0, 1.0])
    >>> master, offsets, driving[3], keyed
    (1.0, [0.0, 0.0, 0.0, 0.0], 1.0, [])
    >>> stop_knob_values([1.5, 1.2, 1.0, 1.0])[2][0].expression
    'pow(2,nks_stops+nks_channel_stops.r)'
    """
    channels = expand(values if values is not None else [1.0])
    offsets: List[Channel] = []
    driving: List[Channel] = []
    keyed: List[str] = []
    for name, value in zip(CHANNEL_NAMES, channels):
        if isinstance(value, Animation):
            offsets.append(0.0)  # the keys stay; the stops apply on top
            driving.append(Animation(driving_expression(name, True), value.keys, value.flag))
            keyed.append(name)
        elif name == "a" and value == 1.0:
            offsets.append(0.0)
            driving.append(1.0)  # alpha untouched: not driven
        else:
            stops = intensity_to_exposure(value)
            if not representable(stops):
                raise ExposureDomainError(
                    f"channel {name} is {value:g}: too large to drive with stops"
                    f" (2 ** {stops:g} is not a finite number)"
                )
            offsets.append(stops)
            driving.append(Animation(driving_expression(name)))
    master: Channel = 0.0
    red, green, blue = offsets[:3]
    if red == green == blue and not any(c in keyed for c in "rgb"):
        master, offsets[:3] = red, [0.0, 0.0, 0.0]
    return master, offsets, driving, keyed


def _keyed_detail(values: Optional[Sequence[Channel]], keyed: List[str]) -> str:
    if not keyed:
        return ""
    count = max(len(v.keys) for v in expand(values or [1.0]) if isinstance(v, Animation))
    return f"keys kept on {', '.join(keyed)} (up to {count}); stops apply on top"


#: What a conversion reports for a knob it leaves alone, by what the knob holds.
_LEFT_ALONE = {
    KnobState.EXPRESSION: Status.EXPRESSION,
    KnobState.NONPOSITIVE: Status.NONPOSITIVE,
    KnobState.UNSUPPORTED: Status.UNSUPPORTED,
}


def _left_alone(node: ExposureNode, knob: str, assessment: Assessment) -> Outcome:
    """A knob ``assess`` found not convertible (an expression, a value of
    no exposure, one this package cannot read or write)."""
    status = _LEFT_ALONE.get(assessment.state, Status.UNSUPPORTED)
    return Outcome.of(node, knob, status, assessment.reason)


def plan_conversion(
    node: ExposureNode, knob: Optional[str] = None, include_default: bool = False
) -> Outcome:
    """Plan converting one node's linear knob to stop knobs, or say why not.

    ``knob`` defaults to the class's usual one (Grade.multiply,
    Multiply.value, ColorCorrect.gain). A knob at its default (1) is
    converted only with ``include_default`` (adding stop knobs to a fresh
    node); a node that already has stop knobs is left as it is.
    """
    name = knob or CONVERTIBLE.get(node.node_class, "")
    if not name:
        return Outcome(
            node.path, node.node_class, "", Status.SKIPPED, "not a Grade/Multiply/ColorCorrect"
        )
    if node.is_cloned:
        return Outcome.of(node, name, Status.CLONED, CLONE_REASON)
    if node.has_knob(STOP_KNOBS.master):
        return Outcome.of(node, name, Status.ALREADY, "it has stop knobs")
    try:
        values = node.read(name)
    except KnobValueError as error:
        return Outcome.of(node, name, Status.UNSUPPORTED, str(error))
    assessment = assess(values)
    if assessment.state == KnobState.DEFAULT and not include_default:
        return Outcome.of(node, name, Status.DEFAULT, _default_detail(node, name))
    if not assessment.convertible:
        return _left_alone(node, name, assessment)
    try:
        master, offsets, driving, keyed = stop_knob_values(values)
    except ExposureDomainError as error:
        return Outcome.of(node, name, Status.UNSUPPORTED, str(error))
    edit = Edit(StopKnobValues(master, tuple(offsets), name), ((name, tuple(driving)),))
    return Outcome.of(
        node,
        name,
        Status.CONVERTED,
        _keyed_detail(values, keyed),
        master,
        tuple(offsets),
        edit,
    )


#: Why a knob at its default is left alone, when nothing else is to say.
AT_DEFAULT = "at its default (1)"


def _default_detail(node: ExposureNode, name: str) -> str:
    """:data:`AT_DEFAULT`, or, when another knob than the class's usual one
    was chosen (``--grade-knob white``) and the usual one holds a value,
    that it is not converted: a report that leaves it out hides it."""
    usual = CONVERTIBLE.get(node.node_class)
    if usual is None or usual == name:
        return AT_DEFAULT
    try:
        state = assess(node.read(usual)).state
    except KnobValueError:
        return AT_DEFAULT
    if state == KnobState.DEFAULT:
        return AT_DEFAULT
    return f"{name} is at its default (1); {usual} holds a value and is left as it is"


def driven_knob(node: ExposureNode) -> Optional[str]:
    """The linear knob a node's stop knobs drive (None: no stop knobs)."""
    if not node.has_knob(STOP_KNOBS.master):
        return None
    return node.read_word(STOP_KNOBS.drives) or CONVERTIBLE.get(node.node_class)


def plan_relink(node: ExposureNode, knob: str) -> Outcome:
    """Plan how stop knobs and the linear knob they drive agree again.

    Called when the linear knob of a node with stop knobs was edited (which
    replaces the driving expressions). A value that has stops (positive
    numbers, positive keys) moves into the stop knobs and the expressions
    come back: ``relinked``. A value that cannot be said in stops (an
    expression of the artist's, zero, a negative value) is ``broken``, with
    the reason for the adapter to show.
    """
    if driven_knob(node) != knob:
        return Outcome.of(node, knob, Status.SKIPPED, "not driven by stop knobs")
    try:
        values = node.read(knob)
    except KnobValueError as error:
        return Outcome.of(node, knob, Status.BROKEN, str(error))
    if values is not None and driven_by_stop_knobs(values):
        return Outcome.of(node, knob, Status.LINKED)
    assessment = assess(values)
    if not assessment.convertible:
        reason = f"{knob} is no longer driven by the stop knobs: {assessment.reason}"
        return Outcome.of(node, knob, Status.BROKEN, reason)
    try:
        master, offsets, driving, keyed = stop_knob_values(values)
    except ExposureDomainError as error:
        reason = f"{knob} is no longer driven by the stop knobs: {error}"
        return Outcome.of(node, knob, Status.BROKEN, reason)
    writes = (
        (STOP_KNOBS.master, (master,)),
        (STOP_KNOBS.channels, tuple(offsets)),
        (knob, tuple(driving)),
    )
    return Outcome.of(
        node,
        knob,
        Status.RELINKED,
        _keyed_detail(values, keyed),
        master,
        tuple(offsets),
        Edit(writes=writes),
    )
