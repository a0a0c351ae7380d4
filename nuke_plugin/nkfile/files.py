"""Reading and writing artists' script files without ever losing one.

- A file is read once into a :class:`Snapshot`: its text (any byte survives:
  UTF-8 with ``surrogateescape``), where it really is (symbolic links
  followed, so a "latest" link keeps pointing at the converted file), and
  its size, modification time, inode, mode, owner, group and SHA-256.
- Before a file is replaced, :func:`changed_since` reads it again: if
  anyone saved it since, it is refused rather than overwritten.
- :class:`FolderLocks` holds an advisory lock (``flock``) on each folder
  written in, from before reading until after writing, so two nuke-stops
  runs on the same files take turns instead of mixing their writes.
- :func:`write_file` writes through a temporary file in the same folder,
  flushed to disk and renamed over the target: the target is complete or
  untouched. On Linux the temporary file is anonymous (``O_TMPFILE``) until
  the moment it is renamed, so even ``kill -9`` leaves nothing behind;
  elsewhere a named one is removed on every exit Python sees, and a later
  run removes any a killed run left. A backup is written the same way, from
  the bytes that were read, never from what is on disk later. A link in
  the backup's place is replaced, never followed.
- New files follow the umask; a replaced file keeps its mode, owner (where
  the user may set it) and group; its backup gets the same.
- Every problem is a :class:`FileError` whose message is one line naming
  the path and the reason.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

__all__ = [
    "FileError",
    "FolderLocks",
    "Snapshot",
    "backup_path",
    "changed_since",
    "check_in_place",
    "check_output",
    "read",
    "remove_stale_temporaries",
    "write_file",
]

ENCODING = "utf-8"
ERRORS = "surrogateescape"  # any byte read is written back as it was
_TEMP = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.nuke-stops\.tmp\Z")
_CHUNK = 1 << 20

log = logging.getLogger(__name__)


class FileError(Exception):
    """A file that cannot be read or written as asked; the message is one line."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).rstrip(".").lower()


@dataclass(frozen=True)
class Snapshot:
    """A file as it was read."""

    path: Path  # as given
    target: Path  # the file itself: links followed
    text: str
    size: int
    mtime_ns: int
    inode: Tuple[int, int]
    mode: int
    uid: int
    gid: int
    digest: bytes


