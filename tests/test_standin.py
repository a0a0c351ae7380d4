"""The stand-in for ``nuke`` models Nuke, strictly, with code of its own.

Its public names are checked against the ``types-nuke`` stubs (Nuke
13.2's API) plus the few names Foundry documents that those stubs lack, and
its behaviour against what Foundry documents, with literal expectations
(never computed by the product). It must import nothing from nuke_plugin.
"""

from __future__ import annotations

import ast
import inspect
import re
import sysconfig
from pathlib import Path
from typing import Any, Dict, Set

import pytest

from support.paths import REAL_NUKE, ROOT, STANDIN

pytestmark = pytest.mark.skipif(REAL_NUKE, reason="checks the stand-in, not real Nuke")

#: Names Foundry documents that the types-nuke 13.2 stubs lack.
DOCUMENTED_NOT_IN_STUBS = {
    # https://learn.foundry.com/nuke/developers/160/pythondevguide/_autosummary/nuke.lastHitGroup.html
    "lastHitGroup": "",
}


def _stubs() -> Dict[str, Set[str]]:
    """Module-level names and, per class, member names (bases followed)."""
    folder = Path(sysconfig.get_paths()["purelib"]) / "nuke-stubs"
    assert folder.is_dir(), f"the types-nuke stubs are not installed ({folder})"
    classes: Dict[str, Set[str]] = {}
    bases: Dict[str, list] = {}  # type: ignore[type-arg]
    module: Set[str] = set()
    for path in folder.glob("*.pyi"):
        for item in ast.parse(path.read_text()).body:
            if isinstance(item, ast.ClassDef):
                module.add(item.name)
                members = classes.setdefault(item.name, set())
                for member in item.body:
                    if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        members.add(member.name)
                    elif isinstance(member, ast.AnnAssign) and isinstance(member.target, ast.Name):
                        members.add(member.target.id)
                bases[item.name] = [b.id for b in item.bases if isinstance(b, ast.Name)]
            elif isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                module.add(item.name)
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                module.add(item.target.id)
            elif isinstance(item, ast.Assign):
                module.update(t.id for t in item.targets if isinstance(t, ast.Name))

    def all_members(name: str) -> Set[str]:
        found = set(classes.get(name, ()))
        for base in bases.get(name, []):
            found |= all_members(base)
        return found

    result = {"": module}
    result.update({name: all_members(name) for name in classes})
    return result


STUBS = _stubs()


def _offered(nuke: Any) -> Set[str]:
    """Public names the stand-in defines (not what it imports for itself)."""
    names = set()
    for name, value in vars(nuke).items():
        if name.startswith("_"):
            continue
        module = getattr(value, "__module__", "") or ""
        if isinstance(value, (bool, int, float, str)) or module.split(".")[0] == "nuke":
            names.add(name)
    return names


def test_every_module_level_name_exists_in_the_stubs_or_foundrys_docs() -> None:
    import nuke

    missing = sorted(_offered(nuke) - STUBS[""] - set(DOCUMENTED_NOT_IN_STUBS))
    assert missing == [], f"the stand-in offers names the real nuke module lacks: {missing}"
    assert "lastHitGroup" in _offered(nuke)


def test_every_method_of_every_class_exists_in_the_stubs() -> None:
    import nuke

    problems = []
    for name in _offered(nuke):
        cls = getattr(nuke, name)
        if not inspect.isclass(cls):
            continue
        members = {
            m
            for base in cls.__mro__
            if base.__module__.startswith("nuke")
            for m in vars(base)
            if not m.startswith("_")
        }
        extra = members - STUBS.get(name, set())
        if extra:
            problems.append(f"{name}: {sorted(extra)}")
    assert problems == []


def _words(paths: Any) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for path in paths:
        for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", path.read_text()):
            counts[word] = counts.get(word, 0) + 1
    return counts


