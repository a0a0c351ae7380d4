"""What the panel works on: a live Nuke session or a parsed .nk file.

The panel never touches nodes itself: it asks a :class:`Source` for the
nodes (as :class:`~nuke_plugin.ops.exposure_node.ExposureNode`) and for the actions,
which each source runs through the operations layer its own way: the live
one through :mod:`nuke_plugin.host.commands` (one undo step per action),
the file one on the parsed script (:mod:`nuke_plugin.panel.file_source`).
No Qt here.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path
from typing import Callable, List, Optional, Sequence

from ..ops.exposure_node import ExposureNode
from ..ops.outcome import Outcome
from ..registry import EXPOSURE_KNOBS, EXPTOOL, EXPTOOL_KNOBS, STOP_KNOBS

if sys.version_info >= (3, 8):
    from typing import Protocol
else:  # Python 3.7 (Nuke 13)
    Protocol = object

__all__ = ["Changed", "Source", "knob_names"]

#: Told which nodes (by path) changed; None: anything may have changed.
Changed = Callable[[Optional[Sequence[str]]], None]


def knob_names(node_class: str) -> List[str]:
    """Every knob a row of this class can name, for filtering before reading.

    >>> knob_names("Multiply")
    ['value', 'nks_stops', 'nks_channel_stops']
    """
    own = list(EXPOSURE_KNOBS.get(node_class, EXPTOOL_KNOBS if node_class == EXPTOOL else ()))
    return [*own, STOP_KNOBS.master, STOP_KNOBS.channels]


class Source(Protocol):
    """A script the panel shows: nodes, the current frame, the actions."""

    @property
    def title(self) -> str:
        """What the panel's title names: the script's file name."""
        ...

    #: True when the panel offers Save (a file; Nuke saves its own scripts).
    can_save: bool
    #: True when the panel's frame field sets the frame (a file); False when
    #: the host's current frame is followed (Nuke's viewer).
    frame_is_settable: bool

    def nodes(self, selected_only: bool) -> List[ExposureNode]:
        """The nodes of registry.EXPOSURE_CLASSES (exactly what ``scan``
        reads) in script order, groups included."""
        ...

    def node(self, path: str) -> Optional[ExposureNode]:
        """A node by full path; None when it is gone."""
        ...

    def frame(self) -> float:
        """The frame the values are shown at, and an edit of an animated
        knob keys."""
        ...

    def set_frame(self, frame: float) -> None:
        """Show and edit at ``frame`` (a source whose frame is settable)."""
        ...

    def set_stops(self, path: str, knob: str, stops: Sequence[float]) -> Outcome:
        """Set one knob to stops (:mod:`nuke_plugin.ops.set_stops`)."""
        ...

    def nudge(self, paths: Sequence[str], step: Fraction) -> List[Outcome]:
        """Nudge these nodes by ``step`` stops."""
        ...

    def add_stop_knobs(self, paths: Sequence[str]) -> List[Outcome]:
        """Add stop knobs to these nodes (their current values kept)."""
        ...

    def convert_legacy(self, paths: Sequence[str]) -> List[Outcome]:
        """Convert these nodes' legacy multiply values to stop knobs."""
        ...

    def watch(self, changed: Changed) -> None:
        """Start telling ``changed`` about edits made outside the panel."""
        ...

    def unwatch(self) -> None:
        """Stop telling: remove every callback :meth:`watch` added."""
        ...

    @property
    def modified(self) -> bool:
        """True when there is something to save (a file source only)."""
        ...

    def save(self, path: Optional[Path] = None) -> str:
        """Write the script (a file source only); returns what was done."""
        ...
