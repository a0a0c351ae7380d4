"""What the artist gets inside Nuke: stop knobs, nudges, conversion, sync, menus.

These tests are written against Foundry's API. Here they run on the strict
stand-in (tests/standin/nuke.py); ``nuke -t tests/run_in_nuke.py`` runs the
same file inside real Nuke. Where the two must differ it is said:
``standin_only`` tests drive what only a Nuke session with a GUI does (an
artist's edit firing knobChanged), ``real_nuke`` tests need Nuke itself
(loading the gizmo, evaluating expressions).
"""

from __future__ import annotations

import math
import runpy
from fractions import Fraction
from typing import Any, List

import pytest
from conftest import REAL_NUKE, ROOT

from nuke_plugin import nuke_commands
from nuke_plugin.exposure_knobs import STOP_KNOBS
from nuke_plugin.nk_values import Animation, channels

RENDER_TOLERANCE = 1e-9  # relative; Nuke stores knob values as doubles

standin_only = pytest.mark.skipif(REAL_NUKE, reason="simulates an artist's edit (stand-in)")
real_nuke = pytest.mark.skipif(
    not REAL_NUKE, reason="needs real Nuke: nuke -t tests/run_in_nuke.py"
)


def make(nuke: Any, node_class: str, knob: str = "", value: str = "") -> Any:
    node = nuke.createNode(node_class)
    if knob:
        node[knob].fromScript(value)
    node.setSelected(True)
    return node


def rendered(nuke: Any, node: Any, knob: str, frame: float = 1.0) -> List[float]:
    """The linear values Nuke applies. Real Nuke evaluates the expressions;
    the stand-in does not, so there they are computed from the stop knobs."""
    if REAL_NUKE:
        return [node[knob].getValueAt(frame, i) for i in range(4)]
    values = channels(node[knob].toScript())
    values = values * 4 if len(values) == 1 else values
    master = node[STOP_KNOBS.master]
    per_channel = node[STOP_KNOBS.channels]
    result = []
    for i, value in enumerate(values):
        if not isinstance(value, Animation):
            result.append(value)
            continue
        assert value.expression.startswith("pow(2,"), value.expression
        base = master.getValueAt(frame) if i < 3 else 0.0
        result.append(2.0 ** (base + per_channel.getValueAt(frame, i)))
    return result


def test_add_stop_knobs_converts_the_current_value_per_channel(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "{1.5 1.2 1 1}")
    [outcome] = nuke_commands.add_stop_knobs()
    assert outcome.status == "converted"
    stops = channels(grade[STOP_KNOBS.channels].toScript())
    assert stops == pytest.approx([0.585, 0.263, 0.0, 0.0], abs=5e-4)
    assert grade[STOP_KNOBS.master].value() == 0.0
    assert rendered(nuke_host, grade, "multiply") == pytest.approx(
        [1.5, 1.2, 1.0, 1.0], rel=RENDER_TOLERANCE
    )
    assert not grade["multiply"].isAnimated(3)  # alpha was 1: left alone
    assert grade[STOP_KNOBS.tab].label() == "Exposure"


def test_add_stop_knobs_on_multiply_colorcorrect_and_a_fresh_grade(nuke_host: Any) -> None:
    multiply = make(nuke_host, "Multiply", "value", "{2 2 2 1}")
    gain = make(nuke_host, "ColorCorrect", "gain", "{0.5 0.5 0.5 1}")
    fresh = make(nuke_host, "Grade")
    make(nuke_host, "Blur")
    outcomes = nuke_commands.add_stop_knobs()
    assert [(o.path, o.knob, o.status) for o in outcomes] == [
        ("Multiply1", "value", "converted"),
        ("ColorCorrect1", "gain", "converted"),
        ("Grade1", "multiply", "converted"),
    ]
    assert multiply[STOP_KNOBS.master].value() == 1.0
    assert gain[STOP_KNOBS.master].value() == -1.0
    assert fresh[STOP_KNOBS.master].value() == 0.0
    assert rendered(nuke_host, multiply, "value") == [2.0, 2.0, 2.0, 1.0]


def test_running_add_stop_knobs_twice_does_nothing_the_second_time(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "{1.5 1.2 1 1}")
    nuke_commands.add_stop_knobs()
    before = {name: knob.toScript() for name, knob in grade.knobs().items() if name != "name"}
    [again] = nuke_commands.add_stop_knobs()
    assert again.status == "already"
    after = {name: knob.toScript() for name, knob in grade.knobs().items() if name != "name"}
    assert after == before


