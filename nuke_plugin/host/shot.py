"""Exposure over a frame range inside Nuke: match a shot, deflicker a plate.

**Match exposure over frame range** (Nuke > nuke-stops > Match exposure):
the plate and the reference are chosen as for "Match selected to
reference" (:mod:`nuke_plugin.host.matching`); for each frame of the range
(the project's ``first_frame``-``last_frame`` by default, or typed as
``1001-1100``, ``1001-1100x2``, lists) each plate is measured against the
reference at that frame, as the one-frame command does at the current one.
**Deflicker over frame range** measures one node against itself: each frame
against a chosen frame (``1001``), or against the frame before it, the
flicker then taken out of the rolling median of N frames around it
(``median 5``; :func:`nuke_plugin.core.shot.deflicker`).

Measuring shows a ``nuke.ProgressTask``; cancelling it stops before
anything is written. After the artist agrees, each plate's stop master is
keyed at every measured frame (its value there plus the frame's offset:
:func:`nuke_plugin.ops.match.plan_match_frames`), through the engine, as
one undo step; a node that cannot carry stop knobs (a Read) gets a Grade
inserted below it. Frames without a value (no cell to compare) get no key
and are named.

Cost: pixels come out of Nuke by ``Node.sample``, one call per cell,
channel and image (:func:`nuke_plugin.host.matching.grid`): with the
default 48 x 27 grid, a frame of Match is 7,776 calls (two images) and of
Deflicker 3,888 (one image: the frame compared with is kept). Fewer cells
(``$NUKE_STOPS_MATCH_GRID``, for example ``24x14``: a quarter) or a
region cost proportionally less.
"""

from __future__ import annotations

import contextlib
import re
from typing import Dict, List, Optional, Sequence, Tuple

import nuke

from ..adapters.live_node import LiveNode
from ..core.matching import Offset, offset_of_samples
from ..core.notation import format_stops
from ..core.shot import Link, deflicker, parse_frames
from ..ops.match import plan_match_frames
from ..ops.outcome import Outcome
from .engine import CancelledError, Progress, in_context_group, message, report, run_planned
from .matching import (
    Samples,
    check_same_pixels,
    grid,
    parse_region,
    plates_and_reference,
    raw_reads,
    samples,
    target_for,
)

__all__ = ["deflicker_over_range", "match_over_range"]

MATCH_TITLE = "Match exposure over frame range"
DEFLICKER_TITLE = "Deflicker over frame range"


def _project_range() -> str:
    root = nuke.root()
    first, last = (root.knob(name) for name in ("first_frame", "last_frame"))
    if first is None or last is None:
        return str(int(nuke.frame()))
    return f"{int(first.value())}-{int(last.value())}"


def _ask_frames() -> Optional[List[int]]:
    """The frames to measure, asked (default: the project's range); None
    when cancelled. ValueError for text that is not a range."""
    typed = nuke.getInput(
        "Frames to measure (1001-1100, 1001-1100x2, 1001,1010-1020)", _project_range()
    )
    if typed is None:
        return None
    return parse_frames(typed, "the frame range")


def _summary(name: str, found: Dict[int, Offset], missing: Sequence[int]) -> str:
    if not found:
        return f"{name}: no frame could be measured"
    values = list(found.values())
    low, high = min(o.stops for o in values), max(o.stops for o in values)
    spreads = sorted(o.spread for o in values)
    text = (
        f"{name}: {len(found)} frame(s) measured, {format_stops(low)} to "
        f"{format_stops(high)} stops (median spread {spreads[len(spreads) // 2]:.2f})"
    )
    if missing:
        shown = ", ".join(str(f) for f in missing[:10]) + (" ..." if len(missing) > 10 else "")
        text += f"; no value at {shown}"
    return text


def _key(
    title: str, offsets: Dict[str, Dict[int, float]], plates: Sequence[nuke.Node]
) -> List[Outcome]:
    """Key each plate's stop knobs at its measured frames (one undo step)."""
    targets = [target_for(plate) for plate in plates if offsets.get(plate.fullName())]

    def plan(node: LiveNode) -> Outcome:
        if node.path in offsets:
            return plan_match_frames(node, offsets[node.path])
        plate = node.node.input(0)  # a Grade the engine made below the plate
        assert plate is not None
        return plan_match_frames(node, offsets[plate.fullName()])

    if not targets:
        return []
    with in_context_group():
        outcomes = run_planned(title, targets, plan)
    report(title, [o for o in outcomes if not o.changed])
    return outcomes


