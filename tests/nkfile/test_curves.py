"""nuke_plugin.nkfile.curves evaluates curves between keys as Nuke documents it.

Checked against literal values and against the stand-in, whose curve code
is its own (tests/standin/nuke/_curves.py): two readings of Foundry's
AnimationKey documentation that must agree.
"""

from __future__ import annotations

from typing import Any, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from nuke_plugin.adapters.script_node import ScriptNode
from nuke_plugin.nkfile.curves import value_at
from nuke_plugin.nkfile.parser import parse
from nuke_plugin.nkfile.values import Animation, channels

from support.offline import nudge_node


def _curve(text: str) -> Animation:
    [curve] = channels("{" + text + "}")
    assert isinstance(curve, Animation)
    return curve


@pytest.mark.parametrize(
    ("text", "frame", "expected"),
    [
        ("{curve L x1 0 x11 10}", 6, 5.0),
        ("{curve K x1 1 x10 2}", 9.99, 1.0),
        ("{curve R x0 0 x1 1 x2 0 x3 1}", 1.5, 0.5),
        ("{curve C x0 0 x1 1 x2 0}", 0.5, 0.6875),
        ("{curve x0 0 s3 x1 1 s0}", 0.5, 0.875),
        ("{curve x1 1 x10 2}", 20, 2.0),
        ("{curve L l x1 1 l x2 2}", 3, 3.0),
        ("{curve x1 0 x2 5 x3 5}", 2.5, 5.0),
    ],
)
def test_documented_interpolation(text: str, frame: float, expected: float) -> None:
    assert value_at(_curve(text), frame) == pytest.approx(expected, abs=1e-12)


_letters = hs.sampled_from(["L", "K", "R", "C", "S"])


_key = hs.tuples(hs.integers(1, 6), hs.floats(0.05, 8, allow_nan=False), _letters)


@settings(max_examples=200, deadline=None)
@given(hs.lists(_key, min_size=2, max_size=6), hs.floats(0, 40))
def test_the_product_and_the_standin_read_curves_alike(keys: List[Any], where: float) -> None:
    import nuke

    frame, words = 0, []
    for step, value, letter in keys:
        frame += step
        words += [letter, f"x{frame}", repr(value)]
    text = "{curve " + " ".join(words) + "}"
    nuke._reset()  # type: ignore[attr-defined]
    knob = nuke.Double_Knob("v")
    nuke.createNode("Grade").addKnob(knob)
    assert knob.fromScript(text) is True
    expected = knob.getValueAt(where)
    assert value_at(_curve(text), where) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_an_offline_nudge_keys_a_frame_between_keys() -> None:
    script = parse("Grade {\n multiply {{curve L x1 1 x11 2}}\n name G\n}\n")
    node = ScriptNode(script.nodes[0])
    assert nudge_node(node, 1, frame=6).status == "nudged"
    red = (node.read("multiply") or [])[0]
    assert isinstance(red, Animation)
    assert [(k.frame, k.value) for k in red.keys] == [(1, 1.0), (6, 3.0), (11, 2.0)]
