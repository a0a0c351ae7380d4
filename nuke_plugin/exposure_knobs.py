"""Which Nuke knobs carry exposure, and what their values are in stops.

Pure: knows knob names and the math, not Nuke nor files. A knob value is a
list of channels (:mod:`nuke_plugin.nk_values`): a number or an animation
per channel, or one for all. Both the offline script model and the live
Nuke adapter describe knobs this way.

>>> assess([1.5, 1.2, 1, 1]).status
'constant'
>>> assess([0.0]).reason
'channel r is 0: exposure of zero intensity is undefined'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .nk_values import Animation, Channel, Key, quote_word
from .stops import ExposureDomainError, format_stops, intensity_to_exposure

__all__ = [
    "CHANNEL_NAMES",
    "CONVERTIBLE",
    "DRIVABLE_KNOBS",
    "EXPOSURE_KNOBS",
    "Assessment",
    "KnobSpec",
    "STOP_KNOBS",
    "STOP_KNOB_SPECS",
    "UNLINKED_LABEL",
    "assess",
    "driving_expression",
    "expand",
    "representable",
    "stops_channels",
    "user_knob_line",
]

#: Linear (multiplier) knobs that carry exposure, by node class. Knob names
#: are script names: Grade's "gain" is ``white``.
EXPOSURE_KNOBS: Dict[str, Tuple[str, ...]] = {
    "Grade": ("multiply", "white"),
    "Multiply": ("value",),
    "ColorCorrect": ("gain", "shadows.gain", "midtones.gain", "highlights.gain"),
}
#: The linear knobs stop knobs can drive, by node class; the first is the
#: default (``--grade-knob white`` drives Grade's gain).
DRIVABLE_KNOBS: Dict[str, Tuple[str, ...]] = {
    "Grade": ("multiply", "white"),
    "Multiply": ("value",),
    "ColorCorrect": ("gain",),
}
#: The knob a conversion drives by default, by node class.
CONVERTIBLE: Dict[str, str] = {cls: knobs[0] for cls, knobs in DRIVABLE_KNOBS.items()}
#: Nuke's Exposure node: knobs already in exposure units, chosen by ``mode``.
EXPTOOL_KNOBS = ("red", "green", "blue")


@dataclass(frozen=True)
class StopKnobs:
    """Names of the knobs this package adds to a node (and their tab)."""

    tab: str = "nks_exposure"
    master: str = "nks_stops"
    channels: str = "nks_channel_stops"
    drives: str = "nks_drives"  # hidden: the name of the linear knob they drive


STOP_KNOBS = StopKnobs()
CHANNEL_NAMES = ("r", "g", "b", "a")


@dataclass(frozen=True)
class KnobSpec:
    """One stop knob as both adapters make it: the live one with nuke's knob
    classes, the offline one as an ``addUserKnob`` line."""

    name: str
    kind: str  # tab, stops (one double), channel_stops (r g b a), text
    label: str
    tooltip: str = ""
    low: float = 0.0
    high: float = 0.0
    hidden: bool = False


#: The knobs this package adds, in order: one definition for Nuke and files.
STOP_KNOB_SPECS = (
    KnobSpec(STOP_KNOBS.tab, "tab", "Exposure"),
    KnobSpec(
        STOP_KNOBS.master,
        "stops",
        "stops",
        "Exposure in stops: +1 is twice the light, -1 half. Drives the linear knob"
        " named in nks_drives (red, green and blue; never alpha).",
        -5.0,
        5.0,
    ),
    KnobSpec(
        STOP_KNOBS.channels,
        "channel_stops",
        "per channel",
        "Offsets in stops per channel, added to stops (alpha on its own).",
        -5.0,
        5.0,
    ),
    KnobSpec(
        STOP_KNOBS.drives,
        "text",
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
# Nuke's addUserKnob type numbers for the kinds above.
_USER_KNOB_TYPES = {"tab": 20, "stops": 7, "channel_stops": 19, "text": 1}


def user_knob_line(spec: KnobSpec) -> str:
    """The ``addUserKnob`` value that defines a stop knob in a script.

    >>> user_knob_line(STOP_KNOB_SPECS[0])
    '{20 nks_exposure l Exposure}'
    >>> user_knob_line(STOP_KNOB_SPECS[3])[:40]
    '{1 nks_drives l drives t "The linear kno'
    """
    words = [str(_USER_KNOB_TYPES[spec.kind]), spec.name, "l", quote_word(spec.label)]
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


def is_driving(value: Channel, channel: str) -> bool:
    """True when ``value`` is this channel's driving expression.

    >>> is_driving(Animation("pow(2,nks_stops+nks_channel_stops.g)"), "g")
    True
    >>> is_driving(Animation("pow(2,nks_stops+nks_channel_stops.g)"), "r")
    False
    """
    return isinstance(value, Animation) and value.expression in (
        driving_expression(channel),
        driving_expression(channel, on_curve=True),
    )


@dataclass(frozen=True)
class Assessment:
    """What a linear knob's value means in stops.

    ``status`` is one of ``default`` (not set, or 1), ``constant``, ``animated``,
    ``expression`` (driven by an expression: left alone), ``nonpositive``
    (zero or negative somewhere: no exposure) or ``unsupported`` (a channel
    layout this package does not read); ``reason`` says why for the last
    three. ``stops`` holds one channel per colour channel when expressible.
    """

    status: str
    reason: str = ""
    stops: Tuple[Channel, ...] = ()

    @property
    def convertible(self) -> bool:
        return self.status in ("default", "constant", "animated")


def driven_by_stop_knobs(values: Sequence[Channel]) -> bool:
    """True when red, green and blue hold their own channel's driving expression.

    >>> driven_by_stop_knobs([Animation(driving_expression(c)) for c in "rgb"] + [1.0])
    True
    >>> driven_by_stop_knobs([Animation(driving_expression("r"))])  # one for all: no
    False
    """
    if len(values) < 3:
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


def _stops(value: float, channel: str, frame: Optional[float] = None) -> float:
    """log2 of a channel's value; an error names the channel (and frame)."""
    try:
        return intensity_to_exposure(value)
    except ExposureDomainError as error:
        when = f" at frame {frame:g}" if frame is not None else ""
        raise ExposureDomainError(f"channel {channel} is {value:g}{when}: {error}") from None


