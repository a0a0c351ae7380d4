"""Measuring the offset between plates: known answers, with what real plates carry."""

from __future__ import annotations

from typing import Any

import pytest

np = pytest.importorskip("numpy")

from nuke_plugin.core.matching import measure_offset  # noqa: E402
from nuke_plugin.matching import measure_offset as public  # noqa: E402


def frame(height: int = 180, width: int = 320, seed: int = 7) -> Any:
    """A plate-like frame: log-normal luminance around 0.18, tinted pixels, alpha 1."""
    rng = np.random.default_rng(seed)
    luminance = rng.lognormal(np.log(0.18), 1.0, (height, width, 1))
    rgb = np.minimum(luminance * rng.uniform(0.6, 1.4, (height, width, 3)), 40.0)
    return np.concatenate([rgb, np.ones((height, width, 1))], axis=2)


def shot(pixels: Any, stops: float, seed: int, clip: float) -> Any:
    """The frame as a camera saw it: exposure, 2 % sensor noise, a clip level."""
    rng = np.random.default_rng(seed)
    seen = pixels * 2.0**stops * (1 + rng.normal(0, 0.02, pixels.shape))
    seen[..., :3] = np.minimum(seen[..., :3], clip * 2.0**stops)
    return seen


def spoil(pixels: Any, seed: int) -> Any:
    """NaN, infinite, zero and negative pixels, as broken renders and grain have."""
    rng = np.random.default_rng(seed)
    spoiled = pixels.copy()
    for value, share in ((np.nan, 0.03), (np.inf, 0.01), (0.0, 0.02), (-0.5, 0.02)):
        where = rng.random(pixels.shape[:2]) < share
        spoiled[where, rng.integers(0, 3)] = value
    return spoiled


@pytest.mark.parametrize("dtype", ["float16", "float32"])
@pytest.mark.parametrize("stops", list(range(-8, 9)))
def test_a_known_offset_is_found_within_a_hundredth_of_a_stop(stops: int, dtype: str) -> None:
    base = frame()
    plate = spoil(shot(base, 0, seed=1, clip=2.5), seed=3).astype(dtype)
    reference = spoil(shot(base, stops, seed=2, clip=1.2), seed=4).astype(dtype)
    found = measure_offset(plate, reference)
    assert found.stops == pytest.approx(stops, abs=0.01)
    assert found.spread == pytest.approx(0.04, abs=0.02)  # two 2 % noises: 0.041 stop
    assert 0.5 * 180 * 320 < found.pixels < 0.9 * 180 * 320


def test_the_fixture_would_fool_a_measure_that_keeps_clipped_pixels() -> None:
    """The clipping above is strong enough to matter: with the clipped
    pixels kept, a plain median is off by more than the tolerance."""
    base = frame()
    plate, reference = shot(base, 0, 1, clip=2.5), shot(base, 3, 2, clip=0.12)
    weights = np.array([0.2126, 0.7152, 0.0722])
    naive = np.median(np.log2((reference[..., :3] @ weights) / (plate[..., :3] @ weights)))
    assert abs(naive - 3) > 0.1
    assert measure_offset(plate, reference).stops == pytest.approx(3, abs=0.01)


def test_a_plate_one_stop_under_gives_plus_one() -> None:
    base = frame()
    assert public(base * 0.5, base).stops == pytest.approx(1.0, abs=4e-4)  # a bin: 0.00035


def test_region_is_x_y_width_height_in_array_coordinates() -> None:
    base = frame(100, 200)
    reference = base.copy()
    reference[10:30, 50:90] *= 4  # only this box is two stops brighter
    boxed = measure_offset(base, reference, region=(50, 10, 40, 20))
    assert boxed.stops == pytest.approx(2, abs=4e-4)
    assert boxed.pixels == 800
    assert measure_offset(base, reference, region=(0, 40, 200, 60)).stops == pytest.approx(
        0, abs=4e-4
    )


def test_weights_choose_the_channels_that_count() -> None:
    base = frame()
    reference = base.copy()
    reference[..., 1] *= 2
    assert measure_offset(base, reference, weights=(0, 1, 0)).stops == pytest.approx(1, abs=4e-4)
    assert measure_offset(base, reference, weights=(1, 0, 0)).stops == pytest.approx(0, abs=4e-4)


