"""The EXR layout reader against files the OpenEXR library wrote, and
against every way a header can be cut or damaged."""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

np = pytest.importorskip("numpy")
OpenEXR = pytest.importorskip("OpenEXR", reason="pip install -e .[dev] installs OpenEXR")

from nuke_plugin.adapters import exr_header  # noqa: E402
from nuke_plugin.adapters.exr_header import ExrLayoutError, read_layout, single_part  # noqa: E402

from support.exr_bytes import attribute, exr_bytes  # noqa: E402


def layout_of(data: bytes) -> exr_header.Layout:
    return read_layout(io.BytesIO(data), len(data))


def channels(k: float) -> Any:
    base = np.linspace(0.1, 1, 24 * 32, dtype=np.float32).reshape(24, 32)
    return {"R": base * k, "G": base * k * 2, "B": base * k * 3}


@pytest.fixture(scope="module")
def stereo(tmp_path_factory: Any) -> Path:
    tiles = OpenEXR.TileDescription()
    tiles.xSize, tiles.ySize, tiles.mode = 16, 16, OpenEXR.ONE_LEVEL
    parts = [
        OpenEXR.Part({"compression": OpenEXR.PIZ_COMPRESSION}, channels(1), name="left"),
        OpenEXR.Part(
            {"compression": OpenEXR.ZIP_COMPRESSION, "type": OpenEXR.tiledimage, "tiles": tiles},
            {**channels(4), "Z": channels(1)["R"]},
            name="right",
        ),
    ]
    path: Path = tmp_path_factory.mktemp("exr") / "stereo.exr"
    OpenEXR.File(parts).write(str(path))
    return path


def test_the_layout_is_what_the_library_says(stereo: Path) -> None:
    layout = layout_of(stereo.read_bytes())
    library = OpenEXR.File(str(stereo), header_only=True)
    assert layout.multipart
    assert [p.name for p in layout.parts] == [p.name() for p in library.parts] == ["left", "right"]
    assert [p.kind for p in layout.parts] == ["scanlineimage", "tiledimage"]
    for part, header in zip(layout.parts, (library.header(0), library.header(1))):
        assert sorted(c.name for c in part.channels) == sorted(c.name for c in header["channels"])
        (x0, y0), (x1, y1) = header["dataWindow"]
        assert part.data_window == (x0, y0, x1, y1)
        assert len(part.offsets) == header["chunkCount"]


def test_a_part_alone_decodes_as_the_library_decodes_it_in_the_whole_file(stereo: Path) -> None:
    layout = layout_of(stereo.read_bytes())
    whole = OpenEXR.File(str(stereo), separate_channels=True)
    with stereo.open("rb") as stream:
        for part in layout.parts:
            alone = OpenEXR.File(single_part(stream, layout, part), separate_channels=True)
            assert len(alone.parts) == 1
            for name, channel in whole.channels(part.index).items():
                assert np.array_equal(alone.channels()[name].pixels, channel.pixels), name


def test_every_cut_of_a_header_is_a_layout_error() -> None:
    data = exr_bytes(channels(1), extra=[attribute("aperture", "float", 2.8)])
    end = data.index(struct.pack("<Q", len(data) - 24 * (8 + 32 * 12)))  # the offset table
    for length in range(end + 8):
        with pytest.raises(ExrLayoutError):
            layout_of(data[:length])


def test_a_header_past_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = exr_bytes(channels(1), extra=[attribute("comments", "string", "x" * 5000)])
    monkeypatch.setattr(exr_header, "MAX_HEADER_BYTES", 4096)
    with pytest.raises(ExrLayoutError, match="its header is larger than"):
        layout_of(data)


def test_typed_values_are_read_by_their_exr_type() -> None:
    data = exr_bytes(
        channels(1),
        extra=[
            attribute("aperture", "float", 2.8),
            attribute("framesPerSecond", "rational", (24000, 1001)),
            attribute("owner", "string", "Ana"),
        ],
    )
    part = layout_of(data).parts[0]
    assert part.value("aperture", "float") == pytest.approx(2.8)
    assert part.value("framesPerSecond", "rational") == (24000, 1001)
    assert part.value("owner", "string") == "Ana"
    assert part.value("tStop", "float") is None
    with pytest.raises(
        ExrLayoutError, match="its aperture attribute is a float, where the OpenEXR"
    ):
        part.value("aperture", "rational")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_damage_anywhere_is_a_layout_error_or_a_layout(data: Any) -> None:
    """Whatever bytes are changed, the reader says why in a layout error, or
    reads a layout; it never fails another way."""
    good = bytearray(exr_bytes(channels(1), extra=[attribute("aperture", "float", 2.8)]))
    header_end = len(good) - 24 * (8 + 32 * 12) - 8 * 24
    for _ in range(data.draw(st.integers(1, 6))):
        index = data.draw(st.integers(4, header_end + 8 * 24 - 1))
        good[index] = data.draw(st.integers(0, 255))
    reason = ""
    try:
        layout_of(bytes(good))
    except ExrLayoutError as error:
        reason = str(error)
    assert "\n" not in reason
