"""What the artist gets inside Nuke: stop knobs, nudges, conversion, sync, menus.

These tests are written against Foundry's documented API and read knobs
only through it (getValueAt, animation(i), hasExpression), never through
the text format, so they hold in real Nuke as on the stand-in: here they
run on tests/standin/nuke, and ``nuke -t tests/run_in_nuke.py`` (or Nuke >
nuke-stops > Help > Run self-test) runs this same file inside Nuke.
``standin_only`` tests drive what only the stand-in can (an artist typing
into an open panel, a host that refuses a write, the last group clicked
into); ``real_nuke`` tests need Nuke itself.

Render identity is checked by asking the host for the values it renders
(``getValueAt``) before and after, at keys and between them.
"""

from __future__ import annotations

import math
import runpy
import sys
from fractions import Fraction
from typing import Any, List, Tuple

import pytest
from conftest import REAL_NUKE, RENDER_TOLERANCE, ROOT, knob_values, real_nuke, standin_only

from nuke_plugin import nuke_commands
from nuke_plugin.exposure_knobs import (
    DRIVABLE_KNOBS,
    STOP_KNOB_SPECS,
    STOP_KNOBS,
    UNLINKED_LABEL,
    driving_expression,
)

FRAMES = [1.0 + 0.5 * i for i in range(48)]  # keys and the frames between them


def make(nuke: Any, node_class: str, knob: str = "", value: str = "") -> Any:
    """A node with one knob set the way Nuke's toScript writes it."""
    node = nuke.createNode(node_class, inpanel=False)
    if knob:
        assert node[knob].fromScript(value) is not False
    return node


def select(nuke: Any, *nodes: Any) -> None:
    for node in nuke.allNodes(recurseGroups=True):
        node.setSelected(False)
    for node in nodes:
        node.setSelected(True)


def values(node: Any, knob: str, frame: float = 1.0) -> List[float]:
    return knob_values(node, knob, [frame])[frame]


def expression(node: Any, knob: str, channel: int) -> str:
    curve = node[knob].animation(channel)
    return "" if curve is None else str(curve.expression())


def keys(node: Any, knob: str, channel: int) -> List[Tuple[float, float]]:
    return [(key.x, key.y) for key in node[knob].animation(channel).keys()]


def messages(nuke: Any) -> List[str]:
    """What the artist was told: the stand-in records it; in Nuke it was shown."""
    return list(nuke._session().messages) if hasattr(nuke, "_session") else []


def same(got: List[float], wanted: List[float]) -> bool:
    return got == pytest.approx(wanted, rel=RENDER_TOLERANCE)


# -- adding stop knobs and converting ----------------------------------------------------------


def test_add_stop_knobs_converts_the_current_value_per_channel(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "1.5 1.2 1 1")
    select(nuke_host, grade)
    [outcome] = nuke_commands.add_stop_knobs()
    assert outcome.status == "converted"
    assert values(grade, STOP_KNOBS.channels) == pytest.approx([0.585, 0.263, 0.0, 0.0], abs=5e-4)
    assert grade[STOP_KNOBS.master].value() == 0.0
    assert same(values(grade, "multiply"), [1.5, 1.2, 1.0, 1.0])
    assert [expression(grade, "multiply", i) for i in range(3)] == [
        driving_expression(c) for c in "rgb"
    ]
    assert not grade["multiply"].isAnimated(3)  # alpha was 1: left alone
    assert grade[STOP_KNOBS.tab].label() == "Exposure"


def test_the_live_stop_knobs_follow_the_one_definition(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "2")
    select(nuke_host, grade)
    nuke_commands.add_stop_knobs()
    for spec in STOP_KNOB_SPECS:
        knob = grade[spec.name]
        assert knob.label() == spec.label
        assert knob.tooltip() == spec.tooltip
        assert knob.getFlag(nuke_host.INVISIBLE) == spec.hidden
        if spec.low != spec.high:
            assert (knob.min(), knob.max()) == (spec.low, spec.high)
    assert grade[STOP_KNOBS.drives].value() == "multiply"


