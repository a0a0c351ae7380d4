"""Knobs and animation curves, as Foundry documents them.

Values are stored as doubles; ``toScript`` writes them the way Nuke saves
scripts (about 10 significant digits, unbraced, every channel). Each change
is recorded for undo first, then knobChanged runs if Nuke would run it.
"""

from __future__ import annotations

import math
from typing import Any, List, Optional, Sequence, Union

from . import _curves, _expressions
from ._state import SESSION
from ._text import (
    KeyData,
    ScriptSyntaxError,
    format_animation,
    format_number,
    is_number,
    parse_animation,
    parse_number,
    quote_word,
    split_words,
    word_content,
)

# Interpolation and extrapolation constants. Their values are not
# documented; the stand-in's are its own.
SMOOTH = 0
CONSTANT = 1
LINEAR = 2
CATMULL_ROM = 3
CUBIC = 4
HORIZONTAL = 5
USER_SET_SLOPE = 0x10
BREAK = 0x20
_LETTERS = {SMOOTH: "S", CONSTANT: "K", LINEAR: "L", CATMULL_ROM: "R", CUBIC: "C", HORIZONTAL: "S"}
_FROM_LETTER = {"S": SMOOTH, "K": CONSTANT, "L": LINEAR, "R": CATMULL_ROM, "C": CUBIC}

INVISIBLE = 0x400
DISABLED = 0x80
READ_ONLY = 0x10000000
STARTLINE = 0x1000
ENDLINE = 0x2000
NO_ANIMATION = 0x100
_FLAG_WORDS = {
    "INVISIBLE": INVISIBLE,
    "DISABLED": DISABLED,
    "READ_ONLY": READ_ONLY,
    "STARTLINE": STARTLINE,
    "ENDLINE": ENDLINE,
    "NO_ANIMATION": NO_ANIMATION,
}


def number(value: Any, what: str) -> float:
    """Nuke's Python API takes ints and floats (bools are ints in C too)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}")
    if not math.isfinite(value):
        # Docs silent: Nuke stores a double; the stand-in refuses non-finite
        # values so that a product writing one fails loudly.
        raise ValueError(f"{what} must be finite, got {value!r}")
    return float(value)


def fire_knob_changed(knob: Knob) -> None:
    from ._callbacks import knob_changed

    knob_changed(knob)


class AnimationKey:
    """A key: x, y, slopes, bicubic handles, interpolation, extrapolation."""

    def __init__(self, x: float, y: float) -> None:
        self.x = float(x)
        self.y = float(y)
        self.lslope = 0.0
        self.rslope = 0.0
        self.la = 1.0
        self.ra = 1.0
        self.interpolation = SMOOTH
        self.extrapolation = CONSTANT
        self.selected = False

    def _data(self) -> KeyData:
        user = bool(self.interpolation & USER_SET_SLOPE)
        letter = _LETTERS.get(self.interpolation & ~USER_SET_SLOPE & ~BREAK, "S")
        extrapolation = "l" if self.extrapolation == LINEAR else ""
        ls = self.lslope if user else None
        rs = self.rslope if user else None
        return (self.x, self.y, letter, extrapolation, ls, rs, self.la, self.ra)


class AnimationCurve:
    """A channel's animation: an expression (``curve`` for keys alone) and keys."""

    def __init__(self, knob: Array_Knob, index: int) -> None:
        self._knob = knob
        self._index = index
        self._expression = "curve"
        self._flag = ""
        self._keys: List[AnimationKey] = []

    def keys(self) -> List[AnimationKey]:
        return list(self._keys)

    def size(self) -> int:
        return len(self._keys)

    def expression(self) -> str:
        return self._expression

    def setExpression(self, expression: str) -> None:
        if not isinstance(expression, str):
            raise TypeError("expression must be a str")
        self._knob._mutate(lambda: setattr(self, "_expression", expression))

    def noExpression(self) -> bool:
        return self._expression == "curve"

    def setKey(self, t: float, y: float) -> AnimationKey:
        x, value = number(t, "time"), number(y, "value")
        found: List[AnimationKey] = []

        def change() -> None:
            for key in self._keys:
                if key.x == x:
                    key.y = value
                    found.append(key)
                    return
            key = AnimationKey(x, value)
            self._keys.append(key)
            self._keys.sort(key=lambda k: k.x)
            found.append(key)

        self._knob._mutate(change)
        return found[0]

    def clear(self) -> None:
        self._knob._mutate(lambda: setattr(self, "_keys", []))

    def knob(self) -> Array_Knob:
        return self._knob

    def constant(self) -> bool:
        return len({k.y for k in self._keys}) <= 1

    def evaluate(self, t: float) -> float:
        """The keys' curve at time t (the expression is not applied)."""
        return _curves.evaluate([k._data() for k in self._keys], float(t))

    def toScript(self, selected: bool = False) -> str:
        return format_animation(self._expression, self._flag, [k._data() for k in self._keys])[1:-1]

    def _load(self, expression: str, flag: str, keys: Sequence[KeyData]) -> None:
        self._expression, self._flag = expression, flag
        self._keys = []
        for x, y, letter, extrapolation, ls, rs, la, ra in keys:
            key = AnimationKey(x, y)
            key.interpolation = _FROM_LETTER[letter]
            key.extrapolation = LINEAR if extrapolation == "l" else CONSTANT
            if ls is not None or rs is not None:
                key.interpolation |= USER_SET_SLOPE
                key.lslope = ls if ls is not None else rs  # type: ignore[assignment]
                key.rslope = rs if rs is not None else ls  # type: ignore[assignment]
            key.la, key.ra = la, ra
            self._keys.append(key)
        self._keys.sort(key=lambda k: k.x)


