"""How a Nuke script's text splits into words, knobs and node heads.

TCL-like text, ASCII white space only (a non-breaking space is part of a
word), knob values bare, "quoted" or {braced} to any depth Nuke writes.
Shared by the reader (:mod:`.parser`) and the model (:mod:`.script`, which
splits a node's body into knobs only when they are first asked for).
"""

from __future__ import annotations

import re
from typing import List, Optional, Tuple, Union

__all__ = [
    "BARE",
    "BARE_IN_BODY",
    "BRACE_OR_ESCAPE",
    "BRACKET_OR_ESCAPE",
    "INDENT",
    "NODE_HEAD",
    "QUOTED",
    "SPACE",
    "SPACE_NL",
    "WS",
    "Knob",
    "Knobs",
    "NkSyntaxError",
    "make_knobs",
    "match_end",
    "split_knobs",
]


# TCL's white space, ASCII only: a non-breaking space is part of a word.
WS = " \t\n\r\f\v"
SPACE = re.compile(r"[ \t\r\f\v]*")  # within a line
SPACE_NL = re.compile(f"[{WS}]*")
BRACE_OR_ESCAPE = re.compile(r"[{}\\]")
BRACKET_OR_ESCAPE = re.compile(r"[\[\]\\]")
# Regular expressions are written as "unrolled loops" in which every choice is
# decided by the next character, so a failed match costs linear time and can
# never backtrack exponentially (random input must not hang the reader).
_QUOTED_WORD = r'"[^"\\]*(?:\\.[^"\\]*)*"'
QUOTED = re.compile(_QUOTED_WORD, re.DOTALL)
BARE = re.compile(f"[^{WS}\\[\\\\]*(?:\\\\.[^{WS}\\[\\\\]*)*", re.DOTALL)  # braces literal
BARE_IN_BODY = re.compile(f"[^{WS}\\[\\\\}}]*(?:\\\\.[^{WS}\\[\\\\}}]*)*", re.DOTALL)
NODE_HEAD = re.compile(r"(?:clone[ \t]+([^ \t\n\r\f\v]+)|([A-Za-z_][A-Za-z0-9_.]*))[ \t]+\{")
_PLAIN = r"[^{}\\]*(?:\\.[^{}\\]*)*"  # text with no unescaped brace
_BRACED = r"\{" + _PLAIN + r"\}"
for _level in range(16):  # {...} nested up to 17 levels deep (roto shapes are deep)
    _BRACED = r"\{" + _PLAIN + r"(?:" + _BRACED + _PLAIN + r")*\}"
# Knobs of a body, all in one findall: each item is one knob as written
# (space, name, space, value) when its name is a plain word and its value is
# bare, quoted or braced. Where no knob matches, the second branch takes all
# that is left, so findall stops there; anything but white space left over
# sends the body down the general path. No groups: findall then returns
# plain strings, which the garbage collector never has to visit.
_KNOB = (
    f'[{WS}]*[^{WS}{{}}"\\[\\\\]+[{WS}]+'
    f'(?:[^{WS}{{}}"\\[\\\\]+|{_QUOTED_WORD}|{_BRACED})(?=[{WS}]|\\Z)'
)
_KNOBS = re.compile(_KNOB + r"|[\s\S]+", re.DOTALL)
_KNOB_PARTS = re.compile(f"([{WS}]*)([^{WS}]+)([{WS}]+)", re.DOTALL)
INDENT = re.compile(r"[ \t]*")


def match_end(pattern: re.Pattern[str], text: str, position: int) -> int:
    """Where a pattern that can match nothing ends its match at ``position``
    (such a pattern always matches)."""
    found = pattern.match(text, position)
    assert found is not None
    return found.end()


class NkSyntaxError(ValueError):
    """A script that cannot be read: names the file, line and column.

    >>> from nuke_plugin.nkfile.parser import parse
    >>> parse("Grade {\\n name Grade1\\n", filename="comp.nk")
    Traceback (most recent call last):
    ...
    nuke_plugin.nkfile.tokens.NkSyntaxError: comp.nk:1:7: unclosed '{' (no matching '}')
    """

    def __init__(self, filename: str, line: int, column: int, reason: str) -> None:
        super().__init__(f"{filename}:{line}:{column}: {reason}")
        self.filename = filename
        self.line = line
        self.column = column
        self.reason = reason


class Knob:
    """One ``name value`` pair in a node's body."""

    __slots__ = ("name", "start", "end", "text")

    def __init__(self, name: str, start: int, end: int, text: str) -> None:
        self.name = name
        #: where the value stands in the original text (start == end: added)
        self.start = start
        self.end = end
        #: the value as written, braces and quotes included
        self.text = text

    def __repr__(self) -> str:
        return f"Knob({self.name!r}, {self.text[:40]!r})"


Pending = List[str]  # each knob as written: space, name, space, value
Knobs = Union[List[Knob], Tuple[str, int, int]]  # made, or the body's text span


def split_knobs(text: str, start: int, end: int) -> Optional[Pending]:
    """The knobs between ``start`` and ``end`` in one regex pass, or None when
    that pass cannot read them all (the caller then goes the general way,
    which reports what is wrong)."""
    items: Pending = _KNOBS.findall(text, start, end)
    if items and not _KNOBS_FULL.match(items[-1]):
        if items[-1].strip(WS):
            return None  # something that is not a plain knob
        items.pop()  # only white space before the closing brace
    return items


_KNOBS_FULL = re.compile(_KNOB + r"\Z", re.DOTALL)


def make_knobs(start: int, items: Pending) -> List[Knob]:
    knobs = []
    position = start
    for item in items:
        end = position + len(item)
        if item.isascii():  # O(1) in CPython; then str.split's white space is TCL's
            name, value = item.split(None, 1)
        else:  # a non-ASCII space (U+00A0...) belongs to the word: split by the regex
            lead = _KNOB_PARTS.match(item)
            assert lead is not None  # every item matched _KNOB
            name, value = lead.group(2), item[lead.end() :]
        knobs.append(Knob(name, end - len(value), end, value))
        position = end
    return knobs
