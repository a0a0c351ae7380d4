"""Reading .nk text into the stand-in's session (nodePaste, scriptReadText).

The stand-in's own reader, not the product's: statements are TCL commands
(one a line, braces spanning lines), ``Class {knobs}`` makes a node,
``Group``/``Gizmo`` bodies are followed by their children up to
``end_group``, ``set``/``push`` keep the node stack, ``clone $V {...}``
clones, ``addUserKnob {type name ...}`` defines a user knob. A knob line's
value is the TCL word's content, given to the knob's ``fromScript``.
"""

from __future__ import annotations

from typing import Dict, List, Optional

from ._knobs import (
    _FLAG_WORDS,
    AColor_Knob,
    Array_Knob,
    Boolean_Knob,
    Color_Knob,
    Double_Knob,
    Enumeration_Knob,
    EvalString_Knob,
    Int_Knob,
    Knob,
    Link_Knob,
    String_Knob,
    Tab_Knob,
    Text_Knob,
    XY_Knob,
    XYZ_Knob,
    _ScriptKnob,
)
from ._nodes import Group, Node, clone_node, knob_for, make_node
from ._state import SESSION
from ._text import ScriptSyntaxError, parse_number, split_words, word_content

# addUserKnob type numbers (as Nuke writes them in scripts)
USER_KNOB_TYPES = {
    1: String_Knob,
    2: EvalString_Knob,
    3: Int_Knob,
    4: Enumeration_Knob,
    6: Boolean_Knob,
    7: Double_Knob,
    12: XY_Knob,
    13: XYZ_Knob,
    18: Color_Knob,
    19: AColor_Knob,
    20: Tab_Knob,
    26: Text_Knob,
    41: Link_Knob,
}


def _statements(text: str) -> List[List[str]]:
    """Each command as its words; a braced word may span lines."""
    statements: List[List[str]] = []
    lines = text.replace("\r\n", "\n").split("\n")
    pending = ""
    for line in lines:
        pending = pending + "\n" + line if pending else line
        stripped = pending.strip()
        if not stripped or stripped.startswith("#"):
            pending = ""
            continue
        if _balance(pending) > 0:
            continue  # an open brace: the command goes on
        statements.append(split_words(pending))
        pending = ""
    if pending.strip():
        raise ScriptSyntaxError("unclosed '{' at the end of the script")
    return statements


def _balance(text: str) -> int:
    depth = 0
    escaped = False
    for c in text:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
    return depth


def _user_knob(definition: str) -> Knob:
    words = split_words(definition)
    if len(words) < 2:
        raise ScriptSyntaxError(f"addUserKnob needs a type and a name: {definition!r}")
    kind = int(words[0])
    name = word_content(words[1])
    make = USER_KNOB_TYPES.get(kind)
    knob: Knob = make(name) if make is not None else _ScriptKnob(name)
    i = 2
    while i < len(words):
        word = words[i]
        if word == "l" and i + 1 < len(words):
            knob.setLabel(word_content(words[i + 1]))
            i += 2
        elif word == "t" and i + 1 < len(words):
            knob.setTooltip(word_content(words[i + 1]))
            i += 2
        elif word == "R" and i + 2 < len(words) and isinstance(knob, Array_Knob):
            knob.setRange(parse_number(words[i + 1]), parse_number(words[i + 2]))
            i += 3
        elif word == "T" and i + 1 < len(words) and isinstance(knob, Link_Knob):
            knob.setLink(word_content(words[i + 1]))
            i += 2
        elif word == "M" and i + 1 < len(words) and isinstance(knob, Enumeration_Knob):
            knob._values = [word_content(w) for w in split_words(word_content(words[i + 1]))]
            i += 2
        elif word[:1] in "+-" and word[1:] in _FLAG_WORDS:
            (knob.setFlag if word[0] == "+" else knob.clearFlag)(_FLAG_WORDS[word[1:]])
            i += 1
        else:
            i += 1  # other settings (n, N, ...) are not modelled
    return knob


def _apply_knobs(node: Node, words: List[str]) -> None:
    if len(words) % 2:
        raise ScriptSyntaxError(f"knob {words[-1]!r} of {node.name()} has no value")
    for name, value in zip(words[::2], words[1::2]):
        if name == "addUserKnob":
            knob = _user_knob(word_content(value))
            if node.knob(knob.name()) is None:
                node.addKnob(knob)
        elif name == "name":
            if node is not SESSION.root:
                node.setName(word_content(value))
        else:
            target = knob_for(node, name)
            if target.fromScript(word_content(value)) is False:
                raise ScriptSyntaxError(f"{node.name()}.{name} cannot take {value[:60]!r}")


def read(text: str, group: Group) -> List[Node]:
    """Make the script's nodes in ``group``; returns the top-level ones."""
    made: List[Node] = []
    groups: List[Group] = [group]
    stack: List[Optional[Node]] = []
    variables: Dict[str, Optional[Node]] = {}
    for words in _statements(text):
        head = words[0]
        if head in ("version", "define_window_layout_xml", "add_layer"):
            continue
        if head == "set" and len(words) == 3 and words[2].startswith("[stack"):
            depth = int(words[2][6:-1].strip() or 0)
            variables[words[1]] = stack[-1 - depth] if len(stack) > depth else None
            continue
        if head == "push" and len(words) == 2:
            stack.append(variables.get(words[1][1:]) if words[1].startswith("$") else None)
            continue
        if head == "end_group":
            if len(groups) < 2:
                raise ScriptSyntaxError("end_group without a group")
            stack.append(groups.pop())
            continue
        if head == "clone" and len(words) == 3:
            original = variables.get(words[1][1:])
            if original is None:
                raise ScriptSyntaxError(f"clone of unknown {words[1]}")
            node = clone_node(original, groups[-1])
            _apply_knobs(node, split_words(word_content(words[2])))
        elif len(words) == 2 and words[1].startswith("{"):
            body = split_words(word_content(words[1]))
            if head == "Root":
                _apply_knobs(SESSION.root, body)
                continue
            node = make_node(head, groups[-1])
            _apply_knobs(node, body)
        else:
            raise ScriptSyntaxError(f"the stand-in cannot read {' '.join(words)[:60]!r}")
        inputs = _inputs(node)
        for _ in range(min(inputs, len(stack))):
            stack.pop()
        if len(groups) == 1:
            made.append(node)
        if isinstance(node, Group) and node.Class() != "Root":
            groups.append(node)
        else:
            stack.append(node)
    if len(groups) > 1:
        raise ScriptSyntaxError(f"group {groups[-1].name()} is never closed")
    return made


def _inputs(node: Node) -> int:
    knob = node._knobs.get("inputs")
    if knob is None:
        return 1
    try:
        return sum(int(part) for part in knob.toScript().split("+"))
    except ValueError:
        return 1
