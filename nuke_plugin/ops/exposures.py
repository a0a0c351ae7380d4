"""A node's exposures as the Exposure panel lists them: one per exposure.

``scan`` lists knobs; an artist thinks in exposures. A node with stop knobs
has one exposure: the linear knob they drive, whose value in stops is the
master plus each channel's offset (alpha by its offset alone, as the
driving expressions define it). Every other exposure-bearing knob is one
exposure of its own, as ``scan`` lists it. Each exposure carries its
values at one frame, how many keys it has and their range, whether the
panel may write it, and why not.

Written against :class:`~nuke_plugin.ops.exposure_node.ExposureNode`, so a
parsed file and a live session give the same rows.

>>> from nuke_plugin.adapters.script_node import ScriptNode
>>> from nuke_plugin.nkfile.parser import parse
>>> text = (
...     "Grade {\\n nks_stops 1\\n nks_channel_stops {0 0 -0.5 0}\\n nks_drives multiply\\n"
...     " multiply {{pow(2,nks_stops+nks_channel_stops.r)} {pow(2,nks_stops+nks_channel_stops.g)}"
...     " {pow(2,nks_stops+nks_channel_stops.b)} {pow(2,nks_channel_stops.a)}}\\n name G\\n}\\n"
... )
>>> (found,) = exposures(ScriptNode(parse(text).nodes[0]), frame=1)
>>> found.knob, found.stops_text, found.linear_text, found.editable
('multiply', 'r +1 g +1 b +0.50', '2 2 1.414 1', True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Collection, List, Optional, Sequence, Tuple

from ..core.exposure import convert_units
from ..core.notation import format_stops
from ..nkfile.curves import value_at
from ..nkfile.values import Animation, Channel
from ..registry import EXPTOOL_KNOBS, EXPTOOL_UNITS, STOP_KNOBS
from .assess import KnobState
from .catalogue import expand
from .convert import driven_knob
from .exposure_node import ExposureNode
from .outcome import CLONE_REASON
from .scan import Finding, scan_node

if TYPE_CHECKING:
    from typing import TypeGuard

__all__ = ["READ_ONLY", "Exposure", "compact_stops", "exposures"]

#: The states the panel cannot write (the reason is the exposure's detail).
READ_ONLY = (
    KnobState.EXPRESSION,
    KnobState.NONPOSITIVE,
    KnobState.UNSUPPORTED,
    KnobState.UNLINKED,
)

Values = Tuple[Optional[float], ...]


@dataclass(frozen=True)
class Exposure:
    """One exposure of one node, at one frame."""

    path: str
    node_class: str
    knob: str  # what typing into the row writes (the driven knob for stop knobs)
    state: KnobState
    detail: str  # why it is read-only, or what it is made of
    stops: Values  # r, g, b, a at the frame; None where there is no exposure
    linear: Values  # the multipliers at the frame (None: not known offline)
    parts: Tuple[Finding, ...]  # the knobs behind it
    keys: int = 0  # keys on its knobs (0: not animated)
    key_range: Optional[Tuple[float, float]] = None  # stops at its keys, lowest and highest
    editable: bool = True
    frame: float = 1.0

    @property
    def stops_text(self) -> str:
        return compact_stops(self.stops)

    @property
    def linear_text(self) -> str:
        """The multipliers (alpha when it is known); what the knob holds
        when its values cannot be known here (an expression, offline)."""
        shown = list(self.linear[:3]) + [v for v in self.linear[3:] if v is not None]
        if all(v is None for v in shown):
            return self.parts[0].linear if self.parts else ""
        texts = ["?" if v is None else f"{v:.4g}" for v in shown]
        return texts[0] if len(texts) == 3 and len(set(texts)) == 1 else " ".join(texts)

    @property
    def at_frame_text(self) -> str:
        """The stops, and for a keyed exposure the frame, keys and range:
        ``+0.41 @1012 · 3 keys, -1..+1``."""
        text = self.stops_text
        if self.keys:
            text += f" @{self.frame:g} \u00b7 {self.keys} key{'s' if self.keys != 1 else ''}"
            if self.key_range is not None:
                low, high = self.key_range
                text += f", {format_stops(low)}..{format_stops(high)}"
        return text


def compact_stops(stops: Values) -> str:
    """Stops per channel in one compact form: ``+1`` when red, green and
    blue agree, else ``r +1.58 g +1.26 b +1``; alpha after, when it is not 0.

    >>> compact_stops((1.0, 1.0, 1.0, 0.0)), compact_stops((1.58, 1.26, 1.0, 0.0))
    ('+1', 'r +1.58 g +1.26 b +1')
    >>> compact_stops((0.0, 0.0, 0.0, -1.0)), compact_stops((None, None, None, 0.0))
    ('0 a -1', '')
    """
    rgb = list(stops[:3])
    if any(s is None for s in rgb):
        return ""
    texts = [format_stops(s) for s in rgb if s is not None]
    text = texts[0] if len(set(texts)) == 1 else " ".join(f"{c} {t}" for c, t in zip("rgb", texts))
    alpha = stops[3] if len(stops) > 3 else None
    if alpha is not None and format_stops(alpha) != "0":
        text += f" a {format_stops(alpha)}"
    return text


def exposures(node: ExposureNode, frame: float, keep: Collection[str] = ()) -> List[Exposure]:
    """The node's exposures at ``frame``. A knob named in ``keep`` that is
    at its default now (an edit to 0 stops) is still listed, at 0."""
    findings = scan_node(node)
    drives = driven_knob(node)
    found: List[Exposure] = []
    if drives is not None:
        behind = [f for f in findings if f.knob in (STOP_KNOBS.master, STOP_KNOBS.channels)]
        driven = [f for f in findings if f.knob == drives]
        found.append(_stop_knob_exposure(node, drives, behind + driven, frame))
        findings = [f for f in findings if f not in behind and f not in driven]
    listed = {f.knob for f in findings} | {e.knob for e in found}
    for finding in findings:
        found.append(_knob_exposure(node, finding, frame))
    for knob in keep:
        if knob not in listed and knob not in EXPTOOL_KNOBS:
            at_default = Finding(node.path, node.node_class, knob, "1", "0", KnobState.DEFAULT)
            found.append(_knob_exposure(node, at_default, frame))
    if node.is_cloned:
        return [replace(e, editable=False, detail=CLONE_REASON) for e in found]
    return found


def _knob_exposure(node: ExposureNode, finding: Finding, frame: float) -> Exposure:
    """A knob without stop knobs: a linear knob, or an EXPTool channel in
    the node's unit (its one value is that channel's exposure)."""
    values = list(finding.values) or [1.0]
    channels = expand(values, 4) if 1 < len(values) < 4 else values
    at = tuple(_at(node, finding.knob, channels, i, frame) for i in range(len(channels)))
    if finding.knob in EXPTOOL_KNOBS:
        unit = EXPTOOL_UNITS.get(node.read_word("mode") or "")
        value = None if unit is None or at[0] is None else convert_units(at[0], unit, "stops")
        stops: Values = (value, value, value, None if value is None else 0.0)
        linear: Values = tuple(None if s is None else 2.0**s for s in stops)
        keys, span = _keys(values, in_stops=True)  # the keys' values, in the unit
        key_range = None
        if span is not None and unit is not None:
            low, high = sorted(convert_units(x, unit, "stops") for x in span)
            key_range = (low, high)
    else:
        # One value is red, green and blue alike; alpha is shown when written.
        linear = (at * 3 + (None,)) if len(values) == 1 else at[:4]
        stops = tuple(_stops_of(v) for v in linear)
        keys, key_range = _keys(values, in_stops=False)
    return Exposure(
        finding.path, finding.node_class, finding.knob, finding.state, finding.detail,
        stops, linear, (finding,), keys, key_range, finding.state not in READ_ONLY, frame,
    )  # fmt: skip


def _stop_knob_exposure(
    node: ExposureNode, drives: str, parts: Sequence[Finding], frame: float
) -> Exposure:
    """The linear knob stop knobs drive: master plus offsets, per channel."""
    master = _channels(node, STOP_KNOBS.master, 0.0, 1)
    offsets = _channels(node, STOP_KNOBS.channels, 0.0, 4)
    at_master = _at(node, STOP_KNOBS.master, master, 0, frame)
    at_offsets = [_at(node, STOP_KNOBS.channels, offsets, i, frame) for i in range(4)]
    stops: List[Optional[float]] = []
    for channel, offset in enumerate(at_offsets):
        base = 0.0 if channel == 3 else at_master
        stops.append(None if base is None or offset is None else base + offset)
    driven = next((p for p in parts if p.knob == drives), None)
    linear = _driven_linear(node, drives, driven, stops, frame)
    state, detail = KnobState.STOP_KNOB, _made_of(parts, drives)
    kinds = {p.state for p in parts}
    if any(p.state == KnobState.EXPRESSION for p in parts if p.knob != drives):
        state = KnobState.EXPRESSION
        detail = "a stop knob is driven by an expression: " + detail
    elif driven is not None and driven.state != KnobState.DRIVEN:
        state = KnobState.UNLINKED
        detail = f"{drives} no longer follows the stop knobs: " + (driven.detail or driven.linear)
    elif KnobState.ANIMATED in kinds or any(isinstance(v, Animation) for v in master + offsets):
        state = KnobState.ANIMATED
    keys, key_range = _keys(master + offsets, True)
    under = [v for v in (driven.values if driven is not None else ()) if _keyed_under(v)]
    if under and state == KnobState.STOP_KNOB:
        state = KnobState.ANIMATED
    if under:  # keys kept under the driving expressions (a converted keyed knob)
        shift = [s for s in stops[:3] if s is not None]
        count, span = _keys([Animation("curve", v.keys) for v in under], in_stops=False)
        keys = max(keys, count)
        if span is not None and shift:
            key_range = (span[0] + min(shift), span[1] + max(shift))
    editable = state not in READ_ONLY
    return Exposure(
        node.path, node.node_class, drives, state, detail,
        tuple(stops), linear, tuple(parts), keys, key_range, editable, frame,
    )  # fmt: skip


def _made_of(parts: Sequence[Finding], drives: str) -> str:
    """What the stop knobs hold, for the row's tooltip."""
    shown = []
    for part in parts:
        if part.knob == STOP_KNOBS.master:
            shown.append(f"stops {part.stops}")
        elif part.knob == STOP_KNOBS.channels:
            shown.append(f"per channel {part.stops}")
    return f"{', '.join(shown) or 'stops 0'}; drives {drives}"


