"""ExposureStops: a Group the toolbar pastes, and the same node as a gizmo.

A saved script keeps only a gizmo's name and knob values, so a render node
without gizmos/ExposureStops.gizmo cannot load it (Foundry user guide,
"Creating and Accessing Gizmos"); the toolbar therefore pastes
gizmos/ExposureStops.nk, a Group whose internals the script keeps. The two
files must define the same knobs and internals. The expressions are
evaluated by the stand-in (its own reader and evaluator), and in real Nuke
by test_in_nuke.py.
"""

from __future__ import annotations

from typing import Any, List, Tuple

import pytest

from nuke_plugin.nkfile.parser import parse
from nuke_plugin.nkfile.script import Node

from support.paths import ROOT, real_nuke, standin_only

GIZMO = ROOT / "gizmos" / "ExposureStops.gizmo"


GROUP = ROOT / "gizmos" / "ExposureStops.nk"


def _top(path: Any, node_class: str) -> Node:
    text = path.read_text()
    script = parse(text, str(path))
    assert script.to_text() == text
    [top] = [n for n in script.nodes if n.parent is None]
    assert top.node_class == node_class
    return top


def _definition(node: Node) -> Tuple[List[Tuple[str, str]], List[Any]]:
    knobs = [(k.name, k.text) for k in node.knobs if k.name != "name"]
    children = [(c.node_class, [(k.name, k.text) for k in c.knobs]) for c in node.children]
    return knobs, children


def test_the_group_and_the_gizmo_define_the_same_node() -> None:
    assert _definition(_top(GROUP, "Group")) == _definition(_top(GIZMO, "Gizmo"))
    assert _top(GROUP, "Group").knob_text("name") == "ExposureStops1"


def test_the_node_has_the_artist_knobs() -> None:
    group = _top(GROUP, "Group")
    names = group.user_knob_names()
    for knob in ("stops", "gang", "red", "green", "blue", "multiplier", "channels", "mix"):
        assert knob in names
    assert "R -5 5" in next(k.text for k in group.knobs if "{7 stops" in k.text)
    assert "+DISABLED" in next(k.text for k in group.knobs if "{18 multiplier" in k.text)


@standin_only
@pytest.mark.parametrize(
    ("stops", "gang", "offsets", "expected"),
    [
        (0.0, True, (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)),
        (1.0, True, (0.0, 0.7, -3.0), (2.0, 2.0, 2.0)),
        (1.0, True, (0.5, 0.0, 0.0), (2**1.5, 2**1.5, 2**1.5)),
        (-1.0, False, (0.5, 0.0, -1.0), (2**-0.5, 0.5, 0.25)),
        (2.0, False, (1 / 3, -1 / 3, 0.0), (2 ** (7 / 3), 2 ** (5 / 3), 4.0)),
    ],
)
def test_the_multiply_inside_applies_two_to_the_stops(
    nuke_host: Any, stops: float, gang: bool, offsets: Any, expected: Tuple[float, ...]
) -> None:
    node = nuke_host.nodePaste(str(GROUP))
    node["stops"].setValue(stops)
    node["gang"].setValue(gang)
    for name, offset in zip(("red", "green", "blue"), offsets):
        node[name].setValue(offset)
    inside = node.node("Multiply1")["value"]
    got = [inside.getValueAt(1, i) for i in range(4)]
    assert got == pytest.approx([*expected, 1.0], rel=1e-12)  # alpha untouched
    assert [node["multiplier"].getValueAt(1, i) for i in range(3)] == pytest.approx(expected)


def test_the_node_needs_no_python_and_loads_in_nuke_13_to_17() -> None:
    for path in (GIZMO, GROUP):
        text = path.read_text()
        assert "python" not in text.lower()  # no [python ...], no PyScript knobs
        assert "{22 " not in text
        assert "{1 " not in text
        assert parse(text).version == "13.0 v1"  # the oldest supported Nuke writes this
    multiply = _top(GROUP, "Group").children
    assert [c.knob_text("channels") for c in multiply if c.node_class == "Multiply"] == ["rgb"]


@real_nuke
def test_the_gizmo_loads_and_computes_its_multiplier_in_nuke(nuke_host: Any) -> None:
    node = nuke_host.createNode("ExposureStops", inpanel=False)
    node["stops"].setValue(1.0)
    node["red"].setValue(0.5)
    assert node["multiplier"].getValue(0) == pytest.approx(2**1.5)
    assert node["multiplier"].getValue(2) == pytest.approx(2**1.5)  # ganged
    node["gang"].setValue(False)
    assert node["multiplier"].getValue(2) == pytest.approx(2.0)
