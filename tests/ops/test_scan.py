"""Scanning nodes for exposure knobs: every state, with its reason."""

from __future__ import annotations

from typing import Optional

import pytest

from nuke_plugin.adapters.script_ops import convert_script, scan_script
from nuke_plugin.nkfile.parser import parse
from nuke_plugin.ops.scan import scan_node

from support.offline import script_node


def test_scan_reports_every_state_with_reasons(legacy_comp_text: str) -> None:
    findings = {(f.path, f.knob): f for f in scan_script(parse(legacy_comp_text))}
    assert findings[("Grade_warm", "multiply")].stops == "+0.58 +0.26 0 0"
    assert findings[("Grade_warm", "multiply")].state == "constant"
    assert findings[("Multiply_plus1", "value")].stops == "+1"
    flicker = findings[("Grade_flicker_fix", "multiply")]
    assert (flicker.state, flicker.detail) == ("animated", "3 keys")
    linked = findings[("Multiply_linked", "value")]
    assert (linked.state, linked.detail) == ("expression", "parent.Multiply_plus1.value")
    black = findings[("Multiply_black", "value")]
    assert black.state == "nonpositive"
    assert "zero" in black.detail
    assert findings[("Group_match.Grade_inside", "white")].stops == "-0.32 -0.15 +0.14 0"
    assert ("PlateA", "multiply") not in findings


def test_scan_after_conversion_shows_stop_knobs_and_driven_knobs(legacy_comp_text: str) -> None:
    script = parse(legacy_comp_text)
    convert_script(script)
    findings = {(f.path, f.knob): f for f in scan_script(parse(script.to_text()))}
    assert findings[("Grade_warm", "multiply")].state == "driven"
    assert findings[("Grade_warm", "nks_channel_stops")].stops == "+0.58 +0.26 0 0"
    assert findings[("Multiply_plus1", "nks_stops")].stops == "+1"
    assert findings[("Multiply_linked", "value")].state == "expression"


@pytest.mark.parametrize(
    ("mode", "value", "stops", "state"),
    [
        ("Stops", "-1", "-1", "constant"),
        ("Densities", "0.180618", "+1.00", "constant"),
        ("Cineon", "90.309", "+1.00", "constant"),
        ("Lights", "12", "", "unsupported"),
        (None, "1", "", "unsupported"),
    ],
)
def test_scan_reads_exptool_in_its_mode(
    mode: Optional[str], value: str, stops: str, state: str
) -> None:
    mode_line = f" mode {mode}\n" if mode else ""
    script = parse(f"EXPTool {{\n{mode_line} red {value}\n name E\n}}\n")
    [finding] = scan_script(script)
    assert (finding.knob, finding.stops, finding.state) == ("red", stops, state)


def test_a_three_channel_expression_beside_stop_knobs_is_reported_not_raised() -> None:
    """Found by mutating a converted golden file: a driven knob cut to three
    channels crashed the scan."""
    driven = " ".join(f"{{pow(2,nks_stops+nks_channel_stops.{c})}}" for c in "rgb")
    node = script_node(
        f" multiply {{{driven}}}\n addUserKnob {{7 nks_stops l stops}}\n nks_stops 1"
    )
    [stops, multiply] = scan_node(node)
    assert (stops.knob, multiply.knob) == ("nks_stops", "multiply")
    assert multiply.state == "expression"
