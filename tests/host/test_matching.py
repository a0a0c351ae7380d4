"""Match exposure and Make OCIOCDLTransform, inside Nuke (on the stand-in).

The stand-in renders nothing: each test gives the plate and reference nodes
an image (``nuke._set_image``), and ``Node.sample`` reads it. Values are
checked through Foundry's API (getValueAt), at the frame measured.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Iterator, List

import pytest

from nuke_plugin.host import matching
from nuke_plugin.registry import STOP_KNOBS

from support.in_nuke import make, messages, select, values
from support.paths import standin_only
from support.render import same

pytestmark = standin_only  # the images are the stand-in's (nuke._set_image)

TINT = (1.1, 1.0, 0.8)


@pytest.fixture(autouse=True)
def no_reference() -> Iterator[None]:
    """Each test starts and ends with no reference set (module state)."""
    matching._reference = None
    yield
    matching._reference = None


def scene(stops: float = 0.0) -> Callable[[int, int, int, float], float]:
    """A lit scene, brighter to the right and rippling up the frame, times 2 ** stops."""

    def pixel(channel: int, x: int, y: int, frame: float) -> float:
        if channel == 3:
            return 1.0
        return float(2.0**stops * TINT[channel] * (0.02 + x / 200) * (1.2 + math.sin(y / 9)))

    return pixel


def imaged(nuke: Any, node_class: str, stops: float, knob: str = "", value: str = "") -> Any:
    node = make(nuke, node_class, knob, value)
    nuke._set_image(node, 480, 270, scene(stops))
    return node


@pytest.mark.parametrize("stops", [-3.0, -4 / 3, 0.0, 1.0, 2.5])
def test_measure_finds_the_offset_from_sampled_cells(nuke_host: Any, stops: float) -> None:
    reference = imaged(nuke_host, "Read", 0.0)
    plate = imaged(nuke_host, "Read", -stops)
    found = matching.measure(plate, reference)
    assert found.stops == pytest.approx(stops, abs=1e-9)
    assert found.pixels == matching.GRID[0] * matching.GRID[1]
    assert found.spread == pytest.approx(0.0, abs=1e-9)


def test_a_region_compares_only_that_box(nuke_host: Any) -> None:
    reference = imaged(nuke_host, "Read", 0.0)
    plate = make(nuke_host, "Read")
    left = scene(-2.0)  # the plate is two stops under on the left half only
    nuke_host._set_image(
        plate, 480, 270, lambda c, x, y, f: left(c, x, y, f) if x < 240 else scene()(c, x, y, f)
    )
    assert matching.measure(plate, reference, (0, 0, 200, 270)).stops == pytest.approx(2.0)
    assert matching.measure(plate, reference, (260, 0, 200, 100)).stops == pytest.approx(0.0)


def answer(nuke: Any, region: Any, agree: bool) -> None:
    nuke._answer_input(region)
    nuke._session().answers.append(agree)


def test_match_puts_the_offset_on_the_plates_stop_knobs_in_one_undo_step(nuke_host: Any) -> None:
    reference = imaged(nuke_host, "Grade", 0.0)
    plate = imaged(nuke_host, "Grade", -4 / 3, "multiply", "1.5 1.2 1 1")
    select(nuke_host, reference)
    matching.set_reference()
    select(nuke_host, plate)
    answer(nuke_host, "", True)
    before = nuke_host.Undo.undoSize()
    [outcome] = matching.match_selected()
    assert outcome.status == "converted"
    assert "is 1 1/3 stops darker than" in nuke_host._session().questions[-1]
    assert plate[STOP_KNOBS.master].value() == pytest.approx(4 / 3)
    factor = 2 ** (4 / 3)
    assert same(values(plate, "multiply"), [1.5 * factor, 1.2 * factor, factor, 1.0])
    assert nuke_host.Undo.undoSize() == before + 1
    nuke_host.Undo.undo()
    assert same(values(plate, "multiply"), [1.5, 1.2, 1.0, 1.0])
    assert plate.knob(STOP_KNOBS.master) is None


def test_a_plate_with_stop_knobs_is_nudged(nuke_host: Any) -> None:
    from nuke_plugin.host import commands

    reference = imaged(nuke_host, "Grade", 0.0)
    plate = imaged(nuke_host, "Multiply", -1.0, "value", "2")
    select(nuke_host, plate)
    commands.add_stop_knobs()  # master 1 (the 2 it had)
    select(nuke_host, reference)
    matching.set_reference()
    select(nuke_host, plate)
    answer(nuke_host, "0 0 480 270", True)
    [outcome] = matching.match_selected()
    assert outcome.status == "nudged"
    assert plate[STOP_KNOBS.master].value() == pytest.approx(2.0)


def test_a_read_gets_a_grade_below_it_that_carries_the_offset(nuke_host: Any) -> None:
    reference = imaged(nuke_host, "Read", 0.0)
    plate = imaged(nuke_host, "Read", 1.0)
    select(nuke_host, reference)
    matching.set_reference()
    select(nuke_host, plate)
    answer(nuke_host, "", True)
    [outcome] = matching.match_selected()
    grade = nuke_host.toNode(outcome.path)
    assert (grade.Class(), grade.name()) == ("Grade", f"{plate.name()}_match")
    assert grade[STOP_KNOBS.master].value() == pytest.approx(-1.0)
    assert same(values(grade, "multiply"), [0.5, 0.5, 0.5, 1.0])


def test_cancel_and_no_change_nothing(nuke_host: Any) -> None:
    reference = imaged(nuke_host, "Grade", 0.0)
    plate = imaged(nuke_host, "Grade", -1.0)
    select(nuke_host, reference)
    matching.set_reference()
    select(nuke_host, plate)
    nuke_host._answer_input(None)  # cancels the region question
    assert matching.match_selected() == []
    answer(nuke_host, "", False)  # measures, then the artist says no
    assert matching.match_selected() == []
    assert plate.knob(STOP_KNOBS.master) is None
    answer(nuke_host, "10 10 zero 5", True)
    assert matching.match_selected() == []
    assert "is not four numbers" in messages(nuke_host)[-1]


def test_match_without_a_reference_says_how_to_choose_one(nuke_host: Any) -> None:
    assert matching.match_selected() == []
    assert "choose the reference" in messages(nuke_host)[-1]
    select(nuke_host)
    assert matching.set_reference() is None


def test_two_selected_nodes_the_last_selected_is_the_reference(nuke_host: Any) -> None:
    plate = imaged(nuke_host, "Grade", -1.0)
    reference = imaged(nuke_host, "Grade", 0.0)
    select(nuke_host, plate, reference)  # the plate, then the reference
    answer(nuke_host, "", True)
    [outcome] = matching.match_selected()
    assert outcome.path == plate.fullName()
    assert (
        f"{plate.fullName()} is 1 stop darker than {reference.fullName()}: add +1"
        in (nuke_host._session().questions[-1])
    )
    assert plate[STOP_KNOBS.master].value() == pytest.approx(1.0)


def test_make_ocio_cdl_transform_from_stop_knobs(nuke_host: Any) -> None:
    from nuke_plugin.host import commands

    grade = make(nuke_host, "Grade", "multiply", "2 2.8284271247461903 1 1")
    plain = make(nuke_host, "Grade", "multiply", "2")
    select(nuke_host, grade)
    commands.add_stop_knobs()
    select(nuke_host, grade, plain)
    [made] = matching.make_cdl_from_stops()
    cdl = nuke_host.toNode(made.path)
    assert (cdl.Class(), cdl.name()) == ("OCIOCDLTransform", f"{grade.name()}_CDL")
    assert cdl.input(0) is grade  # fed by its node, below it
    assert cdl.ypos() > grade.ypos()
    assert same(values(cdl, "slope"), [2.0, 2**1.5, 1.0])
    assert values(cdl, "offset") == [0.0, 0.0, 0.0]
    assert values(cdl, "power") == [1.0, 1.0, 1.0]
    assert cdl["saturation"].value() == 1.0
    assert plain.fullName() in messages(nuke_host)[-1]


# -- formats and the one engine (issue 16) --------------------------------------------


def script_state(nuke: Any) -> Any:
    """Everything a failed command must leave as it was: each node's class,
    knobs, input connections and place, and the undo history's length."""
    state = {}
    for node in nuke.allNodes(recurseGroups=True):
        knobs = {name: knob.toScript() for name, knob in node.knobs().items()}
        inputs = [
            None if node.input(i) is None else node.input(i).fullName()
            for i in range(node.inputs())
        ]
        state[node.fullName()] = (node.Class(), knobs, inputs, node.xpos(), node.ypos())
    return state, nuke.Undo.undoSize()


