"""What the operations work on: one view of "a node with knobs".

Every operation is written against :class:`ExposureNode`:
:mod:`nuke_plugin.adapters.script_file` gives it over a parsed .nk file and
:mod:`nuke_plugin.adapters.live_node` over a live ``nuke.Node``, so
scanning, converting and nudging are the same code inside Nuke and offline.
"""

from __future__ import annotations

import sys
from typing import List, Optional, Sequence

from ..nkfile.values import Channel

if sys.version_info >= (3, 8):
    from typing import Protocol
else:  # Python 3.7 (Nuke 13) has no typing.Protocol: adapters subclass a plain class
    Protocol = object

__all__ = ["ExposureNode"]


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
