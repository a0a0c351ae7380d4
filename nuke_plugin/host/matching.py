"""Match exposure inside Nuke, and hand stop knobs on as an OCIOCDLTransform.

**Match exposure** (Nuke > nuke-stops > Match exposure): "Set reference"
remembers the selected node as the reference; "Match selected to
reference" measures each selected plate node against it at the current
frame (with no reference set, select the plate, then the reference: the
node selected last, Nuke's current node, is the reference), shows
"Plate is -1 1/3 stops from Reference (spread 0.04, 1,296 cells)", and on
confirmation puts the offset on the plate's stop knobs as
one undo step (added if missing; a node that cannot carry them, a Read,
gets a Grade inserted below it that does). The plate and the reference
must have the same format, and a typed region must lie inside it: cell i
of one image is compared with cell i of the other, so they must be the
same pixels. Everything goes through the engine
(:func:`nuke_plugin.host.engine.run_planned`): a failure part-way takes
back the knobs written and the Grades made.

How pixels get out of Nuke: ``Node.sample`` with an area (dx, dy) gives a
filtered average of that area of the node's image. The region (the whole
format, or the box the artist types, in Nuke's pixel coordinates: origin at
the bottom left) is cut into a grid of :data:`GRID` cells and each cell's
average red, green and blue is sampled: 3 calls a cell and image. The
offset is the median of the cells' log2 luminance ratios
(:func:`nuke_plugin.core.matching.offset_of_samples`, standard library
only: Nuke's Python may have no numpy). Chosen over CurveTool (one mean for
the whole region: not robust to a moving object or a clipped sky) and over
rendering both inputs to a temporary EXR (every pixel, but a render, a file
and an EXR reader inside Nuke). Cells average away noise and grain, so the
spread is smaller than a per-pixel one; a clipped area that fills a cell
still reads as clipped (its value is the clip level).

**Make OCIOCDLTransform from stops**: for each selected node with stop
knobs, an OCIOCDLTransform carrying stops + channel stops at the current
frame in the CDL grading space (Nuke > nuke-stops > CDL grading space...):
its ``working_space`` knob is set to that space, and slope and offset are
what :func:`nuke_plugin.adapters.grading_space.exposure_cdl` finds there
(slope 2 ** stops in a scene-linear space, an offset in a log space such
as ACEScct); power and saturation 1. A CDL more than 0.01 stop off over
the range is made only when the artist agrees. It is made in the group the
artist last clicked, below its node and fed by it; nothing downstream is
rewired (the node already applies the exposure: inserting the CDL into the
comp would apply it twice).

The grading space is the one chosen in the menu (kept on Nuke's
preferences node), else ``$NUKE_STOPS_CDL_SPACE``, else the OCIO config's
scene_linear role; the config is ``$OCIO``, else OpenColorIO's built-in
studio config (Nuke ships PyOpenColorIO).

Match exposure compares what the nodes show in Nuke's working space: a
Read with ``raw`` on upstream of either is named in the confirmation, since
its pixels are then not scene-linear and the offset is no exposure.
"""

from __future__ import annotations

import math
import os
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

import nuke

from ..adapters.live_node import LiveNode
from ..core.cdl import Cdl
from ..core.matching import Offset, offset_of_samples
from ..core.notation import compared
from ..ops.match import plan_match
from ..ops.outcome import Edit, Outcome, Status
from ..registry import CDL_SPACE_PREFERENCE, CDL_SPACE_VARIABLE, CONVERTIBLE, STOP_KNOBS
from .engine import NewNode, in_context_group, message, report, run_planned

__all__ = [
    "GRID",
    "GRID_VARIABLE",
    "Samples",
    "check_same_pixels",
    "chosen_reference",
    "grid",
    "parse_region",
    "plates_and_reference",
    "raw_reads",
    "samples",
    "target_for",
    "cdl_space_name",
    "choose_cdl_space",
    "make_cdl_from_stops",
    "match_selected",
    "measure",
    "set_reference",
]

#: Cells across and down the compared region (16:9, 1,296 cells);
#: $NUKE_STOPS_MATCH_GRID ("24x14") sets another.
GRID = (48, 27)
GRID_VARIABLE = "NUKE_STOPS_MATCH_GRID"
#: A cell's average red, green and blue, for each cell of the grid.
Samples = List[Tuple[float, float, float]]


