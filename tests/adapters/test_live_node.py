"""The live adapter: Nuke's knobs read and written through Foundry's API."""

from __future__ import annotations

from typing import Any

import pytest

from nuke_plugin.host import commands
from nuke_plugin.ops.catalogue import STOP_KNOB_SPECS
from nuke_plugin.registry import STOP_KNOBS

from support.in_nuke import make, messages, select, values
from support.paths import real_nuke, standin_only
from support.render import same


def test_the_live_stop_knobs_follow_the_one_definition(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "2")
    select(nuke_host, grade)
    commands.add_stop_knobs()
    for spec in STOP_KNOB_SPECS:
        knob = grade[spec.name]
        assert knob.label() == spec.label
        assert knob.tooltip() == spec.tooltip
        assert knob.getFlag(nuke_host.INVISIBLE) == spec.hidden
        if spec.low != spec.high:
            assert (knob.min(), knob.max()) == (spec.low, spec.high)
    assert grade[STOP_KNOBS.drives].value() == "multiply"


def test_the_stops_written_render_the_multiplier_to_nukes_precision(nuke_host: Any) -> None:
    grade = make(nuke_host, "Grade", "multiply", "0.1 3.7 1e-05 1")
    select(nuke_host, grade)
    commands.add_stop_knobs()
    assert same(values(grade, "multiply"), [0.1, 3.7, 1e-05, 1.0])


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
    assert commands.convert_selected() == []
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
    assert commands.nudge(0.0) == []  # writes 2 2 2 2, which the knob turns into 0.5
    assert "after writing" in messages(nuke_host)[-1]
    assert values(grade, "multiply") == [2.0] * 4


@real_nuke
def test_knob_text_is_the_form_the_adapter_reads(nuke_host: Any) -> None:
    """The facts the live adapter relies on (docs/real_nuke_checks.md)."""
    grade = make(nuke_host, "Grade", "multiply", "{curve x1 0.5 x10 2} 1.2 1 1")
    assert grade["multiply"].toScript().startswith("{curve")
    assert grade["multiply"].fromScript("1.5 1.2 1 1") is True
    assert values(grade, "multiply") == [1.5, 1.2, 1.0, 1.0]
