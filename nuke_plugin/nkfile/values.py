"""Knob values of Nuke scripts: read and write words, lists, curves, expressions.

A knob value is a TCL word: bare (``1.5``, ``rgb``), quoted (``"a b"``) or a
braced list (``{1.5 1.2 1 1}``). Colour and array knobs hold one item per
channel (or one for all); an item in braces is an animation: an expression,
``curve`` for plain keys, and keys in Nuke's curve format
(``{curve K x1001 1 s0 x1050 2}``; see Foundry's "Curve serialisation
format"). Expressions are text here: nothing is evaluated.

>>> channels("{1.5 {curve x1001 1 x1050 2} 1 1}")[1].keys[1]
Key(frame=1050.0, value=2.0, interpolation=None, extrapolation=None, tangents=())
>>> format_channels([0.5, Animation("curve", (Key(1, 0.5), Key(10, 2.0)))])
'{0.5 {curve x1 0.5 x10 2}}'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple, Union

__all__ = [
    "Animation",
    "Bare",
    "Braced",
    "Channel",
    "Key",
    "KnobValueError",
    "Quoted",
    "channels",
    "format_animation",
    "format_channels",
    "format_items",
    "format_number",
    "parse_value",
    "quote_word",
    "same_channels",
    "user_knob_name",
    "word_text",
]


class KnobValueError(ValueError):
    """A knob value that is not what the caller needs (the message says why)."""


@dataclass(frozen=True)
class Bare:
    """A bare word: ``1.5``, ``rgb``, ``x1001``."""

    text: str


@dataclass(frozen=True)
class Quoted:
    """A quoted string; ``raw`` is as written between the quotes."""

    raw: str

    @property
    def text(self) -> str:
        """The string with TCL backslash escapes resolved."""
        return _unescape(self.raw)


@dataclass(frozen=True)
class Braced:
    """A braced list, as items."""

    items: Tuple[Value, ...]


Value = Union[Bare, Quoted, Braced]

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "{": "{", "}": "}"}


def _unescape(raw: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw, flags=re.DOTALL)


# The same word shapes as the script reader, for the inside of a value: each
# token is "{", "}", a quoted string (its inside), a bare word, or any other
# character (an error). Every choice is decided by the next character, so
# reading is linear in the length of the value.
_WS = " \t\n\r\f\v"
_WORD_CHAR = f'[^{_WS}\\\\{{}}"]'
_TOKENS = re.compile(
    f"[{_WS}]*(?:"
    r"(\{)|(\})"
    r'|"([^"\\]*(?:\\.[^"\\]*)*)"'
    f"|((?:{_WORD_CHAR}|\\\\.){_WORD_CHAR}*(?:\\\\.{_WORD_CHAR}*)*)"
    f"|([^{_WS}]))",
    re.DOTALL,
)
_MAX_DEPTH = 200  # lists nested deeper than any Nuke writes (roto shapes reach ~17)


def parse_value(text: str) -> Value:
    """Read one knob value.

    >>> parse_value('{1 "a b" {c}}')
    Braced(items=(Bare(text='1'), Quoted(raw='a b'), Braced(items=(Bare(text='c'),))))
    """
    stack: List[List[Value]] = [[]]
    for opening, closing, quoted, bare, other in _TOKENS.findall(text):
        if bare:
            stack[-1].append(Bare(bare))
        elif opening:
            if len(stack) > _MAX_DEPTH:
                raise KnobValueError(f"lists nested more than {_MAX_DEPTH} deep in {_clip(text)}")
            stack.append([])
        elif closing:
            if len(stack) == 1:
                raise KnobValueError(f"unexpected '}}' in {_clip(text)}")
            items = stack.pop()
            stack[-1].append(Braced(tuple(items)))
        elif other:
            what = "unclosed quote" if other == '"' else f"unexpected {other!r}"
            raise KnobValueError(f"{what} in {_clip(text)}")
        else:
            stack[-1].append(Quoted(quoted))
    if len(stack) > 1:
        raise KnobValueError(f"unclosed '{{' in {_clip(text)}")
    if len(stack[0]) != 1:
        raise KnobValueError(f"{'no' if not stack[0] else 'more than one'} value in {_clip(text)}")
    return stack[0][0]


def _clip(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[: width - 3] + "...")


def word_text(text: str) -> str:
    """A one-word value as plain text: ``"My Grade"`` -> ``My Grade``.

    >>> word_text('"Grade 1"'), word_text("Grade1")
    ('Grade 1', 'Grade1')
    """
    value = parse_value(text)
    if isinstance(value, Braced):
        raise KnobValueError(f"expected a word, got a list {_clip(text)}")
    return value.text


def user_knob_name(text: str) -> str:
    """The knob name in an ``addUserKnob {7 stops l Stops R -5 5}`` value.

    >>> user_knob_name("{7 stops l Stops R -5 5}"), user_knob_name('{26 ""}')
    ('stops', '')
    """
    value = parse_value(text)
    if not isinstance(value, Braced) or len(value.items) < 2:
        raise KnobValueError(f"addUserKnob needs {{type name ...}}, got {_clip(text)}")
    name = value.items[1]
    if isinstance(name, Braced):
        raise KnobValueError(f"addUserKnob name is a list in {_clip(text)}")
    return name.text


# --------------------------------------------------------------------------
# Numbers, channels and animation


def _number(word: Value, where: str) -> float:
    if not isinstance(word, Bare):
        raise KnobValueError(f"expected a number in {where}, got {word}")
    try:
        value = float(word.text)
    except ValueError:
        raise KnobValueError(f"expected a number in {where}, got {word.text!r}") from None
    if not math.isfinite(value):
        raise KnobValueError(f"{word.text!r} in {where} is not a finite number")
    return value


@dataclass(frozen=True)
class Key:
    """One key of an animation curve; tangents keep Nuke's s/t/u/v letters."""

    frame: float
    value: float
    interpolation: Optional[str] = None  # K L S R C, as written before the key
    extrapolation: Optional[str] = None  # k l
    tangents: Tuple[Tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Animation:
    """An animated channel: an expression (``curve`` for plain keys) and keys.

    >>> Animation("curve", (Key(1, 2.0),)).is_expression
    False
    >>> Animation("pow(2,parent.stops)").is_expression
    True
    """

    expression: str
    keys: Tuple[Key, ...] = ()
    flag: str = ""  # "i" invisible, "I" trace only
    quoted: bool = field(default=False, compare=False)

    @property
    def is_expression(self) -> bool:
        """True when driven by an expression rather than by its keys alone."""
        return self.expression != "curve"


Channel = Union[float, Animation]

_INTERPOLATIONS = "KLSRC"
_EXTRAPOLATIONS = "kl"
_TANGENTS = "stuv"


def animation(value: Braced, where: str = "animation") -> Animation:
    """Read an animation from the items of ``{expression [i] keys...}``.

    Frames missing before a value follow Nuke's rule: 0 for the first key,
    one more than the first for the second, then the last step again.

    >>> a = animation(parse_value("{curve x1001 1 2 x1010 3 4}"))
    >>> [(k.frame, k.value) for k in a.keys]
    [(1001.0, 1.0), (1002.0, 2.0), (1010.0, 3.0), (1018.0, 4.0)]
    """
    if not value.items:
        raise KnobValueError(f"empty animation in {where}")
    head = value.items[0]
    if isinstance(head, Braced):
        raise KnobValueError(f"an animation must start with an expression in {where}")
    rest = list(value.items[1:])
    flag = ""
    first = rest[0] if rest else None
    if isinstance(first, Bare) and first.text in ("i", "I"):
        flag = first.text
        rest.pop(0)
    return Animation(head.text, _keys(rest, where), flag, isinstance(head, Quoted))


def _keys(words: Sequence[Value], where: str) -> Tuple[Key, ...]:
    keys: List[Key] = []
    interpolation: Optional[str] = None
    extrapolation: Optional[str] = None
    frame: Optional[float] = None
    tangents: List[Tuple[str, float]] = []
    for word in words:
        if not isinstance(word, Bare) or not word.text:
            raise KnobValueError(f"unexpected {word} in the curve of {where}")
        text = word.text
        letter = text[0]
        if len(text) == 1 and letter in _INTERPOLATIONS:
            interpolation = letter
        elif len(text) == 1 and letter in _EXTRAPOLATIONS:
            extrapolation = letter
        elif letter == "x":
            frame = _number(Bare(text[1:]), where)
        elif letter in _TANGENTS:
            if not keys:
                raise KnobValueError(f"tangent {text!r} before any key in {where}")
            tangents.append((letter, _number(Bare(text[1:]), where)))
            last = keys[-1]
            keys[-1] = Key(
                last.frame, last.value, last.interpolation, last.extrapolation, tuple(tangents)
            )
        else:
            if frame is None:
                frame = _next_frame(keys)
            keys.append(Key(frame, _number(word, where), interpolation, extrapolation))
            # An interpolation letter holds for the keys after it (Nuke writes
            # it once); an extrapolation letter belongs to one key.
            frame, tangents, extrapolation = None, [], None
    return tuple(keys)


def _next_frame(keys: Sequence[Key]) -> float:
    if not keys:
        return 0.0
    if len(keys) == 1:
        return keys[0].frame + 1
    return 2 * keys[-1].frame - keys[-2].frame


def channels(text: str, where: str = "knob") -> List[Channel]:
    """A colour or array knob's value: one number or animation per channel.

    One item stands for every channel, as Nuke reads it.

    >>> channels("2")
    [2.0]
    >>> channels("{{2**ex} {2**ex} {2**ex} 1}")[0].expression
    '2**ex'
    >>> channels("rgb")
    Traceback (most recent call last):
    ...
    nuke_plugin.nkfile.values.KnobValueError: expected a number in knob, got 'rgb'
    """
    value = parse_value(text)
    items = value.items if isinstance(value, Braced) else (value,)
    if not items:
        raise KnobValueError(f"no channels in {where}")
    if isinstance(value, Braced) and _is_word(items[0]):
        # One animation without the list around it, {curve x1 0 x10 1}: how a
        # single-channel knob's value may be given.
        return [animation(value, where)]
    result: List[Channel] = []
    for item in items:
        if isinstance(item, Braced):
            result.append(animation(item, where))
        else:
            result.append(_number(item, where))
    return result


def _is_word(value: Value) -> bool:
    """A bare word that is not a number: an expression or ``curve``."""
    if not isinstance(value, Bare):
        return False
    try:
        float(value.text)
    except ValueError:
        return True
    return False


# --------------------------------------------------------------------------
# Writing


def format_number(value: float) -> str:
    """Shortest text that reads back as the same double; whole numbers bare.

    >>> format_number(2.0), format_number(0.5849625007211562), format_number(-0.0)
    ('2', '0.5849625007211562', '0')
    """
    if not math.isfinite(value):
        raise KnobValueError(f"cannot write {value!r} into a knob")
    if value == int(value) and abs(value) < 1e16:
        return str(int(value))
    return repr(float(value))


_SAFE_EXPRESSION = re.compile(r'[^ \t\n\r\f\v{}"\\\[\]$;]+\Z')


def quote_word(text: str) -> str:
    """Text as one TCL word: bare when it can be, else quoted and escaped.

    >>> quote_word("stops"), quote_word("Exposure in stops: +1 [x2]")
    ('stops', '"Exposure in stops: +1 \\\\[x2\\\\]"')
    """
    if _SAFE_EXPRESSION.match(text) and text not in ("i", "I"):
        return text
    escaped = re.sub(r'(["\\\[\]{}$])', r"\\\1", text).replace("\n", "\\n")
    return f'"{escaped}"'


def format_animation(anim: Animation) -> str:
    """An animation as Nuke writes it: ``{curve x1 0.5 x10 2}``.

    >>> format_animation(Animation("pow(2, stops)"))
    '{"pow(2, stops)"}'
    """
    words = [quote_word(anim.expression)]
    if anim.flag:
        words.append(anim.flag)
    interpolation: Optional[str] = None
    for key in anim.keys:
        if key.interpolation is not None and key.interpolation != interpolation:
            words.append(key.interpolation)
            interpolation = key.interpolation
        if key.extrapolation is not None:
            words.append(key.extrapolation)
        words.append("x" + format_number(key.frame))
        words.append(format_number(key.value))
        words.extend(letter + format_number(amount) for letter, amount in key.tangents)
    return "{" + " ".join(words) + "}"


def format_channels(values: Sequence[Channel]) -> str:
    """A colour or array knob's value as a .nk line holds it.

    >>> format_channels([1.5]), format_channels([1.5, 1.2, 1, 1])
    ('1.5', '{1.5 1.2 1 1}')
    >>> format_channels([Animation("curve", (Key(1, 2.0),))])
    '{{curve x1 2}}'
    """
    items = format_items(values)
    if len(values) == 1 and not isinstance(values[0], Animation):
        return items
    return "{" + items + "}"


def format_items(values: Sequence[Channel]) -> str:
    """The same value without the outer braces: what Nuke's
    ``Knob.toScript()`` gives and ``Knob.fromScript()`` takes.

    >>> format_items([1.5, 1.2, 1, 1])
    '1.5 1.2 1 1'
    >>> format_items([Animation("curve", (Key(1, 0.5), Key(10, 2.0))), 1.2, 1, 1])
    '{curve x1 0.5 x10 2} 1.2 1 1'
    """
    if not values:
        raise KnobValueError("a knob needs at least one channel")
    return " ".join(
        format_animation(v) if isinstance(v, Animation) else format_number(v) for v in values
    )


def same_channels(
    got: Sequence[Channel], wanted: Sequence[Channel], count: int, rel: float = 1e-9
) -> bool:
    """True when two values of a ``count``-channel knob agree, numbers to
    ``rel`` (Nuke writes about 10 significant digits): for confirming that
    a knob holds what was written.

    >>> same_channels([0.5849625007], [0.5849625007211562], 1)
    True
    >>> same_channels([2.0], [2.0, 2.0, 2.0, 1.0], 4)
    False
    """

    def close(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)

    def expand(values: Sequence[Channel]) -> Optional[List[Channel]]:
        if len(values) == 1:
            return list(values) * count
        return list(values) if len(values) == count else None

    left, right = expand(got), expand(wanted)
    if left is None or right is None:
        return False
    for a, b in zip(left, right):
        if isinstance(a, Animation) != isinstance(b, Animation):
            return False
        if isinstance(a, Animation) and isinstance(b, Animation):
            if a.expression != b.expression or len(a.keys) != len(b.keys):
                return False
            if not all(
                close(k.frame, j.frame) and close(k.value, j.value) for k, j in zip(a.keys, b.keys)
            ):
                return False
        elif not close(a, b):  # type: ignore[arg-type]
            return False
    return True
