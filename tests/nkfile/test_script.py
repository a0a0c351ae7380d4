"""The .nk reader and writer: byte-for-byte round trips, structure, edits, errors."""

from __future__ import annotations

import builtins
import os
import subprocess
from pathlib import Path
from typing import Any, List

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from nuke_plugin.adapters.script_file import read_script
from nuke_plugin.adapters.script_ops import convert_script, scan_script
from nuke_plugin.nkfile.parser import parse
from nuke_plugin.nkfile.tokens import NkSyntaxError
from nuke_plugin.nkfile.values import channels, parse_value, word_text

from support.paths import DATA, EXAMPLES, corpus_files, corpus_params, needs_corpus

CORPUS = corpus_files()


# The project's own scripts: every behaviour below is covered by these alone.
FIXTURES = sorted(
    [
        *EXAMPLES.glob("*.nk"),
        *DATA.glob("*.nk"),
        *DATA.glob("*.gizmo"),
        *(DATA / "golden").glob("*.nk"),
    ]
)


FIXTURE_PARAMS = [pytest.param(p, id=p.name) for p in FIXTURES]


@needs_corpus
def test_the_corpus_is_there() -> None:
    assert len(CORPUS) == 24, f"expected the 24 corpus files in {CORPUS[:1]}"


@pytest.mark.parametrize("path", corpus_params() + FIXTURE_PARAMS)
def test_round_trip_is_byte_for_byte(path: Path) -> None:
    data = path.read_bytes()
    script = read_script(path)
    assert script.to_text().encode("utf-8", "surrogateescape") == data
    assert script.nodes, "a real script has nodes"


@pytest.mark.parametrize("path", corpus_params() + FIXTURE_PARAMS)
def test_every_knob_value_is_understood(path: Path) -> None:
    script = read_script(path)
    text = script.text
    for node in script.walk():
        for knob in node.knobs:
            parse_value(knob.text)  # raises KnobValueError if not understood
            assert text[knob.start : knob.end] == knob.text
        for name in node.user_knob_names():
            assert isinstance(name, str)


def _by_name(path: str) -> Any:
    return read_script(DATA / path)


def test_nested_groups_give_full_paths() -> None:
    script = _by_name("nested_groups.nk")
    paths = [n.path for n in script.walk()]
    assert "Group1.Grade1" in paths
    assert "Grade1" in paths
    assert "Group1.Inner.Multiply1" in paths
    grades = [n.path for n in script.walk() if n.node_class == "Grade"]
    assert "Grade1" in grades
    assert "Group1.Grade1" in grades
    group = script.find("Group1")
    assert group is not None
    assert group.is_group
    assert all(child.parent is group for child in group.children)
    nested = [n for n in script.walk() if n.path.count(".") >= 2]
    assert nested, "the file has a group inside a group"
    assert nested[0].parent is not None
    assert nested[0].parent.parent is not None


def test_gizmo_file_children_belong_to_the_gizmo() -> None:
    script = _by_name("children.gizmo")
    top = [n for n in script.nodes if n.parent is None]
    assert [n.node_class for n in top] == ["Gizmo"]
    assert len(script.nodes) > 1
    assert all(n.parent is not None for n in script.nodes[1:])
    assert script.version == "12.2 v5"


def test_statements_header_layout_clones_and_layers() -> None:
    script = _by_name("statements.nk")
    kinds = [s.kind for s in script.statements]
    assert kinds[0] == "comment"
    assert "version" in kinds
    assert "window_layout" in kinds
    clones = [s.node for s in script.statements if s.kind == "clone" and s.node]
    assert [c.node_class for c in clones] == ["Grade", "Saturation"]
    assert all(c.clone_of is not None and c.clone_of.node_class == c.node_class for c in clones)
    assert {"add_layer", "set", "push"} <= set(kinds)


@needs_corpus
def test_the_corpus_has_every_statement_kind() -> None:
    kinds = {s.kind for path in CORPUS for s in read_script(path).statements}
    assert kinds >= {"comment", "version", "window_layout", "clone", "add_layer", "set", "push"}


