"""The ``nuke-stops`` command line (also ``python -m nuke_plugin``).

Every value is read and checked before anything is printed, so bad input
gives one line on stderr naming the value, exit status 2, and no partial
table.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from fractions import Fraction
from typing import Any, Callable, Dict, List, NoReturn, Optional, Sequence

from .. import __version__
from ..core.exposure import (
    UNITS,
    ExposureDomainError,
    convert_units,
    exposure_to_intensity,
    intensity_to_exposure,
)
from ..core.notation import checked_grid, format_stops, parse_stops, snap


class InputError(ValueError):
    """A value on the command line that cannot be used; the message names it."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as every other error: one line, status 2
    (argparse prints the usage and then the error, three lines)."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.replace("nuke-stops", "").strip()
        see = f"nuke-stops {command} --help" if command else "nuke-stops --help"
        self.exit(2, f"nuke-stops: error: {message} (see {see})\n")


def _parse_number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{what} {text!r} is not a finite number")
    return value


def _parse_grid(text: str, option: str = "--grid") -> Fraction:
    try:
        grid = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise InputError(f"{option} {text!r} is not a number or fraction such as 1/3") from None
    if grid <= 0:
        raise InputError(f"{option} {text!r} must be positive")
    try:
        return checked_grid(grid)
    except ValueError as error:
        raise InputError(f"{option} {text!r}: {error}") from None


def _parse_region(values: Optional[Sequence[str]]) -> Optional[List[int]]:
    """--region X Y W H: four whole numbers, width and height positive."""
    if values is None:
        return None
    shown = " ".join(values).strip()
    if len(values) != 4 or "" in values:
        raise InputError(f"--region {shown!r}: give four whole numbers, X Y W H")
    try:
        region = [int(v) for v in values]
    except ValueError:
        raise InputError(f"--region {shown!r}: X Y W H are whole numbers of pixels") from None
    if region[2] <= 0 or region[3] <= 0:
        raise InputError(f"--region {shown!r}: width and height must be positive")
    return region


def _row_for_multiply(text: str, grid: Fraction) -> Dict[str, Any]:
    """A multiplier's stops, exact, and as the artist reads them: the
    nearest step of the grid (2.83 is 1.5008 stops: +1 2/3 on a 1/3 grid,
    +1 1/2 on a 1/2 grid), the exact value beside it."""
    multiply = _parse_number(text, "multiplier")
    try:
        stops = intensity_to_exposure(multiply)
    except ExposureDomainError as error:
        raise InputError(f"multiplier {text!r}: {error}") from None
    return {"multiply": multiply, "stops": stops, "text": format_stops(snap(stops, grid), grid)}


def _row_for_stops(text: str, grid: Fraction) -> Dict[str, Any]:
    try:
        stops = parse_stops(text)
        multiply = exposure_to_intensity(stops)
    except ValueError as error:
        raise InputError(str(error)) from None
    return {"stops": stops, "text": format_stops(stops, grid), "multiply": multiply}


def _row_for_units(text: str, from_unit: str, to_unit: str) -> Dict[str, Any]:
    value = _parse_number(text, f"{from_unit} value")
    try:
        result = convert_units(value, from_unit, to_unit)
    except ValueError as error:
        raise InputError(f"{from_unit} value {text!r}: {error}") from None
    if not math.isfinite(result):
        raise InputError(f"{from_unit} value {text!r} is beyond any {to_unit} value (overflow)")
    return {from_unit: value, to_unit: result}


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _arguments_taken(parser: argparse.ArgumentParser) -> Dict[str, Dict[str, int]]:
    """For each command, how many values each of its options takes (0 for
    a flag), read from the parser itself."""
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    taken: Dict[str, Dict[str, int]] = {}
    for name, command in commands.items():
        if not any(not action.option_strings for action in command._actions):
            continue  # no values to keep apart from options (nuke-path)
        counts = taken.setdefault(name, {})
        for action in command._actions:
            nargs = action.nargs
            count = 1 if nargs is None else nargs if isinstance(nargs, int) else 0
            for flag in action.option_strings:
                counts[flag] = count
    return taken


