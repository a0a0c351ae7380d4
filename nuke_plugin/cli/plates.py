"""``nuke-stops match``, ``camera`` and ``cdl``: matching plates, handing the
offset on.

- ``match PLATE.exr REFERENCE.exr [--region X Y W H] [--snap 1/3] [--json]``
  measures how many stops to add to the plate to match the reference;
- ``camera A B`` (settings text) or ``camera --exr A.exr B.exr`` (header
  attributes) says how many stops brighter take B is than take A;
- ``cdl --stops S [G B] -o look.cc`` writes an ASC CDL with OpenColorIO,
  ``cdl look.cc`` reads one back as stops.

Every problem is one line on stderr and exit status 2; nothing is written
then.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from ..core.notation import format_stops, parse_stops, snap
from .terminal import fail

__all__ = ["run_camera", "run_cdl", "run_match"]


def _pixels(count: int) -> str:
    return f"{count / 1e6:.1f} M" if count >= 100_000 else f"{count:,}"


def _common_box(plate: Any, reference: Any, region: Optional[Sequence[int]]) -> Any:
    """The display-window box both files have pixels in (and the region)."""
    px0, py0, px1, py1 = plate.window()
    rx0, ry0, rx1, ry1 = reference.window()
    x0, y0, x1, y1 = max(px0, rx0), max(py0, ry0), min(px1, rx1), min(py1, ry1)
    if region is not None:
        x, y, w, h = region
        if w <= 0 or h <= 0:
            raise ValueError(f"--region {x} {y} {w} {h}: width and height must be positive")
        x0, y0, x1, y1 = max(x0, x), max(y0, y), min(x1, x + w), min(y1, y + h)
    if x0 >= x1 or y0 >= y1:
        where = "the region and " if region is not None else ""
        raise ValueError(f"{where}the two files' data windows share no pixel")
    return x0, y0, x1, y1


def _crop(plate: Any, box: Sequence[int]) -> Any:
    x0, y0, x1, y1 = box
    ox, oy = plate.origin
    return plate.pixels[y0 - oy : y1 - oy, x0 - ox : x1 - ox]


def run_match(
    paths: List[str], region: Optional[Sequence[int]], grid: Optional[Fraction], as_json: bool
) -> int:
    """Measure a plate against a reference; returns the exit status."""
    if len(paths) != 2:
        return fail(f"match takes a plate and a reference EXR; got {len(paths)} file(s)")
    try:
        from ..adapters.exr_file import ExrError, read_plate
        from ..core.matching import measure_offset
    except ImportError as error:  # numpy
        return fail(f"match needs numpy ({error}): pip install numpy OpenEXR")
    try:
        plate, reference = (read_plate(Path(p)) for p in paths)
    except ExrError as error:
        return fail(str(error))
    if plate.display != reference.display:
        (pw, ph), (rw, rh) = plate.display, reference.display
        return fail(f"{paths[0]} is {pw} x {ph} and {paths[1]} is {rw} x {rh}: different sizes")
    try:
        box = _common_box(plate, reference, region)
        found = measure_offset(_crop(plate, box), _crop(reference, box))
    except ValueError as error:
        return fail(str(error))
    result: Dict[str, Any] = {
        "plate": paths[0],
        "reference": paths[1],
        "stops": found.stops,
        "pixels": found.pixels,
        "spread": found.spread,
    }
    if grid is not None:
        result["snapped"] = snap(found.stops, grid)
    if as_json:
        print(json.dumps(result, indent=2, allow_nan=False))
        return 0
    add = f"add {format_stops(found.stops)}"
    if grid is not None:
        add += f", {format_stops(result['snapped'], grid)} on a {grid} stop grid"
    print(
        f"{paths[0]} is {format_stops(-found.stops)} stops from {paths[1]}: {add} "
        f"(spread {found.spread:.3f}, {_pixels(found.pixels)} pixels)"
    )
    return 0


def run_camera(values: List[str], from_exr: bool, as_json: bool) -> int:
    """Stops between two takes, from settings text or EXR headers."""
    from ..core.camera import parse_camera, report_stops_between

    if len(values) != 2:
        what = "EXR files" if from_exr else 'settings, e.g. "f/2.8 1/48 ISO800"'
        return fail(f"camera compares two takes: give two {what}; got {len(values)}")
    try:
        if from_exr:
            from ..adapters.exr_file import ExrError, camera_report

            try:
                first, second = (camera_report(Path(v)) for v in values)
            except ExrError as error:
                return fail(str(error))
        else:
            first, second = (parse_camera(v) for v in values)
        stops = report_stops_between(first, second)
    except ValueError as error:
        return fail(str(error))
    if as_json:
        print(json.dumps({"a": values[0], "b": values[1], "stops": stops}, indent=2))
    else:
        print(f"B is {format_stops(stops)} stops from A ({stops:+.3f})")
        print(f"  A  {values[0]}\n  B  {values[1]}")
    return 0


def run_cdl(values: List[str], stops_given: bool, output: Optional[str], as_json: bool) -> int:
    """Write a CDL from stops (``--stops``), or read one back as stops."""
    from ..adapters.cdl_file import CdlError, read_cdl, write_cdl
    from ..core.cdl import cdl_for_stops, stops_of_cdl

    try:
        if stops_given:
            if not output:
                return fail("cdl --stops needs -o FILE (.cc, .ccc or .cdl)")
            cdl = cdl_for_stops([parse_stops(text) for text in values])
            write_cdl(Path(output), cdl)
            stops = stops_of_cdl(cdl)
            file = output
        else:
            if len(values) != 1 or output:
                return fail("cdl reads one file (cdl look.cc), or writes one (cdl --stops S -o F)")
            cdl = read_cdl(Path(values[0]))
            file = values[0]
            try:
                stops = stops_of_cdl(cdl)
            except ValueError as error:
                return fail(f"{file}: {error}")
    except (CdlError, ValueError) as error:
        return fail(str(error))
    if as_json:
        data = {
            "file": file,
            "stops": list(stops),
            "slope": list(cdl.slope),
            "offset": list(cdl.offset),
            "power": list(cdl.power),
            "saturation": cdl.saturation,
        }
        print(json.dumps(data, indent=2, allow_nan=False))
        return 0
    same = len(set(stops)) == 1
    text = format_stops(stops[0]) if same else " ".join(format_stops(s) for s in stops)
    slope = " ".join(f"{s:.10g}" for s in cdl.slope)
    verb = "wrote " if stops_given else ""
    note = f"; saturation {cdl.saturation:g} is not part of it" if cdl.saturation != 1 else ""
    print(f"{verb}{file}: {text} stops (slope {slope}){note}")
    return 0