def _curve_stops(animation: Animation, channel: str) -> Animation:
    """The keys in stops, for reports: each key's value through log2 (the
    slopes are dropped: a report shows key values only)."""
    keys = [
        Key(key.frame, _stops(key.value, channel, key.frame), key.interpolation)
        for key in animation.keys
    ]
    return Animation("curve", tuple(keys), animation.flag)


def stops_channels(values: Sequence[Channel]) -> Tuple[Channel, ...]:
    """Per-channel stops (r, g, b, a) of a linear knob's channels.

    Raises ExposureDomainError naming the channel for zero or negative
    values, and ValueError for expressions or an unknown channel layout.

    >>> [round(s, 3) for s in stops_channels([1.5, 1.2, 1, 1])]
    [0.585, 0.263, 0.0, 0.0]
    """
    result: List[Channel] = []
    for name, value in zip(CHANNEL_NAMES, expand(values)):
        if isinstance(value, Animation):
            if value.is_expression:
                raise ValueError(f"channel {name} is driven by the expression {value.expression!r}")
            result.append(_curve_stops(value, name))
        else:
            result.append(_stops(value, name))
    return tuple(result)


def assess(values: Optional[Sequence[Channel]]) -> Assessment:
    """Classify a linear knob's value (None: the knob is at its default, 1).

    >>> assess(None).status, assess([2.0]).stops
    ('default', (1.0, 1.0, 1.0, 1.0))
    >>> assess([Animation("parent.gain")]).status
    'expression'
    """
    if values is None or all(v == 1.0 for v in values):  # an Animation never equals 1.0
        return Assessment("default", stops=(0.0, 0.0, 0.0, 0.0))
    animated = [v for v in values if isinstance(v, Animation)]
    driven = [v for v in animated if v.is_expression]
    if driven:
        return Assessment("expression", _short(driven[0].expression))
    try:
        stops = stops_channels(values)
    except ExposureDomainError as error:
        return Assessment("nonpositive", str(error))
    except ValueError as error:
        return Assessment("unsupported", str(error))
    if animated:
        keys = max(len(v.keys) for v in animated)
        return Assessment("animated", f"{keys} keys", stops)
    return Assessment("constant", stops=stops)


def describe(values: Sequence[Channel], assessment: Assessment) -> Tuple[str, str]:
    """Short linear and stops text for a report: ``1.5 1.2 1 1``, ``+0.58 +0.26 0 0``.

    >>> describe([2.0], assess([2.0]))
    ('2', '+1')
    """
    linear = " ".join(channel_text(v, _plain) for v in values)
    if not assessment.stops:
        return linear, ""
    stops = assessment.stops
    if len(values) == 1 or len(set(map(repr, stops))) == 1:
        stops = stops[:1]
    return linear, " ".join(channel_text(s, format_stops) for s in stops)


def _plain(number: float) -> str:
    return f"{number:g}"


def _short(expression: str) -> str:
    return expression if len(expression) <= 40 else expression[:37] + "..."


def channel_data(value: Channel) -> Any:
    """A channel as plain data for JSON: a number, or expression and keys.

    >>> channel_data(Animation("curve", (Key(1, 0.5),)))
    {'expression': 'curve', 'keys': [{'frame': 1, 'value': 0.5}]}
    """
    if not isinstance(value, Animation):
        return value
    keys = [{"frame": k.frame, "value": k.value} for k in value.keys]
    return {"expression": value.expression, "keys": keys}


def channel_text(value: Channel, number: Callable[[float], str]) -> str:
    """A channel for a report: a number, ``[expression]`` or ``curve(lo..hi)``.

    >>> channel_text(Animation("curve", (Key(1, 0.5), Key(2, 2.0))), str)
    'curve(0.5..2.0)'
    """
    if not isinstance(value, Animation):
        return number(value)
    if value.is_expression:
        return f"[{_short(value.expression)}]"
    values = [k.value for k in value.keys]
    if not values:
        return "curve"
    return f"curve({number(min(values))}..{number(max(values))})"
