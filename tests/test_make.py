"""The make targets' promises, read from what make would run (a dry run)."""

from __future__ import annotations

import shutil
import subprocess
from typing import List

import pytest

from support.paths import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")


def planned(*args: str) -> List[str]:
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_make_test_without_python_3_10_runs_the_rest_and_says_why_last() -> None:
    lines = planned("test", "QT5_PYTHON=")
    assert any("pytest -rs -n" in line for line in lines)
    assert not any(".venv-qt5/bin/pytest" in line for line in lines)
    assert "the PySide2 run" in lines[-1]
    assert "was skipped: no Python 3.10 here" in lines[-1]


def test_make_clean_removes_what_the_targets_make() -> None:
    plan = " ".join(planned("clean"))
    for made in (".venv ", ".venv-qt5", "build", ".pytest_cache", ".mypy_cache", ".ruff_cache",
                 ".hypothesis", ".import_linter_cache", "*.egg-info", "__pycache__"):  # fmt: skip
        assert made in plan, made
