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

Images come interleaved (H x W x C) or as channel planes (2D arrays, or
:class:`RowBands`: the strips an EXR reader decoded), each read in its own
layout without a copy. float16 is read by its bit patterns (numpy's
float16 arithmetic is a scalar loop): the clip levels are found on the raw
16-bit patterns, and each tile is converted to float32 by integer shifts,
the exponent bias folded into the weights and thresholds; the results
equal those of the same values as float32.

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

__all__ = ["CLIP_SHARE", "REC709", "Offset", "RowBands", "measure_offset", "offset_of_samples"]

#: Rec.709 luminance weights for red, green and blue.
REC709 = (0.2126, 0.7152, 0.0722)
#: A channel's maximum shared by at least this share of the pixels is a clip level.
CLIP_SHARE = 1e-4
#: Pixels per tile: a few float32 buffers of this size stay in cache.
TILE_PIXELS = 1 << 17
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


class RowBands:
    """A channel plane held as bands of rows: 2D arrays of one width and
    type, top to bottom, as an EXR's channel-list reader decodes them, so
    that they are measured without being copied into one array. Rows
    within one band are read as a view of it.

    >>> import numpy as np
    >>> plane = RowBands([np.zeros((2, 3)), np.ones((2, 3))])
    >>> plane.shape, plane[1:3].tolist()
    ((4, 3), [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])
    """

    ndim = 2

    def __init__(self, bands: Sequence[Any]) -> None:
        import numpy as np

        if not bands or len({(b.ndim, b.shape[1:], b.dtype) for b in bands}) != 1:
            raise ValueError("row bands are 2D arrays of one width and type")
        self.bands = list(bands)
        self.starts = [0]
        for band in self.bands:
            self.starts.append(self.starts[-1] + band.shape[0])
        self.shape = (self.starts[-1], int(self.bands[0].shape[1]))
        self.dtype = np.dtype(self.bands[0].dtype)

    def _rows(self, rows: slice) -> Any:
        import numpy as np

        start, stop, step = rows.indices(self.shape[0])
        if step != 1:
            raise ValueError("row bands are read in whole runs of rows")
        pieces = []
        for band, first, last in zip(self.bands, self.starts, self.starts[1:]):
            if first < stop and start < last:
                pieces.append(band[max(start, first) - first : min(stop, last) - first])
        if len(pieces) == 1:
            return pieces[0]
        if not pieces:
            return self.bands[0][:0]
        return np.concatenate(pieces)  # rows across bands: copied (tiles never are)

    def __getitem__(self, key: Any) -> Any:
        """``plane[rows]``: a 2D array; ``plane[rows, columns]``: bands cut."""
        if isinstance(key, tuple):
            rows, columns = key
            start, stop, _ = rows.indices(self.shape[0])
            kept = []
            for band, first, last in zip(self.bands, self.starts, self.starts[1:]):
                if first < stop and start < last:
                    kept.append(band[max(start, first) - first : min(stop, last) - first, columns])
            return RowBands(kept or [self.bands[0][:0, columns]])
        return self._rows(key)

    def view(self, dtype: Any) -> RowBands:
        return RowBands([band.view(dtype) for band in self.bands])

    def max(self) -> Any:
        return max(band.max() for band in self.bands if band.size)

    def array(self) -> Any:
        """The plane as one 2D array (a copy)."""
        import numpy as np

        return np.concatenate(self.bands)


def _band_starts(image: Any) -> List[int]:
    """Where the bands of a plane of RowBands begin (tiles must not cross them)."""
    planes = image.planes if image.planes is not None else []
    starts = {0}
    for plane in planes:
        if isinstance(plane, RowBands):
            starts.update(plane.starts[:-1])
    return sorted(starts)