def test_add_stop_knobs_on_multiply_colorcorrect_and_a_fresh_grade(nuke_host: Any) -> None:
    multiply = make(nuke_host, "Multiply", "value", "2 2 2 1")
    gain = make(nuke_host, "ColorCorrect", "gain", "0.5 0.5 0.5 1")
    fresh = make(nuke_host, "Grade")
    blur = make(nuke_host, "Blur")
    select(nuke_host, multiply, gain, fresh, blur)
    outcomes = nuke_commands.add_stop_knobs()
    assert sorted((o.path, o.knob, o.status) for o in outcomes) == sorted([
        (fresh.name(), "multiply", "converted"),
        (gain.name(), "gain", "converted"),
        (multiply.name(), "value", "converted"),
    ])
    assert multiply[STOP_KNOBS.master].value() == 1.0
    assert gain[STOP_KNOBS.master].value() == -1.0
    assert fresh[STOP_KNOBS.master].value() == 0.0
    assert same(values(multiply, "value"), [2.0, 2.0, 2.0, 1.0])


def test_running_add_stop_knobs_twice_does_nothing_the_second_time(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "1.5 1.2 1 1")
    select(nuke_host, grade)
    nuke_commands.add_stop_knobs()
    before = {name: knob.toScript() for name, knob in grade.knobs().items()}
    [again] = nuke_commands.add_stop_knobs()
    assert again.status == "already"
    assert {name: knob.toScript() for name, knob in grade.knobs().items()} == before


def test_grade_gain_on_request(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "white", "0.5 0.5 0.5 1")
    select(nuke_host, grade)
    [outcome] = nuke_commands.add_stop_knobs("white")
    assert outcome.knob == "white" and grade[STOP_KNOBS.drives].value() == "white"
    assert values(grade, "multiply") == [1.0] * 4 and not grade["multiply"].isAnimated()
    assert same(values(grade, "white"), [0.5, 0.5, 0.5, 1.0])


@pytest.mark.parametrize(
    ("value", "status"),
    [("0", "nonpositive"), ("1 -2 1 1", "nonpositive"), ("{parent.x}", "expression"),
     ("{curve x1 1 x5 0} 1 1 1", "nonpositive")],
)  # fmt: skip
def test_zero_negative_and_expressions_are_reported_and_left_alone(
    nuke_host: Any, value: str, status: str
) -> None:
    grade = make(nuke_host, "Grade", "multiply", value)
    before = grade["multiply"].toScript()
    select(nuke_host, grade)
    [outcome] = nuke_commands.convert_selected()
    assert outcome.status == status and not outcome.changed
    assert grade.knob(STOP_KNOBS.master) is None
    assert grade["multiply"].toScript() == before
    if messages(nuke_host):
        assert status in messages(nuke_host)[-1]


def test_a_keyed_red_channel_converts_and_renders_the_same_at_every_frame(
    nuke_host: Any,
) -> None:
    """The shape Nuke returns as ``{curve ...} 1.2 1.2 1``: the first live
    path the review found broken."""
    grade = make(nuke_host, "Grade", "multiply", "{curve x1 1 x12 2 x24 0.5} 1.2 1.2 1")
    before = knob_values(grade, "multiply", FRAMES)
    select(nuke_host, grade)
    [outcome] = nuke_commands.convert_selected()
    assert outcome.status == "converted" and "keys kept on r" in outcome.detail
    after = knob_values(grade, "multiply", FRAMES)
    for frame in FRAMES:
        assert same(after[frame], before[frame]), f"frame {frame}"
    assert expression(grade, "multiply", 0) == driving_expression("r", on_curve=True)
    assert keys(grade, "multiply", 0) == [(1, 1.0), (12, 2.0), (24, 0.5)]
    offsets = values(grade, STOP_KNOBS.channels)
    assert offsets == pytest.approx([0.0, math.log2(1.2), math.log2(1.2), 0.0])


