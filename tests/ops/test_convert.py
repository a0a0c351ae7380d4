"""Converting legacy multiply values to stops, on parsed scripts: renders kept, choices made."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import pytest

from nuke_plugin.adapters.script_node import ScriptNode, nodes
from nuke_plugin.adapters.script_ops import convert_script
from nuke_plugin.nkfile.parser import parse
from nuke_plugin.nkfile.values import Animation, channels
from nuke_plugin.ops.catalogue import expand
from nuke_plugin.ops.outcome import Outcome
from nuke_plugin.registry import CONVERTIBLE

from support.offline import convert_node, script_node
from support.paths import corpus_params
from support.render import assert_same_render, render_script

FRAMES = [0.0, 1.0] + [1001 + 0.5 * i for i in range(100)]


def _render(node: ScriptNode, knob: str) -> Dict[Any, Any]:
    """What Nuke renders for the knob, evaluated from the node's text by the
    stand-in (its own reader, curves and expression evaluator)."""
    body = "".join(f" {k.name} {k.text}\n" for k in node.node.knobs if k.name != "name")
    return render_script(f"{node.node_class} {{\n{body} name N\n}}\n", [("N", knob)], FRAMES)


def _converted_renders_the_same(body: str, node_class: str = "Grade", **options: Any) -> Outcome:
    node = script_node(body, node_class)
    knob = options.get("knob") or CONVERTIBLE[node_class]
    before = _render(node, knob)
    outcome: Outcome = convert_node(node, **options)
    assert outcome.status == "converted", outcome
    assert_same_render(before, _render(node, knob))
    return outcome


def test_per_channel_conversion_keeps_the_render() -> None:
    outcome = _converted_renders_the_same(" multiply {1.5 1.2 1 1}")
    assert outcome.master == 0.0
    assert outcome.channels == pytest.approx((0.585, 0.263, 0.0, 0.0), abs=5e-4)


def test_a_uniform_multiply_goes_to_the_master_stops() -> None:
    outcome = _converted_renders_the_same(" value {2 2 2 1}", "Multiply")
    assert (outcome.knob, outcome.master, outcome.channels) == ("value", 1.0, (0.0,) * 4)


def test_alpha_is_driven_only_when_it_was_changed() -> None:
    _converted_renders_the_same(" multiply 2")  # one value: all four channels, alpha included
    node = script_node(" multiply {2 2 2 1}")
    convert_node(node)
    assert (node.read("multiply") or [])[3] == 1.0  # alpha left as it was


@pytest.mark.parametrize(
    "body",
    [
        " multiply {{curve L x1001 1 s0.5 x1025 2 x1050 0.5} 1.2 {curve x1 3 x9 0.25} 1}",
        " multiply {{curve x1001 1 x1025 2 x1050 0.5}}",
        " multiply {{curve C x1001 1 x1010 4 x1020 0.25 x1040 2} 2 2 {curve K x1 0.5 x1020 1}}",
    ],
)
def test_keyed_values_keep_their_keys_and_render_the_same_between_keys(body: str) -> None:
    node = script_node(body)
    before = node.read("multiply") or []
    outcome = _converted_renders_the_same(body)
    assert "keys kept on" in outcome.detail
    assert "stops apply on top" in outcome.detail
    converted = script_node(body)
    convert_node(converted)
    for old, new in zip(expand(before), expand(converted.read("multiply") or [])):
        if isinstance(old, Animation):
            assert isinstance(new, Animation)
            assert new.keys == old.keys
            assert new.expression.startswith("curve*pow(2,")


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (" multiply 0", "nonpositive", "channel r is 0: exposure of zero intensity is undefined"),
        (" multiply {1 -0.5 1 1}", "nonpositive", "channel g is -0.5"),
        (" multiply {{curve x1 1 x5 0}}", "nonpositive", "is 0 at frame 5"),
        (" multiply {{parent.gain}}", "expression", "parent.gain"),
        (" multiply {1 {pow(2,ex)} 1 1}", "expression", "pow(2,ex)"),
        (" multiply {1 2 3}", "unsupported", "3 values for a 4-channel knob"),
    ],
)
def test_values_that_cannot_be_converted_are_reported_and_left_alone(
    body: str, status: str, reason: str
) -> None:
    node = script_node(body)
    before = node.node.knob_text("multiply")
    outcome = convert_node(node)
    assert outcome.status == status
    assert reason in outcome.detail
    assert node.node.knob_text("multiply") == before
    assert not node.has_knob("nks_stops")
    assert not node.node.edited


def test_converting_twice_does_nothing_the_second_time() -> None:
    script = parse("Grade {\n multiply {1.5 1.2 1 1}\n name G\n}\n")
    first = convert_script(script)
    once = script.to_text()
    again = parse(once)
    second = convert_script(again)
    assert [o.status for o in first] == ["converted"]
    assert [o.status for o in second] == ["already"]
    assert again.to_text() == once


def test_defaults_are_skipped_offline_and_converted_on_request() -> None:
    node = script_node(" white 2")
    assert convert_node(node).status == "default"
    assert not node.node.edited
    outcome = _converted_renders_the_same(" white 2", include_default=True)
    assert outcome.master == 0.0


def test_grade_white_on_request() -> None:
    script = parse("Grade {\n white {0.5 0.5 0.5 1}\n multiply 3\n name G\n}\n")
    [outcome] = convert_script(script, {"Grade": "white"})
    assert outcome.knob == "white"
    assert outcome.master == -1.0
    grade = script.find("G")
    assert grade is not None
    assert grade.knob_text("multiply") == "3"


def test_nodes_inside_groups_and_clones() -> None:
    text = (
        "Group {\n name G\n}\n Multiply {\n  value 4\n  name M\n }\nend_group\n"
        "Grade {\n multiply 2\n name A\n}\nset C1 [stack 0]\nclone $C1 {\n xpos 5\n}\n"
    )
    script = parse(text)
    outcomes = convert_script(script)
    assert [(o.path, o.status) for o in outcomes] == [("G.M", "converted"), ("A", "cloned")]
    assert "\n  addUserKnob {7 nks_stops l stops t " in script.to_text()  # group indent
    assert [(n.path, n.is_cloned) for n in nodes(script)] == [
        ("G", False),
        ("G.M", False),
        ("A", True),
    ]  # the clone statement shares A's knobs


@pytest.mark.parametrize("path", corpus_params())
def test_every_corpus_file_converts_renders_the_same_and_still_parses(path: Path) -> None:
    script = parse(path.read_bytes().decode("utf-8", "surrogateescape"), str(path))
    before = {n.path: ScriptNode(n) for n in parse(script.text).walk()}
    outcomes = convert_script(script)
    converted = parse(script.to_text())
    for outcome in outcomes:
        node = converted.find(outcome.path)
        assert node is not None
        if outcome.changed:
            assert node.user_knob_names()[-3:] == ["nks_stops", "nks_channel_stops", "nks_drives"]
            new = channels(node.knob_text(outcome.knob) or "")
            assert all(isinstance(c, Animation) for c in new[:3])
            assert_same_render(
                _render(before[outcome.path], outcome.knob), _render(ScriptNode(node), outcome.knob)
            )
        elif outcome.knob:
            assert node.knob_text(outcome.knob) == before[outcome.path].node.knob_text(outcome.knob)


def test_the_render_check_catches_swapped_channels(monkeypatch: pytest.MonkeyPatch) -> None:
    """The mutation the render checks must catch: driving expressions that
    read the wrong channel's stops."""
    from nuke_plugin.ops.catalogue import driving_expression as real

    swapped = {"r": "g", "g": "r"}

    def swap(channel: str, on_curve: bool = False) -> str:
        return real(swapped.get(channel, channel), on_curve)

    monkeypatch.setattr("nuke_plugin.ops.convert.driving_expression", swap)
    node = script_node(" multiply {1.5 1.2 1 1}")
    before = _render(node, "multiply")
    convert_node(node)
    with pytest.raises(AssertionError, match="frame"):
        assert_same_render(before, _render(node, "multiply"))
