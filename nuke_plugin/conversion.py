"""Turn legacy multiply values into stops: one operation for Nuke and files.

The operation is written against :class:`ExposureNode`, a small view of "a
node with knobs". :mod:`nuke_plugin.offline` implements it over a parsed
.nk file; the in-Nuke adapter implements it over the live ``nuke`` module.

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
nudge never changes alpha. Animated values are converted key by key (their
keys render the same; between keys they interpolate in stops). Expressions,
zero and negative values are reported and left untouched.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from .exposure_knobs import (
    CONVERTIBLE,
    STOP_KNOBS,
    Assessment,
    assess,
    driven_by_stop_knobs,
    expand,
)
from .nk_values import Animation, Channel

__all__ = ["ExposureNode", "Outcome", "convert_node", "driving_expressions", "relink"]


class ExposureNode(abc.ABC):
    """What the operations need of a node; adapters implement it."""

    @property
    @abc.abstractmethod
    def path(self) -> str:
        """Full name through groups: ``Group1.Grade1``."""

    @property
    @abc.abstractmethod
    def node_class(self) -> str:
        """Nuke class name: ``Grade``."""

    @abc.abstractmethod
    def read(self, knob: str) -> Optional[List[Channel]]:
        """A knob's channels; None when it is at its default value."""

    @abc.abstractmethod
    def read_word(self, knob: str) -> Optional[str]:
        """A knob's value as one word (an enumeration such as EXPTool.mode)."""

    @abc.abstractmethod
    def has_knob(self, name: str) -> bool:
        """True when the node has a knob of this name (user knobs included)."""

    @abc.abstractmethod
    def add_stop_knobs(self, master: Channel, channels: Sequence[Channel], drives: str) -> None:
        """Add the Exposure tab, ``nks_stops``, ``nks_channel_stops`` and the
        hidden ``nks_drives`` naming the linear knob they drive."""

    @abc.abstractmethod
    def write(self, knob: str, values: Sequence[Channel]) -> None:
        """Set a knob to these channels (numbers, curves or expressions)."""

    @abc.abstractmethod
    def value_at(self, knob: str, channel: int, frame: float) -> float:
        """A channel's value at a frame, as the host evaluates it."""


@dataclass(frozen=True)
class Outcome:
    """What a conversion did to one node, for the report."""

    path: str
    node_class: str
    knob: str
    status: str  # converted, already, default, expression, nonpositive, unsupported, skipped
    detail: str = ""
    master: Optional[Channel] = None
    channels: Tuple[Channel, ...] = ()

    @property
    def changed(self) -> bool:
        return self.status == "converted"

    @property
    def where(self) -> str:
        """``Grade1.multiply``, or the node alone when no knob was chosen."""
        return f"{self.path}.{self.knob}" if self.knob else self.path

    def __str__(self) -> str:
        """One report line: ``Grade1.multiply: nonpositive (channel r is 0 ...)``."""
        return f"{self.where}: {self.status}" + (f" ({self.detail})" if self.detail else "")


def driving_expressions(driven_alpha: bool) -> List[Channel]:
    """The linear knob's new channels: ``pow(2, ...)`` of the stop knobs.

    >>> driving_expressions(False)[0].expression
    'pow(2,nks_stops+nks_channel_stops.r)'
    >>> driving_expressions(False)[3]
    1.0
    """
    values: List[Channel] = [
        Animation(f"pow(2,{STOP_KNOBS.master}+{STOP_KNOBS.channels}.{c})") for c in "rgb"
    ]
    values.append(Animation(f"pow(2,{STOP_KNOBS.channels}.a)") if driven_alpha else 1.0)
    return values


def _stop_values(
    values: Optional[Sequence[Channel]], assessment: Assessment
) -> Tuple[Channel, List[Channel], bool]:
    """Master stops, per-channel stops, and whether alpha is driven."""
    driven_alpha = values is not None and expand(values)[3] != 1.0
    master, per_channel = split_master(assessment.stops, driven_alpha)
    return master, per_channel, driven_alpha