class Knob:
    def __init__(self, name: str, label: Optional[str] = None, *args: Any) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError("a knob needs a name (str)")
        self._name = name
        self._label = label if label is not None else name
        self._node: Any = None
        self._flags = 0
        self._tooltip = ""
        self._visible = True

    def name(self) -> str:
        return self._name

    def label(self) -> str:
        return self._label

    def setLabel(self, label: str) -> None:
        if not isinstance(label, str):
            raise TypeError("setLabel takes a str")
        self._label = label

    def tooltip(self) -> str:
        return self._tooltip

    def setTooltip(self, tooltip: str) -> None:
        if not isinstance(tooltip, str):
            raise TypeError("setTooltip takes a str")
        self._tooltip = tooltip

    def node(self) -> Any:
        if self._node is None:
            raise ValueError(f"knob {self._name} is not on a node")  # docs silent
        return self._node

    def Class(self) -> str:
        return type(self).__name__

    def setFlag(self, flag: int) -> None:
        self._flags |= flag

    def clearFlag(self, flag: int) -> None:
        self._flags &= ~flag

    def getFlag(self, flag: int) -> bool:
        return bool(self._flags & flag)

    def visible(self) -> bool:
        return self._visible and not self._flags & INVISIBLE

    def _mutate(self, change: Any) -> None:
        """Change, then run knobChanged as Nuke would (undo groups snapshot
        the whole script when they open)."""
        change()
        if self._node is not None:
            fire_knob_changed(self)

    def toScript(self, quote: bool = False, context: Any = None) -> str:
        return "{}" if quote else ""  # docs silent for knobs without a value (tabs)

    def fromScript(self, script: str) -> None:
        return None


class Tab_Knob(Knob):
    pass


class String_Knob(Knob):
    def __init__(self, name: str, label: Optional[str] = None, text: str = "") -> None:
        super().__init__(name, label)
        self._text = text

    def value(self, oc: Any = None) -> str:
        return self._text

    def setValue(self, val: str, view: Any = None) -> None:
        if not isinstance(val, str):
            raise TypeError(f"{type(self).__name__}.setValue takes a str")
        self._mutate(lambda: setattr(self, "_text", val))

    def toScript(self, quote: bool = False, context: Any = None) -> str:
        return quote_word(self._text) if quote else self._text

    def fromScript(self, script: str) -> bool:  # type: ignore[override]
        self._mutate(lambda: setattr(self, "_text", script))
        return True


class EvalString_Knob(String_Knob):
    pass


