"""Find every exposure-bearing knob of a node and say what it is in stops.

Written against :class:`~nuke_plugin.conversion.ExposureNode`, so the same
report comes from a .nk file offline and from a live Nuke session. Knobs at
their default value are not listed: they change no exposure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .conversion import ExposureNode
from .exposure_knobs import (
    EXPOSURE_KNOBS,
    EXPTOOL_KNOBS,
    STOP_KNOBS,
    assess,
    channel_data,
    channel_text,
    describe,
    driven_by_stop_knobs,
    expand,
)
from .nk_values import Animation, Channel, KnobValueError
from .stops import convert, format_stops

__all__ = ["Finding", "scan_node", "STATUS_TEXT"]

#: How each status reads in a report.
STATUS_TEXT = {
    "constant": "constant",
    "animated": "animated",
    "expression": "expression-driven (left alone)",
    "nonpositive": "not expressible in stops",
    "unsupported": "not understood (left alone)",
    "stops": "stop knob (nuke-stops)",
    "driven": "driven by stop knobs",
}

# EXPTool's "mode" words that name a unit nuke_plugin.stops converts.
_EXPTOOL_UNITS = {"Stops": "stops", "Densities": "densities", "Cineon": "cineon"}


@dataclass(frozen=True)
class Finding:
    """One exposure-bearing knob: where, what it holds, what it is in stops."""

    path: str
    node_class: str
    knob: str
    linear: str
    stops: str
    status: str
    detail: str = ""
    values: Sequence[Channel] = ()

    @property
    def status_text(self) -> str:
        text = STATUS_TEXT.get(self.status, self.status)
        return f"{text}: {self.detail}" if self.detail else text

    def as_dict(self) -> Dict[str, Any]:
        """Plain data for JSON and CSV."""
        return {
            "node": self.path,
            "class": self.node_class,
            "knob": self.knob,
            "linear": self.linear,
            "stops": self.stops,
            "status": self.status,
            "detail": self.detail,
            "channels": [channel_data(v) for v in self.values],
        }


def _read(node: ExposureNode, knob: str) -> Tuple[Optional[List[Channel]], str]:
    try:
        return node.read(knob), ""
    except KnobValueError as error:
        return None, str(error)


def scan_node(node: ExposureNode) -> List[Finding]:
    """The exposure-bearing knobs of one node that are set (not at default)."""
    if node.node_class not in EXPOSURE_KNOBS and node.node_class != "EXPTool":
        return []  # nothing to read: a script's other nodes keep their knobs unsplit
    found: List[Optional[Finding]] = []
    has_stop_knobs = node.has_knob(STOP_KNOBS.master)
    if has_stop_knobs:
        for knob in (STOP_KNOBS.master, STOP_KNOBS.channels):
            found.append(_stops_finding(node, knob, "stops", ""))
    for knob in EXPOSURE_KNOBS.get(node.node_class, ()):
        found.append(_linear_finding(node, knob, has_stop_knobs))
    if node.node_class == "EXPTool":
        mode = node.read_word("mode")
        unit = _EXPTOOL_UNITS.get(mode or "")
        for knob in EXPTOOL_KNOBS:
            if unit is None:
                detail = f"mode {mode or 'not written (Nuke default)'}: unit not known here"
                found.append(_stops_finding(node, knob, "unsupported", detail))
            else:
                found.append(_stops_finding(node, knob, "constant", "", unit))
    return [f for f in found if f is not None]


def _linear_finding(node: ExposureNode, knob: str, has_stop_knobs: bool) -> Optional[Finding]:
    """A multiplier knob; None when it is at its default."""
    values, problem = _read(node, knob)
    if problem:
        return Finding(node.path, node.node_class, knob, "", "", "unsupported", problem)
    assessment = assess(values)
    if values is None or assessment.status == "default":
        return None
    status, detail = assessment.status, assessment.reason
    linear, stops = describe(values, assessment)
    if status == "expression" and has_stop_knobs and driven_by_stop_knobs(expand(values)):
        keyed = any(isinstance(v, Animation) and v.keys for v in values)
        status, detail = "driven", ""
        linear = "keys x pow(2, stop knobs)" if keyed else "pow(2, stop knobs)"
    return Finding(node.path, node.node_class, knob, linear, stops, status, detail, values)


def _stops_finding(
    node: ExposureNode, knob: str, status: str, detail: str, unit: str = "stops"
) -> Optional[Finding]:
    """A knob already in exposure units (our stop knobs, EXPTool); None when
    it is not written (at its default)."""
    values, problem = _read(node, knob)
    if problem:
        return Finding(node.path, node.node_class, knob, "", "", "unsupported", problem)
    if values is None:
        return None
    if any(isinstance(v, Animation) and v.is_expression for v in values):
        status, detail = "expression", ""
    elif status == "constant" and any(isinstance(v, Animation) for v in values):
        status = "animated"
    written = " ".join(channel_text(v, "{:g}".format) for v in values)

    def in_stops(x: float) -> str:
        return format_stops(convert(x, unit, "stops"))

    stops = "" if status == "unsupported" else " ".join(channel_text(v, in_stops) for v in values)
    linear = "" if unit == "stops" else written
    return Finding(node.path, node.node_class, knob, linear, stops, status, detail, values)
