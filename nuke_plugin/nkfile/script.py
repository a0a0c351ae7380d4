"""A lossless reader and writer for Nuke scripts (.nk) and gizmos (.gizmo).

A script is TCL-like text: one command per line (``version 14.0 v6``,
``set N1 [stack 0]``, ``push $N1``, ``end_group``), nodes written as
``Class {knob value ...}`` whose children follow a ``Group``/``Gizmo`` until
``end_group``, and knob values that are bare words, "quoted strings" or
{braced lists} spanning lines.

The parser indexes the original text instead of rebuilding it: every
statement, node and knob records where it stands, and an edit replaces only
the characters of what it changes. So an unmodified script writes back byte
for byte, and a diff of an edited one shows exactly the edit. Knob values are
read by :mod:`nuke_plugin.nkfile.values` when asked for.

Nothing found in a script is ever executed: ``[python ...]`` and TCL are
data here.

>>> script = parse("Grade {\\n multiply 2\\n name Grade1\\n}\\n")
>>> grade = script.find("Grade1")
>>> grade.knob_text("multiply")
'2'
>>> grade.set_knob_text("multiply", "{1.5 1.2 1 1}")
>>> script.to_text()
'Grade {\\n multiply {1.5 1.2 1 1}\\n name Grade1\\n}\\n'
"""

from __future__ import annotations

import gc
import re
from enum import Enum
from typing import Dict, Iterator, List, Optional, Sequence, Tuple, Union

from ..registry import GROUP_CLASSES
from .values import KnobValueError, user_knob_name, word_text

__all__ = [
    "Knob",
    "NkSyntaxError",
    "Node",
    "Script",
    "Statement",
    "StatementKind",
    "parse",
]


# TCL's white space, ASCII only: a non-breaking space is part of a word.
_WS = " \t\n\r\f\v"
_SPACE = re.compile(r"[ \t\r\f\v]*")  # within a line
_SPACE_NL = re.compile(f"[{_WS}]*")
_BRACE_OR_ESCAPE = re.compile(r"[{}\\]")
_BRACKET_OR_ESCAPE = re.compile(r"[\[\]\\]")
# Regular expressions are written as "unrolled loops" in which every choice is
# decided by the next character, so a failed match costs linear time and can
# never backtrack exponentially (random input must not hang the reader).
_QUOTED_WORD = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_QUOTED = re.compile(_QUOTED_WORD, re.DOTALL)
_BARE = re.compile(f"[^{_WS}\\[\\\\]*(?:\\\\.[^{_WS}\\[\\\\]*)*", re.DOTALL)  # braces literal
_BARE_IN_BODY = re.compile(f"[^{_WS}\\[\\\\}}]*(?:\\\\.[^{_WS}\\[\\\\}}]*)*", re.DOTALL)
_NODE_HEAD = re.compile(r"(?:clone[ \t]+([^ \t\n\r\f\v]+)|([A-Za-z_][A-Za-z0-9_.]*))[ \t]+\{")
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
    f'[{_WS}]*[^{_WS}{{}}"\\[\\\\]+[{_WS}]+'
    f'(?:[^{_WS}{{}}"\\[\\\\]+|{_QUOTED_WORD}|{_BRACED})(?=[{_WS}]|\\Z)'
)
_KNOBS = re.compile(_KNOB + r"|[\s\S]+", re.DOTALL)
_KNOB_PARTS = re.compile(f"([{_WS}]*)([^{_WS}]+)([{_WS}]+)", re.DOTALL)
_INDENT = re.compile(r"[ \t]*")


def _end(pattern: re.Pattern[str], text: str, position: int) -> int:
    """Where a pattern that can match nothing ends its match at ``position``
    (such a pattern always matches)."""
    found = pattern.match(text, position)
    assert found is not None
    return found.end()


