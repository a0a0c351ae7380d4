"""Reading files without hanging and without growing without bound.

- :func:`open_regular` opens a regular file and nothing else: a FIFO, a
  device, a socket or a folder is refused by its kind before it is opened,
  and the file is opened without blocking and checked again, so a FIFO put
  in its place meanwhile cannot hang the command either.
- :func:`read_bytes` reads at most a limit, whatever the size the file
  claims (files under ``/proc`` claim 0).
- :func:`read_text` reads a file once into its text (any byte survives:
  UTF-8 with ``surrogateescape``) and a :class:`Snapshot`: where it really
  is (links followed), its size, modification time, inode, mode, owner,
  group and SHA-256. :func:`fingerprint` takes the snapshot alone, reading
  in blocks. :func:`changed_since` tells whether a file is still the one
  its snapshot describes: the path, and the bytes.
- Every problem is a :class:`FileError`: one line naming the path and the
  reason.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "comp.nk").write_bytes(b"Root {}\\n")
>>> snapshot, text = read_text(folder / "comp.nk", limit=1024)
>>> text, snapshot.size, changed_since(snapshot)
('Root {}\\n', 8, None)
>>> read_text(folder, limit=1024)
Traceback (most recent call last):
...
nuke_plugin.files.reading.FileError: /...: is a folder, not a file
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Optional, Tuple

__all__ = [
    "ENCODING",
    "ERRORS",
    "FileError",
    "Snapshot",
    "changed_since",
    "fingerprint",
    "kind_of",
    "open_regular",
    "read_bytes",
    "read_text",
    "reason",
    "size_text",
]

ENCODING = "utf-8"
ERRORS = "surrogateescape"  # any byte read is written back as it was
#: Reads and digests go in blocks of this size.
BLOCK = 1 << 20


class FileError(Exception):
    """A file that cannot be read or written as asked; the message is one line."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def reason(error: OSError) -> str:
    """An OSError as the end of a one-line message: "permission denied"."""
    return (error.strerror or str(error)).rstrip(".").lower()


def size_text(size: int) -> str:
    """A size as people read it.

    >>> size_text(512), size_text(3 << 20), size_text(5 << 30)
    ('512 bytes', '3 MB', '5 GB')
    """
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


def kind_of(mode: int) -> str:
    """What a file that is not a regular one is, for messages."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a special file"


def _not_a_file(path: object, mode: int) -> FileError:
    return FileError(path, f"is {kind_of(mode)}, not a file")


def open_regular(path: Path, limit: Optional[int] = None, shown: object = None) -> BinaryIO:
    """A regular file opened for reading; FileError for anything else, for
    a missing or unreadable file, and for one larger than ``limit`` bytes.
    Messages name ``shown`` (the path as the user gave it), else ``path``."""
    name = path if shown is None else shown
    try:
        info = os.stat(path)
    except OSError as error:
        raise FileError(name, _cannot_read(error)) from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_a_file(name, info.st_mode)
    # O_NONBLOCK: a FIFO swapped in after the stat opens at once instead of
    # waiting for a writer, and fstat refuses it. It does nothing to a file.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise FileError(name, _cannot_read(error)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _not_a_file(name, info.st_mode)
        if limit is not None and info.st_size > limit:
            raise _too_large(name, info.st_size, limit)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _cannot_read(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    return f"cannot read: {reason(error)}"


def _too_large(path: object, size: int, limit: int) -> FileError:
    return FileError(
        path, f"is {size_text(size)}: larger than the {size_text(limit)} nuke-stops reads"
    )


def read_bytes(stream: BinaryIO, limit: int, path: object) -> bytes:
    """The rest of an open file, at most ``limit`` bytes; FileError past it."""
    try:
        data = stream.read(limit + 1)
    except OSError as error:
        raise FileError(path, f"cannot read: {reason(error)}") from None
    if len(data) > limit:
        raise _too_large(path, len(data), limit)
    return data


@dataclass(frozen=True)
class Snapshot:
    """A file as it was read."""

    path: Path  # as given
    target: Path  # the file itself: links followed
    size: int
    mtime_ns: int
    inode: Tuple[int, int]
    mode: int
    uid: int
    gid: int
    digest: bytes


def _snapshot(path: Path, target: Path, info: os.stat_result, digest: bytes) -> Snapshot:
    return Snapshot(
        path,
        target,
        info.st_size,
        info.st_mtime_ns,
        (info.st_dev, info.st_ino),
        stat.S_IMODE(info.st_mode),
        info.st_uid,
        info.st_gid,
        digest,
    )


def read_text(path: Path, limit: int) -> Tuple[Snapshot, str]:
    """A file's text and its snapshot; FileError (also past ``limit`` bytes)."""
    path = Path(path)
    target = Path(os.path.realpath(path))
    with open_regular(target, limit, shown=path) as stream:
        info = os.fstat(stream.fileno())
        data = read_bytes(stream, limit, path)
    digest = hashlib.sha256(data).digest()
    text = data.decode(ENCODING, ERRORS)
    del data  # the text is kept, not both
    return _snapshot(path, target, info, digest), text


def fingerprint(path: Path) -> Snapshot:
    """A file's snapshot, its digest taken in blocks (memory stays small)."""
    path = Path(path)
    target = Path(os.path.realpath(path))
    with open_regular(target, shown=path) as stream:
        info = os.fstat(stream.fileno())
        digest = _digest(stream, path)
    return _snapshot(path, target, info, digest)


def _digest(stream: BinaryIO, path: object) -> bytes:
    digest = hashlib.sha256()
    try:
        for block in iter(lambda: stream.read(BLOCK), b""):
            digest.update(block)
    except OSError as error:
        raise FileError(path, f"cannot read: {reason(error)}") from None
    return digest.digest()


def changed_since(snapshot: Snapshot, read_content: bool = True) -> Optional[str]:
    """Why the file is no longer the one that was read (None: it is): the
    path now leads to another file, or the file's bytes changed. Without
    ``read_content`` only the path, inode, size and time are compared (for a
    caller that checks the bytes as it copies them)."""
    now = Path(os.path.realpath(snapshot.path))
    if now != snapshot.target:
        return f"it now leads to {now}, not to {snapshot.target} that was read"
    try:
        info = os.stat(snapshot.target)
        if (info.st_dev, info.st_ino) != snapshot.inode:
            return "it was replaced since it was read"
        if info.st_size != snapshot.size or info.st_mtime_ns != snapshot.mtime_ns:
            return "it was saved since it was read"
        if not read_content:
            return None
        with open_regular(snapshot.target) as stream:
            digest = _digest(stream, snapshot.path)
    except (OSError, FileError) as error:
        text = error.reason if isinstance(error, FileError) else reason(error)
        return f"it cannot be read again: {text}"
    if digest != snapshot.digest:
        return "its content changed since it was read"
    return None
