"""Assessing a knob's value: what it holds in stops, or why it has none."""

from __future__ import annotations

from typing import List

from nuke_plugin.nkfile.values import Animation, Channel, Key
from nuke_plugin.ops.assess import KnobState, assess, stops_channels


def test_assess_and_stops_channels_agree() -> None:
    values: List[Channel] = [2.0, Animation("curve", (Key(1, 4.0),)), 0.5, 1.0]
    assessment = assess(values)
    assert assessment.state is KnobState.ANIMATED
    assert assessment.stops == stops_channels(values)
