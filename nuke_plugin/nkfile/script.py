"""A lossless reader and writer for Nuke scripts (.nk) and gizmos (.gizmo).

A script is TCL-like text: one command per line (``version 14.0 v6``,
``set N1 [stack 0]``, ``push $N1``, ``end_group``), nodes written as
``Class {knob value ...}`` whose children follow a ``Group``/``Gizmo`` until
``end_group``, and knob values that are bare words, "quoted strings" or
{braced lists} spanning lines.

The model indexes the original text instead of rebuilding it: every
statement, node and knob records where it stands (:mod:`.parser` reads
them, :mod:`.tokens` splits the text), and an edit replaces only the
characters of what it changes. So an unmodified script writes back byte
for byte, and a diff of an edited one shows exactly the edit. Knob values are
read by :mod:`nuke_plugin.nkfile.values` when asked for.

Nothing found in a script is ever executed: ``[python ...]`` and TCL are
data here.

>>> from nuke_plugin.nkfile.parser import parse
>>> script = parse("Grade {\\n multiply 2\\n name Grade1\\n}\\n")
>>> grade = script.find("Grade1")
>>> grade.knob_text("multiply")
'2'
>>> grade.set_knob_text("multiply", "{1.5 1.2 1 1}")
>>> script.to_text()
'Grade {\\n multiply {1.5 1.2 1 1}\\n name Grade1\\n}\\n'
"""

from __future__ import annotations

from enum import Enum
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from ..registry import GROUP_CLASSES
from .diff import unified_diff
from .tokens import Knob, Knobs, make_knobs, split_knobs
from .values import KnobValueError, user_knob_name, word_text

__all__ = ["Node", "Script", "Statement", "StatementKind"]


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
        knobs: Knobs,
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
            items = split_knobs(text, start, end)
            assert items is not None  # the parser read this body with the same pattern
            self._knobs = make_knobs(start, items)
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

    def walk(self) -> Iterator[Node]:
        """Every node, recursing into groups, in document order."""
        return iter(self.nodes)

    def find(self, path: str) -> Optional[Node]:
        """The node with this full name (``Group1.Grade1``), or None."""
        for node in self.nodes:
            if node.path == path:
                return node
        return None

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

        >>> from nuke_plugin.nkfile.parser import parse
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
        return unified_diff(self.text, self.edits(), fromfile, tofile, context)


def _slices(text: str, start: int, end: int, size: int) -> Iterator[str]:
    for position in range(start, end, size):
        yield text[position : min(position + size, end)]