class Text_Knob(Knob):
    def __init__(self, name: str, label: Optional[str] = None, text: str = "") -> None:
        super().__init__(name, label)
        self._text = text

    def value(self) -> str:
        return self._text

    def setValue(self, val: str) -> None:
        if not isinstance(val, str):
            raise TypeError("Text_Knob.setValue takes a str")
        self._mutate(lambda: setattr(self, "_text", val))


class Link_Knob(Knob):
    """A link to another knob (``addUserKnob {41 name T Node.knob}``); the
    stand-in keeps its target only."""

    def __init__(self, name: str, label: Optional[str] = None, target: str = "") -> None:
        super().__init__(name, label)
        self._target = target

    def setLink(self, target: str) -> None:
        self._target = target


class _ScriptKnob(Knob):
    """A knob the stand-in has no model for (xpos, label, file...): its text."""

    def __init__(self, name: str, text: str = "") -> None:
        super().__init__(name)
        self._text = text

    def toScript(self, quote: bool = False, context: Any = None) -> str:
        return "{" + self._text + "}" if quote else self._text

    def fromScript(self, script: str) -> bool:  # type: ignore[override]
        self._mutate(lambda: setattr(self, "_text", script))
        return True

    def value(self) -> str:
        return self._text


class Enumeration_Knob(Knob):
    def __init__(self, name: str, label: Optional[str] = None, values: Any = ()) -> None:
        super().__init__(name, label)
        self._values = [str(v) for v in values]
        self._index = 0

    def value(self) -> str:
        return self._values[self._index] if self._values else ""

    def values(self) -> List[str]:
        return list(self._values)

    def setValue(self, value: Any) -> bool:
        if isinstance(value, int) and not isinstance(value, bool):
            index = value
        elif value in self._values:
            index = self._values.index(value)
        else:
            raise ValueError(f"{value!r} is not one of {self._values}")
        self._mutate(lambda: setattr(self, "_index", index))
        return True

    def toScript(self, quote: bool = False, context: Any = None) -> str:
        return quote_word(self.value())

    def fromScript(self, script: str) -> bool:  # type: ignore[override]
        text = word_content(script.strip())
        if text not in self._values:
            return False
        self.setValue(text)
        return True


Channel = Union[float, AnimationCurve]
CHANNEL_INDEX = {
    "r": 0,
    "g": 1,
    "b": 2,
    "a": 3,
    "x": 0,
    "y": 1,
    "z": 2,
    "w": 3,
    "red": 0,
    "green": 1,
    "blue": 2,
    "alpha": 3,
}