def _reorder(argv: Sequence[str], taken: Dict[str, Dict[str, int]]) -> List[str]:
    """Put options first and values after "--", so that "-2/3" or "-½"
    stay values where argparse would take them for flags."""
    if not argv or argv[0] not in taken:
        return list(argv)
    counts = taken[argv[0]]
    options: List[str] = []
    values: List[str] = []
    tokens = iter(argv[1:])
    for token in tokens:
        if token == "--":
            values.extend(tokens)
        elif counts.get(token) == 1 and token.startswith("--"):
            options.append(f"{token}={next(tokens, '')}")  # "--grid=-1/3": a value, not a flag
        elif token.startswith("--") or token in counts:
            options.append(token)
            options.extend(next(tokens, "") for _ in range(counts.get(token, 0)))
        else:
            values.append(token)
    return [argv[0], *options, *(["--", *values] if values else [])]


def _add_unit_options(command: argparse.ArgumentParser, required: bool) -> None:
    units = ", ".join(UNITS)
    for flag, what in (("--from", "the values are in"), ("--to", "to give them in")):
        command.add_argument(
            flag,
            choices=list(UNITS),
            dest=flag[2:] + "_unit",
            required=required,
            metavar="UNIT",
            help=f"the unit {what}: {units}",
        )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nuke-stops",
        description="Exposure in photographic stops: +1 stop is twice the light.",
    )
    parser.add_argument("--version", action="version", version=f"nuke-stops {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    def add(
        name: str,
        help_text: str,
        value_help: str,
        metavar: str = "VALUE",
        details: str = "",
        usage: Optional[str] = None,
    ) -> argparse.ArgumentParser:
        # ``usage`` names and counts the values where argparse's own would
        # say "EXR [EXR ...]"; the count is checked by the command, which
        # says in one line what it takes.
        command = commands.add_parser(
            name, help=help_text, description=details or help_text, usage=usage
        )
        command.add_argument("values", nargs="+", metavar=metavar, help=value_help)
        return command

    for name, help_text, value_help in (
        ("stops", "multipliers to stops", "a linear multiplier, e.g. 2 or 0.5"),
        ("linear", "stops to multipliers", 'stops as artists write them, e.g. "+1 1/3", -2/3, x2'),
    ):
        numbers = add(name, help_text, value_help)
        numbers.add_argument(
            "--grid",
            "--step",
            default="1/3",
            help="the fraction of a stop the artist text is written in (default 1/3)",
        )
        numbers.add_argument("--json", action="store_true", help="machine-readable output")
    units = add(
        "units",
        "numbers between exposure units: " + ", ".join(UNITS),
        "numbers in the --from unit",
    )
    _add_unit_options(units, required=True)
    units.add_argument("--json", action="store_true", help="machine-readable output")
    convert = add(
        "convert",
        "convert legacy multiply values in scripts to stop knobs",
        ".nk or .gizmo files",
        "FILE",
        "Convert legacy multiply values in .nk/.gizmo files to stop knobs. "
        "(`convert --from U --to V numbers` is the older spelling of `units`.)",
    )
    _add_unit_options(convert, required=False)
    convert.add_argument(
        "-o", "--output", help="write the converted script to this file (-: standard output)"
    )
    convert.add_argument("--in-place", action="store_true", help="rewrite inputs, keeping .bak")
    convert.add_argument(
        "--force", action="store_true", help="--in-place: convert read-only files too"
    )
    convert.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    convert.add_argument(
        "--grade-knob",
        choices=["multiply", "white"],
        default="multiply",
        help="which Grade knob to drive (default multiply; white is Grade's gain)",
    )
    convert.add_argument("--json", action="store_true", help="machine-readable output")
    scan = add(
        "scan",
        "list exposure-bearing knobs in .nk/.gizmo files",
        "files, or folders searched recursively for .nk and .gizmo files",
        "PATH",
    )
    formats = scan.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="JSON output")
    formats.add_argument("--jsonl", action="store_true", help="JSON Lines: one finding a line")
    formats.add_argument("--csv", action="store_true", help="CSV output")
    _add_jobs(scan, "files read in parallel by N processes")
    panel = add(
        "panel",
        "open the Exposure panel on a script, without Nuke",
        "a .nk or .gizmo file",
        "FILE",
        "Open the Exposure panel (every exposure in stops, editable; Save keeps .bak) "
        "on a script. Needs PySide6 or PySide2.",
        usage="nuke-stops panel [--screenshot PNG] [--force] FILE",
    )
    panel.add_argument(
        "--screenshot",
        metavar="PNG",
        help="draw the panel offscreen into this .png (or .jpg) and exit",
    )
    panel.add_argument(
        "--force", action="store_true", help="--screenshot: replace a read-only picture"
    )
    match = add(
        "match",
        "measure the exposure offset between two plates (OpenEXR)",
        "the plate, then the reference (frame sequences: plate.%%04d.exr, plate.####.exr; "
        "no reference with --to-frame or --smooth)",
        "PLATE REFERENCE",
        "How many stops to add to PLATE to match REFERENCE: the median of the per-pixel "
        "log2 luminance ratios, leaving out NaN, infinite, zero, negative and clipped pixels.",
        usage="nuke-stops match [options] PLATE REFERENCE\n"
        "       nuke-stops match [options] PLATE.####.exr (--to-frame F | --smooth N)",
    )
    match.add_argument(
        "--region",
        nargs=4,
        metavar=("X", "Y", "W", "H"),
        help="compare only this box (pixels, from the display window's top left)",
    )
    match.add_argument(
        "--part",
        metavar="NAME",
        help="the part of multi-part EXRs to read (default: the first with R, G and B)",
    )
    match.add_argument(
        "--colorspace",
        metavar="NAME",
        help="the OCIO colour space both plates are encoded in (default: scene-linear, "
        "as EXR intends); they are decoded to scene-linear before measuring",
    )
    match.add_argument("--plate-colorspace", metavar="NAME", help="the plate's, when they differ")
    match.add_argument(
        "--reference-colorspace", metavar="NAME", help="the reference's, when they differ"
    )
    match.add_argument(
        "--config",
        metavar="OCIO",
        help="the OCIO config (default: $OCIO, else the built-in ocio://studio-config-latest)",
    )
    match.add_argument(
        "--snap",
        metavar="GRID",
        help="also give the offset snapped to 1/3 etc. (over a shot: --nk keys the snapped value)",
    )
    match.add_argument(
        "--frames",
        metavar="RANGE",
        help="over a sequence (plate.%%04d.exr, plate.####.exr): the frames, e.g. 1001-1100, "
        "1001-1100x2, 1001,1010-1020 (default: the plate's frames on disk)",
    )
    match.add_argument(
        "--to-frame",
        type=int,
        metavar="F",
        help="deflicker: each frame of the plate sequence against its frame F",
    )
    match.add_argument(
        "--smooth",
        type=int,
        metavar="N",
        help="deflicker: each frame against the rolling median of N frames around it "
        "(N odd; the trend is kept, the flicker taken out)",
    )
    match.add_argument(
        "--nk",
        metavar="OUT.nk",
        help="over a shot: write a pasteable Grade whose stop knobs are keyed per frame",
    )
    match.add_argument("--force", action="store_true", help="--nk: replace a read-only file")
    _add_jobs(match, "over a shot: frames decoded and measured by N processes")
    match.add_argument(
        "--strict", action="store_true", help="over a shot: stop at the first frame without a value"
    )
    forms = match.add_mutually_exclusive_group()
    forms.add_argument("--json", action="store_true", help="machine-readable output")
    forms.add_argument("--jsonl", action="store_true", help="over a shot: one JSON object a frame")
    forms.add_argument("--csv", action="store_true", help="over a shot: CSV, one row a frame")
    camera = add(
        "camera",
        "stops between two takes, from camera settings or EXR headers",
        'settings such as "f/2.8 1/48 ISO800 ND0.3" or "180deg@24fps", or two EXRs with --exr',
        "A B",
        "How many stops take A is darker or brighter than take B, and what to add to A "
        "(nominal marked values); --json's stops is how many stops brighter B is.",
        usage="nuke-stops camera [--exr] [--json] A B",
    )
    camera.add_argument("--exr", action="store_true", help="read the takes from EXR headers")
    camera.add_argument("--json", action="store_true", help="machine-readable output")
    cdl = commands.add_parser(
        "cdl",
        usage="nuke-stops cdl --stops (S | R G B) -o FILE [options]\n"
        "       nuke-stops cdl FILE [options]",
        help="write an ASC CDL from stops, or read one as stops (OpenColorIO)",
        description="cdl --stops S [G B] -o look.cc|.ccc|.cdl writes a CDL for the space it "
        "is applied in (--space: scene-linear gets slope 2**stops, a log space an offset); "
        "cdl look.cc reads one back as stops in that space.",
    )
    cdl.add_argument("values", nargs="*", metavar="VALUE", help="stops with --stops, else a file")
    cdl.add_argument("--stops", action="store_true", help="the values are stops: one, or r g b")
    cdl.add_argument("-o", "--output", help="the CDL file to write (.cc, .ccc or .cdl)")
    cdl.add_argument(
        "--id",
        default="",
        metavar="ID",
        help="the correction's id: the one to read from a collection, or the one written",
    )
    cdl.add_argument(
        "--space",
        metavar="NAME",
        help="the OCIO colour space the CDL is applied in (default: the scene_linear role)",
    )
    cdl.add_argument(
        "--config",
        metavar="OCIO",
        help="the OCIO config (default: $OCIO, else the built-in ocio://studio-config-latest)",
    )
    cdl.add_argument(
        "--approximate",
        action="store_true",
        help="write the best CDL even when it is more than 0.01 stop off over the range",
    )
    cdl.add_argument(
        "--range",
        nargs=2,
        metavar=("LOW", "HIGH"),
        help="the linear values the error is measured over (default 0.01125 11.52: "
        "4 stops under 18%% grey to 6 over)",
    )
    cdl.add_argument(
        "--description", default="", metavar="TEXT", help="the correction's description"
    )
    cdl.add_argument("--force", action="store_true", help="replace a read-only CDL file")
    cdl.add_argument("--json", action="store_true", help="machine-readable output")
    commands.add_parser(
        "nuke-path",
        help="print the folder to put on NUKE_PATH (init.py, menu.py, gizmos/)",
        description="Print the folder holding this installation's Nuke half (init.py, "
        "menu.py, gizmos/), for NUKE_PATH: inside the installed package, or the checkout.",
        usage="nuke-stops nuke-path",
    )
    return parser