def test_different_formats_are_refused_naming_both(nuke_host: Any) -> None:
    reference = make(nuke_host, "Read")
    nuke_host._set_image(reference, 480, 270, scene(0.0))
    plate = make(nuke_host, "Read")
    nuke_host._set_image(plate, 240, 135, scene(-4 / 3))
    before = script_state(nuke_host)
    select(nuke_host, plate, reference)
    answer(nuke_host, "", True)
    assert matching.match_selected() == []
    assert messages(nuke_host)[-1] == (
        f"nuke-stops: Match exposure: {plate.fullName()} is 240 x 135 and "
        f"{reference.fullName()} is 480 x 270: different formats, so no pixel of one is "
        "the same pixel of the other"
    )
    assert nuke_host._session().questions == []  # nothing was offered
    assert script_state(nuke_host) == before


@pytest.mark.parametrize("region", ["400 0 100 100", "-1 0 10 10", "0 200 10 71"])
def test_a_region_outside_the_format_is_refused(nuke_host: Any, region: str) -> None:
    reference = imaged(nuke_host, "Read", 0.0)
    plate = imaged(nuke_host, "Read", -1.0)
    select(nuke_host, plate, reference)
    answer(nuke_host, region, True)
    before = script_state(nuke_host)
    assert matching.match_selected() == []
    assert "is not inside the 480 x 270 format" in messages(nuke_host)[-1]
    assert script_state(nuke_host) == before


