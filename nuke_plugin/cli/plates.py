"""``nuke-stops match``, ``camera`` and ``cdl``: matching plates, handing the
offset on.

- ``match PLATE.exr REFERENCE.exr [--region X Y W H] [--part NAME] [--snap 1/3]
  [--json]`` measures how many stops to add to the plate to match the
  reference;
- ``camera A B`` (settings text) or ``camera --exr A.exr B.exr`` (header
  attributes) says how many stops brighter take B is than take A;
- ``cdl --stops S [G B] -o look.cc [--force]`` writes an ASC CDL with
  OpenColorIO, ``cdl look.ccc [--id ID]`` reads one back as stops.

Every problem is one line on stderr and exit status 2; nothing is written
then.
"""

from __future__ import annotations

import json
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

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
        x0, y0, x1, y1 = max(x0, x), max(y0, y), min(x1, x + w), min(y1, y + h)
    if x0 >= x1 or y0 >= y1:
        where = "the region and " if region is not None else ""
        raise ValueError(f"{where}the two files' data windows share no pixel")
    return x0, y0, x1, y1


def _window_text(window: Tuple[int, int, int, int]) -> str:
    x0, y0, x1, y1 = window
    return f"{x1 - x0 + 1} x {y1 - y0 + 1} at ({x0}, {y0})"


def run_match(
    paths: List[str],
    region: Optional[Sequence[int]],
    grid: Optional[Fraction],
    as_json: bool,
    part: Optional[str] = None,
) -> int:
    """Measure a plate against a reference; returns the exit status."""
    if len(paths) != 2:
        return fail(f"match takes a plate and a reference EXR; got {len(paths)} file(s)")
    try:  # numpy first: without it nothing can be measured, whatever the files
        import numpy  # noqa: F401

        from ..adapters.exr_file import ExrError, open_plate
        from ..core.matching import measure_offset
    except ImportError:
        return fail(
            "match needs the plates extra (numpy, OpenEXR): pip install 'nuke-stops[plates]'"
        )
    try:
        with open_plate(Path(paths[0]), part) as plate, open_plate(
            Path(paths[1]), part
        ) as reference:
            if plate.display_window != reference.display_window:
                return fail(
                    f"{plate.where} and {reference.where} have different display windows: "
                    f"{_window_text(plate.display_window)} and "
                    f"{_window_text(reference.display_window)}"
                )
            box = _common_box(plate, reference, region)
            found = measure_offset(plate.pixels(box), reference.pixels(box))
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
    if grid is not None:
        result["snapped"] = snap(found.stops, grid)
    if as_json:
        print(json.dumps(result, indent=2, allow_nan=False))
        return 0
    add = f"add {format_stops(found.stops)}"
    if grid is not None:
        add += f", {format_stops(result['snapped'], grid)} on a {grid} stop grid"
    print(
        f"{where[0]} is {format_stops(-found.stops)} stops from {where[1]}: {add} "
        f"(spread {found.spread:.3f}, {_pixels(found.pixels)} pixels)"
    )
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
    else:
        print(f"B is {format_stops(stops)} stops from A ({stops:+.3f})")
        print(f"  A  {values[0]}\n  B  {values[1]}")
    return 0


def run_cdl(
    values: List[str],
    stops_given: bool,
    output: Optional[str],
    as_json: bool,
    cdl_id: str = "",
    force: bool = False,
) -> int:
    """Write a CDL from stops (``--stops``), or read one back as stops."""
    from ..adapters.cdl_file import CdlError, entry_text, read_cdl, write_cdl
    from ..core.cdl import cdl_for_stops, stops_of_cdl

    warnings: Sequence[str] = ()
    entry: Optional[str] = None
    kept = ""
    try:
        if stops_given:
            if output is None:
                return fail("cdl --stops needs -o FILE (.cc, .ccc or .cdl)")
            cdl = cdl_for_stops([parse_stops(text) for text in values])
            stops = stops_of_cdl(cdl)
            written = write_cdl(Path(output), cdl, cdl_id or "nuke-stops", force)
            file = output
            if written.backup is not None:
                kept = f" (the file it replaced: {written.backup.name})"
        else:
            if len(values) != 1 or output is not None:
                return fail("cdl reads one file (cdl look.cc), or writes one (cdl --stops S -o F)")
            read = read_cdl(Path(values[0]), cdl_id)
            cdl, file, warnings, entry = read.cdl, values[0], read.warnings, entry_text(read)
            where = f"{file} ({entry})" if entry else file
            try:
                stops = stops_of_cdl(cdl)
            except ValueError as error:
                return fail(f"{where}: {error}")
    except (CdlError, ValueError) as error:
        return fail(str(error))
    for warning in warnings:
        print(f"nuke-stops: warning: {file}: OpenColorIO: {warning}", file=sys.stderr)
    if as_json:
        data: Dict[str, Any] = {
            "file": file,
            "stops": list(stops),
            "slope": list(cdl.slope),
            "offset": list(cdl.offset),
            "power": list(cdl.power),
            "saturation": cdl.saturation,
        }
        if not stops_given:
            data["id"], data["warnings"] = read.entry, list(warnings)
            data["index"], data["count"] = read.index, read.count
        print(json.dumps(data, indent=2, allow_nan=False))
        return 0
    same = len(set(stops)) == 1
    text = format_stops(stops[0]) if same else " ".join(format_stops(s) for s in stops)
    slope = " ".join(f"{s:.10g}" for s in cdl.slope)
    verb = "wrote " if stops_given else ""
    note = f"; saturation {cdl.saturation:g} is not part of it" if cdl.saturation != 1 else ""
    where = f"{file} ({entry})" if entry else file
    print(f"{verb}{where}: {text} stops (slope {slope}){note}{kept}")
    return 0
