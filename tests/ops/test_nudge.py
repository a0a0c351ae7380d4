"""Nudges on parsed scripts: what they change, and what they refuse to write."""

from __future__ import annotations

import pytest

from nuke_plugin.adapters.script_node import ScriptNode
from nuke_plugin.nkfile.parser import parse

from support.offline import convert_node, nudge_node, script_node


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
    node = script_node(body)
    outcome = nudge_node(node, step)
    assert outcome.status == "refused"
    assert reason in outcome.detail
    assert not node.node.edited


def test_stops_stay_where_two_to_the_stops_is_a_finite_double() -> None:
    node = script_node(" multiply {2 2 2 1}")
    convert_node(node)
    node.node.set_knob_text("nks_stops", "1022")
    assert nudge_node(node, 1).status == "nudged"
    refused = nudge_node(node, 1)
    assert refused.status == "refused"
    assert "stops would reach 1024" in refused.detail
    node.node.set_knob_text("nks_channel_stops", "{0 0 -2100 0}")
    assert "stops would reach -1077" in nudge_node(node, 0).detail  # 1023 - 2100


def test_a_node_with_clones_is_not_nudged() -> None:
    script = parse("Grade {\n multiply 2\n name A\n}\nset C [stack 0]\nclone $C {\n xpos 1\n}\n")
    node = ScriptNode(script.nodes[0], cloned=True)
    assert nudge_node(node, 1).status == "cloned"
    assert script.to_text().count("multiply 2") == 1


LINKED = (
    " multiply {{pow(2,nks_stops+nks_channel_stops.r)} {pow(2,nks_stops+nks_channel_stops.g)}"
    " {pow(2,nks_stops+nks_channel_stops.b)} 1}\n"
    " addUserKnob {20 nks_exposure l Exposure}\n addUserKnob {7 nks_stops l stops}\n nks_stops 1\n"
    ' addUserKnob {19 nks_channel_stops l "per channel"}\n nks_channel_stops {CHANNELS}\n'
    " addUserKnob {1 nks_drives l drives}\n nks_drives multiply"
)


def test_stop_knobs_with_three_channel_offsets_still_nudge() -> None:
    node = script_node(LINKED.replace("{CHANNELS}", "{0 0.5 0}"))
    assert nudge_node(node, 1).status == "nudged"
    assert node.node.knob_text("nks_stops") == "2"


def test_unreadable_channel_offsets_refuse_the_nudge_not_crash() -> None:
    node = script_node(LINKED.replace("{CHANNELS}", '{0 "text" 0 0}'))
    outcome = nudge_node(node, 1)
    assert outcome.status == "refused"
    assert node.node.knob_text("nks_stops") == "1"


def test_a_three_channel_linear_knob_is_not_taken_for_driven() -> None:
    three = LINKED.replace(" 1}\n", "}\n", 1).replace("{CHANNELS}", "{0 0 0 0}")
    outcome = nudge_node(script_node(three), 1)
    assert outcome.status == "refused"
    assert "no longer follows the stop knobs" in outcome.detail
