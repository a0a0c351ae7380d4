"""File safety, end to end: what `nuke-stops convert` guarantees about the
files it reads and writes (nuke_plugin.files, run as artists run it)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any, List

import pytest

from support import portable
from support.commandline import big_script, cli, converted_text, leftovers, needs_permissions
from support.paths import LEGACY


@pytest.mark.slow
def test_two_runs_at_once_never_lose_the_original(tmp_path: Path) -> None:
    source = big_script(tmp_path, 1.5)
    original = source.read_bytes()
    expected = converted_text(source)
    for trial in range(6):
        shutil.copyfile(source, tmp_path / "shot.nk")
        bak = tmp_path / "shot.nk.bak"
        if bak.exists():
            bak.unlink()
        command = [sys.executable, "-m", "nuke_plugin", "convert", "--in-place", "shot.nk"]
        logs = [tmp_path.parent / f"run{i}.log" for i in range(2)]  # files: a pipe could fill
        runs = [
            subprocess.Popen(command, cwd=tmp_path, stdout=log.open("wb"), stderr=subprocess.STDOUT)
            for log in logs
        ]
        assert [r.wait(timeout=300) for r in runs] == [0, 0]
        assert bak.read_bytes() == original, f"trial {trial}: the backup lost the original"
        assert (tmp_path / "shot.nk").read_bytes() == expected
        reports = b"".join(log.read_bytes() for log in logs)
        assert reports.count(b"unchanged: not rewritten") == 1  # the second saw it converted
        assert leftovers(tmp_path) == []


def test_a_file_saved_while_it_is_converted_is_refused(
    comp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from nuke_plugin.adapters.script_ops import convert_script as real
    from nuke_plugin.cli.main import main

    saved = LEGACY.read_text().replace("Grade_warm", "Grade_warm_v2")

    def convert_while_someone_saves(script: Any, knobs: Any) -> Any:
        comp.write_text(saved)  # an artist saves the script from Nuke meanwhile
        return real(script, knobs)

    monkeypatch.setattr("nuke_plugin.cli.convert.convert_script", convert_while_someone_saves)
    status = main(["convert", "--in-place", str(comp)])
    out = capsys.readouterr().out
    assert status == 1
    assert "not converted: it was saved since it was read" in out
    assert comp.read_text() == saved  # their save is kept
    assert not (comp.parent / "comp.nk.bak").exists()


@pytest.mark.slow
def test_in_place_through_a_link_edits_the_file_and_keeps_the_link(tmp_path: Path) -> None:
    shot = tmp_path / "shot_v003.nk"
    shutil.copyfile(LEGACY, shot)
    latest = tmp_path / "latest.nk"
    latest.symlink_to(shot.name)
    result = cli("convert", "--in-place", "latest.nk", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert latest.is_symlink()
    assert os.readlink(latest) == "shot_v003.nk"
    assert b"nks_stops" in shot.read_bytes()
    assert (tmp_path / "shot_v003.nk.bak").read_bytes() == LEGACY.read_bytes()
    assert b"(the file latest.nk links to)" in result.stdout


@pytest.mark.slow
def test_a_backup_that_is_a_link_is_replaced_not_followed(comp: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "comp.nk.bak").symlink_to(victim)
    assert cli("convert", "--in-place", str(comp)).returncode == 0
    assert victim.read_text() == "precious"
    bak = tmp_path / "comp.nk.bak"
    assert not bak.is_symlink()
    assert bak.read_bytes() == LEGACY.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["fifo", "link", "device"])
def test_outputs_that_are_not_regular_files_are_refused(
    comp: Path, tmp_path: Path, kind: str
) -> None:
    if kind == "fifo":
        target = tmp_path / "pipe"
        os.mkfifo(target)
    elif kind == "link":
        target = tmp_path / "out.nk"
        (tmp_path / "real.nk").write_text("keep")
        target.symlink_to("real.nk")
    else:
        # A copy of /dev/null's device in the test's folder: a product that
        # replaced devices must not take the machine's own with it.
        target = tmp_path / "null"
        try:
            os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device node needs root (CAP_MKNOD)")
    before = os.lstat(target)
    result = cli("convert", str(comp), "-o", str(target))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 2  # the problem, then "nothing was written"
    assert b"not a file: give a file name" in result.stderr or b"symbolic link" in result.stderr
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


@pytest.mark.slow
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_new_outputs_follow_the_umask(comp: Path, tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        result = cli("convert", str(comp), "-o", str(tmp_path / "new.nk"))
    finally:
        os.umask(previous)
    assert result.returncode == 0
    assert stat.S_IMODE(os.stat(tmp_path / "new.nk").st_mode) == mode


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file another owner needs root")
@portable.posix_only("Windows files have no POSIX owner and group to keep")
def test_in_place_keeps_mode_owner_and_group_and_so_does_the_backup(comp: Path) -> None:
    os.chmod(comp, 0o600)
    os.chown(comp, 1234, 5678)
    assert cli("convert", "--in-place", str(comp)).returncode == 0
    for path in (comp, comp.parent / "comp.nk.bak"):
        info = os.stat(path)
        assert (stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid) == (0o600, 1234, 5678)


@pytest.mark.slow
def test_in_place_keeps_the_mode_and_the_backup_too(comp: Path) -> None:
    """Where files have no owner to keep (the run without POSIX: fchown,
    fchmod gone) the mode is still kept, set on the temporary by name."""
    os.chmod(comp, 0o600)
    assert cli("convert", "--in-place", str(comp)).returncode == 0
    for path in (comp, comp.parent / "comp.nk.bak"):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


@pytest.mark.slow
def test_a_read_only_script_is_refused_unless_forced(comp: Path) -> None:
    os.chmod(comp, 0o444)
    result = cli("convert", "--in-place", str(comp))
    assert result.returncode == 2
    assert b"is read-only (mode 0444): not replaced (--force replaces it)" in result.stderr
    assert comp.read_bytes() == LEGACY.read_bytes()
    assert not (comp.parent / "comp.nk.bak").exists()
    result = cli("convert", "--in-place", "--force", str(comp), unprivileged=False)
    assert result.returncode == 0
    assert b"nks_stops" in comp.read_bytes()
    assert stat.S_IMODE(os.stat(comp).st_mode) == 0o444


def _one_line(result: subprocess.CompletedProcess) -> str:  # type: ignore[type-arg]
    lines: List[str] = result.stderr.decode().strip().splitlines()
    assert b"Traceback" not in result.stderr
    return lines[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("missing/out.nk", "missing/out.nk: the folder missing does not exist"),
        ("folder", "folder: is a folder: give a file name"),
        ("", "'': not a file name"),
    ],
)
def test_write_problems_are_one_line(comp: Path, tmp_path: Path, output: str, message: str) -> None:
    (tmp_path / "folder").mkdir()
    result = cli("convert", str(comp), "-o", output, cwd=tmp_path)
    assert result.returncode == 2
    assert _one_line(result) == f"nuke-stops: error: {message}"


@pytest.mark.slow
@needs_permissions
def test_a_read_only_folder_is_one_line(comp: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o555)
    os.chmod(tmp_path, 0o777)
    try:
        result = cli("convert", str(comp), "-o", str(locked / "out.nk"), unprivileged=True)
    finally:
        os.chmod(locked, 0o755)
    assert result.returncode == 2
    assert _one_line(result) == (
        f"nuke-stops: error: {locked}/out.nk: cannot write in {locked}: permission denied"
    )
    assert list(locked.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["folder", "read-only"])
def test_an_unusable_backup_path_is_one_line_and_nothing_is_written(comp: Path, kind: str) -> None:
    bak = comp.parent / "comp.nk.bak"
    if kind == "folder":
        bak.mkdir()
        expected = f"{bak}: is a folder: the backup cannot be written"
    else:
        bak.write_text("an older backup")
        os.chmod(bak, 0o444)
        expected = f"{bak}: is read-only: remove it, or use --force"
    second = comp.parent / "second.nk"
    shutil.copyfile(LEGACY, second)
    result = cli("convert", "--in-place", str(second), str(comp))
    assert result.returncode == 2
    assert _one_line(result) == f"nuke-stops: error: {expected}"
    assert second.read_bytes() == LEGACY.read_bytes()  # checked before any file was written
    assert not (comp.parent / "second.nk.bak").exists()


@pytest.mark.slow
@pytest.mark.parametrize("limit", [500, 2000, 4000])
def test_a_full_disk_leaves_everything_as_it_was(comp: Path, limit: int) -> None:
    """The converted script is written and checked before the backup: a disk
    too full for it leaves the script as it was, and no backup."""
    assert limit < len(converted_text(comp))
    result = cli("convert", "--in-place", str(comp), limit=limit)
    assert result.returncode == 1
    assert f"not converted: {comp}: cannot write: file too large".encode() in result.stdout
    assert comp.read_bytes() == LEGACY.read_bytes()
    assert sorted(p.name for p in comp.parent.iterdir()) == ["comp.nk"]  # no .bak, no temporary
