"""OpenEXR plates for matching: one part's colour channels, decoded alone.

- :func:`open_plate` reads the file's layout (:mod:`.exr_header`, no
  pixels), chooses the part (``--part NAME``, else the first with R, G and
  B, else the first with luminance Y) and checks it before anything is
  decoded: deep parts, subsampled or whole-number colour channels and a
  decode larger than :data:`MAX_PLATE_BYTES` are refused with the reason.
- :meth:`Plate.pixels` decodes only the rows of the box asked for and only
  R, G, B (or Y) of that part, in strips, with the OpenEXR library's
  channel-list reader (``OpenEXR.InputFile``); a part of a multi-part file
  is handed to it as a single-part file made in memory. Memory is the box's
  pixels in the file's own type (half stays float16), and one strip.
  :meth:`Plate.planes` decodes the same, and keeps each channel's strips
  as the library returned them (a
  :class:`~nuke_plugin.core.matching.RowBands` each): no copy, which is
  how ``nuke-stops match`` reads frames.
- :func:`camera_report` reads the standard camera attributes by their EXR
  types, from the header alone.

Failures are one-line :class:`ExrError` messages naming the file (and the
part, in a multi-part file); names from the file are printed escaped. The
library's own messages, on either stream, never reach the terminal.

Coordinates: x to the right and y down from the display window's top-left
corner, in pixels, as the file stores them.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterator, List, Optional, Tuple, cast

from ..core.camera import CameraReport
from ..core.text import printable
from ..files.reading import FileError, open_regular, size_text
from ..registry import needs_extra
from .exr_header import ExrLayoutError, Layout, Part, read_layout, single_part

__all__ = ["MAX_PLATE_BYTES", "ExrError", "Plate", "camera_report", "open_plate"]

#: The most memory one plate's pixels may take (a 16K x 16K RGB float plate
#: is 3 GB): a small file whose header claims a huge image is refused
#: before anything is decoded.
MAX_PLATE_BYTES = 4 << 30
#: Rows decoded at a time: a multiple of every compression's scan-line block.
STRIP_ROWS = 256
_COLOUR = ("R", "G", "B")
_LUMINANCE = ("Y",)


class ExrError(Exception):
    """An EXR that cannot be read as a plate; the message is one line."""


def _openexr() -> Any:
    try:
        import OpenEXR
    except ImportError:
        raise ExrError(needs_extra("reading EXR pixels", "plates")) from None
    return OpenEXR


@contextlib.contextmanager
def library_quiet() -> Iterator[None]:
    """While the OpenEXR library runs, both of its streams go to the null
    device: C++ writes to file descriptors 1 and 2, the binding prints to
    ``sys.stdout``. A ``--json`` output stays parseable."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    saved = (os.dup(1), os.dup(2))
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for descriptor in (*saved, null):
            os.close(descriptor)


