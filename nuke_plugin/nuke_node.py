"""The operations' view of a live Nuke node (the Nuke-facing adapter).

Knob values cross as the text Nuke itself writes into scripts
(``Knob.toScript`` / ``Knob.fromScript``), read and written by
:mod:`nuke_plugin.nk_values`, so a live node and a parsed file are handled by
the same code and the same format.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

import nuke

from .conversion import ExposureNode
from .exposure_knobs import STOP_KNOBS
from .nk_values import Channel, channels, format_channels

__all__ = ["LiveNode"]


class LiveNode(ExposureNode):
    """A ``nuke.Node`` as the operations see it."""

    def __init__(self, node: nuke.Node) -> None:
        self.node = node

    @property
    def path(self) -> str:
        return self.node.fullName()

    @property
    def node_class(self) -> str:
        return self.node.Class()

    def _knob(self, name: str) -> Optional[nuke.Knob]:
        return self.node.knob(name)

    def read(self, knob: str) -> Optional[List[Channel]]:
        found = self._knob(knob)
        if found is None:
            return None
        text = found.toScript().strip()
        if not text.startswith("{") and " " in text:
            text = "{" + text + "}"  # several bare values: one per channel
        return channels(text, f"{self.path}.{knob}")

    def read_word(self, knob: str) -> Optional[str]:
        found = self._knob(knob)
        return None if found is None else str(found.value())

    def has_knob(self, name: str) -> bool:
        return self._knob(name) is not None

    def add_stop_knobs(self, master: Channel, channels: Sequence[Channel], drives: str) -> None:
        self.node.addKnob(nuke.Tab_Knob(STOP_KNOBS.tab, "Exposure"))
        stops = nuke.Double_Knob(STOP_KNOBS.master, "stops")
        stops.setRange(-5, 5)
        stops.setTooltip("Exposure in stops: +1 is twice the light. Drives the linear knob.")
        self.node.addKnob(stops)
        stops.fromScript(format_channels([master]))
        per_channel = nuke.AColor_Knob(STOP_KNOBS.channels, "per channel")
        per_channel.setRange(-5, 5)
        per_channel.setTooltip("Offsets in stops per channel, added to stops (alpha alone).")
        self.node.addKnob(per_channel)
        per_channel.fromScript(format_channels(channels))
        driven = nuke.String_Knob(STOP_KNOBS.drives, "drives")
        driven.setFlag(nuke.INVISIBLE)
        self.node.addKnob(driven)
        driven.setValue(drives)

    def write(self, knob: str, values: Sequence[Channel]) -> None:
        found = self._knob(knob)
        if found is None:
            raise KeyError(f"{self.path} has no knob {knob}")
        found.fromScript(format_channels(values))

    def value_at(self, knob: str, channel: int, frame: float) -> float:
        found = self._knob(knob)
        if found is None:
            raise KeyError(f"{self.path} has no knob {knob}")
        return float(found.getValueAt(frame, channel))