class NkSyntaxError(ValueError):
    """A script that cannot be read: names the file, line and column.

    >>> parse("Grade {\\n name Grade1\\n", filename="comp.nk")
    Traceback (most recent call last):
    ...
    nuke_plugin.nkfile.script.NkSyntaxError: comp.nk:1:7: unclosed '{' (no matching '}')
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


class Node:
    """A node: its class, knobs, group and place in the file."""

    __slots__ = (
        "node_class",
        "_knobs",
        "parent",
        "children",
        "clone_of",
        "_indent",
        "_body_start",
        "_added",
        "_by_name",
        "edited",
    )

    def __init__(
        self,
        node_class: str,
        knobs: _Knobs,
        parent: Optional[Node],
        indent: str,
        body_start: int,
        clone_of: Optional[Node] = None,
    ) -> None:
        self.node_class = node_class
        self._knobs = knobs
        self.parent = parent
        # a list for groups (the parser appends to it); nothing for other nodes
        self.children: Sequence[Node] = [] if node_class in GROUP_CLASSES else ()
        self.clone_of = clone_of
        self._indent = indent  # indentation of the node's own line
        self._body_start = body_start  # index just after the opening brace
        # Knobs an edit added, in order; a tuple (most nodes never get one,
        # and an empty list a node would cost 6 MB on a 100 MB script).
        self._added: Tuple[Knob, ...] = ()
        self._by_name: Optional[Dict[str, Knob]] = None
        self.edited = False

    def __repr__(self) -> str:
        return f"Node({self.node_class!r}, {self.path!r})"

    # -- names ---------------------------------------------------------------

    @property
    def name(self) -> str:
        """The node's name (its class, for nodes that carry none; as written,
        for a name that is not one word)."""
        text = self.knob_text("name")
        if text is None:
            return self.node_class
        try:
            return word_text(text)
        except KnobValueError:
            return text

    @property
    def path(self) -> str:
        """Full name through groups, as Nuke writes it: ``Group1.Grade1``.

        Built without recursion: Nuke allows groups nested to any depth."""
        names = []
        node: Optional[Node] = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return ".".join(reversed(names))

    @property
    def is_group(self) -> bool:
        return self.node_class in GROUP_CLASSES

    # -- knobs ---------------------------------------------------------------

    @property
    def knobs(self) -> List[Knob]:
        """The node's knobs in file order (Knob objects are made on first use)."""
        if not isinstance(self._knobs, list):
            text, start, end = self._knobs
            items = _split_knobs(text, start, end)
            assert items is not None  # the parser read this body with the same pattern
            self._knobs = _make_knobs(start, items)
        return self._knobs

    def _index(self) -> Dict[str, Knob]:
        if self._by_name is None:
            # The last definition wins, as when Nuke reads the file.
            self._by_name = {k.name: k for k in self.knobs}
        return self._by_name

    def knob(self, name: str) -> Optional[Knob]:
        return self._index().get(name)

    def knob_text(self, name: str) -> Optional[str]:
        """The value of knob ``name`` as written, or None when not in the file."""
        found = self._index().get(name)
        return found.text if found is not None else None

    def user_knob_names(self) -> List[str]:
        """Names of the knobs this node defines with ``addUserKnob`` (an
        entry that is not ``{type name ...}`` names no knob and is skipped)."""
        names = []
        for knob in self.knobs:
            if knob.name == "addUserKnob":
                try:
                    names.append(user_knob_name(knob.text))
                except KnobValueError:
                    continue
        return names

    def set_knob_text(self, name: str, text: str) -> None:
        """Set a knob's value text; a knob not in the file is added to it.

        Built-in knobs are added before ``name`` (where Nuke writes them);
        user knobs need their ``addUserKnob`` first: see :meth:`add_knob_lines`.
        """
        self.edited = True
        found = self.knob(name)
        if found is not None:
            found.text = text
            return
        knob = Knob(name, -1, -1, text)
        self._insert(knob, before="name")

    def add_knob_lines(self, pairs: List[Tuple[str, str]]) -> None:
        """Append ``name value`` lines at the end of the body (user knobs)."""
        self.edited = True
        for name, text in pairs:
            self._insert(Knob(name, -1, -1, text), before=None)

    def _insert(self, knob: Knob, before: Optional[str]) -> None:
        anchor = self.knob(before) if before is not None else None
        position = len(self.knobs)
        if anchor is not None:
            position = self.knobs.index(anchor)
        self.knobs.insert(position, knob)
        self._added += (knob,)
        self._by_name = None

    def _patches(self, newline: str) -> Iterator[Tuple[int, int, str]]:
        """Text replacements for this node's edits, in the original's offsets."""
        indent = self._indent + " "
        for knob in self.knobs:
            if knob not in self._added:
                yield knob.start, knob.end, knob.text
        # Added knobs go after the original knob before them (or at the top).
        for knob in self._added:
            i = self.knobs.index(knob)
            previous = next((k for k in reversed(self.knobs[:i]) if k not in self._added), None)
            line = f"{newline}{indent}{knob.name} {knob.text}"
            if previous is None:
                yield self._body_start, self._body_start, line
            else:
                yield previous.end, previous.end, line