def test_everything_the_standin_offers_is_used() -> None:
    """Nothing is modelled that no code calls: each public name and method
    is used by the product, the tests, or the stand-in itself (reading a
    script makes knobs of every class it names), beyond its definition."""
    import nuke

    sources = [*(ROOT / "nuke_plugin").rglob("*.py"), ROOT / "menu.py", ROOT / "init.py"]
    sources += [p for p in (ROOT / "tests").rglob("*.py")]
    used = _words(sources)
    defined = _words([])
    for path in (STANDIN / "nuke").glob("*.py"):
        for line in path.read_text().splitlines():
            found = re.match(r"\s*(?:def|class)\s+(\w+)|(\w+)\s*=", line)
            if found:
                name = found.group(1) or found.group(2)
                defined[name] = defined.get(name, 0) + 1
    names = set(_offered(nuke))
    for name in list(names):
        cls = getattr(nuke, name)
        if inspect.isclass(cls):
            names |= {m for m in vars(cls) if not m.startswith("_")}
    unused = sorted(n for n in names if used.get(n, 0) <= defined.get(n, 0))
    assert unused == []


def test_the_standin_imports_nothing_of_the_product() -> None:
    for path in sorted([*(STANDIN / "nuke").glob("*.py"), *(STANDIN / "nukescripts").glob("*.py")]):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.startswith("nuke_plugin") for n in names), (path.name, names)


def test_unknown_names_raise_attribute_error(nuke_host: Any) -> None:
    with pytest.raises(AttributeError):
        nuke_host.knobChangedCallbacks  # noqa: B018 - not a name of the real module
    node = nuke_host.createNode("Grade")
    with pytest.raises(AttributeError):
        node.setKnob  # noqa: B018
    with pytest.raises(AttributeError):
        node["multiply"].setValues  # noqa: B018


def test_argument_shapes_are_checked(nuke_host: Any) -> None:
    grade = nuke_host.createNode("Grade")
    multiply = grade["multiply"]
    with pytest.raises(TypeError):
        multiply.setValue("2")
    with pytest.raises(IndexError):
        multiply.setValue(2.0, 4)
    with pytest.raises(TypeError):
        multiply.setExpression(2)
    with pytest.raises(ValueError, match="must be finite"):
        multiply.setValue(float("nan"))
    with pytest.raises(NameError):
        grade["no_such_knob"]
    with pytest.raises(ValueError, match="no menu 'No such menu'"):
        nuke_host.menu("No such menu")
    with pytest.raises(TypeError):
        nuke_host.menu("Nuke").addCommand("x", 42)
    with pytest.raises(ValueError, match="not a key sequence"):
        nuke_host.menu("Nuke").addCommand("x", print, "ctrl+alt+Bogus")
    with pytest.raises(ValueError, match="shortcutContext"):
        nuke_host.menu("Nuke").addCommand("x", print, shortcutContext=5)


# -- knob text, as Nuke gives and takes it ---------------------------------------------


def test_to_script_leaves_out_the_outer_braces(nuke_host: Any) -> None:
    multiply = nuke_host.createNode("Grade")["multiply"]
    assert multiply.toScript() == "1"
    assert multiply.fromScript("1.5 1.2 1 1") is True
    assert multiply.toScript() == "1.5 1.2 1 1"
    assert multiply.toScript(True) == "{1.5 1.2 1 1}"
    assert multiply.fromScript("{curve x1 0.5 x10 2} 1.2 1 1") is True
    assert multiply.toScript() == "{curve x1 0.5 x10 2} 1.2 1 1"


def test_numbers_are_written_with_ten_significant_digits(nuke_host: Any) -> None:
    stops = nuke_host.Double_Knob("s")
    nuke_host.createNode("Grade").addKnob(stops)
    stops.setValue(0.5849625007211562)
    assert stops.toScript() == "0.5849625007"
    assert stops.value() == 0.5849625007211562  # stored as a double


