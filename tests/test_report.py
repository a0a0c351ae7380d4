"""How findings and outcomes read: one text for the command line and Nuke."""

from __future__ import annotations

import json

from nuke_plugin.nkfile.values import Animation, Key
from nuke_plugin.ops.assess import KnobState
from nuke_plugin.ops.outcome import Outcome, Status
from nuke_plugin.ops.scan import Finding
from nuke_plugin.report import (
    STATE_TEXT,
    channel_data,
    finding_data,
    finding_text,
    outcome_data,
    outcome_line,
    outcome_text,
    table,
)

from support.offline import convert_node, script_node


def test_every_knob_state_has_its_report_text() -> None:
    assert set(STATE_TEXT) == set(KnobState)


def test_a_finding_reads_with_its_reason() -> None:
    linked = Finding("M", "Multiply", "value", "", "", KnobState.EXPRESSION, "parent.M2.value")
    assert finding_text(linked) == "expression-driven (left alone): parent.M2.value"
    plain = Finding("G", "Grade", "multiply", "2", "+1", KnobState.CONSTANT, values=(2.0,))
    assert finding_text(plain) == "constant"
    assert finding_data(plain) == {
        "node": "G",
        "class": "Grade",
        "knob": "multiply",
        "linear": "2",
        "stops": "+1",
        "status": "constant",
        "detail": "",
        "channels": [2.0],
    }


def test_outcomes_read_as_one_line() -> None:
    refused = Outcome("G", "Grade", "multiply", Status.REFUSED, "an expression")
    assert outcome_text(refused) == "G.multiply: refused (an expression)"
    assert outcome_line(refused) == "left alone G.multiply: refused (an expression)"
    converted = convert_node(script_node(" multiply {1.5 1.2 1 1}"))
    assert outcome_line(converted) == "converted  N.multiply: stops 0, per channel +0.58 +0.26 0 0"
    curve = Animation("curve", (Key(1, 0.5),))
    data = outcome_data(Outcome("G", "Grade", "multiply", Status.CONVERTED, "", 0.0, (curve,)))
    assert data["channel_stops"] == [{"expression": "curve", "keys": [{"frame": 1, "value": 0.5}]}]
    json.dumps(data, allow_nan=False)


def test_a_table_aligns_its_columns() -> None:
    assert table(["a", "bb"], [["10", "2"], ["3", "400"]], numbers=True) == (
        " a   bb\n10    2\n 3  400"
    )
    assert channel_data(1.5) == 1.5
