"""Keeping stop knobs honest: the knobChanged and updateUI callbacks."""

from __future__ import annotations

import runpy
from typing import Any

from nuke_plugin.host import commands
from nuke_plugin.ops.catalogue import STOP_KNOB_SPECS, UNLINKED_LABEL, driving_expression
from nuke_plugin.registry import STOP_KNOBS

from support.in_nuke import expression, make, select, values
from support.paths import ROOT, standin_only
from support.render import same


def _converted(nuke: Any, value: str = "1.5 1.2 1 1") -> Any:
    grade = make(nuke, "Grade", "multiply", value)
    select(nuke, grade)
    commands.add_stop_knobs()
    return grade


@standin_only
def test_editing_the_linear_knob_makes_the_stop_knobs_follow(nuke_host: Any) -> None:
    runpy.run_path(str(ROOT / "menu.py"))  # registers the callbacks as Nuke would
    grade = _converted(nuke_host)
    stops = grade[STOP_KNOBS.master]
    nuke_host._artist_sets(grade["multiply"], "4")  # typed over the expressions
    assert stops.value() == 2.0
    assert values(grade, STOP_KNOBS.channels) == [0.0, 0.0, 0.0, 2.0]
    assert values(grade, "multiply") == [4.0] * 4
    assert expression(grade, "multiply", 0) == driving_expression("r")
    nuke_host._artist_sets(grade["multiply"], "{parent.mine}")  # an expression of the artist's
    assert stops.label() == UNLINKED_LABEL
    assert "no longer driven by the stop knobs" in stops.tooltip()
    assert expression(grade, "multiply", 0) == "parent.mine"
    nuke_host._artist_sets(grade["multiply"], "0.5")
    spec = next(s for s in STOP_KNOB_SPECS if s.name == STOP_KNOBS.master)
    assert (stops.label(), stops.tooltip()) == (spec.label, spec.tooltip)
    assert stops.value() == -1.0
    nuke_host._artist_sets(grade["white"], "3")  # not the driven knob: left alone
    assert values(grade, "white") == [3.0] * 4
    assert not grade["white"].isAnimated()


@standin_only
def test_edits_with_the_panel_closed_are_caught_at_idle(nuke_host: Any) -> None:
    """Nuke 13-16 run knobChanged only while the panel is open."""
    runpy.run_path(str(ROOT / "menu.py"))
    grade = _converted(nuke_host)
    assert not grade.shown()
    grade["multiply"].fromScript("8")  # a script or the curve editor, panel closed
    assert grade[STOP_KNOBS.master].value() == 0.0  # knobChanged did not run
    nuke_host._idle()
    assert grade[STOP_KNOBS.master].value() == 3.0
    assert expression(grade, "multiply", 2) == driving_expression("b")
    grade["multiply"].fromScript("{parent.mine}")
    nuke_host._idle()
    nuke_host._idle()  # unchanged since: nothing more is done
    assert grade[STOP_KNOBS.master].label() == UNLINKED_LABEL


@standin_only
def test_nuke_17_knob_changed_on_every_change_never_loops(nuke_host: Any) -> None:
    """Nuke 17 runs knobChanged for programmatic changes too, this package's
    own writes included: they must not re-enter the callback."""
    runpy.run_path(str(ROOT / "menu.py"))
    nuke_host._session().switches["knob_changed_always"] = True
    grade = _converted(nuke_host)
    assert same(values(grade, "multiply"), [1.5, 1.2, 1.0, 1.0])
    commands.nudge(1.0)
    assert same(values(grade, "multiply"), [3.0, 2.4, 2.0, 1.0])
    grade["multiply"].fromScript("2")  # a programmatic edit: followed at once
    assert grade[STOP_KNOBS.master].value() == 1.0
    assert expression(grade, "multiply", 1) == driving_expression("g")
