"""EXR plates read safely: one line for every bad file, the right part or
none, only the pixels needed, and nothing of the library's on the terminal."""

from __future__ import annotations

import json
import random
import struct
import tracemalloc
from fractions import Fraction
from pathlib import Path
from typing import Any, Dict, List

import pytest

from support.commandline import cli, cli_batch, run_main, without_module

np = pytest.importorskip("numpy")
OpenEXR = pytest.importorskip("OpenEXR", reason="pip install -e .[dev] installs OpenEXR")

from nuke_plugin.adapters import exr_file  # noqa: E402

from support.exr_bytes import attribute, exr_bytes  # noqa: E402

REC709 = np.array([0.2126, 0.7152, 0.0722])


def scene(height: int = 48, width: int = 64, seed: int = 3) -> Any:
    rng = np.random.default_rng(seed)
    grey = rng.lognormal(np.log(0.18), 0.7, (height, width, 1))
    return (grey * rng.uniform(0.7, 1.3, (height, width, 3))).astype(np.float32)


def rgb(pixels: Any, **extra: Any) -> Dict[str, Any]:
    """Channels for OpenEXR.File, each contiguous (the binding writes a
    strided view's memory as it lies)."""
    names = {"R": pixels[..., 0], "G": pixels[..., 1], "B": pixels[..., 2], **extra}
    return {name: np.ascontiguousarray(values) for name, values in names.items()}


def stereo(path: Path, left: Any, right: Any) -> Path:
    parts = [
        OpenEXR.Part({"compression": OpenEXR.ZIP_COMPRESSION}, rgb(left), name="left"),
        OpenEXR.Part({"compression": OpenEXR.ZIP_COMPRESSION}, rgb(right), name="right"),
    ]
    OpenEXR.File(parts).write(str(path))
    return path


def single(path: Path, channels: Dict[str, Any], **header: Any) -> Path:
    OpenEXR.File({"compression": OpenEXR.ZIP_COMPRESSION, **header}, channels).write(str(path))
    return path


# -- multi-part files (case 12) -----------------------------------------------------


def test_the_first_part_with_colour_is_read_and_named(tmp_path: Path, capsys: Any) -> None:
    pixels = scene()
    plate = stereo(tmp_path / "plate.exr", pixels * 0.5, pixels * 4)
    reference = stereo(tmp_path / "ref.exr", pixels, pixels)
    status, out, err = run_main(["match", str(plate), str(reference), "--json"], capsys)
    assert (status, err) == (0, "")
    found = json.loads(out)
    assert found["stops"] == pytest.approx(1, abs=0.01)
    assert (found["plate_part"], found["reference_part"]) == ("left", "left")
    status, out, _ = run_main(["match", str(plate), str(reference), "--part", "right"], capsys)
    assert out.startswith(
        f"{plate} (part right) is 2.00 stops brighter than {reference} (part right): add -2.00"
    )
    status, _, err = run_main(["match", str(plate), str(reference), "--part", "centre"], capsys)
    assert status == 2
    assert err == f"nuke-stops: error: {plate}: no part named 'centre' (its parts: left, right)\n"


def _damage_first_chunk(path: Path, part_name: str) -> None:
    """Overwrite the compressed data of a part's first chunk with 0xff: zlib
    then fails, and the library cannot decode that part."""
    data = bytearray(path.read_bytes())
    header = OpenEXR.File(str(path), header_only=True)
    counts = [p.header["chunkCount"] for p in header.parts]
    index = [p.name() for p in header.parts].index(part_name)
    offset = _tables(data, counts)[index][0]
    part, _y, size = struct.unpack_from("<3i", data, offset)
    assert part == index
    assert size < 48 * 64 * 3 * 4 // 3, "stored raw: nothing for zlib to fail on"
    data[offset + 12 : offset + 12 + size] = b"\xff" * size
    path.write_bytes(bytes(data))