def grid() -> Tuple[int, int]:
    """The cells across and down: $NUKE_STOPS_MATCH_GRID, else :data:`GRID`;
    ValueError naming the variable for text that is not two whole numbers."""
    text = os.environ.get(GRID_VARIABLE, "").strip()
    if not text:
        return GRID
    match = re.fullmatch(r"(\d+)\s*[xX]\s*(\d+)", text)
    if match is None or not all(0 < int(n) <= 1000 for n in match.groups()):
        raise ValueError(f"${GRID_VARIABLE} is {text!r}: give cells across x down, e.g. 24x14")
    return int(match.group(1)), int(match.group(2))


_CHANNELS = ("rgba.red", "rgba.green", "rgba.blue")
_reference: Optional[str] = None  # the reference node's full name


def set_reference() -> Optional[str]:
    """Remember the one selected node as the reference for matching."""
    global _reference
    with in_context_group():
        chosen = nuke.selectedNodes()
    if len(chosen) != 1:
        message(f"nuke-stops: select one node as the reference ({len(chosen)} selected)")
        return None
    _reference = chosen[0].fullName()
    message(f"nuke-stops: matching to {_reference}")
    return _reference


def parse_region(text: str) -> Optional[Tuple[float, float, float, float]]:
    """x y width height, or None for the whole frame; ValueError otherwise."""
    words = text.replace(",", " ").split()
    if not words:
        return None
    try:
        numbers = [float(w) for w in words]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise ValueError(f"the region {text!r} is not four numbers: x y width height")
    if numbers[2] <= 0 or numbers[3] <= 0:
        raise ValueError(f"the region {text!r} needs a positive width and height")
    return numbers[0], numbers[1], numbers[2], numbers[3]


def samples(node: nuke.Node, region: Optional[Sequence[float]], frame: float) -> Samples:
    """Each grid cell's average red, green and blue at ``frame`` (cells read
    bottom up): 3 ``Node.sample`` calls a cell."""
    x0, y0, width, height = region or (0.0, 0.0, float(node.width()), float(node.height()))
    across, down = grid()
    columns, rows = min(across, max(1, int(width))), min(down, max(1, int(height)))
    dx, dy = width / columns, height / rows
    sample: Any = node.sample  # the stubs' overloads do not name dx, dy and frame
    cells = []
    for row in range(rows):
        for column in range(columns):
            x, y = x0 + (column + 0.5) * dx, y0 + (row + 0.5) * dy
            red, green, blue = (float(sample(c, x, y, dx, dy, frame=frame)) for c in _CHANNELS)
            cells.append((red, green, blue))
    return cells


def _format(node: nuke.Node) -> Tuple[int, int]:
    return int(node.width()), int(node.height())


def check_same_pixels(
    plate: nuke.Node, reference: nuke.Node, region: Optional[Sequence[float]]
) -> None:
    """The two images have one format, and the region lies inside it:
    otherwise cell i of one is not cell i of the other (ValueError)."""
    (pw, ph), (rw, rh) = _format(plate), _format(reference)
    if (pw, ph) != (rw, rh):
        raise ValueError(
            f"{plate.fullName()} is {pw} x {ph} and {reference.fullName()} is {rw} x {rh}: "
            "different formats, so no pixel of one is the same pixel of the other"
        )
    if region is not None:
        x, y, width, height = region
        if x < 0 or y < 0 or x + width > pw or y + height > ph:
            raise ValueError(
                f"the region x {x:g} y {y:g} width {width:g} height {height:g} is not inside "
                f"the {pw} x {ph} format"
            )


def measure(
    plate: nuke.Node, reference: nuke.Node, region: Optional[Sequence[float]] = None
) -> Offset:
    """Stops to add to ``plate`` to match ``reference`` at the current
    frame; ValueError for different formats, a region outside them, or no
    cell to compare."""
    check_same_pixels(plate, reference, region)
    frame = float(nuke.frame())
    return offset_of_samples(samples(plate, region, frame), samples(reference, region, frame))


def target_for(plate: nuke.Node) -> Any:
    """What takes the offset: the plate's own Grade/Multiply/ColorCorrect,
    or a new Grade inserted below it (a Read carries no stop knobs)."""
    if plate.Class() in CONVERTIBLE:
        return plate
    return NewNode(plate, "Grade", f"{plate.name()}_match", insert=True)