def _driven_linear(
    node: ExposureNode,
    drives: str,
    driven: Optional[Finding],
    stops: Sequence[Optional[float]],
    frame: float,
) -> Values:
    """The driven knob's multipliers at the frame: read from the host where
    it evaluates them (live Nuke), else keys times 2 ** stops (a file)."""
    values = list(driven.values) if driven is not None and driven.values else []
    channels = expand(values, 4) if values else []
    found: List[Optional[float]] = []
    for channel in range(4):
        try:
            found.append(float(node.value_at(drives, channel, frame)))
            continue
        except ValueError:  # an expression, offline: nothing read is evaluated
            pass
        total = stops[channel]
        value = channels[channel] if channels else None
        under = value_at(Animation("curve", value.keys), frame) if _keyed_under(value) else 1.0
        found.append(None if total is None else under * 2.0**total)
    return tuple(found)


def _keyed_under(value: Optional[Channel]) -> TypeGuard[Animation]:
    """A driven channel that keeps keys under its driving expression
    (``curve*pow(2, ...)``: a keyed knob converted)."""
    return (
        isinstance(value, Animation) and bool(value.keys) and value.expression.startswith("curve*")
    )


def _channels(node: ExposureNode, knob: str, default: float, count: int) -> List[Channel]:
    try:
        return expand(node.read(knob) or [default], count)
    except ValueError:
        return [default] * count


def _at(
    node: ExposureNode, knob: str, values: Sequence[Channel], channel: int, frame: float
) -> Optional[float]:
    """A channel's value at the frame; None where it cannot be known."""
    value = values[channel] if channel < len(values) else values[-1]
    if not isinstance(value, Animation):
        return float(value)
    try:
        return float(node.value_at(knob, channel, frame))
    except ValueError:
        return None


def _stops_of(linear: Optional[float]) -> Optional[float]:
    if linear is None or not linear > 0 or math.isinf(linear):
        return None
    return math.log2(linear)


def _keys(values: Sequence[Channel], in_stops: bool) -> Tuple[int, Optional[Tuple[float, float]]]:
    """How many keys the channels have (the most on one channel) and the
    stops their keys span."""
    keyed = [v for v in values if isinstance(v, Animation) and not v.is_expression and v.keys]
    if not keyed:
        return 0, None
    at_keys = [k.value if in_stops else _stops_of(k.value) for v in keyed for k in v.keys]
    known = [s for s in at_keys if s is not None]
    span = (min(known), max(known)) if known else None
    return max(len(v.keys) for v in keyed), span
