"""OpenEXR files byte by byte, for tests: single-part, scan lines, no compression.

Written from the OpenEXR project's "OpenEXR File Layout" document, not
from the product (which only reads EXRs), so that tests can make what the
OpenEXR Python binding will not: subsampled chroma channels, attributes of
any type (an aperture stored as a string), control characters in channel
names, and files damaged at a chosen byte. The OpenEXR library reads what
this writes (tests/cli/test_exr.py checks it).
"""

from __future__ import annotations

import struct
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

MAGIC = b"\x76\x2f\x31\x01"
HALF, FLOAT = 1, 2

Attribute = Tuple[str, str, bytes]  # name, type, value bytes


def attribute(name: str, kind: str, value: object) -> Attribute:
    """An attribute of a standard type, its value encoded as the format says."""
    if kind == "float":
        data = struct.pack("<f", value)
    elif kind == "double":
        data = struct.pack("<d", value)
    elif kind == "int":
        data = struct.pack("<i", value)
    elif kind == "string":
        data = str(value).encode()
    elif kind == "rational":
        data = struct.pack("<iI", *value)  # type: ignore[misc]
    elif kind in ("v2i", "v2f"):
        data = struct.pack("<2i" if kind == "v2i" else "<2f", *value)  # type: ignore[misc]
    else:
        raise ValueError(f"no encoding for {kind} here")
    return name, kind, data


def _encode(attributes: Sequence[Attribute]) -> bytes:
    out = b""
    for name, kind, data in attributes:
        out += name.encode() + b"\0" + kind.encode() + b"\0" + struct.pack("<i", len(data)) + data
    return out + b"\0"


def exr_bytes(
    channels: Dict[str, np.ndarray],
    sampling: Optional[Dict[str, Tuple[int, int]]] = None,
    extra: Sequence[Attribute] = (),
    display: Optional[Tuple[int, int, int, int]] = None,
) -> bytes:
    """A scan-line EXR, uncompressed. ``channels`` maps names to 2-D arrays
    (float16 for half, float32 for float) at their own sampling: a channel
    sampled (2, 2) holds one sample in every 2 x 2 pixels. The data window
    is at (0, 0) and as large as the full-rate channels."""
    sampling = sampling or {}
    full = [a for n, a in channels.items() if sampling.get(n, (1, 1)) == (1, 1)]
    height, width = full[0].shape
    names = sorted(channels)  # the format stores channels in name order
    chlist = b""
    for name in names:
        kind = HALF if channels[name].dtype == np.float16 else FLOAT
        xs, ys = sampling.get(name, (1, 1))
        chlist += name.encode() + b"\0" + struct.pack("<iB3xii", kind, 0, xs, ys)
    chlist += b"\0"
    window = struct.pack("<4i", 0, 0, width - 1, height - 1)
    shown = struct.pack("<4i", *display) if display else window
    header: List[Attribute] = [
        ("channels", "chlist", chlist),
        ("compression", "compression", b"\0"),
        ("dataWindow", "box2i", window),
        ("displayWindow", "box2i", shown),
        ("lineOrder", "lineOrder", b"\0"),
        ("pixelAspectRatio", "float", struct.pack("<f", 1.0)),
        ("screenWindowCenter", "v2f", struct.pack("<2f", 0, 0)),
        ("screenWindowWidth", "float", struct.pack("<f", 1.0)),
        *extra,
    ]
    head = MAGIC + struct.pack("<i", 2 | 0x400) + _encode(header)
    lines = []
    for y in range(height):
        data = b""
        for name in names:
            xs, ys = sampling.get(name, (1, 1))
            if y % ys == 0:
                data += (
                    np.ascontiguousarray(channels[name][y // ys])
                    .astype("<" + channels[name].dtype.str[1:])
                    .tobytes()
                )
        lines.append(struct.pack("<ii", y, len(data)) + data)
    start = len(head) + 8 * height
    offsets = []
    for line in lines:
        offsets.append(start)
        start += len(line)
    return head + struct.pack(f"<{height}Q", *offsets) + b"".join(lines)
