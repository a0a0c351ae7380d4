"""The one way the product writes a file: complete or untouched, never lost.

Every writer (``convert``, the panel's Save, ``cdl``, screenshots) first
makes a :class:`Plan`, with :func:`plan_output` for a file it names (``-o``,
Save as) or :func:`plan_in_place` for a file it read and now replaces, and
then calls :func:`write`. No other module creates, replaces or renames a
file. What that guarantees:

- **Checked first.** The path is a regular file or nothing: never a folder,
  a link, a device or a pipe (a link is followed only to a file that was
  read and is replaced in place, so a "latest" link keeps pointing at it).
  Its folder exists and a file can really be made there, there is room, a
  read-only file is refused unless forced, and so is an unusable backup
  path.
- **Locked.** An advisory lock on the folder from the last check to the
  rename, so two nuke-stops runs take turns: ``flock`` on Linux and macOS,
  a lock file where there is none (Windows). A command may
  hold the lock longer (``convert`` holds it from reading to writing);
  within one process the lock is taken once.
- **Atomic and verified.** The bytes go to a temporary file in the same
  folder: on Linux an anonymous one (``O_TMPFILE``) that even ``kill -9``
  cannot leave behind; elsewhere (macOS, Windows) a random name created
  with ``O_EXCL``, which never follows a link planted there, and removed on
  every exit Python sees (the next run removes what a killed one left). It is flushed
  to disk, read back and compared with what was meant, checked by the
  writer's own ``verify`` (OpenColorIO reads a CDL back), and only then
  renamed over the target. A new file is linked into place, so a file that
  appeared meanwhile is refused, not replaced.
- **Nothing lost.** A file that is replaced must still be the one that was
  read (the path leads to the same file, and its bytes are the same); it is
  kept as ``NAME.bak`` first, copied from disk and checked to be exactly
  the bytes that were read. A link in the backup's place is replaced, never
  followed.
- **Attributes.** A new file follows the umask; a replaced file keeps its
  mode, owner (where the user may set it) and group, and so does its
  backup.
- Every problem is a :class:`~nuke_plugin.files.reading.FileError`, one line
  naming the path and the reason.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> done = write(plan_output(str(folder / "look.txt")), [b"first"])
>>> done.backup is None, (folder / "look.txt").read_bytes()
(True, b'first')
>>> done = write(plan_output(str(folder / "look.txt")), ["second"])
>>> done.backup.name, done.backup.read_bytes(), (folder / "look.txt").read_bytes()
('look.txt.bak', b'first', b'second')
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from ..logs import logger
from .reading import (
    BLOCK,
    ENCODING,
    ERRORS,
    FileError,
    Snapshot,
    changed_since,
    fingerprint,
    kind_of,
    open_regular,
    reason,
    size_text,
)

__all__ = [
    "TEMP_MARK",
    "ChangedError",
    "FolderLocks",
    "Plan",
    "Written",
    "backup_path",
    "plan_in_place",
    "plan_output",
    "remove_stale_temporaries",
    "write",
]

#: What every temporary file's name holds.
TEMP_MARK = ".nuke-stops.tmp"
_TEMP = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.nuke-stops\.tmp(\.[^.]*)?\Z")
#: A writer's own check of the temporary file before it replaces anything.
Verify = Callable[[Path], None]
Chunk = Union[str, bytes]
#: What ``--force`` is called where a read-only file is refused.
FORCE_HINT = "--force replaces it"

log = logger(__name__)


class ChangedError(FileError):
    """The file changed since it was read: someone else's save is kept."""


def backup_path(target: Path) -> Path:
    """Where the file a write replaces is kept: ``NAME.bak`` beside it."""
    return target.with_name(target.name + ".bak")


@dataclass(frozen=True)
class Plan:
    """A write, checked: where it goes and what it replaces."""

    path: Path  # as named
    target: Path  # the file written: a link followed only for a file replaced in place
    before: Optional[Snapshot]  # the file it replaces, as read; None for a new file

    @property
    def backup(self) -> Optional[Path]:
        return backup_path(self.target) if self.before is not None else None


@dataclass(frozen=True)
class Written:
    """A write that was done."""

    target: Path
    backup: Optional[Path]  # where the replaced file is kept; None for a new file
    notes: Tuple[str, ...]  # what could not be kept (an owner)


# -- plans ---------------------------------------------------------------------------


