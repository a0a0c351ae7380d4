"""Nudge exposure by a step in stops: +1, -1, +1/3, -1/3 or any step.

Written against :class:`~nuke_plugin.ops.exposure_node.ExposureNode`. A node with
stop knobs gets its master ``nks_stops`` changed; a plain Grade, Multiply or
ColorCorrect gets its linear knob multiplied by ``2 ** step`` on red, green
and blue (alpha never). On an animated knob the whole curve shifts (every
key: the plate-matching case), or, with ``frame``, only that frame is keyed.
Nothing is overwritten that a nudge cannot honestly change: an
expression-driven knob, stop knobs the linear knob no longer follows, and
clones are refused with the reason.

>>> from nuke_plugin.adapters.script_node import ScriptNode
>>> from nuke_plugin.nkfile.parser import parse
>>> from nuke_plugin.ops.outcome import applied
>>> node = ScriptNode(parse("Grade {\\n multiply {1.5 1.2 1 1}\\n name G\\n}\\n").nodes[0])
>>> str(applied(node, plan_nudge(node, 1)).status)
'nudged'
>>> node.node.knob_text("multiply")
'{3 2.4 2 1}'
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import List, Optional

from ..core.exposure import ExposureDomainError, exposure_to_intensity
from ..core.notation import format_stops, with_unit
from ..nkfile.values import Animation, Channel, Key, KnobValueError
from ..registry import CONVERTIBLE, STOP_KNOBS
from .catalogue import MAX_STOPS, MIN_STOPS, driven_by_stop_knobs, expand
from .convert import driven_knob
from .exposure_node import ExposureNode
from .outcome import CLONE_REASON, Edit, Outcome, Status
from .reasons import driven_by_expression, not_following

__all__ = ["NUDGE_STEPS", "key_at", "plan_nudge"]

#: The steps an artist picks from (in stops).
NUDGE_STEPS = (Fraction(1), Fraction(1, 2), Fraction(1, 3), Fraction(1, 4))


def _shift_curve(curve: Animation, change: float, multiply: bool) -> Animation:
    """Every key moved: +change stops, or x change for linear values (whose
    slopes scale with them)."""
    keys = []
    for key in curve.keys:
        value = key.value * change if multiply else key.value + change
        tangents = tuple(
            (letter, amount * change if multiply and letter in "st" else amount)
            for letter, amount in key.tangents
        )
        keys.append(Key(key.frame, value, key.interpolation, key.extrapolation, tangents))
    return Animation(curve.expression, tuple(keys), curve.flag)


def key_at(curve: Animation, frame: float, value: float) -> Animation:
    """The curve with a key at ``frame`` set to ``value`` (others untouched);
    a new key takes the interpolation of the key before it, as the curve
    format reads a key written without a letter."""
    keys = [k for k in curve.keys if k.frame != frame]
    before = [k for k in keys if k.frame < frame]
    interpolation = before[-1].interpolation if before else None
    keys.append(Key(frame, value, interpolation))
    return Animation(curve.expression, tuple(sorted(keys, key=lambda k: k.frame)), curve.flag)


def _nudged(
    node: ExposureNode,
    knob: str,
    index: int,
    value: Channel,
    change: float,
    multiply: bool,
    frame: Optional[float],
) -> Channel:
    if not isinstance(value, Animation):
        return value * change if multiply else value + change
    if frame is None:
        return _shift_curve(value, change, multiply)
    now = node.value_at(knob, index, frame)
    return key_at(value, frame, now * change if multiply else now + change)


def _refused(node: ExposureNode, knob: str, reason: str) -> Outcome:
    return Outcome.of(node, knob, Status.REFUSED, reason)


def _numbers(value: Channel) -> List[float]:
    """A channel's constant, or its keys' values and slopes."""
    if not isinstance(value, Animation):
        return [value]
    return [n for key in value.keys for n in (key.value, *(a for _, a in key.tangents))]


def _out_of_range(node: ExposureNode, old: List[Channel], new: List[Channel], stops: bool) -> str:
    """Why the nudged values cannot be written ("": they can). Linear values
    must stay finite and not fall to zero; stops must keep every channel's
    2 ** (stops + offset) a positive finite double."""
    if not stops:
        for before, after in zip(old, new):
            for was, now in zip(_numbers(before), _numbers(after)):
                if not math.isfinite(now) or (was != 0 and now == 0):
                    return f"{was:g} would become {now:g}: beyond what a knob holds"
        return ""
    masters = [n for value in new for n in _numbers(value)]
    try:
        offsets = (node.read(STOP_KNOBS.channels) or [0.0])[:3]  # alpha's is its own
    except KnobValueError as error:
        return str(error)
    low = min(masters) + min(n for value in offsets for n in _numbers(value))
    high = max(masters) + max(n for value in offsets for n in _numbers(value))
    if not (math.isfinite(low) and math.isfinite(high)) or low < MIN_STOPS or high > MAX_STOPS:
        return (
            f"stops would reach {low if low < MIN_STOPS else high:g}: "
            f"2 ** stops must stay between 2 ** {MIN_STOPS:g} and 2 ** {MAX_STOPS:g}"
        )
    return ""


def plan_nudge(node: ExposureNode, step: float, frame: Optional[float] = None) -> Outcome:
    """Plan changing one node's exposure by ``step`` stops, or say why not.

    ``frame`` None shifts whole curves; a frame keys only that frame.
    """
    text = format_stops(step)
    if node.has_knob(STOP_KNOBS.master):
        linear = driven_knob(node) or ""
        try:
            driven = node.read(linear)
            values = node.read(STOP_KNOBS.master) or [0.0]
        except KnobValueError as error:
            return _refused(node, STOP_KNOBS.master, str(error))
        if driven is None or not driven_by_stop_knobs(driven):
            return _refused(node, STOP_KNOBS.master, not_following(linear))
        knob, multiply = STOP_KNOBS.master, False
        indices: List[int] = [0]
        change: float = float(step)
    elif node.node_class in CONVERTIBLE:
        knob = CONVERTIBLE[node.node_class]
        try:
            values = expand(node.read(knob) or [1.0])
        except (KnobValueError, ValueError) as error:
            return _refused(node, knob, str(error))
        multiply = True
        try:
            indices, change = [0, 1, 2], exposure_to_intensity(step)  # alpha is never nudged
        except ExposureDomainError as error:
            return _refused(node, knob, f"a step of {step:g} stops: {error}")
    else:
        return Outcome.of(node, "", Status.SKIPPED, "no exposure knob to nudge")
    if node.is_cloned:
        return Outcome.of(node, knob, Status.CLONED, CLONE_REASON)
    animated = [values[i] for i in indices if isinstance(values[i], Animation)]
    expressions = [v for v in animated if isinstance(v, Animation) and v.is_expression]
    if expressions:
        return _refused(node, knob, driven_by_expression(knob, expressions[0].expression, "nudge"))
    new = list(values)
    for i in indices:
        new[i] = _nudged(node, knob, i, values[i], change, multiply, frame)
    old_values, new_values = [values[i] for i in indices], [new[i] for i in indices]
    problem = _out_of_range(node, old_values, new_values, stops=not multiply)
    if problem:
        return _refused(node, knob, problem)
    where = "every key" if animated and frame is None else f"frame {frame:g}" if animated else ""
    detail = with_unit(text) + (f" ({where})" if where else "")
    return Outcome.of(node, knob, Status.NUDGED, detail, edit=Edit(writes=((knob, tuple(new)),)))