def read(path: Path) -> Snapshot:
    """Read a script file; raises FileError."""
    path = Path(path)
    try:
        target = Path(os.path.realpath(path))
        with open(target, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise FileError(path, "not a regular file")
            data = stream.read()
    except FileError:
        raise
    except OSError as error:
        raise FileError(path, f"cannot read: {_reason(error)}") from None
    digest = hashlib.sha256(data).digest()
    text = data.decode(ENCODING, ERRORS)
    del data  # the text is kept, not both
    return Snapshot(
        path,
        target,
        text,
        info.st_size,
        info.st_mtime_ns,
        (info.st_dev, info.st_ino),
        stat.S_IMODE(info.st_mode),
        info.st_uid,
        info.st_gid,
        digest,
    )


def changed_since(snapshot: Snapshot) -> Optional[str]:
    """Why the file on disk is no longer the one that was read (None: it is)."""
    try:
        info = os.stat(snapshot.target)
        if (info.st_dev, info.st_ino) != snapshot.inode:
            return "it was replaced since it was read"
        if info.st_size != snapshot.size or info.st_mtime_ns != snapshot.mtime_ns:
            return "it was saved since it was read"
        digest = hashlib.sha256()
        with open(snapshot.target, "rb") as stream:
            for block in iter(lambda: stream.read(_CHUNK), b""):
                digest.update(block)
    except OSError as error:
        return f"it cannot be read again: {_reason(error)}"
    if digest.digest() != snapshot.digest:
        return "its content changed since it was read"
    return None


def attributes(path: Path) -> Optional[Tuple[int, int, int]]:
    """(mode, uid, gid) of an existing file, for its replacement; None if absent."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise FileError(path, _reason(error)) from None
    return stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid


def backup_path(target: Path) -> Path:
    return target.with_name(target.name + ".bak")


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _free_bytes(folder: Path) -> Optional[int]:
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):
        return None
    return info.f_bavail * info.f_frsize


def _check_folder(folder: Path, label: object, needed: int) -> None:
    """The folder exists and a file can really be made in it."""
    if not folder.is_dir():
        raise FileError(label, f"the folder {folder} does not exist")
    try:
        descriptor, name = _temporary(folder, "check")
        os.close(descriptor)
        if name is not None:
            os.unlink(name)
    except OSError as error:
        raise FileError(label, f"cannot write in {folder}: {_reason(error)}") from None
    free = _free_bytes(folder)
    if free is not None and free < needed:
        raise FileError(label, f"not enough free space in {folder} ({free} bytes free)")


def check_output(text: str, needed: int) -> Path:
    """The path ``-o`` names, if a script may be written there; else FileError."""
    if not text.strip():
        raise FileError(repr(text), "not a file name")
    path = Path(text)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise FileError(path, _reason(error)) from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise FileError(path, "is a folder: give a file name")
        if stat.S_ISLNK(info.st_mode):
            raise FileError(path, "is a symbolic link: give the file it points to")
        if not stat.S_ISREG(info.st_mode):
            raise FileError(path, "is not a regular file (write to standard output with -o -)")
    _check_folder(path.parent if str(path.parent) else Path("."), path, needed)
    return path


def check_in_place(snapshot: Snapshot, force: bool) -> None:
    """Whether a script can be replaced in place, with its backup; else FileError."""
    where = snapshot.path
    writable = snapshot.mode & 0o222 and os.access(snapshot.target, os.W_OK)
    if not writable and not force:
        raise FileError(
            where, f"is read-only (mode {snapshot.mode:04o}): not converted (--force converts it)"
        )
    backup = backup_path(snapshot.target)
    try:
        info: Optional[os.stat_result] = os.lstat(backup)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise FileError(backup, _reason(error)) from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise FileError(backup, "is a folder: the backup cannot be written")
        if stat.S_ISREG(info.st_mode) and not info.st_mode & 0o222 and not force:
            raise FileError(backup, "is read-only: remove it, or use --force")
    _check_folder(snapshot.target.parent, where, 2 * snapshot.size + _CHUNK)


# -- writing -------------------------------------------------------------------------


def _temp_name(folder: Path, name: str) -> Path:
    return folder / f".{name}.{os.getpid()}.{secrets.token_hex(4)}.nuke-stops.tmp"


def _temporary(folder: Path, name: str) -> Tuple[int, Optional[str]]:
    """An open temporary file in ``folder``: anonymous (no name to leave
    behind) where Linux offers O_TMPFILE, else named like _TEMP."""
    anonymous = getattr(os, "O_TMPFILE", 0)
    if anonymous and os.path.isdir("/proc/self/fd"):
        try:
            return os.open(folder, anonymous | os.O_WRONLY, 0o600), None
        except OSError as error:
            if error.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                raise
    path = _temp_name(folder, name)
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), str(path)


def _set_owner(descriptor: int, uid: int, gid: int) -> List[str]:
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


def write_file(
    target: Path,
    chunks: Iterable[str],
    like: Optional[Tuple[int, int, int]] = None,
) -> List[str]:
    """Write text to ``target`` atomically; ``like`` is the (mode, uid, gid)
    to give it (None: a new file, following the umask). Returns notes (an
    owner that could not be kept); raises FileError."""
    folder = target.parent
    descriptor, temporary = _temporary(folder, target.name)
    notes: List[str] = []
    try:
        with os.fdopen(descriptor, "wb", closefd=False) as stream:
            for chunk in chunks:
                stream.write(chunk.encode(ENCODING, ERRORS))
            stream.flush()
            if like is None:
                os.fchmod(descriptor, 0o666 & ~_umask())
            else:
                mode, uid, gid = like
                notes = _set_owner(descriptor, uid, gid)
                os.fchmod(descriptor, mode)
            os.fsync(descriptor)
        if temporary is None:  # give the anonymous file a name, then rename it
            temporary = str(_temp_name(folder, target.name))
            _link_anonymous(descriptor, Path(temporary))
        os.replace(temporary, target)
        temporary = None
        _sync_folder(folder)
    except OSError as error:
        raise FileError(target, f"cannot write: {_reason(error)}") from None
    finally:
        os.close(descriptor)
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
    return notes


def _link_anonymous(descriptor: int, name: Path) -> None:
    """Give an O_TMPFILE file a name: linkat with AT_SYMLINK_FOLLOW through
    /proc (open(2)); os.link takes that path only with a folder descriptor."""
    folder = os.open(name.parent, os.O_RDONLY)
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
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- locks ---------------------------------------------------------------------------


class FolderLocks:
    """Advisory locks on folders, taken in a fixed order (no deadlock between
    two runs) and held until the context ends. Where ``fcntl`` is missing
    (Windows) nothing is locked; the content check still refuses a file
    someone changed."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self.folders = sorted({Path(os.path.realpath(f)) for f in folders})
        self.held: Dict[Path, int] = {}

    def __enter__(self) -> FolderLocks:
        try:
            import fcntl
        except ImportError:
            return self
        for folder in self.folders:
            try:
                descriptor = os.open(folder, os.O_RDONLY)
            except OSError:
                continue  # reading will say what is wrong with it
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log.warning("waiting for another run in %s", folder)
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            self.held[folder] = descriptor
        return self

    def __exit__(self, *exc: object) -> None:
        for descriptor in self.held.values():
            os.close(descriptor)  # closing releases the lock
        self.held.clear()
