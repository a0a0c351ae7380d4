"""The paths macOS and Windows take, walked on Linux with the POSIX-only
modules and calls taken away (support/portable.py): the file-safety tests
pass that way too, a lock file stands in for flock, and nothing Nuke loads
(init.py, menu.py, every Nuke command) needs what Windows has not got.

What this cannot show: Windows' own file system (its sharing rules, its
os.replace over a file another program holds open) and the Win32 calls of
_running_on_windows, checked here against the documented behaviour only;
docs/real_nuke_checks.md lists them for a Windows machine.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from nuke_plugin.files import safe_write

from support import portable
from support.commandline import cli
from support.paths import ROOT, STANDIN

pytestmark = pytest.mark.slow  # processes of their own


def _without_posix() -> Dict[str, str]:
    return {
        **os.environ,
        portable.SWITCH: "1",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(portable.SITE), os.environ.get("PYTHONPATH", "")])
        ),
    }


@pytest.mark.skipif(portable.wanted(), reason="this is the run that starts the run without POSIX")
def test_the_file_safety_tests_pass_without_posix() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", "-p", "no:xdist"]
        + ["tests/files", "tests/cli/test_convert.py", "tests/cli/test_cdl.py"],
        cwd=ROOT,
        env={**os.environ, portable.SWITCH: "1"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ passed, \d+ skipped in .*", summary), summary
    # What only POSIX does is skipped by name, not quietly.
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert all("POSIX" in line for line in skipped), skipped


def test_this_run_is_without_posix_when_asked() -> None:
    """The switch really takes them away (else the run above proves nothing)."""
    if portable.wanted():
        assert portable.taken_away()
        with pytest.raises(ImportError):
            import fcntl  # noqa: F401
    else:
        assert not portable.taken_away()


@pytest.fixture
def no_flock(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process without fcntl, as on Windows: locks are lock files."""
    monkeypatch.setitem(sys.modules, "fcntl", None)


def test_a_lock_file_is_made_held_and_removed(tmp_path: Path, no_flock: None) -> None:
    lock = tmp_path / safe_write.LOCK_FILE
    with safe_write.FolderLocks([tmp_path]):
        assert lock.read_text() == str(os.getpid())
        safe_write.write(safe_write.plan_output(str(tmp_path / "a.cc")), ["a"])  # taken once
    assert not lock.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.cc"]


def test_a_run_waits_for_the_lock_file_another_run_holds(comp: Path, no_flock: None) -> None:
    """Another run (this process) holds the folder's lock file: a convert
    without flock says it waits, in one line, and goes on once it is free."""
    command = [sys.executable, "-m", "nuke_plugin", "convert", "--in-place", str(comp)]
    with safe_write.FolderLocks([comp.parent]):
        run = subprocess.Popen(
            command, cwd=ROOT, env=_without_posix(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert run.stderr is not None
        ready, _, _ = select.select([run.stderr], [], [], 60)
        line = run.stderr.readline().decode() if ready else "(nothing in 60 s)"
        assert b"nks_stops" not in comp.read_bytes()  # it waited
    out, err = run.communicate(timeout=120)
    assert (
        line == f"nuke-stops: warning: waiting for another run in {os.path.realpath(comp.parent)}\n"
    )
    assert run.returncode == 0, err
    assert b"nks_stops" in comp.read_bytes()
    assert (comp.parent / "comp.nk.bak").exists()
    assert not (comp.parent / safe_write.LOCK_FILE).exists()


def _dead_process_id() -> int:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return ended.pid


@pytest.mark.parametrize("left", ["a dead run's id", "no id, long ago"])
def test_a_lock_file_a_killed_run_left_is_removed(comp: Path, left: str) -> None:
    lock = comp.parent / safe_write.LOCK_FILE
    if left == "a dead run's id":
        lock.write_text(str(_dead_process_id()))
    else:
        lock.write_text("")
        old = os.stat(lock).st_mtime - 60
        os.utime(lock, (old, old))
    result = subprocess.run(
        [sys.executable, "-m", "nuke_plugin", "convert", "--in-place", str(comp)],
        cwd=ROOT,
        env=_without_posix(),
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert b"removed the lock file a run that ended left" in result.stderr
    assert b"nks_stops" in comp.read_bytes()
    assert not lock.exists()


class _Kernel32:
    """The three Win32 calls _running_on_windows makes, as documented:
    OpenProcess returns 0 and sets the last error when it fails (5: access
    denied, 87: no such process); GetExitCodeProcess writes 259
    (STILL_ACTIVE) for a process still running."""

    def __init__(self, open_error: Optional[int], exit_code: int = 259) -> None:
        self.open_error = open_error
        self.exit_code = exit_code
        self.closed: List[int] = []

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int:  # noqa: N802
        assert access == 0x1000  # PROCESS_QUERY_LIMITED_INFORMATION
        assert inherit is False
        return 0 if self.open_error is not None else 42

    def GetLastError(self) -> int:  # noqa: N802
        return self.open_error or 0

    def GetExitCodeProcess(self, handle: int, code: Any) -> int:  # noqa: N802
        code._obj.value = self.exit_code
        return 1

    def CloseHandle(self, handle: int) -> int:  # noqa: N802
        self.closed.append(handle)
        return 1


@pytest.mark.parametrize(
    ("kernel32", "alive"),
    [
        (_Kernel32(None, 259), True),
        (_Kernel32(None, 0), False),
        (_Kernel32(87), False),
        (_Kernel32(5), True),  # another user's process: denied to us, and alive
    ],
)
def test_whether_a_process_lives_on_windows(kernel32: _Kernel32, alive: bool) -> None:
    assert safe_write._running_on_windows(1234, kernel32) is alive
    assert kernel32.closed == ([] if kernel32.open_error else [42])


START_WITHOUT_POSIX = r"""
import importlib, pkgutil, runpy, sys
sys.path[:0] = [sys.argv[2], sys.argv[1]]
import nuke
nuke.GUI = True
runpy.run_path(sys.argv[1] + "/init.py")
runpy.run_path(sys.argv[1] + "/menu.py")
import nuke_plugin.host, nuke_plugin.cli
for package in (nuke_plugin.host, nuke_plugin.cli):
    for found in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        importlib.import_module(found.name)
nuke.menu("Nodes").findItem("Color/ExposureStops (stops)").invoke()
grade = nuke.createNode("Grade")
grade.setSelected(True)
nuke.menu("Nuke").findItem("nuke-stops/Nudge/+1 stop").invoke()
multiply = grade["multiply"]
print(multiply.value(0), multiply.value(3), len(nuke.allNodes()), sys.modules.get("fcntl", "-"))
"""


def test_nuke_starts_and_every_nuke_command_module_loads_without_posix() -> None:
    result = subprocess.run(
        [sys.executable, "-c", START_WITHOUT_POSIX, str(ROOT), str(STANDIN)],
        env=_without_posix(),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT.parent,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.split() == ["2.0", "1.0", "2", "None"]  # +1 stop on rgb; fcntl gone


def test_the_command_line_writes_without_posix(tmp_path: Path) -> None:
    """convert -o in a process without POSIX (cli() passes the switch on in
    the run without POSIX; here it is given explicitly)."""
    result = cli(
        "convert",
        str(ROOT / "examples" / "legacy_comp.nk"),
        "-o",
        str(tmp_path / "out.nk"),
        env={portable.SWITCH: "1", "PYTHONPATH": str(portable.SITE)},
    )
    assert result.returncode == 0, result.stderr
    assert b"nks_stops" in (tmp_path / "out.nk").read_bytes()
