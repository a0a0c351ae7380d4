"""The layout of an OpenEXR file: its parts' headers and offset tables, no pixels.

Read by this package itself, from the layout the OpenEXR project documents
("OpenEXR File Layout"), so that:

- a header is read without decoding any pixel (``camera --exr`` needs the
  header alone);
- every attribute is read by its own EXR type (an ``aperture`` must be a
  ``float``, as the standard gives it; a ``string`` "56" is refused, never
  taken for 5/6);
- the part to measure is chosen, and checked (deep, subsampled, channel
  types), before the library decodes anything;
- one part of a multi-part file can be handed to the library as a
  single-part file (:func:`single_part`), so only that part is decoded;
- a damaged or truncated file is named as such, in one line.

Everything read is bounded: the header component by :data:`MAX_HEADER_BYTES`,
names by the format's 255 bytes, every size and offset by the file's size.
Standard library only.
"""

from __future__ import annotations

import io
import math
import struct
from dataclasses import dataclass
from typing import BinaryIO, Dict, List, Optional, Tuple

from ..core.text import printable

__all__ = [
    "MAGIC",
    "MAX_HEADER_BYTES",
    "Attribute",
    "Channel",
    "ExrLayoutError",
    "Layout",
    "Part",
    "read_layout",
    "single_part",
]

MAGIC = b"\x76\x2f\x31\x01"
#: The largest header component read (a preview image or an ID manifest
#: makes a header big; 16 MB is far past any seen).
MAX_HEADER_BYTES = 16 << 20
#: The most parts a file may have here, and chunks a part (16 M chunks: an
#: offset table of 128 MB, far past any image).
MAX_PARTS = 4096
MAX_CHUNKS = 1 << 24
_SINGLE_TILE, _LONG_NAMES, _NON_IMAGE, _MULTIPART = 0x200, 0x400, 0x800, 0x1000
#: Pixel types, by their number in a channel list.
PIXEL_TYPES = {0: "uint", 1: "half", 2: "float"}
#: Scan lines in one chunk, by compression number (the layout document's table).
_LINES_PER_CHUNK = {0: 1, 1: 1, 2: 1, 3: 16, 4: 32, 5: 16, 6: 32, 7: 32, 8: 32, 9: 256}


class ExrLayoutError(ValueError):
    """A file whose layout cannot be read: the message is the reason."""


@dataclass(frozen=True)
class Attribute:
    """One header attribute: its EXR type name and its value's bytes."""

    type: str
    data: bytes


@dataclass(frozen=True)
class Channel:
    name: str
    pixel_type: int  # 0 uint, 1 half, 2 float
    x_sampling: int
    y_sampling: int

    @property
    def type_name(self) -> str:
        return PIXEL_TYPES.get(self.pixel_type, f"type {self.pixel_type}")


@dataclass(frozen=True)
class Part:
    """One part: its index, its attributes, and where its offset table is."""

    index: int
    attributes: Dict[str, Attribute]
    header: bytes  # the attributes as stored, without the closing null byte
    kind: str  # scanlineimage, tiledimage, deepscanline or deeptile
    channels: Tuple[Channel, ...]
    data_window: Tuple[int, int, int, int]  # x0, y0, x1, y1, inclusive
    display_window: Tuple[int, int, int, int]
    compression: int
    offsets: Tuple[int, ...]  # each chunk's position in the file; empty when not known

    @property
    def name(self) -> Optional[str]:
        """The part's name (multi-part files must give one), printable."""
        found = self.attributes.get("name")
        return None if found is None else printable(_text(found.data))

    @property
    def is_deep(self) -> bool:
        return self.kind.startswith("deep")

    def channel(self, name: str) -> Optional[Channel]:
        return next((c for c in self.channels if c.name == name), None)

    def value(self, name: str, wanted: str) -> Optional[object]:
        """An attribute's value if it has the EXR type ``wanted`` (float,
        double, int, rational, string); None when absent; ExrLayoutError
        naming both types when it has another."""
        found = self.attributes.get(name)
        if found is None:
            return None
        if found.type != wanted:
            raise ExrLayoutError(
                f"its {name} attribute is a {printable(found.type)}, where the OpenEXR "
                f"standard gives a {wanted}: not read"
            )
        return _decode(found, name)