def chosen_reference(selected: Sequence[nuke.Node]) -> Optional[nuke.Node]:
    """The reference set with Set reference; else, with two nodes selected,
    the one selected last (``nuke.selectedNode()``, the "current" node)."""
    if _reference:
        return nuke.toNode(_reference)
    if len(selected) == 2:
        return nuke.selectedNode()
    return None


def plates_and_reference() -> Optional[Tuple[List[nuke.Node], nuke.Node]]:
    """The selected plates and the reference (see :func:`chosen_reference`),
    or None when one is missing (the artist is told how to choose)."""
    with in_context_group():
        selected = nuke.selectedNodes()
        reference = chosen_reference(selected)
        if reference is None:
            message(
                "nuke-stops: choose the reference: select its node and run Match exposure > "
                "Set reference, or select the plate, then the reference, and match"
            )
            return None
        plates = [n for n in selected if n.fullName() != reference.fullName()]
    if not plates:
        message("nuke-stops: select the plate nodes to match to " + reference.fullName())
        return None
    return plates, reference


def match_selected() -> List[Outcome]:
    """Measure the selected nodes against the reference and, when the artist
    agrees, put each offset on its stop knobs (one undo step)."""
    chosen = plates_and_reference()
    if chosen is None:
        return []
    plates, reference = chosen
    try:  # before asking anything: different formats cannot be compared
        for plate in plates:
            check_same_pixels(plate, reference, None)
    except ValueError as error:
        message(f"nuke-stops: Match exposure: {error}")
        return []
    text = nuke.getInput(
        "Region to compare: x y width height in pixels "
        "(origin bottom left; empty: the whole frame)",
        "",
    )
    if text is None:
        return []  # cancelled
    try:
        region = parse_region(text)
        found: Dict[str, Offset] = {p.fullName(): measure(p, reference, region) for p in plates}
    except ValueError as error:
        message(f"nuke-stops: Match exposure: {error}")
        return []
    lines = [
        f"{compared(name, reference.fullName(), o.stops)} "
        f"(spread {o.spread:.2f}, {o.pixels:,} cells)"
        for name, o in found.items()
    ]
    raw = raw_reads([*plates, reference])
    if raw:
        lines.append(
            "\nWarning: raw is on in " + ", ".join(raw) + ": those pixels are not in the "
            "working space (not scene-linear), so this offset is not in stops."
        )
    if not nuke.ask("\n".join(lines) + "\n\nPut the offsets on the plates' stop knobs?"):
        return []
    targets = [target_for(plate) for plate in plates]

    def plan(node: LiveNode) -> Outcome:
        # A plate's own node, or the Grade made below it (fed by the plate).
        if node.path in found:
            return plan_match(node, found[node.path].stops)
        plate = node.node.input(0)
        assert plate is not None  # the engine connects a node it makes before planning
        return plan_match(node, found[plate.fullName()].stops)

    with in_context_group():
        outcomes = run_planned("Match exposure", targets, plan)
    report("Match exposure", [o for o in outcomes if not o.changed])
    return outcomes


#: Nodes looked at upstream of a compared node, at most (a comp's whole tree).
_UPSTREAM = 10_000


def raw_reads(nodes: Sequence[nuke.Node]) -> List[str]:
    """The Reads with ``raw`` on that feed any of ``nodes`` (or are one)."""
    seen: Dict[int, nuke.Node] = {}
    todo = list(nodes)
    while todo and len(seen) < _UPSTREAM:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        todo.extend(n for n in (node.input(i) for i in range(node.inputs())) if n is not None)
    found = []
    for node in seen.values():
        raw = node.knob("raw") if node.Class() == "Read" else None
        if raw is not None and bool(raw.value()):
            found.append(node.fullName())
    return sorted(found)


def cdl_space_name() -> Optional[str]:
    """The CDL grading space chosen: the preference, else the environment
    variable, else None (the config's scene_linear role)."""
    preferences = nuke.toNode("preferences")
    knob = preferences.knob(CDL_SPACE_PREFERENCE) if preferences is not None else None
    chosen = str(knob.value()).strip() if knob is not None else ""
    return chosen or os.environ.get(CDL_SPACE_VARIABLE, "").strip() or None


