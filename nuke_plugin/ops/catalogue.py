"""The stop knobs this package adds, defined once for the live adapter and
the file writer alike, and the rules of the expressions that drive a
linear knob from them. The names of Nuke's classes and knobs are in
:mod:`nuke_plugin.registry`.

>>> [spec.name for spec in STOP_KNOB_SPECS]
['nks_exposure', 'nks_stops', 'nks_channel_stops', 'nks_drives']
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import List, Sequence

from ..nkfile.values import Animation, Channel, quote_word
from ..registry import STOP_KNOBS

__all__ = [
    "CHANNEL_NAMES",
    "KnobKind",
    "KnobSpec",
    "STOP_KNOB_SPECS",
    "UNLINKED_LABEL",
    "driven_by_stop_knobs",
    "driving_expression",
    "expand",
    "is_driving",
    "is_driving_expression",
    "representable",
    "user_knob_line",
]

CHANNEL_NAMES = ("r", "g", "b", "a")


class KnobKind(Enum):
    """The kinds of stop knob; each value is Nuke's ``addUserKnob`` type number."""

    TAB = 20  # Tab_Knob
    STOPS = 7  # Double_Knob: one number
    CHANNEL_STOPS = 19  # AColor_Knob: r g b a
    TEXT = 1  # String_Knob


@dataclass(frozen=True)
class KnobSpec:
    """One stop knob as both adapters make it: the live one with nuke's knob
    classes, the offline one as an ``addUserKnob`` line."""

    name: str
    kind: KnobKind
    label: str
    tooltip: str = ""
    low: float = 0.0
    high: float = 0.0
    hidden: bool = False


#: The knobs this package adds, in order: one definition for Nuke and files.
STOP_KNOB_SPECS = (
    KnobSpec(STOP_KNOBS.tab, KnobKind.TAB, "Exposure"),
    KnobSpec(
        STOP_KNOBS.master,
        KnobKind.STOPS,
        "stops",
        "Exposure in stops: +1 is twice the light, -1 half. Drives the linear knob"
        " named in nks_drives (red, green and blue; never alpha).",
        -5.0,
        5.0,
    ),
    KnobSpec(
        STOP_KNOBS.channels,
        KnobKind.CHANNEL_STOPS,
        "per channel",
        "Offsets in stops per channel, added to stops (alpha on its own).",
        -5.0,
        5.0,
    ),
    KnobSpec(
        STOP_KNOBS.drives,
        KnobKind.TEXT,
        "drives",
        "The linear knob the stop knobs drive (nuke-stops).",
        hidden=True,
    ),
)
#: The stops whose 2 ** stops is a positive, finite double: what a stop knob
#: may hold (Nuke computes pow(2, stops) in doubles: 2 ** 1024 is inf and
#: 2 ** -1075 is 0). Integers, so the bounds read plainly.
MIN_STOPS, MAX_STOPS = -1074.0, 1023.0


def representable(stops: float) -> bool:
    """True when ``2 ** stops`` is a positive finite double.

    >>> representable(1023), representable(1024), representable(-1100)
    (True, False, False)
    """
    return MIN_STOPS <= stops <= MAX_STOPS


#: The label the stops knob takes while the linear knob no longer follows it.
UNLINKED_LABEL = "stops (unlinked)"


def user_knob_line(spec: KnobSpec) -> str:
    """The ``addUserKnob`` value that defines a stop knob in a script.

    >>> user_knob_line(STOP_KNOB_SPECS[0])
    '{20 nks_exposure l Exposure}'
    >>> user_knob_line(STOP_KNOB_SPECS[3])[:40]
    '{1 nks_drives l drives t "The linear kno'
    """
    words = [str(spec.kind.value), spec.name, "l", quote_word(spec.label)]
    if spec.tooltip:
        words += ["t", quote_word(spec.tooltip)]
    if spec.low != spec.high:
        words += ["R", f"{spec.low:g}", f"{spec.high:g}"]
    if spec.hidden:
        words.append("+INVISIBLE")
    return "{" + " ".join(words) + "}"


def driving_expression(channel: str, on_curve: bool = False) -> str:
    """The expression a driven channel holds: ``pow(2, stops + offset)``,
    alpha by its offset alone; ``curve*`` in front keeps keyed values.

    >>> driving_expression("r")
    'pow(2,nks_stops+nks_channel_stops.r)'
    >>> driving_expression("a", on_curve=True)
    'curve*pow(2,nks_channel_stops.a)'
    """
    if channel == "a":
        power = f"pow(2,{STOP_KNOBS.channels}.a)"
    else:
        power = f"pow(2,{STOP_KNOBS.master}+{STOP_KNOBS.channels}.{channel})"
    return "curve*" + power if on_curve else power


def is_driving_expression(expression: str, channel: str) -> bool:
    """True when ``expression`` is this channel's driving expression (with
    or without keys under it): the one rule, for values read from a script
    and for expressions read from a live knob.

    >>> is_driving_expression("curve*pow(2,nks_stops+nks_channel_stops.b)", "b")
    True
    """
    return expression in (driving_expression(channel), driving_expression(channel, on_curve=True))


def is_driving(value: Channel, channel: str) -> bool:
    """True when ``value`` is this channel's driving expression.

    >>> is_driving(Animation("pow(2,nks_stops+nks_channel_stops.g)"), "g")
    True
    >>> is_driving(Animation("pow(2,nks_stops+nks_channel_stops.g)"), "r")
    False
    """
    return isinstance(value, Animation) and is_driving_expression(value.expression, channel)


def driven_by_stop_knobs(values: Sequence[Channel]) -> bool:
    """True when a knob's four channels are what a conversion writes: red,
    green and blue each hold their own channel's driving expression. Any
    other layout (one value for all, three values) is not.

    >>> driven_by_stop_knobs([Animation(driving_expression(c)) for c in "rgb"] + [1.0])
    True
    >>> driven_by_stop_knobs([Animation(driving_expression("r"))])  # one for all: no
    False
    """
    if len(values) != 4:
        return False
    return all(is_driving(v, c) for v, c in zip(values, "rgb"))


def expand(values: Sequence[Channel], count: int = 4) -> List[Channel]:
    """One value for all channels, or exactly ``count``; else ValueError.

    >>> expand([2.0])
    [2.0, 2.0, 2.0, 2.0]
    """
    if len(values) == 1:
        return list(values) * count
    if len(values) != count:
        raise ValueError(f"{len(values)} values for a {count}-channel knob")
    return list(values)