def test_a_keyed_node_nudged_in_stops_moves_every_frame_by_the_same_factor(
    nuke_host: Any,
) -> None:
    grade = make(nuke_host, "Grade", "multiply", "{curve x1 1 x12 2 x24 0.5} 1.2 1.2 1")
    select(nuke_host, grade)
    nuke_commands.convert_selected()
    before = knob_values(grade, "multiply", FRAMES)
    nuke_commands.nudge(1.0)
    after = knob_values(grade, "multiply", FRAMES)
    for frame in FRAMES:
        assert same(after[frame][:3], [2 * v for v in before[frame][:3]])
        assert after[frame][3] == before[frame][3]


def test_whole_script_converts_what_it_can_and_reports_the_rest(nuke_host: Any) -> None:
    good = make(nuke_host, "Grade", "multiply", "2")
    keyed_zero = make(nuke_host, "Grade", "multiply", "{curve x1 1 x5 0} 1 1 1")
    linked = make(nuke_host, "Multiply", "value", "{parent.x}")
    original = make(nuke_host, "Grade", "multiply", "3")
    clone = nuke_host.clone(original, "", False)
    outcomes = {o.path: o.status for o in nuke_commands.convert_all()}
    assert outcomes[good.name()] == "converted"
    assert outcomes[keyed_zero.name()] == "nonpositive"
    assert outcomes[linked.name()] == "expression"
    assert outcomes[original.name()] == outcomes[clone.name()] == "cloned"
    assert good.knob(STOP_KNOBS.master) is not None
    assert original.knob(STOP_KNOBS.master) is None and values(original, "multiply") == [3.0] * 4


def test_convert_whole_script_recurses_into_groups_with_a_progress_bar(nuke_host: Any) -> None:
    for _ in range(nuke_commands.PROGRESS_FROM + 5):
        make(nuke_host, "Grade", "multiply", "2")
    group = nuke_host.createNode("Group", inpanel=False)
    with group:
        inner = make(nuke_host, "Multiply", "value", "4")
    outcomes = nuke_commands.convert_all()
    assert sum(o.changed for o in outcomes) == nuke_commands.PROGRESS_FROM + 6
    assert inner[STOP_KNOBS.master].value() == 2.0
    if hasattr(nuke_host, "_session"):
        session = nuke_host._session()
        [(_, progress)] = session.progress_tasks
        assert progress[0] == 0 and progress[-1] > 90
        assert session.messages_over_progress == []  # the window closed first


def test_the_stops_written_render_the_multiplier_to_nukes_precision(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "0.1 3.7 1e-05 1")
    select(nuke_host, grade)
    nuke_commands.add_stop_knobs()
    assert same(values(grade, "multiply"), [0.1, 3.7, 1e-05, 1.0])


# -- nudges ------------------------------------------------------------------------------------


def test_nudges_on_a_plain_node_multiply_red_green_blue_only(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "1.5 1.2 1 0.5")
    select(nuke_host, grade)
    nuke_commands.nudge(1.0)
    assert same(values(grade, "multiply"), [3.0, 2.4, 2.0, 0.5])
    nuke_commands.nudge(-1 / 3)
    third = 2 ** (-1 / 3)
    assert same(values(grade, "multiply"), [3 * third, 2.4 * third, 2 * third, 0.5])
    fresh = make(nuke_host, "Multiply")
    select(nuke_host, fresh)
    nuke_commands.nudge(1.0)
    assert values(fresh, "value") == [2.0, 2.0, 2.0, 1.0]


def test_nudges_on_stop_knobs_change_the_stops(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "1.5 1.2 1 1")
    select(nuke_host, grade)
    nuke_commands.add_stop_knobs()
    nuke_commands.nudge(1.0)
    nuke_commands.nudge(1 / 3)
    assert grade[STOP_KNOBS.master].value() == pytest.approx(4 / 3)
    factor = 2 ** (4 / 3)
    assert same(values(grade, "multiply"), [1.5 * factor, 1.2 * factor, factor, 1.0])