@dataclass(frozen=True)
class Layout:
    """A file's parts, as its header describes them."""

    flags: int
    parts: Tuple[Part, ...]
    size: int  # the file's size in bytes

    @property
    def multipart(self) -> bool:
        return bool(self.flags & _MULTIPART)


class _Reader:
    """Bounded reads from bytes, read from a stream as far as needed (up to
    ``limit`` bytes): every read past the end is "truncated"."""

    def __init__(
        self, data: bytes, position: int = 0, stream: Optional[BinaryIO] = None, limit: int = 0
    ) -> None:
        self.data = bytearray(data)
        self.position = position
        self.stream = stream
        self.limit = limit

    def _ensure(self, end: int) -> None:
        while self.stream is not None and len(self.data) < min(end, self.limit):
            more = self.stream.read(
                min(max(1 << 16, end - len(self.data)), self.limit - len(self.data))
            )
            if not more:
                self.stream = None  # the end of the file
                break
            self.data += more
        if end > self.limit > 0 and len(self.data) >= self.limit:
            raise ExrLayoutError(f"its header is larger than {self.limit >> 20} MB")

    def take(self, count: int, what: str) -> bytes:
        end = self.position + count
        self._ensure(end)
        if count < 0 or end > len(self.data):
            raise ExrLayoutError(f"damaged or truncated: the header ends inside {what}")
        piece = bytes(self.data[self.position : end])
        self.position = end
        return piece

    def word(self, limit: int, what: str) -> str:
        self._ensure(self.position + limit + 1)
        end = self.data.find(b"\0", self.position, self.position + limit + 1)
        if end < 0:
            if len(self.data) - self.position <= limit:
                raise ExrLayoutError(f"damaged or truncated: the header ends inside {what}")
            raise ExrLayoutError(f"damaged: {what} is longer than {limit} bytes")
        text = bytes(self.data[self.position : end])
        self.position = end + 1
        return _text(text)

    def peek_null(self) -> bool:
        self._ensure(self.position + 1)
        if self.position >= len(self.data):
            raise ExrLayoutError("damaged or truncated: the header has no end")
        return self.data[self.position] == 0


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def read_layout(stream: BinaryIO, size: int) -> Layout:
    """Every part's header and offset table; ExrLayoutError (the reason) for
    a file that is no EXR, or is damaged or truncated."""
    stream.seek(0)
    data = stream.read(8)
    if data[:4] != MAGIC:
        raise ExrLayoutError("not an OpenEXR file")
    if len(data) < 8:
        raise ExrLayoutError("damaged or truncated: it ends inside its version field")
    (version,) = struct.unpack_from("<i", data, 4)
    if version & 0xFF != 2:
        raise ExrLayoutError(f"damaged, or an OpenEXR version not known here ({version & 0xFF})")
    flags = version & ~0xFF
    names = 255 if flags & _LONG_NAMES else 31
    reader = _Reader(data, 8, stream, MAX_HEADER_BYTES)
    headers: List[Tuple[Dict[str, Attribute], bytes]] = []
    while True:
        if headers and flags & _MULTIPART and reader.peek_null():
            reader.take(1, "the end of the headers")
            break
        start = reader.position
        attributes = _attributes(reader, names, size)
        headers.append((attributes, bytes(reader.data[start : reader.position - 1])))
        if not flags & _MULTIPART:
            break
        if len(headers) > MAX_PARTS:
            raise ExrLayoutError(f"damaged: more than {MAX_PARTS} parts")
    parts = []
    table = reader.position
    for index, (attributes, raw) in enumerate(headers):
        part, table = _part(stream, index, attributes, raw, flags, table, size)
        parts.append(part)
    return Layout(flags, tuple(parts), size)


