"""The panel over a .nk file, without Nuke: the parsed script is the host.

Edits go to the parsed script through the same operations Nuke's commands
use; :meth:`FileSource.save` writes it back through
:mod:`nuke_plugin.files.safe_write` (atomic, locked, keeping the file as it
was as ``NAME.bak``), and refuses when the file changed since it was opened:
someone saved it meanwhile, or its path (a "latest" link) now leads to
another file. Only the edited knobs' text changes: the script reader keeps
every other byte.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "comp.nk").write_text("Grade {\\n multiply 1.5\\n name G\\n}\\n")
>>> source = FileSource(folder / "comp.nk")
>>> str(source.set_stops("G", "multiply", (1.0,)).status), source.modified
('set', True)
>>> print(source.save())
saved comp.nk (as it was: comp.nk.bak)
>>> print((folder / "comp.nk").read_text(), end="")
Grade {
 multiply {2 2 2 1.5}
 name G
}
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from fractions import Fraction
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

from ..adapters.script_file import read_script_file
from ..adapters.script_node import ScriptNode, nodes
from ..files import safe_write
from ..files.reading import ENCODING, ERRORS, FileError, fingerprint
from ..nkfile.values import word_text
from ..ops.convert import plan_conversion
from ..ops.exposure_node import ExposureNode
from ..ops.nudge import plan_nudge
from ..ops.outcome import Outcome, apply_edit
from ..ops.set_stops import plan_set_stops
from ..registry import CONVERTIBLE, EXPOSURE_CLASSES
from .source import Changed, Source

__all__ = ["FileSource"]


def _selected(node: ScriptNode) -> bool:
    text = node.node.knob_text("selected")
    return text is not None and word_text(text) == "true"


class FileSource(Source):
    """A script file, parsed; raises FileError or NkSyntaxError on opening."""

    can_save = True

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._snapshot, self.script = read_script_file(self.path)
        self._nodes: Dict[str, ScriptNode] = {
            n.path: n for n in nodes(self.script) if n.node_class in EXPOSURE_CLASSES
        }
        self._modified = False
        self._frame: Optional[float] = None  # the panel's frame field, once set

    def nodes(self, selected_only: bool) -> List[ExposureNode]:
        return [n for n in self._nodes.values() if not selected_only or _selected(n)]

    def node(self, path: str) -> Optional[ExposureNode]:
        return self._nodes.get(path)

    frame_is_settable = True

    @property
    def title(self) -> str:
        return self.path.name

    def set_frame(self, frame: float) -> None:
        self._frame = float(frame)

    def frame(self) -> float:
        """The frame set in the panel, else the Root's saved current frame,
        else its first frame, else 1 (Nuke's defaults)."""
        if self._frame is not None:
            return self._frame
        root = self.script.nodes[0] if self.script.nodes else None
        if root is not None and root.node_class == "Root":
            for knob in ("frame", "first_frame"):
                text = root.knob_text(knob)
                try:
                    return float(word_text(text or ""))
                except ValueError:
                    continue  # not written (or not a number): the next
        return 1.0

    def _run(self, paths: Sequence[str], plan: Callable[[ScriptNode], Outcome]) -> List[Outcome]:
        """Plan every node, then apply: a node that cannot be edited is
        reported and the others are edited."""
        chosen = [self._nodes[p] for p in dict.fromkeys(paths) if p in self._nodes]
        outcomes = [(node, plan(node)) for node in chosen]
        for node, outcome in outcomes:
            if outcome.edit is not None:
                apply_edit(node, outcome.edit)
                self._modified = True
        return [outcome for _, outcome in outcomes]

    def set_stops(self, path: str, knob: str, stops: Sequence[float]) -> Outcome:
        frame = self.frame()
        return self._run([path], lambda node: plan_set_stops(node, knob, stops, frame))[0]

    def nudge(self, paths: Sequence[str], step: Fraction) -> List[Outcome]:
        return self._run(paths, lambda node: plan_nudge(node, float(step)))

    def _convertible(self, paths: Sequence[str]) -> List[str]:
        return [p for p in paths if self._nodes[p].node_class in CONVERTIBLE]

    def add_stop_knobs(self, paths: Sequence[str]) -> List[Outcome]:
        convertible = self._convertible(paths)
        return self._run(convertible, lambda node: plan_conversion(node, include_default=True))

    def convert_legacy(self, paths: Sequence[str]) -> List[Outcome]:
        return self._run(self._convertible(paths), plan_conversion)

    def watch(self, changed: Changed) -> None:
        """Nothing else edits the parsed script: nothing to follow."""

    def unwatch(self) -> None:
        """Nothing was watched."""

    @property
    def modified(self) -> bool:
        return self._modified

    def save(self, path: Optional[Path] = None) -> str:
        """Write the script to its file (keeping ``.bak``) or to ``path``
        (a new file, or one replaced and kept as ``.bak``); returns what was
        done.

        Raises FileError, one line, when the file changed since it was opened
        (saved by someone else, or its path now leads to another file), or
        cannot be written there: nothing is written then, and the edits stay.
        """
        own = path is None or Path(os.path.realpath(path)) == self._snapshot.target
        try:
            if own:
                plan = safe_write.plan_in_place(self._snapshot, force_hint="")
            else:
                plan = safe_write.plan_output(str(path), force_hint="")
            written = safe_write.write(plan, self.script.chunks())
        except safe_write.ChangedError as error:
            raise FileError(
                error.path, f"not saved: {error.reason} (save to another file)"
            ) from None
        except FileError as error:
            raise FileError(error.path, f"not saved: {error.reason}") from None
        if own:
            self._remember_saved()
            self._modified = False
        name = plan.path.name
        if written.target.name != name:
            name += f" (the file it leads to, {written.target.name})"
        kept = f" (as it was: {written.backup.name})" if written.backup is not None else ""
        notes = "".join(f"; {note}" for note in written.notes)
        return f"saved {name}{kept}{notes}"

    def _remember_saved(self) -> None:
        """The file as saved is the one to compare with at the next save; if
        someone saved over it already, its digest stays ours so that save
        is refused."""
        digest = hashlib.sha256()
        for chunk in self.script.chunks():
            digest.update(chunk.encode(ENCODING, ERRORS))
        now = fingerprint(self.path)
        self._snapshot = dataclasses.replace(now, digest=digest.digest())
