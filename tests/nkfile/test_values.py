"""Knob values: every form real scripts hold, read and written back."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from nuke_plugin.nkfile.values import (
    Animation,
    Bare,
    Braced,
    Key,
    KnobValueError,
    Quoted,
    channels,
    format_channels,
    format_number,
    parse_value,
    user_knob_name,
    word_text,
)


def test_words_quotes_and_lists() -> None:
    assert parse_value("rgb") == Bare("rgb")
    assert parse_value('"a \\"b\\" \\[value x] \\{y\\}"').text == 'a "b" [value x] {y}'  # type: ignore[union-attr]
    assert parse_value("{1.5 1.2 1 1}") == Braced((Bare("1.5"), Bare("1.2"), Bare("1"), Bare("1")))
    assert word_text('"My Grade"') == "My Grade"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("{7 stops l Stops R -5 5}", "stops"),
        ('{6 ex_panelDropped l "panel dropped state" -STARTLINE +HIDDEN}', "ex_panelDropped"),
        ("{41 channels T Multiply.channels}", "channels"),
        ('{26 ""}', ""),
        ('{7 "name with space" l x}', "name with space"),
        ("{4 mode M {Stops Densities Cineon}}", "mode"),
    ],
)
def test_user_knob_forms(text: str, name: str) -> None:
    assert user_knob_name(text) == name


def test_curve_with_implicit_frames() -> None:
    [anim] = channels("{{curve x1001 1 2 3 x1050 2}}")
    assert isinstance(anim, Animation)
    assert not anim.is_expression
    assert [(k.frame, k.value) for k in anim.keys] == [(1001, 1), (1002, 2), (1003, 3), (1050, 2)]
    [first] = channels("{{curve 0 1}}")
    assert [(k.frame, k.value) for k in first.keys] == [(0, 0), (1, 1)]  # type: ignore[union-attr]


def test_interpolation_flags_and_tangents() -> None:
    [anim] = channels("{{curve C x0.1 0 s0.14 v1.8 u1.36 L x1 1 K x2 3 S x3 4 t-2}}")
    assert isinstance(anim, Animation)
    keys = anim.keys
    assert keys[0] == Key(0.1, 0.0, "C", None, (("s", 0.14), ("v", 1.8), ("u", 1.36)))
    assert (keys[1].interpolation, keys[2].interpolation, keys[3].interpolation) == ("L", "K", "S")
    assert keys[3].tangents == (("t", -2.0),)


def test_expressions_in_every_written_form() -> None:
    assert channels("{{pow(2,parent.stops)}}")[0] == Animation("pow(2,parent.stops)")
    quoted = channels('{{"pow(2, parent.exposure)"}}')[0]
    assert isinstance(quoted, Animation)
    assert quoted.expression == "pow(2, parent.exposure)"
    keyed = channels("{{parent.x x1009 0.5}}")[0]
    assert isinstance(keyed, Animation)
    assert keyed.is_expression
    assert keyed.expression == "parent.x"
    assert keyed.keys == (Key(1009, 0.5),)
    flagged = channels('{{"\\[python nuke.thisNode()]" i}}')[0]
    assert isinstance(flagged, Animation)
    assert flagged.flag == "i"
    assert flagged.expression == "[python nuke.thisNode()]"


def test_per_channel_mixes() -> None:
    mixed = channels("{{2**ex} {2**ex} {2**ex} 1}")
    assert [getattr(c, "expression", c) for c in mixed] == ["2**ex", "2**ex", "2**ex", 1.0]
    curves = channels("{0.86 {curve x170 1.26} {curve x170 0.87} {curve x170 1}}")
    assert curves[0] == 0.86
    assert [c.keys[0].value for c in curves[1:]] == [1.26, 0.87, 1.0]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text", ["rgb", "{}", "{1 {curve x1 abc}}", "{{curve s1 2}}", "{1 nan}", "{1 inf}", "{1 2} 3"]
)
def test_values_that_are_not_channels_say_so(text: str) -> None:
    with pytest.raises(KnobValueError):
        channels(text)


def test_format_number_round_trips_exactly() -> None:
    for value in (0.1, 1 / 3, 0.5849625007211562, -1e-300, 1e22, 2.0, -0.0):
        assert float(format_number(value)) == value
    with pytest.raises(KnobValueError):
        format_number(float("nan"))


_floats = hs.floats(-1e9, 1e9, allow_nan=False)


_keys = hs.lists(
    hs.builds(
        Key,
        _floats,
        _floats,
        hs.sampled_from([None, "K", "L", "S", "R", "C"]),
        hs.sampled_from([None, "k", "l"]),
        hs.lists(hs.tuples(hs.sampled_from("stuv"), _floats), max_size=2).map(tuple),
    ),
    max_size=5,
)


_animations = hs.builds(
    Animation,
    hs.one_of(
        hs.just("curve"),
        hs.from_regex(r"[a-z][a-z0-9_.*+()/,]{0,12}", fullmatch=True),
        hs.text(alphabet='ab (),+[]{}"\\$', min_size=1, max_size=12),
    ),
    _keys.map(tuple),
    hs.sampled_from(["", "i", "I"]),
)


@given(hs.lists(hs.one_of(_floats, _animations), min_size=1, max_size=4))
def test_channels_written_and_read_back_are_equal(values: Any) -> None:
    written = format_channels(values)
    read = channels(written)
    expected = [v if isinstance(v, Animation) else float(v) for v in values]
    # Interpolation letters are written when they change; later keys keep them.
    normalised = []
    for value in expected:
        if isinstance(value, Animation):
            keys, last = [], None
            for key in value.keys:
                last = key.interpolation or last
                keys.append(Key(key.frame, key.value, last, key.extrapolation, key.tangents))
            value = Animation(value.expression, tuple(keys), value.flag)
        normalised.append(value)
    assert read == normalised


def test_quoted_things_need_quotes() -> None:
    assert parse_value('"a b"') == Quoted("a b")
    assert format_channels([Animation("a b")]) == '{{"a b"}}'
    assert format_channels([Animation("[value x]")]) == '{{"\\[value x\\]"}}'


@given(hs.text(alphabet='{} "\\xab1.\n', max_size=60))
def test_any_text_is_a_value_or_a_knob_value_error(text: str) -> None:
    with contextlib.suppress(KnobValueError):
        parse_value(text)
    with contextlib.suppress(KnobValueError):
        channels(text)


def test_deep_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(KnobValueError, match="nested more than"):
        parse_value("{" * 5000 + "}" * 5000)
    assert isinstance(parse_value("{" * 100 + "}" * 100), Braced)


def test_a_single_animation_without_its_list_braces() -> None:
    [anim] = channels("{curve x1 0 x10 1}")
    assert isinstance(anim, Animation)
    assert [k.value for k in anim.keys] == [0.0, 1.0]
    [expr] = channels("{parent.stops x5 2}")
    assert isinstance(expr, Animation)
    assert expr.expression == "parent.stops"


def test_white_space_around_a_value_is_not_part_of_it() -> None:
    assert parse_value(" 1 \n") == Bare("1")
    assert parse_value("\t{1\n 2 }\r\n") == Braced((Bare("1"), Bare("2")))
    with pytest.raises(KnobValueError, match="no value"):
        parse_value("  ")