def plan_output(
    text: Union[str, Path], needed: int = 0, force: bool = False, force_hint: str = FORCE_HINT
) -> Plan:
    """A write to a file named by the user: new, or replacing a regular
    file (kept as ``.bak``). Raises FileError; nothing is written here."""
    if not str(text).strip():
        raise FileError(repr(str(text)), "not a file name")
    path = Path(text)
    info = _lstat(path)
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise FileError(path, "is a folder: give a file name")
        if stat.S_ISLNK(info.st_mode):
            raise FileError(path, "is a symbolic link: give the file it points to")
        if not stat.S_ISREG(info.st_mode):
            raise FileError(path, f"is {kind_of(info.st_mode)}, not a file: give a file name")
    folder = path.parent if str(path.parent) else Path(".")
    _check_folder(folder, path, needed + (info.st_size if info is not None else 0))
    plan = Plan(path, path, fingerprint(path) if info is not None else None)
    _check_replaceable(plan, force, force_hint)
    return plan


def plan_in_place(
    snapshot: Snapshot, needed: int = 0, force: bool = False, force_hint: str = FORCE_HINT
) -> Plan:
    """A write over the file ``snapshot`` was read from (through a link: the
    file it leads to, and the link stays). Raises FileError; whether the
    file is still the one that was read is checked by :func:`write`, under
    the lock, so one file changed meanwhile does not stop the others."""
    plan = Plan(snapshot.path, snapshot.target, snapshot)
    _check_replaceable(plan, force, force_hint)
    _check_folder(snapshot.target.parent, snapshot.path, needed + snapshot.size)
    return plan


def _check_replaceable(plan: Plan, force: bool, force_hint: str) -> None:
    if plan.before is None:
        return
    mode = _attributes(plan)[0]  # now: it may have been made read-only since it was read
    writable = mode & 0o222 and os.access(plan.target, os.W_OK)
    if not writable and not force:
        hint = f" ({force_hint})" if force_hint else ""
        raise FileError(plan.path, f"is read-only (mode {mode:04o}): not replaced{hint}")
    backup = backup_path(plan.target)
    info = _lstat(backup)
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise FileError(backup, "is a folder: the backup cannot be written")
        if stat.S_ISREG(info.st_mode) and not info.st_mode & 0o222 and not force:
            forcing = ", or use --force" if force_hint else ""
            raise FileError(backup, f"is read-only: remove it{forcing}")


