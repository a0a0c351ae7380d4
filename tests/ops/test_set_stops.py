"""Setting a knob's exposure to typed stops, on parsed scripts.

What was written is evaluated by the stand-in (its own reader and
expression evaluator), never recomputed the way the product computes it.
"""

from __future__ import annotations

from typing import Any, List, Sequence

import pytest

from nuke_plugin.adapters.script_node import ScriptNode
from nuke_plugin.nkfile.parser import parse
from nuke_plugin.ops.outcome import Outcome, applied
from nuke_plugin.ops.set_stops import plan_set_stops

from support.offline import convert_node, script_node
from support.render import render_script, same


def set_stops(node: Any, knob: str, stops: Any, frame: float) -> Outcome:
    return applied(node, plan_set_stops(node, knob, stops, frame))


def rendered(node: Any, knob: str, frame: float = 1.0) -> List[float]:
    """The knob's channels at a frame, as the stand-in evaluates the text written."""
    lines = [f" {k.name} {k.text}" for k in node.node.knobs]
    text = "\n".join([f"{node.node.node_class} {{", *lines, "}", ""])
    result = render_script(text, [("N", knob)], [frame])
    return list(result[("N", knob)][frame])


@pytest.mark.parametrize(
    ("stops", "wanted"),
    [
        ((1.0,), [2, 2, 2, 0.5]),
        ((1.0, 0.0, -1.0), [2, 1, 0.5, 0.5]),
        ((-1 / 3,), [2 ** (-1 / 3)] * 3 + [0.5]),
    ],
)
def test_a_plain_knob_takes_two_to_the_stops_on_red_green_blue(
    stops: Sequence[float], wanted: List[float]
) -> None:
    node = script_node(" multiply {1.5 1.2 1 0.5}")
    assert set_stops(node, "multiply", stops, frame=1).status == "set"
    assert same(rendered(node, "multiply"), wanted)


def test_a_keyed_channel_gets_a_key_at_the_frame_and_keeps_the_others() -> None:
    node = script_node(" multiply {{curve x1 1 x10 4} 1 1 1}")
    outcome = set_stops(node, "multiply", (1.0,), frame=5)
    assert outcome.detail == "+1 stop (key at frame 5)"
    assert same(rendered(node, "multiply", 5), [2, 2, 2, 1])
    assert same(rendered(node, "multiply", 1), [1, 2, 2, 1])
    assert same(rendered(node, "multiply", 10), [4, 2, 2, 1])


def test_an_expression_is_refused_and_nothing_changes() -> None:
    node = script_node(" multiply {{parent.gain} 1 1 1}")
    outcome = set_stops(node, "multiply", (1.0,), frame=1)
    assert outcome.status == "refused"
    assert "driven by the expression 'parent.gain'" in outcome.detail
    assert not node.node.edited


@pytest.mark.parametrize("stops", [(1e4,), (-1100.0,)])
def test_stops_beyond_a_double_are_refused(stops: Sequence[float]) -> None:
    node = script_node(" multiply 2")
    outcome = set_stops(node, "multiply", stops, frame=1)
    assert outcome.status == "refused"
    assert not node.node.edited


def linked(body: str = " multiply {1.5 1.2 1 1}") -> Any:
    node = script_node(body)
    assert convert_node(node).status == "converted"
    return node


def test_the_stops_knob_takes_one_value_and_the_offsets_stay() -> None:
    node = linked()  # offsets r 0.585, g 0.263, b 0
    set_stops(node, "nks_stops", (1.0,), frame=1)
    assert same(rendered(node, "multiply"), [3, 2.4, 2, 1])
    refused = plan_set_stops(node, "nks_stops", (1.0, 2.0, 3.0), frame=1)
    assert refused.status == "refused"
    assert "nks_channel_stops" in refused.detail


def test_the_driven_knob_sets_each_channels_total() -> None:
    node = linked()
    set_stops(node, "multiply", (1.0,), frame=1)
    assert same(rendered(node, "multiply"), [2, 2, 2, 1])
    set_stops(node, "multiply", (1.0, 0.0, -1.0), frame=1)
    assert same(rendered(node, "multiply"), [2, 1, 0.5, 1])
    assert node.node.knob_text("nks_stops") == "1"  # the master stays; offsets differ


def test_the_offsets_knob_sets_red_green_blue_and_never_alpha() -> None:
    node = linked(" multiply {2 2 2 0.5}")
    set_stops(node, "nks_channel_stops", (0.0, 1.0, 2.0), frame=1)
    assert same(rendered(node, "multiply"), [2, 4, 8, 0.5])


def test_stop_knobs_the_linear_knob_no_longer_follows_are_refused() -> None:
    node = linked()
    node.node.set_knob_text("multiply", "3")
    outcome = plan_set_stops(node, "multiply", (1.0,), frame=1)
    assert outcome.status == "refused"
    assert "no longer follows" in outcome.detail


def test_another_linear_knob_of_a_converted_grade_is_set_plainly() -> None:
    node = linked()
    set_stops(node, "white", (2.0,), frame=1)
    assert same(rendered(node, "white"), [4, 4, 4, 1])


def test_exptool_knobs_take_the_value_in_the_nodes_unit() -> None:
    node = script_node(" mode Cineon\n red 10", node_class="EXPTool")
    set_stops(node, "red", (1.0,), frame=1)
    assert node.read("red") == [pytest.approx(90.309, abs=1e-3)]  # 300 * log10(2)
    assert plan_set_stops(node, "red", (1, 2, 3), frame=1).status == "refused"
    lights = script_node(" mode Lights\n red 1", node_class="EXPTool")
    assert "unit not known" in plan_set_stops(lights, "red", (1.0,), frame=1).detail


def test_a_clone_is_refused() -> None:
    script = parse("Grade {\n multiply 2\n name N\n}\nset C [stack 0]\nclone $C {\n xpos 1\n}\n")
    node = ScriptNode(script.nodes[0], cloned=True)
    assert plan_set_stops(node, "multiply", (1.0,), frame=1).status == "cloned"


def test_other_knobs_are_refused_by_name() -> None:
    outcome = plan_set_stops(script_node(" gamma 2"), "gamma", (1.0,), frame=1)
    assert outcome.detail == "Grade.gamma is not an exposure knob this package sets"


def test_two_values_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="2 values"):
        plan_set_stops(script_node(""), "multiply", (1.0, 2.0), frame=1)
