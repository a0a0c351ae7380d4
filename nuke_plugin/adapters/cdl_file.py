"""ASC CDL files, written and read by OpenColorIO itself (not hand-made XML).

The format follows the file name: ``.cc`` a ColorCorrection, ``.ccc`` a
ColorCorrectionCollection, ``.cdl`` a ColorDecisionList.

- Writing: every value is checked first (finite, a slope OpenColorIO can
  read back), the XML is made in memory by OpenColorIO, and it is written
  through :mod:`nuke_plugin.files.safe_write` with the folder locked: the
  temporary file is read back by OpenColorIO and must give the values
  meant before it replaces anything; a file it replaces is kept as
  ``.bak``, its mode kept, a read-only one refused unless forced.
- Reading: a regular file of at most :data:`MAX_CDL_BYTES`, checked before
  OpenColorIO opens it; a collection says which entry was read and how many
  it holds; what OpenColorIO warns about while reading is kept, and an
  exposure it did not read (a slope inside an element it does not know) is
  an error, not "0 stops".

Failures are one-line :class:`CdlError` messages naming the file.
"""

from __future__ import annotations

import math
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, List, Optional, Sequence, Tuple

from ..core.cdl import Cdl
from ..core.text import printable
from ..files import safe_write
from ..files.reading import BLOCK, FileError, open_regular
from ..registry import needs_extra

__all__ = ["FORMATS", "MAX_CDL_BYTES", "CdlError", "CdlRead", "entry_text", "read_cdl", "write_cdl"]

#: OpenColorIO's format name for each file suffix.
FORMATS = {
    ".cc": "ColorCorrection",
    ".ccc": "ColorCorrectionCollection",
    ".cdl": "ColorDecisionList",
}
#: The largest CDL file read: thousands of corrections fit in far less.
MAX_CDL_BYTES = 16 << 20
#: How closely a written file must read back (OpenColorIO writes 16 digits).
_READ_BACK = 1e-12
#: Values the exposure lives in: OpenColorIO ignoring one of these changes the answer.
_VALUES = ("Slope", "Offset", "Power", "Saturation")


class CdlError(Exception):
    """A CDL file that cannot be written or read; the message is one line."""


@dataclass(frozen=True)
class CdlRead:
    """A colour decision read from a file, and which one it was."""

    cdl: Cdl
    entry: str  # its id ("" when it has none)
    index: int  # its place in the file, from 0
    count: int  # how many the file holds
    warnings: Tuple[str, ...]  # what OpenColorIO said while reading, one line each


def _ocio() -> Any:
    try:
        import PyOpenColorIO
    except ImportError:
        raise CdlError(needs_extra("reading and writing CDL files", "cdl")) from None
    return PyOpenColorIO


@contextmanager
def _quiet(ocio: Any) -> Iterator[List[str]]:
    """OpenColorIO's warnings while inside, one line each, instead of on
    stderr. Its default logging comes back after (a Python function left
    installed hangs the interpreter at exit)."""
    said: List[str] = []

    def keep(message: str) -> None:
        said.append(" ".join(message.replace("[OpenColorIO Warning]:", "").split()))

    level = ocio.GetLoggingLevel()
    ocio.SetLoggingLevel(ocio.LOGGING_LEVEL_WARNING)
    ocio.SetLoggingFunction(keep)
    try:
        yield said
    finally:
        ocio.ResetToDefaultLoggingFunction()
        ocio.SetLoggingLevel(level)


def _format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise CdlError(f"{path}: a CDL file ends in .cc, .ccc or .cdl") from None


def _reason(error: Exception) -> str:
    """OpenColorIO's own reason, from the last line of its message."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    last = lines[-1] if lines else type(error).__name__
    last = re.sub(r"^'\w+' failed with: ", "", last)
    return printable(last.replace("Does not appear to contain a valid ASC CDL XML:", "").strip())


def _not_finite(cdl: Cdl) -> Optional[str]:
    """Why a CDL's numbers are no numbers (None: they all are)."""
    for name, values in (
        ("slope", cdl.slope),
        ("offset", cdl.offset),
        ("power", cdl.power),
        ("saturation", (cdl.saturation,)),
    ):
        bad = [v for v in values if not math.isfinite(v)]
        if bad:
            return f"its {name} {bad[0]!r} is not a finite number"
    return None