def _tiles(height: int, width: int, starts: Sequence[int] = (0,)) -> List[slice]:
    """Runs of rows of about :data:`TILE_PIXELS` pixels; none crosses a
    band's start (``starts``)."""
    rows = max(1, TILE_PIXELS // max(width, 1))
    bounds = [*starts, height]
    tiles = []
    for first, last in zip(bounds, bounds[1:]):
        tiles += [slice(y, min(y + rows, last)) for y in range(first, last, rows)]
    return tiles


class _Image:
    """A plate as the measure reads it: its colour channels (r, g, b, or
    the one luminance channel) as interleaved pixels (H x W x C, channels
    side by side) or as channel planes (2D arrays, as an EXR decodes), and
    whether they are float16."""

    def __init__(self, pixels: Any, planes: Optional[List[Any]]) -> None:
        self.pixels = pixels  # H x W x C, or None for planes
        self.planes = planes
        first = planes[0] if planes is not None else pixels
        self.height, self.width = first.shape[:2]
        self.depth = len(planes) if planes is not None else min(3, pixels.shape[2])
        self.dtype = first.dtype

    def cut(self, rows: slice, columns: slice) -> _Image:
        if self.planes is not None:
            return _Image(None, [p[rows, columns] for p in self.planes])
        return _Image(self.pixels[rows, columns], None)

    def bits(self) -> _Image:
        """The same pixels viewed as int16 (float16 bit patterns)."""
        import numpy as np

        if self.planes is not None:
            return _Image(None, [p.view(np.int16) for p in self.planes])
        return _Image(self.pixels.view(np.int16), None)

    def channel(self, index: int, rows: slice) -> Any:
        """One channel's values in the rows (2D)."""
        if self.planes is not None:
            return self.planes[index][rows]
        return self.pixels[rows, :, index]

    def column_tops(self, rows: slice, reduce: Any, finite: Any = None) -> Any:
        """Each column's and channel's ``reduce`` (width x channels) over
        the rows; ``finite``, when given, keeps only values it passes.
        Interleaved rows are reduced whole (numpy's vector loops; a
        per-channel view would be strided); planes one by one."""
        import numpy as np

        if self.planes is not None:
            tops = []
            for plane in self.planes:
                values = plane[rows]
                if finite is not None:
                    values = finite(values)
                tops.append(reduce(values, axis=0))
            return np.stack(tops, axis=1)
        depth = self.pixels.shape[2]
        values = self.pixels[rows].reshape(-1, self.width * depth)
        if finite is not None:
            values = finite(values)
        return reduce(values, axis=0).reshape(self.width, depth)[:, : self.depth]


def _image(image: Any, name: str) -> _Image:
    """The plate or reference given, checked: an H x W x C float array (C
    >= 3: r, g, b first; or C = 1), or a sequence of 2D float arrays (its
    channel planes: r, g, b, or one luminance plane; each may be
    :class:`RowBands`)."""
    import numpy as np

    if isinstance(image, (list, tuple)):
        if not image or not all(isinstance(p, (np.ndarray, RowBands)) for p in image):
            raise TypeError(f"the {name}'s planes must be numpy arrays (or RowBands)")
        shapes = {p.shape for p in image}
        types = {p.dtype for p in image}
        if len(shapes) != 1 or len(types) != 1 or image[0].ndim != 2 or len(image) == 2:
            raise ValueError(
                f"the {name}'s planes are {len(image)} arrays of shapes {sorted(shapes)}: "
                "give 3 (r, g, b) or 1 (luminance) 2D arrays of one size and type"
            )
        if image[0].dtype.kind != "f":
            raise TypeError(f"the {name} must be float, not {image[0].dtype}")
        return _Image(None, list(image[:3]))
    if not isinstance(image, np.ndarray) or image.dtype.kind != "f":
        kind = getattr(image, "dtype", type(image).__name__)
        raise TypeError(f"the {name} must be a float numpy array (H x W x C), not {kind}")
    if image.ndim != 3 or not (image.shape[2] == 1 or image.shape[2] >= 3):
        raise ValueError(
            f"the {name} has shape {image.shape}: an image is H x W x C with C >= 3 "
            "(r, g, b) or C = 1 (luminance)"
        )
    depth = min(3, image.shape[2])
    if image.shape[2] > 1 and image.strides[1] == image.itemsize:  # a view of planes
        return _Image(None, [image[:, :, c] for c in range(depth)])
    return _Image(image, None)


def _clip_levels(image: _Image, tiles: List[slice]) -> List[Optional[float]]:
    """Each colour channel's clip level, or None: its largest finite value,
    when enough pixels share it.

    One pass finds every column's largest value. A channel whose largest
    value tops enough columns is clipped: no counting needed. Otherwise its
    pixels at that value are counted in the few tiles that hold it.
    """
    import numpy as np

    columns = np.full((image.width, image.depth), -np.inf)
    tile_tops = []
    for rows in tiles:
        top = image.column_tops(rows, np.maximum.reduce)
        if not np.isfinite(top).all():  # NaN or infinite pixels: the largest finite values
            top = image.column_tops(
                rows, np.fmax.reduce, lambda v: np.where(np.isfinite(v), v, -np.inf)
            )
        np.fmax(columns, top, out=columns)
        tile_tops.append(top.max(axis=0))
    return _shared_tops(image, tiles, columns, tile_tops, np.inf)


def _shared_tops(
    image: _Image, tiles: List[slice], by_column: Any, tile_tops: List[Any], above: Any
) -> List[Optional[float]]:
    """The clip levels from each column's and each tile's largest finite
    value (floats, or float16 bit patterns: ``above`` is then inf's)."""
    import numpy as np

    enough = max(3, CLIP_SHARE * image.height * image.width)
    levels: List[Optional[float]] = []
    for channel in range(image.depth):
        highest = by_column[:, channel].max()
        if not 0 < highest < above:
            levels.append(None)
            continue
        shared = int(np.count_nonzero(by_column[:, channel] == highest))
        if shared < enough:  # count it, in the tiles where it is
            shared = sum(
                int(np.count_nonzero(image.channel(channel, rows) == highest))
                for rows, tops in zip(tiles, tile_tops)
                if tops[channel] == highest
            )
        if shared < enough:
            levels.append(None)
        elif above is np.inf:
            levels.append(float(highest))
        else:  # a float16 bit pattern
            levels.append(float(np.array(highest, np.int16).view(np.float16)))
    return levels


#: float16 bit patterns: exponent bits all set is inf or NaN.
_HALF_EXPONENT = 0x7C00
_HALF_SIGN = 0x8000


def _half_clip_levels(bits: _Image, tiles: List[slice]) -> Tuple[List[Optional[float]], List[bool]]:
    """:func:`_clip_levels` for a float16 image, on its raw 16-bit patterns
    (``bits``: the image viewed as int16): positive halves order as their
    patterns do, so the largest value is the largest pattern below inf's,
    found with integer instructions (numpy has no vector float16 loops).
    Also, for each tile, whether it holds an inf or a NaN in r, g or b."""
    import numpy as np

    columns = np.full((bits.width, bits.depth), -1, dtype=np.int16)
    tile_tops, special = [], []
    for rows in tiles:
        top = bits.column_tops(rows, np.maximum.reduce)
        # -inf and -NaN are the unsigned patterns from 0xFC00 up (a second
        # reduction of the tile while it is in cache: cheaper than a pass
        # over the whole image first to see whether it has any)
        unsigned = bits.column_tops(rows, np.maximum.reduce, lambda v: v.view(np.uint16))
        odd = (top >= _HALF_EXPONENT) | (unsigned >= _HALF_SIGN | _HALF_EXPONENT)
        special.append(bool(odd.any()))
        if (top >= _HALF_EXPONENT).any():  # the largest finite patterns
            top = bits.column_tops(
                rows, np.maximum.reduce, lambda v: np.where(v < _HALF_EXPONENT, v, -1)
            )
        np.maximum(columns, top, out=columns)
        tile_tops.append(top.max(axis=0))
    levels = _shared_tops(bits, tiles, columns, tile_tops, _HALF_EXPONENT)
    return levels, special


#: Clears the bits a sign-extended shift copied the sign into (30 to 28).
_SIGN_COPIES = ~0x70000000
#: What float16 values read as float32 bit for bit are short of: their
#: exponents' bias is 15, float32's 127.
HALF_SCALE = 2.0**112


def _half_to_float(bits: Any, out: Any) -> Any:
    """float16 bit patterns (int16) as float32 values, exactly, each
    divided by :data:`HALF_SCALE` (which callers fold into their weights
    and thresholds): integer passes, where numpy's own conversion is a
    scalar loop about six times slower. ``out`` is int32 of the same shape;
    returned viewed as float32.

    Sign-extended and shifted 13 bits (three passes: faster than a shift
    that casts as it goes), a half's sign, exponent and mantissa land where
    float32 keeps them (the sign also in bits 30 to 28, cleared): a float32
    with half's exponent field, value / 2 ** 112, denormals included. An
    inf or a NaN comes out finite, so callers leave such pixels out by
    their patterns (:func:`_half_clip_levels`).
    """
    import numpy as np

    np.copyto(out, bits, casting="unsafe")  # sign-extends
    np.left_shift(out, 13, out=out)
    np.bitwise_and(out, _SIGN_COPIES, out=out)
    return out.view(np.float32)


class _Tiles:
    """One image's tiles as float r, g, b (or luminance), interleaved or as
    planes as the image is, with which pixels of the tile are unusable
    beyond what their luminance says."""

    def __init__(self, image: _Image, tiles: List[slice]) -> None:
        import numpy as np

        self.image = image
        self.half = image.dtype == np.float16
        self.depth = image.depth
        self.scale = HALF_SCALE if self.half else 1.0
        rows = max((t.stop - t.start for t in tiles), default=0)
        planar = image.planes is not None
        shape = (self.depth, rows, image.width)
        if not planar:  # every channel: a strided copy of three of four is slower
            shape = (rows, image.width, image.pixels.shape[2])
        if self.half:
            self.bits = image.bits()
            self.levels, self.special = _half_clip_levels(self.bits, tiles)
            self.buffer = np.empty(shape, dtype=np.int32)
            # the levels as the tiles' values read: divided by the scale, exactly
            self.thresholds = [
                None if level is None else np.ldexp(np.float32(level), -112)
                for level in self.levels
            ]
        else:
            self.levels = _clip_levels(image, tiles)
            self.thresholds = list(self.levels)
            # planes are copied a tile at a time, side by side, for one matrix product
            self.buffer = np.empty(shape if planar else (0,), dtype=image.dtype)

    def colour(self, tile: slice) -> Any:
        """The tile's r, g, b (or Y), float32 or float64, divided by
        ``scale``: rows x width x channels, or channels x rows x width."""
        count = tile.stop - tile.start
        planes = self.image.planes
        if planes is None:
            if not self.half:
                return self.image.pixels[tile, :, : self.depth]
            bits = self.bits.pixels[tile]
            return _half_to_float(bits, self.buffer[:count])[:, :, : self.depth]
        out = self.buffer[:, :count]
        if not self.half:
            for index, plane in enumerate(planes):
                out[index] = plane[tile]
            return out
        assert self.bits.planes is not None
        for index, plane in enumerate(self.bits.planes):
            _half_to_float(plane[tile], out[index])
        return out.view("float32")

    def channel(self, colour: Any, index: int) -> Any:
        """One channel of :meth:`colour`, rows x width."""
        return colour[index] if self.image.planes is not None else colour[:, :, index]

    def luminance(self, colour: Any, weights: Tuple[float, float, float], out: Any) -> Any:
        """Weighted r, g, b of :meth:`colour` into ``out`` (float32, rows x
        width) as one matrix product: numpy's matmul walks the channels
        (strided, or one plane after another) in one pass, about twice as
        fast as three multiplies and two adds (docs/benchmarks.md). The
        weights times the scale (a power of two) give each product exactly
        as unscaled values do. A one-channel tile is luminance already."""
        import numpy as np

        if self.depth == 1:
            np.multiply(self.channel(colour, 0), self.scale, out=out, casting="same_kind")
            return out
        scaled = np.array([w * self.scale for w in weights], dtype=colour.dtype)
        if self.image.planes is not None:
            flat = out.reshape(-1)
            np.matmul(scaled, colour.reshape(self.depth, -1), out=flat, casting="same_kind")
            return out
        np.matmul(colour, scaled, out=out, casting="same_kind")
        return out

    def unusable(self, index: int, tile: slice) -> Any:
        """Pixels with an inf or a NaN in r, g or b, or None when the
        luminance test finds them all (float images, most tiles of half)."""
        import numpy as np

        if not self.half or not self.special[index]:
            return None
        odd = None
        for channel in range(self.depth):
            found = (self.bits.channel(channel, tile) & _HALF_EXPONENT) == _HALF_EXPONENT
            odd = found if odd is None else np.logical_or(odd, found, out=odd)
        return odd


def _count(bins: Any, usable: Any, counts: Any, scratch: Any) -> None:
    """Add a tile's usable bins (``bins`` and ``usable`` are overwritten)
    to ``counts``; ``scratch`` is a bool array of their size.

    Each count goes to the tile's own span of bins (a histogram-sized
    array per tile costs as much as the count); the unusable pixels take
    a usable pixel's bin and are taken off it after. A tile of a few bins
    (a plate against a graded copy of itself: one ratio everywhere) is
    counted bin by bin, since counting one bin over and over stalls on
    the one counter.
    """
    import numpy as np

    left_out = bins.size - int(np.count_nonzero(usable))
    if left_out == bins.size:
        return
    low, high = int(bins.min()), int(bins.max())
    if low < 0 or high >= _BINS:  # ratios beyond 2 ** OCTAVES count in the end bins
        np.clip(bins, 0, _BINS - 1, out=bins)
        low, high = min(max(low, 0), _BINS - 1), max(min(high, _BINS - 1), 0)
    filler = 0
    if left_out:
        filler = int(bins[int(np.argmax(usable))])
        np.copyto(bins, filler, where=np.logical_not(usable, out=usable))
        low, high = int(bins.min()), int(bins.max())
    if high - low < 8:
        for value in range(low, high + 1):
            counts[value] += int(np.count_nonzero(np.equal(bins, value, out=scratch)))
    else:
        np.subtract(bins, low, out=bins)
        counts[low : high + 1] += np.bincount(bins, minlength=high - low + 1)
    counts[filler] -= left_out


def _at(counts: Any, cumulative: Any, share: float) -> float:
    """The log2 value below which ``share`` of the counted ratios lie,
    interpolated within its bin (``cumulative``: the counts' running sum)."""
    import numpy as np

    wanted = share * int(cumulative[-1])
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
    float64), or sequences of their channel planes (r, g, b or Y: 2D
    arrays, as an EXR decodes them), linear light, of the same height and
    width.
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

    given = _image(plate, "plate"), _image(reference, "reference")
    (ph, pw), (rh, rw) = ((i.height, i.width) for i in given)
    if (ph, pw) != (rh, rw):
        raise ValueError(
            f"the plate is {pw} x {ph} pixels and the reference {rw} x {rh}: different sizes"
        )
    rows, columns = _region(region, ph, pw)
    images = [image.cut(rows, columns) for image in given]
    chosen = _weights(weights)
    height, width = images[0].height, images[0].width
    starts = sorted(set(_band_starts(images[0])) | set(_band_starts(images[1])))
    tiles = _tiles(height, width, starts)
    sources = [_Tiles(image, tiles) for image in images]
    counts = np.zeros(_BINS, dtype=np.int64)
    # Every array a tile needs is made once: a tile's temporaries are near
    # the size where the C library maps fresh memory for each, so making
    # them per tile costs page faults at every tile.
    size = max((t.stop - t.start for t in tiles), default=0) * width
    plate_y, reference_y = (np.empty(size, dtype=np.float32) for _ in range(2))
    usable, scratch = (np.empty(size, dtype=bool) for _ in range(2))
    bins = np.empty(size, dtype=np.intp)  # what bincount counts without a copy
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        for index, tile in enumerate(tiles):
            shape = (tile.stop - tile.start, width)
            n = shape[0] * width
            colours = [source.colour(tile) for source in sources]
            yp, yr = (
                source.luminance(colour, chosen, out[:n].reshape(shape))
                for colour, source, out in zip(colours, sources, (plate_y, reference_y))
            )
            good, spare = usable[:n].reshape(shape), scratch[:n].reshape(shape)
            np.greater(yp, 0, out=good)
            for y, test, bound in (
                (yp, np.less, np.inf),
                (yr, np.greater, 0),
                (yr, np.less, np.inf),
            ):
                good &= test(y, bound, out=spare)
            for source, colour in zip(sources, colours):
                odd = source.unusable(index, tile)
                if odd is not None:
                    good &= ~odd
                for channel, level in enumerate(source.thresholds):
                    if level is not None:
                        good &= np.less(source.channel(colour, channel), level, out=spare)
            # Every pixel's ratio and bin: cheaper than gathering the usable
            # pixels first (the bins of the others are not counted).
            ratios = np.divide(yr, yp, out=yr)
            tile_bins = bins[:n]
            np.right_shift(ratios.view(np.int32).reshape(-1), _SHIFT, out=tile_bins)
            np.subtract(tile_bins, _LOW, out=tile_bins)
            _count(tile_bins, good.reshape(-1), counts, spare.reshape(-1))

    total = int(counts.sum())
    if total == 0:
        raise ValueError(
            "no pixel to compare: every pixel is zero, negative, NaN, infinite or clipped "
            "in one of the images"
        )
    cumulative = np.cumsum(counts)
    median = _at(counts, cumulative, 0.5)
    spread = (_at(counts, cumulative, 0.75) - _at(counts, cumulative, 0.25)) / _IQR_PER_SIGMA
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