def test_every_channel_is_written_even_identical_animations(nuke_host: Any) -> None:
    multiply = nuke_host.createNode("Grade")["multiply"]
    for channel in range(4):
        multiply.setValueAt(1.0, 1, channel)
        multiply.setValueAt(2.0, 10, channel)
    assert multiply.toScript() == " ".join(["{curve x1 1 x10 2}"] * 4)
    multiply.setExpression("parent.x")  # one expression for the whole knob
    assert multiply.toScript() == "{parent.x}"


@pytest.mark.parametrize(
    "text", ["{1.5 1.2 1 1}", "1.5 1.2 1", "1.5 abc 1 1", "{curve x1 1", "1e999", '"2"']
)
def test_from_script_returns_false_on_text_it_refuses(nuke_host: Any, text: str) -> None:
    multiply = nuke_host.createNode("Grade")["multiply"]
    assert multiply.fromScript(text) is False
    assert multiply.toScript() == "1"


# -- evaluation: curves and expressions ------------------------------------------------------


def _at(knob: Any, text: str, frame: float) -> float:
    assert knob.fromScript(text) is True
    return float(knob.getValueAt(frame))


@pytest.mark.parametrize(
    ("curve", "frame", "expected"),
    [
        ("{curve L x1 0 x11 10}", 6, 5.0),  # linear
        ("{curve K x1 1 x10 2}", 9.99, 1.0),  # constant: the key to the left
        ("{curve R x0 0 x1 1 x2 0 x3 1}", 1.5, 0.5),  # Catmull-Rom, by symmetry
        ("{curve x0 0 x10 10}", 5, 5.0),  # two smooth keys: a straight line
        ("{curve x1 0 x2 5 x3 5}", 2.5, 5.0),  # smooth: no overshoot past 5
        ("{curve C x0 0 x1 1 x2 0}", 0.5, 0.6875),  # natural cubic spline
        ("{curve x0 0 s3 x1 1 s0}", 0.5, 0.875),  # user slopes (Hermite)
        ("{curve x1 1 x10 2}", 20, 2.0),  # constant extrapolation
        ("{curve L l x1 1 l x2 2}", 3, 3.0),  # linear extrapolation
    ],
)
def test_curves_follow_nukes_documented_interpolation(
    nuke_host: Any, curve: str, frame: float, expected: float
) -> None:
    knob = nuke_host.Double_Knob("v")
    nuke_host.createNode("Grade").addKnob(knob)
    assert _at(knob, curve, frame) == pytest.approx(expected, abs=1e-12)


def test_expressions_are_evaluated_with_knob_and_channel_references(nuke_host: Any) -> None:
    group = nuke_host.createNode("Group")
    group.addKnob(nuke_host.Double_Knob("gain"))
    group["gain"].setValue(3.0)
    with group:
        source = nuke_host.createNode("Multiply")
        source["value"].fromScript("1 2 4 8")
        grade = nuke_host.createNode("Grade")
    grade.addKnob(nuke_host.Double_Knob("stops"))
    grade["stops"].setValue(1.0)
    grade.addKnob(nuke_host.Boolean_Knob("gang"))
    white = grade["white"]
    assert _at(white, "{pow(2,stops+1)}", 1) == 4.0
    assert _at(white, "{parent.gain*2}", 1) == 6.0
    assert _at(white, '{"Multiply1.value.b - 1"}', 1) == 3.0
    assert _at(white, "{gang?2:3}", 1) == 3.0
    assert _at(white, '{"(-2)**2 + 10 % 4 * 2"}', 1) == 8.0
    assert white.fromScript("{Multiply1.value}") is True
    assert [white.getValueAt(1, i) for i in range(4)] == [1.0, 2.0, 4.0, 8.0]  # channel by channel
    assert _at(white, "{curve*2 x1 1 x3 3}", 2) == 4.0
    assert _at(white, "{frame/2}", 7) == 3.5
    white.fromScript("{no_such_knob}")
    with pytest.raises(ValueError, match="no_such_knob"):
        white.getValueAt(1)


# -- undo ---------------------------------------------------------------------------------


