"""The catalogue: exposure knobs by class, and the stop knobs' one definition.

The ``addUserKnob`` lines the file writer makes are read back by the
stand-in's own script reader (its model of Nuke), so a knob written offline
is the knob the live adapter makes.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from nuke_plugin.nkfile.values import Animation
from nuke_plugin.ops.catalogue import (
    MAX_STOPS,
    MIN_STOPS,
    STOP_KNOB_SPECS,
    KnobKind,
    driven_by_stop_knobs,
    driving_expression,
    expand,
    representable,
    user_knob_line,
)
from nuke_plugin.registry import CONVERTIBLE, DRIVABLE_KNOBS, EXPOSURE_KNOBS, STOP_KNOBS


def test_every_drivable_knob_carries_exposure_and_the_first_is_converted() -> None:
    for node_class, knobs in DRIVABLE_KNOBS.items():
        assert set(knobs) <= set(EXPOSURE_KNOBS[node_class])
        assert CONVERTIBLE[node_class] == knobs[0]


def test_the_specs_name_every_stop_knob_once() -> None:
    names = [spec.name for spec in STOP_KNOB_SPECS]
    assert names == [STOP_KNOBS.tab, STOP_KNOBS.master, STOP_KNOBS.channels, STOP_KNOBS.drives]
    assert [spec.kind for spec in STOP_KNOB_SPECS] == list(KnobKind)


@pytest.mark.parametrize("spec", STOP_KNOB_SPECS, ids=[s.name for s in STOP_KNOB_SPECS])
def test_a_user_knob_line_is_read_by_nuke_as_the_spec_says(nuke_host: Any, spec: Any) -> None:
    kinds = {
        KnobKind.TAB: nuke_host.Tab_Knob,
        KnobKind.STOPS: nuke_host.Double_Knob,
        KnobKind.CHANNEL_STOPS: nuke_host.AColor_Knob,
        KnobKind.TEXT: nuke_host.String_Knob,
    }
    nuke_host.scriptReadText(f"Grade {{\n addUserKnob {user_knob_line(spec)}\n name G\n}}\n")
    knob = nuke_host.toNode("G")[spec.name]
    assert type(knob) is kinds[spec.kind]
    assert (knob.label(), knob.tooltip()) == (spec.label, spec.tooltip)
    assert knob.getFlag(nuke_host.INVISIBLE) == spec.hidden
    if spec.low != spec.high:
        assert (knob.min(), knob.max()) == (spec.low, spec.high)


def test_representable_stops_are_those_whose_power_of_two_is_a_positive_double() -> None:
    assert math.isfinite(2.0**MAX_STOPS)
    with pytest.raises(OverflowError):
        2.0 ** (MAX_STOPS + 1)
    assert 2.0**MIN_STOPS > 0
    assert 2.0 ** (MIN_STOPS - 1) == 0
    assert representable(MAX_STOPS)
    assert not representable(MAX_STOPS + 1)
    assert not representable(math.nan)


def test_only_the_four_channel_layout_a_conversion_writes_is_driven() -> None:
    rgb = [Animation(driving_expression(c)) for c in "rgb"]
    assert driven_by_stop_knobs([*rgb, 1.0])
    assert driven_by_stop_knobs([*rgb, Animation(driving_expression("a"))])
    assert not driven_by_stop_knobs(rgb)  # three channels
    assert not driven_by_stop_knobs([rgb[1], rgb[0], rgb[2], 1.0])  # red and green swapped
    keyed = [Animation(driving_expression(c, on_curve=True)) for c in "rgb"]
    assert driven_by_stop_knobs([*keyed, 1.0])


def test_expand_gives_four_channels_or_names_the_layout() -> None:
    assert expand([2.0]) == [2.0, 2.0, 2.0, 2.0]
    assert expand([1.0, 2.0, 3.0, 4.0]) == [1.0, 2.0, 3.0, 4.0]
    with pytest.raises(ValueError, match="3 values for a 4-channel knob"):
        expand([1.0, 2.0, 3.0])
