"""How every Nuke command changes the script: plan, then apply, all or nothing.

:func:`run_planned` is the one engine. It takes the command's targets and a
planner (an operation of :mod:`nuke_plugin.ops`), and:

1. **plans** every existing target, reading only: each gets an
   :class:`~nuke_plugin.ops.outcome.Outcome` (the edit to write, or why it is
   left alone); a target that cannot be read stops the command before
   anything is written;
2. **applies** the edits inside one undo group: knob writes through
   :class:`~nuke_plugin.adapters.live_node.LiveNode`, each confirmed and
   journalled, and the nodes a command makes (:class:`NewNode`: a Grade
   below a Read for Match exposure, an OCIOCDLTransform below a graded
   node), journalled too: the node made, each input rewired to it, the
   selection it changed. A node made is planned as soon as it is made,
   before anything is written to it, so the studio's knob defaults are
   read as they are;
3. if a write fails or the artist cancels part-way, **reverts** everything
   explicitly, newest first: knob writes restored, rewired inputs put back,
   the nodes made deleted, the selection as it was; then the undo group is
   cancelled, so no empty step is left in the history (the restore never
   relies on that cancel: what it does nested in the group Nuke opens
   around a menu command is not documented). It says everything was
   restored only when it was, and points to Edit > Undo otherwise (the
   step is then kept).

Nothing else in the package writes to a live script.
"""

from __future__ import annotations

import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, List, Optional, Sequence, Tuple, Union

import nuke

from ..adapters.live_node import LiveNode
from ..ops.outcome import Outcome, apply_edit
from ..report import outcome_text
from . import events
from .sync import paused

__all__ = [
    "PROGRESS_FROM",
    "CancelledError",
    "NewNode",
    "in_context_group",
    "message",
    "report",
    "run_planned",
]

#: Above this many targets a command shows a progress bar.
PROGRESS_FROM = 50
#: How far below its source a node the command makes is placed, in pixels.
_BELOW = 24

Planner = Callable[[LiveNode], Outcome]


class CancelledError(Exception):
    """The artist cancelled a command from its progress window."""


@dataclass(frozen=True)
class NewNode:
    """A node a command makes: ``node_class`` fed by ``source`` (its input 0),
    placed below it and named ``name`` (made unique by Nuke). With
    ``insert`` it goes into the pipe: every input that read ``source`` then
    reads the new node (a correction below a Read); without, it hangs off
    ``source`` and nothing downstream changes. ``choices`` are set on the
    new node before anything is planned (a colour space by name): they need
    no journal, since taking the node back deletes it."""

    source: nuke.Node
    node_class: str
    name: str
    insert: bool
    choices: Tuple[Tuple[str, str], ...] = ()


Target = Union[nuke.Node, NewNode]


def message(text: str) -> None:
    """A message to the artist (printed in terminal mode)."""
    if nuke.GUI:
        nuke.message(text)
    else:
        print(text)


def report(title: str, outcomes: Sequence[Outcome]) -> None:
    """Tell the artist about these outcomes (nothing when there are none)."""
    if outcomes:
        message("\n".join([f"{title}:", *(f"  {outcome_text(outcome)}" for outcome in outcomes)]))


@contextmanager
def in_context_group() -> Iterator[nuke.Group]:
    """The group view the artist last clicked into, as the current group.

    ``nuke.lastHitGroup`` is documented from Nuke 13; without it the root.
    """
    last_hit = getattr(nuke, "lastHitGroup", None)
    group = last_hit() if callable(last_hit) else nuke.root()
    with group:
        yield group


class Progress:
    """Nuke's progress window for long commands (more than ``first`` steps);
    closed before any message. Raises CancelledError when the artist
    cancels it."""

    def __init__(self, name: str, total: int, first: int = PROGRESS_FROM) -> None:
        self.task = nuke.ProgressTask(name) if total > first else None
        self.total = max(total, 1)

    def share(self, done: float, label: str) -> None:
        """``done`` of the whole (0 to 1) is done; ``label`` says what is next."""
        if self.task is None:
            return
        if self.task.isCancelled():
            raise CancelledError()
        self.task.setProgress(min(100, int(100 * done)))
        self.task.setMessage(label)

    def at(self, done: int, half: int, label: str) -> None:
        """Planning (half 0) or writing (half 1) target ``done`` of ``total``."""
        self.share((half + done / self.total) / 2, label)

    def close(self) -> None:
        self.task = None  # Nuke closes the window when the task is gone