def test_undo_cancel_restores_nodes_in_place(nuke_host: Any) -> None:
    grade = nuke_host.createNode("Grade")
    nuke_host.Undo.begin("edit")
    grade["multiply"].setValue(4.0)
    grade.addKnob(nuke_host.Double_Knob("extra"))
    nuke_host.createNode("Blur")
    nuke_host.Undo.cancel()
    assert grade["multiply"].value(0) == 1.0
    assert grade.knob("extra") is None
    assert [n.name() for n in nuke_host.allNodes()] == ["Grade1"]


def test_nested_undo_groups_are_one_step_and_a_nested_cancel_undoes_nothing(
    nuke_host: Any,
) -> None:
    grade = nuke_host.createNode("Grade")
    nuke_host.Undo.begin("menu command")  # what Nuke opens around a menu command
    nuke_host.Undo.begin("inner")
    grade["multiply"].setValue(4.0)
    nuke_host.Undo.cancel()  # docs silent: the stand-in undoes nothing here
    assert grade["multiply"].value(0) == 4.0
    nuke_host.Undo.end()
    assert nuke_host.Undo.undoSize() == 1
    nuke_host.Undo.undo()
    assert grade["multiply"].value(0) == 1.0


def test_an_invoked_menu_command_runs_in_an_undo_group(nuke_host: Any) -> None:
    grade = nuke_host.createNode("Grade")
    item = nuke_host.menu("Nuke").addCommand("Tools/Double", lambda: grade["white"].setValue(2.0))
    item.invoke()
    assert nuke_host.Undo.undoDescribe() == "Double"
    nuke_host.Undo.undo()
    assert grade["white"].value(0) == 1.0


# -- groups, selection, clones, paste ---------------------------------------------------------


def test_selected_nodes_are_the_current_groups_and_last_hit_group_is_modelled(
    nuke_host: Any,
) -> None:
    outer = nuke_host.createNode("Grade")
    group = nuke_host.createNode("Group")
    with group:
        inner = nuke_host.createNode("Grade")
        assert nuke_host.thisGroup() is group
        assert nuke_host.selectedNodes() == [inner]
    outer.setSelected(True)
    assert nuke_host.selectedNodes() == [outer, group]  # createNode selected the group
    assert nuke_host.lastHitGroup() is nuke_host.root()
    nuke_host._click_into(group)
    assert nuke_host.lastHitGroup() is group
    assert inner.fullName() == "Group1.Grade1"
    assert nuke_host.toNode("Group1.Grade1") is inner


def test_clones_share_their_knobs(nuke_host: Any) -> None:
    grade = nuke_host.createNode("Grade")
    clone = nuke_host.clone(grade, "", False)
    assert grade.clones() == clone.clones() == 1
    grade["multiply"].setValue(2.0)
    assert clone["multiply"].value(0) == 2.0
    assert nuke_host.createNode("Grade").clones() == 0


def test_node_paste_reads_a_script_into_the_current_group(nuke_host: Any, tmp_path: Path) -> None:
    path = tmp_path / "paste.nk"
    path.write_text(
        "set cut_paste_input [stack 0]\nversion 13.0 v1\npush $cut_paste_input\n"
        'Group {\n name Look\n addUserKnob {20 tab l "My Tab"}\n'
        ' addUserKnob {7 stops l "stops" t "in stops" R -5 5}\n stops 1\n'
        " addUserKnob {1 hidden +INVISIBLE}\n}\n"
        " Multiply {\n  value {{pow(2,parent.stops)} 1 1 1}\n  name M\n }\n"
        "end_group\n"
    )
    group = nuke_host.createNode("Group")
    with group:
        pasted = nuke_host.nodePaste(str(path))
    assert pasted is not None
    assert pasted.fullName() == "Group1.Look"
    assert pasted.isSelected()
    stops = pasted["stops"]
    assert (stops.Class(), stops.label(), stops.tooltip(), stops.min(), stops.max()) == (
        "Double_Knob",
        "stops",
        "in stops",
        -5.0,
        5.0,
    )
    assert pasted["tab"].label() == "My Tab"
    assert pasted["hidden"].getFlag(nuke_host.INVISIBLE)
    assert pasted.node("M")["value"].getValueAt(1, 0) == 2.0