def _attributes(reader: _Reader, names: int, size: int) -> Dict[str, Attribute]:
    attributes: Dict[str, Attribute] = {}
    while not reader.peek_null():
        name = reader.word(names, "an attribute's name")
        kind = reader.word(names, f"the type of attribute {printable(name)!r}")
        (length,) = struct.unpack("<i", reader.take(4, f"the size of {printable(name)!r}"))
        if length < 0 or length > size:
            raise ExrLayoutError(f"damaged: attribute {printable(name)!r} claims {length} bytes")
        attributes[name] = Attribute(kind, reader.take(length, f"attribute {printable(name)!r}"))
    reader.take(1, "the end of a header")
    return attributes


def _part(
    stream: BinaryIO,
    index: int,
    attributes: Dict[str, Attribute],
    raw: bytes,
    flags: int,
    table: int,
    size: int,
) -> Tuple[Part, int]:
    """One part, and where the next offset table starts."""
    for required in ("channels", "compression", "dataWindow", "displayWindow"):
        if required not in attributes:
            raise ExrLayoutError(f"damaged: part {index} has no {required} attribute")
    kind = "tiledimage" if flags & _SINGLE_TILE else "scanlineimage"
    if "type" in attributes:
        kind = _text(attributes["type"].data)
    elif flags & (_MULTIPART | _NON_IMAGE):
        raise ExrLayoutError(f"damaged: part {index} does not say its type")
    channels = _channels(_expect(attributes, "channels", "chlist", index).data)
    data_window = _box(_expect(attributes, "dataWindow", "box2i", index), "dataWindow")
    display_window = _box(_expect(attributes, "displayWindow", "box2i", index), "displayWindow")
    compression_data = _expect(attributes, "compression", "compression", index).data
    if len(compression_data) != 1:
        raise ExrLayoutError(
            f"damaged: part {index}'s compression is {len(compression_data)} bytes"
        )
    count = _chunk_count(attributes, kind, data_window, compression_data[0], flags, index)
    offsets: Tuple[int, ...] = ()
    if count is not None:
        if table + 8 * count > size:
            raise ExrLayoutError(f"truncated: it ends inside the offset table of part {index}")
        stream.seek(table)
        offsets = struct.unpack(f"<{count}Q", stream.read(8 * count))
        table += 8 * count
    part = Part(
        index,
        attributes,
        raw,
        kind,
        channels,
        data_window,
        display_window,
        compression_data[0],
        offsets,
    )
    return part, table


def _expect(attributes: Dict[str, Attribute], name: str, kind: str, index: int) -> Attribute:
    found = attributes[name]
    if found.type != kind:
        raise ExrLayoutError(
            f"damaged: part {index}'s {name} is a {printable(found.type)}, not a {kind}"
        )
    return found


def _chunk_count(
    attributes: Dict[str, Attribute],
    kind: str,
    window: Tuple[int, int, int, int],
    compression: int,
    flags: int,
    index: int,
) -> Optional[int]:
    """How many chunks the part has: its chunkCount, else (a single-part
    scan-line file) from its height; None where it takes the tiling rules."""
    found = attributes.get("chunkCount")
    if found is not None:
        if found.type != "int" or len(found.data) != 4:
            raise ExrLayoutError(f"damaged: part {index}'s chunkCount is no int")
        (count,) = struct.unpack("<i", found.data)
        if not 0 <= count <= MAX_CHUNKS:
            raise ExrLayoutError(f"damaged: part {index} claims {count} chunks")
        return int(count)
    if flags & _MULTIPART:
        raise ExrLayoutError(f"damaged: part {index} of a multi-part file has no chunkCount")
    if kind == "scanlineimage" and compression in _LINES_PER_CHUNK:
        height = window[3] - window[1] + 1
        return math.ceil(height / _LINES_PER_CHUNK[compression])
    return None