def _add_jobs(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument(
        "--jobs", type=_jobs, default=None, metavar="N", help=f"{what} (default: the cores)"
    )


def _jobs(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--jobs {text!r} is not a whole number") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"--jobs {text!r} must be 1 or more")
    return count


class _ToStderr(logging.Handler):
    """The package's warnings (a clamp, a wait for a lock) as the command's
    own lines: ``nuke-stops: warning: ...`` on stderr as it is now."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            print(f"nuke-stops: {record.levelname.lower()}: {record.getMessage()}", file=sys.stderr)
        except Exception:
            self.handleError(record)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # names with any byte print as they are
            stream.reconfigure(errors="surrogateescape")
    package = logging.getLogger("nuke_plugin")
    shown = _ToStderr(logging.WARNING)
    package.addHandler(shown)  # for this run only: a pipeline calling main() keeps its logging
    try:
        return _run(argv)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    finally:
        package.removeHandler(shown)


def _run(argv: Optional[Sequence[str]]) -> int:
    parser = _parser()
    given = sys.argv[1:] if argv is None else argv
    if not given:  # a bare nuke-stops: what it can do
        parser.print_help()
        return 2
    args = parser.parse_args(_reorder(given, _arguments_taken(parser)))
    make_row: Callable[[str], Dict[str, Any]]
    numbers_given_to_convert = args.command == "convert" and (
        args.from_unit is not None or args.to_unit is not None
    )
    if args.command == "scan":
        from .scan import ScanFormat, run_scan

        chosen = [f for f in ScanFormat if getattr(args, f.value, False)]
        return run_scan(args.values, chosen[0] if chosen else ScanFormat.TABLE, args.jobs)
    if args.command == "nuke-path":
        return _print_nuke_path()
    if args.command == "panel":
        from .panel import run_panel

        return run_panel(args.values, args.screenshot, args.force)
    if args.command in ("match", "camera", "cdl"):
        return _run_plates(args)
    if args.command == "convert" and not numbers_given_to_convert:
        from .convert import run_convert

        knobs = {"Grade": args.grade_knob}
        return run_convert(
            args.values, args.output, args.in_place, args.dry_run, knobs, args.json, args.force
        )
    if args.command in ("units", "convert"):
        if args.from_unit is None or args.to_unit is None:
            return _fail("converting numbers needs both --from and --to")
        if args.command == "convert" and (args.output or args.in_place or args.dry_run):
            return _fail("-o, --in-place and --dry-run are for scripts, not --from/--to numbers")
        make_row = lambda text: _row_for_units(text, args.from_unit, args.to_unit)  # noqa: E731
    else:
        make = _row_for_multiply if args.command == "stops" else _row_for_stops
        try:
            grid = _parse_grid(args.grid)
        except InputError as error:
            return _fail(str(error))
        make_row = lambda text: make(text, grid)  # noqa: E731
    try:
        rows = [make_row(text) for text in args.values]
    except InputError as error:
        return _fail(str(error))
    if args.json:
        print(json.dumps(rows, indent=2, allow_nan=False))
    else:
        from ..report import table  # here: the number commands need no script reader

        headers = list(rows[0])
        print(table(headers, [[_cell(row[h]) for h in headers] for row in rows], numbers=True))
    return 0


def _print_nuke_path() -> int:
    from ..install import PACKAGE, nuke_folder

    folder = nuke_folder()
    if folder is None:
        return _fail(f"this installation ({PACKAGE}) has no init.py, menu.py and gizmos/ for Nuke")
    print(folder)
    return 0


def _run_plates(args: argparse.Namespace) -> int:
    from . import plates

    if args.command == "camera":
        return plates.run_camera(args.values, args.exr, args.json)
    if args.command == "cdl":
        request = plates.CdlRequest(
            args.values,
            args.stops,
            args.output,
            args.json,
            args.id,
            args.force,
            args.space,
            args.config,
            args.approximate,
            args.description,
            args.range,
        )
        return plates.run_cdl(request)
    try:
        grid = _parse_grid(args.snap, "--snap") if args.snap is not None else None
        region = _parse_region(args.region)
    except InputError as error:
        return _fail(str(error))
    spaces = plates.PlateSpaces(
        args.plate_colorspace or args.colorspace,
        args.reference_colorspace or args.colorspace,
        args.config,
    )
    from . import shot

    deflickering = args.to_frame is not None or args.smooth is not None
    if shot.is_shot(args.values, args.frames, deflickering):
        if len(args.values) > 2:
            return _fail(
                f"match takes a plate sequence and a reference (or one sequence with "
                f"--to-frame/--smooth); got {len(args.values)} file(s)"
            )
        forms = {"json": shot.ShotFormat.JSON, "jsonl": shot.ShotFormat.JSONL}
        forms["csv"] = shot.ShotFormat.CSV
        chosen = [form for name, form in forms.items() if getattr(args, name)]
        asked = shot.ShotRequest(
            plate=args.values[0],
            reference=args.values[1] if len(args.values) == 2 else None,
            frames=args.frames,
            to_frame=args.to_frame,
            smooth=args.smooth,
            region=region,
            part=args.part,
            colorspaces=(spaces.plate, spaces.reference),
            config=args.config,
            grid=grid,
            form=chosen[0] if chosen else shot.ShotFormat.TABLE,
            nk=args.nk,
            force=args.force,
            jobs=args.jobs,
            strict=args.strict,
        )
        return shot.run_shot(asked)
    shot_only = [
        option
        for option, given in (
            ("--nk", args.nk is not None),
            ("--jsonl", args.jsonl),
            ("--csv", args.csv),
            ("--jobs", args.jobs is not None),
            ("--strict", args.strict),
        )
        if given
    ]
    if shot_only:
        return _fail(
            f"{shot_only[0]} is for a shot: give the plate as a frame sequence "
            "(plate.%04d.exr or plate.####.exr)"
        )
    return plates.run_match(args.values, region, grid, args.json, args.part, spaces)


def _fail(message: str) -> int:
    from .terminal import fail  # here: the number commands need no script reader

    return fail(message)
