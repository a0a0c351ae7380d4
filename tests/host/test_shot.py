"""Match exposure over a frame range and Deflicker, inside Nuke (on the stand-in).

Each plate gets an image that changes with the frame (``nuke._set_image``);
the keys are read back through Foundry's API (getValueAt at each frame), and
the Grade's multiply is evaluated there, so what renders is what is checked.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, Iterator

import pytest

from nuke_plugin.host import matching, shot
from nuke_plugin.registry import STOP_KNOBS

from support.in_nuke import make, messages, select, values
from support.paths import standin_only
from support.render import same

pytestmark = standin_only  # the images are the stand-in's (nuke._set_image)

FRAMES = range(1, 11)
#: Each frame's exposure, in stops: a fluorescent flicker.
FLICKER: Dict[int, float] = {f: round(0.4 * math.sin(f * 2.1), 6) for f in FRAMES}


@pytest.fixture(autouse=True)
def no_reference() -> Iterator[None]:
    matching._reference = None
    yield
    matching._reference = None


def scene(exposure: Callable[[float], float]) -> Callable[[int, int, int, float], float]:
    def pixel(channel: int, x: int, y: int, frame: float) -> float:
        if channel == 3:
            return 1.0
        light = (0.02 + x / 200) * (1.2 + math.sin(y / 9)) * (1.1, 1.0, 0.8)[channel]
        return float(light * 2.0 ** exposure(frame))

    return pixel


def imaged(nuke: Any, node_class: str, exposure: Callable[[float], float]) -> Any:
    node = make(nuke, node_class)
    nuke._set_image(node, 480, 270, scene(exposure))
    return node


def flickering(frame: float) -> float:
    return FLICKER.get(int(frame), 0.0)


def test_match_over_a_range_keys_every_frame_in_one_undo_step(nuke_host: Any) -> None:
    reference = imaged(nuke_host, "Read", lambda f: 0.0)
    plate = imaged(nuke_host, "Grade", flickering)
    select(nuke_host, plate, reference)
    nuke_host._answer_input("1-10", "")
    nuke_host._session().answers.append(True)
    before = nuke_host.Undo.undoSize()
    [outcome] = shot.match_over_range()
    assert outcome.status == "set"
    assert "10 frame(s) measured" in nuke_host._session().questions[-1]
    for frame in FRAMES:
        stops = plate[STOP_KNOBS.master].getValueAt(frame)
        assert stops == pytest.approx(-FLICKER[frame], abs=1e-9)
        assert same(values(plate, "multiply", frame)[:3], [2.0 ** -FLICKER[frame]] * 3)
    assert nuke_host.Undo.undoSize() == before + 1
    nuke_host.Undo.undo()
    assert plate.knob(STOP_KNOBS.master) is None


def test_a_read_gets_a_grade_keyed_below_it_and_frames_without_value_no_key(
    nuke_host: Any,
) -> None:
    reference = imaged(nuke_host, "Read", lambda f: 0.0)
    plate = make(nuke_host, "Read")
    lit = scene(flickering)
    nuke_host._set_image(plate, 480, 270, lambda c, x, y, f: 0.0 if f == 4 else lit(c, x, y, f))
    select(nuke_host, plate, reference)
    nuke_host._answer_input("1-6", "")
    nuke_host._session().answers.append(True)
    [outcome] = shot.match_over_range()
    assert "no value at 4" in nuke_host._session().questions[-1]
    grade = nuke_host.toNode(outcome.path)
    assert grade.Class() == "Grade"
    assert grade.input(0) is plate
    keys = [k.x for k in grade[STOP_KNOBS.master].animation(0).keys()]  # noqa: SIM118 - Nuke API
    assert keys == [1, 2, 3, 5, 6]
    assert grade[STOP_KNOBS.master].getValueAt(5) == pytest.approx(-FLICKER[5])


def test_cancelling_the_progress_changes_nothing(nuke_host: Any) -> None:
    reference = imaged(nuke_host, "Read", lambda f: 0.0)
    plate = imaged(nuke_host, "Grade", flickering)
    select(nuke_host, plate, reference)
    nuke_host._answer_input("1-10", "")
    nuke_host._session().cancel_progress_after = 4
    before = nuke_host.Undo.undoSize()
    assert shot.match_over_range() == []
    assert "was cancelled; nothing changed" in messages(nuke_host)[-1]
    assert plate.knob(STOP_KNOBS.master) is None
    assert nuke_host.Undo.undoSize() == before
    assert not any("Key the" in q for q in nuke_host._session().questions)  # never asked


def test_declining_changes_nothing(nuke_host: Any) -> None:
    reference = imaged(nuke_host, "Read", lambda f: 0.0)
    plate = imaged(nuke_host, "Grade", flickering)
    select(nuke_host, plate, reference)
    nuke_host._answer_input("1-3", "")
    nuke_host._session().answers.append(False)
    assert shot.match_over_range() == []
    assert plate.knob(STOP_KNOBS.master) is None


def test_deflicker_against_a_frame(nuke_host: Any) -> None:
    plate = imaged(nuke_host, "Grade", flickering)
    select(nuke_host, plate)
    nuke_host._answer_input("1-10", "3", "")
    nuke_host._session().answers.append(True)
    [outcome] = shot.deflicker_over_range()
    assert outcome.status == "set"
    for frame in FRAMES:
        expected = FLICKER[3] - FLICKER[frame]
        assert plate[STOP_KNOBS.master].getValueAt(frame) == pytest.approx(expected, abs=1e-9)


def test_deflicker_against_the_rolling_median_keeps_the_trend(nuke_host: Any) -> None:
    spikes = {f: (0.5 if f % 4 == 2 else 0.0) for f in range(1, 21)}
    trend = {f: 0.03 * f for f in range(1, 21)}
    plate = imaged(nuke_host, "Multiply", lambda f: trend[int(f)] + spikes[int(f)])
    select(nuke_host, plate)
    nuke_host._answer_input("1-20", "median 5", "")
    nuke_host._session().answers.append(True)
    [outcome] = shot.deflicker_over_range()
    assert outcome.status == "set"
    for frame in range(3, 19):
        got = plate[STOP_KNOBS.master].getValueAt(frame)
        assert got == pytest.approx(-spikes[frame], abs=0.07)  # within two steps of the trend


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (("1-x", ""), "the frame range: '1-x' is not a frame range"),
        (("1-3", "1 2 3"), "the region '1 2 3' is not four numbers"),
    ],
)
def test_bad_answers_are_one_message(nuke_host: Any, answers: Any, message: str) -> None:
    reference = imaged(nuke_host, "Read", lambda f: 0.0)
    plate = imaged(nuke_host, "Grade", flickering)
    select(nuke_host, plate, reference)
    nuke_host._answer_input(*answers)
    assert shot.match_over_range() == []
    assert message in messages(nuke_host)[-1]


def test_deflicker_refuses_a_window_that_is_not_odd(nuke_host: Any) -> None:
    plate = imaged(nuke_host, "Grade", flickering)
    select(nuke_host, plate)
    nuke_host._answer_input("1-10", "median 4")
    assert shot.deflicker_over_range() == []
    assert "'median 4': a window of 4 frames: give an odd number" in messages(nuke_host)[-1]


def count_samples(nuke: Any, monkeypatch: pytest.MonkeyPatch) -> Dict[str, int]:
    counted = {"calls": 0}
    node_class = type(nuke.createNode("Read", inpanel=False))
    real = node_class.sample

    def counting(self: Any, *args: Any, **kwargs: Any) -> float:
        counted["calls"] += 1
        return float(real(self, *args, **kwargs))

    monkeypatch.setattr(node_class, "sample", counting)
    return counted


@pytest.mark.parametrize(("grid", "cells"), [("", 48 * 27), ("24x14", 24 * 14)])
def test_a_frame_costs_three_sample_calls_a_cell_and_image(
    nuke_host: Any, monkeypatch: pytest.MonkeyPatch, grid: str, cells: int
) -> None:
    """What the README quotes: per frame, Match samples both images, Deflicker one."""
    monkeypatch.setenv(matching.GRID_VARIABLE, grid)
    reference = imaged(nuke_host, "Read", lambda f: 0.0)
    plate = imaged(nuke_host, "Grade", flickering)
    counted = count_samples(nuke_host, monkeypatch)
    select(nuke_host, plate, reference)
    nuke_host._answer_input("1-4", "")
    nuke_host._session().answers.append(False)
    shot.match_over_range()
    assert counted["calls"] == 4 * 2 * 3 * cells
    counted["calls"] = 0
    select(nuke_host, plate)
    nuke_host._answer_input("1-4", "median 3", "")
    nuke_host._session().answers.append(False)
    shot.deflicker_over_range()
    assert counted["calls"] == 4 * 3 * cells


def test_a_bad_grid_variable_is_named(nuke_host: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(matching.GRID_VARIABLE, "lots")
    reference = imaged(nuke_host, "Read", lambda f: 0.0)
    plate = imaged(nuke_host, "Grade", flickering)
    select(nuke_host, plate, reference)
    nuke_host._answer_input("1-3", "")
    assert shot.match_over_range() == []
    assert "$NUKE_STOPS_MATCH_GRID is 'lots'" in messages(nuke_host)[-1]
