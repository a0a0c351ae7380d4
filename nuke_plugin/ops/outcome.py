"""What an operation plans and reports: an :class:`Outcome` per node.

An operation first plans: it reads an
:class:`~nuke_plugin.ops.exposure_node.ExposureNode` and returns an
:class:`Outcome` saying what it will do, carrying the :class:`Edit` to write
(or saying why the node is left alone). :func:`apply_edit` writes an edit;
:func:`applied` plans and writes in one go where nothing else must be
checked first (a parsed script, offline).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Optional, Tuple

from ..nkfile.values import Channel
from .exposure_node import ExposureNode

__all__ = ["CLONE_REASON", "Edit", "Outcome", "Status", "StopKnobValues", "applied", "apply_edit"]


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

    @classmethod
    def of(
        cls,
        node: ExposureNode,
        knob: str,
        status: Status,
        detail: str = "",
        master: Optional[Channel] = None,
        channels: Tuple[Channel, ...] = (),
        edit: Optional[Edit] = None,
    ) -> Outcome:
        """The outcome for ``node``: its path and class, and the rest."""
        return cls(node.path, node.node_class, knob, status, detail, master, channels, edit)

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


def applied(node: ExposureNode, outcome: Outcome) -> Outcome:
    """Write a planned outcome's edit (if any) to its node; the outcome."""
    if outcome.edit is not None:
        apply_edit(node, outcome.edit)
    return outcome
