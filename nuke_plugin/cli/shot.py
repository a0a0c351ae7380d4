"""``nuke-stops match`` over a shot: frame sequences, measured frame by frame.

PLATE (and REFERENCE) may be frame sequences, ``plate.%04d.exr`` or
``plate.####.exr``, over ``--frames`` (else the frames of PLATE on disk).
Three ways to measure (:class:`Mode`):

- each frame against the same frame of a REFERENCE sequence;
- each frame against one REFERENCE image;
- deflicker, with no reference: ``--to-frame F`` measures each frame
  against frame F of the same sequence; ``--smooth N`` measures each frame
  against the one before it and takes out what departs from the rolling
  median of N frames (:func:`nuke_plugin.core.shot.deflicker`).

Frames are independent, so they are measured in ``--jobs`` worker
processes (default: the cores), each decoding and measuring its own frames;
memory is what the workers hold (a frame pair and a reference each), not
the shot. A frame that is missing, unreadable or does not match gets the
reason, and the run goes on (``--strict`` stops at the first). The result
is a table (``--json``, ``--jsonl``, ``--csv``) and, with ``--nk OUT.nk``,
a Grade whose stop knobs are keyed at every measured frame.

The output is made when every frame is measured and depends on nothing but
the files: running a range in chunks (a render farm's job array) and
concatenating the ``--jsonl`` outputs in frame order gives the bytes one
run gives (``--smooth`` excepted: each frame's correction depends on its
neighbours).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from ..core.notation import format_stops, snap
from ..core.shot import FrameSequence, Link, deflicker, parse_frames, parse_sequence
from ..core.text import printable
from ..registry import needs_extra
from .plates import linearised, pixels_text, window_text
from .terminal import (
    Progress,
    Stopped,
    exit_status,
    fail,
    in_processes,
    print_error,
    stop_name,
    stop_on_signals,
)

__all__ = ["Mode", "ShotFormat", "ShotRequest", "is_shot", "run_shot"]

#: Frames a --smooth worker measures in one go: the first is compared with
#: a frame decoded again, so 1 in 8 frames is decoded twice.
SMOOTH_CHUNK = 8
#: How far back --smooth looks for a frame to compare with, past frames
#: that are missing or of another size.
LOOK_BACK = 8


class Mode(Enum):
    """What each frame is measured against."""

    PAIRS = "the same frame of the reference"
    ONE = "one reference image"
    TO_FRAME = "one frame of the same sequence"
    SMOOTH = "the rolling median of the frames around it"


class ShotFormat(Enum):
    """How the per-frame results are written."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


@dataclass(frozen=True)
class ShotRequest:
    """What ``nuke-stops match`` was asked, over a shot."""

    plate: str
    reference: Optional[str]
    frames: Optional[str] = None  # --frames text; None: the plate's frames on disk
    to_frame: Optional[int] = None
    smooth: Optional[int] = None
    region: Optional[Sequence[int]] = None
    part: Optional[str] = None
    colorspaces: Tuple[Optional[str], Optional[str]] = (None, None)  # plate's, reference's
    config: Optional[str] = None
    grid: Optional[Fraction] = None
    form: ShotFormat = ShotFormat.TABLE
    nk: Optional[str] = None
    force: bool = False
    jobs: Optional[int] = None
    strict: bool = False


def is_shot(paths: Sequence[str], frames: Optional[str], deflickering: bool) -> bool:
    """True when ``match`` is asked about a shot rather than one frame pair."""
    return deflickering or frames is not None or any(_sequence(p) for p in paths)


def _sequence(path: str) -> Optional[FrameSequence]:
    try:
        return parse_sequence(path)
    except ValueError:
        return FrameSequence(path, path, "", 0)  # refused with the reason when planned


# -- in the worker processes --------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """What every worker needs to measure its frames (sent to each one)."""

    mode: Mode
    plate: FrameSequence
    reference: Optional[str]  # the one reference file (ONE, TO_FRAME's frame)
    reference_frames: Optional[FrameSequence]  # PAIRS: the reference sequence
    region: Optional[Tuple[int, int, int, int]]
    part: Optional[str]
    colorspaces: Tuple[Optional[str], Optional[str]]
    config: Optional[str]
    frames: Tuple[int, ...]  # every frame of the run, in order (SMOOTH looks back)


