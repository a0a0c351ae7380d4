"""The one safe-write module: what every writer of the product gets from it."""

from __future__ import annotations

import ast
import os
import secrets
import stat
import threading
from pathlib import Path
from typing import List

import pytest

from nuke_plugin.files import safe_write
from nuke_plugin.files.reading import FileError, fingerprint

from support.commandline import leftovers
from support.paths import ROOT


def test_a_new_file_then_a_replacement_kept_as_bak(tmp_path: Path) -> None:
    target = tmp_path / "look.cc"
    done = safe_write.write(safe_write.plan_output(str(target)), ["one"])
    assert (done.target, done.backup, target.read_text()) == (target, None, "one")
    os.chmod(target, 0o640)
    done = safe_write.write(safe_write.plan_output(str(target)), [b"two"])
    assert done.backup == tmp_path / "look.cc.bak"
    assert (target.read_bytes(), done.backup.read_bytes()) == (b"two", b"one")
    for path in (target, done.backup):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o640  # the mode is kept, backup too
    assert leftovers(tmp_path) == []


def test_verify_refuses_before_anything_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "look.cc"
    target.write_text("keep")
    seen: List[Path] = []

    def refuse(temporary: Path) -> None:
        seen.append(temporary)
        assert temporary.read_text() == "new"  # the complete file, named with its suffix
        raise ValueError("OpenColorIO reads back something else")

    plan = safe_write.plan_output(str(target))
    with pytest.raises(FileError, match="look.cc: not written: OpenColorIO reads back"):
        safe_write.write(plan, ["new"], verify=refuse)
    assert seen[0].suffix == ".cc"
    assert safe_write.TEMP_MARK in seen[0].name
    assert target.read_text() == "keep"
    assert leftovers(tmp_path) == []


def test_what_does_not_read_back_the_same_replaces_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "comp.nk"
    target.write_text("keep")
    monkeypatch.setattr(safe_write, "_read_back", lambda descriptor: b"not the digest")
    with pytest.raises(FileError, match="does not read back the same"):
        safe_write.write(safe_write.plan_output(str(target)), ["new"])
    assert target.read_text() == "keep"


