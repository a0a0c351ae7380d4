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
from fractions import Fraction
from typing import Any, List

import pytest

from nuke_plugin.host import commands, engine
from nuke_plugin.ops.catalogue import driving_expression
from nuke_plugin.registry import STOP_KNOBS

from support.in_nuke import expression, keys, make, messages, select, values
from support.paths import REAL_NUKE, ROOT, standin_only
from support.render import knob_values, same

FRAMES = [1.0 + 0.5 * i for i in range(48)]  # keys and the frames between them


def test_add_stop_knobs_converts_the_current_value_per_channel(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "1.5 1.2 1 1")
    select(nuke_host, grade)
    [outcome] = commands.add_stop_knobs()
    assert outcome.status == "converted"
    assert values(grade, STOP_KNOBS.channels) == pytest.approx([0.585, 0.263, 0.0, 0.0], abs=5e-4)
    assert grade[STOP_KNOBS.master].value() == 0.0
    assert same(values(grade, "multiply"), [1.5, 1.2, 1.0, 1.0])
    assert [expression(grade, "multiply", i) for i in range(3)] == [
        driving_expression(c) for c in "rgb"
    ]
    assert not grade["multiply"].isAnimated(3)  # alpha was 1: left alone
    assert grade[STOP_KNOBS.tab].label() == "Exposure"


def test_add_stop_knobs_on_multiply_colorcorrect_and_a_fresh_grade(nuke_host: Any) -> None:
    multiply = make(nuke_host, "Multiply", "value", "2 2 2 1")
    gain = make(nuke_host, "ColorCorrect", "gain", "0.5 0.5 0.5 1")
    fresh = make(nuke_host, "Grade")
    blur = make(nuke_host, "Blur")
    select(nuke_host, multiply, gain, fresh, blur)
    outcomes = commands.add_stop_knobs()
    assert sorted((o.path, o.knob, o.status) for o in outcomes) == sorted(
        [
            (fresh.name(), "multiply", "converted"),
            (gain.name(), "gain", "converted"),
            (multiply.name(), "value", "converted"),
        ]
    )
    assert multiply[STOP_KNOBS.master].value() == 1.0
    assert gain[STOP_KNOBS.master].value() == -1.0
    assert fresh[STOP_KNOBS.master].value() == 0.0
    assert same(values(multiply, "value"), [2.0, 2.0, 2.0, 1.0])


def test_running_add_stop_knobs_twice_does_nothing_the_second_time(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "1.5 1.2 1 1")
    select(nuke_host, grade)
    commands.add_stop_knobs()
    before = {name: knob.toScript() for name, knob in grade.knobs().items()}
    [again] = commands.add_stop_knobs()
    assert again.status == "already"
    assert {name: knob.toScript() for name, knob in grade.knobs().items()} == before


def test_grade_gain_on_request(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "white", "0.5 0.5 0.5 1")
    select(nuke_host, grade)
    [outcome] = commands.add_stop_knobs("white")
    assert outcome.knob == "white"
    assert grade[STOP_KNOBS.drives].value() == "white"
    assert values(grade, "multiply") == [1.0] * 4
    assert not grade["multiply"].isAnimated()
    assert same(values(grade, "white"), [0.5, 0.5, 0.5, 1.0])


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("0", "nonpositive"),
        ("1 -2 1 1", "nonpositive"),
        ("{parent.x}", "expression"),
        ("{curve x1 1 x5 0} 1 1 1", "nonpositive"),
    ],
)
def test_zero_negative_and_expressions_are_reported_and_left_alone(
    nuke_host: Any, value: str, status: str
) -> None:
    grade = make(nuke_host, "Grade", "multiply", value)
    before = grade["multiply"].toScript()
    select(nuke_host, grade)
    [outcome] = commands.convert_selected()
    assert outcome.status == status
    assert not outcome.changed
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
    [outcome] = commands.convert_selected()
    assert outcome.status == "converted"
    assert "keys kept on r" in outcome.detail
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
    commands.convert_selected()
    before = knob_values(grade, "multiply", FRAMES)
    commands.nudge(1.0)
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
    outcomes = {o.path: o.status for o in commands.convert_all()}
    assert outcomes[good.name()] == "converted"
    assert outcomes[keyed_zero.name()] == "nonpositive"
    assert outcomes[linked.name()] == "expression"
    assert outcomes[original.name()] == outcomes[clone.name()] == "cloned"
    assert good.knob(STOP_KNOBS.master) is not None
    assert original.knob(STOP_KNOBS.master) is None
    assert values(original, "multiply") == [3.0] * 4