def test_nudge_on_an_animated_knob_shifts_every_key_or_keys_this_frame(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "{curve x1 1 x10 2} {curve x1 1 x10 2} 1 1")
    select(nuke_host, grade)
    nuke_commands.nudge(1.0)
    assert keys(grade, "multiply", 0) == [(1, 2.0), (10, 4.0)]
    assert values(grade, "multiply")[2:] == [2.0, 1.0]
    nuke_host.frame(4)
    before_at_4 = grade["multiply"].getValueAt(4, 0)
    nuke_commands.nudge(1.0, key_current_frame=True)
    assert keys(grade, "multiply", 0) == [(1, 2.0), (4, pytest.approx(2 * before_at_4)), (10, 4.0)]
    assert keys(grade, "multiply", 1) == keys(grade, "multiply", 0)
    # blue has no keys, so no frames to keep: it changes everywhere, as a key would
    assert values(grade, "multiply", 9.0)[2:] == [4.0, 1.0]


def test_a_nudge_never_overwrites_an_expression(nuke_host: Any) -> None:
    multiply = make(nuke_host, "Multiply", "value", "{parent.x} {parent.x} {parent.x} 1")
    select(nuke_host, multiply)
    before = multiply["value"].toScript()
    [outcome] = nuke_commands.nudge(1.0)
    assert outcome.status == "refused" and "parent.x" in outcome.detail
    assert multiply["value"].toScript() == before
    if messages(nuke_host):
        assert "nudge the knob it reads instead" in messages(nuke_host)[-1]


def test_a_nudge_refuses_stop_knobs_the_linear_knob_no_longer_follows(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "2")
    select(nuke_host, grade)
    nuke_commands.add_stop_knobs()
    grade["multiply"].fromScript("{parent.other}")  # an expression of the artist's
    [outcome] = nuke_commands.nudge(1.0)
    assert outcome.status == "refused" and "no longer follows" in outcome.detail
    assert grade[STOP_KNOBS.master].value() == 1.0


def test_the_nudge_step_is_configurable(nuke_host: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nuke_commands, "_chosen_step", None)
    monkeypatch.setenv("NUKE_STOPS_STEP", "1/2")
    assert nuke_commands.step() == Fraction(1, 2)
    nuke_commands.set_step_fraction(1, 4)
    assert nuke_commands.step() == Fraction(1, 4)
    grade = make(nuke_host, "Grade", "multiply", "2")
    select(nuke_host, grade)
    nuke_commands.nudge_by_step(-1)
    assert values(grade, "multiply")[0] == pytest.approx(2 * 2**-0.25)
    with pytest.raises(ValueError, match="1, 1/2, 1/3, 1/4"):
        nuke_commands.set_step(Fraction(1, 5))


# -- clones and group context ------------------------------------------------------------------


def test_clones_are_left_alone_and_reported(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "2")
    clone = nuke_host.clone(grade, "", False)
    select(nuke_host, grade, clone)
    assert {o.status for o in nuke_commands.nudge(1.0)} == {"cloned"}
    assert {o.status for o in nuke_commands.add_stop_knobs()} == {"cloned"}
    assert values(grade, "multiply") == [2.0] * 4 and grade.knob(STOP_KNOBS.master) is None


