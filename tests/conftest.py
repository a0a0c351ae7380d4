"""The tests' fixtures. Helpers are plain modules in ``support/``; importing
``support.paths`` first puts the stand-in for ``nuke`` on the path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from support import portable
from support.paths import EXAMPLES, LEGACY, REAL_NUKE

if portable.wanted():  # the paths macOS and Windows take (tests/files/test_portable.py)
    portable.take_away()

# Its sitecustomize takes POSIX away from whatever imports it: never this
# process (--doctest-modules imports every module it finds).
collect_ignore = ["support/without_posix"]

# The panel's tests draw real widgets with no screen (pytest-qt reads this
# before it makes the QApplication).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The same examples on every run and no time limit per example: a busy CI
# machine (two workers on two cores) must not turn a slow example into a
# failure, and a failure must come back on the next run.
# (Inside Nuke, tests/run_in_nuke.py may run without hypothesis.)
try:
    from hypothesis import settings
except ImportError:
    pass
else:
    settings.register_profile("nuke-stops", deadline=None, derandomize=True, database=None)
    settings.load_profile("nuke-stops")


@pytest.fixture
def legacy_comp_text() -> str:
    return (EXAMPLES / "legacy_comp.nk").read_text()


@pytest.fixture
def nuke_host() -> Iterator[Any]:
    """The nuke module with an empty script: real Nuke, or the stand-in."""
    import nuke

    if REAL_NUKE:
        nuke.scriptClear()
    else:
        nuke._reset()  # type: ignore[attr-defined]  # the stand-in's harness
    yield nuke
    if REAL_NUKE:
        nuke.scriptClear()


@pytest.fixture
def comp(tmp_path: Path) -> Path:
    """A copy of the bundled legacy comp to convert."""
    target = tmp_path / "comp.nk"
    shutil.copyfile(LEGACY, target)
    return target
