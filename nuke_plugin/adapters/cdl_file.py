"""ASC CDL files, written and read by OpenColorIO itself (not hand-made XML).

The format follows the file name: ``.cc`` a ColorCorrection, ``.ccc`` a
ColorCorrectionCollection, ``.cdl`` a ColorDecisionList. Writes go to a
temporary file in the same folder, renamed over the target when complete.
Failures are one-line :class:`CdlError` messages naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..core.cdl import Cdl

__all__ = ["FORMATS", "CdlError", "read_cdl", "write_cdl"]

#: OpenColorIO's format name for each file suffix.
FORMATS = {
    ".cc": "ColorCorrection",
    ".ccc": "ColorCorrectionCollection",
    ".cdl": "ColorDecisionList",
}


class CdlError(Exception):
    """A CDL file that cannot be written or read; the message is one line."""


def _ocio() -> Any:
    try:
        import PyOpenColorIO
    except ImportError:
        raise CdlError("CDL files need OpenColorIO: pip install opencolorio") from None
    PyOpenColorIO.SetLoggingLevel(PyOpenColorIO.LOGGING_LEVEL_NONE)  # errors are exceptions
    return PyOpenColorIO


def _format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise CdlError(f"{path}: a CDL file ends in .cc, .ccc or .cdl") from None


def write_cdl(path: Path, cdl: Cdl, cdl_id: str = "nuke-stops") -> None:
    """Write one colour decision to ``path``; raises CdlError."""
    path = Path(path)
    form = _format(path)
    ocio = _ocio()
    transform = ocio.CDLTransform(
        slope=list(cdl.slope),
        offset=list(cdl.offset),
        power=list(cdl.power),
        sat=cdl.saturation,
        id=cdl_id,
    )
    temporary = path.with_name(f".{path.name}.nuke-stops.tmp")
    try:
        ocio.GroupTransform([transform]).write(form, str(temporary), ocio.Config.CreateRaw())
        os.replace(temporary, path)
    except Exception as error:  # OCIO raises its own Exception type; OSError from the rename
        raise CdlError(f"{path}: cannot write: {str(error).splitlines()[0]}") from None
    finally:
        if temporary.exists():
            temporary.unlink()


def read_cdl(path: Path, cdl_id: str = "") -> Cdl:
    """The colour decision in ``path`` (the first, or the one named
    ``cdl_id`` in a collection); raises CdlError."""
    path = Path(path)
    _format(path)
    ocio = _ocio()
    if not path.is_file():
        raise CdlError(f"{path}: no such file")
    try:
        transform = ocio.CDLTransform.CreateFromFile(str(path), cdl_id)
    except Exception as error:
        raise CdlError(
            f"{path}: not a CDL OpenColorIO reads: {str(error).splitlines()[0]}"
        ) from None
    slope, offset, power = (
        tuple(float(v) for v in values)
        for values in (transform.getSlope(), transform.getOffset(), transform.getPower())
    )
    return Cdl(slope, offset, power, float(transform.getSat()))  # type: ignore[arg-type]