def test_grade_gain_on_request(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "white", "{0.5 0.5 0.5 1}")
    [outcome] = nuke_commands.add_stop_knobs("white")
    assert outcome.knob == "white" and grade[STOP_KNOBS.drives].value() == "white"
    assert grade["multiply"].toScript() == "1"


@pytest.mark.parametrize(
    ("value", "status"),
    [("0", "nonpositive"), ("{1 -2 1 1}", "nonpositive"), ("{{parent.x}}", "expression")],
)
def test_zero_negative_and_expressions_are_reported_and_left_alone(
    nuke_host: Any, value: str, status: str
) -> None:
    grade = make(nuke_host, "Grade", "multiply", value)
    [outcome] = nuke_commands.convert_selected()
    assert outcome.status == status
    assert grade.knob(STOP_KNOBS.master) is None
    assert grade["multiply"].toScript() == value
    assert status in "\n".join(nuke_host._messages if not REAL_NUKE else [status])


def test_animated_values_convert_key_by_key_and_render_the_same_at_every_key(
    nuke_host: Any,
) -> None:
    grade = make(nuke_host, "Grade", "multiply", "{{curve x1 1 x12 2 x24 0.5} 1.2 1.2 1}")
    nuke_commands.convert_selected()
    red = channels(grade[STOP_KNOBS.channels].toScript())[0]
    assert isinstance(red, Animation) and len(red.keys) == 3
    for frame, expected in ((1, 1.0), (12, 2.0), (24, 0.5)):
        assert rendered(nuke_host, grade, "multiply", frame)[:2] == pytest.approx(
            [expected, 1.2], rel=RENDER_TOLERANCE
        )


def test_nudges_on_a_plain_node_multiply_red_green_blue_only(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "{1.5 1.2 1 0.5}")
    nuke_commands.nudge(1.0)
    assert channels(grade["multiply"].toScript()) == [3.0, 2.4, 2.0, 0.5]
    nuke_commands.nudge(-1 / 3)
    third = 2 ** (-1 / 3)
    assert channels(grade["multiply"].toScript())[:3] == pytest.approx(
        [3 * third, 2.4 * third, 2 * third], rel=1e-12
    )
    assert channels(grade["multiply"].toScript())[3] == 0.5
    fresh = make(nuke_host, "Multiply")
    grade.setSelected(False)
    nuke_commands.nudge(1.0)
    assert channels(fresh["value"].toScript()) == [2.0, 2.0, 2.0, 1.0]


def test_nudges_on_stop_knobs_change_the_stops(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "{1.5 1.2 1 1}")
    nuke_commands.add_stop_knobs()
    nuke_commands.nudge(1.0)
    nuke_commands.nudge(1 / 3)
    assert grade[STOP_KNOBS.master].value() == pytest.approx(4 / 3)
    assert rendered(nuke_host, grade, "multiply") == pytest.approx(
        [1.5 * 2 ** (4 / 3), 1.2 * 2 ** (4 / 3), 2 ** (4 / 3), 1.0], rel=RENDER_TOLERANCE
    )


def test_nudge_on_an_animated_knob_shifts_every_key_or_keys_this_frame(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "{{curve x1 1 x10 2} {curve x1 1 x10 2} 1 1}")
    nuke_commands.nudge(1.0)
    red, green, blue, alpha = channels(grade["multiply"].toScript())
    assert isinstance(red, Animation) and [(k.frame, k.value) for k in red.keys] == [
        (1, 2.0), (10, 4.0)
    ]  # fmt: skip
    assert blue == 2.0 and alpha == 1.0
    nuke_host.frame(4)
    before_at_4 = grade["multiply"].getValueAt(4, 0)
    nuke_commands.nudge(1.0, key_current_frame=True)
    red = channels(grade["multiply"].toScript())[0]
    assert isinstance(red, Animation)
    assert [(k.frame, k.value) for k in red.keys] == [
        (1, 2.0), (4, pytest.approx(2 * before_at_4)), (10, 4.0)
    ]  # fmt: skip


