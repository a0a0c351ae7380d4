"""OpenEXR files for plate matching, read with the ``OpenEXR`` package (3.x).

:func:`read_plate` gives the colour pixels of a file's first part as an
H x W x 3 float array (half stays float16), where they sit in the display
window, and the header's camera attributes. Failures are one-line
:class:`ExrError` messages naming the file; whatever the EXR library itself
prints to stderr while reading is caught and dropped, so a command's error
stays one line.

Coordinates: x to the right and y down from the display window's top-left
corner, in pixels, as the file stores them.
"""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Tuple

from ..core.camera import CameraReport

__all__ = ["ExrError", "ExrPlate", "camera_report", "read_plate"]

_MAGIC = b"\x76\x2f\x31\x01"
_COLOUR = ("R", "G", "B")


class ExrError(Exception):
    """An EXR that cannot be read as a plate; the message is one line."""


@dataclass(frozen=True)
class ExrPlate:
    """A plate's colour pixels and where they are."""

    path: Path
    pixels: Any  # H x W x 3, float16 or float32
    display: Tuple[int, int]  # width, height
    origin: Tuple[int, int]  # the data window's top-left, from the display window's

    def window(self) -> Tuple[int, int, int, int]:
        """The pixels' box in display coordinates: x0, y0, x1, y1 (exclusive)."""
        height, width = self.pixels.shape[:2]
        return self.origin[0], self.origin[1], self.origin[0] + width, self.origin[1] + height


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Send file descriptor 2 to a temporary file while the C++ library
    runs (it prints its own errors there), then put it back."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with tempfile.TemporaryFile() as sink:
            os.dup2(sink.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _check_file(path: Path) -> None:
    try:
        with open(path, "rb") as stream:
            magic = stream.read(4)
    except IsADirectoryError:
        raise ExrError(f"{path}: a folder, not an EXR file") from None
    except OSError as error:
        raise ExrError(f"{path}: cannot read: {(error.strerror or str(error)).lower()}") from None
    if magic != _MAGIC:
        raise ExrError(f"{path}: not an OpenEXR file")


def _open(path: Path) -> Any:
    try:
        import OpenEXR
    except ImportError:
        raise ExrError("reading EXR files needs the OpenEXR package: pip install OpenEXR") from None
    _check_file(path)
    try:
        with _quiet_stderr():
            return OpenEXR.File(str(path), separate_channels=True)
    except Exception as error:  # the library's own exception types are not documented
        raise ExrError(f"{path}: cannot read the EXR: {str(error).splitlines()[0]}") from None


def _box(value: Any) -> Tuple[int, int, int, int]:
    (x0, y0), (x1, y1) = value
    return int(x0), int(y0), int(x1), int(y1)


def read_header(path: Path) -> Dict[str, Any]:
    """The first part's header; raises ExrError."""
    file = _open(path)
    with _quiet_stderr():
        return dict(file.header())


def read_plate(path: Path) -> ExrPlate:
    """The colour pixels of the file's first part; raises ExrError."""
    import numpy as np

    path = Path(path)
    file = _open(path)
    try:
        with _quiet_stderr():
            header = dict(file.header())
            channels = file.channels()
    except Exception as error:
        raise ExrError(f"{path}: cannot read the EXR: {str(error).splitlines()[0]}") from None
    missing = [name for name in _COLOUR if name not in channels]
    if missing:
        names = ", ".join(sorted(channels)) or "none"
        raise ExrError(f"{path}: no colour channels R, G, B (it has: {names})")
    arrays = [channels[name].pixels for name in _COLOUR]
    kinds = {a.dtype.kind for a in arrays}
    if kinds != {"f"}:
        raise ExrError(f"{path}: R, G and B must be half or float, not {arrays[0].dtype}")
    pixels = np.stack(arrays, axis=-1)
    dx0, dy0, _, _ = _box(header["dataWindow"])
    wx0, wy0, wx1, wy1 = _box(header["displayWindow"])
    return ExrPlate(path, pixels, (wx1 - wx0 + 1, wy1 - wy0 + 1), (dx0 - wx0, dy0 - wy0))


def _number(header: Dict[str, Any], name: str) -> Optional[float]:
    value = header.get(name)
    if value is None:
        return None
    try:
        if hasattr(value, "__len__") and len(value) == 2:  # a rational: (numerator, denominator)
            numerator, denominator = (float(v) for v in value)
            return numerator / denominator if denominator else None
        # attributes are float32: 2.8 reads back as 2.7999999523, which is no
        # marked f-number; seven significant digits give the value written
        return float(f"{float(value):.7g}")
    except (TypeError, ValueError):
        return None


def camera_report(path: Path) -> CameraReport:
    """The camera settings a file's standard attributes record: ``tStop``
    (else ``aperture``), ``expTime`` (else ``shutterAngle`` with
    ``framesPerSecond``), ``isoSpeed``; raises ExrError when it has none."""
    from ..core.camera import shutter_seconds

    header = read_header(Path(path))
    f_number = _number(header, "tStop") or _number(header, "aperture")
    seconds = _number(header, "expTime")
    angle, fps = _number(header, "shutterAngle"), _number(header, "framesPerSecond")
    if seconds is None and angle is not None and fps is not None:
        seconds = shutter_seconds(angle, fps)
    iso = _number(header, "isoSpeed")
    if f_number is None and seconds is None and iso is None:
        raise ExrError(
            f"{path}: no camera attributes (aperture, tStop, expTime, shutterAngle, isoSpeed)"
        )
    return CameraReport(f_number, seconds, iso)