def _channels(data: bytes) -> Tuple[Channel, ...]:
    reader = _Reader(data)
    found = []
    while not reader.peek_null():
        name = reader.word(255, "a channel's name")
        pixel_type, _linear, x_sampling, y_sampling = struct.unpack(
            "<iB3xii", reader.take(16, f"channel {printable(name)!r}")
        )
        found.append(Channel(name, pixel_type, x_sampling, y_sampling))
    return tuple(found)


def _box(attribute: Attribute, name: str) -> Tuple[int, int, int, int]:
    if len(attribute.data) != 16:
        raise ExrLayoutError(f"damaged: its {name} is {len(attribute.data)} bytes, not 16")
    x0, y0, x1, y1 = struct.unpack("<4i", attribute.data)
    if x1 < x0 or y1 < y0:
        raise ExrLayoutError(f"damaged: its {name} ({x0}, {y0}) to ({x1}, {y1}) is empty")
    return x0, y0, x1, y1


_FORMATS = {"float": "<f", "double": "<d", "int": "<i", "rational": "<iI"}


def _decode(attribute: Attribute, name: str) -> object:
    if attribute.type == "string":
        return _text(attribute.data)
    layout = _FORMATS.get(attribute.type)
    if layout is None:
        raise ValueError(f"attributes of type {attribute.type} are not read here")
    if len(attribute.data) != struct.calcsize(layout):
        raise ExrLayoutError(
            f"damaged: its {name} attribute is {len(attribute.data)} bytes, "
            f"not the {struct.calcsize(layout)} of a {attribute.type}"
        )
    values = struct.unpack(layout, attribute.data)
    return values if attribute.type == "rational" else values[0]


def single_part(stream: BinaryIO, layout: Layout, part: Part) -> io.BytesIO:
    """Part ``part`` of a multi-part file as a single-part file, in memory:
    the same header, a new offset table, its chunks without their part
    numbers. Its compressed chunks are copied as they are (the part's size
    in memory, once); nothing is decoded. ExrLayoutError names what is
    damaged or missing."""
    if part.is_deep:
        raise ExrLayoutError(f"part {part.name or part.index} is deep")
    flags = layout.flags & _LONG_NAMES
    if part.kind == "tiledimage":
        flags |= _SINGLE_TILE
    ints = 5 if part.kind == "tiledimage" else 2  # tile x, y, level x, y / scan line y; then size
    head = struct.Struct(f"<i{ints}i")
    chunks = [
        _chunk(stream, layout, part, number, offset, head)
        for number, offset in enumerate(part.offsets)
    ]
    out = io.BytesIO()
    out.write(MAGIC + struct.pack("<i", 2 | flags) + part.header + b"\0")
    position = out.tell() + 8 * len(chunks)
    for fields, _ in chunks:
        out.write(struct.pack("<Q", position))
        position += head.size - 4 + fields[-1]
    for fields, offset in chunks:  # each chunk without its part number
        out.write(struct.pack(f"<{ints}i", *fields[1:]))
        stream.seek(offset + head.size)
        out.write(stream.read(fields[-1]))
    out.seek(0)
    return out


def _chunk(
    stream: BinaryIO, layout: Layout, part: Part, number: int, offset: int, head: struct.Struct
) -> Tuple[Tuple[int, ...], int]:
    """A chunk's header fields (part number first, data size last), checked."""
    name = part.name or part.index
    if offset == 0 or offset + head.size > layout.size:
        raise ExrLayoutError(
            f"truncated or incomplete: chunk {number} of part {name} is not in the file"
        )
    stream.seek(offset)
    fields = head.unpack(stream.read(head.size))
    if fields[0] != part.index:
        raise ExrLayoutError(f"damaged: chunk {number} of part {name} belongs to part {fields[0]}")
    if fields[-1] < 0 or offset + head.size + fields[-1] > layout.size:
        raise ExrLayoutError(
            f"truncated: chunk {number} of part {name} ends past the end of the file"
        )
    return fields, offset
