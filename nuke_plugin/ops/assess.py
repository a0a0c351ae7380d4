"""What a linear knob's value means in stops.

Pure: knows the math, not Nuke nor files. A knob value is a list of
channels (:mod:`nuke_plugin.nkfile.values`): a number or an animation per
channel, or one for all; both adapters describe knobs this way.

>>> str(assess([1.5, 1.2, 1, 1]).state)
'constant'
>>> assess([0.0]).reason
'channel r is 0: exposure of zero intensity is undefined'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Callable, List, Optional, Sequence, Tuple

from ..core.exposure import ExposureDomainError, intensity_to_exposure
from ..core.notation import format_stops
from ..nkfile.values import Animation, Channel, Key
from .catalogue import CHANNEL_NAMES, expand

__all__ = ["Assessment", "KnobState", "assess", "channel_text", "describe", "stops_channels"]


class KnobState(str, Enum):
    """What an exposure-bearing knob holds; the value is the report's word.

    >>> KnobState.CONSTANT == "constant", f"{KnobState.STOP_KNOB}"
    (True, 'stops')
    """

    DEFAULT = "default"  # not set, or 1
    CONSTANT = "constant"
    ANIMATED = "animated"
    EXPRESSION = "expression"  # driven by an expression: left alone
    NONPOSITIVE = "nonpositive"  # zero or negative somewhere: no exposure
    UNSUPPORTED = "unsupported"  # a layout or mode this package does not read
    STOP_KNOB = "stops"  # one of the stop knobs this package adds
    DRIVEN = "driven"  # a linear knob driven by stop knobs
    UNLINKED = "unlinked"  # stop knobs whose linear knob no longer follows them (the panel)

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


@dataclass(frozen=True)
class Assessment:
    """What a linear knob's value means in stops: its state, why it cannot
    be converted (for the states that cannot), and its stops per colour
    channel when it has them."""

    state: KnobState
    reason: str = ""
    stops: Tuple[Channel, ...] = ()

    @property
    def convertible(self) -> bool:
        return self.state in (KnobState.DEFAULT, KnobState.CONSTANT, KnobState.ANIMATED)


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

    >>> str(assess(None).state), assess([2.0]).stops
    ('default', (1.0, 1.0, 1.0, 1.0))
    >>> str(assess([Animation("parent.gain")]).state)
    'expression'
    """
    if values is None or all(v == 1.0 for v in values):  # an Animation never equals 1.0
        return Assessment(KnobState.DEFAULT, stops=(0.0, 0.0, 0.0, 0.0))
    animated = [v for v in values if isinstance(v, Animation)]
    driven = [v for v in animated if v.is_expression]
    if driven:
        return Assessment(KnobState.EXPRESSION, _short(driven[0].expression))
    try:
        stops = stops_channels(values)
    except ExposureDomainError as error:
        return Assessment(KnobState.NONPOSITIVE, str(error))
    except ValueError as error:
        return Assessment(KnobState.UNSUPPORTED, str(error))
    if animated:
        keys = max(len(v.keys) for v in animated)
        return Assessment(KnobState.ANIMATED, f"{keys} keys", stops)
    return Assessment(KnobState.CONSTANT, stops=stops)


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
