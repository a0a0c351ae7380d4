"""The stand-in for ``nuke`` is strict: it offers only what the real module has.

Every public name it defines is checked against the ``types-nuke`` stubs
(Nuke 13.2's API; the stub package's own sources of truth are Foundry's
modules). Names starting with an underscore are the test harness's own.
"""

from __future__ import annotations

import ast
import inspect
import sysconfig
from pathlib import Path
from typing import Dict, Set

import pytest
from conftest import REAL_NUKE

pytestmark = pytest.mark.skipif(REAL_NUKE, reason="checks the stand-in, not real Nuke")


def _stubs() -> Dict[str, Set[str]]:
    """Module-level names and, per class, member names (bases followed)."""
    folder = Path(sysconfig.get_paths()["purelib"]) / "nuke-stubs"
    assert folder.is_dir(), f"the types-nuke stubs are not installed ({folder})"
    classes: Dict[str, Set[str]] = {}
    bases: Dict[str, list] = {}  # type: ignore[type-arg]
    module: Set[str] = set()
    for path in folder.glob("*.pyi"):
        tree = ast.parse(path.read_text())
        for item in tree.body:
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


def test_every_module_level_name_exists_in_the_stubs() -> None:
    import nuke

    offered = {n for n in vars(nuke) if not n.startswith("_")}
    offered -= {"annotations", "copy", "math", "Any", "Callable", "Dict", "List", "Optional",
                "Tuple"}  # fmt: skip  (the stand-in's own imports)
    missing = sorted(offered - STUBS[""])
    assert missing == [], f"the stand-in offers names the real nuke module lacks: {missing}"


def test_every_method_of_every_class_exists_in_the_stubs() -> None:
    import nuke

    problems = []
    for name, cls in vars(nuke).items():
        if name.startswith("_") or not inspect.isclass(cls) or cls.__module__ != nuke.__name__:
            continue
        members = {m for m in vars(cls) if not m.startswith("_")}
        for base in cls.__mro__[1:]:
            if base.__module__ == nuke.__name__ and not base.__name__.startswith("_"):
                members |= {m for m in vars(base) if not m.startswith("_")}
        extra = members - STUBS.get(name, set())
        if extra:
            problems.append(f"{name}: {sorted(extra)}")
    assert problems == []


def test_unknown_names_raise_attribute_error(nuke_host: object) -> None:
    import nuke

    with pytest.raises(AttributeError):
        getattr(nuke, "knobChangedCallbacks")  # noqa: B009 - not a name of the real module
    node = nuke.createNode("Grade")
    with pytest.raises(AttributeError):
        node.setKnob  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError):
        node["multiply"].setValues  # type: ignore[attr-defined]  # noqa: B018


def test_argument_shapes_are_checked(nuke_host: object) -> None:
    import nuke

    grade = nuke.createNode("Grade")
    multiply = grade["multiply"]
    with pytest.raises(TypeError):
        multiply.setValue("2")
    with pytest.raises(IndexError):
        multiply.setValue(2.0, 4)
    with pytest.raises(TypeError):
        multiply.setExpression(2)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        multiply.setValue(float("nan"))
    with pytest.raises(NameError):
        grade["no_such_knob"]
    with pytest.raises(ValueError):
        nuke.menu("No such menu")
    with pytest.raises(TypeError):
        nuke.menu("Nuke").addCommand("x", 42)


def test_undo_cancel_restores_nodes_in_place(nuke_host: object) -> None:
    import nuke

    grade = nuke.createNode("Grade")
    nuke.Undo.begin("edit")
    grade["multiply"].setValue(4.0)
    grade.addKnob(nuke.Double_Knob("extra"))
    nuke.createNode("Blur")
    nuke.Undo.cancel()
    assert grade["multiply"].value(0) == 1.0 and grade.knob("extra") is None
    assert [n.name() for n in nuke.allNodes()] == ["Grade1"]
