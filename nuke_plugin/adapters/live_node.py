"""The operations' view of a live Nuke node (the Nuke-facing adapter).

Knob values cross as the text Nuke itself uses (``Knob.toScript`` /
``Knob.fromScript``), read and written by :mod:`nuke_plugin.nkfile.values`, so
a live node and a parsed file are handled by the same code. Nuke's form
differs from a .nk line in one way: ``toScript()`` leaves out the outer
braces (``1.5 1.2 1 1``, ``{curve x1 0.5 x10 2} 1.2 1 1``) and
``fromScript`` takes that form (Knob.toScript's docstring: "Pass True for
quote to return results quoted in {}").

Every write is checked: ``fromScript`` returns False for text it refuses
(Array_Knob.fromScript: "True if successful, False otherwise"; it does not
raise), and the knob is read back to confirm it holds what was written
(numbers to 1e-9: Nuke writes about 10 significant digits). A refused or
different write raises :class:`KnobWriteError`, so it is never reported as
done. Each change is journalled, and :meth:`LiveNode.revert` undoes them
explicitly, newest first, without relying on Nuke's undo.
"""

from __future__ import annotations

from functools import partial
from typing import Callable, List, Optional, Sequence, Tuple

import nuke

from ..nkfile.values import Channel, channels, format_items, same_channels
from ..ops.catalogue import STOP_KNOB_SPECS, KnobKind, KnobSpec
from ..ops.exposure_node import ExposureNode
from ..registry import STOP_KNOBS

__all__ = ["KnobWriteError", "LiveNode"]


class KnobWriteError(RuntimeError):
    """Nuke did not take a value: refused, or it reads back differently."""


def _make_knob(spec: KnobSpec) -> nuke.Knob:
    """A live knob from the one definition the offline writer also uses."""
    knob: nuke.Knob
    if spec.kind is KnobKind.TAB:
        knob = nuke.Tab_Knob(spec.name, spec.label)
    elif spec.kind is KnobKind.STOPS:
        knob = nuke.Double_Knob(spec.name, spec.label)
    elif spec.kind is KnobKind.CHANNEL_STOPS:
        knob = nuke.AColor_Knob(spec.name, spec.label)
    else:
        knob = nuke.String_Knob(spec.name, spec.label)
    if isinstance(knob, nuke.Array_Knob) and spec.low != spec.high:
        knob.setRange(spec.low, spec.high)
    if spec.tooltip:
        knob.setTooltip(spec.tooltip)
    if spec.hidden:
        knob.setFlag(nuke.INVISIBLE)
    return knob


class LiveNode(ExposureNode):
    """A ``nuke.Node`` as the operations see it."""

    def __init__(self, node: nuke.Node) -> None:
        self.node = node
        self._journal: List[Tuple[str, Callable[[], None]]] = []

    @property
    def path(self) -> str:
        return self.node.fullName()

    @property
    def node_class(self) -> str:
        return self.node.Class()

    @property
    def is_cloned(self) -> bool:
        return bool(self.node.clones())

    @property
    def changed(self) -> bool:
        """True when this adapter changed the node (and can revert it)."""
        return bool(self._journal)

    def _array_knob(self, name: str) -> nuke.Array_Knob:
        found = self.node.knob(name)
        if not isinstance(found, nuke.Array_Knob):
            raise KnobWriteError(f"{self.path} has no number knob {name!r}")
        return found

    def read(self, knob: str) -> Optional[List[Channel]]:
        found = self.node.knob(knob)
        if found is None:
            return None
        # toScript() gives the channels without the braces a .nk line has.
        return channels("{" + found.toScript() + "}", f"{self.path}.{knob}")

    def read_word(self, knob: str) -> Optional[str]:
        found = self.node.knob(knob)
        return None if found is None else str(found.value())

    def has_knob(self, name: str) -> bool:
        return self.node.knob(name) is not None

    def add_stop_knobs(self, master: Channel, channels: Sequence[Channel], drives: str) -> None:
        for spec in STOP_KNOB_SPECS:
            knob = _make_knob(spec)
            self.node.addKnob(knob)
            self._journal.append((f"remove {spec.name}", partial(self.node.removeKnob, knob)))
        self.write(STOP_KNOBS.master, [master])
        self.write(STOP_KNOBS.channels, channels)
        target = self.node.knob(STOP_KNOBS.drives)
        assert isinstance(target, nuke.String_Knob)
        target.setValue(drives)
        if target.value() != drives:
            raise KnobWriteError(f"{self.path}.{STOP_KNOBS.drives} did not take {drives!r}")

    def write(self, knob: str, values: Sequence[Channel]) -> None:
        found = self._array_knob(knob)
        size = int(found.arraySize())
        before = found.toScript()
        exact = [(i, float(found.value(i))) for i in range(size) if not found.isAnimated(i)]
        self._journal.append((f"restore {knob}", partial(self._restore, found, before, exact)))
        text = format_items(values)
        if found.fromScript(text) is False:
            raise KnobWriteError(f"Nuke refused {text!r} for {self.path}.{knob}")
        now = self.read(knob) or []
        if not same_channels(now, values, size):
            raise KnobWriteError(
                f"{self.path}.{knob} holds {found.toScript()!r} after writing {text!r}"
            )

    def _restore(self, knob: nuke.Array_Knob, text: str, exact: List[Tuple[int, float]]) -> None:
        if knob.fromScript(text) is False:
            raise KnobWriteError(f"Nuke refused the previous value {text!r} of {knob.name()}")
        for index, value in exact:  # constants back to the last bit, not 10 digits
            knob.setValue(value, index)

    def value_at(self, knob: str, channel: int, frame: float) -> float:
        return float(self._array_knob(knob).getValueAt(frame, channel))

    def revert(self) -> List[str]:
        """Undo this adapter's changes, newest first; returns what failed."""
        failed = []
        while self._journal:
            what, undo = self._journal.pop()
            try:
                undo()
            except Exception as error:  # go on: restore as much as possible
                failed.append(f"{self.path}: {what}: {error}")
        return failed
