"""Set a knob's exposure to stops the artist typed: absolute, not a nudge.

Written against :class:`~nuke_plugin.ops.exposure_node.ExposureNode`, so the panel
does the same inside Nuke and on a parsed file. ``stops`` is one value (red,
green and blue alike) or three (red, green, blue); alpha is never changed.
What is written depends on the knob the artist typed into:

- a plain linear knob (Grade ``multiply``/``white``, Multiply ``value``,
  ColorCorrect ``gain`` and the range gains): red, green and blue become
  ``2 ** stops``;
- ``nks_stops``: the master takes the value (one value only);
- ``nks_channel_stops``: the offsets of red, green and blue;
- the linear knob the stop knobs drive: the stop knobs, so that each
  channel's total is what was typed (one value: master = value, offsets
  0; three: the master stays and the offsets take the difference);
- EXPTool ``red``/``green``/``blue``: the value in the node's unit (stops,
  densities or Cineon code values; one value).

A keyed channel gets a key at ``frame`` (its other keys stay); an
expression, a clone, stop knobs the linear knob no longer follows and
values beyond what a double holds are refused with the reason, and so is a
linear knob whose value has no exposure (zero or negative somewhere).

>>> from nuke_plugin.adapters.script_node import ScriptNode
>>> from nuke_plugin.nkfile.parser import parse
>>> node = ScriptNode(parse("Grade {\\n multiply {1.5 1.2 1 0.5}\\n name G\\n}\\n").nodes[0])
>>> outcome = plan_set_stops(node, "multiply", (1.0,), frame=1)
>>> str(outcome.status), outcome.detail
('set', '+1 stop')
>>> from nuke_plugin.ops.outcome import apply_edit
>>> apply_edit(node, outcome.edit)
>>> node.node.knob_text("multiply")
'{2 2 2 0.5}'
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from ..core.exposure import convert_units
from ..core.notation import format_stops, with_unit
from ..nkfile.values import Animation, Channel, KnobValueError
from ..registry import EXPOSURE_KNOBS, EXPTOOL, EXPTOOL_KNOBS, EXPTOOL_UNITS, STOP_KNOBS
from .assess import KnobState, assess
from .catalogue import driven_by_stop_knobs, expand, representable
from .convert import driven_knob
from .exposure_node import ExposureNode
from .nudge import key_at
from .outcome import CLONE_REASON, Edit, Outcome, Status
from .reasons import driven_by_expression, no_exposure, not_following, unknown_mode

__all__ = ["plan_set_stops"]

Writes = Tuple[Tuple[str, Tuple[Channel, ...]], ...]


class _RefusedError(Exception):
    """Why the typed stops cannot be written to this knob."""


def _with_value(
    node: ExposureNode, knob: str, value: Channel, frame: float, new: float
) -> Tuple[Channel, bool]:
    """A channel set to ``new``: replaced, or keyed at ``frame`` when it is
    keyed; True when a key was set."""
    if not isinstance(value, Animation):
        return new, False
    if value.is_expression:
        raise _RefusedError(driven_by_expression(knob, value.expression, "set"))
    return key_at(value, frame, new), True


def _channels_of(node: ExposureNode, knob: str, default: float, count: int) -> List[Channel]:
    """A knob's channels, ``count`` of them (its default when not written)."""
    try:
        return expand(node.read(knob) or [default], count)
    except (KnobValueError, ValueError) as error:
        raise _RefusedError(str(error)) from None


def _at(
    node: ExposureNode, knob: str, values: Sequence[Channel], index: int, frame: float
) -> float:
    value = values[index]
    return node.value_at(knob, index, frame) if isinstance(value, Animation) else value


def _stop_knob_writes(
    node: ExposureNode, master: Optional[float], offsets: Optional[Sequence[float]], frame: float
) -> Tuple[Writes, bool]:
    """The writes that give the master and/or the red, green and blue offsets
    these values, after checking every channel's total stays representable."""
    masters = _channels_of(node, STOP_KNOBS.master, 0.0, 1)
    channels = _channels_of(node, STOP_KNOBS.channels, 0.0, 4)
    keyed = False
    writes: List[Tuple[str, Tuple[Channel, ...]]] = []
    new_master = master if master is not None else _at(node, STOP_KNOBS.master, masters, 0, frame)
    if master is not None:
        value, keyed = _with_value(node, STOP_KNOBS.master, masters[0], frame, master)
        writes.append((STOP_KNOBS.master, (value,)))
    new_offsets = [_at(node, STOP_KNOBS.channels, channels, i, frame) for i in range(3)]
    if offsets is not None:
        new_channels = list(channels)
        for i, offset in enumerate(offsets):
            new_channels[i], key = _with_value(
                node, STOP_KNOBS.channels, channels[i], frame, offset
            )
            keyed = keyed or key
        new_offsets = list(offsets)
        writes.append((STOP_KNOBS.channels, tuple(new_channels)))
    for name, offset in zip("rgb", new_offsets):
        if not representable(new_master + offset):
            raise _RefusedError(
                f"channel {name} would be at {new_master + offset:g} stops: too far"
            )
    return tuple(writes), keyed