class StatementKind(str, Enum):
    """The top-level commands Nuke writes; the reader refuses anything else."""

    COMMENT = "comment"
    VERSION = "version"
    SET = "set"  # set N1 [stack 0]
    PUSH = "push"  # push $N1
    NODE = "node"
    CLONE = "clone"
    END_GROUP = "end_group"
    ADD_LAYER = "add_layer"
    WINDOW_LAYOUT = "window_layout"  # define_window_layout_xml

    def __str__(self) -> str:
        return self.value


class Statement:
    """A top-level command: a comment, ``set``/``push``, a node, ``end_group``..."""

    __slots__ = ("kind", "start", "end", "words", "node")

    def __init__(
        self,
        kind: StatementKind,
        start: int,
        end: int,
        words: List[str],
        node: Optional[Node] = None,
    ) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.words = words
        self.node = node

    def __repr__(self) -> str:
        return f"Statement({self.kind!r}, {' '.join(self.words)[:40]!r})"


class Script:
    """A parsed script: its statements and nodes, writable back to text."""

    def __init__(self, text: str, filename: str) -> None:
        self.text = text
        self.filename = filename
        self.statements: List[Statement] = []
        self.nodes: List[Node] = []  # every node, document order, groups included
        #: what the reader accepted as Nuke does but a person should know
        self.warnings: List[str] = []
        self.newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1 or len(text)] else "\n"

    @property
    def version(self) -> Optional[str]:
        """The ``version 14.0 v6`` line's version, when the file has one."""
        for statement in self.statements:
            if statement.kind == StatementKind.VERSION:
                return " ".join(statement.words[1:])
        return None

    def top_level(self) -> List[Node]:
        return [n for n in self.nodes if n.parent is None]

    def walk(self) -> Iterator[Node]:
        """Every node, recursing into groups, in document order."""
        return iter(self.nodes)

    def find(self, path: str) -> Optional[Node]:
        """The node with this full name (``Group1.Grade1``), or None."""
        for node in self.nodes:
            if node.path == path:
                return node
        return None

    def of_class(self, *classes: str) -> List[Node]:
        return [n for n in self.nodes if n.node_class in classes]

    def edits(self) -> List[Tuple[int, int, str]]:
        """What changed: (start, end, new text) in the original's offsets, sorted."""
        changed = [
            (start, end, text)
            for node in self.nodes
            if node.edited
            for start, end, text in node._patches(self.newline)
            if start == end or self.text[start:end] != text
        ]
        changed.sort(key=lambda p: (p[0], p[1]))
        return changed

    def chunks(self, size: int = 1 << 20) -> Iterator[str]:
        """The script's text in pieces of at most ``size`` characters of the
        original and each edit, for writing without building it whole."""
        position = 0
        for start, end, text in self.edits():
            yield from _slices(self.text, position, start, size)
            yield text
            position = end
        yield from _slices(self.text, position, len(self.text), size)

    def to_text(self) -> str:
        """The script as text: the original, with only the edits changed."""
        if not any(node.edited for node in self.nodes):
            return self.text
        return "".join(self.chunks())

    def diff(self, fromfile: str, tofile: str, context: int = 3) -> Iterator[str]:
        """A unified diff of the edits, built from them in time linear in
        the script (no line matching): what ``diff -u`` shows.

        >>> script = parse("Grade {\\n multiply 2\\n name G\\n}\\n")
        >>> script.nodes[0].set_knob_text("multiply", "4")
        >>> print("".join(script.diff("a.nk", "b.nk")), end="")
        --- a.nk
        +++ b.nk
        @@ -1,4 +1,4 @@
         Grade {
        - multiply 2
        + multiply 4
          name G
         }
        """
        return _unified_diff(self.text, self.edits(), fromfile, tofile, context)


