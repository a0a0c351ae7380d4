"""Find every exposure-bearing knob of a node and say what it is in stops.

Written against :class:`~nuke_plugin.ops.exposure_node.ExposureNode`, so the same
findings come from a .nk file offline and from a live Nuke session. Knobs
at their default value are not listed: they change no exposure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from ..core.exposure import convert_units
from ..core.notation import format_stops
from ..nkfile.values import Animation, Channel, KnobValueError
from ..registry import (
    EXPOSURE_CLASSES,
    EXPOSURE_KNOBS,
    EXPTOOL,
    EXPTOOL_KNOBS,
    EXPTOOL_UNITS,
    STOP_KNOBS,
)
from .assess import KnobState, assess, channel_text, describe
from .catalogue import driven_by_stop_knobs
from .exposure_node import ExposureNode
from .reasons import unknown_mode

__all__ = ["Finding", "scan_node"]


@dataclass(frozen=True)
class Finding:
    """One exposure-bearing knob: where, what it holds, what it is in stops."""

    path: str
    node_class: str
    knob: str
    linear: str  # the linear values as a report shows them
    stops: str  # the same in stops, as artists write them
    state: KnobState
    detail: str = ""
    values: Sequence[Channel] = ()


def _values_or_problem(node: ExposureNode, knob: str) -> Tuple[Optional[List[Channel]], str]:
    """A knob's channels (None at its default), or why they cannot be read."""
    try:
        return node.read(knob), ""
    except KnobValueError as error:
        return None, str(error)


def scan_node(node: ExposureNode) -> List[Finding]:
    """The exposure-bearing knobs of one node that are set (not at default)."""
    if node.node_class not in EXPOSURE_CLASSES:
        return []  # nothing to read: a script's other nodes keep their knobs unsplit
    found: List[Optional[Finding]] = []
    has_stop_knobs = node.has_knob(STOP_KNOBS.master)
    if has_stop_knobs:
        for knob in (STOP_KNOBS.master, STOP_KNOBS.channels):
            found.append(_stops_finding(node, knob, KnobState.STOP_KNOB, ""))
    for knob in EXPOSURE_KNOBS.get(node.node_class, ()):
        found.append(_linear_finding(node, knob, has_stop_knobs))
    if node.node_class == EXPTOOL:
        mode = node.read_word("mode")
        unit = EXPTOOL_UNITS.get(mode or "")
        for knob in EXPTOOL_KNOBS:
            if unit is None:
                found.append(_stops_finding(node, knob, KnobState.UNSUPPORTED, unknown_mode(mode)))
            else:
                found.append(_stops_finding(node, knob, KnobState.CONSTANT, "", unit))
    return [f for f in found if f is not None]


def _linear_finding(node: ExposureNode, knob: str, has_stop_knobs: bool) -> Optional[Finding]:
    """A multiplier knob; None when it is at its default."""
    values, problem = _values_or_problem(node, knob)
    if problem:
        return Finding(node.path, node.node_class, knob, "", "", KnobState.UNSUPPORTED, problem)
    assessment = assess(values)
    if values is None or assessment.state == KnobState.DEFAULT:
        return None
    state, detail = assessment.state, assessment.reason
    linear, stops = describe(values, assessment)
    if state == KnobState.EXPRESSION and has_stop_knobs and driven_by_stop_knobs(values):
        keyed = any(isinstance(v, Animation) and v.keys for v in values)
        state, detail = KnobState.DRIVEN, ""
        linear = "keys x pow(2, stop knobs)" if keyed else "pow(2, stop knobs)"
    return Finding(node.path, node.node_class, knob, linear, stops, state, detail, values)


def _stops_finding(
    node: ExposureNode, knob: str, state: KnobState, detail: str, unit: str = "stops"
) -> Optional[Finding]:
    """A knob already in exposure units (our stop knobs, EXPTool); None when
    it is not written (at its default)."""
    values, problem = _values_or_problem(node, knob)
    if problem:
        return Finding(node.path, node.node_class, knob, "", "", KnobState.UNSUPPORTED, problem)
    if values is None:
        return None
    if any(isinstance(v, Animation) and v.is_expression for v in values):
        state, detail = KnobState.EXPRESSION, ""
    elif state == KnobState.CONSTANT and any(isinstance(v, Animation) for v in values):
        state = KnobState.ANIMATED
    written = " ".join(channel_text(v, "{:g}".format) for v in values)

    def in_stops(x: float) -> str:
        return format_stops(convert_units(x, unit, "stops"))

    supported = state != KnobState.UNSUPPORTED
    stops = " ".join(channel_text(v, in_stops) for v in values) if supported else ""
    linear = "" if unit == "stops" else written
    return Finding(node.path, node.node_class, knob, linear, stops, state, detail, values)
