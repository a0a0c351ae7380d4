"""The ExposureStops gizmo: a plain Gizmo file that renders from expressions.

Its expressions are checked by a small arithmetic reader written for this
test (pow, +, the ?: choice, knob names): enough to show that the linear
multiplier is 2^(stops + offset) with the gang switch, without Nuke. The
real_nuke test in test_in_nuke.py loads it in Nuke itself.
"""

from __future__ import annotations

import ast
import re
from typing import Dict

import pytest
from conftest import ROOT

from nuke_plugin.nk_script import Node, parse
from nuke_plugin.nk_values import Animation, channels

GIZMO = ROOT / "gizmos" / "ExposureStops.gizmo"


def _gizmo() -> Node:
    script = parse(GIZMO.read_text(), str(GIZMO))
    assert script.to_text() == GIZMO.read_text()
    [top] = script.top_level()
    assert top.node_class == "Gizmo"
    return top


def _evaluate(expression: str, knobs: Dict[str, float]) -> float:
    """pow(a,b), a+b, (c?a:b) and names: no eval, an AST walk."""
    python = re.sub(r"\((\w+)\?(\w+):(\w+)\)", r"(\2 if \1 else \3)", expression)
    tree = ast.parse(python, mode="eval").body

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name):
            return knobs[node.id]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return value(node.left) + value(node.right)
        if isinstance(node, ast.IfExp):
            return value(node.body) if value(node.test) else value(node.orelse)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "pow":
            base, exponent = (value(a) for a in node.args)
            return float(base**exponent)
        raise AssertionError(f"unexpected expression part {ast.dump(node)}")

    return value(tree)


def test_the_gizmo_has_the_artist_knobs() -> None:
    gizmo = _gizmo()
    names = gizmo.user_knob_names()
    for knob in ("stops", "gang", "red", "green", "blue", "multiplier", "channels", "mix"):
        assert knob in names
    assert "R -5 5" in next(k.text for k in gizmo.knobs if "{7 stops" in k.text)
    assert "+DISABLED" in next(k.text for k in gizmo.knobs if "{18 multiplier" in k.text)


@pytest.mark.parametrize(
    ("stops", "gang", "offsets", "expected"),
    [
        (0.0, True, (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)),
        (1.0, True, (0.0, 0.7, -3.0), (2.0, 2.0, 2.0)),
        (1.0, True, (0.5, 0.0, 0.0), (2**1.5, 2**1.5, 2**1.5)),
        (-1.0, False, (0.5, 0.0, -1.0), (2**-0.5, 0.5, 0.25)),
        (2.0, False, (1 / 3, -1 / 3, 0.0), (2 ** (7 / 3), 2 ** (5 / 3), 4.0)),
    ],
)
def test_the_multiplier_is_two_to_the_stops(
    stops: float, gang: bool, offsets: tuple, expected: tuple  # type: ignore[type-arg]
) -> None:
    gizmo = _gizmo()
    knobs = {"stops": stops, "gang": float(gang), "red": offsets[0], "green": offsets[1],
             "blue": offsets[2]}  # fmt: skip
    multiplier = channels(gizmo.knob_text("multiplier") or "")
    assert len(multiplier) == 3
    got = []
    for channel in multiplier:
        assert isinstance(channel, Animation) and channel.is_expression
        got.append(_evaluate(channel.expression, knobs))
    assert got == pytest.approx(expected, rel=1e-12)


def test_the_multiply_inside_reads_the_multiplier_and_keeps_alpha() -> None:
    gizmo = _gizmo()
    [multiply] = [n for n in gizmo.children if n.node_class == "Multiply"]
    values = channels(multiply.knob_text("value") or "")
    assert [getattr(v, "expression", v) for v in values] == [
        "parent.multiplier.r", "parent.multiplier.g", "parent.multiplier.b", 1.0
    ]  # fmt: skip
    assert multiply.knob_text("channels") == "rgb"
    classes = sorted(n.node_class for n in gizmo.children)
    assert classes == ["Input", "Input", "Multiply", "Output"]


def test_the_gizmo_needs_no_python_and_loads_in_nuke_13_to_16() -> None:
    text = GIZMO.read_text()
    assert "python" not in text.lower()  # no [python ...], no PyScript knobs
    assert "{22 " not in text and "{1 " not in text
    assert parse(text).version == "13.0 v1"  # the oldest supported Nuke writes this