def test_convert_whole_script_recurses_into_groups_with_a_progress_bar(nuke_host: Any) -> None:
    for _ in range(engine.PROGRESS_FROM + 5):
        make(nuke_host, "Grade", "multiply", "2")
    group = nuke_host.createNode("Group", inpanel=False)
    with group:
        inner = make(nuke_host, "Multiply", "value", "4")
    outcomes = commands.convert_all()
    assert sum(o.changed for o in outcomes) == engine.PROGRESS_FROM + 6
    assert inner[STOP_KNOBS.master].value() == 2.0
    if hasattr(nuke_host, "_session"):
        session = nuke_host._session()
        [(_, progress)] = session.progress_tasks
        assert progress[0] == 0
        assert progress[-1] > 90
        assert session.messages_over_progress == []  # the window closed first


def test_nudges_on_a_plain_node_multiply_red_green_blue_only(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "1.5 1.2 1 0.5")
    select(nuke_host, grade)
    commands.nudge(1.0)
    assert same(values(grade, "multiply"), [3.0, 2.4, 2.0, 0.5])
    commands.nudge(-1 / 3)
    third = 2 ** (-1 / 3)
    assert same(values(grade, "multiply"), [3 * third, 2.4 * third, 2 * third, 0.5])
    fresh = make(nuke_host, "Multiply")
    select(nuke_host, fresh)
    commands.nudge(1.0)
    assert values(fresh, "value") == [2.0, 2.0, 2.0, 1.0]


def test_nudges_on_stop_knobs_change_the_stops(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "1.5 1.2 1 1")
    select(nuke_host, grade)
    commands.add_stop_knobs()
    commands.nudge(1.0)
    commands.nudge(1 / 3)
    assert grade[STOP_KNOBS.master].value() == pytest.approx(4 / 3)
    factor = 2 ** (4 / 3)
    assert same(values(grade, "multiply"), [1.5 * factor, 1.2 * factor, factor, 1.0])


def test_nudge_on_an_animated_knob_shifts_every_key_or_keys_this_frame(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "{curve x1 1 x10 2} {curve x1 1 x10 2} 1 1")
    select(nuke_host, grade)
    commands.nudge(1.0)
    assert keys(grade, "multiply", 0) == [(1, 2.0), (10, 4.0)]
    assert values(grade, "multiply")[2:] == [2.0, 1.0]
    nuke_host.frame(4)
    before_at_4 = grade["multiply"].getValueAt(4, 0)
    commands.nudge(1.0, key_current_frame=True)
    assert keys(grade, "multiply", 0) == [(1, 2.0), (4, pytest.approx(2 * before_at_4)), (10, 4.0)]
    assert keys(grade, "multiply", 1) == keys(grade, "multiply", 0)
    # blue has no keys, so no frames to keep: it changes everywhere, as a key would
    assert values(grade, "multiply", 9.0)[2:] == [4.0, 1.0]


def test_a_nudge_never_overwrites_an_expression(nuke_host: Any) -> None:
    multiply = make(nuke_host, "Multiply", "value", "{parent.x} {parent.x} {parent.x} 1")
    select(nuke_host, multiply)
    before = multiply["value"].toScript()
    [outcome] = commands.nudge(1.0)
    assert outcome.status == "refused"
    assert "parent.x" in outcome.detail
    assert multiply["value"].toScript() == before
    if messages(nuke_host):
        assert "nudge the knob it reads instead" in messages(nuke_host)[-1]


def test_a_nudge_refuses_stop_knobs_the_linear_knob_no_longer_follows(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "2")
    select(nuke_host, grade)
    commands.add_stop_knobs()
    grade["multiply"].fromScript("{parent.other}")  # an expression of the artist's
    [outcome] = commands.nudge(1.0)
    assert outcome.status == "refused"
    assert "no longer follows" in outcome.detail
    assert grade[STOP_KNOBS.master].value() == 1.0


def test_the_nudge_step_is_configurable(nuke_host: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands, "_chosen_nudge_step", None)
    monkeypatch.setenv("NUKE_STOPS_STEP", "1/2")
    assert commands.nudge_step() == Fraction(1, 2)
    commands.set_nudge_step_fraction(1, 4)
    assert commands.nudge_step() == Fraction(1, 4)
    grade = make(nuke_host, "Grade", "multiply", "2")
    select(nuke_host, grade)
    commands.nudge_by_step(-1)
    assert values(grade, "multiply")[0] == pytest.approx(2 * 2**-0.25)
    with pytest.raises(ValueError, match="1, 1/2, 1/3, 1/4"):
        commands.set_nudge_step(Fraction(1, 5))