@dataclass
class Plate:
    """One part of an EXR file, open, its pixels not yet decoded."""

    path: Path
    stream: BinaryIO
    layout: Layout
    part: Part
    channels: Tuple[str, ...]  # ("R", "G", "B"), or ("Y",) for luminance

    def __enter__(self) -> Plate:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()

    @property
    def part_name(self) -> Optional[str]:
        """The part read, named in reports of multi-part files (None otherwise)."""
        if not self.layout.multipart:
            return None
        return self.part.name or str(self.part.index)

    @property
    def where(self) -> str:
        """The file, and the part in a multi-part file, for messages."""
        name = self.part_name
        return f"{self.path}" if name is None else f"{self.path} (part {name})"

    @property
    def display_window(self) -> Tuple[int, int, int, int]:
        return self.part.display_window

    def window(self) -> Tuple[int, int, int, int]:
        """The pixels' box in display coordinates: x0, y0, x1, y1 (exclusive)."""
        dx0, dy0, dx1, dy1 = self.part.data_window
        wx0, wy0 = self.part.display_window[:2]
        return dx0 - wx0, dy0 - wy0, dx1 - wx0 + 1, dy1 - wy0 + 1

    def _dtype(self) -> Any:
        import numpy as np

        types = {self.part.channel(name).pixel_type for name in self.channels}  # type: ignore[union-attr]
        return np.float16 if types == {1} else np.float32

    def pixels(self, box: Tuple[int, int, int, int]) -> Any:
        """The channels' pixels inside ``box`` (display coordinates, within
        :meth:`window`), H x W x channels (a view of one array of channel
        planes, each strip copied in as it is decoded: one strip and the
        result in memory); ExrError if they cannot be read."""
        import numpy as np

        x0, y0, x1, y1 = box
        out = np.empty((len(self.channels), y1 - y0, x1 - x0), self._checked_dtype(box))
        for top, strip in self._strips(box):
            for channel, rows in enumerate(strip):
                out[channel, top : top + rows.shape[0]] = rows
            del strip, rows  # before the next strip is decoded: one strip in memory
        return out.transpose(1, 2, 0)

    def planes(self, box: Tuple[int, int, int, int]) -> List[Any]:
        """The channels' pixels inside ``box`` as channel planes, each the
        strips the library decoded, uncopied
        (:class:`nuke_plugin.core.matching.RowBands`, which
        :func:`~nuke_plugin.core.matching.measure_offset` reads without
        joining them); ExrError if they cannot be read. Memory: the box's
        rows, as decoded."""
        from ..core.matching import RowBands

        self._checked_dtype(box)
        bands: List[List[Any]] = [[] for _ in self.channels]
        for _, strip in self._strips(box):
            for channel, rows in enumerate(strip):
                bands[channel].append(rows)
        return [RowBands(found) for found in bands]

    def _checked_dtype(self, box: Tuple[int, int, int, int]) -> Any:
        """The pixels' type; ExrError when the box would take too much memory."""
        import numpy as np

        x0, y0, x1, y1 = box
        dtype = np.dtype(self._dtype())
        need = (y1 - y0) * (x1 - x0) * len(self.channels) * dtype.itemsize
        if need > MAX_PLATE_BYTES:
            raise ExrError(
                f"{self.where}: its pixels would take {size_text(need)}, more than the "
                f"{size_text(MAX_PLATE_BYTES)} nuke-stops decodes"
            )
        return dtype

    def _strips(self, box: Tuple[int, int, int, int]) -> Iterator[Tuple[int, List[Any]]]:
        """The box's rows, :data:`STRIP_ROWS` at a time, decoded by the
        library's channel-list reader (only the colour channels): each
        strip's first row in the box and its channels' rows (read-only
        arrays over the bytes the library returned). A generator: one strip
        is decoded at a time, and the library's output stays silenced
        while the caller takes each (so the caller prints nothing)."""
        import numpy as np

        x0, y0, x1, y1 = box
        wx0, wy0 = self.part.display_window[:2]
        dx0 = self.part.data_window[0]
        dtype = np.dtype(self._dtype())
        openexr = _openexr()
        try:
            with library_quiet():
                file = openexr.InputFile(self._source())
                columns = slice(x0 + wx0 - dx0, x1 + wx0 - dx0)
                kind = _float_type() if dtype == np.float32 else None
                for start in range(y0 + wy0, y1 + wy0, STRIP_ROWS):
                    end = min(start + STRIP_ROWS, y1 + wy0)
                    rows = _read_rows(file, self.channels, start, end - 1, kind)
                    strip = [
                        np.frombuffer(raw, dtype).reshape(end - start, -1)[:, columns]
                        for raw in rows
                    ]
                    del rows
                    yield start - wy0 - y0, strip
                    del strip
                file.close()
        except ExrLayoutError as error:
            raise ExrError(f"{self.where}: {error}") from None
        # What the channel-list reader raises (PyOpenEXR_old.cpp): IOError for
        # what the C++ library throws, TypeError, ValueError, OverflowError.
        except (OSError, TypeError, ValueError, OverflowError) as error:
            raise ExrError(
                f"{self.where}: damaged or truncated: its pixels cannot be read "
                f"({printable(_first_line(error))})"
            ) from None

    def _source(self) -> BinaryIO:
        """What the library reads: the file, or the part as a single-part file."""
        if not self.layout.multipart:
            self.stream.seek(0)
            return self.stream
        return single_part(self.stream, self.layout, self.part)


def _float_type() -> Any:
    """The channel-list reader's name for float: every channel comes out as
    float32 when they are not all half."""
    import Imath  # ships with the OpenEXR package, for that reader

    return Imath.PixelType(Imath.PixelType.FLOAT)


def _read_rows(file: Any, channels: Tuple[str, ...], first: int, last: int, kind: Any) -> Any:
    if kind is None:
        return file.channels(list(channels), scanLine1=first, scanLine2=last)
    return file.channels(list(channels), kind, first, last)


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _layout(path: Path) -> Tuple[BinaryIO, Layout]:
    try:
        stream = open_regular(path)
    except FileError as error:
        raise ExrError(str(error)) from None
    try:
        size = os.fstat(stream.fileno()).st_size
        return stream, read_layout(stream, size)
    except ExrLayoutError as error:
        stream.close()
        raise ExrError(f"{path}: {error}") from None
    except BaseException:
        stream.close()
        raise


def _colour(part: Part) -> Optional[Tuple[str, ...]]:
    for names in (_COLOUR, _LUMINANCE):
        if all(part.channel(name) is not None for name in names):
            return names
    return None


def _named(path: Path, layout: Layout, wanted: str) -> Part:
    for part in layout.parts:
        if part.name == printable(wanted):
            return part
    names = ", ".join(p.name or str(p.index) for p in layout.parts[:20])
    raise ExrError(f"{path}: no part named {printable(wanted)!r} (its parts: {names})")


