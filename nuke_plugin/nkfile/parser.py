"""Reading a Nuke script (.nk) or gizmo into a :class:`~.script.Script`.

One pass over the text: statements at the top level, nodes with their
bodies (knobs split later, when first asked for), groups up to
``end_group``, clones, and Nuke's stack commands. What Nuke would refuse is
an :class:`~.tokens.NkSyntaxError` naming the file, line and column; what it
accepts but a person should know (a last group left open) is a warning.
Nothing found is executed: ``[python ...]`` and TCL are data.
"""

from __future__ import annotations

import gc
import re
from typing import Dict, List, Optional, Tuple

from .script import Node, Script, Statement, StatementKind
from .tokens import (
    BARE,
    BARE_IN_BODY,
    BRACE_OR_ESCAPE,
    BRACKET_OR_ESCAPE,
    INDENT,
    NODE_HEAD,
    QUOTED,
    SPACE,
    SPACE_NL,
    WS,
    Knob,
    Knobs,
    NkSyntaxError,
    make_knobs,
    match_end,
    split_knobs,
)

__all__ = ["parse"]


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
            end = self.matching(start, BRACE_OR_ESCAPE, "}")
        elif char == '"':
            found = QUOTED.match(text, start)
            if found is None:
                raise self.error(start, "unclosed '\"' (no closing quote)")
            end = found.end()
        else:
            bare = BARE_IN_BODY if in_body else BARE
            end = match_end(bare, text, start)
            while end < limit and text[end] == "[":  # [stack 0] holds a space
                end = self.matching(end, BRACKET_OR_ESCAPE, "]")
                end = match_end(bare, text, end)
            if end == start:
                raise self.error(start, f"unexpected {char!r}")
            return end
        if end < limit and text[end] not in WS and not (in_body and text[end] == "}"):
            raise self.error(end, f"extra characters after the closing {text[end - 1]!r}")
        return end

    # -- statements ------------------------------------------------------

    def parse(self) -> Script:
        text = self.text
        length = len(text)
        nul = text.find("\x00")
        if nul >= 0:
            raise self.error(nul, "a NUL byte: this is not a Nuke script")
        position = match_end(SPACE_NL, text, 0)
        while position < length:
            if text[position] == "#":
                end = text.find("\n", position)
                end = length if end < 0 else end
                self.script.statements.append(Statement(StatementKind.COMMENT, position, end, []))
                position = end
            else:
                position = self.statement(position)
            position = match_end(SPACE_NL, text, position)
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
        head = NODE_HEAD.match(text, start)
        if head is not None and head.group(2) not in _COMMANDS:
            return self.node_statement(start, head)
        spans: List[Tuple[int, int]] = []
        position = start
        while position < length and text[position] != "\n":
            end = self.word_end(position)
            spans.append((position, end))
            position = match_end(SPACE, text, end)
        self.classify(start, position, [text[a:b] for a, b in spans], spans)
        return position

    def node_statement(self, start: int, head: re.Match[str]) -> int:
        """``Class {knobs}`` or ``clone $C {knobs}``, read in one pass."""
        text = self.text
        body_start = head.end() - 1
        line_begin = text.rfind("\n", 0, start) + 1
        indent = text[line_begin : match_end(INDENT, text, line_begin)]
        knobs, body_end = self.knobs(body_start, indent)
        end = match_end(SPACE, text, body_end)
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
        knobs: Knobs,
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
                made = make_knobs(start, split_knobs(self.text, start, end) or [])
                inputs = next((k.text for k in made if k.name == "inputs"), None)
        for _ in range(min(_input_count(inputs), len(self.stack))):
            self.stack.pop()
        if node.is_group:
            self.groups.append((node, self.stack))
            self.stack = []
        elif node_class != "Root":
            self.stack.append(node)
        return node

    def knobs(self, body_start: int, indent: str) -> Tuple[Knobs, int]:
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
        if on_its_own and split_knobs(text, body_start + 1, close) is not None:
            return (text, body_start + 1, close), close + 1
        length = len(text)
        knobs: List[Knob] = []
        position = body_start + 1
        while True:
            position = match_end(SPACE_NL, text, position)
            if position >= length:
                raise self.error(body_start, "unclosed '{' (no matching '}')")
            if text[position] == "}":
                return knobs, position + 1
            name_end = self.word_end(position, in_body=True)
            value_start = match_end(SPACE_NL, text, name_end)
            if value_start >= length or text[value_start] == "}":
                raise self.error(position, f"knob {text[position:name_end]!r} has no value")
            value_end = self.word_end(value_start, in_body=True)
            knobs.append(
                Knob(text[position:name_end], value_start, value_end, text[value_start:value_end])
            )
            position = value_end


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