def test_a_read_gets_a_grade_inserted_into_its_pipe(nuke_host: Any) -> None:
    reference = imaged(nuke_host, "Read", 0.0)
    plate = imaged(nuke_host, "Read", -1.0)
    plate.setXYpos(100, 200)
    merge = make(nuke_host, "Grade")  # any node reading the plate
    merge.setInput(0, plate)
    select(nuke_host, plate, reference)
    answer(nuke_host, "", True)
    [outcome] = matching.match_selected()
    grade = nuke_host.toNode(outcome.path)
    assert (grade.Class(), grade.name()) == ("Grade", f"{plate.name()}_match")
    assert grade.input(0) is plate
    assert merge.input(0) is grade  # what read the plate now reads the correction
    assert grade.xpos() == 100
    assert grade.ypos() > 200
    assert grade[STOP_KNOBS.master].value() == pytest.approx(1.0)


@pytest.mark.parametrize("how", ["called", "menu"])
def test_a_write_failing_after_a_grade_was_made_leaves_the_script_as_it_was(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The Grade made below a Read is taken back with the knobs: deleted,
    the pipe reconnected, the selection and the undo history as they were.
    From the menu it runs inside the undo group Nuke opens, where what a
    cancel does is not documented (the stand-in's undoes nothing): the
    explicit revert alone must restore it."""
    import runpy

    from nuke_plugin.adapters import live_node

    from support.paths import ROOT

    reference = imaged(nuke_host, "Read", 0.0)
    plate = imaged(nuke_host, "Read", -1.0)
    other = imaged(nuke_host, "Grade", -1.0, "multiply", "1.5")
    downstream = make(nuke_host, "Grade")
    downstream.setInput(0, plate)
    select(nuke_host, reference)
    matching.set_reference()
    select(nuke_host, other, plate)
    answer(nuke_host, "", True)
    before = script_state(nuke_host)
    selected_before = sorted(n.fullName() for n in nuke_host.selectedNodes())
    real_write = live_node.LiveNode.write

    def failing_write(self: Any, knob: str, channels: Any) -> None:
        if self.path.endswith("_match"):  # the Grade just made
            raise RuntimeError("disk on fire")
        real_write(self, knob, channels)

    monkeypatch.setattr(live_node.LiveNode, "write", failing_write)
    if how == "called":
        assert matching.match_selected() == []
        assert script_state(nuke_host) == before  # the undo history too
    else:
        runpy.run_path(str(ROOT / "menu.py"))
        menu = nuke_host.menu("Nuke").findItem("nuke-stops")
        menu.findItem("Match exposure/Match selected to reference").invoke()
        assert script_state(nuke_host)[0] == before[0]
    assert sorted(n.fullName() for n in nuke_host.selectedNodes()) == selected_before
    assert downstream.input(0) is plate
    assert not any(n.name().endswith("_match") for n in nuke_host.allNodes())
    said = messages(nuke_host)[-1]
    assert "disk on fire" in said
    assert "Everything it had changed was restored." in said


def test_the_cdl_node_hangs_off_its_node_and_rewires_nothing(nuke_host: Any) -> None:
    from nuke_plugin.host import commands

    grade = make(nuke_host, "Grade", "multiply", "2")
    downstream = make(nuke_host, "Grade")
    downstream.setInput(0, grade)
    select(nuke_host, grade)
    commands.add_stop_knobs()
    [made] = matching.make_cdl_from_stops()
    cdl = nuke_host.toNode(made.path)
    assert cdl.input(0) is grade
    assert downstream.input(0) is grade  # the comp renders as before
    assert same(values(cdl, "slope"), [2.0, 2.0, 2.0])


def test_the_cdl_node_is_made_in_the_group_last_clicked(nuke_host: Any) -> None:
    from nuke_plugin.host import commands

    group = nuke_host.createNode("Group", inpanel=False)
    with group:
        inner = make(nuke_host, "Grade", "multiply", "2")
    nuke_host._click_into(group)
    with group:
        select(nuke_host, inner)
    commands.add_stop_knobs()
    [made] = matching.make_cdl_from_stops()
    assert made.path == f"{group.name()}.{inner.name()}_CDL"
    assert nuke_host.toNode(made.path).input(0) is inner


# -- the CDL grading space (issue 17) ---------------------------------------------------


def graded(nuke: Any, multiply: str) -> Any:
    from nuke_plugin.host import commands

    grade = make(nuke, "Grade", "multiply", multiply)
    select(nuke, grade)
    commands.add_stop_knobs()
    return grade


def through_cdl_node(cdl: Any, inputs: List[float]) -> List[List[float]]:
    """Scene-linear neutrals through what the node holds, as OpenColorIO
    applies an OCIOCDLTransform: to the working space, the CDL, back."""
    ocio = pytest.importorskip("PyOpenColorIO")
    config = ocio.Config.CreateFromFile("ocio://studio-config-latest")
    transform = ocio.CDLTransform(
        slope=values(cdl, "slope"),
        offset=values(cdl, "offset"),
        power=values(cdl, "power"),
        sat=cdl["saturation"].value(),
    )
    space = cdl["working_space"].value()
    group = ocio.GroupTransform(
        [
            ocio.ColorSpaceTransform(src="ACEScg", dst=space),
            transform,
            ocio.ColorSpaceTransform(src=space, dst="ACEScg"),
        ]
    )
    out = (
        config.getProcessor(group)
        .getDefaultCPUProcessor()
        .applyRGB([v for v in inputs for _ in range(3)])
    )
    return [list(out[i : i + 3]) for i in range(0, len(out), 3)]


@standin_only
def test_the_cdl_node_carries_the_exposure_in_the_chosen_space(nuke_host: Any) -> None:
    pytest.importorskip("PyOpenColorIO")
    grade = graded(nuke_host, "2 4 1 1")  # +1, +2, 0 stops
    nuke_host._answer_input("ACEScct")
    assert matching.choose_cdl_space() == "ACEScct"
    assert nuke_host.toNode("preferences")["nuke_stops_cdl_space"].value() == "ACEScct"
    select(nuke_host, grade)
    [made] = matching.make_cdl_from_stops()
    cdl = nuke_host.toNode(made.path)
    assert cdl["working_space"].value() == "ACEScct"
    assert values(cdl, "slope") == [1.0, 1.0, 1.0]
    assert values(cdl, "offset") == pytest.approx([1 / 17.52, 2 / 17.52, 0.0], abs=1e-7)
    inputs = [0.0113 * 2 ** (i / 4) for i in range(30)]  # above ACEScct's toe, in and out
    for x, rgb in zip(inputs, through_cdl_node(cdl, inputs)):
        assert rgb == pytest.approx([2 * x, 4 * x, x], rel=2e-5)
    assert "in ACEScct" in made.detail


@standin_only
def test_the_space_comes_from_the_preference_then_the_environment(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("PyOpenColorIO")
    monkeypatch.setenv("NUKE_STOPS_CDL_SPACE", "ACEScc")
    assert matching.cdl_space_name() == "ACEScc"
    nuke_host._answer_input("ACEScct")
    matching.choose_cdl_space()
    assert matching.cdl_space_name() == "ACEScct"  # the artist's choice comes first
    nuke_host._answer_input("")
    matching.choose_cdl_space()
    assert matching.cdl_space_name() == "ACEScc"  # empty: back to the studio's default
    monkeypatch.delenv("NUKE_STOPS_CDL_SPACE")
    assert matching.cdl_space_name() is None  # the scene_linear role


@standin_only
def test_an_unknown_space_is_refused_with_the_closest(nuke_host: Any) -> None:
    pytest.importorskip("PyOpenColorIO")
    nuke_host._answer_input("ACEScct2")
    assert matching.choose_cdl_space() is None
    assert "no colour space 'ACEScct2'" in messages(nuke_host)[-1]
    assert "the closest: ACEScct" in messages(nuke_host)[-1]
    assert matching.cdl_space_name() is None  # nothing kept


@standin_only
@pytest.mark.parametrize("agree", [False, True])
def test_a_camera_log_cdl_is_made_only_when_the_artist_agrees(nuke_host: Any, agree: bool) -> None:
    pytest.importorskip("PyOpenColorIO")
    grade = graded(nuke_host, "2")
    nuke_host._answer_input("ARRI LogC3 (EI800)")
    matching.choose_cdl_space()
    select(nuke_host, grade)
    before = len(nuke_host.allNodes())
    nuke_host._session().answers.append(agree)
    made = matching.make_cdl_from_stops()
    question = nuke_host._session().questions[-1]
    assert question.startswith("ARRI LogC3 (EI800) cannot carry ")
    assert "stop (over linear 0.0112 to 5.76; tolerance 0.01). Make it anyway?" in question
    assert len(made) == int(agree)
    assert len(nuke_host.allNodes()) == before + int(agree)
    if not agree:
        assert "stop off in ARRI LogC3 (EI800)" in messages(nuke_host)[-1]


def test_match_warns_when_a_read_upstream_is_raw(nuke_host: Any) -> None:
    reference = imaged(nuke_host, "Read", 0.0)
    read = imaged(nuke_host, "Read", -1.0)
    plate = imaged(nuke_host, "Grade", -1.0)
    plate.setInput(0, read)  # the raw Read feeds the plate's Grade
    read["raw"].setValue(True)
    for raw in (True, False):
        read["raw"].setValue(raw)
        select(nuke_host, plate, reference)
        answer(nuke_host, "", False)
        assert matching.match_selected() == []
        warned = f"Warning: raw is on in {read.fullName()}: those pixels are not" in (
            asked_to_match(nuke_host)
        )
        assert warned is raw


def asked_to_match(nuke: Any) -> str:
    return str([q for q in nuke._session().questions if "Put the offsets" in q][-1])