class Array_Knob(Knob):
    """A knob with channels: each a number or an animation."""

    _size = 1
    _default = 0.0

    def __init__(self, name: str, label: Optional[str] = None, *args: Any) -> None:
        super().__init__(name, label)
        self._channels: List[Channel] = [self._default] * self._size
        self._shared = True  # one value or animation stands for every channel
        self._range = (0.0, 1.0)

    # -- channels ------------------------------------------------------------

    def _check(self, index: Any) -> int:
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"channel index must be an int, not {type(index).__name__}")
        if not 0 <= index < self._size:
            raise IndexError(f"{self._name} has {self._size} channels, no channel {index}")
        return index

    def _indices(self, index: int) -> List[int]:
        return list(range(self._size)) if index == -1 else [self._check(index)]

    def arraySize(self) -> int:
        return self._size

    def setRange(self, low: float, high: float) -> None:
        self._range = (number(low, "range"), number(high, "range"))

    def min(self) -> float:
        return self._range[0]

    def max(self) -> float:
        return self._range[1]

    # -- reading ---------------------------------------------------------------

    def value(self, index: Optional[int] = None) -> Any:
        """Docs: the value at the current frame; one number when every
        channel agrees and no index is given, else a list."""
        if index is not None:
            return self.getValueAt(SESSION.frame, index)
        values = [self.getValueAt(SESSION.frame, i) for i in range(self._size)]
        return values[0] if len(set(values)) == 1 else values

    def getValue(self, index: Optional[int] = None) -> Any:
        return self.value(index)

    def getValueAt(self, time: float, index: int = 0, view: Any = None) -> float:
        channel = self._channels[self._check(index)]
        if not isinstance(channel, AnimationCurve):
            return channel
        return _evaluate_channel(self, index, channel, number(time, "time"), 0)

    def isAnimated(self, channel: int = -1) -> bool:
        """Docs: True for keys and for expressions; -1: any channel."""
        return any(isinstance(self._channels[i], AnimationCurve) for i in self._indices(channel))

    def hasExpression(self, index: int = -1) -> bool:
        return any(
            isinstance(c, AnimationCurve) and not c.noExpression()
            for c in (self._channels[i] for i in self._indices(index))
        )

    def animation(self, chan: int) -> Optional[AnimationCurve]:
        channel = self._channels[self._check(chan)]
        return channel if isinstance(channel, AnimationCurve) else None

    def animations(self) -> List[AnimationCurve]:
        return [c for c in self._channels if isinstance(c, AnimationCurve)]

    # -- writing ---------------------------------------------------------------

    def setValue(self, value: Any, index: int = -1) -> bool:
        """Docs: sets channel ``index`` (-1: every channel); on an animated
        channel it sets a key at the current frame."""
        if isinstance(value, (list, tuple)):
            if len(value) != self._size:
                raise ValueError(f"{self._name} takes {self._size} values, got {len(value)}")
            numbers = [number(v, "value") for v in value]

            def change_all() -> None:
                for i, v in enumerate(numbers):
                    self._set(i, v)
                self._shared = False

            self._mutate(change_all)
            return True
        figure = number(value, "value")
        indices = self._indices(index)

        def change() -> None:
            for i in indices:
                self._set(i, figure)
            if index != -1:
                self._shared = False

        self._mutate(change)
        return True

    def _set(self, index: int, value: float) -> None:
        channel = self._channels[index]
        if isinstance(channel, AnimationCurve) and channel.noExpression() and channel._keys:
            channel.setKey(SESSION.frame, value)
        else:
            self._channels[index] = value

    def setValueAt(self, value: Any, time: float, index: int = -1, view: Any = None) -> bool:
        figure, when = number(value, "value"), number(time, "time")
        for i in self._indices(index):
            self.setAnimated(i)
            curve = self._channels[i]
            assert isinstance(curve, AnimationCurve)
            curve.setKey(when, figure)
        return True

    def setAnimated(self, channel: int = -1, view: Any = None) -> bool:
        def change() -> None:
            for i in self._indices(channel):
                if not isinstance(self._channels[i], AnimationCurve):
                    self._channels[i] = AnimationCurve(self, i)
            if channel != -1:
                self._shared = False

        self._mutate(change)
        return True

    def setExpression(self, expression: str, channel: int = -1, view: Any = None) -> bool:
        if not isinstance(expression, str) or not expression:
            raise TypeError("setExpression takes a non-empty str")

        def change() -> None:
            for i in self._indices(channel):
                curve = AnimationCurve(self, i)
                curve._expression = expression
                self._channels[i] = curve
            self._shared = channel == -1 and self._size > 1

        self._mutate(change)
        return True

    # -- script text -----------------------------------------------------------

    def toScript(self, quote: bool = False, context: Any = None) -> str:
        """The value the way a saved script holds it, without the outer braces."""
        items = [
            "{" + c.toScript() + "}" if isinstance(c, AnimationCurve) else format_number(c)
            for c in self._channels
        ]
        animated = any(isinstance(c, AnimationCurve) for c in self._channels)
        # Docs silent: equal constants are written once; an animation is
        # written once only when it was set for the whole knob, otherwise
        # every channel is written, identical or not (as in saved scripts).
        if (not animated and len(set(items)) == 1) or (animated and self._shared):
            items = items[:1]
        text = " ".join(items)
        return "{" + text + "}" if quote else text

    def fromScript(self, script: str) -> bool:  # type: ignore[override]
        """Docs (Array_Knob): "True if successful, False otherwise" (no
        exception). Takes what toScript gives: one item for every channel, or
        one per channel; an item is a number or ``{expression keys...}``."""
        if not isinstance(script, str):
            raise TypeError("fromScript takes a str")
        try:
            words = split_words(script)
            parsed = [self._item(word) for word in words]
        except ScriptSyntaxError:
            return False
        if len(parsed) not in (1, self._size):
            return False  # docs silent on other counts: refused here

        def change() -> None:
            self._shared = len(parsed) == 1
            for i in range(self._size):
                item = parsed[0] if len(parsed) == 1 else parsed[i]
                if isinstance(item, float):
                    self._channels[i] = item
                else:
                    curve = AnimationCurve(self, i)
                    curve._load(*item)
                    self._channels[i] = curve

        self._mutate(change)
        return True

    @staticmethod
    def _item(word: str) -> Any:
        if word.startswith("{"):
            inner = word[1:-1]
            parts = split_words(inner)
            if not parts or is_number(parts[0]) or parts[0].startswith("{"):
                # A braced list of numbers is a .nk line's form, not toScript's:
                # docs silent, refused here.
                raise ScriptSyntaxError(f"not an animation: {word[:40]!r}")
            return parse_animation(inner)
        if word.startswith('"'):
            raise ScriptSyntaxError(f"not a number: {word[:40]!r}")
        return parse_number(word)