@pytest.mark.parametrize(
    ("plate", "reference", "kwargs", "message"),
    [
        ((4, 4, 3), (4, 5, 3), {}, "the plate is 4 x 4 pixels and the reference 5 x 4"),
        ((4, 4, 2), (4, 4, 2), {}, "C >= 3"),
        ((4, 4, 3), (4, 4, 3), {"region": (2, 2, 3, 1)}, "not inside the 4 x 4 image"),
        ((4, 4, 3), (4, 4, 3), {"region": (0, 0, 1)}, "region is (x, y, width, height)"),
        ((4, 4, 3), (4, 4, 3), {"weights": (1, 1)}, "weights are three finite numbers"),
        ((4, 4, 3), (4, 4, 3), {"weights": (0, 0, 0)}, "add up to zero"),
    ],
)
def test_bad_input_is_a_value_error_that_says_what(
    plate: Any, reference: Any, kwargs: Any, message: str
) -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        measure_offset(rng.random(plate), rng.random(reference), **kwargs)


def test_nothing_to_compare_and_not_an_image() -> None:
    with pytest.raises(ValueError, match="no pixel to compare"):
        measure_offset(np.zeros((4, 4, 3)), np.ones((4, 4, 3)))
    with pytest.raises(TypeError, match="float numpy array"):
        measure_offset(np.ones((4, 4, 3), dtype=np.uint8), np.ones((4, 4, 3)))


def test_a_clip_level_in_a_few_columns_is_counted_and_left_out() -> None:
    """A clipped strip two pixels wide: its level tops only two columns, so
    the pixels at it are counted (more than the clip share) and left out."""
    base = frame(2000, 40)
    reference = base * 2
    reference[:, 10:12, 1] = 50.0  # green clipped at 50, above any other value
    found = measure_offset(base, reference)
    assert found.pixels == 2000 * 40 - 2000 * 2
    assert measure_offset(base, base * 2).pixels == 2000 * 40  # one brightest pixel: no clip


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_numpy_and_the_plain_python_measures_follow_the_same_rules(seed: int) -> None:
    """measure_offset (numpy, for files) and offset_of_samples (plain Python,
    for Nuke's sampled cells) on the same pixels: NaN, infinite, zero and
    negative pixels and a clipped sky in either image are left out by both,
    so both count the same pixels and find the same offset."""
    from nuke_plugin.core.matching import offset_of_samples

    rng = np.random.default_rng(seed)
    height, width = 24, 30
    grey = rng.lognormal(np.log(0.18), 0.8, (height, width, 1))
    plate = grey * rng.uniform(0.7, 1.3, (height, width, 3))
    reference = plate * 2 ** (4 / 3) * rng.uniform(0.98, 1.02, (height, width, 3))
    plate[:3, :, 1] = 1.5  # the plate's green clips at 1.5: the sky, and wherever brighter
    plate[..., 1] = np.minimum(plate[..., 1], 1.5)
    reference[-2:, :, 0] = 9.0  # the reference's red clips at 9, along the bottom and beyond
    reference[..., 0] = np.minimum(reference[..., 0], 9.0)
    plate[5, 5] = np.nan
    reference[6, 7] = np.inf
    plate[8, 9] = 0.0
    reference[10, 11] = -1.0
    plate, reference = plate.astype(np.float32), reference.astype(np.float32)
    found = measure_offset(plate, reference)
    samples = offset_of_samples(
        [(float(p[0]), float(p[1]), float(p[2])) for p in plate.reshape(-1, 3)],
        [(float(r[0]), float(r[1]), float(r[2])) for r in reference.reshape(-1, 3)],
    )
    assert found.pixels == samples.pixels
    assert found.pixels <= height * width - 3 * width - 2 * width - 4  # clipped and broken: out
    assert found.stops == pytest.approx(samples.stops, abs=4e-4)  # numpy's bins: 0.00035 stop
    assert found.spread == pytest.approx(samples.spread, abs=2e-3)


