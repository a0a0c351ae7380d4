"""Signals, progress and reading for the command line: a stopped run leaves whole files."""

from __future__ import annotations

import fcntl
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.commandline import big_script, cli, converted_text, leftovers


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL])
def test_a_stopped_run_leaves_whole_files_and_no_temporary_file(
    tmp_path: Path, signum: int
) -> None:
    source = big_script(tmp_path, 2)
    original = source.read_bytes()
    expected = converted_text(source)
    shot = tmp_path / "shot.nk"
    bak = tmp_path / "shot.nk.bak"
    randomness = random.Random(signum)
    for _ in range(4):
        shutil.copyfile(source, shot)
        if bak.exists():
            bak.unlink()
        run = subprocess.Popen(
            [sys.executable, "-m", "nuke_plugin", "convert", "--in-place", "shot.nk"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        wait_until_it_holds_the_folder(run, tmp_path)  # its signal handlers are in place
        time.sleep(randomness.uniform(0.0, 1.5))
        run.send_signal(signum)
        _, err = run.communicate(timeout=300)
        assert shot.read_bytes() in (original, expected)
        assert not bak.exists() or bak.read_bytes() == original
        if signum != signal.SIGKILL:
            assert leftovers(tmp_path) == []
            assert b"Traceback" not in err
            if run.returncode != 0:
                assert run.returncode == 128 + signum
                assert err.decode().strip().splitlines()[-1].startswith("nuke-stops: stopped (")
    # O_TMPFILE leaves nothing even after kill -9; elsewhere the next run cleans up.
    assert cli("convert", "--dry-run", "shot.nk", cwd=tmp_path).returncode == 0
    assert cli("convert", "--in-place", "shot.nk", cwd=tmp_path).returncode == 0
    assert leftovers(tmp_path) == []


def wait_until_it_holds_the_folder(run: subprocess.Popen, folder: Path) -> None:  # type: ignore[type-arg]
    """The ready marker: convert locks the folder only after it has put its
    signal handlers in place, so once the lock is taken a signal is handled.
    A signal sent before (Python still starting) would kill it unhandled."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and run.poll() is None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # it holds the lock
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            time.sleep(0.002)
    finally:
        os.close(descriptor)


def test_progress_bar_is_drawn_only_on_a_terminal() -> None:
    from nuke_plugin.cli.terminal import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    bar = Progress(3, "scanning", terminal)
    bar.show(1)
    bar.show(3)
    bar.close()
    assert "\rscanning [##########--------------------] 1/3" in terminal.getvalue()
    assert "[##############################] 3/3" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r")
    piped = io.StringIO()
    quiet = Progress(3, "scanning", piped)
    quiet.show(1)
    quiet.close()
    assert piped.getvalue() == ""


def test_a_frame_progress_bar_gives_the_rate_and_the_time_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Frames per second and the time left, from the clock (made to step
    here: 4 frames in 2 seconds is 2 frames/s, 96 left is 48 s)."""
    from nuke_plugin.cli import terminal

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    now = [100.0]
    monkeypatch.setattr("nuke_plugin.cli.terminal.time.monotonic", lambda: now[0])
    screen = Terminal()
    bar = terminal.Progress(100, "measuring", screen, unit="frames")
    now[0] += 2.0
    bar.show(4)
    assert screen.getvalue().endswith("4/100 2.0 frames/s, 0:48 left")
    now[0] += 58.0
    bar.show(20)  # 20 in 60 s: a third of a frame a second, 80 left
    assert "20/100 0.3 frames/s, 4:00 left" in screen.getvalue()


def _die_on_two(task: int) -> int:
    if task == 2:
        os._exit(9)  # a worker killed (the OOM killer, a crash in a library)
    return task * 10


@pytest.mark.slow
def test_a_worker_that_dies_stops_the_run_instead_of_hanging(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nuke_plugin.cli import terminal

    monkeypatch.setattr(terminal, "WORKER_WAIT", 3.0)
    results = terminal.in_processes(_die_on_two, [1, 2, 3, 4], 2)
    assert next(results) == 10
    with pytest.raises(RuntimeError, match=r"gave no result for 3 s \(task 2 of 4\)"):
        next(results)
    assert list(terminal.in_processes(_die_on_two, [1, 3], 2)) == [10, 30]