def _linear_writes(
    node: ExposureNode, knob: str, rgb: Sequence[float], frame: float
) -> Tuple[Writes, bool]:
    values = _channels_of(node, knob, 1.0, 4)
    found = assess(node.read(knob))
    if found.state == KnobState.NONPOSITIVE:  # a multiply of 0 takes no stops
        raise _RefusedError(no_exposure(found.reason))
    new = list(values)
    keyed = False
    for i, stops in enumerate(rgb):  # alpha (index 3) is left as it is
        new[i], key = _with_value(node, knob, values[i], frame, 2.0**stops)
        keyed = keyed or key
    return ((knob, tuple(new)),), keyed


def _exptool_writes(
    node: ExposureNode, knob: str, stops: Sequence[float], frame: float
) -> Tuple[Writes, bool]:
    mode = node.read_word("mode")
    unit = EXPTOOL_UNITS.get(mode or "")
    if unit is None:
        raise _RefusedError(unknown_mode(mode))
    if len(stops) != 1:
        raise _RefusedError(f"{knob} is one channel: type one value")
    values = _channels_of(node, knob, 0.0, 1)
    value, keyed = _with_value(node, knob, values[0], frame, convert_units(stops[0], "stops", unit))
    return ((knob, (value,)),), keyed


def _writes(
    node: ExposureNode, knob: str, stops: Sequence[float], frame: float
) -> Tuple[Writes, bool]:
    rgb = list(stops) * 3 if len(stops) == 1 else list(stops)
    drives = driven_knob(node)
    if knob == STOP_KNOBS.master:
        if len(stops) != 1:
            raise _RefusedError(f"{knob} holds one value: type r g b into {STOP_KNOBS.channels}")
        return _stop_knob_writes(node, stops[0], None, frame)
    if knob == STOP_KNOBS.channels and drives is not None:
        return _stop_knob_writes(node, None, rgb, frame)
    if knob == drives:
        linear = _channels_of(node, knob, 1.0, 4)
        if not driven_by_stop_knobs(linear):
            raise _RefusedError(not_following(knob))
        if len(stops) == 1:
            return _stop_knob_writes(node, stops[0], [0.0, 0.0, 0.0], frame)
        master = _at(
            node, STOP_KNOBS.master, _channels_of(node, STOP_KNOBS.master, 0.0, 1), 0, frame
        )
        return _stop_knob_writes(node, None, [s - master for s in rgb], frame)
    if knob in EXPOSURE_KNOBS.get(node.node_class, ()):
        bad = [s for s in rgb if not representable(s)]
        if bad:
            raise _RefusedError(f"2 ** {bad[0]:g} is not a multiplier a knob can hold")
        return _linear_writes(node, knob, rgb, frame)
    if node.node_class == EXPTOOL and knob in EXPTOOL_KNOBS:
        return _exptool_writes(node, knob, stops, frame)
    raise _RefusedError(f"{node.node_class}.{knob} is not an exposure knob this package sets")


def plan_set_stops(node: ExposureNode, knob: str, stops: Sequence[float], frame: float) -> Outcome:
    """Plan setting ``knob`` to ``stops`` (one value, or red green blue).

    Raises ValueError for a count other than 1 or 3; everything else that
    stops the edit is an outcome with status ``refused`` or ``cloned``.
    """
    if len(stops) not in (1, 3):
        raise ValueError(f"{len(stops)} values: give one, or three for r g b")
    if node.is_cloned:
        return Outcome.of(node, knob, Status.CLONED, CLONE_REASON)
    try:
        writes, keyed = _writes(node, knob, stops, frame)
    except _RefusedError as refusal:
        return Outcome.of(node, knob, Status.REFUSED, str(refusal))
    text = " ".join(format_stops(s) for s in stops)
    detail = with_unit(text) + (f" (key at frame {frame:g})" if keyed else "")
    return Outcome.of(node, knob, Status.SET, detail, edit=Edit(writes=writes))