@dataclass
class _Image:
    """A decoded frame: where it came from, its display window, the box of
    display pixels it holds (x0, y0, x1, y1 exclusive) and those pixels
    (channel planes, or H x W x C once decoded from a colour space)."""

    where: str
    display: Tuple[int, int, int, int]
    box: Tuple[int, int, int, int]
    pixels: Any


@dataclass(frozen=True)
class _Measured:
    """One frame's result: a measured offset, a link (SMOOTH), or the reason
    it has no value."""

    frame: int
    stops: Optional[float] = None
    spread: Optional[float] = None
    pixels: Optional[int] = None
    link: Optional[Link] = None  # SMOOTH: (frame it was measured against, step)
    error: Optional[str] = None


_worker_state: Dict[str, Any] = {}  # per process: the reference image, the OCIO spaces


def keep_freed_memory() -> bool:
    """Ask the C library (glibc) to keep the memory a frame frees for the
    next frame rather than hand it back and map it afresh: each frame's
    strips and buffers are a few megabytes, just above the size glibc maps
    anew each time, and the page faults cost about 8 % of a 4K frame
    (docs/benchmarks.md). The process then stays at the size of the frames
    in flight. Elsewhere (macOS, Windows, musl) nothing is changed; returns
    whether it was."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return False
    if libc is None or not hasattr(libc, "gnu_get_libc_version"):
        return False
    threshold, trim = -3, -1  # M_MMAP_THRESHOLD, M_TRIM_THRESHOLD (malloc.h)
    largest = 32 << 20  # glibc's most for the threshold on 64-bit machines
    return bool(libc.mallopt(threshold, largest)) and bool(libc.mallopt(trim, 4 * largest))


def _decoder(job: _Job, which: int) -> Any:
    """The OCIO space plate (0) or reference (1) pixels are decoded from."""
    name = job.colorspaces[which]
    if name is None:
        return None
    key = f"space:{name}:{job.config}"
    if key not in _worker_state:
        from ..adapters.grading_space import open_space

        _worker_state[key] = open_space(name, job.config)
    return _worker_state[key]


def _read(path: str, job: _Job, which: int) -> _Image:
    """A frame's colour pixels (in the region), decoded to scene-linear."""

    from ..adapters.exr_file import open_plate

    with open_plate(Path(path), job.part) as plate:
        x0, y0, x1, y1 = plate.window()
        if job.region is not None:
            x, y, w, h = job.region
            x0, y0, x1, y1 = max(x0, x), max(y0, y), min(x1, x + w), min(y1, y + h)
        if x0 >= x1 or y0 >= y1:
            raise ValueError(f"{plate.where}: no pixel inside the region")
        box = (x0, y0, x1, y1)
        planes = plate.planes(box)
        image = _Image(plate.where, plate.display_window, box, planes)
    space = _decoder(job, which)
    if space is not None:
        image.pixels = linearised(planes, space)
    return image


def _compare(plate: _Image, reference: _Image) -> Any:
    """The offset to add to ``plate`` to match ``reference``, over the
    pixels both hold; ValueError when they cannot be compared."""
    from ..core.matching import measure_offset

    if plate.display != reference.display:
        raise ValueError(
            f"{plate.where} and {reference.where} have different display windows: "
            f"{window_text(plate.display)} and {window_text(reference.display)}"
        )
    (px0, py0, px1, py1), (rx0, ry0, rx1, ry1) = plate.box, reference.box
    x0, y0, x1, y1 = max(px0, rx0), max(py0, ry0), min(px1, rx1), min(py1, ry1)
    if x0 >= x1 or y0 >= y1:
        raise ValueError(f"{plate.where} and {reference.where} share no pixel")

    def cut(image: _Image) -> Any:
        bx, by = image.box[:2]
        rows, columns = slice(y0 - by, y1 - by), slice(x0 - bx, x1 - bx)
        if isinstance(image.pixels, list):
            return [plane[rows, columns] for plane in image.pixels]
        return image.pixels[rows, columns]

    return measure_offset(cut(plate), cut(reference))