def _tables(data: bytearray, counts: List[int]) -> List[List[int]]:
    """The offset tables, found where the headers end (two nulls close a
    multi-part header component: the last header's and the empty one)."""
    position = 8
    for _ in counts:  # walk each header's attributes: name, type, size, value
        while data[position] != 0:
            position = data.index(b"\0", position) + 1
            position = data.index(b"\0", position) + 1
            (size,) = struct.unpack_from("<i", data, position)
            position += 4 + size
        position += 1
    position += 1  # the empty header
    tables = []
    for count in counts:
        tables.append(list(struct.unpack_from(f"<{count}Q", data, position)))
        position += 8 * count
    return tables


@pytest.mark.slow
def test_a_damaged_part_is_an_error_naming_it_never_another_part(tmp_path: Path) -> None:
    # smooth, so that ZIP compresses it (noise is stored raw, and 0xff is a NaN)
    pixels = np.broadcast_to(np.linspace(0.1, 1, 64, dtype=np.float32)[:, None], (48, 64, 3)).copy()
    plate = stereo(tmp_path / "plate.exr", pixels, pixels * 1.23)
    _damage_first_chunk(plate, "left")
    reference = single(tmp_path / "ref.exr", rgb(pixels))
    done = cli("match", str(plate), str(reference), "--json")
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr.decode().splitlines() == [
        f"nuke-stops: error: {plate} (part left): damaged or truncated: its pixels cannot be "
        "read (Unable to run decoder)"
    ]
    done = cli("match", str(plate), str(reference), "--part", "right", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stops"] == pytest.approx(-np.log2(1.23), abs=0.01)


# -- truncated and damaged files (cases 11, 13) ------------------------------------


@pytest.mark.slow
def test_a_truncated_file_says_so_and_names_the_file(tmp_path: Path) -> None:
    good = single(tmp_path / "good.exr", rgb(scene()), aperture=2.8)
    data = good.read_bytes()
    header_cut = tmp_path / "cut_header.exr"
    header_cut.write_bytes(data[:200])
    pixels_cut = tmp_path / "cut_pixels.exr"
    pixels_cut.write_bytes(data[: len(data) // 2])
    for path, reason in (
        (header_cut, "damaged or truncated: the header ends inside"),
        (pixels_cut, "truncated or incomplete: chunk"),
    ):
        done = cli("match", str(path), str(good))
        assert done.returncode == 2
        assert done.stderr.decode().startswith(f"nuke-stops: error: {path}: {reason}"), done.stderr
    done = cli("camera", "--exr", str(header_cut), str(good))
    assert done.stderr.decode().startswith(f"nuke-stops: error: {header_cut}: damaged or truncated")


def _mutations(data: bytes, count: int, seed: int) -> List[bytes]:
    """Truncations at every kind of place, random byte flips, and huge sizes."""
    rng = random.Random(seed)
    found = [data[:n] for n in (4, 8, 30, 120, 300, len(data) // 3, len(data) - 7)]
    for _ in range(count):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(8, len(damaged))] = rng.randrange(256)
        found.append(bytes(damaged))
    huge = bytearray(data)
    size_at = data.index(b"channels\0chlist\0") + len(b"channels\0chlist\0")
    struct.pack_into("<i", huge, size_at, 2**31 - 1)  # an attribute claiming 2 GB
    found.append(bytes(huge))
    return found


@pytest.mark.slow
def test_fuzzed_files_give_one_line_and_json_stays_json(tmp_path: Path) -> None:
    """Truncated, damaged and oversized files, a mip-mapped file the Python
    binding writes without its lower levels, a deep file: each gives one
    line on stderr and nothing on stdout, or a result that parses. The
    library's own messages (it prints to stdout) never come through."""
    pixels = scene(40, 56)
    good = single(tmp_path / "good.exr", rgb(pixels))
    stereo_file = stereo(tmp_path / "stereo.exr", pixels, pixels)
    tiles = OpenEXR.TileDescription()
    tiles.xSize, tiles.ySize, tiles.mode = 16, 16, OpenEXR.MIPMAP_LEVELS
    mip = single(tmp_path / "mip.exr", rgb(pixels), type=OpenEXR.tiledimage, tiles=tiles)
    cases: List[List[str]] = [["match", str(mip), str(good), "--json"]]
    for n, source in enumerate((good, stereo_file)):
        for i, data in enumerate(_mutations(source.read_bytes(), 40, seed=n)):
            path = tmp_path / f"fuzz{n}_{i}.exr"
            path.write_bytes(data)
            cases.append(["match", str(path), str(good), "--json"])
            if i % 4 == 0:
                cases.append(["camera", "--exr", str(path), str(good), "--json"])
    results = cli_batch(cases, tmp_path)
    errors = 0
    for args, (status, out, err) in zip(cases, results):
        assert "Traceback" not in err, (args, err)
        assert "Warning" not in out, (args, out)
        assert "Exception" not in out, (args, out)
        if status == 0:
            json.loads(out)
        else:
            errors += 1
            assert (status, out) == (2, ""), (args, out, err)
            assert len(err.splitlines()) == 1, (args, err)
            named = args[2] if args[0] == "camera" else args[1]
            assert err.startswith(f"nuke-stops: error: {named}"), (args, err)
    assert errors >= 20  # the fuzzing breaks files (a flipped pixel byte is no error)


@pytest.mark.slow
def test_a_header_claiming_a_huge_image_is_refused_before_decoding(tmp_path: Path) -> None:
    """A file of a few kilobytes whose data window is 100,000 pixels square
    (DWAB: 256 lines a chunk, so its offset table has 391 entries)."""
    small = np.zeros((2, 2), np.float32)
    data = exr_bytes({"R": small, "G": small, "B": small})
    window = struct.pack("<4i", 0, 0, 1, 1)
    huge = struct.pack("<4i", 0, 0, 99_999, 99_999)
    compression = b"compression\0compression\0\x01\0\0\0"
    data = data.replace(window, huge).replace(compression + b"\0", compression + b"\x09")
    table = data.index(struct.pack("<Q", len(data) - 2 * (8 + 24)))  # the first chunk's offset
    data = data[:table] + struct.pack("<Q", table) * 389 + data[table:]
    path = tmp_path / "bomb.exr"
    path.write_bytes(data)
    done = cli("match", str(path), str(path))
    assert done.returncode == 2
    assert "more than the 4 GB nuke-stops decodes" in done.stderr.decode(), done.stderr


# -- memory: only the part and channels used (case 15) ------------------------------


def test_only_the_colour_channels_of_the_part_are_decoded(tmp_path: Path) -> None:
    pixels = scene(1024, 128)  # four strips of rows
    extra = {f"matte{i}": pixels[..., 0] for i in range(40)}
    path = single(tmp_path / "many.exr", rgb(pixels, **extra))
    colour_bytes = pixels.nbytes
    with exr_file.open_plate(path) as plate:
        tracemalloc.start()
        got = plate.pixels(plate.window())
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert np.array_equal(got, pixels)
    assert peak < 1.5 * colour_bytes  # 40 more channels would be 14 times as much
    with exr_file.open_plate(path) as plate:
        tracemalloc.start()
        part = plate.pixels((10, 300, 60, 320))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert np.array_equal(part, pixels[300:320, 10:60])
    assert peak < colour_bytes / 20  # only the rows asked for


@pytest.mark.slow
def test_camera_reads_the_header_alone(tmp_path: Path, capsys: Any) -> None:
    """No pixel is decoded, so the library is not even needed."""
    a = single(tmp_path / "a.exr", rgb(scene()), aperture=2.8, expTime=1 / 48, isoSpeed=800.0)
    b = single(tmp_path / "b.exr", rgb(scene()), aperture=4.0, expTime=1 / 48, isoSpeed=800.0)
    done = cli("camera", "--exr", str(a), str(b), "--json", env=without_module(tmp_path, "OpenEXR"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stops"] == -1.0


# -- channels: luminance, subsampled, deep, names (cases 16, 17) ----------------------


def test_luminance_plates_are_measured(tmp_path: Path, capsys: Any) -> None:
    """Y alone, and Y with subsampled chroma (RY, BY at 2 x 2), against RGB."""
    pixels = scene(48, 64)
    luminance = (pixels @ REC709).astype(np.float16)
    chroma = np.zeros((24, 32), np.float16)
    y_only = tmp_path / "y.exr"
    y_only.write_bytes(exr_bytes({"Y": luminance * np.float16(0.25)}))
    ycc = tmp_path / "ycc.exr"
    ycc.write_bytes(
        exr_bytes({"Y": luminance, "RY": chroma, "BY": chroma}, {"RY": (2, 2), "BY": (2, 2)})
    )
    reference = single(tmp_path / "ref.exr", rgb(pixels))
    for path, stops in ((y_only, 2.0), (ycc, 0.0)):
        status, out, err = run_main(["match", str(path), str(reference), "--json"], capsys)
        assert (status, err) == (0, ""), err
        assert json.loads(out)["stops"] == pytest.approx(stops, abs=0.01)


def test_channels_of_mixed_types_are_read_as_float(tmp_path: Path, capsys: Any) -> None:
    pixels = scene(16, 16)
    mixed = tmp_path / "mixed.exr"
    mixed.write_bytes(
        exr_bytes(
            {
                "R": pixels[..., 0].astype(np.float16),
                "G": np.ascontiguousarray(pixels[..., 1]),
                "B": pixels[..., 2].astype(np.float16),
            }
        )
    )
    with exr_file.open_plate(mixed) as plate:
        got = plate.pixels(plate.window())
    assert got.dtype == np.float32
    assert np.array_equal(got[..., 1], pixels[..., 1])
    assert np.array_equal(got[..., 0], pixels[..., 0].astype(np.float16).astype(np.float32))


def test_the_test_writer_makes_files_the_library_reads(tmp_path: Path) -> None:
    chroma = np.full((2, 3), 0.5, np.float16)
    path = tmp_path / "ycc.exr"
    luminance = np.arange(24, dtype=np.float16).reshape(4, 6)
    path.write_bytes(
        exr_bytes({"Y": luminance, "RY": chroma, "BY": chroma}, {"RY": (2, 2), "BY": (2, 2)})
    )
    channels = OpenEXR.File(str(path), separate_channels=True).channels()
    assert np.array_equal(channels["Y"].pixels, luminance)
    assert channels["RY"].pixels.shape == (2, 3)


@pytest.mark.slow
def test_subsampled_colour_and_deep_parts_are_refused_by_name(tmp_path: Path) -> None:
    half = np.ones((4, 6), np.float16)
    sub = np.ones((2, 3), np.float16)
    subsampled = tmp_path / "sub.exr"
    subsampled.write_bytes(exr_bytes({"R": sub, "G": half, "B": half}, {"R": (2, 2)}))
    deep = tmp_path / "deep.exr"
    samples = np.empty((4, 6), dtype=object)
    for y in range(4):
        for x in range(6):
            samples[y, x] = np.ones(2, np.float32)
    OpenEXR.File(
        {"type": OpenEXR.deepscanline, "compression": OpenEXR.ZIPS_COMPRESSION},
        {"R": samples, "G": samples, "B": samples},
    ).write(str(deep))
    for path, reason in (
        (subsampled, "channel R is subsampled (2 x 2): not read"),
        (deep, "is deep (a list of samples a pixel, not one value): not a plate"),
    ):
        done = cli("match", str(path), str(path))
        assert done.returncode == 2
        assert done.stderr.decode() == f"nuke-stops: error: {path}: {reason}\n"


@pytest.mark.slow
def test_names_from_the_file_are_printed_escaped(tmp_path: Path) -> None:
    zeros = np.zeros((2, 2), np.float32)
    path = tmp_path / "names.exr"
    forged = "x\nnuke-stops: error: all is well"
    path.write_bytes(exr_bytes({forged: zeros, "\x1b[31mred": zeros}))
    done = cli("match", str(path), str(path))
    err = done.stderr.decode()
    assert done.returncode == 2
    assert err.count("\n") == 1
    assert "\x1b" not in err
    assert "\\x1b[31mred" in err
    assert "x\\nnuke-stops: error: all is well" in err


# -- windows (case 14) ---------------------------------------------------------------


@pytest.mark.slow
def test_display_windows_at_other_origins_are_refused(tmp_path: Path) -> None:
    pixels = scene(8, 8)
    a = tmp_path / "a.exr"
    a.write_bytes(exr_bytes(rgb(pixels), display=(0, 0, 7, 7)))
    b = tmp_path / "b.exr"
    b.write_bytes(exr_bytes(rgb(pixels), display=(1, 0, 8, 7)))
    done = cli("match", str(a), str(b))
    assert done.returncode == 2
    assert done.stderr.decode() == (
        f"nuke-stops: error: {a} and {b} have different display windows: "
        "8 x 8 at (0, 0) and 8 x 8 at (1, 0)\n"
    )


# -- camera attributes by type (case 20) ---------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([attribute("aperture", "string", "56")], "its aperture attribute is a string"),
        ([attribute("aperture", "v2f", (2.8, 2.8))], "its aperture attribute is a v2f"),
        (
            [
                attribute("framesPerSecond", "v2i", (24, 1)),
                attribute("shutterAngle", "float", 180.0),
            ],
            "its framesPerSecond attribute is a v2i",
        ),
        ([attribute("isoSpeed", "float", float("nan"))], "its ISO is nan"),
    ],
)
def test_camera_attributes_of_another_type_are_refused(
    tmp_path: Path, extra: Any, message: str
) -> None:
    zeros = np.zeros((2, 2), np.float32)
    odd = tmp_path / "odd.exr"
    odd.write_bytes(exr_bytes(rgb(np.stack([zeros] * 3, -1)), extra=extra))
    done = cli("camera", "--exr", str(odd), str(odd))
    assert done.returncode == 2
    line = done.stderr.decode()
    assert line.startswith(f"nuke-stops: error: {odd}: {message}"), line
    assert line.count("\n") == 1


def test_camera_reads_rationals_and_names_the_file_missing_a_setting(
    tmp_path: Path, capsys: Any
) -> None:
    pixels = rgb(scene(4, 4))
    a = single(
        tmp_path / "a.exr", pixels, shutterAngle=180.0, captureRate=Fraction(48, 1), isoSpeed=800.0
    )
    b = single(tmp_path / "b.exr", pixels, expTime=1 / 48, isoSpeed=800.0)
    status, out, err = run_main(["camera", "--exr", str(a), str(b), "--json"], capsys)
    assert (status, err) == (0, "")
    assert json.loads(out)["stops"] == pytest.approx(1.0)  # 180 degrees at 48 fps is 1/96 s
    no_iso = single(tmp_path / "no_iso.exr", pixels, expTime=1 / 48)
    status, _, err = run_main(["camera", "--exr", str(a), str(no_iso)], capsys)
    assert status == 2
    assert f"only {a} gives the iso" in err


# -- missing dependencies (case 22) --------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("second", ["good", "missing"])
def test_without_numpy_match_says_which_extra_in_one_line(tmp_path: Path, second: str) -> None:
    good = single(tmp_path / "good.exr", rgb(scene(4, 4)))
    other = good if second == "good" else tmp_path / "missing.exr"
    done = cli("match", str(good), str(other), env=without_module(tmp_path, "numpy"))
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "nuke-stops: error: nuke-stops match needs numpy and OpenEXR: "
        "pip install 'nuke-stops[plates]'\n"
    )


@pytest.mark.slow
def test_without_openexr_match_says_which_extra(tmp_path: Path) -> None:
    done = cli("match", "a.exr", "b.exr", env=without_module(tmp_path, "OpenEXR"))
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "nuke-stops: error: nuke-stops match needs numpy and OpenEXR: "
        "pip install 'nuke-stops[plates]'\n"
    )
