"""The build step that makes the wheel carry the Nuke half.

Everything else about the package is in pyproject.toml. A checkout keeps
Nuke's files at its top level (init.py, menu.py, gizmos/, tests/); a wheel
has no top level of its own, so the build copies them into the package as
``nuke_plugin/nuke_path/``, the folder ``nuke-stops nuke-path`` prints and
a studio puts on NUKE_PATH. Only the self-test's tests are copied, into
``nuke_stops_selftest/`` (nuke_plugin/host/selftest.py TEST_FILES, read as
text, not imported), with the helpers they import; the stand-in for Nuke
stays out of the wheel.
"""

import ast
import shutil
from pathlib import Path
from typing import Any, Dict, List, Tuple

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
FOLDER = "nuke_path"  # nuke_plugin.install.NUKE_FOLDER
# The self-test's folder in it: a name of its own, as Nuke puts the Nuke
# folder on sys.path and a "tests" there would shadow any other.
SELF_TEST = "nuke_stops_selftest"  # nuke_plugin.install.SELF_TEST_FOLDERS


def self_test_files() -> Tuple[str, ...]:
    """TEST_FILES of nuke_plugin/host/selftest.py, read without running it."""
    tree = ast.parse((HERE / "nuke_plugin" / "host" / "selftest.py").read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == [
            "TEST_FILES"
        ]:
            return tuple(ast.literal_eval(node.value))
    raise RuntimeError("nuke_plugin/host/selftest.py has no TEST_FILES")


def nuke_half() -> List[str]:
    """The checkout's files the Nuke folder holds, relative to the checkout."""
    names = ["init.py", "menu.py", "gizmos/ExposureStops.gizmo", "gizmos/ExposureStops.nk"]
    names += ["tests/conftest.py"]
    names += sorted(str(p.relative_to(HERE)) for p in (HERE / "tests" / "support").glob("*.py"))
    for test in self_test_files():
        names.append(f"tests/{test}")
        init = Path("tests", test).parent / "__init__.py"
        if (HERE / init).is_file() and str(init) not in names:
            names.append(str(init))
    return names


class BuildWithNukeFolder(build_py):  # type: ignore[misc]  # setuptools has no types
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install is the checkout
            return
        target = Path(self.build_lib) / "nuke_plugin" / FOLDER
        for name in nuke_half():
            inside = SELF_TEST + name[len("tests") :] if name.startswith("tests/") else name
            destination = target / inside
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(str(HERE / name), str(destination))


def licence() -> Dict[str, Any]:
    """Apache-2.0, in the form this setuptools takes: an SPDX expression from
    77 on (PEP 639; the table form is deprecated there), the older field
    before (Python 3.7 cannot run setuptools 77)."""
    import setuptools

    if int(setuptools.__version__.split(".")[0]) >= 77:
        return {"license_expression": "Apache-2.0", "license_files": ["LICENSE"]}
    return {"license": "Apache-2.0"}


setup(cmdclass={"build_py": BuildWithNukeFolder}, **licence())