def every_kind_of_half(seed: int, height: int = 61, width: int = 97, depth: int = 3) -> Any:
    """Half pixels of every kind: normal, denormal, zero and minus zero,
    negative, inf and -inf, NaN and -NaN (several patterns), clipped, and
    the largest finite half; as raw patterns, so none is lost to rounding."""
    rng = np.random.default_rng(seed)
    image = rng.lognormal(np.log(0.18), 1.5, (height, width, depth)).astype(np.float16)
    bits = image.view(np.uint16)
    specials = [0x0001, 0x03FF, 0x0000, 0x8000, 0x8001, 0xBC00, 0x7C00, 0xFC00, 0x7C01,
                0x7E00, 0x7FFF, 0xFE00, 0xFFFF, 0x7BFF]  # fmt: skip
    for pattern in specials:
        where = rng.random(bits.shape) < 0.004
        bits[where] = pattern
    clip = rng.random(bits.shape[:2]) < 0.05  # a clipped channel: many pixels at one value
    bits[clip, rng.integers(0, min(depth, 3))] = np.float16(3.5).view(np.uint16)
    return image


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("depth", [1, 3, 4])
def test_half_plates_measure_exactly_as_their_float32_values_do(seed: int, depth: int) -> None:
    """The half path works on bit patterns; every kind of half value gives
    the offset, pixel count and spread the float path gives on the same
    values converted by numpy."""
    plate = every_kind_of_half(seed, depth=depth)
    reference = every_kind_of_half(seed + 100, depth=depth)
    with np.errstate(over="ignore", invalid="ignore"):  # inf and NaN stay so
        reference[..., :3] = (plate[..., :3].astype(np.float32) * 1.7).astype(np.float16)
    reference.view(np.uint16)[::7, ::5] = 0x7E00  # NaN rows in the reference only
    as_float = measure_offset(plate.astype(np.float32), reference.astype(np.float32))
    assert measure_offset(plate, reference) == as_float
    mixed = measure_offset(plate, reference.astype(np.float32))
    assert mixed == as_float


def test_a_half_channel_clipped_at_the_largest_finite_value_is_a_clip_level() -> None:
    plate = frame(90, 160).astype(np.float16)
    plate[:20, :, 1] = np.float16(65504)
    with np.errstate(over="ignore"):  # 65504 * 2 is inf in half
        reference = (plate.astype(np.float32) * 2).astype(np.float16)
    found = measure_offset(plate, reference)
    assert found == measure_offset(plate.astype(np.float32), reference.astype(np.float32))
    assert found.stops == pytest.approx(1, abs=4e-4)
    assert found.pixels <= 70 * 160


