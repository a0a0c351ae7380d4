"""How findings and outcomes read, once for the command line and Nuke's messages.

>>> from nuke_plugin.ops.outcome import Outcome, Status
>>> outcome_text(Outcome("Grade1", "Grade", "multiply", Status.NONPOSITIVE, "channel r is 0"))
'Grade1.multiply: nonpositive (channel r is 0)'
>>> print(table(["node", "stops"], [["Grade1", "+1"], ["Blur12", "-1/3"]]))
node    stops
Grade1  +1
Blur12  -1/3
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence

from .core.notation import format_stops
from .nkfile.values import Animation, Channel
from .ops.assess import KnobState, channel_text
from .ops.outcome import Outcome
from .ops.scan import Finding

__all__ = [
    "STATE_TEXT",
    "channel_data",
    "finding_data",
    "finding_text",
    "outcome_data",
    "outcome_line",
    "outcome_text",
    "table",
]

#: How each knob state reads in a scan report.
STATE_TEXT = {
    KnobState.CONSTANT: "constant",
    KnobState.ANIMATED: "animated",
    KnobState.EXPRESSION: "expression-driven (left alone)",
    KnobState.NONPOSITIVE: "not expressible in stops",
    KnobState.UNSUPPORTED: "not understood (left alone)",
    KnobState.STOP_KNOB: "stop knob (nuke-stops)",
    KnobState.DRIVEN: "driven by stop knobs",
    KnobState.UNLINKED: "unlinked: the knob no longer follows its stop knobs",
    KnobState.DEFAULT: "at its default",
}


def table(headers: List[str], rows: Sequence[Sequence[str]], numbers: bool = False) -> str:
    """Columns under a header line: right-aligned for numbers, else left."""
    cells = [headers, *rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(headers))]
    align = str.rjust if numbers else str.ljust
    return "\n".join(
        "  ".join(align(c, w) for c, w in zip(line, widths)).rstrip() for line in cells
    )


def channel_data(value: Channel) -> Any:
    """A channel as plain data for JSON: a number, or expression and keys.

    >>> from nuke_plugin.nkfile.values import Key
    >>> channel_data(Animation("curve", (Key(1, 0.5),)))
    {'expression': 'curve', 'keys': [{'frame': 1, 'value': 0.5}]}
    """
    if not isinstance(value, Animation):
        return value
    keys = [{"frame": k.frame, "value": k.value} for k in value.keys]
    return {"expression": value.expression, "keys": keys}


def finding_text(finding: Finding) -> str:
    """A finding's state as a scan table shows it, with its detail."""
    text = STATE_TEXT.get(finding.state, str(finding.state))
    return f"{text}: {finding.detail}" if finding.detail else text


def finding_data(finding: Finding) -> Dict[str, Any]:
    """A finding as plain data for JSON, JSON Lines and CSV."""
    return {
        "node": finding.path,
        "class": finding.node_class,
        "knob": finding.knob,
        "linear": finding.linear,
        "stops": finding.stops,
        "status": str(finding.state),
        "detail": finding.detail,
        "channels": [channel_data(v) for v in finding.values],
    }


def outcome_text(outcome: Outcome) -> str:
    """One line: ``Grade1.multiply: nonpositive (channel r is 0 ...)``."""
    detail = f" ({outcome.detail})" if outcome.detail else ""
    return f"{outcome.where}: {outcome.status}{detail}"


def outcome_line(outcome: Outcome) -> str:
    """A conversion's report line: what was converted to which stops, or why not."""
    if not outcome.changed:
        return f"left alone {outcome_text(outcome)}"
    master = channel_text(outcome.master if outcome.master is not None else 0.0, format_stops)
    channels = " ".join(channel_text(c, format_stops) for c in outcome.channels)
    extra = f" ({outcome.detail})" if outcome.detail else ""
    return f"converted  {outcome.where}: stops {master}, per channel {channels}{extra}"


def outcome_data(outcome: Outcome) -> Dict[str, Any]:
    """An outcome as plain data for JSON."""
    return {
        "node": outcome.path,
        "class": outcome.node_class,
        "knob": outcome.knob,
        "status": str(outcome.status),
        "detail": outcome.detail,
        "stops": channel_data(outcome.master) if outcome.master is not None else None,
        "channel_stops": [channel_data(c) for c in outcome.channels],
    }
