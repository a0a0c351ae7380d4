"""What the operations work on, and what they report.

:class:`ExposureNode` is the one view of "a node with knobs" every operation
is written against: :mod:`nuke_plugin.adapters.script_file` gives it over a
parsed .nk file and :mod:`nuke_plugin.adapters.live_node` over a live
``nuke.Node``, so scanning, converting and nudging are the same code inside
Nuke and offline.

An operation first plans: it reads a node and returns an :class:`Outcome`
saying what it will do, carrying the :class:`Edit` to write (or saying why
the node is left alone). :func:`apply_edit` writes it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from enum import Enum
from typing import List, Optional, Sequence, Tuple

from ..nkfile.values import Channel

if sys.version_info >= (3, 8):
    from typing import Protocol
else:  # Python 3.7 (Nuke 13) has no typing.Protocol: adapters subclass a plain class
    Protocol = object

__all__ = ["Edit", "ExposureNode", "Outcome", "Status", "StopKnobValues", "apply_edit"]


class ExposureNode(Protocol):
    """What the operations need of a node; adapters implement it."""

    @property
    def path(self) -> str:
        """Full name through groups: ``Group1.Grade1``."""
        ...

    @property
    def node_class(self) -> str:
        """Nuke class name: ``Grade``."""
        ...

    @property
    def is_cloned(self) -> bool:
        """True for a node that shares its knobs with clones."""
        ...

    def read(self, knob: str) -> Optional[List[Channel]]:
        """A knob's channels; None when it is at its default value (or absent)."""
        ...

    def read_word(self, knob: str) -> Optional[str]:
        """A knob's value as one word (an enumeration such as EXPTool.mode)."""
        ...

    def has_knob(self, name: str) -> bool:
        """True when the node has a knob of this name (user knobs included)."""
        ...

    def add_stop_knobs(self, master: Channel, channels: Sequence[Channel], drives: str) -> None:
        """Add the knobs of STOP_KNOB_SPECS with these values."""
        ...

    def write(self, knob: str, values: Sequence[Channel]) -> None:
        """Set a knob to these channels (numbers, curves or expressions)."""
        ...

    def value_at(self, knob: str, channel: int, frame: float) -> float:
        """A channel's value at a frame, as the host evaluates it."""
        ...


class Status(str, Enum):
    """What an operation did to a node, or why it left it alone.

    Its value is the word reports print (``str(Status.CONVERTED)`` is
    ``converted``), so it compares equal to that word too.

    >>> Status.CONVERTED == "converted", f"{Status.CLONED}"
    (True, 'cloned')
    """

    CONVERTED = "converted"  # stop knobs added, the linear knob driven by them
    NUDGED = "nudged"
    SET = "set"  # exposure set to stops typed by the artist
    RELINKED = "relinked"  # stop knobs took a new value of the linear knob
    LINKED = "linked"  # the linear knob still follows its stop knobs
    ALREADY = "already"  # has stop knobs already
    DEFAULT = "default"  # at its default: nothing to convert
    EXPRESSION = "expression"  # driven by an expression: left alone
    NONPOSITIVE = "nonpositive"  # zero or negative somewhere: no exposure
    UNSUPPORTED = "unsupported"  # a value this package does not read or cannot write
    REFUSED = "refused"  # a nudge that would be wrong or unrepresentable
    CLONED = "cloned"  # shares its knobs with clones: left alone
    SKIPPED = "skipped"  # nothing of this node's class to do
    BROKEN = "broken"  # the linear knob no longer follows its stop knobs

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


#: The reason every operation gives for leaving a cloned node alone.
CLONE_REASON = "a clone: its knobs are shared with its clones, so it is left alone (declone it)"


@dataclass(frozen=True)
class StopKnobValues:
    """The values the stop knobs get when they are added."""

    master: Channel
    channels: Tuple[Channel, ...]
    drives: str


@dataclass(frozen=True)
class Edit:
    """What an operation writes to one node: stop knobs to add, knob values."""

    stop_knobs: Optional[StopKnobValues] = None
    writes: Tuple[Tuple[str, Tuple[Channel, ...]], ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What an operation does (or did) to one node."""

    path: str
    node_class: str
    knob: str
    status: Status
    detail: str = ""
    master: Optional[Channel] = None
    channels: Tuple[Channel, ...] = ()
    edit: Optional[Edit] = field(default=None, compare=False, repr=False)

    @property
    def changed(self) -> bool:
        return self.edit is not None

    @property
    def where(self) -> str:
        """``Grade1.multiply``, or the node alone when no knob was chosen."""
        return f"{self.path}.{self.knob}" if self.knob else self.path


def apply_edit(node: ExposureNode, edit: Edit) -> None:
    """Write a planned edit to its node."""
    if edit.stop_knobs is not None:
        values = edit.stop_knobs
        node.add_stop_knobs(values.master, values.channels, values.drives)
    for knob, channels in edit.writes:
        node.write(knob, channels)