def test_crlf_files_are_kept_and_edited_in_crlf() -> None:
    path = DATA / "crlf.nk"
    script = read_script(path)
    assert script.newline == "\r\n"
    node = next(n for n in script.walk() if n.knob("name") is not None)
    node.add_knob_lines([("addUserKnob", "{7 extra}")])
    text = script.to_text()
    assert "\r\n" + " " * (len(node._indent) + 1) + "addUserKnob {7 extra}" in text
    assert "\n" not in text.replace("\r\n", "")


GRADE = """set cut_paste_input [stack 0]
version 13.2 v8
push $cut_paste_input
Grade {
 multiply {1.5 1.2 1 1}
 name Grade1
 xpos 10
 ypos 20
}
Group {
 name G
}
 Grade {
  name Inner
 }
end_group
"""


def _changed_lines(before: str, after: str) -> List[str]:
    import difflib

    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_setting_a_knob_changes_only_its_text() -> None:
    script = parse(GRADE)
    grade = script.find("Grade1")
    assert grade is not None
    grade.set_knob_text("multiply", "{{curve x1 1 x10 2}}")
    assert _changed_lines(GRADE, script.to_text()) == [
        "- multiply {1.5 1.2 1 1}",
        "+ multiply {{curve x1 1 x10 2}}",
    ]
    assert grade.knob_text("multiply") == "{{curve x1 1 x10 2}}"


def test_a_knob_not_in_the_file_is_added_before_name_with_the_node_indent() -> None:
    script = parse(GRADE)
    inner = script.find("G.Inner")
    assert inner is not None
    inner.set_knob_text("white", "2")
    inner.add_knob_lines([("addUserKnob", "{20 t l Tab}"), ("addUserKnob", "{7 s}"), ("s", "1")])
    after = script.to_text()
    assert _changed_lines(GRADE, after) == [
        "+  white 2",
        "+  addUserKnob {20 t l Tab}",
        "+  addUserKnob {7 s}",
        "+  s 1",
    ]
    again = parse(after)
    node = again.find("G.Inner")
    assert node is not None
    assert node.knob_text("white") == "2"
    assert node.user_knob_names() == ["t", "s"]


def test_edits_on_a_one_line_node() -> None:
    text = "Dot {name Dot1}\n"
    script = parse(text)
    script.nodes[0].add_knob_lines([("note_font", "Verdana")])
    assert script.to_text() == "Dot {name Dot1\n note_font Verdana}\n"
    assert parse(script.to_text()).nodes[0].knob_text("note_font") == "Verdana"


def test_unedited_script_returns_the_same_object_text() -> None:
    script = parse(GRADE)
    assert script.to_text() is script.text


@pytest.mark.parametrize(
    ("text", "line", "column", "reason"),
    [
        ("Grade {\n name G\n", 1, 7, "unclosed '{'"),
        ('Grade {\n label "abc\n}\n', 2, 8, "unclosed '\"'"),
        ("Blur {\n size\n}\n", 2, 2, "knob 'size' has no value"),
        ("end_group\n", 1, 1, "end_group without an open group"),
        ("Grade {\n multiply 2 }\n name G\n xpos 1\n}\n", 3, 2, "unexpected 'name G' outside"),
        ("Blur {\n}\n" + "\x00" * 300_000, 3, 1, "a NUL byte: this is not a Nuke script"),
        ("\x00" * 300_000, 1, 1, "a NUL byte"),
        ("Grade {\n name {a}b\n}\n", 2, 10, "extra characters after the closing '}'"),
        ("set N [stack x]\n", 1, 7, "expected [stack N]"),
        ("push N1\n", 1, 6, "push takes $variable or 0"),
        ("set N [stack 0\n", 1, 7, "unclosed '['"),
        ("Grade {\n name G\n} extra\n", 3, 3, "unexpected text after the node's closing '}'"),
    ],
)
def test_parse_errors_give_file_line_column_and_reason(
    text: str, line: int, column: int, reason: str
) -> None:
    with pytest.raises(NkSyntaxError) as raised:
        parse(text, filename="shot.nk")
    error = raised.value
    assert (error.filename, error.line, error.column) == ("shot.nk", line, column)
    assert reason in error.reason
    assert str(error).startswith(f"shot.nk:{line}:{column}: ")