def write_cdl(
    path: Path,
    cdl: Cdl,
    cdl_id: str = "nuke-stops",
    force: bool = False,
    description: str = "",
    check: Optional[Callable[[Path], None]] = None,
) -> safe_write.Written:
    """Write one colour decision to ``path``, with ``description`` when
    given; raises CdlError, and then nothing was written. ``check(file)``
    runs on the complete temporary file after it has read back (it raises
    ValueError to refuse it): the grading space applies it there."""
    path = Path(path)
    form = _format(path)
    why = _not_finite(cdl)
    if why is None and not all(s >= sys.float_info.min for s in cdl.slope):
        shown = " ".join(f"{s:.10g}" for s in cdl.slope)
        why = f"its slope {shown} is not a positive number a CDL can carry"
    if why is not None:
        raise CdlError(f"{path}: not written: {why}")
    ocio = _ocio()
    transform = ocio.CDLTransform(
        slope=list(cdl.slope),
        offset=list(cdl.offset),
        power=list(cdl.power),
        sat=cdl.saturation,
        id=cdl_id,
    )
    if description:
        transform.getFormatMetadata().addChildElement("Description", description)
    with _quiet(ocio):
        text = ocio.GroupTransform([transform]).write(form, ocio.Config.CreateRaw())

    def reads_back(temporary: Path) -> None:
        try:
            found = _read(ocio, temporary, cdl_id)[0].cdl
        except CdlError as error:  # it names the temporary file: name the target
            reason = str(error).split(": ", 1)[-1].replace(str(temporary), str(path))
            raise ValueError(f"OpenColorIO cannot read it back: {reason}") from None
        meant = (cdl.slope, cdl.offset, cdl.power, (cdl.saturation,))
        got = (found.slope, found.offset, found.power, (found.saturation,))
        for wanted, value in zip(meant, got):
            if not all(math.isclose(a, b, rel_tol=_READ_BACK) for a, b in zip(wanted, value)):
                raise ValueError(f"OpenColorIO reads back {value}, not {wanted}")
        if check is not None:
            check(temporary)

    folder = path.parent if str(path.parent) else Path(".")
    try:
        with safe_write.FolderLocks([folder]):  # from the check of what is there to the rename
            plan = safe_write.plan_output(path, len(text) + BLOCK, force)
            return safe_write.write(plan, [text], verify=reads_back)
    except FileError as error:
        raise CdlError(str(error)) from None


def read_cdl(path: Path, cdl_id: str = "") -> CdlRead:
    """The colour decision in ``path``: the first, or the one whose id is
    ``cdl_id``; raises CdlError."""
    path = Path(path)
    _format(path)
    ocio = _ocio()
    try:
        # Refuse a folder, a FIFO or a huge file before OpenColorIO, which
        # opens the path itself, can block on it or read it all.
        with open_regular(path, MAX_CDL_BYTES):
            pass
    except FileError as error:
        raise CdlError(str(error)) from None
    read, warnings = _read(ocio, path, cdl_id)
    ignored = [w for w in warnings if any(f"element '{v}'" in w for v in _VALUES)]
    if ignored:
        raise CdlError(
            f"{path}: OpenColorIO did not read part of it ({ignored[0]}): not read as stops"
        )
    return read


def _read(ocio: Any, path: Path, cdl_id: str) -> Tuple[CdlRead, List[str]]:
    try:
        with _quiet(ocio) as warnings:
            group = ocio.CDLTransform.CreateGroupFromFile(str(path))
    except (ocio.Exception, ocio.ExceptionMissingFile) as error:  # two unrelated types
        raise CdlError(f"{path}: not a CDL OpenColorIO reads: {_reason(error)}") from None
    entries: Sequence[Any] = list(group)
    if not entries:
        raise CdlError(f"{path}: holds no colour correction")
    ids = [str(entry.getID()) for entry in entries]
    if cdl_id:
        if cdl_id not in ids:
            shown = ", ".join(printable(i) or "(no id)" for i in ids[:10])
            more = f" and {len(ids) - 10} more" if len(ids) > 10 else ""
            raise CdlError(
                f"{path}: no correction with id {printable(cdl_id)!r} (it has: {shown}{more})"
            )
        index = ids.index(cdl_id)
    else:
        index = 0
    entry = entries[index]
    slope, offset, power = (
        tuple(float(v) for v in values)
        for values in (entry.getSlope(), entry.getOffset(), entry.getPower())
    )
    cdl = Cdl(slope, offset, power, float(entry.getSat()))  # type: ignore[arg-type]
    name = f"correction {printable(ids[index])!r}" if ids[index] else f"correction {index + 1}"
    why = _not_finite(cdl)
    if why is not None:
        raise CdlError(f"{path}: {name}: {why}")
    kept = tuple(printable(w) for w in warnings)
    return CdlRead(cdl, ids[index], index, len(entries), kept), list(warnings)


def entry_text(read: CdlRead) -> Optional[str]:
    """What a report says of the entry read, when the file holds more than one."""
    if read.count <= 1:
        return None
    name = f"{printable(read.entry)!r}" if read.entry else f"number {read.index + 1}"
    return f"correction {name}, {read.index + 1} of {read.count} (--id chooses)"
