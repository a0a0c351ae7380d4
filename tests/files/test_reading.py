"""Reading is bounded: only regular files, never a wait on a FIFO, never past a limit."""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from nuke_plugin.files.reading import (
    FileError,
    changed_since,
    fingerprint,
    open_regular,
    read_bytes,
    read_text,
)

from support import portable
from support.commandline import cli
from support.paths import LEGACY


def test_a_fifo_is_refused_by_its_kind_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "comp.nk"
    os.mkfifo(fifo)
    with pytest.raises(FileError, match=r"comp.nk: is a FIFO \(named pipe\), not a file"):
        read_text(fifo, limit=1024)


@portable.posix_only("O_NONBLOCK; Windows has no FIFOs on its file systems")
def test_a_fifo_swapped_in_after_the_check_still_does_not_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kind is checked by stat and again after a non-blocking open: a
    FIFO put in the file's place between the two opens at once."""
    fifo = tmp_path / "swap"
    os.mkfifo(fifo)
    real_stat = os.stat

    def regular_at_first(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        info = real_stat(path, *args, **kwargs)
        if Path(path) == fifo:  # what the first look saw: a regular file
            return os.stat_result((stat.S_IFREG | 0o644, *tuple(info)[1:]))
        return info

    monkeypatch.setattr(os, "stat", regular_at_first)
    done = threading.Event()
    failures = []

    def attempt() -> None:
        try:
            open_regular(fifo)
        except FileError as error:
            failures.append(str(error))
        done.set()

    threading.Thread(target=attempt, daemon=True).start()
    assert done.wait(10), "opening a FIFO blocked"
    assert failures == [f"{fifo}: is a FIFO (named pipe), not a file"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["scan", "{fifo}"],
        ["convert", "{fifo}", "--dry-run"],
        ["panel", "{fifo}", "--screenshot", "{out}"],
        ["match", "{fifo}", "{fifo}"],
        ["camera", "--exr", "{fifo}", "{fifo}"],
        ["cdl", "{fifo}"],
    ],
)
def test_no_command_waits_on_a_fifo(tmp_path: Path, command: Any) -> None:
    fifo = tmp_path / ("in.cc" if command[0] == "cdl" else "in.nk")
    os.mkfifo(fifo)
    args = [part.format(fifo=fifo, out=tmp_path / "shot.png") for part in command]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "nuke_plugin", *args], capture_output=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"nuke-stops {command[0]} waited on a FIFO")
    lines = done.stderr.decode().strip().splitlines()
    assert done.returncode in (1, 2)
    assert any("is a FIFO (named pipe), not a file" in line for line in lines), lines
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize("kind", ["folder", "device", "missing"])
def test_what_is_not_a_file_says_what_it_is(tmp_path: Path, kind: str) -> None:
    if kind == "folder":
        path, message = tmp_path, "is a folder, not a file"
    elif kind == "device":
        path, message = Path("/dev/null"), "is a device, not a file"
    else:
        path, message = tmp_path / "gone.nk", "no such file"
    with pytest.raises(FileError, match=message):
        read_text(path, limit=1024)


def test_a_limit_holds_whatever_size_the_file_claims(tmp_path: Path) -> None:
    big = tmp_path / "big.nk"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(FileError, match=r"is 4.88 KB: larger than the 1000 bytes nuke-stops reads"):
        read_text(big, limit=1000)
    # a stream longer than it says (as /proc files say 0): read_bytes stops at the limit
    with pytest.raises(FileError, match="larger than the 1000 bytes"):
        read_bytes(io.BytesIO(b"y" * 5000), 1000, "stream")
    assert read_bytes(io.BytesIO(b"y" * 1000), 1000, "stream") == b"y" * 1000


def test_a_huge_script_is_refused_in_one_line(tmp_path: Path, monkeypatch: Any) -> None:
    from nuke_plugin.adapters import script_file

    monkeypatch.setattr(script_file, "MAX_SCRIPT_BYTES", 1000)
    shutil.copyfile(LEGACY, tmp_path / "comp.nk")
    with pytest.raises(FileError, match="larger than the 1000 bytes nuke-stops reads"):
        script_file.read_script_file(tmp_path / "comp.nk")


def test_any_byte_survives_and_the_snapshot_describes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "odd.nk"
    data = b"Root {\n name caf\xe9\xff\n}\n"
    path.write_bytes(data)
    snapshot, text = read_text(path, limit=1 << 20)
    assert text.encode("utf-8", "surrogateescape") == data
    assert (snapshot.size, snapshot.target) == (len(data), path)
    assert fingerprint(path) == snapshot


def test_changed_since_sees_bytes_a_replacement_and_a_link_pointed_elsewhere(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "v001.nk", tmp_path / "v002.nk"
    first.write_text("Root {}\n")
    second.write_text("Root {}\n")
    latest = tmp_path / "latest.nk"
    latest.symlink_to(first.name)
    snapshot = fingerprint(latest)
    assert snapshot.target == first
    assert changed_since(snapshot) is None
    latest.unlink()
    latest.symlink_to(second.name)  # a colleague re-points "latest"
    assert changed_since(snapshot) == f"it now leads to {second}, not to {first} that was read"
    latest.unlink()
    latest.symlink_to(first.name)
    first.write_text("Root {}\n# saved again\n")
    assert changed_since(snapshot) == "it was saved since it was read"
    first.write_bytes(b"X" + b"Root {}\n"[1:])  # the same size and time, other bytes
    os.utime(first, ns=(snapshot.mtime_ns, snapshot.mtime_ns))
    assert changed_since(snapshot) == "its content changed since it was read"


@pytest.mark.slow
def test_cli_reads_a_link_to_a_script(tmp_path: Path) -> None:
    shutil.copyfile(LEGACY, tmp_path / "v003.nk")
    (tmp_path / "latest.nk").symlink_to("v003.nk")
    done = cli("scan", "latest.nk", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert b"== latest.nk" in done.stdout