def test_a_nudge_never_overwrites_an_expression(nuke_host: Any) -> None:
    multiply = make(nuke_host, "Multiply", "value", "{{parent.x} {parent.x} {parent.x} 1}")
    [outcome] = nuke_commands.nudge(1.0)
    assert outcome.status == "refused" and "parent.x" in outcome.detail
    assert multiply["value"].toScript() == "{{parent.x} {parent.x} {parent.x} 1}"
    if not REAL_NUKE:
        assert "nudge the knob it reads instead" in nuke_host._messages[-1]


def test_the_nudge_step_is_configurable(nuke_host: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nuke_commands, "_step", [])
    monkeypatch.setenv("NUKE_STOPS_STEP", "1/2")
    assert nuke_commands.step() == Fraction(1, 2)
    nuke_commands.set_step_fraction(1, 4)
    assert nuke_commands.step() == Fraction(1, 4)
    grade = make(nuke_host, "Grade", "multiply", "2")
    nuke_commands.nudge_by_step(-1)
    assert channels(grade["multiply"].toScript())[0] == pytest.approx(2 * 2**-0.25)
    with pytest.raises(ValueError, match="1, 1/2, 1/3, 1/4"):
        nuke_commands.set_step(Fraction(1, 5))


def test_each_command_is_one_undo_step(nuke_host: Any) -> None:
    if REAL_NUKE:
        count = nuke_host.Undo.undoSize()
    make(nuke_host, "Grade", "multiply", "2")
    make(nuke_host, "Multiply", "value", "3")
    nuke_commands.nudge(1.0)
    if REAL_NUKE:
        assert nuke_host.Undo.undoSize() == count + 1
    else:
        assert nuke_host._undo["history"] == ["Nudge +1 stop"]