@pytest.mark.parametrize("dtype", ["float16", "float32"])
@pytest.mark.parametrize("seed", range(6))
def test_channel_planes_measure_as_interleaved_pixels_do(dtype: str, seed: int) -> None:
    """An EXR's channels decode as planes; the same pixels as channel planes
    (a C x H x W array seen as H x W x C) give the same count and a
    luminance within float32 rounding (the weighted sum is taken in
    another order), so the offset within a bin."""
    plate = every_kind_of_half(seed, depth=4).astype(dtype)
    reference = every_kind_of_half(seed + 50, depth=4).astype(dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        reference[..., :3] = (plate[..., :3].astype(np.float32) * 0.6).astype(dtype)

    def as_planes(image: Any) -> Any:
        return np.ascontiguousarray(image.transpose(2, 0, 1)).transpose(1, 2, 0)

    interleaved = measure_offset(plate, reference)
    planar = measure_offset(as_planes(plate), as_planes(reference))
    assert planar.pixels == interleaved.pixels
    assert planar.stops == pytest.approx(interleaved.stops, abs=4e-4)
    assert planar.spread == pytest.approx(interleaved.spread, abs=4e-4)
    half_planes = as_planes(plate.astype(np.float16)), as_planes(reference.astype(np.float16))
    as_float = [p.astype(np.float32) for p in half_planes]
    assert measure_offset(*half_planes) == measure_offset(*(as_planes(p) for p in as_float))


def documented_measure(plate: Any, reference: Any) -> Any:
    """The module's documented rule, the plain numpy way (whole-image
    arrays, no tiles, no bit tricks): the oracle the tiled measure must
    equal exactly. Interleaved float input; luminance as float32."""
    from nuke_plugin.core.matching import Offset

    weights = np.array([0.2126, 0.7152, 0.0722], np.float32)
    usable = np.ones(plate.shape[:2], bool)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for image in (plate, reference):
            for channel in range(3):
                values = image[..., channel]
                finite = values[np.isfinite(values)]
                top = finite.max() if finite.size else -np.inf
                enough = max(3, 1e-4 * values.size)
                if 0 < top < np.inf and np.count_nonzero(values == top) >= enough:
                    usable &= values < top
        yp = plate[..., :3].astype(np.float32) @ weights
        yr = reference[..., :3].astype(np.float32) @ weights
        usable &= (yp > 0) & (yp < np.inf) & (yr > 0) & (yr < np.inf)
        ratios = (yr[usable] / yp[usable]).astype(np.float32)
    bins = np.clip((ratios.view(np.int32) >> 11) - ((127 - 32) << 12), 0, (64 << 12) - 1)
    counts = np.bincount(bins, minlength=64 << 12)
    cumulative = np.cumsum(counts)

    def at(share: float) -> float:
        wanted = share * cumulative[-1]
        index = int(np.searchsorted(cumulative, wanted))
        before = cumulative[index - 1] if index else 0
        fraction = min(max((wanted - before) / counts[index], 0.0), 1.0)
        edges = np.array([index, index + 1], np.int32) + ((127 - 32) << 12)
        low, high = np.log2((edges << 11).view(np.float32).astype(np.float64))
        return float(low + fraction * (high - low))

    spread = (at(0.75) - at(0.25)) / 1.3489795
    return Offset(round(at(0.5), 12) + 0.0, int(cumulative[-1]), max(spread, 0.0))


@pytest.mark.parametrize("seed", range(10))
def test_the_tiled_measure_is_the_documented_rule_exactly(seed: int) -> None:
    """Plates with far ratios (beyond the histogram's 2 ** 32 both ways),
    NaN, inf, clipped and negative pixels, in tiles with and without
    unusable pixels, and a tile of one ratio throughout."""
    rng = np.random.default_rng(seed)
    height, width = 300, 1000  # about 2 tiles
    plate = rng.lognormal(np.log(0.18), 1.0, (height, width, 3)).astype(np.float32)
    reference = plate * np.float32(2.0 ** rng.uniform(-3, 3))
    far = rng.random((height, width)) < 0.02
    reference[far] *= np.float32(2.0**40)  # beyond the histogram: the end bins
    reference[rng.random((height, width)) < 0.01] *= np.float32(2.0**-40)
    reference[:140] = plate[:140] * 2  # one ratio: the first tile is counted bin by bin
    if seed % 2:
        plate[rng.random((height, width)) < 0.01, 1] = np.nan
        reference[rng.random((height, width)) < 0.01, 0] = -np.inf
        plate[rng.random((height, width)) < 0.05, 2] = plate[..., 2].max()  # clipped
    assert measure_offset(plate, reference) == documented_measure(plate, reference)


@pytest.mark.parametrize("dtype", ["float16", "float32"])
@pytest.mark.parametrize("heights", [[61], [7, 30, 1, 23], [20, 41]])
def test_planes_in_bands_of_rows_measure_as_whole_planes(dtype: str, heights: Any) -> None:
    """An EXR decodes in strips: the planes as bands of rows (of any
    heights, across tiles) give exactly what whole planes give, with a
    region too."""
    from nuke_plugin.core.matching import RowBands

    plate = every_kind_of_half(3, depth=3).astype(dtype)
    reference = every_kind_of_half(4, depth=3).astype(dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        reference[..., :2] = (plate[..., :2].astype(np.float32) * 1.5).astype(dtype)

    def planes(image: Any) -> Any:
        return [np.ascontiguousarray(image[..., c]) for c in range(3)]

    def bands(image: Any) -> Any:
        edges = np.cumsum([0, *heights])
        return [
            RowBands([np.ascontiguousarray(image[a:b, :, c]) for a, b in zip(edges, edges[1:])])
            for c in range(3)
        ]

    whole = measure_offset(planes(plate), planes(reference))
    assert measure_offset(bands(plate), bands(reference)) == whole
    region = (5, 3, 80, 50)
    assert measure_offset(bands(plate), bands(reference), region=region) == measure_offset(
        planes(plate), planes(reference), region=region
    )
