"""A node's exposures (nuke_plugin.ops.exposures), on parsed scripts: the
rows the Exposure panel shows, whatever binding draws them."""

from __future__ import annotations

from pathlib import Path
from typing import List

from nuke_plugin.adapters.script_node import nodes
from nuke_plugin.nkfile.parser import parse
from nuke_plugin.ops.assess import KnobState
from nuke_plugin.ops.exposures import Exposure, exposures

from support.commandline import cli
from support.paths import LEGACY


def _all(text: str, frame: float = 1.0) -> List[Exposure]:
    return [e for node in nodes(parse(text)) for e in exposures(node, frame)]


def test_a_converted_keyed_knob_keeps_its_keys_under_the_stop_knobs(tmp_path: Path) -> None:
    """Convert keeps a keyed multiply's keys under the driving expressions:
    the row is animated, with the keys' count and range in stops."""
    out = tmp_path / "c.nk"
    assert cli("convert", str(LEGACY), "-o", str(out)).returncode == 0
    found = {e.path: e for e in _all(out.read_text(), 1001)}
    flicker = found["Grade_flicker_fix"]
    assert (flicker.knob, flicker.state, flicker.keys) == ("multiply", KnobState.ANIMATED, 3)
    assert flicker.key_range == (-1.0, 1.0)
    assert found["Multiply_plus1"].parts[0].knob == "nks_stops"


def test_a_clone_is_read_only_with_the_reason() -> None:
    script = parse("Grade {\n multiply 2\n name G\n}\nset C1 [stack 0]\nclone $C1 {\n xpos 0\n}\n")
    (only,) = [e for node in nodes(script) for e in exposures(node, 1)]
    assert not only.editable
    assert "clone" in only.detail


def test_a_knob_kept_at_its_default_is_listed_at_zero() -> None:
    (node,) = list(nodes(parse("Grade {\n name G\n}\n")))
    assert exposures(node, 1) == []
    (kept,) = exposures(node, 1, keep=["multiply"])
    assert (kept.knob, kept.stops_text, kept.editable) == ("multiply", "0", True)


def test_exptool_rows_are_in_its_unit() -> None:
    (red,) = _all("EXPTool {\n mode Stops\n red 0.5\n name E\n}\n")
    assert (red.knob, red.stops_text) == ("red", "+0.50")


def test_an_unreadable_value_has_no_stops_and_is_read_only() -> None:
    (row,) = _all("Grade {\n multiply -1\n name G\n}\n")
    assert row.state == KnobState.NONPOSITIVE
    assert row.stops_text == ""
    assert not row.editable


def test_exptool_rows_in_another_unit_show_stops_and_the_multiplier() -> None:
    """An EXPTool channel in Densities reads the stops scan gives it and the
    multiplier those stops are (not 2 ** the density); a third of a stop in
    Stops mode stays a fraction; an unknown mode has neither."""
    (densities,) = _all("EXPTool {\n mode Densities\n red 0.3\n name E\n}\n")
    assert densities.stops_text == densities.parts[0].stops
    stops = densities.stops[0]
    assert stops is not None
    assert densities.linear[0] == 2.0**stops
    (third,) = _all("EXPTool {\n mode Stops\n red 0.3333333333333333\n name E\n}\n")
    assert third.stops_text == "+1/3"
    (unknown,) = _all("EXPTool {\n red 0.3\n name E\n}\n")
    assert (unknown.stops_text, unknown.linear_text, unknown.editable) == ("", "", False)
