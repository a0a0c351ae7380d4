"""Run the behaviour tests inside Nuke: one menu click, or ``nuke -t``.

The tests are the checkout's ``tests/test_in_nuke.py`` (the same file CI
runs on the stand-in) and ``tests/test_stops.py``, run by pytest with the
real ``nuke`` module. pytest must be importable by Nuke's Python, for
example ``pip install --target ~/nuke_pytest pytest`` and that folder on
PYTHONPATH. The tests build their nodes in an empty script, so the menu
command asks first and refuses while the current script has unsaved
changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
TEST_FILES = ("test_in_nuke.py", "test_stops.py")

__all__ = ["TEST_FILES", "run_from_menu", "run_tests"]


class _Collector:
    """A pytest plugin that keeps each test's outcome."""

    def __init__(self) -> None:
        self.passed = 0
        self.skipped = 0
        self.failed: List[str] = []

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.failed:
            self.failed.append(f"{report.nodeid} ({report.when})")
        elif report.when == "call" and report.passed:
            self.passed += 1
        elif report.skipped:
            self.skipped += 1


def run_tests(extra: Sequence[str] = ()) -> Tuple[int, str]:
    """Run the in-Nuke tests; returns pytest's exit status and a summary."""
    import pytest

    tests = ROOT / "tests"
    files = [str(tests / name) for name in TEST_FILES]
    collector = _Collector()
    args = ["-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT), *files, *extra]
    status = int(pytest.main(args, plugins=[collector]))
    lines = [
        f"{collector.passed} passed, {len(collector.failed)} failed, {collector.skipped} skipped"
    ]
    lines += [f"  FAILED {name}" for name in collector.failed[:20]]
    if len(collector.failed) > 20:
        lines.append(f"  ... and {len(collector.failed) - 20} more")
    return status, "\n".join(lines)


def run_from_menu(*extra: str) -> None:
    """Nuke > nuke-stops > Help > Run self-test (``extra``: pytest options)."""
    import nuke

    if not (ROOT / "tests" / TEST_FILES[0]).is_file():
        nuke.message(f"nuke-stops self-test: the tests are not in {ROOT / 'tests'}")
        return
    try:
        import pytest  # noqa: F401
    except ImportError:
        nuke.message(
            "nuke-stops self-test needs pytest in Nuke's Python:\n"
            "pip install --target DIR pytest, add DIR to PYTHONPATH, restart Nuke."
        )
        return
    if nuke.root().modified():
        nuke.message("nuke-stops self-test: save or close the current script first.")
        return
    if not nuke.ask("The nuke-stops self-test builds test nodes in this empty script. Run it?"):
        return
    status, summary = run_tests(extra)
    verdict = "all behaviour tests passed" if status == 0 else "SOME TESTS FAILED"
    nuke.message(f"nuke-stops self-test: {verdict}\n{summary}\n(details in the terminal)")
