"""Run the behaviour tests inside Nuke: one menu click, or ``nuke -t``.

The tests are the in-Nuke behaviour tests (TEST_FILES: the same files CI
runs on the stand-in; an installed package carries them in its Nuke
folder) and the exposure math, run by pytest with the real ``nuke``
module. pytest, hypothesis and numpy must be importable by Nuke's Python,
for example ``pip install --target ~/nuke_pytest pytest hypothesis numpy``
and that folder on PYTHONPATH. The tests build their nodes in an empty
script, so the menu command asks first and refuses while the current
script has unsaved changes.
"""

from __future__ import annotations

from typing import Any, List, Sequence, Tuple

from ..install import self_test_folder

#: Under tests/: what runs inside Nuke. Tests that only the stand-in can
#: drive (an artist's typing, a failing host) skip themselves there.
TEST_FILES = (
    "host/test_commands.py",
    "host/test_sync.py",
    "host/test_panel.py",  # skips itself where pytest-qt is not importable
    "adapters/test_live_node.py",
    "test_menu.py",
    "test_gizmo.py",
    "core/test_exposure.py",
    "core/test_notation.py",
)

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

    tests = self_test_folder(TEST_FILES[0])
    if tests is None:
        return 4, "the self-test's tests are not in this installation"
    files = [str(tests / name) for name in TEST_FILES]
    collector = _Collector()
    args = ["-q", "-p", "no:cacheprovider", "--rootdir", str(tests.parent), *files, *extra]
    status = int(pytest.main(args, plugins=[collector]))
    lines = [
        f"{collector.passed} passed, {len(collector.failed)} failed, {collector.skipped} skipped"
    ]
    lines += [f"  FAILED {name}" for name in collector.failed[:20]]
    if len(collector.failed) > 20:
        lines.append(f"  ... and {len(collector.failed) - 20} more")
    lines.append(f"(tests in {tests})")
    return status, "\n".join(lines)


_NEEDED = ("pytest", "hypothesis", "numpy")


def _importable(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def run_from_menu(*extra: str) -> None:
    """Nuke > nuke-stops > Help > Run self-test (``extra``: pytest options)."""
    import nuke

    if self_test_folder(TEST_FILES[0]) is None:
        nuke.message("nuke-stops self-test: the tests are not in this installation")
        return
    missing = [name for name in _NEEDED if not _importable(name)]
    if missing:
        nuke.message(
            f"nuke-stops self-test needs {', '.join(missing)} in Nuke's Python:\n"
            f"pip install --target DIR {' '.join(_NEEDED)}, add DIR to PYTHONPATH, restart Nuke."
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