# -- callbacks, progress, messages ------------------------------------------------------------


def test_knob_changed_runs_only_while_the_panel_is_open_unless_nuke_17(nuke_host: Any) -> None:
    seen = []
    nuke_host.addKnobChanged(lambda: seen.append(nuke_host.thisKnob().name()), nodeClass="Grade")
    grade = nuke_host.createNode("Grade", inpanel=False)
    grade["white"].setValue(2.0)
    assert seen == []
    grade.showControlPanel()
    grade["white"].setValue(3.0)
    assert seen == ["showPanel", "white"]
    grade.hideControlPanel()
    nuke_host._session().switches["knob_changed_always"] = True
    grade["gamma"].setValue(2.0)
    assert seen[-2:] == ["hidePanel", "gamma"]


def test_update_ui_runs_for_every_node_at_idle(nuke_host: Any) -> None:
    seen = []
    nuke_host.addUpdateUI(lambda: seen.append(nuke_host.thisNode().name()), nodeClass="Grade")
    nuke_host.createNode("Grade")
    group = nuke_host.createNode("Group")
    with group:
        nuke_host.createNode("Grade")
    nuke_host._idle()
    assert seen == ["Grade1", "Grade1"]


def test_callbacks_are_removed_only_by_the_identical_registration(nuke_host: Any) -> None:
    def call() -> None:
        pass

    nuke_host.addKnobChanged(call, nodeClass="Grade")
    with pytest.raises(ValueError, match="no such callback"):
        nuke_host.removeKnobChanged(call, nodeClass="Blur")
    nuke_host.removeKnobChanged(call, nodeClass="Grade")
    assert nuke_host._session().knob_changed == []


def test_a_message_under_a_live_progress_window_is_recorded(nuke_host: Any) -> None:
    task = nuke_host.ProgressTask("work")
    nuke_host.message("too early")
    del task
    nuke_host.message("after")
    assert nuke_host._session().messages_over_progress == ["too early"]
    assert nuke_host._session().messages == ["too early", "after"]


def test_the_standin_is_a_package_beside_the_tests() -> None:
    assert (STANDIN / "nuke" / "__init__.py").is_file()
    assert str(ROOT) in str(STANDIN)


def test_on_create_and_on_destroy_run_for_their_class_and_are_removed_exactly(
    nuke_host: Any,
) -> None:
    seen = []

    def created() -> None:
        seen.append(("create", nuke_host.thisNode().name()))

    def destroyed() -> None:
        seen.append(("destroy", nuke_host.thisNode().name()))

    nuke_host.addOnCreate(created, nodeClass="Grade")
    nuke_host.addOnDestroy(destroyed)
    grade = nuke_host.createNode("Grade", inpanel=False)
    nuke_host.createNode("Blur", inpanel=False)
    nuke_host.delete(grade)
    assert seen == [("create", "Grade1"), ("destroy", "Grade1")]
    with pytest.raises(ValueError, match="no such callback"):
        nuke_host.removeOnCreate(created)  # registered for Grade, not every class
    nuke_host.removeOnCreate(created, nodeClass="Grade")
    nuke_host.removeOnDestroy(destroyed)
    nuke_host.delete(nuke_host.createNode("Grade", inpanel=False))
    assert len(seen) == 2


def test_update_ui_runs_at_idle_until_removed(nuke_host: Any) -> None:
    seen = []

    def at_idle() -> None:
        seen.append(nuke_host.thisNode().name())

    nuke_host.createNode("Grade", inpanel=False)
    nuke_host.addUpdateUI(at_idle, nodeClass="Grade")
    nuke_host._idle()
    nuke_host.removeUpdateUI(at_idle, nodeClass="Grade")
    nuke_host._idle()
    assert seen == ["Grade1"]