def test_a_last_group_without_end_group_is_read_as_nuke_reads_it() -> None:
    text = "Group {\n name G\n}\n Blur {\n  name B\n }\n Group {\n  name H\n }\n"
    script = parse(text, "open.nk")
    assert [n.path for n in script.walk()] == ["G", "G.B", "G.H"]
    assert script.warnings == [
        "open.nk:10:1: group 'G.H' is never closed (no end_group): read as closed at the end,"
        " as Nuke does",
        "open.nk:10:1: group 'G' is never closed (no end_group): read as closed at the end,"
        " as Nuke does",
    ]
    assert script.to_text() == text
    script.find("G.B").add_knob_lines([("size", "2")])  # type: ignore[union-attr]
    assert script.to_text() == text.replace("  name B\n", "  name B\n  size 2\n")


def test_groups_nested_a_thousand_deep_are_read_without_recursion() -> None:
    depth = 1000
    text = "".join(f"Group {{\n name G{i}\n}}\n" for i in range(depth))
    text += "Grade {\n multiply 2\n name Deep\n}\n" + "end_group\n" * depth
    script = parse(text)
    deep = script.nodes[-1]
    assert deep.path.count(".") == depth
    assert deep.path.endswith("G999.Deep")
    [finding] = scan_script(script)
    assert finding.path == deep.path
    assert finding.stops == "+1"
    assert [o.status for o in convert_script(script)] == ["converted"]


def test_nothing_in_a_script_is_executed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the reader tried to execute something")

    for name in ("eval", "exec", "compile", "__import__"):
        monkeypatch.setattr(builtins, name, refuse) if name != "__import__" else None
    monkeypatch.setattr(os, "system", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    text = (
        "Root {\n name \"[python {os.system('rm -rf /')}]\"\n"
        " onScriptLoad \"__import__('os').system('echo hi')\"\n}\n"
        'Grade {\n multiply {{"[python os.system(\\"x\\")]" i}}\n name G\n}\n'
    )
    script = parse(text)
    grade = script.find("G")
    assert grade is not None
    value = channels(grade.knob_text("multiply") or "")[0]
    assert getattr(value, "expression", "") == '[python os.system("x")]'
    assert word_text(script.nodes[0].knob_text("name") or "") == "[python {os.system('rm -rf /')}]"


_names = hs.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)


_numbers = hs.floats(-1e6, 1e6, allow_nan=False).map(lambda x: f"{x:g}")


_curves = hs.lists(hs.tuples(hs.integers(0, 2000), _numbers), min_size=1, max_size=4).map(
    lambda keys: "{curve " + " ".join(f"x{f} {v}" for f, v in keys) + "}"
)


_quoted = hs.text(
    alphabet=hs.characters(blacklist_categories=["Cs"], blacklist_characters='"\\{}[\x00'),
    max_size=20,
).map(lambda t: '"' + t + '"')


_values = hs.one_of(
    _numbers,
    _names,
    _quoted,
    hs.lists(_numbers, min_size=2, max_size=4).map(lambda v: "{" + " ".join(v) + "}"),
    _curves.map(lambda c: "{" + c + "}"),
    hs.lists(hs.one_of(_numbers, _curves), min_size=4, max_size=4).map(
        lambda v: "{" + " ".join(v) + "}"
    ),
    _names.map(lambda e: "{{" + e + "}}"),
)


_knobs = hs.lists(hs.tuples(_names, _values), max_size=6)


@hs.composite
def _scripts(draw: Any, depth: int = 0) -> Any:
    """A script model: [(class, knobs, children or None)] and its text."""
    model = []
    lines = []
    indent = " " * depth
    for _ in range(draw(hs.integers(0 if depth else 1, 4))):
        is_group = depth < 2 and draw(hs.booleans())
        node_class = (
            "Group"
            if is_group
            else draw(
                _names.filter(
                    lambda n: (
                        n
                        not in (
                            "Group",
                            "Gizmo",
                            "LiveGroup",
                            "version",
                            "set",
                            "push",
                            "end_group",
                            "clone",
                            "add_layer",
                            "define_window_layout_xml",
                        )
                    )
                )
            )
        )
        knobs = draw(_knobs)
        lines.append(f"{indent}{node_class} {{")
        lines.extend(f"{indent} {name} {value}" for name, value in knobs)
        lines.append(f"{indent}}}")
        children = None
        if is_group:
            children, text = draw(_scripts(depth + 1))
            lines.append(text.rstrip("\n")) if text else None
            lines.append(f"{indent}end_group")
        model.append((node_class, knobs, children))
    return model, "\n".join(lines) + "\n" if lines else ""


