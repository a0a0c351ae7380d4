"""Where this installation keeps its Nuke half: the folder for NUKE_PATH.

The Nuke half is ``init.py``, ``menu.py`` and ``gizmos/`` (with the
ExposureStops toolset), plus the self-test's tests (``tests/`` in a
checkout, ``nuke_stops_selftest/`` in a package: Nuke puts the folder on
sys.path, where a ``tests`` would shadow any other). An
installed package (a wheel, ``pip install --target``, a rez package)
carries it as package data in ``nuke_plugin/nuke_path/``: the build copies
the checkout's top-level files there (setup.py). A checkout is its own Nuke
folder: the same files at its top level, beside ``nuke_plugin/``. Either
way it is found from the package itself (importlib.resources), so nothing
depends on where or how deep the package is installed.

Standard library only, nothing imported at start-up: ``nuke-stops
nuke-path`` and the Nuke commands both use it.

>>> folder = nuke_folder()
>>> folder is not None and (folder / "menu.py").is_file()
True
>>> exposure_stops_group().name
'ExposureStops.nk'
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

__all__ = [
    "NUKE_FOLDER",
    "PACKAGE",
    "SELF_TEST_FOLDERS",
    "exposure_stops_group",
    "nuke_folder",
    "self_test_folder",
]

#: The package data folder an installed package keeps its Nuke half in.
NUKE_FOLDER = "nuke_path"
#: Where the self-test's tests are in the Nuke folder: a package, a checkout.
SELF_TEST_FOLDERS = ("nuke_stops_selftest", "tests")


def _package_folder() -> Path:
    if sys.version_info >= (3, 9):  # importlib.resources.files is 3.9+; Nuke 13 has 3.7
        from importlib.resources import files

        return Path(str(files(__package__ or "nuke_plugin")))
    return Path(__file__).resolve().parent


#: The folder the package runs from (what Help > About shows).
PACKAGE = _package_folder()


def _is_nuke_folder(folder: Path) -> bool:
    return all(
        (folder / name).is_file() for name in ("init.py", "menu.py", "gizmos/ExposureStops.nk")
    )


def nuke_folder() -> Optional[Path]:
    """The folder holding init.py, menu.py and gizmos/ for NUKE_PATH: the
    package's ``nuke_path`` data when installed, the checkout when run from
    one; None when the installation lacks it (a broken copy)."""
    for folder in (PACKAGE / NUKE_FOLDER, PACKAGE.parent):
        if _is_nuke_folder(folder):
            return folder
    return None


def exposure_stops_group() -> Optional[Path]:
    """The ExposureStops node as a Group script, or None when missing."""
    folder = nuke_folder()
    return None if folder is None else folder / "gizmos" / "ExposureStops.nk"


def self_test_folder(first: str) -> Optional[Path]:
    """The folder holding the self-test's tests (``first`` is one of them,
    relative to it), or None when this installation has not got them."""
    folder = nuke_folder()
    if folder is None:
        return None
    found = [folder / name for name in SELF_TEST_FOLDERS if (folder / name / first).is_file()]
    return found[0] if found else None