def match_over_range() -> List[Outcome]:
    """Measure the selected plates against the reference at every frame of
    a range and, when the artist agrees, key their stop knobs (one undo
    step). Cancelling the progress window leaves everything as it was."""
    chosen = plates_and_reference()
    if chosen is None:
        return []
    plates, reference = chosen
    try:
        grid()  # a bad $NUKE_STOPS_MATCH_GRID is named before anything is asked
        for plate in plates:
            check_same_pixels(plate, reference, None)
        frames = _ask_frames()
        if frames is None:
            return []
        typed = nuke.getInput(
            "Region to compare: x y width height in pixels (origin bottom left; empty: the "
            "whole frame)",
            "",
        )
        if typed is None:
            return []
        region = parse_region(typed)
        if region is not None:
            for plate in plates:
                check_same_pixels(plate, reference, region)
    except ValueError as error:
        message(f"nuke-stops: {MATCH_TITLE}: {error}")
        return []
    found: Dict[str, Dict[int, Offset]] = {p.fullName(): {} for p in plates}
    progress = Progress(MATCH_TITLE, len(frames) * len(plates), first=0)
    try:
        done = 0
        for frame in frames:
            wanted = samples(reference, region, float(frame))
            for plate in plates:
                progress.share(done / progress.total, f"frame {frame}: {plate.name()}")
                done += 1
                try:
                    measured = offset_of_samples(samples(plate, region, float(frame)), wanted)
                except ValueError:
                    continue  # no cell to compare at this frame: no key, named below
                found[plate.fullName()][frame] = measured
    except CancelledError:
        progress.close()
        message(f"nuke-stops: {MATCH_TITLE} was cancelled; nothing changed.")
        return []
    progress.close()
    lines = [
        _summary(name, offsets, [f for f in frames if f not in offsets])
        for name, offsets in found.items()
    ]
    lines.insert(0, f"Against {reference.fullName()}, frames {frames[0]}-{frames[-1]}:")
    raw = raw_reads([*plates, reference])
    if raw:
        lines.append(
            "\nWarning: raw is on in " + ", ".join(raw) + ": those pixels are not in the "
            "working space (not scene-linear), so these offsets are not in stops."
        )
    if not any(found.values()):
        message("nuke-stops: " + "\n".join(lines))
        return []
    if not nuke.ask("\n".join(lines) + "\n\nKey the plates' stop knobs at those frames?"):
        return []
    offsets = {name: {f: o.stops for f, o in by_frame.items()} for name, by_frame in found.items()}
    return _key(MATCH_TITLE, offsets, plates)


def _against(text: str) -> Tuple[Optional[int], Optional[int]]:
    """ "1001" (a frame) or "median 5" (a rolling median of 5 frames)."""
    words = text.strip().lower().split()
    if len(words) == 1 and re.fullmatch(r"-?\d+", words[0]):
        return int(words[0]), None
    if len(words) == 2 and words[0] == "median" and words[1].isdigit():
        try:
            deflicker([], int(words[1]))  # checks N: odd, 3 or more
        except ValueError as error:
            raise ValueError(f"{text.strip()!r}: {error}") from None
        return None, int(words[1])
    raise ValueError(f"{text.strip()!r}: type a frame (1001) or a rolling median (median 5)")


def deflicker_over_range() -> List[Outcome]:
    """Take the flicker out of one node over a range: against a chosen
    frame, or against the rolling median of the frames around each;
    keyed on its stop knobs (or a Grade below it) as one undo step."""
    with in_context_group():
        selected = nuke.selectedNodes()
    if len(selected) != 1:
        message(f"nuke-stops: {DEFLICKER_TITLE}: select one node ({len(selected)} selected)")
        return []
    node = selected[0]
    try:
        grid()
        frames = _ask_frames()
        if frames is None:
            return []
        typed = nuke.getInput(
            "Deflicker against: a frame (1001), or the rolling median of N frames (median 5)",
            "median 5",
        )
        if typed is None:
            return []
        to_frame, window = _against(typed)
        region_text = nuke.getInput(
            "Region to compare: x y width height in pixels (empty: the whole frame)", ""
        )
        if region_text is None:
            return []
        region = parse_region(region_text)
        if region is not None:
            check_same_pixels(node, node, region)
    except ValueError as error:
        message(f"nuke-stops: {DEFLICKER_TITLE}: {error}")
        return []
    progress = Progress(DEFLICKER_TITLE, len(frames), first=0)
    found: Dict[int, Offset] = {}
    links: List[Optional[Link]] = []
    try:
        target: Optional[Samples] = None
        if to_frame is not None:
            target = samples(node, region, float(to_frame))
        before: Optional[Tuple[int, Samples]] = None
        for done, frame in enumerate(frames):
            progress.share(done / progress.total, f"frame {frame}")
            now = samples(node, region, float(frame))
            if target is not None:
                with contextlib.suppress(ValueError):  # no cell to compare: no key
                    found[frame] = offset_of_samples(now, target)
                continue
            link: Optional[Link] = (None, 0.0)
            if before is not None:
                try:
                    step = offset_of_samples(before[1], now)  # how much brighter this frame is
                    link = (before[0], step.stops)
                    found[frame] = step
                except ValueError:
                    link = (None, 0.0)
            links.append(link)
            before = (done, now)
    except CancelledError:
        progress.close()
        message(f"nuke-stops: {DEFLICKER_TITLE} was cancelled; nothing changed.")
        return []
    progress.close()
    if window is not None:
        corrections = deflicker(links, window)
        offsets = {f: c for f, c in zip(frames, corrections) if c is not None}
        how = f"the rolling median of {window} frames"
    else:
        offsets = {f: o.stops for f, o in found.items()}
        how = f"frame {to_frame}"
    missing = [f for f in frames if f not in offsets]
    measured = {f: found.get(f, Offset(0.0, 0, 0.0)) for f in offsets}  # a chain's first: none
    shown = {f: Offset(offsets[f], o.pixels, o.spread) for f, o in measured.items()}
    text = _summary(node.fullName(), shown, missing)
    if not offsets:
        message(f"nuke-stops: {DEFLICKER_TITLE}: {text}")
        return []
    if not nuke.ask(f"Against {how}:\n{text}\n\nKey {node.fullName()}'s stop knobs?"):
        return []
    return _key(DEFLICKER_TITLE, {node.fullName(): offsets}, [node])
