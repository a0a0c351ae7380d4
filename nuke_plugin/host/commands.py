"""The commands an artist runs inside Nuke: menus and hotkeys call these.

Every command works in the group view the artist last clicked into
(``nuke.lastHitGroup()``; the root where that is not available) and changes
the script through the one engine, :func:`nuke_plugin.host.engine.run_planned`:
every target node is read and planned first, the ones left alone are
reported (expressions, zero or negative values, clones, unreadable values),
and the rest is written as one undo step, all or nothing.
"""

from __future__ import annotations

import os
from fractions import Fraction
from typing import List, Optional, Sequence

import nuke

from ..core.notation import format_stops, parse_stops
from ..install import PACKAGE, exposure_stops_group
from ..ops.convert import plan_conversion
from ..ops.nudge import NUDGE_STEPS, plan_nudge
from ..ops.outcome import Outcome, Status
from ..ops.set_stops import plan_set_stops
from ..registry import CONVERTIBLE
from .engine import in_context_group, message, report, run_planned

__all__ = [
    "about",
    "add_stop_knobs",
    "convert_all",
    "convert_nodes",
    "convert_selected",
    "create_exposure_stops",
    "nudge",
    "nudge_by_step",
    "nudge_step",
    "set_nudge_step",
    "set_nudge_step_fraction",
    "set_stops",
]

_ENV_STEP = "NUKE_STOPS_STEP"
_chosen_nudge_step: Optional[Fraction] = None  # set from the menu


def nudge_step() -> Fraction:
    """The nudge step: set_nudge_step(), else $NUKE_STOPS_STEP (e.g. 1/3), else 1/3."""
    if _chosen_nudge_step is not None:
        return _chosen_nudge_step
    try:
        chosen = Fraction(parse_stops(os.environ.get(_ENV_STEP, "1/3"))).limit_denominator(12)
    except ValueError:
        chosen = Fraction(1, 3)
    return chosen if chosen in NUDGE_STEPS else Fraction(1, 3)


def set_nudge_step(value: Fraction) -> None:
    """Choose the nudge step: 1, 1/2, 1/3 or 1/4 stop."""
    global _chosen_nudge_step
    if value not in NUDGE_STEPS:
        raise ValueError(f"the nudge step is one of 1, 1/2, 1/3, 1/4; got {value}")
    _chosen_nudge_step = value
    message(f"nuke-stops: nudge step is now {format_stops(value, value)} stop")


def set_nudge_step_fraction(numerator: int, denominator: int) -> None:
    """Menu form of :func:`set_nudge_step` (menus pass plain numbers)."""
    set_nudge_step(Fraction(numerator, denominator))


def _selected() -> List[nuke.Node]:
    return list(nuke.selectedNodes())


def _exposure_nodes(nodes: Sequence[nuke.Node]) -> List[nuke.Node]:
    return [n for n in nodes if n.Class() in CONVERTIBLE]


def add_stop_knobs(
    knob: Optional[str] = None, nodes: Optional[Sequence[nuke.Node]] = None
) -> List[Outcome]:
    """Add the Exposure tab to the selected Grade/Multiply/ColorCorrect nodes
    (or to ``nodes``: the panel's highlighted rows).

    The current value is converted, not reset; ``knob="white"`` drives a
    Grade's gain instead of its multiply. A second run changes nothing.
    """
    name = "Add stop knobs"
    with in_context_group():
        outcomes = run_planned(
            name,
            _exposure_nodes(_selected() if nodes is None else nodes),
            lambda node: plan_conversion(
                node, knob if node.node_class == "Grade" else None, include_default=True
            ),
        )
    report(name, [o for o in outcomes if not o.changed])
    return outcomes


def nudge(
    stops: float, key_current_frame: bool = False, nodes: Optional[Sequence[nuke.Node]] = None
) -> List[Outcome]:
    """Nudge the selected nodes (or ``nodes``) by ``stops``; whole curves,
    or key this frame."""
    frame = float(nuke.frame()) if key_current_frame else None
    name = f"Nudge {format_stops(stops)} stop"
    with in_context_group():
        chosen = _selected() if nodes is None else nodes
        outcomes = run_planned(name, chosen, lambda node: plan_nudge(node, stops, frame))
    report(name, [o for o in outcomes if o.status in (Status.REFUSED, Status.CLONED)])
    return outcomes


def nudge_by_step(direction: int, key_current_frame: bool = False) -> List[Outcome]:
    """Nudge up (+1) or down (-1) by the chosen step."""
    return nudge(direction * float(nudge_step()), key_current_frame)


def _convert(name: str, nodes: Sequence[nuke.Node]) -> List[Outcome]:
    outcomes = run_planned(name, _exposure_nodes(nodes), plan_conversion)
    changed = sum(o.changed for o in outcomes)
    report(
        f"{name}: {changed} node(s) converted",
        [o for o in outcomes if o.status is not Status.DEFAULT],
    )
    return outcomes


def convert_nodes(nodes: Sequence[nuke.Node]) -> List[Outcome]:
    """Convert legacy multiply values on these nodes (the panel's rows)."""
    return _convert("Convert legacy multiply", nodes)


def set_stops(node: nuke.Node, knob: str, stops: Sequence[float]) -> Outcome:
    """Set one knob's exposure to ``stops`` (one value, or r g b) as one
    undo step; an animated knob is keyed at the current frame. The outcome
    says why when nothing was written; nothing is shown to the artist
    (the panel shows it in the row)."""
    frame = float(nuke.frame())
    name = f"Set {knob} to {' '.join(format_stops(s) for s in stops)} stop"
    outcomes = run_planned(name, [node], lambda live: plan_set_stops(live, knob, stops, frame))
    if not outcomes:  # the write failed or was cancelled, and the artist was told
        return Outcome(node.fullName(), node.Class(), knob, Status.REFUSED, "not written")
    return outcomes[0]


def convert_selected() -> List[Outcome]:
    """Convert legacy multiply values on the selected nodes to stop knobs."""
    with in_context_group():
        return _convert("Convert selected to stops", _selected())


def convert_all() -> List[Outcome]:
    """Convert legacy multiply values in the whole script, groups included."""
    return _convert("Convert script to stops", nuke.allNodes(group=nuke.root(), recurseGroups=True))


def create_exposure_stops() -> Optional[nuke.Node]:
    """Make an ExposureStops node in the group the artist works in.

    It is pasted as a Group from the package's ``ExposureStops.nk``, so the
    script keeps its internals and renders on machines without this package
    (a gizmo would need ExposureStops.gizmo on every render node).
    """
    toolset = exposure_stops_group()
    if toolset is None:
        message(f"nuke-stops: the ExposureStops node is missing from {PACKAGE}")
        return None
    with in_context_group():
        return nuke.nodePaste(str(toolset))


def about() -> None:
    """Nuke > nuke-stops > Help > About: the version and where it runs from."""
    from .. import __version__

    message(f"nuke-stops {__version__}\n{PACKAGE}")