def test_clones_are_left_alone_and_reported(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "2")
    clone = nuke_host.clone(grade, "", False)
    select(nuke_host, grade, clone)
    assert {o.status for o in commands.nudge(1.0)} == {"cloned"}
    assert {o.status for o in commands.add_stop_knobs()} == {"cloned"}
    assert values(grade, "multiply") == [2.0] * 4
    assert grade.knob(STOP_KNOBS.master) is None


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
    commands.nudge(1.0)
    assert values(inner, "multiply")[0] == 4.0
    assert values(outer, "multiply")[0] == 2.0
    made = commands.create_exposure_stops()
    assert made is not None
    assert made.parent() is group
    nuke_host._click_into(None)  # back in the main Node Graph
    commands.nudge(1.0)
    assert values(outer, "multiply")[0] == 4.0
    assert values(inner, "multiply")[0] == 4.0
    monkeypatch.delattr(nuke_host, "lastHitGroup")  # a Nuke without it: the root
    nuke_host._click_into(group)
    commands.nudge(1.0)
    assert values(outer, "multiply")[0] == 8.0
    assert values(inner, "multiply")[0] == 4.0


def test_exposure_stops_is_a_group_that_keeps_its_internals(nuke_host: Any) -> None:
    node: Any = commands.create_exposure_stops()
    assert node is not None
    assert node.Class() == "Group"
    inner = {child.name(): child for child in node.nodes()}
    assert sorted(c.Class() for c in inner.values()) == ["Input", "Input", "Multiply", "Output"]
    node["stops"].setValue(1.0)
    node["red"].setValue(0.5)
    multiply = inner["Multiply1"]
    assert same(values(multiply, "value"), [2**1.5, 2**1.5, 2**1.5, 1.0])  # ganged
    node["gang"].setValue(False)
    node["blue"].setValue(-1.0)
    assert same(values(multiply, "value"), [2**1.5, 2.0, 1.0, 1.0])


def test_each_command_is_one_undo_step_and_undo_restores(nuke_host: Any) -> None:
    if REAL_NUKE and not nuke_host.GUI:
        pytest.skip("undo history in nuke -t is not documented; the GUI self-test runs this")
    grade = make(nuke_host, "Grade", "multiply", "2")
    multiply = make(nuke_host, "Multiply", "value", "3")
    select(nuke_host, grade, multiply)
    count = nuke_host.Undo.undoSize()
    commands.nudge(1.0)
    assert nuke_host.Undo.undoSize() == count + 1
    nuke_host.Undo.undo()
    assert values(grade, "multiply") == [2.0] * 4
    assert values(multiply, "value") == [3.0] * 4


def _fail_on(monkeypatch: pytest.MonkeyPatch, node: Any) -> List[str]:
    from nuke_plugin.adapters import live_node

    real_write = live_node.LiveNode.write
    calls: List[str] = []

    def failing_write(self: Any, knob: str, channels: Any) -> None:
        calls.append(self.path)
        if self.path == node.fullName():
            raise RuntimeError("disk on fire")
        real_write(self, knob, channels)

    monkeypatch.setattr(live_node.LiveNode, "write", failing_write)
    return calls


def test_a_failure_half_way_restores_every_node_it_changed(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make(nuke_host, "Grade", "multiply", "1.5 1.2 1 1")
    second = make(nuke_host, "Grade", "multiply", "2")
    select(nuke_host, first, second)
    calls = _fail_on(monkeypatch, second)
    assert commands.add_stop_knobs() == []
    assert first.fullName() in calls
    assert second.fullName() in calls
    for node, before in ((first, [1.5, 1.2, 1.0, 1.0]), (second, [2.0] * 4)):
        assert node.knob(STOP_KNOBS.master) is None
        assert node.knob(STOP_KNOBS.tab) is None
        assert values(node, "multiply") == before
        assert not node["multiply"].isAnimated()
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
    assert values(first, "multiply") == [1.5, 1.2, 1.0, 1.0]
    assert not first["multiply"].isAnimated()


@standin_only
def test_cancelling_the_progress_window_restores_everything(nuke_host: Any) -> None:
    count = engine.PROGRESS_FROM + 5
    nodes = [make(nuke_host, "Grade", "multiply", "2") for _ in range(count)]
    nuke_host._session().cancel_progress_after = count + 10  # part-way through writing
    assert commands.convert_all() == []
    for node in nodes:
        assert node.knob(STOP_KNOBS.master) is None
        assert values(node, "multiply") == [2.0] * 4
    assert "was cancelled" in messages(nuke_host)[-1]
    assert "restored" in messages(nuke_host)[-1]
    assert nuke_host._session().messages_over_progress == []


def test_about_names_the_version_and_the_folder(nuke_host: Any) -> None:
    import nuke_plugin

    commands.about()
    if not REAL_NUKE:  # in Nuke the message was shown in a window
        [shown] = messages(nuke_host)
        assert shown == f"nuke-stops {nuke_plugin.__version__}\n{ROOT / 'nuke_plugin'}"