def test_a_failure_half_way_leaves_the_script_as_it_was(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make(nuke_host, "Grade", "multiply", "{1.5 1.2 1 1}")
    second = make(nuke_host, "Grade", "multiply", "2")
    from nuke_plugin import nuke_node

    real_write = nuke_node.LiveNode.write
    calls = []

    def failing_write(self: Any, knob: str, values: Any) -> None:
        calls.append(self.path)
        if self.path == second.fullName():
            raise RuntimeError("disk on fire")
        real_write(self, knob, values)

    monkeypatch.setattr(nuke_node.LiveNode, "write", failing_write)
    assert nuke_commands.add_stop_knobs() == []
    assert calls == [first.fullName(), second.fullName()]
    assert first.knob(STOP_KNOBS.master) is None
    assert first["multiply"].toScript() == "{1.5 1.2 1 1}"
    assert second.knob(STOP_KNOBS.master) is None
    if not REAL_NUKE:
        assert "failed and changed nothing" in nuke_host._messages[-1]
        assert "disk on fire" in nuke_host._messages[-1]


def test_convert_whole_script_recurses_into_groups_with_a_progress_bar(nuke_host: Any) -> None:
    for _ in range(nuke_commands.PROGRESS_FROM + 5):
        make(nuke_host, "Grade", "multiply", "2")
    if REAL_NUKE:
        group = nuke_host.createNode("Group")
        with group:
            inner = nuke_host.createNode("Multiply")
            inner["value"].fromScript("4")
    else:
        group = nuke_host.createNode("Group")
        inner = nuke_host._create_in(group, "Multiply", "Inner")
        inner["value"].fromScript("4")
    outcomes = nuke_commands.convert_all()
    assert sum(o.changed for o in outcomes) == nuke_commands.PROGRESS_FROM + 6
    assert inner[STOP_KNOBS.master].value() == 2.0
    if not REAL_NUKE:
        [task] = nuke_host._progress_tasks
        assert task._progress[0] == 0 and task._progress[-1] > 90


@standin_only
def test_editing_the_linear_knob_makes_the_stop_knobs_follow(nuke_host: Any) -> None:
    from nuke_plugin.nuke_sync import UNLINKED, on_knob_changed

    grade = make(nuke_host, "Grade", "multiply", "{1.5 1.2 1 1}")
    nuke_commands.add_stop_knobs()
    nuke_host.addKnobChanged(on_knob_changed, nodeClass="Grade")
    grade["multiply"].fromScript("4")  # the artist types 4 over the expressions
    nuke_host._knob_was_changed(grade, grade["multiply"])
    assert grade[STOP_KNOBS.master].value() == 2.0
    assert channels(grade[STOP_KNOBS.channels].toScript()) == [0.0, 0.0, 0.0, 2.0]
    assert rendered(nuke_host, grade, "multiply") == [4.0, 4.0, 4.0, 4.0]
    assert "nks_channel_stops" in grade["multiply"].toScript()
    grade["multiply"].fromScript("{{parent.mine}}")  # an expression of the artist's
    nuke_host._knob_was_changed(grade, grade["multiply"])
    assert grade[STOP_KNOBS.master].label() == UNLINKED
    assert "no longer driven by the stop knobs" in grade[STOP_KNOBS.master]._tooltip
    assert grade["multiply"].toScript() == "{{parent.mine}}"
    grade["multiply"].fromScript("0.5")
    nuke_host._knob_was_changed(grade, grade["multiply"])
    assert grade[STOP_KNOBS.master].label() == "stops"
    grade["white"].fromScript("3")  # not the driven knob: left alone
    nuke_host._knob_was_changed(grade, grade["white"])
    assert grade["white"].toScript() == "3"


@standin_only
def test_menu_builds_commands_hotkeys_and_the_callback(nuke_host: Any) -> None:
    import sys

    before = {m for m in sys.modules if m.startswith("nuke_plugin.")}
    namespace = runpy.run_path(str(ROOT / "menu.py"))
    menu = nuke_host.menu("Nuke").findItem("nuke-stops")
    assert menu is not None
    shortcuts = {}
    for name, key in namespace["HOTKEYS"].items():
        item = menu.findItem(name)
        assert item is not None and item.shortcut() == key
        shortcuts[key] = name
    assert len(shortcuts) == len(namespace["HOTKEYS"]) == 6  # no two commands share a key
    assert all(key.startswith("ctrl+alt+shift+") for key in shortcuts)
    assert nuke_host.menu("Nodes").findItem("Color/ExposureStops (stops)") is not None
    assert {c[3] for c in nuke_host._knob_changed} == {"Grade", "Multiply", "ColorCorrect"}
    grade = make(nuke_host, "Grade", "multiply", "2")
    menu.findItem("Nudge/+1 stop").invoke()
    assert channels(grade["multiply"].toScript()) == [4.0, 4.0, 4.0, 2.0]
    menu.findItem("Add stop knobs to selected").invoke()
    assert grade[STOP_KNOBS.master].value() == 2.0
    menu.findItem("Nudge/-1\u20443 stop").invoke()
    assert grade[STOP_KNOBS.master].value() == pytest.approx(5 / 3)
    assert before <= {m for m in sys.modules if m.startswith("nuke_plugin.")}


@standin_only
def test_menu_does_nothing_without_a_gui_and_survives_its_own_failure(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(nuke_host, "GUI", False)
    runpy.run_path(str(ROOT / "menu.py"))
    assert nuke_host._menus == {} and nuke_host._knob_changed == []
    monkeypatch.setattr(nuke_host, "GUI", True)

    def broken(name: str) -> Any:
        raise RuntimeError("menu bar missing")

    monkeypatch.setattr(nuke_host, "menu", broken)
    runpy.run_path(str(ROOT / "menu.py"))  # must not raise
    err = capsys.readouterr().err
    assert err.count("Traceback") == 1 and "menu bar missing" in err


@real_nuke
def test_the_gizmo_loads_and_computes_its_multiplier_in_nuke(nuke_host: Any) -> None:
    node = nuke_host.createNode("ExposureStops")
    node["stops"].setValue(1.0)
    node["red"].setValue(0.5)
    assert node["multiplier"].getValue(0) == pytest.approx(2**1.5)
    assert node["multiplier"].getValue(2) == pytest.approx(2**1.5)  # ganged
    node["gang"].setValue(False)
    assert node["multiplier"].getValue(2) == pytest.approx(2.0)


def test_pow_is_the_inverse_of_the_stops_written(nuke_host: Any) -> None:
    """The exact text written round-trips the multiplier to the last bit."""
    grade = make(nuke_host, "Grade", "multiply", "{0.1 3.7 1e-05 1}")
    nuke_commands.add_stop_knobs()
    stops = channels(grade[STOP_KNOBS.channels].toScript())
    for original, stop in zip([0.1, 3.7, 1e-05], stops):
        assert isinstance(stop, float)
        assert math.isclose(2.0**stop, original, rel_tol=1e-15)
