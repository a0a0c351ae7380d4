"""Script files on disk, with no Nuke licence: found, read, written.

Files are read as bytes and decoded so that any byte survives
(``surrogateescape``), at most :data:`MAX_SCRIPT_BYTES`; every write goes
through :mod:`nuke_plugin.files.safe_write`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, List, Tuple, Union

from ..files import safe_write
from ..files.reading import Snapshot, read_text
from ..files.safe_write import Written
from ..nkfile.parser import parse
from ..nkfile.script import Script

__all__ = [
    "MAX_SCRIPT_BYTES",
    "SCRIPT_SUFFIXES",
    "find_scripts",
    "read_script",
    "read_script_file",
    "write_script",
]

SCRIPT_SUFFIXES = (".nk", ".gizmo")
#: The largest script read: far past any Nuke saves (the benchmarks read
#: 104 MB), and bounded, since reading one takes about 3.6 times its size.
MAX_SCRIPT_BYTES = 1 << 30


def read_script_file(path: Path) -> Tuple[Snapshot, Script]:
    """Read and parse a file: its snapshot (to replace it safely later) and
    the script. Raises FileError or NkSyntaxError (with file, line, column)."""
    snapshot, text = read_text(Path(path), MAX_SCRIPT_BYTES)
    return snapshot, parse(text, str(path))


def read_script(path: Path) -> Script:
    """Parse a file; raises NkSyntaxError (with file, line, column) or FileError."""
    return read_script_file(path)[1]


def write_script(path: Path, script: Union[Script, str], force: bool = False) -> Written:
    """Write a script (or its text) to ``path`` as every file is written
    (:mod:`nuke_plugin.files.safe_write`): a new file, or the file there
    replaced and kept as ``NAME.bak`` (read-only ones only with ``force``).
    Raises FileError, and then nothing was written."""
    chunks = [script] if isinstance(script, str) else script.chunks()
    return safe_write.write(safe_write.plan_output(path, force=force), chunks)


def find_scripts(paths: Iterable[Path]) -> Tuple[List[Path], List[str]]:
    """Files as given, and .nk/.gizmo files under folders (sorted, recursive),
    each file once however often it is named; and the folders that could not
    be read, as one-line problems."""
    found: List[Path] = []
    problems: List[str] = []
    seen = set()

    def add(path: Path) -> None:
        try:
            info = os.stat(path)
            key: object = (info.st_dev, info.st_ino)
        except OSError:
            key = os.path.abspath(path)  # reading it will say what is wrong
        if key not in seen:
            seen.add(key)
            found.append(path)

    def unreadable(error: OSError) -> None:
        problems.append(f"{error.filename}: cannot read the folder: {error.strerror or error}")

    for path in map(Path, paths):
        if not path.is_dir():
            add(path)
            continue
        for folder, subfolders, names in os.walk(path, onerror=unreadable):
            subfolders.sort()
            for name in sorted(names):
                if name.endswith(SCRIPT_SUFFIXES):
                    add(Path(folder) / name)
    return found, problems