def test_named_temporaries_never_follow_a_planted_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where there is no O_TMPFILE the temporary file has a name. One that
    someone made in advance (a link to a victim) is never opened: another
    name is drawn."""
    monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    tokens = iter(["00000000", "00000000", "00000000", "11111111"])
    monkeypatch.setattr(secrets, "token_hex", lambda n: next(tokens))
    victim = tmp_path / "victim"
    victim.write_text("precious")
    target = tmp_path / "sl.cc"
    planted = tmp_path / f".sl.cc.{os.getpid()}.00000000{safe_write.TEMP_MARK}.cc"
    planted.symlink_to(victim)
    plan = safe_write.plan_output(str(target))  # the folder check draws the first name
    safe_write.write(plan, ["<ColorCorrection/>"])
    assert victim.read_text() == "precious"
    assert not target.is_symlink()
    assert target.read_text() == "<ColorCorrection/>"
    assert planted.is_symlink()  # not ours: left as it was


def test_a_file_that_appears_after_the_check_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "new.png"
    plan = safe_write.plan_output(str(target))
    target.write_text("someone else's")
    with pytest.raises(FileError, match="appeared since it was checked: not replaced"):
        safe_write.write(plan, [b"mine"])
    assert target.read_text() == "someone else's"


def test_a_file_changed_in_place_since_it_was_read_is_kept(tmp_path: Path) -> None:
    """The backup is copied from disk and must be the bytes that were read:
    a save of the same size and time (which a stat cannot see) is refused,
    not lost, and nothing is replaced."""
    target = tmp_path / "comp.nk"
    target.write_text("as read, version 1")
    plan = safe_write.plan_in_place(fingerprint(target))
    before = os.stat(target)
    target.write_text("saved by anyone v2")  # the same size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(safe_write.ChangedError, match="it changed while it was backed up"):
        safe_write.write(plan, ["mine"])
    assert target.read_text() == "saved by anyone v2"
    assert not (tmp_path / "comp.nk.bak").exists()
    assert leftovers(tmp_path) == []


def test_in_place_through_a_link_refuses_a_link_pointed_elsewhere(tmp_path: Path) -> None:
    for name in ("v001.nk", "v002.nk"):
        (tmp_path / name).write_text(name)
    latest = tmp_path / "latest.nk"
    latest.symlink_to("v001.nk")
    plan = safe_write.plan_in_place(fingerprint(latest))
    latest.unlink()
    latest.symlink_to("v002.nk")
    with pytest.raises(safe_write.ChangedError, match="it now leads to .*v002.nk"):
        safe_write.write(plan, ["edited v001"])
    assert [(tmp_path / n).read_text() for n in ("v001.nk", "v002.nk")] == ["v001.nk", "v002.nk"]
    assert not list(tmp_path.glob("*.bak"))


def test_locks_are_taken_once_in_a_process(tmp_path: Path) -> None:
    """A command that holds its folder's lock (convert, cdl) writes through
    write(), which locks the same folder: it must not wait for itself."""
    done = threading.Event()

    def nested() -> None:
        with safe_write.FolderLocks([tmp_path]), safe_write.FolderLocks([tmp_path]):
            safe_write.write(safe_write.plan_output(str(tmp_path / "a.txt")), ["a"])
        done.set()

    threading.Thread(target=nested, daemon=True).start()
    assert done.wait(20), "a nested lock waited for itself"
    assert safe_write._held == {}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        ("folder", "is a folder: give a file name"),
        ("link", "is a symbolic link: give the file it points to"),
        ("fifo", "is a FIFO (named pipe), not a file: give a file name"),
        ("no folder", "the folder"),
        ("read-only", "is read-only (mode 0444): not replaced (--force replaces it)"),
        ("backup folder", "is a folder: the backup cannot be written"),
    ],
)
def test_plans_refuse_in_one_line(tmp_path: Path, make: str, message: str) -> None:
    target = tmp_path / "out.cc"
    if make == "folder":
        target.mkdir()
    elif make == "link":
        (tmp_path / "real.cc").write_text("x")
        target.symlink_to("real.cc")
    elif make == "fifo":
        os.mkfifo(target)
    elif make == "no folder":
        target = tmp_path / "missing" / "out.cc"
    elif make == "read-only":
        target.write_text("x")
        target.chmod(0o444)
    else:
        target.write_text("x")
        (tmp_path / "out.cc.bak").mkdir()
    with pytest.raises(FileError) as raised:
        safe_write.plan_output(str(target))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    if make == "read-only":
        assert safe_write.plan_output(str(target), force=True).before is not None


# -- the one module ------------------------------------------------------------------

#: Calls that create, replace, rename or remove files.
_WRITES = {
    "os.replace",
    "os.rename",
    "os.link",
    "os.symlink",
    "os.unlink",
    "os.remove",
    "os.mkdir",
    "os.makedirs",
    "os.mkfifo",
}
# (str.replace is everywhere: a Path.replace shows only as os.replace would.)
_METHODS = {"write_text", "write_bytes", "touch", "mkdir", "rename", "unlink", "save"}
#: Calls the check cannot tell from writes, each looked at: not files.
_NOT_FILES = {
    ("nuke_plugin/panel/widget.py", "image.save()"): "encodes into a QBuffer, in memory",
    ("nuke_plugin/panel/widget.py", "self.source.save()"): "the source saves through safe_write",
    ("nuke_plugin/panel/widget.py", "self.save()"): "the widget's own save, the line above",
}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "..."


def _writes_in(path: Path) -> List[str]:
    """Every call in a module that could create, replace or rename a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
            found += [f"import {n}" for n in names if n in ("tempfile", "shutil")]
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        if name in _WRITES or name.rsplit(".", 1)[-1] in _METHODS and "." in name:
            found.append(f"{name}()")
        elif name == "os.open" and "O_CREAT" in ast.dump(node):
            found.append("os.open(O_CREAT)")
        elif name == "open":
            mode = node.args[1] if len(node.args) > 1 else None
            mode = next((k.value for k in node.keywords if k.arg == "mode"), mode)
            if mode is not None and not (
                isinstance(mode, ast.Constant) and mode.value in ("r", "rb")
            ):
                found.append(f"open(..., {ast.unparse(mode)})")
    return found


def test_no_other_module_creates_replaces_or_renames_a_file() -> None:
    package = ROOT / "nuke_plugin"
    writers = {}
    for path in sorted(package.rglob("*.py")):
        if path == package / "files" / "safe_write.py":
            continue
        where = str(path.relative_to(ROOT))
        found = [call for call in _writes_in(path) if (where, call) not in _NOT_FILES]
        if found:
            writers[where] = found
    assert writers == {}


def test_the_check_finds_a_writer_where_there_is_one(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nimport tempfile\n"
        "def f(image, p):\n"
        "    os.replace(p, p + '.x')\n    open(p, 'w')\n    image.save(p, 'PNG')\n"
        "    os.open(p, os.O_WRONLY | os.O_CREAT)\n    open(p)\n    open(p, 'rb')\n"
    )
    assert _writes_in(sample) == [
        "import tempfile",
        "os.replace()",
        "open(..., 'w')",
        "image.save()",
        "os.open(O_CREAT)",
    ]
    assert "os.replace()" in _writes_in(ROOT / "nuke_plugin" / "files" / "safe_write.py")
