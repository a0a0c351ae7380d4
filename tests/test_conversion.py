"""Converting legacy multiply values to stops, and scanning, on parsed scripts."""

from __future__ import annotations

import math
from typing import Dict, List, Optional

import pytest
from conftest import corpus_files

from nuke_plugin.conversion import convert_node
from nuke_plugin.exposure_knobs import assess, stops_channels
from nuke_plugin.nk_script import parse
from nuke_plugin.nk_values import Animation, Channel, Key, channels
from nuke_plugin.offline import ScriptNode, convert_script, nodes, scan_script

RENDER_TOLERANCE = 1e-12  # relative: the converted knob renders the same value


def _node(body: str, node_class: str = "Grade") -> ScriptNode:
    script = parse(f"{node_class} {{\n{body}\n name N\n}}\n")
    return ScriptNode(script.nodes[0])


def _rendered(node: ScriptNode, frame: float = 0.0) -> List[float]:
    """What Nuke would compute for the driven knob, from the written file:
    2^(stops + channel) for red, green and blue, 2^channel for alpha."""
    return [_rendered_channel(node, i, frame) for i in range(4)]


def test_per_channel_conversion_keeps_the_render() -> None:
    node = _node(" multiply {1.5 1.2 1 1}")
    outcome = convert_node(node)
    assert outcome.status == "converted"
    assert outcome.master == 0.0
    assert outcome.channels == pytest.approx((0.585, 0.263, 0.0, 0.0), abs=5e-4)
    assert _rendered(node) == pytest.approx([1.5, 1.2, 1.0, 1.0], rel=RENDER_TOLERANCE)
    written = node.read("multiply")
    assert written is not None and written[3] == 1.0  # alpha left as it was
    assert all(
        isinstance(c, Animation) and "nks_channel_stops" in c.expression for c in written[:3]
    )


def test_a_uniform_multiply_goes_to_the_master_stops() -> None:
    node = _node(" value {2 2 2 1}", "Multiply")
    outcome = convert_node(node)
    assert (outcome.knob, outcome.master, outcome.channels) == ("value", 1.0, (0.0,) * 4)
    assert _rendered(node) == [2.0, 2.0, 2.0, 1.0]


def test_alpha_is_driven_only_when_it_was_changed() -> None:
    node = _node(" multiply 2")  # one value: all four channels, alpha included
    convert_node(node)
    assert _rendered(node) == [2.0, 2.0, 2.0, 2.0]
    alpha = (node.read("multiply") or [])[3]
    assert isinstance(alpha, Animation) and "nks_stops" not in alpha.expression


def test_animated_values_convert_key_by_key_and_render_the_same_at_every_key() -> None:
    text = " multiply {{curve L x1001 1 s0.5 x1025 2 x1050 0.5} 1.2 {curve x1 3 x9 0.25} 1}"
    node = _node(text)
    before = node.read("multiply") or []
    outcome = convert_node(node)
    assert (outcome.status, outcome.detail) == ("converted", "3 keys")
    stops = node.read("nks_channel_stops") or []
    red = stops[0]
    assert isinstance(red, Animation) and red.expression == "curve"
    assert [(k.frame, k.value) for k in red.keys] == [(1001, 0.0), (1025, 1.0), (1050, -1.0)]
    assert red.keys[0].interpolation == "L"
    # The slope of log2(v) is v'/(v ln 2): 0.5 at value 1 becomes 0.721...
    [(letter, slope)] = red.keys[0].tangents
    assert letter == "s" and slope == pytest.approx(0.5 / math.log(2))
    for frame in (1001, 1025, 1050):
        rendered = _rendered_channel(node, 0, frame)
        assert rendered == pytest.approx(_value_at(before[0], frame), rel=RENDER_TOLERANCE)
    for frame in (1, 9):
        assert _rendered_channel(node, 2, frame) == pytest.approx(
            _value_at(before[2], frame), rel=RENDER_TOLERANCE
        )


def _value_at(value: Channel, frame: float) -> float:
    if isinstance(value, Animation):
        return next(k.value for k in value.keys if k.frame == frame)
    return value