def _problem(error: BaseException) -> str:
    from ..adapters.exr_file import ExrError
    from ..adapters.grading_space import SpaceError

    if isinstance(error, (ExrError, ValueError, SpaceError)):
        return printable(str(error))
    return f"could not be measured: {printable(repr(error))}"


def _reference(job: _Job) -> _Image:
    """The one reference image (ONE, TO_FRAME), decoded once per worker."""
    assert job.reference is not None
    if _worker_state.get("reference_path") != job.reference:
        which = 1 if job.mode is Mode.ONE else 0
        _worker_state["reference"] = _read(job.reference, job, which)
        _worker_state["reference_path"] = job.reference
    image: _Image = _worker_state["reference"]
    return image


def _measure_frame(job: _Job, frame: int) -> _Measured:
    try:
        plate = _read(job.plate.path(frame), job, 0)
        if job.reference_frames is not None:
            reference = _read(job.reference_frames.path(frame), job, 1)
        else:
            reference = _reference(job)
        found = _compare(plate, reference)
    except Exception as error:  # one frame must not stop a shot
        return _Measured(frame, error=_problem(error))
    return _Measured(frame, found.stops, found.spread, found.pixels)


def _measure_smooth(job: _Job, chunk: Tuple[int, ...]) -> List[_Measured]:
    """Each frame of ``chunk`` against the nearest frame before it (at most
    :data:`LOOK_BACK` back) that reads and has its display window."""
    decoded: Dict[int, Optional[_Image]] = {}  # None: the frame did not read
    position = {frame: i for i, frame in enumerate(job.frames)}

    def image(frame: int) -> Optional[_Image]:
        if frame not in decoded:
            try:
                decoded[frame] = _read(job.plate.path(frame), job, 0)
            except Exception:  # reported when that frame is measured itself
                decoded[frame] = None
        return decoded[frame]

    results = []
    for frame in chunk:
        try:
            current = _read(job.plate.path(frame), job, 0)
        except Exception as error:
            results.append(_Measured(frame, error=_problem(error)))
            decoded[frame] = None
            continue
        decoded[frame] = current
        start = position[frame]
        link: Link = (None, 0.0)
        spread = pixels = None
        for before in reversed(job.frames[max(0, start - LOOK_BACK) : start]):
            candidate = image(before)
            if candidate is None or candidate.display != current.display:
                continue
            try:
                found = _compare(candidate, current)  # how much brighter this frame is
            except ValueError:
                continue
            link, spread, pixels = (position[before], found.stops), found.spread, found.pixels
            break
        results.append(_Measured(frame, None, spread, pixels, link))
        for old in [f for f in decoded if position[f] < start - LOOK_BACK]:
            del decoded[old]  # memory: the frames it may still look back to
    return results


def _measure_chunk(task: Tuple[_Job, Tuple[int, ...]]) -> List[_Measured]:
    """One task's frames (run in a worker process with --jobs)."""
    job, chunk = task
    if job.mode is Mode.SMOOTH:
        return _measure_smooth(job, chunk)
    return [_measure_frame(job, frame) for frame in chunk]


def _measured(job: _Job, jobs: int) -> Iterator[_Measured]:
    """Every frame's result, in frame order, as soon as it and those before
    it are done."""
    size = SMOOTH_CHUNK if job.mode is Mode.SMOOTH and jobs > 1 else 1
    if jobs <= 1:
        size = len(job.frames) if job.mode is Mode.SMOOTH else 1
    chunks = [job.frames[i : i + size] for i in range(0, len(job.frames), size)]
    for results in in_processes(
        _measure_chunk, [(job, chunk) for chunk in chunks], jobs, keep_freed_memory
    ):
        yield from results


# -- in the main process ---------------------------------------------------------------


def _frames_on_disk(sequence: FrameSequence) -> List[int]:
    """The frames of a sequence its folder holds."""
    from ..core.shot import MAX_FRAMES

    folder = Path(sequence.before).parent if re.search(r"[\\/]", sequence.before) else Path(".")
    try:
        with os.scandir(folder) as entries:
            found = []
            for entry in entries:
                frame = sequence.frame_of(entry.name)
                if frame is not None:
                    found.append(frame)
                    if len(found) > MAX_FRAMES:
                        raise ValueError(
                            f"{printable(sequence.pattern)}: more than {MAX_FRAMES:,} frames; "
                            "give --frames"
                        )
    except OSError as error:
        raise ValueError(f"{printable(str(folder))}: cannot be listed ({error.strerror})") from None
    if not found:
        raise ValueError(f"no frames of {printable(sequence.pattern)} in {printable(str(folder))}")
    return sorted(found)


