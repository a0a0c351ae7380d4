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