def split_master(stops: Sequence[Channel], driven_alpha: bool) -> Tuple[Channel, List[Channel]]:
    """Master and per-channel stops: a shared r=g=b goes to the master.

    >>> split_master((1.0, 1.0, 1.0, 0.0), False)
    (1.0, [0.0, 0.0, 0.0, 0.0])
    >>> split_master((0.5, 0.25, 0.0, 1.0), True)
    (0.0, [0.5, 0.25, 0.0, 1.0])
    """
    red, green, blue, alpha = stops
    alpha = alpha if driven_alpha else 0.0
    if red == green == blue:
        return red, [0.0, 0.0, 0.0, alpha]
    return 0.0, [red, green, blue, alpha]


def convert_node(
    node: ExposureNode, knob: Optional[str] = None, include_default: bool = False
) -> Outcome:
    """Convert one node's linear knob to stop knobs, or say why not.

    ``knob`` defaults to the class's usual one (Grade.multiply,
    Multiply.value, ColorCorrect.gain). A knob at its default (1) is
    converted only with ``include_default`` (adding stop knobs to a fresh
    node); a node that already has stop knobs is left as it is.
    """
    name = knob or CONVERTIBLE.get(node.node_class, "")
    if not name:
        return Outcome(
            node.path, node.node_class, "", "skipped", "not a Grade/Multiply/ColorCorrect"
        )
    if node.has_knob(STOP_KNOBS.master):
        return Outcome(node.path, node.node_class, name, "already", "has stop knobs already")
    values = node.read(name)
    assessment = assess(values)
    if assessment.status == "default" and not include_default:
        return Outcome(node.path, node.node_class, name, "default", "at its default (1)")
    if not assessment.convertible:
        return Outcome(node.path, node.node_class, name, assessment.status, assessment.reason)
    master, per_channel, driven_alpha = _stop_values(values, assessment)
    node.add_stop_knobs(master, per_channel, name)
    node.write(name, driving_expressions(driven_alpha))
    return Outcome(
        node.path, node.node_class, name, "converted", assessment.reason, master, tuple(per_channel)
    )


def driven_knob(node: ExposureNode) -> Optional[str]:
    """The linear knob a node's stop knobs drive (None: no stop knobs)."""
    if not node.has_knob(STOP_KNOBS.master):
        return None
    return node.read_word(STOP_KNOBS.drives) or CONVERTIBLE.get(node.node_class)


def relink(node: ExposureNode, knob: str) -> Outcome:
    """Keep stop knobs and the linear knob they drive in agreement.

    Called when an artist edits the linear knob of a node with stop knobs
    (which replaces the driving expressions). A value that has stops (any
    positive number or curve) moves into the stop knobs and the expressions
    come back: the stop knobs follow. Anything else (an expression of the
    artist's, zero, a negative value) cannot be said in stops: the outcome
    is ``broken`` with the reason, for the adapter to show.
    """
    if driven_knob(node) != knob:
        return Outcome(node.path, node.node_class, knob, "skipped", "not driven by stop knobs")
    values = node.read(knob)
    if values is not None and driven_by_stop_knobs(values):
        return Outcome(node.path, node.node_class, knob, "linked")
    assessment = assess(values)
    if not assessment.convertible:
        reason = f"{knob} is no longer driven by the stop knobs: {assessment.reason}"
        return Outcome(node.path, node.node_class, knob, "broken", reason)
    master, per_channel, driven_alpha = _stop_values(values, assessment)
    node.write(STOP_KNOBS.master, [master])
    node.write(STOP_KNOBS.channels, per_channel)
    node.write(knob, driving_expressions(driven_alpha))
    return Outcome(
        node.path, node.node_class, knob, "relinked", "", master, tuple(per_channel)
    )
