"""Inside Nuke: helpers that use only Foundry's documented API, so the same
tests run on the stand-in and in real Nuke."""

from __future__ import annotations

from typing import Any, List, Tuple

from .render import knob_values


def make(nuke: Any, node_class: str, knob: str = "", value: str = "") -> Any:
    """A node with one knob set the way Nuke's toScript writes it."""
    node = nuke.createNode(node_class, inpanel=False)
    if knob:
        assert node[knob].fromScript(value) is not False
    return node


def select(nuke: Any, *nodes: Any) -> None:
    """Select exactly these nodes."""
    for node in nuke.allNodes(recurseGroups=True):
        node.setSelected(False)
    for node in nodes:
        node.setSelected(True)


def values(node: Any, knob: str, frame: float = 1.0) -> List[float]:
    """Every channel of a knob at one frame."""
    return knob_values(node, knob, [frame])[frame]


def expression(node: Any, knob: str, channel: int) -> str:
    """A channel's expression, or "" when it has none."""
    curve = node[knob].animation(channel)
    return "" if curve is None else str(curve.expression())


def keys(node: Any, knob: str, channel: int) -> List[Tuple[float, float]]:
    """A channel's keys as (frame, value)."""
    return [(key.x, key.y) for key in node[knob].animation(channel).keys()]  # noqa: SIM118 - AnimationCurve.keys(), not a dict


def messages(nuke: Any) -> List[str]:
    """What the artist was told: the stand-in records it; in Nuke it was shown."""
    return list(nuke._session().messages) if hasattr(nuke, "_session") else []