def _planned(request: ShotRequest) -> _Job:
    """The run, checked before anything is decoded; ValueError naming what
    cannot be used."""
    plate = parse_sequence(request.plate)
    reference = parse_sequence(request.reference) if request.reference else None
    deflickering = request.to_frame is not None or request.smooth is not None
    if plate is None:
        if reference is not None:
            raise ValueError(
                f"the plate {printable(request.plate)} is one file and the reference a "
                "sequence: give the plate as a sequence too (plate.%04d.exr)"
            )
        raise ValueError(
            f"{printable(request.plate)} is one file: --frames, --to-frame and --smooth are "
            "for frame sequences (plate.%04d.exr or plate.####.exr)"
        )
    if request.to_frame is not None and request.smooth is not None:
        raise ValueError("--to-frame and --smooth are two ways to deflicker: give one")
    if deflickering and request.reference is not None:
        raise ValueError("--to-frame and --smooth measure the plate against itself: no REFERENCE")
    if not deflickering and request.reference is None:
        raise ValueError(
            f"match {printable(request.plate)} needs a REFERENCE (a sequence or one image), "
            "or --to-frame F or --smooth N to deflicker it"
        )
    if request.smooth is not None:
        try:
            deflicker([], request.smooth)  # checks N
        except ValueError as error:
            raise ValueError(f"--smooth {request.smooth}: {error}") from None
    frames = parse_frames(request.frames) if request.frames is not None else _frames_on_disk(plate)
    if request.to_frame is not None:
        mode, against = Mode.TO_FRAME, plate.path(request.to_frame)
    elif request.smooth is not None:
        mode, against = Mode.SMOOTH, None
    elif reference is not None:
        mode, against = Mode.PAIRS, None
    else:
        mode, against = Mode.ONE, request.reference
    region = None if request.region is None else tuple(int(v) for v in request.region)
    job = _Job(
        mode,
        plate,
        against,
        reference,
        region,  # type: ignore[arg-type]
        request.part,
        request.colorspaces,
        request.config,
        tuple(frames),
    )
    if mode in (Mode.ONE, Mode.TO_FRAME):  # read once here: a reference that fails stops the run
        try:
            _reference(job)
        except Exception as error:
            what = f"frame {request.to_frame}" if mode is Mode.TO_FRAME else "image"
            raise ValueError(f"the reference {what}: {_problem(error)}") from None
    elif request.colorspaces != (None, None):
        from ..adapters.grading_space import SpaceError

        try:  # an unknown space stops the run here
            _decoder(job, 0), _decoder(job, 1)
        except SpaceError as error:
            raise ValueError(str(error)) from None
    return job


@dataclass
class _Row:
    """A frame as the output gives it."""

    frame: int
    stops: Optional[float]
    spread: Optional[float]
    pixels: Optional[int]
    error: Optional[str] = None
    snapped: Optional[float] = None
    step: Optional[float] = None
    against: Optional[int] = None

    def data(self, job: _Job, grid: Optional[Fraction]) -> Dict[str, Any]:
        out: Dict[str, Any] = {
            "frame": self.frame,
            "stops": self.stops,
            "spread": self.spread,
            "pixels": self.pixels,
        }
        if grid is not None:
            out["snapped"] = self.snapped
        if job.mode is Mode.SMOOTH:
            out["step"], out["against"] = self.step, self.against
        if self.error is not None:
            out["error"] = self.error
        return out


def _rows(
    job: _Job, measured: List[_Measured], grid: Optional[Fraction], window: int
) -> List[_Row]:
    if job.mode is Mode.SMOOTH:
        corrections = deflicker([m.link for m in measured], window)
    else:
        corrections = [m.stops for m in measured]
    rows = []
    for found, stops in zip(measured, corrections):
        row = _Row(found.frame, stops, found.spread, found.pixels, found.error)
        if stops is not None and grid is not None:
            row.snapped = snap(stops, grid)
        if found.link is not None and found.link[0] is not None:
            row.step, row.against = found.link[1], job.frames[found.link[0]]
        rows.append(row)
    return rows


