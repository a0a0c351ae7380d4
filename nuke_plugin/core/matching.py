"""How many stops apart two plates are, measured from their pixels (numpy).

:func:`measure_offset` compares two float images of one scene, linear
light: per pixel, the log2 ratio of the reference's luminance to the
plate's; the offset is the median of those ratios, so moving objects,
noise and a few odd pixels do not pull it. A plate one stop under its
reference gives +1: the stops to add to the plate (the sign of
:func:`nuke_plugin.core.camera.stops_between`).

Left out, in either image: pixels whose luminance is zero, negative, NaN or
infinite, and clipped highlights (a channel at its maximum value where at
least :data:`CLIP_SHARE` of the pixels, and 3 or more, sit at that same
value: a clip level, not a highlight).

How: the image is read in tiles of about :data:`TILE_PIXELS` pixels that
stay in the processor's cache. Each tile's ratios are counted into a
histogram indexed by the float32 bit pattern of the ratio (exponent and the
top 12 mantissa bits: 4,096 bins an octave, 0.00035 stop each at most), so
no logarithm is taken per pixel and no image-sized array is made. The
median and quartiles are read off the histogram, interpolated within their
bin. Measured against the plain numpy way in docs/benchmarks.md.

>>> import numpy as np
>>> plate = np.random.default_rng(1).uniform(0.01, 1.0, (90, 160, 4)).astype(np.float32)
>>> found = measure_offset(plate, plate * 2)
>>> round(found.stops, 3), found.pixels, round(found.spread, 3)
(1.0, 14400, 0.0)
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Any, List, Optional, Sequence, Tuple

__all__ = ["CLIP_SHARE", "REC709", "Offset", "measure_offset", "offset_of_samples"]

#: Rec.709 luminance weights for red, green and blue.
REC709 = (0.2126, 0.7152, 0.0722)
#: A channel's maximum shared by at least this share of the pixels is a clip level.
CLIP_SHARE = 1e-4
#: Pixels per tile: a few float32 buffers of this size stay in cache.
TILE_PIXELS = 1 << 18
#: The histogram: ratios between 2 ** -OCTAVES and 2 ** OCTAVES, 2 ** _BITS bins
#: an octave (0.00035 stop at most); a ratio beyond counts in the end bin.
OCTAVES = 32
_BITS = 12
_SHIFT = 23 - _BITS  # float32 has 23 mantissa bits
_LOW = (127 - OCTAVES) << _BITS  # the bit pattern >> _SHIFT of 2 ** -OCTAVES
_BINS = 2 * OCTAVES << _BITS
#: The interquartile range of a normal distribution, in standard deviations.
_IQR_PER_SIGMA = 1.3489795


@dataclass(frozen=True)
class Offset:
    """A measured exposure offset between two plates.

    ``stops``: what to add to the plate to match the reference;
    ``pixels``: how many pixels were compared; ``spread``: the spread of
    the per-pixel log2 ratios in stops (their interquartile range / 1.349,
    a standard deviation that outliers do not move): small when the
    plates differ by exposure alone, large when the offset is a compromise.
    """

    stops: float
    pixels: int
    spread: float


def _checked(image: Any, name: str) -> None:
    import numpy as np

    if not isinstance(image, np.ndarray) or image.dtype.kind != "f":
        kind = getattr(image, "dtype", type(image).__name__)
        raise TypeError(f"the {name} must be a float numpy array (H x W x C), not {kind}")
    if image.ndim != 3 or not (image.shape[2] == 1 or image.shape[2] >= 3):
        raise ValueError(
            f"the {name} has shape {image.shape}: an image is H x W x C with C >= 3 "
            "(r, g, b) or C = 1 (luminance)"
        )


def _region(region: Optional[Sequence[int]], height: int, width: int) -> Tuple[slice, slice]:
    if region is None:
        return slice(0, height), slice(0, width)
    if len(region) != 4:
        raise ValueError(f"region is (x, y, width, height), got {tuple(region)!r}")
    x, y, w, h = (int(v) for v in region)
    if [x, y, w, h] != [float(v) for v in region]:
        raise ValueError(f"region {tuple(region)!r} must be whole pixels")
    if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > width or y + h > height:
        raise ValueError(
            f"region (x {x}, y {y}, width {w}, height {h}) is not inside the "
            f"{width} x {height} image"
        )
    return slice(y, y + h), slice(x, x + w)


def _weights(weights: Optional[Sequence[float]]) -> Tuple[float, float, float]:
    chosen = REC709 if weights is None else tuple(float(w) for w in weights)
    if len(chosen) != 3 or not all(math.isfinite(w) and w >= 0 for w in chosen):
        raise ValueError(f"weights are three finite numbers >= 0 for r, g, b, got {weights!r}")
    if sum(chosen) <= 0:
        raise ValueError(f"weights {weights!r} add up to zero: no luminance")
    return chosen[0], chosen[1], chosen[2]


def _tiles(height: int, width: int) -> List[slice]:
    rows = max(1, TILE_PIXELS // max(width, 1))
    return [slice(y, min(y + rows, height)) for y in range(0, height, rows)]


def _clip_levels(image: Any, tiles: List[slice]) -> List[Optional[float]]:
    """Each colour channel's clip level, or None: its largest finite value,
    when enough pixels share it.

    One pass over whole rows (each row's channels interleaved, which numpy
    reduces with vector instructions where a per-channel view would be
    strided) finds every column's largest value. A channel whose largest
    value tops enough columns is clipped: no counting needed. Otherwise its
    pixels at that value are counted in the few tiles that hold it.
    """
    import numpy as np

    height, width, depth = image.shape
    columns = np.full(width * depth, -np.inf)
    tile_tops = []
    for rows in tiles:
        values = image[rows].reshape(-1, width * depth)
        top = np.maximum.reduce(values, axis=0)
        if not np.isfinite(top).all():  # NaN or infinite pixels: the largest finite values
            top = np.fmax.reduce(np.where(np.isfinite(values), values, -np.inf), axis=0)
        np.fmax(columns, top, out=columns)
        tile_tops.append(top.reshape(width, depth).max(axis=0))
    by_column = columns.reshape(width, depth)
    enough = max(3, CLIP_SHARE * height * width)
    levels: List[Optional[float]] = []
    for channel in range(min(3, depth)):
        highest = by_column[:, channel].max()
        if not 0 < highest < np.inf:
            levels.append(None)
            continue
        shared = int(np.count_nonzero(by_column[:, channel] == highest))
        if shared < enough:  # count it, in the tiles where it is
            shared = sum(
                int(np.count_nonzero(image[rows, :, channel] == highest))
                for rows, tops in zip(tiles, tile_tops)
                if tops[channel] == highest
            )
        levels.append(float(highest) if shared >= enough else None)
    return levels


def _luminance(tile: Any, weights: Tuple[float, float, float], out: Any) -> Any:
    """Weighted r, g, b of a tile into ``out`` (float32), as one matrix
    product: numpy's matmul walks the strided colour channels about twice
    as fast as three multiplies and two adds (docs/benchmarks.md). A
    one-channel tile is luminance already."""
    import numpy as np

    if tile.shape[-1] == 1:
        np.copyto(out, tile[..., 0], casting="same_kind")
        return out
    colour = tile[..., :3]
    if colour.dtype == np.float16:  # matmul has no fast float16 loop
        colour = colour.astype(np.float32)
    np.matmul(colour, np.array(weights, dtype=colour.dtype), out=out, casting="same_kind")
    return out


def _at(counts: Any, total: int, share: float) -> float:
    """The log2 value below which ``share`` of the counted ratios lie,
    interpolated within its bin."""
    import numpy as np

    wanted = share * total
    cumulative = np.cumsum(counts)
    index = int(np.searchsorted(cumulative, wanted, side="left"))
    before = float(cumulative[index - 1]) if index else 0.0
    inside = float(counts[index])
    fraction = (wanted - before) / inside if inside else 0.0
    low, high = _bin_edges(index)
    return low + min(max(fraction, 0.0), 1.0) * (high - low)


def _bin_edges(index: int) -> Tuple[float, float]:
    """log2 of the ratios at the two edges of a histogram bin."""
    import numpy as np

    patterns = np.array([(index + _LOW) << _SHIFT, (index + _LOW + 1) << _SHIFT], dtype=np.int32)
    low, high = patterns.view(np.float32).astype(np.float64)
    return math.log2(low), math.log2(high)


def measure_offset(
    plate: Any,
    reference: Any,
    region: Optional[Sequence[int]] = None,
    weights: Optional[Sequence[float]] = None,
) -> Offset:
    """Stops to add to ``plate`` to match ``reference`` (see the module doc).

    Both are float numpy arrays H x W x C (C >= 3: r, g, b first; or C = 1,
    luminance already, as in an EXR's Y channel; float16, float32 or
    float64), linear light, of the same height and width.
    ``region`` is ``(x, y, width, height)`` in array coordinates (x to the
    right, y down); ``weights`` the r, g, b luminance weights (Rec.709 by
    default). Raises ValueError for images of different sizes, a region
    outside them, or no pixel left to compare.

    >>> import numpy as np
    >>> plate = np.linspace(0.1, 0.9, 48, dtype=np.float16).reshape(4, 4, 3)
    >>> round(measure_offset(plate, plate * 0.5, region=(0, 0, 2, 2)).stops, 3)
    -1.0
    """
    import numpy as np

    _checked(plate, "plate")
    _checked(reference, "reference")
    if plate.shape[:2] != reference.shape[:2]:
        (ph, pw), (rh, rw) = plate.shape[:2], reference.shape[:2]
        raise ValueError(
            f"the plate is {pw} x {ph} pixels and the reference {rw} x {rh}: different sizes"
        )
    rows, columns = _region(region, plate.shape[0], plate.shape[1])
    plate, reference = plate[rows, columns], reference[rows, columns]
    chosen = _weights(weights)
    height, width = plate.shape[:2]
    tiles = _tiles(height, width)
    clips = [
        (image, channel, level)
        for image in (plate, reference)
        for channel, level in enumerate(_clip_levels(image, tiles))
        if level is not None
    ]
    counts = np.zeros(_BINS, dtype=np.int64)
    size = tiles[0].stop * width if tiles else 0
    plate_y, reference_y = (np.empty(size, dtype=np.float32) for _ in range(2))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        for tile in tiles:
            shape = (tile.stop - tile.start, width)
            n = shape[0] * width
            yp = _luminance(plate[tile], chosen, plate_y[:n].reshape(shape))
            yr = _luminance(reference[tile], chosen, reference_y[:n].reshape(shape))
            usable = (yp > 0) & (yp < np.inf) & (yr > 0) & (yr < np.inf)
            for image, channel, level in clips:
                usable &= image[tile, :, channel] < level
            ratios = np.divide(yr[usable], yp[usable])
            bins = (ratios.view(np.int32) >> _SHIFT) - _LOW
            np.clip(bins, 0, _BINS - 1, out=bins)
            counts += np.bincount(bins, minlength=_BINS)

    total = int(counts.sum())
    if total == 0:
        raise ValueError(
            "no pixel to compare: every pixel is zero, negative, NaN, infinite or clipped "
            "in one of the images"
        )
    median = _at(counts, total, 0.5)
    spread = (_at(counts, total, 0.75) - _at(counts, total, 0.25)) / _IQR_PER_SIGMA
    return Offset(round(median, 12) + 0.0, total, max(spread, 0.0))


RGB = Tuple[float, float, float]


def _quartile(ordered: Sequence[float], share: float) -> float:
    """Linear interpolation between ordered values (statistics.quantiles
    needs Python 3.8; Nuke 13 has 3.7)."""
    position = share * (len(ordered) - 1)
    low = int(math.floor(position))
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def _clips(samples: Sequence[RGB]) -> List[Optional[float]]:
    enough = max(3, CLIP_SHARE * len(samples))
    levels: List[Optional[float]] = []
    for channel in range(3):
        finite = [s[channel] for s in samples if math.isfinite(s[channel])]
        top = max(finite) if finite else None
        shared = sum(1 for v in finite if v == top)
        levels.append(top if top is not None and top > 0 and shared >= enough else None)
    return levels


def offset_of_samples(
    plate: Sequence[RGB], reference: Sequence[RGB], weights: Optional[Sequence[float]] = None
) -> Offset:
    """:func:`measure_offset` for pixel samples given as (r, g, b), standard
    library only: what Nuke's "Match exposure" computes, since Nuke's
    Python may have no numpy. The same rules; the median is exact.

    >>> offset_of_samples([(0.1, 0.2, 0.3), (0.4, 0.4, 0.4)], [(0.2, 0.4, 0.6), (0.8, 0.8, 0.8)])
    Offset(stops=1.0, pixels=2, spread=0.0)
    """
    if len(plate) != len(reference):
        raise ValueError(f"{len(plate)} plate samples and {len(reference)} reference samples")
    w = _weights(weights)
    plate_clips, reference_clips = _clips(plate), _clips(reference)
    ratios = []
    for p, r in zip(plate, reference):
        if any(
            level is not None and value >= level
            for values, levels in ((p, plate_clips), (r, reference_clips))
            for value, level in zip(values, levels)
        ):
            continue
        yp = w[0] * p[0] + w[1] * p[1] + w[2] * p[2]
        yr = w[0] * r[0] + w[1] * r[1] + w[2] * r[2]
        if 0 < yp < math.inf and 0 < yr < math.inf:
            ratios.append(math.log2(yr / yp))
    if not ratios:
        raise ValueError(
            "no sample to compare: every one is zero, negative, NaN, infinite or clipped"
        )
    ratios.sort()
    spread = (_quartile(ratios, 0.75) - _quartile(ratios, 0.25)) / _IQR_PER_SIGMA
    return Offset(statistics.median(ratios) + 0.0, len(ratios), max(spread, 0.0))