def _rendered_channel(node: ScriptNode, index: int, frame: float) -> float:
    master = (node.read("nks_stops") or [0.0])[0] if index < 3 else 0.0
    per_channel = node.read("nks_channel_stops") or [0.0]
    per_channel = per_channel * (4 // len(per_channel))
    return float(2.0 ** (_value_at(master, frame) + _value_at(per_channel[index], frame)))


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
    node = _node(body)
    before = node.node.knob_text("multiply")
    outcome = convert_node(node)
    assert outcome.status == status and reason in outcome.detail
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
    node = _node(" white 2")
    assert convert_node(node).status == "default"
    assert not node.node.edited
    outcome = convert_node(node, include_default=True)
    assert outcome.status == "converted" and _rendered(node) == [1.0] * 4


def test_grade_white_on_request() -> None:
    script = parse("Grade {\n white {0.5 0.5 0.5 1}\n multiply 3\n name G\n}\n")
    [outcome] = convert_script(script, {"Grade": "white"})
    assert outcome.knob == "white" and outcome.master == -1.0
    grade = script.find("G")
    assert grade is not None and grade.knob_text("multiply") == "3"


def test_nodes_inside_groups_and_clones() -> None:
    text = (
        "Group {\n name G\n}\n Multiply {\n  value 4\n  name M\n }\nend_group\n"
        "Grade {\n multiply 2\n name A\n}\nset C1 [stack 0]\nclone $C1 {\n xpos 5\n}\n"
    )
    script = parse(text)
    outcomes = convert_script(script)
    assert [(o.path, o.status) for o in outcomes] == [("G.M", "converted"), ("A", "converted")]
    assert "  addUserKnob {7 nks_stops l stops R -5 5}\n" in script.to_text()  # group indent
    assert [n.path for n in nodes(script)] == ["G", "G.M", "A"]  # the clone follows A


def test_scan_reports_every_status_with_reasons(legacy_comp_text: str) -> None:
    findings = {(f.path, f.knob): f for f in scan_script(parse(legacy_comp_text))}
    assert findings[("Grade_warm", "multiply")].stops == "+0.58 +0.26 0 0"
    assert findings[("Grade_warm", "multiply")].status == "constant"
    assert findings[("Multiply_plus1", "value")].stops == "+1"
    flicker = findings[("Grade_flicker_fix", "multiply")]
    assert (flicker.status, flicker.detail) == ("animated", "3 keys")
    linked = findings[("Multiply_linked", "value")]
    assert linked.status_text == "expression-driven (left alone): parent.Multiply_plus1.value"
    black = findings[("Multiply_black", "value")]
    assert black.status == "nonpositive" and "zero" in black.detail
    assert findings[("Group_match.Grade_inside", "white")].stops == "-0.32 -0.15 +0.14 0"
    assert ("PlateA", "multiply") not in findings


def test_scan_after_conversion_shows_stop_knobs_and_driven_knobs(legacy_comp_text: str) -> None:
    script = parse(legacy_comp_text)
    convert_script(script)
    findings = {(f.path, f.knob): f for f in scan_script(parse(script.to_text()))}
    assert findings[("Grade_warm", "multiply")].status == "driven"
    assert findings[("Grade_warm", "nks_channel_stops")].stops == "+0.58 +0.26 0 0"
    assert findings[("Multiply_plus1", "nks_stops")].stops == "+1"
    assert findings[("Multiply_linked", "value")].status == "expression"


@pytest.mark.parametrize(
    ("mode", "value", "stops", "status"),
    [
        ("Stops", "-1", "-1", "constant"),
        ("Densities", "0.180618", "+1.00", "constant"),
        ("Cineon", "90.309", "+1.00", "constant"),
        ("Lights", "12", "", "unsupported"),
        (None, "1", "", "unsupported"),
    ],
)
def test_scan_reads_exptool_in_its_mode(
    mode: Optional[str], value: str, stops: str, status: str
) -> None:
    mode_line = f" mode {mode}\n" if mode else ""
    script = parse(f"EXPTool {{\n{mode_line} red {value}\n name E\n}}\n")
    [finding] = scan_script(script)
    assert (finding.knob, finding.stops, finding.status) == ("red", stops, status)


def test_assess_and_stops_channels_agree() -> None:
    values: List[Channel] = [2.0, Animation("curve", (Key(1, 4.0),)), 0.5, 1.0]
    assessment = assess(values)
    assert assessment.status == "animated"
    assert assessment.stops == stops_channels(values)


def test_the_whole_corpus_converts_and_still_parses() -> None:
    statuses: Dict[str, int] = {}
    for path in corpus_files():
        script = parse(path.read_bytes().decode("utf-8", "surrogateescape"), str(path))
        before = {(n.path): n.knob_text("multiply") for n in script.walk()}
        outcomes = convert_script(script)
        for outcome in outcomes:
            statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
        converted = parse(script.to_text())
        for outcome in outcomes:
            if outcome.changed:
                node = converted.find(outcome.path)
                assert node is not None and node.user_knob_names()[-3:] == [
                    "nks_stops", "nks_channel_stops", "nks_drives"
                ]  # fmt: skip
                new = channels(node.knob_text(outcome.knob) or "")
                assert all(isinstance(c, Animation) for c in new[:3])
            elif outcome.knob == "multiply":
                node = converted.find(outcome.path)
                assert node is not None and node.knob_text("multiply") == before[outcome.path]
    assert statuses.get("converted", 0) > 50 and statuses.get("expression", 0) > 50
