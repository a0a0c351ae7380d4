"""The node interface's results: statuses, outcomes, and applying an edit."""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

from nuke_plugin.nkfile.values import Channel
from nuke_plugin.ops.outcome import Edit, Outcome, Status, StopKnobValues, apply_edit


class _Recorder:
    """Records what apply_edit asks of a node, in order."""

    path, node_class, is_cloned = "G", "Grade", False

    def __init__(self) -> None:
        self.calls: List[Tuple[Any, ...]] = []

    def add_stop_knobs(self, master: Channel, channels: Sequence[Channel], drives: str) -> None:
        self.calls.append(("add", master, tuple(channels), drives))

    def write(self, knob: str, values: Sequence[Channel]) -> None:
        self.calls.append(("write", knob, tuple(values)))

    def read(self, knob: str) -> Optional[List[Channel]]:
        return None


def test_a_status_is_its_report_word() -> None:
    assert [str(s) for s in (Status.CONVERTED, Status.CLONED, Status.BROKEN)] == [
        "converted",
        "cloned",
        "broken",
    ]
    assert f"{Status.NUDGED:>8}" == "  nudged"
    assert Status("refused") is Status.REFUSED


def test_an_edit_adds_the_stop_knobs_before_the_writes_that_refer_to_them() -> None:
    node = _Recorder()
    knobs = StopKnobValues(1.0, (0.0, 0.5, 0.0, 0.0), "multiply")
    apply_edit(node, Edit(knobs, (("multiply", (2.0, 2.0, 2.0, 1.0)),)))  # type: ignore[arg-type]
    assert node.calls == [
        ("add", 1.0, (0.0, 0.5, 0.0, 0.0), "multiply"),
        ("write", "multiply", (2.0, 2.0, 2.0, 1.0)),
    ]


def test_an_outcome_says_where_and_whether_it_changes_the_node() -> None:
    left_alone = Outcome("Group1.Grade1", "Grade", "multiply", Status.EXPRESSION, "parent.x")
    assert left_alone.where == "Group1.Grade1.multiply"
    assert not left_alone.changed
    skipped = Outcome("Blur1", "Blur", "", Status.SKIPPED)
    assert skipped.where == "Blur1"
    assert Outcome("G", "Grade", "multiply", Status.NUDGED, edit=Edit()).changed
