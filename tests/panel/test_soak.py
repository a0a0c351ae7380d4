"""The panel through many edits under the binding installed: the soak that
the panel extra's pins rest on (benchmarks/soak_panel.py, shortened).
PySide6 6.12.0 aborts Python within 600 of these steps."""

from __future__ import annotations

import subprocess
import sys

import pytest

from support.paths import ROOT

pytestmark = pytest.mark.slow  # the soak runs in its own process


def test_a_thousand_edits_nudges_and_refreshes_run_clean() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "soak_panel.py"), "1000"],
        capture_output=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert b"1,000 edits, nudges and refreshes" in done.stdout
    assert b"no crash" in done.stdout