class _Journal:
    """What one command changed beyond knobs: the nodes it made, the inputs
    it rewired, the selection; and every node it wrote knobs to."""

    def __init__(self) -> None:
        self.written: List[LiveNode] = []
        self.made: List[nuke.Node] = []
        self.rewired: List[Tuple[nuke.Node, int, nuke.Node]] = []  # reader, input, was
        self.selection: Optional[List[nuke.Node]] = None

    def make(self, new: NewNode) -> nuke.Node:
        source = new.source
        readers = [
            (reader, index)
            for reader in source.dependent(nuke.INPUTS, forceEvaluate=False)
            for index in range(reader.inputs())
            if reader.input(index) is source
        ]
        if self.selection is None:
            self.selection = list(nuke.selectedNodes())
        for node in nuke.selectedNodes():
            node.setSelected(False)  # so that createNode hooks nothing up itself
        made = nuke.createNode(new.node_class, inpanel=False)  # the studio's knob defaults
        self.made.append(made)
        made.setName(new.name)
        if not made.setInput(0, source):
            raise RuntimeError(f"Nuke did not connect {made.name()} to {source.fullName()}")
        made.setXYpos(source.xpos(), source.ypos() + source.screenHeight() + _BELOW)
        for knob_name, choice in new.choices:
            knob = made.knob(knob_name)
            if knob is None:
                raise RuntimeError(f"{made.name()} has no {knob_name} knob")
            knob.setValue(choice)
            if knob.value() != choice:
                raise RuntimeError(f"{made.name()}.{knob_name} did not take {choice!r}")
        if new.insert:
            for reader, index in readers:
                self.rewired.append((reader, index, source))
                if not reader.setInput(index, made):
                    raise RuntimeError(f"Nuke did not connect {reader.fullName()} to {made.name()}")
        return made

    def revert(self) -> List[str]:
        """Take everything back, newest first; what could not be."""
        failed = [problem for node in reversed(self.written) for problem in node.revert()]
        for reader, index, was in reversed(self.rewired):
            if not reader.setInput(index, was):
                failed.append(f"{reader.fullName()}: input {index} not reconnected to {was.name()}")
        for made in reversed(self.made):
            try:
                nuke.delete(made)
            except Exception as error:  # go on: take back as much as possible
                failed.append(f"{made.name()}: not deleted: {error}")
        if self.selection is not None:
            for node in nuke.selectedNodes():
                node.setSelected(False)
            for node in self.selection:
                node.setSelected(True)
        return failed


def run_planned(name: str, targets: Sequence[Target], plan: Planner) -> List[Outcome]:
    """Plan every target, then apply every edit as one undo step; all or
    nothing. Returns the outcomes (empty when nothing was written because
    the command failed or was cancelled: the artist was told)."""
    existing = [LiveNode(t) for t in targets if not isinstance(t, NewNode)]
    progress = Progress(name, len(targets))
    planned: List[Outcome] = []
    try:
        for done, node in enumerate(existing):
            progress.at(done, 0, node.path)
            planned.append(plan(node))
    except CancelledError:
        progress.close()
        message(f"nuke-stops: {name} was cancelled; nothing changed.")
        return []
    except Exception as error:
        progress.close()
        traceback.print_exc()
        message(f"nuke-stops: {name} could not read {node.path}; nothing changed:\n{error}")
        return []
    creates = any(isinstance(t, NewNode) for t in targets)
    if not creates and not any(outcome.changed for outcome in planned):
        progress.close()
        return planned  # nothing to write: no empty step in the undo history
    outcomes, failure = _apply(name, targets, iter(zip(existing, planned)), plan, progress)
    progress.close()
    if failure:
        message(failure)
        return []
    events.changed([o.path for o in outcomes if o.changed])
    return outcomes


def _apply(
    name: str,
    targets: Sequence[Target],
    planned: Iterator[Tuple[LiveNode, Outcome]],
    plan: Planner,
    progress: Progress,
) -> Tuple[List[Outcome], Optional[str]]:
    """Write the edits in one undo group; the outcomes, and a message when
    it failed (then everything was taken back)."""
    journal = _Journal()
    outcomes: List[Outcome] = []
    nuke.Undo.begin(name)
    try:
        with paused():
            for done, target in enumerate(targets):
                if isinstance(target, NewNode):
                    progress.at(done, 1, target.source.fullName())
                    node = LiveNode(journal.make(target))
                    outcome = plan(node)
                    if not outcome.changed:
                        raise RuntimeError(f"{node.path}, just made: {outcome_text(outcome)}")
                else:
                    node, outcome = next(planned)
                    progress.at(done, 1, node.path)
                journal.written.append(node)
                if outcome.edit is not None:
                    apply_edit(node, outcome.edit)
                outcomes.append(outcome)
    except (CancelledError, Exception) as error:
        if not isinstance(error, CancelledError):
            traceback.print_exc()
        with paused():
            failed = journal.revert()
        what = "was cancelled" if isinstance(error, CancelledError) else f"failed: {error}"
        if failed:  # the step stays, so that Edit > Undo can take back the rest
            nuke.Undo.end()
            return [], (
                f"nuke-stops: {name} {what}\nSome changes could not be taken back "
                "(use Edit > Undo):\n" + "\n".join(failed)
            )
        # Everything was taken back explicitly; cancelling leaves no empty step
        # (what a nested cancel undoes is not documented: there is nothing left).
        nuke.Undo.cancel()
        return [], f"nuke-stops: {name} {what}\nEverything it had changed was restored."
    nuke.Undo.end()
    return outcomes, None