def _flatten(model: Any) -> List[Any]:
    out = []
    for node_class, knobs, children in model:
        out.append((node_class, [(n, v) for n, v in knobs]))
        if children is not None:
            out.extend(_flatten(children))
    return out


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(_scripts())
def test_generated_scripts_round_trip_and_are_understood(generated: Any) -> None:
    model, text = generated
    script = parse(text)
    assert script.to_text() == text
    parsed = [(n.node_class, [(k.name, k.text) for k in n.knobs]) for n in script.walk()]
    assert parsed == _flatten(model)
    for node in script.walk():
        for knob in node.knobs:
            parse_value(knob.text)


_MUTATION_SOURCES = [p for p in CORPUS if p.stat().st_size < 40_000] + FIXTURES


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(
    hs.sampled_from(_MUTATION_SOURCES),
    hs.lists(hs.tuples(hs.floats(0, 1), hs.binary(min_size=0, max_size=3)), min_size=1, max_size=4),
)
def test_mutated_corpus_files_parse_and_round_trip_or_raise_the_parse_error(
    path: Path, mutations: Any
) -> None:
    data = bytearray(path.read_bytes())
    for where, replacement in mutations:
        at = int(where * len(data))
        data[at : at + 1] = replacement
    text = bytes(data).decode("utf-8", "surrogateescape")
    try:
        script = parse(text, str(path))
    except NkSyntaxError as error:
        where = (error.line, error.column)
        assert min(where) >= 1, where
        return
    assert script.to_text() == text
    # What parses can be scanned and converted without any other exception.
    scan_script(script)
    convert_script(script)
    parse(script.to_text())


def test_a_non_breaking_space_is_part_of_a_word_not_a_separator() -> None:
    text = "Grade {\n na\xa0me \xa0v\n multiply 2\n}\n"
    [node] = parse(text).nodes
    assert [(k.name, k.text) for k in node.knobs] == [("na\xa0me", "\xa0v"), ("multiply", "2")]
    assert all(text[k.start : k.end] == k.text for k in node.knobs)


@pytest.mark.parametrize("path", corpus_params() + FIXTURE_PARAMS)
def test_the_diff_of_a_conversion_is_the_one_difflib_finds(path: Path) -> None:
    """The diff is built from the edits in linear time; it must be the
    unified diff a line-matching tool gives (GNU's marker for a last line
    without a newline aside, which difflib leaves out)."""
    import difflib

    script = read_script(path)
    convert_script(script)
    ours = "".join(script.diff("a", "b"))
    theirs = "".join(
        difflib.unified_diff(
            script.text.splitlines(True), script.to_text().splitlines(True), "a", "b"
        )
    )
    if not script.text.endswith("\n") and theirs:
        theirs += "\n\\ No newline at end of file\n"
    assert ours == theirs


def test_a_diff_marks_a_last_line_without_a_newline() -> None:
    script = parse("Grade {\n multiply 2\n name G\n}")
    script.nodes[0].set_knob_text("multiply", "4")
    assert "".join(script.diff("a", "b")).endswith(" name G\n }\n\\ No newline at end of file\n")


def test_reading_puts_the_garbage_collector_back_as_it_was() -> None:
    """The collector is paused while a script is read (Nuke's interpreter
    is shared): it is on again afterwards, also when the script is refused,
    and stays off when the host had turned it off."""
    import gc

    assert gc.isenabled()
    parse("Grade {\n name G\n}\n")
    assert gc.isenabled()
    with pytest.raises(NkSyntaxError):
        parse("Grade {\n name G\n")
    assert gc.isenabled()
    gc.disable()
    try:
        parse("Grade {\n name G\n}\n")
        assert not gc.isenabled()
    finally:
        gc.enable()
