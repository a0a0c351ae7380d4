"""The commands an artist runs inside Nuke: menus and hotkeys call these.

Every command works in the group view the artist last clicked into
(``nuke.lastHitGroup()``; the root where that is not available), and runs
in two passes: it reads and plans every target node first, reporting the
ones it leaves alone (expressions, zero or negative values, clones,
unreadable values), then writes the rest inside one undo group. If a write
fails or the artist cancels part-way, the command restores every node it
had changed, explicitly and newest first (it does not rely on
``Undo.cancel()``, whose effect inside the undo group Nuke opens around a
menu command is not documented), and says so; it says "nothing changed"
only when the restore succeeded.
"""

from __future__ import annotations

import os
import traceback
from contextlib import contextmanager
from fractions import Fraction
from typing import Callable, Iterator, List, Optional, Sequence

import nuke

from ..adapters.live_node import LiveNode
from ..core.notation import format_stops, parse_stops
from ..ops.catalogue import CONVERTIBLE
from ..ops.convert import plan_conversion
from ..ops.node import Outcome, Status, apply_edit
from ..ops.nudge import NUDGE_STEPS, plan_nudge
from ..ops.set_stops import plan_set_stops
from ..report import outcome_text
from . import CHECKOUT, events
from .sync import paused

__all__ = [
    "CancelledError",
    "about",
    "add_stop_knobs",
    "convert_all",
    "convert_nodes",
    "convert_selected",
    "create_exposure_stops",
    "nudge",
    "nudge_by_step",
    "nudge_step",
    "report",
    "run_planned",
    "set_nudge_step",
    "set_nudge_step_fraction",
    "set_stops",
    "tell",
]

#: Above this many nodes a command shows a progress bar.
PROGRESS_FROM = 50
#: The ExposureStops node as a Group whose internals are saved in the script.
EXPOSURE_STOPS_TOOLSET = CHECKOUT / "gizmos" / "ExposureStops.nk"
_ENV_STEP = "NUKE_STOPS_STEP"
_chosen_nudge_step: Optional[Fraction] = None  # set from the menu


class CancelledError(Exception):
    """The artist cancelled a command from its progress window."""


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
    tell(f"nuke-stops: nudge step is now {format_stops(value, value)} stop")


def set_nudge_step_fraction(numerator: int, denominator: int) -> None:
    """Menu form of :func:`set_nudge_step` (menus pass plain numbers)."""
    set_nudge_step(Fraction(numerator, denominator))


def tell(text: str) -> None:
    """A message to the artist (printed in terminal mode)."""
    if nuke.GUI:
        nuke.message(text)
    else:
        print(text)


@contextmanager
def in_context_group() -> Iterator[nuke.Group]:
    """The group view the artist last clicked into, as the current group.

    ``nuke.lastHitGroup`` is documented from Nuke 13; without it the root.
    """
    last_hit = getattr(nuke, "lastHitGroup", None)
    group = last_hit() if callable(last_hit) else nuke.root()
    with group:
        yield group


class _Progress:
    """Nuke's progress window for long commands; closed before any message."""

    def __init__(self, name: str, total: int) -> None:
        self.task = nuke.ProgressTask(name) if total > PROGRESS_FROM else None
        self.total = max(total, 1)

    def at(self, done: int, half: int, label: str) -> None:
        if self.task is None:
            return
        if self.task.isCancelled():
            raise CancelledError()
        self.task.setProgress(min(100, (50 * half + 50 * done // self.total)))
        self.task.setMessage(label)

    def close(self) -> None:
        self.task = None  # Nuke closes the window when the task is gone


def run_planned(
    name: str, nodes: Sequence[nuke.Node], plan: Callable[[LiveNode], Outcome]
) -> List[Outcome]:
    """Plan every node, then apply every edit as one undo step; all or nothing."""
    live = [LiveNode(node) for node in nodes]
    progress = _Progress(name, len(live))
    outcomes: List[Outcome] = []
    try:
        for done, node in enumerate(live):
            progress.at(done, 0, node.path)
            outcomes.append(plan(node))
    except CancelledError:
        progress.close()
        tell(f"nuke-stops: {name} was cancelled; nothing changed.")
        return []
    except Exception as error:
        progress.close()
        traceback.print_exc()
        tell(f"nuke-stops: {name} could not read {node.path}; nothing changed:\n{error}")
        return []
    if not any(outcome.changed for outcome in outcomes):
        progress.close()
        return outcomes  # nothing to write: no empty step in the undo history
    failure = _apply(name, live, outcomes, progress)
    progress.close()
    if failure:
        tell(failure)
        return []
    events.tell([o.path for o in outcomes if o.changed])
    return outcomes


def _apply(
    name: str, live: List[LiveNode], outcomes: List[Outcome], progress: _Progress
) -> Optional[str]:
    """Write the planned edits in one undo group; a message when it failed."""
    nuke.Undo.begin(name)
    try:
        with paused():
            for done, (node, outcome) in enumerate(zip(live, outcomes)):
                progress.at(done, 1, node.path)
                if outcome.edit is not None:
                    apply_edit(node, outcome.edit)
    except (CancelledError, Exception) as error:
        if not isinstance(error, CancelledError):
            traceback.print_exc()
        with paused():
            failed = [problem for node in reversed(live) for problem in node.revert()]
        what = "was cancelled" if isinstance(error, CancelledError) else f"failed: {error}"
        if failed:
            return (
                f"nuke-stops: {name} {what}\nSome changes could not be taken back "
                "(use Edit > Undo):\n" + "\n".join(failed)
            )
        return f"nuke-stops: {name} {what}\nEverything it had changed was restored."
    finally:
        nuke.Undo.end()
    return None


def report(title: str, outcomes: List[Outcome]) -> None:
    """Tell the artist about these outcomes (nothing when there are none)."""
    if outcomes:
        tell("\n".join([f"{title}:", *(f"  {outcome_text(outcome)}" for outcome in outcomes)]))


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

    It is pasted as a Group from ``gizmos/ExposureStops.nk``, so the script
    keeps its internals and renders on machines without this package (a
    gizmo would need gizmos/ExposureStops.gizmo on every render node).
    """
    if not EXPOSURE_STOPS_TOOLSET.is_file():
        tell(f"nuke-stops: the ExposureStops node is missing: {EXPOSURE_STOPS_TOOLSET}")
        return None
    with in_context_group():
        return nuke.nodePaste(str(EXPOSURE_STOPS_TOOLSET))


def about() -> None:
    """Nuke > nuke-stops > Help > About: the version and where it runs from."""
    from .. import __version__

    tell(f"nuke-stops {__version__}\n{CHECKOUT}")
