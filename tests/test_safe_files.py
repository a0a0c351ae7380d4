"""nuke-stops never loses a script: issue 8's findings, each a test.

Most run the real command in a separate process (``python -m nuke_plugin``),
the way artists and farms run it: kills, signals, two runs at once, links,
permissions, a file size limit standing in for a full disk. Permission
checks need a user the permissions apply to: as root the command runs
under ``setpriv`` with the capabilities that bypass them dropped.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import pytest
from conftest import DATA, EXAMPLES, ROOT

from nuke_plugin.nk_script import parse

LEGACY = EXAMPLES / "legacy_comp.nk"
SETPRIV = shutil.which("setpriv")
TEMP_MARK = ".nuke-stops.tmp"


def cli(
    *args: str,
    cwd: Optional[Path] = None,
    unprivileged: bool = False,
    limit: Optional[int] = None,
    env: Optional[Dict[str, str]] = None,
) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    """Run nuke-stops in its own process; ``limit`` caps the size of files
    it may write (the kernel's RLIMIT_FSIZE), as a full disk would."""
    command = [sys.executable, "-m", "nuke_plugin", *args]
    if unprivileged and os.geteuid() == 0:
        assert SETPRIV is not None
        command = [SETPRIV, "--bounding-set", "-dac_override,-dac_read_search,-fowner"] + command

    def cap() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        command, cwd=cwd or ROOT, capture_output=True, timeout=300, preexec_fn=cap,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


needs_permissions = pytest.mark.skipif(
    os.geteuid() == 0 and SETPRIV is None,
    reason="root ignores file permissions and setpriv (util-linux) is not installed",
)


def converted_text(path: Path) -> bytes:
    """What a clean conversion of ``path`` writes (a reference run)."""
    out = path.with_name(path.name + ".reference")
    assert cli("convert", str(path), "-o", str(out)).returncode == 0
    data = out.read_bytes()
    out.unlink()
    return data


def leftovers(folder: Path) -> List[str]:
    return sorted(
        p.name for p in folder.iterdir() if TEMP_MARK in p.name or p.name.startswith(".comp")
    )


@pytest.fixture
def comp(tmp_path: Path) -> Path:
    target = tmp_path / "comp.nk"
    shutil.copyfile(LEGACY, target)
    return target


def _big(tmp_path: Path, megabytes: float) -> Path:
    """A script of about this size, from the project's own fixtures."""
    parts = [
        p.read_text() for p in (LEGACY, DATA / "golden" / "comp.nk", DATA / "nested_groups.nk")
    ]
    unit = "".join(parts)
    path = tmp_path / "big.nk"
    path.write_text(unit * max(1, int(megabytes * 1e6 / len(unit))))
    return path


# -- 1, 2: the same file twice, and two runs at once -------------------------------------------


def test_the_same_file_named_twice_is_converted_once(comp: Path) -> None:
    result = cli("convert", "--in-place", "comp.nk", "./comp.nk", str(comp), cwd=comp.parent)
    assert result.returncode == 0, result.stderr
    assert (comp.parent / "comp.nk.bak").read_bytes() == LEGACY.read_bytes()
    assert b"named 3 times: converted once" in result.stdout
    assert result.stdout.count(b"== ") == 1


def test_two_runs_at_once_never_lose_the_original(tmp_path: Path) -> None:
    source = _big(tmp_path, 1.5)
    original = source.read_bytes()
    expected = converted_text(source)
    for trial in range(6):
        shutil.copyfile(source, tmp_path / "shot.nk")
        bak = tmp_path / "shot.nk.bak"
        if bak.exists():
            bak.unlink()
        command = [sys.executable, "-m", "nuke_plugin", "convert", "--in-place", "shot.nk"]
        logs = [tmp_path.parent / f"run{i}.log" for i in range(2)]  # files: a pipe could fill
        runs = [subprocess.Popen(command, cwd=tmp_path, stdout=log.open("wb"),
                                 stderr=subprocess.STDOUT) for log in logs]  # fmt: skip
        assert [r.wait(timeout=300) for r in runs] == [0, 0]
        assert bak.read_bytes() == original, f"trial {trial}: the backup lost the original"
        assert (tmp_path / "shot.nk").read_bytes() == expected
        reports = b"".join(log.read_bytes() for log in logs)
        assert reports.count(b"unchanged: not rewritten") == 1  # the second saw it converted
        assert leftovers(tmp_path) == []


def test_a_file_saved_while_it_is_converted_is_refused(
    comp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from nuke_plugin import cli_scripts
    from nuke_plugin.cli import main

    real = cli_scripts.convert_script  # type: ignore[attr-defined]
    saved = LEGACY.read_text().replace("Grade_warm", "Grade_warm_v2")

    def convert_while_someone_saves(script: Any, knobs: Any) -> Any:
        comp.write_text(saved)  # an artist saves the script from Nuke meanwhile
        return real(script, knobs)

    monkeypatch.setattr("nuke_plugin.cli_scripts.convert_script", convert_while_someone_saves)
    status = main(["convert", "--in-place", str(comp)])
    out = capsys.readouterr().out
    assert status == 1
    assert "not converted: it was saved since it was read" in out
    assert comp.read_text() == saved  # their save is kept
    assert not (comp.parent / "comp.nk.bak").exists()


# -- 3, 4, 5: links and special files ----------------------------------------------------------


def test_in_place_through_a_link_edits_the_file_and_keeps_the_link(tmp_path: Path) -> None:
    shot = tmp_path / "shot_v003.nk"
    shutil.copyfile(LEGACY, shot)
    latest = tmp_path / "latest.nk"
    latest.symlink_to(shot.name)
    result = cli("convert", "--in-place", "latest.nk", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert latest.is_symlink() and os.readlink(latest) == "shot_v003.nk"
    assert b"nks_stops" in shot.read_bytes()
    assert (tmp_path / "shot_v003.nk.bak").read_bytes() == LEGACY.read_bytes()
    assert b"(the file latest.nk links to)" in result.stdout


def test_a_backup_that_is_a_link_is_replaced_not_followed(comp: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "comp.nk.bak").symlink_to(victim)
    assert cli("convert", "--in-place", str(comp)).returncode == 0
    assert victim.read_text() == "precious"
    bak = tmp_path / "comp.nk.bak"
    assert not bak.is_symlink() and bak.read_bytes() == LEGACY.read_bytes()


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
    assert b"-o -" in result.stderr or b"symbolic link" in result.stderr
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


def test_dash_writes_the_script_to_standard_output(comp: Path) -> None:
    result = cli("convert", str(comp), "-o", "-")
    assert result.returncode == 0
    assert result.stdout == converted_text(comp)
    assert b"written to standard output" in result.stderr


# -- 6: permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_new_outputs_follow_the_umask(comp: Path, tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        result = cli("convert", str(comp), "-o", str(tmp_path / "new.nk"))
    finally:
        os.umask(previous)
    assert result.returncode == 0
    assert stat.S_IMODE(os.stat(tmp_path / "new.nk").st_mode) == mode


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file another owner needs root")
def test_in_place_keeps_mode_owner_and_group_and_so_does_the_backup(comp: Path) -> None:
    os.chmod(comp, 0o600)
    os.chown(comp, 1234, 5678)
    assert cli("convert", "--in-place", str(comp)).returncode == 0
    for path in (comp, comp.parent / "comp.nk.bak"):
        info = os.stat(path)
        assert (stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid) == (0o600, 1234, 5678)


def test_a_read_only_script_is_refused_unless_forced(comp: Path) -> None:
    os.chmod(comp, 0o444)
    result = cli("convert", "--in-place", str(comp))
    assert result.returncode == 2
    assert b"is read-only (mode 0444): not converted (--force converts it)" in result.stderr
    assert comp.read_bytes() == LEGACY.read_bytes() and not (comp.parent / "comp.nk.bak").exists()
    result = cli("convert", "--in-place", "--force", str(comp), unprivileged=False)
    assert result.returncode == 0
    assert b"nks_stops" in comp.read_bytes() and stat.S_IMODE(os.stat(comp).st_mode) == 0o444


# -- 7: write errors are one line, and a batch writes nothing when one target cannot be --------


def _one_line(result: subprocess.CompletedProcess) -> str:  # type: ignore[type-arg]
    lines: List[str] = result.stderr.decode().strip().splitlines()
    assert b"Traceback" not in result.stderr
    return lines[0]


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


def test_a_full_disk_during_the_backup_leaves_everything_as_it_was(comp: Path) -> None:
    result = cli("convert", "--in-place", str(comp), limit=500)  # the backup does not fit
    assert result.returncode == 1
    assert b"comp.nk.bak: cannot write: file too large" in result.stdout
    assert comp.read_bytes() == LEGACY.read_bytes()
    assert sorted(p.name for p in comp.parent.iterdir()) == ["comp.nk"]  # no truncated .bak


def test_a_full_disk_during_the_write_keeps_the_script_and_a_whole_backup(comp: Path) -> None:
    result = cli("convert", "--in-place", str(comp), limit=2000)  # the backup fits, not the script
    assert result.returncode == 1
    assert f"not converted: {comp}: cannot write: file too large".encode() in result.stdout
    assert comp.read_bytes() == LEGACY.read_bytes()
    assert (comp.parent / "comp.nk.bak").read_bytes() == LEGACY.read_bytes()
    assert leftovers(comp.parent) == []


def test_in_a_batch_a_failing_file_is_reported_and_the_others_are_written(tmp_path: Path) -> None:
    small = tmp_path / "small.nk"
    small.write_text("Multiply {\n value 2\n name M\n}\n")
    shutil.copyfile(LEGACY, tmp_path / "comp.nk")
    result = cli("convert", "--in-place", "small.nk", "comp.nk", cwd=tmp_path, limit=1000)
    assert result.returncode == 1
    assert b"nks_stops" in small.read_bytes()
    assert (tmp_path / "comp.nk").read_bytes() == LEGACY.read_bytes()
    assert b"not converted: " in result.stdout


# -- 8: signals --------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL])
def test_a_stopped_run_leaves_whole_files_and_no_temporary_file(
    tmp_path: Path, signum: int
) -> None:
    source = _big(tmp_path, 2)
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
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        time.sleep(randomness.uniform(0.1, 1.8))
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


# -- 9, 10: deep nesting, any byte in a name ---------------------------------------------------


def test_a_deeply_nested_file_is_scanned_with_the_others(tmp_path: Path) -> None:
    depth = 1000
    deep = "".join(f"Group {{\n name G{i}\n}}\n" for i in range(depth))
    (tmp_path / "deep.nk").write_text(deep + "Grade {\n multiply 2\n}\n" + "end_group\n" * depth)
    shutil.copyfile(LEGACY, tmp_path / "legacy.nk")
    result = cli("scan", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {Path(r["file"]).name for r in rows} == {"deep.nk", "legacy.nk"}
    assert any(r["node"].endswith("G999.Grade") for r in rows)


@pytest.mark.parametrize("command", [["scan"], ["scan", "--csv"], ["convert", "--dry-run"]])
def test_names_with_any_byte_print_as_they_are(tmp_path: Path, command: List[str]) -> None:
    script = tmp_path / "latin.nk"
    script.write_bytes(b"Grade {\n multiply 2\n name Gr\xe9de\n}\n")
    result = cli(*command, str(script), env={"PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0, result.stderr
    assert b"Gr\xe9de" in result.stdout + result.stderr
    assert b"Traceback" not in result.stderr


def test_json_keeps_any_byte_recoverable(tmp_path: Path) -> None:
    script = tmp_path / "latin.nk"
    script.write_bytes(b"Grade {\n multiply 2\n name Gr\xe9de\n}\n")
    result = cli("scan", str(script), "--json")
    [row] = json.loads(result.stdout)
    assert row["node"].encode("utf-8", "surrogateescape") == b"Gr\xe9de"


# -- 11: nothing that is not a finite, representable exposure ----------------------------------


def test_numbers_beyond_a_double_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    result = cli("convert", "--from", "stops", "--to", "cineon", "1e308", "--json")
    assert result.returncode == 2
    assert result.stdout == b"" and b"Infinity" not in result.stderr
    assert b"stops value '1e308' is beyond any cineon value (overflow)" in result.stderr


def test_a_multiplier_whose_stops_overflow_is_left_alone(tmp_path: Path) -> None:
    script = tmp_path / "huge.nk"
    script.write_text("Grade {\n multiply 1.797e308\n name Huge\n}\n")
    result = cli("convert", "--in-place", str(script))
    assert result.returncode == 0
    assert b"left alone Huge.multiply: unsupported (channel r is 1.797e+308" in result.stdout
    assert b"nks_stops" not in script.read_bytes()


# -- 12: malformed scripts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"Grade {\n multiply 2 }\n name G\n xpos 1\n}\n",
            b"bad.nk:3:2: unexpected 'name G' outside",
        ),
        (b"\x00" * 300_000, b"bad.nk:1:1: a NUL byte: this is not a Nuke script"),
    ],
)
def test_malformed_scripts_are_refused_with_line_and_column(
    tmp_path: Path, content: bytes, message: bytes
) -> None:
    (tmp_path / "bad.nk").write_bytes(content)
    result = cli("convert", "--in-place", "bad.nk", cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr
    assert (tmp_path / "bad.nk").read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nk"]


def test_a_last_group_without_end_group_is_converted_with_a_warning(tmp_path: Path) -> None:
    text = "Group {\n name G\n}\n Multiply {\n  value 2\n  name M\n }\n"
    (tmp_path / "open.nk").write_text(text)
    result = cli("convert", "--in-place", "open.nk", cwd=tmp_path)
    assert result.returncode == 0
    assert b"nuke-stops: warning: open.nk:8:1: group 'G' is never closed" in result.stderr
    converted = (tmp_path / "open.nk").read_text()
    assert converted.startswith(text[: text.index("  value")]) and "nks_stops 1" in converted
    assert converted.endswith("  nks_drives value\n }\n") and "end_group" not in converted
    assert parse(converted).find("G.M") is not None


# -- 13: small truths --------------------------------------------------------------------------


def test_a_file_with_nothing_to_convert_is_not_rewritten_and_gets_no_backup(tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.nk"
    quiet.write_text("Blur {\n size 3\n name B\n}\n")
    before = os.stat(quiet)
    result = cli("convert", "--in-place", "quiet.nk", cwd=tmp_path)
    assert result.returncode == 0
    assert b"0 node(s) converted; unchanged: not rewritten" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quiet.nk"]
    assert os.stat(quiet).st_mtime_ns == before.st_mtime_ns


def test_scan_counts_a_file_once_however_it_is_named(tmp_path: Path) -> None:
    shutil.copyfile(LEGACY, tmp_path / "comp.nk")
    (tmp_path / "link.nk").symlink_to("comp.nk")
    result = cli("scan", "comp.nk", "./comp.nk", "link.nk", str(tmp_path), cwd=tmp_path)
    assert result.stdout.count(b"== ") == 1
    assert b"1 file(s) scanned, 7 exposure knob(s)" in result.stdout


@needs_permissions
def test_an_unreadable_folder_is_reported_and_fails_the_scan(tmp_path: Path) -> None:
    shutil.copyfile(LEGACY, tmp_path / "comp.nk")
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    shutil.copyfile(LEGACY, hidden / "other.nk")
    os.chmod(hidden, 0o000)
    os.chmod(tmp_path, 0o777)
    try:
        result = cli("scan", str(tmp_path), unprivileged=True)
    finally:
        os.chmod(hidden, 0o755)
    assert result.returncode == 1
    assert f"nuke-stops: error: {hidden}: cannot read the folder: Permission denied".encode() in (
        result.stderr
    )
    assert (
        b"1 file(s) scanned" in result.stdout and b"1 folder(s) could not be read" in result.stdout
    )


# -- scan --jobs and JSON Lines ----------------------------------------------------------------


def _scripts(tmp_path: Path, count: int) -> Sequence[Path]:
    folder = tmp_path / "show"
    folder.mkdir()
    sources = [
        LEGACY,
        DATA / "golden" / "comp.nk",
        DATA / "golden" / "crlf.nk",
        DATA / "statements.nk",
    ]
    paths = []
    for i in range(count):
        path = folder / f"shot{i:02d}.nk"
        shutil.copyfile(sources[i % len(sources)], path)
        paths.append(path)
    (folder / "broken.nk").write_text("Grade {\n")
    return paths


@pytest.mark.parametrize("form", [[], ["--json"], ["--csv"], ["--jsonl"]])
def test_scan_in_parallel_gives_the_same_output_in_the_same_order(
    tmp_path: Path, form: List[str]
) -> None:
    _scripts(tmp_path, 9)
    serial = cli("scan", str(tmp_path / "show"), "--jobs", "1", *form)
    parallel = cli("scan", str(tmp_path / "show"), "--jobs", "3", *form)
    assert serial.returncode == parallel.returncode == 1  # broken.nk
    assert serial.stdout == parallel.stdout
    assert serial.stderr == parallel.stderr


def test_json_lines_are_one_finding_a_line_and_errors_are_records(tmp_path: Path) -> None:
    _scripts(tmp_path, 3)
    result = cli("scan", str(tmp_path / "show"), "--jsonl")
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    errors = [r for r in records if "error" in r]
    assert [Path(r["file"]).name for r in errors] == ["broken.nk"]
    findings = [r for r in records if "error" not in r]
    assert {Path(r["file"]).name for r in findings} == {"shot00.nk", "shot01.nk", "shot02.nk"}
    assert all({"node", "knob", "stops", "status"} <= set(r) for r in findings)