class Double_Knob(Array_Knob):
    pass


class Int_Knob(Array_Knob):
    pass


class XY_Knob(Array_Knob):
    _size = 2


class XYZ_Knob(Array_Knob):
    _size = 3


class Boolean_Knob(Array_Knob):
    def value(self, index: Optional[int] = None) -> bool:  # type: ignore[override]
        return bool(self._channels[0])

    def setValue(self, value: Any, index: int = -1) -> bool:
        if not isinstance(value, (bool, int)):
            raise TypeError("Boolean_Knob.setValue takes a bool")
        self._mutate(lambda: self._channels.__setitem__(0, float(bool(value))))
        return True

    def toScript(self, quote: bool = False, context: Any = None) -> str:
        return "true" if self._channels[0] else "false"

    def fromScript(self, script: str) -> bool:  # type: ignore[override]
        text = script.strip()
        if text in ("true", "1"):
            self.setValue(True)
        elif text in ("false", "0"):
            self.setValue(False)
        else:
            return False
        return True


class Color_Knob(Array_Knob):
    _size = 3


class AColor_Knob(Color_Knob):
    _size = 4


def _evaluate_channel(
    knob: Array_Knob, index: int, curve: AnimationCurve, t: float, depth: int
) -> float:
    if curve.noExpression():
        return curve.evaluate(t)
    if depth > 32:
        raise _expressions.ExpressionError(f"expressions refer to each other: {curve.expression()}")

    def resolve(name: str) -> float:
        if name in ("frame", "t", "x"):
            return t
        if name == "curve":
            return curve.evaluate(t)
        return _reference(knob, index, name, t, depth)

    return _expressions.evaluate(curve.expression(), resolve)


def _reference(knob: Array_Knob, index: int, name: str, t: float, depth: int) -> float:
    """A knob reference in an expression: ``stops``, ``stops.r``,
    ``parent.stops``, ``Node.knob.g``."""
    node = knob._node
    if node is None:
        raise _expressions.ExpressionError(f"{name}: the knob is on no node")
    parts = name.split(".")
    if parts[0] == "parent":
        node, parts = node.parent(), parts[1:]
    elif parts[0] not in node._knobs and node.parent() is not None:
        sibling = node.parent().node(parts[0])
        if sibling is not None and len(parts) > 1:
            node, parts = sibling, parts[1:]
    target = node._knobs.get(parts[0]) if node is not None else None
    if target is None:
        raise _expressions.ExpressionError(f"unknown knob {name!r}")
    if isinstance(target, Boolean_Knob):
        return float(bool(target._channels[0]))
    if isinstance(target, Enumeration_Knob):
        return float(target._index)
    if not isinstance(target, Array_Knob):
        raise _expressions.ExpressionError(f"{name!r} is not a number knob")
    if len(parts) > 2:
        raise _expressions.ExpressionError(f"cannot read {name!r}")
    if len(parts) == 2:
        channel = CHANNEL_INDEX.get(parts[1])
        if channel is None and parts[1].isdigit():
            channel = int(parts[1])
        if channel is None or channel >= target._size:
            raise _expressions.ExpressionError(f"no channel {parts[1]!r} in {name!r}")
    else:
        channel = index if index < target._size else 0
    value = target._channels[channel]
    if isinstance(value, AnimationCurve):
        return _evaluate_channel(target, channel, value, t, depth + 1)
    return value
