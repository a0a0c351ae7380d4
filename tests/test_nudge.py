"""Nudges on parsed scripts: what they change, and what they refuse to write."""

from __future__ import annotations

import pytest

from nuke_plugin.conversion import convert_node
from nuke_plugin.nk_script import parse
from nuke_plugin.nudge import nudge_node
from nuke_plugin.offline import ScriptNode


def _node(body: str, node_class: str = "Grade") -> ScriptNode:
    return ScriptNode(parse(f"{node_class} {{\n{body}\n name N\n}}\n").nodes[0])


@pytest.mark.parametrize(
    ("body", "step", "reason"),
    [
        (" multiply 2", -1100, "2 would become 0: beyond what a knob holds"),
        (" multiply 1e300", 100, "1e+300 would become inf"),
        (" multiply 2", 1e308, "a step of 1e+308 stops: exposure of 1e+308 stops overflows"),
        (" multiply {{curve x1 1 x10 1e300}}", 100, "would become inf"),
    ],
)
def test_a_nudge_never_writes_a_value_beyond_a_double(body: str, step: float, reason: str) -> None:
    node = _node(body)
    outcome = nudge_node(node, step)
    assert outcome.status == "refused" and reason in outcome.detail
    assert not node.node.edited


def test_stops_stay_where_two_to_the_stops_is_a_finite_double() -> None:
    node = _node(" multiply {2 2 2 1}")
    convert_node(node)
    node.node.set_knob_text("nks_stops", "1022")
    assert nudge_node(node, 1).status == "nudged"
    refused = nudge_node(node, 1)
    assert refused.status == "refused" and "stops would reach 1024" in refused.detail
    node.node.set_knob_text("nks_channel_stops", "{0 0 -2100 0}")
    assert "stops would reach -1077" in nudge_node(node, 0).detail  # 1023 - 2100


def test_a_node_with_clones_is_not_nudged() -> None:
    script = parse("Grade {\n multiply 2\n name A\n}\nset C [stack 0]\nclone $C {\n xpos 1\n}\n")
    node = ScriptNode(script.nodes[0], cloned=True)
    assert nudge_node(node, 1).status == "cloned"
    assert script.to_text().count("multiply 2") == 1