@standin_only
def test_commands_act_in_the_group_the_artist_clicked_into(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    outer = make(nuke_host, "Grade", "multiply", "2")
    group = nuke_host.createNode("Group", inpanel=False)
    with group:
        inner = make(nuke_host, "Grade", "multiply", "2")
    outer.setSelected(True)
    inner.setSelected(True)
    nuke_host._click_into(group)
    nuke_commands.nudge(1.0)
    assert values(inner, "multiply")[0] == 4.0 and values(outer, "multiply")[0] == 2.0
    made = nuke_commands.create_exposure_stops()
    assert made is not None and made.parent() is group
    nuke_host._click_into(None)  # back in the main Node Graph
    nuke_commands.nudge(1.0)
    assert values(outer, "multiply")[0] == 4.0 and values(inner, "multiply")[0] == 4.0
    monkeypatch.delattr(nuke_host, "lastHitGroup")  # a Nuke without it: the root
    nuke_host._click_into(group)
    nuke_commands.nudge(1.0)
    assert values(outer, "multiply")[0] == 8.0 and values(inner, "multiply")[0] == 4.0


# -- the ExposureStops node --------------------------------------------------------------------


def test_exposure_stops_is_a_group_that_keeps_its_internals(nuke_host: Any) -> None:
    node: Any = nuke_commands.create_exposure_stops()
    assert node is not None and node.Class() == "Group"
    inner = {child.name(): child for child in node.nodes()}
    assert sorted(c.Class() for c in inner.values()) == ["Input", "Input", "Multiply", "Output"]
    node["stops"].setValue(1.0)
    node["red"].setValue(0.5)
    multiply = inner["Multiply1"]
    assert same(values(multiply, "value"), [2**1.5, 2**1.5, 2**1.5, 1.0])  # ganged
    node["gang"].setValue(False)
    node["blue"].setValue(-1.0)
    assert same(values(multiply, "value"), [2**1.5, 2.0, 1.0, 1.0])


# -- undo: one step per command, and explicit restores -----------------------------------------


def test_each_command_is_one_undo_step_and_undo_restores(nuke_host: Any) -> None:
    if REAL_NUKE and not nuke_host.GUI:
        pytest.skip("undo history in nuke -t is not documented; the GUI self-test runs this")
    grade = make(nuke_host, "Grade", "multiply", "2")
    multiply = make(nuke_host, "Multiply", "value", "3")
    select(nuke_host, grade, multiply)
    count = nuke_host.Undo.undoSize()
    nuke_commands.nudge(1.0)
    assert nuke_host.Undo.undoSize() == count + 1
    nuke_host.Undo.undo()
    assert values(grade, "multiply") == [2.0] * 4 and values(multiply, "value") == [3.0] * 4


def _fail_on(monkeypatch: pytest.MonkeyPatch, node: Any) -> List[str]:
    from nuke_plugin import nuke_node

    real_write = nuke_node.LiveNode.write
    calls: List[str] = []

    def failing_write(self: Any, knob: str, channels: Any) -> None:
        calls.append(self.path)
        if self.path == node.fullName():
            raise RuntimeError("disk on fire")
        real_write(self, knob, channels)

    monkeypatch.setattr(nuke_node.LiveNode, "write", failing_write)
    return calls


def test_a_failure_half_way_restores_every_node_it_changed(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make(nuke_host, "Grade", "multiply", "1.5 1.2 1 1")
    second = make(nuke_host, "Grade", "multiply", "2")
    select(nuke_host, first, second)
    calls = _fail_on(monkeypatch, second)
    assert nuke_commands.add_stop_knobs() == []
    assert first.fullName() in calls and second.fullName() in calls
    for node, before in ((first, [1.5, 1.2, 1.0, 1.0]), (second, [2.0] * 4)):
        assert node.knob(STOP_KNOBS.master) is None and node.knob(STOP_KNOBS.tab) is None
        assert values(node, "multiply") == before and not node["multiply"].isAnimated()
    if messages(nuke_host):
        assert "disk on fire" in messages(nuke_host)[-1]
        assert "Everything it had changed was restored" in messages(nuke_host)[-1]


@standin_only
def test_restores_do_not_rely_on_cancel_inside_the_menus_undo_group(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nuke opens an undo group around every menu command; what cancel()
    does nested in it is not documented (the stand-in undoes nothing)."""
    runpy.run_path(str(ROOT / "menu.py"))
    first = make(nuke_host, "Grade", "multiply", "1.5 1.2 1 1")
    second = make(nuke_host, "Grade", "multiply", "2")
    select(nuke_host, first, second)
    _fail_on(monkeypatch, second)
    menu = nuke_host.menu("Nuke").findItem("nuke-stops")
    menu.findItem("Add stop knobs to selected").invoke()
    assert first.knob(STOP_KNOBS.master) is None
    assert values(first, "multiply") == [1.5, 1.2, 1.0, 1.0] and not first["multiply"].isAnimated()


@standin_only
def test_a_write_nuke_refuses_is_never_reported_as_done(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    grade = make(nuke_host, "Grade", "multiply", "1.5 1.2 1 1")
    select(nuke_host, grade)
    real = nuke_host.AColor_Knob.fromScript

    def refuse_expressions(self: Any, text: str) -> bool:
        return False if "pow(" in text else real(self, text)

    monkeypatch.setattr(nuke_host.AColor_Knob, "fromScript", refuse_expressions)
    assert nuke_commands.convert_selected() == []
    assert grade.knob(STOP_KNOBS.master) is None
    assert values(grade, "multiply") == [1.5, 1.2, 1.0, 1.0]
    assert "Nuke refused" in messages(nuke_host)[-1]
    assert "restored" in messages(nuke_host)[-1]


@standin_only
def test_a_write_that_reads_back_differently_is_a_failure(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    grade = make(nuke_host, "Grade", "multiply", "2")
    select(nuke_host, grade)
    real = nuke_host.AColor_Knob.fromScript

    def keep_half(self: Any, text: str) -> bool:
        return bool(real(self, "0.5" if text.startswith("2 ") or text == "2" else text))

    monkeypatch.setattr(nuke_host.AColor_Knob, "fromScript", keep_half)
    assert nuke_commands.nudge(0.0) == []  # writes 2 2 2 2, which the knob turns into 0.5
    assert "after writing" in messages(nuke_host)[-1]
    assert values(grade, "multiply") == [2.0] * 4


@standin_only
def test_cancelling_the_progress_window_restores_everything(nuke_host: Any) -> None:
    count = nuke_commands.PROGRESS_FROM + 5
    nodes = [make(nuke_host, "Grade", "multiply", "2") for _ in range(count)]
    nuke_host._session().cancel_progress_after = count + 10  # part-way through writing
    assert nuke_commands.convert_all() == []
    for node in nodes:
        assert node.knob(STOP_KNOBS.master) is None and values(node, "multiply") == [2.0] * 4
    assert "was cancelled" in messages(nuke_host)[-1] and "restored" in messages(nuke_host)[-1]
    assert nuke_host._session().messages_over_progress == []


# -- keeping stop knobs honest -----------------------------------------------------------------


def _converted(nuke: Any, value: str = "1.5 1.2 1 1") -> Any:
    grade = make(nuke, "Grade", "multiply", value)
    select(nuke, grade)
    nuke_commands.add_stop_knobs()
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
    assert values(grade, "white") == [3.0] * 4 and not grade["white"].isAnimated()


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
    nuke_commands.nudge(1.0)
    assert same(values(grade, "multiply"), [3.0, 2.4, 2.0, 1.0])
    grade["multiply"].fromScript("2")  # a programmatic edit: followed at once
    assert grade[STOP_KNOBS.master].value() == 1.0
    assert expression(grade, "multiply", 1) == driving_expression("g")


# -- menus and hotkeys -------------------------------------------------------------------------


@standin_only
def test_menu_builds_commands_hotkeys_and_callbacks(nuke_host: Any) -> None:
    before = {m for m in sys.modules if m.startswith("nuke_plugin.")}
    namespace = runpy.run_path(str(ROOT / "menu.py"))
    menu = nuke_host.menu("Nuke").findItem("nuke-stops")
    assert menu is not None
    for name, key in namespace["HOTKEYS"].items():
        item = menu.findItem(name)
        assert item is not None and item.shortcut() == key and item._context == 2
    keys_used = list(namespace["HOTKEYS"].values())
    assert len(set(keys_used)) == len(keys_used) == 6  # no two commands share a key
    assert all(key.startswith("alt+shift+") for key in keys_used)
    session = nuke_host._session()
    assert sorted(c[3] for c in session.knob_changed) == sorted(DRIVABLE_KNOBS)
    assert sorted(c[3] for c in session.update_ui) == sorted(DRIVABLE_KNOBS)
    assert namespace["LINEAR_KNOBS"] == {k for ks in DRIVABLE_KNOBS.values() for k in ks}
    assert namespace["EXPOSURE_CLASSES"] == tuple(DRIVABLE_KNOBS)
    grade = make(nuke_host, "Grade", "multiply", "2")
    select(nuke_host, grade)
    menu.findItem("Nudge/+1 stop").invoke()
    assert values(grade, "multiply") == [4.0, 4.0, 4.0, 2.0]
    assert session.undo_history[-1][0] == "+1 stop"  # one step, named by Nuke's menu group
    menu.findItem("Add stop knobs to selected").invoke()
    assert grade[STOP_KNOBS.master].value() == 2.0
    menu.findItem("Nudge/-1\u20443 stop").invoke()
    assert grade[STOP_KNOBS.master].value() == pytest.approx(5 / 3)
    toolbar = nuke_host.menu("Nodes").findItem("Color/ExposureStops (stops)")
    toolbar.invoke()
    assert any(n.Class() == "Group" and n.name().startswith("ExposureStops")
               for n in nuke_host.allNodes())  # fmt: skip
    assert before <= {m for m in sys.modules if m.startswith("nuke_plugin.")}


@standin_only
def test_studios_choose_their_own_hotkeys(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(
        "NUKE_STOPS_HOTKEYS", "Nudge/+1 stop=ctrl+alt+Up; Nudge/-1 stop= ;Nudge/sideways=F9"
    )
    runpy.run_path(str(ROOT / "menu.py"))
    menu = nuke_host.menu("Nuke").findItem("nuke-stops")
    assert menu.findItem("Nudge/+1 stop").shortcut() == "ctrl+alt+Up"
    assert menu.findItem("Nudge/-1 stop").shortcut() == ""
    assert menu.findItem("Nudge/+1\u20443 stop").shortcut() == "alt+shift+Right"
    assert "'Nudge/sideways=F9' names no nudge command" in capsys.readouterr().out


@standin_only
def test_menu_does_nothing_without_a_gui_and_survives_its_own_failure(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(nuke_host, "GUI", False)
    runpy.run_path(str(ROOT / "menu.py"))
    session = nuke_host._session()
    assert session.menus == {} and session.knob_changed == [] and session.update_ui == []
    monkeypatch.setattr(nuke_host, "GUI", True)

    def broken(name: str) -> Any:
        raise RuntimeError("menu bar missing")

    monkeypatch.setattr(nuke_host, "menu", broken)
    runpy.run_path(str(ROOT / "menu.py"))  # must not raise
    err = capsys.readouterr().err
    assert err.count("Traceback") == 1 and "menu bar missing" in err


# -- real Nuke only ----------------------------------------------------------------------------


@real_nuke
def test_the_gizmo_loads_and_computes_its_multiplier_in_nuke(nuke_host: Any) -> None:
    node = nuke_host.createNode("ExposureStops", inpanel=False)
    node["stops"].setValue(1.0)
    node["red"].setValue(0.5)
    assert node["multiplier"].getValue(0) == pytest.approx(2**1.5)
    assert node["multiplier"].getValue(2) == pytest.approx(2**1.5)  # ganged
    node["gang"].setValue(False)
    assert node["multiplier"].getValue(2) == pytest.approx(2.0)


@real_nuke
def test_knob_text_is_the_form_the_adapter_reads(nuke_host: Any) -> None:
    """The facts the live adapter relies on (docs/real_nuke_checks.md)."""
    grade = make(nuke_host, "Grade", "multiply", "{curve x1 0.5 x10 2} 1.2 1 1")
    assert grade["multiply"].toScript().startswith("{curve")
    assert grade["multiply"].fromScript("1.5 1.2 1 1") is True
    assert values(grade, "multiply") == [1.5, 1.2, 1.0, 1.0]

