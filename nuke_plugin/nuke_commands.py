"""The commands an artist runs inside Nuke: menus and hotkeys call these.

Each command is one undo step: it opens an undo group, and if anything fails
part-way it cancels the group (Nuke then undoes what the command had done),
so the script is left as it was, and the artist is told why.
"""

from __future__ import annotations

import os
import traceback
from fractions import Fraction
from typing import Callable, Iterable, List, Optional

import nuke

from .conversion import Outcome, convert_node
from .exposure_knobs import CONVERTIBLE
from .nudge import STEPS, nudge_node
from .nuke_node import LiveNode
from .stops import format_stops, parse_stops

__all__ = [
    "add_stop_knobs",
    "convert_all",
    "convert_selected",
    "nudge",
    "nudge_by_step",
    "set_step",
    "set_step_fraction",
    "step",
]

#: Above this many nodes a command shows a progress bar.
PROGRESS_FROM = 50
_ENV_STEP = "NUKE_STOPS_STEP"
_step: List[Fraction] = []


def step() -> Fraction:
    """The nudge step: set_step(), else $NUKE_STOPS_STEP (e.g. 1/3), else 1/3."""
    if not _step:
        text = os.environ.get(_ENV_STEP, "1/3")
        try:
            chosen = Fraction(parse_stops(text)).limit_denominator(12)
        except ValueError:
            chosen = Fraction(1, 3)
        _step.append(chosen if chosen in STEPS else Fraction(1, 3))
    return _step[0]


def set_step(value: Fraction) -> None:
    """Choose the nudge step: 1, 1/2, 1/3 or 1/4 stop."""
    if value not in STEPS:
        raise ValueError(f"the nudge step is one of 1, 1/2, 1/3, 1/4; got {value}")
    _step[:] = [value]
    _tell(f"nuke-stops: nudge step is now {format_stops(value, value)} stop")


def set_step_fraction(numerator: int, denominator: int) -> None:
    """Menu form of :func:`set_step` (menus pass plain numbers)."""
    set_step(Fraction(numerator, denominator))


def _tell(text: str) -> None:
    if nuke.GUI:
        nuke.message(text)
    else:
        print(text)


def _run(
    name: str, nodes: Iterable[nuke.Node], operation: Callable[[LiveNode], Outcome]
) -> List[Outcome]:
    """Run ``operation`` on each node as one undo step; all or nothing."""
    todo = list(nodes)
    progress = nuke.ProgressTask(name) if len(todo) > PROGRESS_FROM else None
    outcomes: List[Outcome] = []
    nuke.Undo.begin(name)
    try:
        for done, node in enumerate(todo):
            if progress is not None:
                if progress.isCancelled():
                    raise KeyboardInterrupt("cancelled")
                progress.setProgress(int(100 * done / len(todo)))
                progress.setMessage(node.fullName())
            outcomes.append(operation(LiveNode(node)))
    except BaseException as error:
        nuke.Undo.cancel()
        _tell(f"nuke-stops: {name} failed and changed nothing:\n{error}")
        traceback.print_exc()
        return []
    nuke.Undo.end()
    return outcomes


def _report(name: str, outcomes: List[Outcome]) -> None:
    if not outcomes:
        return
    _tell("\n".join([f"{name}:", *(f"  {outcome}" for outcome in outcomes)]))


def _exposure_nodes(nodes: Iterable[nuke.Node]) -> List[nuke.Node]:
    return [n for n in nodes if n.Class() in CONVERTIBLE]


def add_stop_knobs(knob: Optional[str] = None) -> List[Outcome]:
    """Add the Exposure tab to the selected Grade/Multiply/ColorCorrect nodes.

    The current value is converted, not reset; ``knob="white"`` drives a
    Grade's gain instead of its multiply. A second run changes nothing.
    """
    outcomes = _run(
        "Add stop knobs",
        _exposure_nodes(nuke.selectedNodes()),
        lambda node: convert_node(
            node, knob if node.node_class == "Grade" else None, include_default=True
        ),
    )
    _report("Add stop knobs", [o for o in outcomes if not o.changed])
    return outcomes


def nudge(stops: float, key_current_frame: bool = False) -> List[Outcome]:
    """Nudge the selected nodes by ``stops``; whole curves, or key this frame."""
    frame = float(nuke.frame()) if key_current_frame else None
    name = f"Nudge {format_stops(stops)} stop"
    outcomes = _run(name, nuke.selectedNodes(), lambda node: nudge_node(node, stops, frame))
    _report(name, [o for o in outcomes if o.status == "refused"])
    return outcomes


def nudge_by_step(direction: int, key_current_frame: bool = False) -> List[Outcome]:
    """Nudge up (+1) or down (-1) by the chosen step."""
    return nudge(direction * float(step()), key_current_frame)


def _convert(name: str, nodes: Iterable[nuke.Node]) -> List[Outcome]:
    outcomes = _run(name, _exposure_nodes(nodes), convert_node)
    changed = sum(o.changed for o in outcomes)
    _report(f"{name}: {changed} node(s) converted", [o for o in outcomes if o.status != "default"])
    return outcomes


def convert_selected() -> List[Outcome]:
    """Convert legacy multiply values on the selected nodes to stop knobs."""
    return _convert("Convert selected to stops", nuke.selectedNodes())


def convert_all() -> List[Outcome]:
    """Convert legacy multiply values in the whole script, groups included."""
    return _convert("Convert script to stops", nuke.allNodes(recurseGroups=True))
