"""``nuke-stops match``, ``camera`` and ``cdl``: matching plates, handing the
offset on.

- ``match PLATE.exr REFERENCE.exr [--region X Y W H] [--part NAME] [--snap 1/3]
  [--json]`` measures how many stops to add to the plate to match the
  reference;
- ``camera A B`` (settings text) or ``camera --exr A.exr B.exr`` (header
  attributes) says how many stops take A is darker or brighter than take
  B, and what to add to A, in the words ``match`` uses;
- ``cdl --stops S [G B] -o look.cc [--force]`` writes an ASC CDL with
  OpenColorIO, ``cdl look.ccc [--id ID]`` reads one back as stops.

Every problem is one line on stderr and exit status 2; nothing is written
then.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..core.notation import compared, format_stops, parse_stops, snap, with_unit
from ..core.text import printable
from ..registry import needs_extra
from .terminal import fail

__all__ = ["CdlRequest", "PlateSpaces", "run_camera", "run_cdl", "run_match"]


def pixels_text(count: int) -> str:
    """A pixel count as reports give it: ``11,164`` or ``8.8 M``."""
    return f"{count / 1e6:.1f} M" if count >= 100_000 else f"{count:,}"


def _common_box(plate: Any, reference: Any, region: Optional[Sequence[int]]) -> Any:
    """The display-window box both files have pixels in (and the region)."""
    px0, py0, px1, py1 = plate.window()
    rx0, ry0, rx1, ry1 = reference.window()
    x0, y0, x1, y1 = max(px0, rx0), max(py0, ry0), min(px1, rx1), min(py1, ry1)
    if region is not None:
        x, y, w, h = region
        x0, y0, x1, y1 = max(x0, x), max(y0, y), min(x1, x + w), min(y1, y + h)
    if x0 >= x1 or y0 >= y1:
        where = "the region and " if region is not None else ""
        raise ValueError(f"{where}the two files' data windows share no pixel")
    return x0, y0, x1, y1


def window_text(window: Tuple[int, int, int, int]) -> str:
    """A display window as messages give it: ``160 x 90 at (0, 0)``."""
    x0, y0, x1, y1 = window
    return f"{x1 - x0 + 1} x {y1 - y0 + 1} at ({x0}, {y0})"


@dataclass(frozen=True)
class PlateSpaces:
    """The colour spaces the two plates are encoded in (None: scene-linear,
    as EXR intends), and the OCIO config that names them."""

    plate: Optional[str] = None
    reference: Optional[str] = None
    config: Optional[str] = None

    @property
    def given(self) -> bool:
        return self.plate is not None or self.reference is not None


def linearised(planes: Any, space: Any) -> Any:
    """Channel planes decoded from ``space`` to its config's scene-linear,
    as H x W x C pixels (OpenColorIO decodes interleaved pixels in place)."""
    import numpy as np

    out = np.stack([plane.array() for plane in planes], axis=-1).astype(np.float32)
    space.decode(out)  # OpenColorIO applies it to the array in place
    return out


def run_match(
    paths: List[str],
    region: Optional[Sequence[int]],
    grid: Optional[Fraction],
    as_json: bool,
    part: Optional[str] = None,
    spaces: PlateSpaces = PlateSpaces(),  # noqa: B008 - frozen, never changed
) -> int:
    """Measure a plate against a reference; returns the exit status."""
    if len(paths) != 2:
        return fail(f"match takes a plate and a reference EXR; got {len(paths)} file(s)")
    decoders: List[Any] = [None, None]
    if spaces.given:
        from ..adapters.grading_space import SpaceError, open_space

        try:
            decoders = [
                None if name is None else open_space(name, spaces.config)
                for name in (spaces.plate, spaces.reference)
            ]
        except SpaceError as error:
            return fail(str(error))
    try:  # numpy and OpenEXR first: without them nothing is measured, whatever the files
        import numpy  # noqa: F401
        import OpenEXR  # noqa: F401

        from ..adapters.exr_file import ExrError, open_plate
        from ..core.matching import measure_offset
    except ImportError:
        return fail(needs_extra("nuke-stops match", "plates"))
    try:
        with open_plate(Path(paths[0]), part) as plate, open_plate(
            Path(paths[1]), part
        ) as reference:
            if plate.display_window != reference.display_window:
                return fail(
                    f"{plate.where} and {reference.where} have different display windows: "
                    f"{window_text(plate.display_window)} and "
                    f"{window_text(reference.display_window)}"
                )
            box = _common_box(plate, reference, region)
            pixels = [plate.planes(box), reference.planes(box)]
            pixels = [p if d is None else linearised(p, d) for p, d in zip(pixels, decoders)]
            found = measure_offset(pixels[0], pixels[1])
            parts = (plate.part_name, reference.part_name)
            where = (plate.where, reference.where)
    except (ExrError, ValueError) as error:
        return fail(str(error))
    result: Dict[str, Any] = {
        "plate": paths[0],
        "reference": paths[1],
        "stops": found.stops,
        "pixels": found.pixels,
        "spread": found.spread,
    }
    if any(name is not None for name in parts):
        result["plate_part"], result["reference_part"] = parts
    encoded = [None if d is None else d.name for d in decoders]
    result["plate_colorspace"], result["reference_colorspace"] = encoded
    if grid is not None:
        result["snapped"] = snap(found.stops, grid)
    if as_json:
        print(json.dumps(result, indent=2, allow_nan=False))
        return 0
    line = compared(where[0], where[1], found.stops)
    if grid is not None:
        line += f", {format_stops(result['snapped'], grid)} on a {grid} stop grid"
    print(f"{line} (spread {found.spread:.3f}, {pixels_text(found.pixels)} pixels)")
    if not spaces.given:
        print("  both taken as scene-linear, as EXR intends (--colorspace NAME if they are not)")
    else:
        named = [
            "scene-linear" if d is None else f"{d.name}, decoded to {d.scene_linear} by OpenColorIO"
            for d in decoders
        ]
        print(f"  plate {named[0]}; reference {named[1]}")
    return 0


def run_camera(values: List[str], from_exr: bool, as_json: bool) -> int:
    """Stops between two takes, from settings text or EXR headers."""
    from ..core.camera import parse_camera, report_stops_between

    if len(values) != 2:
        what = "EXR files" if from_exr else 'settings, e.g. "f/2.8 1/48 ISO800"'
        return fail(f"camera compares two takes: give two {what}; got {len(values)}")
    names = ("the first", "the second")
    try:
        if from_exr:
            from ..adapters.exr_file import ExrError, camera_report

            names = (values[0], values[1])
            try:
                first, second = (camera_report(Path(v)) for v in values)
            except ExrError as error:
                return fail(str(error))
        else:
            first, second = (parse_camera(v) for v in values)
        stops = report_stops_between(first, second, names=names)
    except ValueError as error:
        return fail(str(error))
    if as_json:
        print(json.dumps({"a": values[0], "b": values[1], "stops": stops}, indent=2))
    elif from_exr:
        print(f"{compared(values[0], values[1], stops)} ({stops:+.3f})")
    else:
        print(f"{compared('take A', 'take B', stops)} ({stops:+.3f})")
        print(f"  take A  {values[0]}\n  take B  {values[1]}")
    return 0


@dataclass(frozen=True)
class CdlRequest:
    """What ``nuke-stops cdl`` was asked: write from stops, or read a file."""

    values: List[str]
    stops_given: bool
    output: Optional[str] = None
    as_json: bool = False
    cdl_id: str = ""
    force: bool = False
    space: Optional[str] = None  # None: the config's scene_linear role
    config: Optional[str] = None  # None: $OCIO, else the built-in studio config
    approximate: bool = False
    description: str = ""
    value_range: Optional[Sequence[str]] = None  # LOW HIGH, linear


def _range(given: Optional[Sequence[str]]) -> Tuple[float, float]:
    from ..adapters.grading_space import DEFAULT_RANGE
    from ..core.exposure import real_number

    if given is None:
        return DEFAULT_RANGE
    try:
        low, high = (real_number(float(text), "--range") for text in given)
    except (TypeError, ValueError):
        low = high = math.nan  # refused just below, naming what was given
    if not 0 < low < high:
        shown = " ".join(printable(t) for t in given)
        raise ValueError(f"--range {shown}: give two linear values, low then high")
    return low, high


def _numbers(values: Sequence[float]) -> str:
    return " ".join(f"{v:.10g}" for v in values)


def _linear(value: float) -> str:
    return f"{value:.3g}"


def _fit_lines(fit: Any) -> List[str]:
    """How exact a CDL is, and where it stops being an exposure."""
    from ..adapters.grading_space import TOLERANCE, SpaceKind

    low, high = fit.range
    how = "exact" if fit.exact else f"worst error {fit.worst_error:.4f} stop"
    first = (
        f"  {how} over linear {_linear(low)} to {_linear(high)} (values before the exposure; "
        f"measured by OpenColorIO applying it in {fit.space.name})"
    )
    if fit.space.kind is SpaceKind.LINEAR:
        return [first]
    down, up = fit.holds
    below = f"below linear {_linear(down)}" if down > low * 2.0**-12 * 1.0001 else ""
    above = f"above {_linear(up)}" if up < high * 2.0**12 * 0.9999 else ""
    outside = " and ".join(t for t in (below, above) if t)
    if not outside:
        return [first, f"  within {TOLERANCE} stop 12 stops beyond the range both ways"]
    return [first, f"  {outside} it is off by more than {TOLERANCE} stop: not an exposure there"]


def run_cdl(request: CdlRequest) -> int:
    """Write a CDL from stops (``--stops``) in its grading space, or read one
    back as stops; returns the exit status."""
    from ..adapters.cdl_file import CdlError, entry_text, read_cdl, write_cdl
    from ..adapters.grading_space import (
        TOLERANCE,
        SpaceError,
        SpaceKind,
        exposure_cdl,
        file_apply,
        fit_of,
        open_space,
        stops_of_cdl_in,
    )

    warnings: Sequence[str] = ()
    entry: Optional[str] = None
    kept = ""
    try:
        value_range = _range(request.value_range)
        if request.stops_given:
            if request.output is None:
                return fail("cdl --stops needs -o FILE (.cc, .ccc or .cdl)")
            stops = [parse_stops(text) for text in request.values]
            space = open_space(request.space, request.config)
            fit = exposure_cdl(space, stops, value_range)
            if fit.worst_error > TOLERANCE and not request.approximate:
                low, high = fit.range
                return fail(
                    f"{space.name} cannot carry {with_unit(_stops_text(fit.stops))} as a CDL: "
                    f"the best one is {fit.worst_error:.3f} stop off over linear "
                    f"{_linear(low)} to {_linear(high)} (tolerance {TOLERANCE}); "
                    "--approximate writes it anyway"
                )
            cdl_id = request.cdl_id or "nuke-stops"
            applied: List[Any] = []

            def as_applied(file: Path) -> None:
                space.ocio.ClearAllCaches()  # a file at this path may have been applied before
                found = fit_of(space, fit.cdl, fit.stops, fit.range, file_apply(space, str(file)))
                if abs(found.worst_error - fit.worst_error) > 1e-6:
                    raise ValueError(
                        f"OpenColorIO applies it {found.worst_error:.6f} stop off, "
                        f"not {fit.worst_error:.6f}"
                    )
                applied.append(found)

            written = write_cdl(
                Path(request.output),
                fit.cdl,
                cdl_id,
                request.force,
                request.description,
                check=as_applied,
            )
            fit, cdl, file = applied[0], fit.cdl, request.output
            if written.backup is not None:
                kept = f" (the file it replaced: {written.backup.name})"
        else:
            if len(request.values) != 1 or request.output is not None:
                return fail("cdl reads one file (cdl look.cc), or writes one (cdl --stops S -o F)")
            file = request.values[0]
            read = read_cdl(Path(file), request.cdl_id)
            cdl, warnings, entry = read.cdl, read.warnings, entry_text(read)
            space = open_space(request.space, request.config)
            try:
                fit = stops_of_cdl_in(space, cdl, value_range)
            except ValueError as error:
                where = f"{file} ({entry})" if entry else file
                return fail(f"{where}: {error}")
    except (CdlError, SpaceError, ValueError) as error:
        return fail(str(error))
    for warning in warnings:
        print(f"nuke-stops: warning: {file}: OpenColorIO: {warning}", file=sys.stderr)
    if request.as_json:
        from ..adapters.grading_space import fit_fields

        data: Dict[str, Any] = {
            "file": file,
            "stops": list(fit.stops),
            "slope": list(cdl.slope),
            "offset": list(cdl.offset),
            "power": list(cdl.power),
            "saturation": cdl.saturation,
            **fit_fields(fit),
        }
        if not request.stops_given:
            data["id"], data["warnings"] = read.entry, list(warnings)
            data["index"], data["count"] = read.index, read.count
        print(json.dumps(data, indent=2, allow_nan=False))
        return 0
    verb = "wrote " if request.stops_given else ""
    note = f"; saturation {cdl.saturation:g} is not part of it" if cdl.saturation != 1 else ""
    where = f"{file} ({entry})" if entry else file
    at = "" if request.stops_given or space.kind is SpaceKind.LINEAR else " at 18% grey"
    print(f"{verb}{where}: {with_unit(_stops_text(fit.stops))}{at} in {space.describe()}{kept}")
    print(
        f"  slope {_numbers(cdl.slope)}, offset {_numbers(cdl.offset)}, power "
        f"{_numbers(cdl.power)}, saturation {cdl.saturation:g}{note}"
    )
    for line in _fit_lines(fit):
        print(line)
    return 0


def _stops_text(stops: Sequence[float]) -> str:
    same = len(set(stops)) == 1
    return format_stops(stops[0]) if same else " ".join(format_stops(s) for s in stops)
