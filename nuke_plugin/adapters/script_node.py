"""A node of a parsed .nk or .gizmo file, as the operations see it.

:class:`ScriptNode` implements :class:`~nuke_plugin.ops.exposure_node.ExposureNode`
over a parsed script, so scanning and conversion offline are the very code
that runs inside Nuke; :func:`nodes` gives each node that holds its own
knobs once (clones share their original's).
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Sequence

from ..nkfile.curves import value_at
from ..nkfile.script import Node, Script
from ..nkfile.values import Animation, Channel, channels, format_channels, quote_word, word_text
from ..ops.catalogue import STOP_KNOB_SPECS, expand, user_knob_line
from ..ops.exposure_node import ExposureNode
from ..registry import STOP_KNOBS

__all__ = ["ScriptNode", "nodes"]


class ScriptNode(ExposureNode):
    """A node of a parsed script, as the operations see it."""

    def __init__(self, node: Node, cloned: bool = False) -> None:
        self.node = node
        self.cloned = cloned or node.clone_of is not None

    @property
    def path(self) -> str:
        return self.node.path

    @property
    def node_class(self) -> str:
        return self.node.node_class

    @property
    def is_cloned(self) -> bool:
        return self.cloned

    def read(self, knob: str) -> Optional[List[Channel]]:
        text = self.node.knob_text(knob)
        return None if text is None else channels(text, f"{self.path}.{knob}")

    def read_word(self, knob: str) -> Optional[str]:
        text = self.node.knob_text(knob)
        return None if text is None else word_text(text)

    def has_knob(self, name: str) -> bool:
        return self.node.knob(name) is not None or name in self.node.user_knob_names()

    def add_stop_knobs(self, master: Channel, channels: Sequence[Channel], drives: str) -> None:
        values = {
            STOP_KNOBS.master: format_channels([master]),
            STOP_KNOBS.channels: format_channels(channels),
            STOP_KNOBS.drives: quote_word(drives),
        }
        lines = []
        for spec in STOP_KNOB_SPECS:
            lines.append(("addUserKnob", user_knob_line(spec)))
            if spec.name in values:
                lines.append((spec.name, values[spec.name]))
        self.node.add_knob_lines(lines)

    def write(self, knob: str, values: Sequence[Channel]) -> None:
        self.node.set_knob_text(knob, format_channels(values))

    def value_at(self, knob: str, channel: int, frame: float) -> float:
        """Constants, and keyed curves with Nuke's interpolation
        (:mod:`nuke_plugin.nkfile.curves`); an expression raises ValueError, since
        nothing read from a script is evaluated."""
        values = expand(self.read(knob) or [1.0])
        value = values[channel]
        if not isinstance(value, Animation):
            return value
        if value.is_expression:
            raise ValueError(f"{self.path}.{knob} is an expression: not evaluated offline")
        return value_at(value, frame)


def nodes(script: Script) -> Iterator[ScriptNode]:
    """Every node that holds its own knobs, once: a clone statement shares
    its original's knobs, and an original that has clones is marked cloned."""
    originals = {id(n.clone_of) for n in script.walk() if n.clone_of is not None}
    for node in script.walk():
        if node.clone_of is None and node.node_class != "clone":
            yield ScriptNode(node, cloned=id(node) in originals)