def _slices(text: str, start: int, end: int, size: int) -> Iterator[str]:
    for position in range(start, end, size):
        yield text[position : min(position + size, end)]


def _line_span(text: str, start: int, end: int) -> Tuple[int, int]:
    """The whole lines [first line's start, last line's end) an edit touches."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return first, len(text) if last < 0 else last


def _lines_before(text: str, position: int, count: int) -> int:
    """Where the ``count`` lines before the line starting at ``position`` start."""
    for _ in range(count):
        if position == 0:
            break
        position = text.rfind("\n", 0, position - 1) + 1
    return position


def _lines_after(text: str, position: int, count: int) -> int:
    """Where the ``count`` lines after the line ending at ``position`` end."""
    for _ in range(count):
        if position + 1 >= len(text):
            break
        following = text.find("\n", position + 1)
        position = len(text) if following < 0 else following
    return position


def _diff_lines(text: str, prefix: str) -> List[str]:
    if not text:
        return []
    lines = [prefix + line + "\n" for line in text.split("\n")]
    return lines


def _unified_diff(
    text: str, edits: List[Tuple[int, int, str]], fromfile: str, tofile: str, context: int
) -> Iterator[str]:
    """Hunks of whole lines around each group of edits, with ``context``
    unchanged lines either side; neighbouring hunks merge."""
    if not edits:
        return
    # Group edits whose lines touch, then hunks whose context would overlap.
    regions: List[Tuple[int, int, List[Tuple[int, int, str]]]] = []
    for start, end, new in edits:
        first, last = _line_span(text, start, end)
        if regions and first <= regions[-1][1]:
            begin, finish, group = regions[-1]
            regions[-1] = (begin, max(last, finish), group + [(start, end, new)])
        else:
            regions.append((first, last, [(start, end, new)]))
    hunks: List[Tuple[int, int, List[Tuple[int, int, List[Tuple[int, int, str]]]]]] = []
    for first, last, group in regions:
        before, after = _lines_before(text, first, context), _lines_after(text, last, context)
        if hunks and before <= hunks[-1][1] + 1:
            hunks[-1] = (hunks[-1][0], after, hunks[-1][2] + [(first, last, group)])
        else:
            hunks.append((before, after, [(first, last, group)]))
    yield f"--- {fromfile}\n"
    yield f"+++ {tofile}\n"
    line = 1  # the line number of ``position``, counted as the hunks go
    position = 0
    shift = 0  # lines added minus lines removed so far
    for start, end, regions_in_hunk in hunks:
        line += text.count("\n", position, start)
        position = start
        body: List[str] = []
        old_count = new_count = 0
        cursor = start
        for first, last, group in regions_in_hunk:
            unchanged = _diff_lines(text[cursor : first - 1] if first > cursor else "", " ")
            body += unchanged
            old_count += len(unchanged)
            new_count += len(unchanged)
            new_text, at = [], first
            for edit_start, edit_end, replacement in group:
                new_text += [text[at:edit_start], replacement]
                at = edit_end
            new_text.append(text[at:last])
            old_lines, new_lines = text[first:last].split("\n"), "".join(new_text).split("\n")
            same = 0  # whole lines an insertion left as they were stay context
            while same < min(len(old_lines), len(new_lines)) and old_lines[same] == new_lines[same]:
                same += 1
            ends = 0
            while (
                ends < min(len(old_lines), len(new_lines)) - same
                and old_lines[-1 - ends] == new_lines[-1 - ends]
            ):
                ends += 1
            middle_old = old_lines[same : len(old_lines) - ends]
            middle_new = new_lines[same : len(new_lines) - ends]
            kept_before = [" " + line + "\n" for line in old_lines[:same]]
            kept_after = [" " + line + "\n" for line in old_lines[len(old_lines) - ends :]]
            body += kept_before
            body += ["-" + line + "\n" for line in middle_old]
            body += ["+" + line + "\n" for line in middle_new]
            body += kept_after
            old_count += len(old_lines)
            new_count += len(kept_before) + len(middle_new) + len(kept_after)
            cursor = last + 1
        tail = _diff_lines(text[cursor:end] if end > cursor else "", " ")
        body += tail
        old_count += len(tail)
        new_count += len(tail)
        if end == len(text) and not text.endswith("\n") and body:
            body[-1] = body[-1][:-1] + "\n\\ No newline at end of file\n"
        yield f"@@ -{_range(line, old_count)} +{_range(line + shift, new_count)} @@\n"
        yield from body
        shift += new_count - old_count


def _range(first: int, count: int) -> str:
    """A hunk's range as unified diffs write it (difflib's convention)."""
    if count == 1:
        return str(first)
    return f"{first - 1 if count == 0 else first},{count}"


# --------------------------------------------------------------------------
# The parser


class _Parser:
    def __init__(self, text: str, filename: str) -> None:
        self.text = text
        self.filename = filename
        self.script = Script(text, filename)
        self.variables: Dict[str, Optional[Node]] = {}
        self.stack: List[Optional[Node]] = []
        self.groups: List[Tuple[Node, List[Optional[Node]]]] = []

    def error(self, position: int, reason: str) -> NkSyntaxError:
        line = self.text.count("\n", 0, position) + 1
        column = position - (self.text.rfind("\n", 0, position) + 1) + 1
        return NkSyntaxError(self.filename, line, column, reason)

    # -- words -----------------------------------------------------------

    def matching(self, start: int, pattern: re.Pattern[str], what: str) -> int:
        """Index just past the bracket matching the one at ``start``."""
        opener = self.text[start]
        depth = 0
        position = start
        search = pattern.search
        text = self.text
        while True:
            found = search(text, position)
            if found is None:
                raise self.error(start, f"unclosed {opener!r} (no matching {what!r})")
            position = found.end()
            char = text[found.start()]
            if char == "\\":
                position += 1
            elif char == opener:
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return position

    def word_end(self, start: int, in_body: bool = False) -> int:
        """End of the word at ``start``: {braced}, "quoted" or bare.

        In a node's body a bare word also ends at ``}``: ``Dot {name Dot1}``.
        """
        text = self.text
        limit = len(text)
        char = text[start]
        if char == "{":
            end = self.matching(start, _BRACE_OR_ESCAPE, "}")
        elif char == '"':
            found = _QUOTED.match(text, start)
            if found is None:
                raise self.error(start, "unclosed '\"' (no closing quote)")
            end = found.end()
        else:
            bare = _BARE_IN_BODY if in_body else _BARE
            end = _end(bare, text, start)
            while end < limit and text[end] == "[":  # [stack 0] holds a space
                end = self.matching(end, _BRACKET_OR_ESCAPE, "]")
                end = _end(bare, text, end)
            if end == start:
                raise self.error(start, f"unexpected {char!r}")
            return end
        if end < limit and text[end] not in _WS and not (in_body and text[end] == "}"):
            raise self.error(end, f"extra characters after the closing {text[end - 1]!r}")
        return end

    # -- statements ------------------------------------------------------

    def parse(self) -> Script:
        text = self.text
        length = len(text)
        nul = text.find("\x00")
        if nul >= 0:
            raise self.error(nul, "a NUL byte: this is not a Nuke script")
        position = _end(_SPACE_NL, text, 0)
        while position < length:
            if text[position] == "#":
                end = text.find("\n", position)
                end = length if end < 0 else end
                self.script.statements.append(Statement(StatementKind.COMMENT, position, end, []))
                position = end
            else:
                position = self.statement(position)
            position = _end(_SPACE_NL, text, position)
        while self.groups:  # Nuke closes open groups at the end of the file
            group, outer = self.groups.pop()
            error = self.error(length, f"group {group.path!r} is never closed (no end_group)")
            self.script.warnings.append(f"{error}: read as closed at the end, as Nuke does")
            self.stack = outer
            self.stack.append(group)
        return self.script

    def statement(self, start: int) -> int:
        text = self.text
        length = len(text)
        head = _NODE_HEAD.match(text, start)
        if head is not None and head.group(2) not in _COMMANDS:
            return self.node_statement(start, head)
        spans: List[Tuple[int, int]] = []
        position = start
        while position < length and text[position] != "\n":
            end = self.word_end(position)
            spans.append((position, end))
            position = _end(_SPACE, text, end)
        self.classify(start, position, [text[a:b] for a, b in spans], spans)
        return position

    def node_statement(self, start: int, head: re.Match[str]) -> int:
        """``Class {knobs}`` or ``clone $C {knobs}``, read in one pass."""
        text = self.text
        body_start = head.end() - 1
        line_begin = text.rfind("\n", 0, start) + 1
        indent = text[line_begin : _end(_INDENT, text, line_begin)]
        knobs, body_end = self.knobs(body_start, indent)
        end = _end(_SPACE, text, body_end)
        if end < len(text) and text[end] != "\n":
            raise self.error(end, "unexpected text after the node's closing '}'")
        cloned = head.group(1)
        if cloned is None:
            node = self.node(head.group(2), knobs, body_start, body_end, indent)
            words = [head.group(2)]  # the body is the node's knobs
            self.script.statements.append(Statement(StatementKind.NODE, start, end, words, node))
            return end
        # clone $C1 {...} repeats the node stored in C1; older files name the
        # original as node0x1234|Grade|5678.
        original = self.variables.get(cloned[1:]) if cloned.startswith("$") else None
        parts = cloned.split("|")
        node_class = original.node_class if original else parts[1] if len(parts) > 2 else "?"
        node = self.node(node_class, knobs, body_start, body_end, indent, clone_of=original)
        words = ["clone", cloned]
        self.script.statements.append(Statement(StatementKind.CLONE, start, end, words, node))
        return end

    def classify(
        self, start: int, end: int, words: List[str], spans: List[Tuple[int, int]]
    ) -> None:
        head = words[0]
        if head == "set" and len(words) == 3 and words[2].startswith("[stack "):
            depth = words[2][7:-1].strip()
            if not depth.isdigit():
                raise self.error(spans[2][0], f"expected [stack N], got {words[2]!r}")
            index = len(self.stack) - 1 - int(depth)
            self.variables[words[1]] = self.stack[index] if index >= 0 else None
            kind = StatementKind.SET
        elif head == "push" and len(words) == 2:
            if words[1] == "0":
                self.stack.append(None)
            elif words[1].startswith("$"):
                self.stack.append(self.variables.get(words[1][1:]))
            else:
                raise self.error(spans[1][0], f"push takes $variable or 0, got {words[1]!r}")
            kind = StatementKind.PUSH
        elif head == "end_group" and len(words) == 1:
            if not self.groups:
                raise self.error(start, "end_group without an open group")
            group, outer = self.groups.pop()
            self.stack = outer
            self.stack.append(group)
            kind = StatementKind.END_GROUP
        elif head in _COMMANDS:
            kind = _COMMANDS[head]
        else:
            raise self.error(
                start,
                f"unexpected {' '.join(words)[:40]!r} outside a node"
                " (a '}' too many may have closed the node before it)",
            )
        self.script.statements.append(Statement(kind, start, end, words))

    def node(
        self,
        node_class: str,
        knobs: _Knobs,
        body_start: int,
        body_end: int,
        indent: str,
        clone_of: Optional[Node] = None,
    ) -> Node:
        parent = self.groups[-1][0] if self.groups else None
        node = Node(node_class, knobs, parent, indent, body_start + 1, clone_of)
        self.script.nodes.append(node)
        if parent is not None:
            assert isinstance(parent.children, list)  # a group's
            parent.children.append(node)
        inputs = None
        if self.text.find("inputs", body_start, body_end) >= 0:  # most nodes have none
            if isinstance(knobs, list):
                inputs = next((k.text for k in knobs if k.name == "inputs"), None)
            else:  # read it without keeping every knob of the node
                _, start, end = knobs
                made = _make_knobs(start, _split_knobs(self.text, start, end) or [])
                inputs = next((k.text for k in made if k.name == "inputs"), None)
        for _ in range(min(_input_count(inputs), len(self.stack))):
            self.stack.pop()
        if node.is_group:
            self.groups.append((node, self.stack))
            self.stack = []
        elif node_class != "Root":
            self.stack.append(node)
        return node

    def knobs(self, body_start: int, indent: str) -> Tuple[_Knobs, int]:
        """The ``name value`` pairs after the brace at ``body_start``, and the
        index just past the closing brace."""
        text = self.text
        # Nuke closes a node with "}" on a line of its own, indented like the
        # node: try there first. A wrong guess cannot split the knobs fully,
        # so _split_knobs refuses it and the knobs are read one by one (55
        # nodes of the corpus's 7,421; no slower overall, measured).
        close = text.find("\n" + indent + "}", body_start) + 1 + len(indent)
        on_its_own = close > len(indent) and text[close + 1 : close + 2] in ("", "\n", "\r", " ")
        # The knobs are split again when first asked for: keeping the split
        # strings of every node costs more memory than the text.
        if on_its_own and _split_knobs(text, body_start + 1, close) is not None:
            return (text, body_start + 1, close), close + 1
        length = len(text)
        knobs: List[Knob] = []
        position = body_start + 1
        while True:
            position = _end(_SPACE_NL, text, position)
            if position >= length:
                raise self.error(body_start, "unclosed '{' (no matching '}')")
            if text[position] == "}":
                return knobs, position + 1
            name_end = self.word_end(position, in_body=True)
            value_start = _end(_SPACE_NL, text, name_end)
            if value_start >= length or text[value_start] == "}":
                raise self.error(position, f"knob {text[position:name_end]!r} has no value")
            value_end = self.word_end(value_start, in_body=True)
            knobs.append(
                Knob(text[position:name_end], value_start, value_end, text[value_start:value_end])
            )
            position = value_end


_Pending = List[str]  # each knob as written: space, name, space, value
_Knobs = Union[List[Knob], Tuple[str, int, int]]  # made, or the body's text span


def _split_knobs(text: str, start: int, end: int) -> Optional[_Pending]:
    """The knobs between ``start`` and ``end`` in one regex pass, or None when
    that pass cannot read them all (the caller then goes the general way,
    which reports what is wrong)."""
    items: _Pending = _KNOBS.findall(text, start, end)
    if items and not _KNOBS_FULL.match(items[-1]):
        if items[-1].strip(_WS):
            return None  # something that is not a plain knob
        items.pop()  # only white space before the closing brace
    return items


_KNOBS_FULL = re.compile(_KNOB + r"\Z", re.DOTALL)


def _make_knobs(start: int, items: _Pending) -> List[Knob]:
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


_COMMANDS = {
    "version": StatementKind.VERSION,
    "define_window_layout_xml": StatementKind.WINDOW_LAYOUT,
    "add_layer": StatementKind.ADD_LAYER,
}


def _input_count(text: Optional[str]) -> int:
    """``inputs 2+1`` is two inputs and a mask: three on the stack."""
    if text is None:
        return 1
    try:
        return sum(int(part) for part in text.split("+"))
    except ValueError:
        return 1


def parse(text: str, filename: str = "<script>") -> Script:
    """Read a script from text; raises :class:`NkSyntaxError` when malformed.

    >>> script = parse("Group {\\n name G\\n}\\n Blur {\\n  name B\\n }\\nend_group\\n")
    >>> [n.path for n in script.walk()]
    ['G', 'G.B']
    """
    # The cyclic garbage collector is paused while reading: a script makes
    # many small objects and no cycles, and the collector would keep walking
    # them (and the host's whole heap) as they are made. Measured: 2-4 % of a
    # parse, 12 % of a parse followed by reading every knob; it is always
    # put back as it was, also when the script is refused.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _Parser(text, filename).parse()
    finally:
        if enabled:
            gc.enable()