def _chosen(path: Path, layout: Layout, wanted: Optional[str]) -> Tuple[Part, Tuple[str, ...]]:
    """The part to measure and its channels; ExrError with the reason."""
    if wanted is not None and layout.multipart:  # a single-part file has its one part
        part = _named(path, layout, wanted)
    else:
        usable = [p for p in layout.parts if not p.is_deep and _colour(p) is not None]
        part = usable[0] if usable else layout.parts[0]
    where = f"{path}" if not layout.multipart else f"{path} (part {part.name or part.index})"
    if part.is_deep:
        raise ExrError(f"{where}: is deep (a list of samples a pixel, not one value): not a plate")
    channels = _colour(part)
    if channels is None:
        names = ", ".join(printable(c.name) for c in part.channels[:20]) or "none"
        more = f" and {len(part.channels) - 20} more" if len(part.channels) > 20 else ""
        raise ExrError(
            f"{where}: no colour channels R, G, B, nor luminance Y (it has: {names}{more})"
        )
    for name in channels:
        channel = part.channel(name)
        assert channel is not None
        if channel.pixel_type not in (1, 2):
            raise ExrError(f"{where}: channel {name} is {channel.type_name}, not half or float")
        if (channel.x_sampling, channel.y_sampling) != (1, 1):
            raise ExrError(
                f"{where}: channel {name} is subsampled ({channel.x_sampling} x "
                f"{channel.y_sampling}): not read"
            )
    _check_chunks(where, layout, part)
    return part, channels


def _check_chunks(where: str, layout: Layout, part: Part) -> None:
    """A chunk the offset table points past the end of the file, or that was
    never written (an offset of 0): the file is truncated or incomplete."""
    for number, offset in enumerate(part.offsets):
        if offset == 0 or offset >= layout.size:
            raise ExrError(
                f"{where}: truncated or incomplete: chunk {number} of its pixels is not in the file"
            )


def open_plate(path: Path, part: Optional[str] = None) -> Plate:
    """The part of an EXR to measure, checked, its pixels not yet read: the
    part named ``part`` (of a multi-part file; a single-part file has one),
    else the first with R, G and B, else the first with Y. Raises ExrError.
    Close it (it is a context manager)."""
    path = Path(path)
    _openexr()
    stream, layout = _layout(path)
    try:
        chosen, channels = _chosen(path, layout, part)
    except BaseException:
        stream.close()
        raise
    return Plate(path, stream, layout, chosen, channels)


def _float(part: Part, name: str) -> Optional[float]:
    value = part.value(name, "float")
    if value is None:
        return None
    assert isinstance(value, float)
    # attributes are float32: 2.8 reads back as 2.7999999523, which is no
    # marked f-number; seven significant digits give the value written
    return float(f"{value:.7g}")


def _rational(part: Part, name: str) -> Optional[float]:
    value = part.value(name, "rational")
    if value is None:
        return None
    numerator, denominator = cast(Tuple[int, int], value)
    if denominator == 0:
        raise ExrLayoutError(f"its {name} attribute is {numerator}/0: not a number")
    return float(numerator) / float(denominator)


def camera_report(path: Path) -> CameraReport:
    """The camera settings a file's standard attributes record, each read by
    the type the OpenEXR standard gives it: ``tStop`` (else ``aperture``),
    ``expTime`` (else ``shutterAngle`` with ``captureRate``, else with
    ``framesPerSecond``), ``isoSpeed``. Only the header is read. Raises
    ExrError when it has none, or one of another type."""
    from ..core.camera import shutter_seconds

    path = Path(path)
    stream, layout = _layout(path)
    stream.close()
    usable = [p for p in layout.parts if not p.is_deep and _colour(p) is not None]
    part = (usable or list(layout.parts))[0]
    try:
        f_number = _float(part, "tStop") or _float(part, "aperture")
        seconds = _float(part, "expTime")
        angle = _float(part, "shutterAngle")
        rate = _rational(part, "captureRate") or _rational(part, "framesPerSecond")
        iso = _float(part, "isoSpeed")
        if seconds is None and angle is not None and rate is not None:
            seconds = shutter_seconds(angle, rate)
        report = CameraReport(f_number, seconds, iso)
        for value, name in ((f_number, "aperture"), (seconds, "exposure time"), (iso, "ISO")):
            if value is not None and not 0 < value < float("inf"):
                raise ExrLayoutError(f"its {name} is {value!r}: not a camera setting")
    except (ExrLayoutError, ValueError) as error:
        raise ExrError(f"{path}: {error}") from None
    if f_number is None and seconds is None and iso is None:
        raise ExrError(
            f"{path}: no camera attributes (aperture, tStop, expTime, shutterAngle, isoSpeed)"
        )
    return report