def _table(job: _Job, rows: List[_Row], grid: Optional[Fraction]) -> str:
    from ..report import table

    headers = ["frame", "stops", "spread", "pixels"] + (["snapped"] if grid else [])
    lines = []
    measured_before = False
    for row in rows:
        if row.stops is None:
            cells = [str(row.frame), "-", "-", "-"] + (["-"] if grid else [])
            cells.append(f"no value: {row.error}")
        else:
            spread = "-" if row.spread is None else f"{row.spread:.3f}"
            pixels = "-" if row.pixels is None else pixels_text(row.pixels)
            cells = [str(row.frame), f"{row.stops:+.3f}", spread, pixels]
            if grid is not None:
                cells.append(format_stops(row.snapped or 0.0, grid))
            if job.mode is Mode.SMOOTH and row.against is None and measured_before:
                cells.append("starts a chain: no frame before it could be compared with it")
            measured_before = True
        lines.append(cells)
    width = max(len(line) for line in lines) if lines else len(headers)
    headers += [""] * (width - len(headers))
    lines = [line + [""] * (width - len(line)) for line in lines]
    return table(headers, lines)


def _output(job: _Job, rows: List[_Row], request: ShotRequest) -> str:
    form, grid = request.form, request.grid
    if form is ShotFormat.TABLE:
        return _table(job, rows, grid) + "\n"
    data = [row.data(job, grid) for row in rows]
    if form is ShotFormat.JSON:
        return json.dumps(data, indent=2, allow_nan=False) + "\n"
    if form is ShotFormat.JSONL:
        return "".join(json.dumps(d, allow_nan=False) + "\n" for d in data)
    text = io.StringIO()
    columns = list(data[0]) if data else ["frame", "stops", "spread", "pixels"]
    if "error" not in columns:
        columns.append("error")
    writer = csv.DictWriter(text, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(data)
    return text.getvalue()


def _frames_text(frames: Sequence[int], most: int = 12) -> str:
    shown = ", ".join(str(f) for f in frames[:most])
    return shown + (f" and {len(frames) - most} more" if len(frames) > most else "")


def _describe(job: _Job, request: ShotRequest) -> str:
    plate = printable(job.plate.pattern)
    if job.mode is Mode.PAIRS:
        against = f"the same frame of {printable(request.reference or '')}"
    elif job.mode is Mode.ONE:
        against = printable(request.reference or "")
    elif job.mode is Mode.TO_FRAME:
        against = f"its frame {request.to_frame}"
    else:
        against = f"the rolling median of {request.smooth} frames around it (deflicker)"
    return f"each frame of {plate} against {against}: stops to add"


# -- the .nk ---------------------------------------------------------------------------


def _node_name(job: _Job) -> str:
    stem = re.split(r"[\\/]", job.plate.before)[-1].rstrip("._-") or "plate"
    name = re.sub(r"[^A-Za-z0-9_]", "_", stem)
    return ("n" + name if name[0].isdigit() else name) + "_match"


def _nk_text(job: _Job, offsets: Dict[int, float], request: ShotRequest) -> str:
    """A pasteable Grade with stop knobs keyed at each measured frame."""
    from ..adapters.script_node import ScriptNode
    from ..nkfile.parser import parse
    from ..ops.match import plan_match_frames
    from ..ops.outcome import applied

    script = parse(f"Grade {{\n name {_node_name(job)}\n}}\n", "<match>")
    node = ScriptNode(script.nodes[0])
    outcome = applied(node, plan_match_frames(node, offsets))
    if not outcome.changed:
        raise ValueError(f"the Grade cannot carry these stops: {outcome.detail}")
    what = printable(_describe(job, request)).replace("\n", " ")
    return (
        f"# nuke-stops {_version()}: {what}\n"
        "# Paste into Nuke (or File > Import Script) below the plate.\n"
        "set cut_paste_input [stack 0]\n"
        "version 13.0 v1\n"
        "push $cut_paste_input\n" + script.to_text()
    )


def _version() -> str:
    from .. import __version__

    return __version__


def _write_nk(job: _Job, rows: List[_Row], request: ShotRequest) -> str:
    """Write --nk; the line that says what it holds."""
    from ..adapters.script_node import ScriptNode
    from ..files import safe_write
    from ..files.reading import FileError
    from ..nkfile.parser import parse
    from ..registry import STOP_KNOBS

    assert request.nk is not None
    offsets = {
        r.frame: (r.snapped if r.snapped is not None else r.stops)
        for r in rows
        if r.stops is not None
    }
    offsets = {f: v for f, v in offsets.items() if v is not None}
    if not offsets:
        raise ValueError(f"{request.nk}: not written: no frame was measured")
    text = _nk_text(job, offsets, request)

    def check(written: Path) -> None:  # the file on disk, read back as Nuke would key it
        back = parse(written.read_text(encoding="utf-8"), str(written))
        node = ScriptNode(back.nodes[0])
        for frame, stops in offsets.items():
            if abs(node.value_at(STOP_KNOBS.master, 0, frame) - stops) > 1e-9:
                raise ValueError(f"frame {frame} reads back differently")

    try:
        plan = safe_write.plan_output(request.nk, len(text), request.force)
        done = safe_write.write(plan, [text], verify=check)
    except FileError as error:
        raise ValueError(str(error)) from None
    kept = f" (the file it replaced: {done.backup.name})" if done.backup else ""
    missing = [r.frame for r in rows if r.stops is None]
    line = (
        f"wrote {printable(request.nk)}{kept}: Grade {_node_name(job)}, its stops keyed at "
        f"{len(offsets)} frame(s)"
    )
    if request.grid is not None:
        line += f", snapped to a {request.grid} stop grid"
    if missing:
        line += f"; no key at {_frames_text(missing)} (no value: Nuke interpolates there)"
    return line


# -- the run ---------------------------------------------------------------------------


def run_shot(request: ShotRequest) -> int:
    """Measure a shot frame by frame; returns the exit status (0, 1 when
    some frames have no value, 2 for bad input or a --strict stop)."""
    try:
        import numpy  # noqa: F401
        import OpenEXR  # noqa: F401

        from ..adapters import exr_file  # noqa: F401
    except ImportError:
        return fail(needs_extra("nuke-stops match", "plates"))
    try:
        job = _planned(request)
    except ValueError as error:
        return fail(str(error))
    jobs = request.jobs or os.cpu_count() or 1
    measured: List[_Measured] = []
    progress = Progress(len(job.frames), "measuring", unit="frames")
    try:
        with stop_on_signals():
            for found in _measured(job, jobs):
                if found.error is not None and request.strict:
                    progress.close()
                    return fail(f"frame {found.frame}: {found.error} (--strict)")
                measured.append(found)
                progress.show(len(measured))
    except RuntimeError as error:  # a worker that stopped answering
        progress.close()
        return fail(str(error))
    except (Stopped, KeyboardInterrupt) as stop:
        progress.close()
        if measured:
            rows = _rows(job, measured, request.grid, request.smooth or 3)
            sys.stdout.write(_output(job, rows, request))
        print(
            f"nuke-stops: stopped ({stop_name(stop)}) after {len(measured)} of "
            f"{len(job.frames)} frame(s); nothing written",
            file=sys.stderr,
        )
        return exit_status(stop)
    progress.close()
    rows = _rows(job, measured, request.grid, request.smooth or 3)
    notes = sys.stdout if request.form is ShotFormat.TABLE else sys.stderr
    if request.form is ShotFormat.TABLE:
        print(_describe(job, request))
    sys.stdout.write(_output(job, rows, request))
    missing = [r.frame for r in rows if r.stops is None]
    summary = f"{len(rows)} frame(s): {len(rows) - len(missing)} measured"
    if missing:
        summary += f", {len(missing)} without a value ({_frames_text(missing)})"
    if request.colorspaces == (None, None):
        summary += "; both taken as scene-linear (--colorspace NAME if they are not)"
    print(summary, file=notes)
    if request.nk is not None:
        try:
            print(_write_nk(job, rows, request), file=notes)
        except ValueError as error:
            print_error(str(error))
            return 2
    return 1 if missing else 0