def choose_cdl_space() -> Optional[str]:
    """Ask for the CDL grading space, check it with OpenColorIO and keep it
    on Nuke's preferences node; returns the space's name."""
    from ..adapters.grading_space import SpaceError, open_space

    typed = nuke.getInput(
        "CDL grading space: an OCIO colour space such as ACEScct "
        "(empty: the config's scene_linear role)",
        cdl_space_name() or "",
    )
    if typed is None:
        return None  # cancelled
    try:
        space = open_space(typed.strip() or None)
    except SpaceError as error:
        message(f"nuke-stops: {error}")
        return None
    preferences = nuke.toNode("preferences")
    if preferences is None:
        message("nuke-stops: Nuke has no preferences node: the space is not kept")
        return space.name
    knob = preferences.knob(CDL_SPACE_PREFERENCE)
    if knob is None:
        knob = nuke.String_Knob(CDL_SPACE_PREFERENCE, "nuke-stops CDL grading space")
        preferences.addKnob(knob)
    knob.setValue(space.name if typed.strip() else "")
    message(f"nuke-stops: OCIOCDLTransforms will be made for {space.describe()}")
    return space.name


def _cdl_edit(cdl: Cdl) -> Edit:
    """The OCIOCDLTransform's knobs for an exposure: slope and offset,
    power and saturation neutral."""
    return Edit(
        writes=(
            ("slope", tuple(cdl.slope)),
            ("offset", tuple(cdl.offset)),
            ("power", (1.0, 1.0, 1.0)),
            ("saturation", (1.0,)),
        )
    )


def make_cdl_from_stops() -> List[Outcome]:
    """An OCIOCDLTransform for each selected node with stop knobs, below
    it and fed by it, carrying its exposure in the CDL grading space (one
    undo step)."""
    from ..adapters.grading_space import TOLERANCE, SpaceError, exposure_cdl, open_space

    try:
        space = open_space(cdl_space_name())
    except SpaceError as error:
        message(f"nuke-stops: Make OCIOCDLTransform from stops: {error}")
        return []
    with in_context_group():
        chosen = nuke.selectedNodes()
        frame = float(nuke.frame())
        refused: List[str] = []
        fits: Dict[str, Any] = {}
        targets = []
        for node in chosen:
            master = node.knob(STOP_KNOBS.master)
            offsets = node.knob(STOP_KNOBS.channels)
            if not isinstance(master, nuke.Array_Knob) or not isinstance(offsets, nuke.Array_Knob):
                refused.append(f"{node.fullName()} (no stop knobs: add them first)")
                continue
            stops = [
                float(master.getValueAt(frame, 0)) + float(offsets.getValueAt(frame, i))
                for i in range(3)
            ]
            try:
                fit = exposure_cdl(space, stops)
            except ValueError as error:
                refused.append(f"{node.fullName()} ({error})")
                continue
            if fit.worst_error > TOLERANCE and not nuke.ask(
                f"{space.name} cannot carry {node.fullName()}'s exposure as a CDL closer than "
                f"{fit.worst_error:.3f} stop (over linear {fit.range[0]:.3g} to "
                f"{fit.range[1]:.3g}; tolerance {TOLERANCE}). Make it anyway?"
            ):
                refused.append(
                    f"{node.fullName()} ({fit.worst_error:.3f} stop off in {space.name})"
                )
                continue
            fits[node.fullName()] = fit
            targets.append(
                NewNode(
                    node,
                    "OCIOCDLTransform",
                    f"{node.name()}_CDL",
                    insert=False,
                    choices=(("working_space", space.name),),
                )
            )

        def plan(made: LiveNode) -> Outcome:
            source = made.node.input(0)
            assert source is not None  # the engine connects it before planning
            fit = fits[source.fullName()]
            how = "exact" if fit.exact else f"{fit.worst_error:.3f} stop off"
            detail = (
                f"from {source.fullName()}'s stops, in {space.name}: slope "
                + " ".join(f"{s:.6g}" for s in fit.cdl.slope)
                + ", offset "
                + " ".join(f"{o:.6g}" for o in fit.cdl.offset)
                + f" ({how} over linear {fit.range[0]:.3g} to {fit.range[1]:.3g})"
            )
            return Outcome.of(made, "slope", Status.SET, detail, edit=_cdl_edit(fit.cdl))

        outcomes = run_planned("Make OCIOCDLTransform from stops", targets, plan) if targets else []
    if refused:
        message("nuke-stops: no OCIOCDLTransform for:\n  " + "\n  ".join(refused))
    return outcomes