def _lstat(path: Path) -> Optional[os.stat_result]:
    """What is at ``path`` itself (a link is not followed); None: nothing."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise FileError(path, reason(error)) from None


def _attributes(plan: Plan) -> Tuple[int, int, int]:
    """The mode, owner and group the replaced file has now, for the new one."""
    try:
        info = os.stat(plan.target)
    except OSError as error:
        raise FileError(plan.path, f"cannot read its mode: {reason(error)}") from None
    return stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid


def _check_folder(folder: Path, label: object, needed: int) -> None:
    """The folder exists and a file can really be made in it, with room."""
    if not folder.is_dir():
        raise FileError(label, f"the folder {folder} does not exist")
    try:
        descriptor, name = _temporary(folder, "check", "")
        os.close(descriptor)
        if name is not None:
            os.unlink(name)
    except OSError as error:
        raise FileError(label, f"cannot write in {folder}: {reason(error)}") from None
    free = _free_bytes(folder)
    if free is not None and free < needed:
        raise FileError(label, f"not enough free space in {folder} ({size_text(free)} free)")


def _free_bytes(folder: Path) -> Optional[int]:
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):
        return None
    return info.f_bavail * info.f_frsize


# -- writing -------------------------------------------------------------------------


def write(plan: Plan, chunks: Iterable[Chunk], verify: Optional[Verify] = None) -> Written:
    """Write ``chunks`` (text is encoded as it was read: UTF-8, any byte
    kept) as the plan says; raises FileError and leaves every file as it
    was. ``verify(path)`` checks the complete temporary file (named with the
    target's suffix) and raises FileError or ValueError to refuse it.

    Order: the new file is written and checked first; only then is the old
    one backed up, and the new one renamed over it.
    """
    target = plan.target
    folder = target.parent if str(target.parent) else Path(".")
    with FolderLocks([folder]):
        remove_stale_temporaries(folder)
        if plan.before is None:
            if os.path.lexists(target):
                raise FileError(plan.path, "appeared since it was checked: not replaced")
            with _Temporary(target, chunks, None, verify, named=verify is not None) as new:
                new.place(replace=False)
            return Written(target, None, ())
        # The bytes are compared as the backup is copied (_copy_of), before
        # anything is replaced: here the path, inode, size and time.
        why = changed_since(plan.before, read_content=False)
        if why:
            raise ChangedError(plan.path, why)
        like = _attributes(plan)
        with _Temporary(target, chunks, like, verify, named=True) as new:
            backup = backup_path(target)
            with _Temporary(backup, _copy_of(plan.before), like, None, named=True) as kept:
                kept.place(replace=True)
            new.place(replace=True)
    return Written(target, backup, tuple(dict.fromkeys(kept.notes + new.notes)))


def _copy_of(before: Snapshot) -> Iterator[bytes]:
    """The file's bytes from disk, in blocks, checked to be the bytes that
    were read (ChangedError if they are not, and nothing is replaced)."""
    digest = hashlib.sha256()
    with open_regular(before.target) as stream:
        for block in iter(lambda: stream.read(BLOCK), b""):
            digest.update(block)
            yield block
    if digest.digest() != before.digest:
        raise ChangedError(before.path, "it changed while it was backed up")


class _Temporary:
    """A temporary file in the target's folder holding the whole new
    content: written, given its mode and owner, flushed to disk, read back
    and compared, verified; then :meth:`place` puts it in the target's place.
    Leaving the context removes whatever was not placed."""

    def __init__(
        self,
        target: Path,
        chunks: Iterable[Chunk],
        like: Optional[Tuple[int, int, int]],
        verify: Optional[Verify],
        named: bool,
    ) -> None:
        self.target = target
        self.folder = target.parent if str(target.parent) else Path(".")
        self.notes: List[str] = []
        try:
            self.descriptor, self.name = _temporary(self.folder, target.name, target.suffix)
        except OSError as error:
            raise FileError(target, f"cannot write: {reason(error)}") from None
        try:
            self._fill(chunks, like, verify, named)
        except BaseException:
            self.__exit__()
            raise

    def _fill(
        self,
        chunks: Iterable[Chunk],
        like: Optional[Tuple[int, int, int]],
        verify: Optional[Verify],
        named: bool,
    ) -> None:
        try:
            digest = _write_all(self.descriptor, chunks)
            if like is None:
                _set_mode(self.descriptor, self.name, 0o666 & ~_umask())
            else:
                mode, uid, gid = like
                self.notes = _set_owner(self.descriptor, uid, gid)
                _set_mode(self.descriptor, self.name, mode)
            os.fsync(self.descriptor)
            if _read_back(self.descriptor) != digest:
                raise FileError(
                    self.target, "cannot write: what was written does not read back the same"
                )
            if self.name is None and named:  # anonymous: a name to check it by and rename
                name = str(_temp_name(self.folder, self.target.name, self.target.suffix))
                _link_anonymous(self.descriptor, Path(name))
                self.name = name
        except OSError as error:
            raise FileError(self.target, f"cannot write: {reason(error)}") from None
        if verify is not None:
            assert self.name is not None
            _verified(verify, Path(self.name), self.target)

    def place(self, replace: bool) -> None:
        """Rename it over the target (``replace``), or link it in as a new
        file, refused if one appeared."""
        try:
            if self.name is None:  # anonymous, and new: linked straight into place
                _link_anonymous(self.descriptor, self.target)
            else:
                _put_in_place(Path(self.name), self.target, replace)
                self.name = None
            _sync_folder(self.folder)
        except OSError as error:
            if error.errno == errno.EEXIST and not replace:
                raise FileError(
                    self.target, "appeared since it was checked: not replaced"
                ) from None
            raise FileError(self.target, f"cannot write: {reason(error)}") from None

    def __enter__(self) -> _Temporary:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.descriptor >= 0:
            os.close(self.descriptor)
            self.descriptor = -1
        if self.name is not None and os.path.lexists(self.name):
            os.unlink(self.name)
        self.name = None


def _write_all(descriptor: int, chunks: Iterable[Chunk]) -> bytes:
    digest = hashlib.sha256()
    with os.fdopen(descriptor, "wb", closefd=False) as stream:
        for chunk in chunks:
            data = chunk.encode(ENCODING, ERRORS) if isinstance(chunk, str) else chunk
            digest.update(data)
            stream.write(data)
        stream.flush()
    return digest.digest()


def _read_back(descriptor: int) -> bytes:
    """The digest of what the file holds now (read back after the flush to
    disk: the system's copy, which is what later readers get)."""
    digest = hashlib.sha256()
    os.lseek(descriptor, 0, os.SEEK_SET)
    for block in iter(lambda: os.read(descriptor, BLOCK), b""):
        digest.update(block)
    return digest.digest()


def _verified(verify: Verify, temporary: Path, target: Path) -> None:
    try:
        verify(temporary)
    except FileError as error:
        raise FileError(target, f"not written: {error.reason}") from None
    except ValueError as error:
        raise FileError(target, f"not written: {error}") from None


def _put_in_place(temporary: Path, target: Path, replace: bool) -> None:
    if replace:
        os.replace(temporary, target)
        return
    try:
        os.link(temporary, target)  # fails if a file appeared there: never replaced
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV):
            raise
        if os.path.lexists(target):  # a file system without hard links
            raise FileError(target, "appeared since it was checked: not replaced") from None
        os.replace(temporary, target)
        return
    os.unlink(temporary)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _set_mode(descriptor: int, name: Optional[str], mode: int) -> None:
    if hasattr(os, "fchmod"):  # not on Windows before Python 3.13
        os.fchmod(descriptor, mode)
    elif name is not None:  # Windows: its read-only flag is all of the mode it keeps
        os.chmod(name, mode)


def _set_owner(descriptor: int, uid: int, gid: int) -> List[str]:
    if not hasattr(os, "fchown"):  # Windows: files have no POSIX owner to keep
        return []
    try:
        os.fchown(descriptor, uid, gid)
        return []
    except (PermissionError, AttributeError):
        pass
    try:
        os.fchown(descriptor, -1, gid)
        return [f"owner {uid} could not be kept"]
    except (PermissionError, AttributeError):
        return [f"owner {uid} and group {gid} could not be kept"]


def _temp_name(folder: Path, name: str, suffix: str) -> Path:
    return folder / f".{name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_MARK}{suffix}"


def _temporary(folder: Path, name: str, suffix: str) -> Tuple[int, Optional[str]]:
    """An open temporary file in ``folder``, for reading and writing:
    anonymous where Linux offers O_TMPFILE, else a new random name (O_EXCL:
    never a file or link that is already there)."""
    anonymous = getattr(os, "O_TMPFILE", 0)
    if anonymous and os.path.isdir("/proc/self/fd"):
        try:
            return os.open(folder, anonymous | os.O_RDWR, 0o600), None
        except OSError as error:
            if error.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                raise
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(8):
        path = _temp_name(folder, name, suffix)
        try:
            return os.open(path, flags | getattr(os, "O_BINARY", 0), 0o600), str(path)
        except FileExistsError:
            continue  # a name someone else made: draw another
    raise FileExistsError(errno.EEXIST, "no unused temporary name", str(folder))


def _link_anonymous(descriptor: int, name: Path) -> None:
    """Give an O_TMPFILE file a name: linkat with AT_SYMLINK_FOLLOW through
    /proc (open(2)); os.link takes that path only with a folder descriptor.
    linkat never follows or replaces what is at the new name."""
    folder = os.open(name.parent if str(name.parent) else ".", os.O_RDONLY)
    try:
        os.link(f"/proc/self/fd/{descriptor}", name.name, dst_dir_fd=folder)
    finally:
        os.close(folder)


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # not every file system syncs a folder
    finally:
        os.close(descriptor)


def remove_stale_temporaries(folder: Path) -> List[Path]:
    """Temporary files a killed nuke-stops left in ``folder`` (its process is
    gone): removed, and returned."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        match = _TEMP.match(name)
        if match is None:
            continue
        pid = int(match.group("pid"))
        if pid == os.getpid() or _running(pid):
            continue
        try:
            os.unlink(folder / name)
            removed.append(folder / name)
        except OSError:
            continue
    return removed


def _running(pid: int) -> bool:
    """Whether process ``pid`` is alive (a lock or temporary file's owner)."""
    if sys.platform == "win32":
        import ctypes

        return _running_on_windows(pid, ctypes.windll.kernel32)  # type: ignore[attr-defined,unused-ignore]
    try:
        os.kill(pid, 0)  # POSIX: signal 0 only checks (on Windows it would send Ctrl-C)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


#: Windows' OpenProcess right to ask a process's exit code, and the code of
#: a process still running (STILL_ACTIVE), from the Win32 documentation.
_QUERY_LIMITED_INFORMATION = 0x1000
_STILL_ACTIVE = 259
_ACCESS_DENIED = 5


def _running_on_windows(pid: int, kernel32: Any) -> bool:
    """Whether ``pid`` is alive on Windows: OpenProcess, then its exit code
    (a process another user runs is denied to us, and alive)."""
    import ctypes

    handle = kernel32.OpenProcess(_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return bool(kernel32.GetLastError() == _ACCESS_DENIED)
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True  # cannot tell: keep its files
        return code.value == _STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


# -- locks ---------------------------------------------------------------------------

#: The folders this process holds a lock on, and how it holds each.
_held: Dict[Path, _Lock] = {}
#: The lock file where there is no flock (Windows): in the folder it locks.
LOCK_FILE = ".nuke-stops.lock"
#: How often a run waiting for a lock file looks again, in seconds.
LOCK_POLL = 0.05
#: A lock file still without its owner's id after this many seconds was left
#: by a run killed between making it and writing to it.
LOCK_UNNAMED_AFTER = 10.0


class FolderLocks:
    """Advisory locks on folders, taken in a fixed order (no deadlock between
    two runs) and held until the context ends. A folder this process holds
    already is not locked again (a lock would wait for itself).

    Where ``fcntl`` is (Linux, macOS) the lock is ``flock`` on the folder,
    which the system drops when a process dies. Elsewhere (Windows) it is a
    lock file, ``.nuke-stops.lock``, made with ``O_EXCL`` and holding the
    owner's process id: a run that finds one waits while that process
    lives, and removes it when it is gone (a killed run's)."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self.folders = sorted({Path(os.path.realpath(f)) for f in folders})
        self.mine: List[Path] = []

    def __enter__(self) -> FolderLocks:
        for folder in self.folders:
            if folder in _held:
                continue
            lock = _lock(folder)
            if lock is not None:
                _held[folder] = lock
                self.mine.append(folder)
        return self

    def __exit__(self, *exc: object) -> None:
        for folder in self.mine:
            _held.pop(folder).release()
        self.mine.clear()


class _Lock:
    """One folder's lock, held: a descriptor with flock, or a lock file."""

    def __init__(self, descriptor: int, lock_file: Optional[Path]) -> None:
        self.descriptor = descriptor
        self.lock_file = lock_file

    def release(self) -> None:
        os.close(self.descriptor)  # releases a flock; Windows removes no open file
        if self.lock_file is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.lock_file)


def _lock(folder: Path) -> Optional[_Lock]:
    try:
        import fcntl
    except ImportError:
        return _lock_file(folder)
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return None  # reading or writing will say what is wrong with it
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log.warning("waiting for another run in %s", folder)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    return _Lock(descriptor, None)


def _lock_file(folder: Path) -> Optional[_Lock]:
    """Make the folder's lock file, waiting while another live run has it."""
    path = folder / LOCK_FILE
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    warned = False
    while True:
        try:
            descriptor = os.open(path, flags, 0o644)
        except FileExistsError:
            owner = _lock_owner(path)
            if (owner is None and _age(path) > LOCK_UNNAMED_AFTER) or (
                owner is not None and not _running(owner)
            ):
                _remove_stale_lock(path, owner)
                continue
            if not warned:
                log.warning("waiting for another run in %s", folder)
                warned = True
            time.sleep(LOCK_POLL)
            continue
        except OSError:
            return None  # a folder that cannot be written: the write will say so
        os.write(descriptor, str(os.getpid()).encode("ascii"))
        return _Lock(descriptor, path)


def _lock_owner(path: Path) -> Optional[int]:
    """The process id a lock file names; None while it is being written (an
    owner that has just made it) or when it is gone."""
    try:
        with open(path, "rb") as stream:
            text = stream.read(32)
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _age(path: Path) -> float:
    try:
        return time.time() - os.stat(path).st_mtime
    except OSError:
        return 0.0


def _remove_stale_lock(path: Path, owner: Optional[int]) -> None:
    """Remove a dead run's lock file, unless it is another's by now."""
    if _lock_owner(path) == owner:
        try:
            os.unlink(path)
        except OSError:
            return  # someone else removed it first
        who = "no process" if owner is None else f"process {owner}"
        log.warning("removed the lock file a run that ended left (%s): %s", who, path)
