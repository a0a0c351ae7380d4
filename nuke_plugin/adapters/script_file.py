"""The operations on .nk and .gizmo files, with no Nuke licence.

:class:`ScriptNode` implements :class:`~nuke_plugin.ops.exposure_node.ExposureNode`
over a parsed script, so scanning and conversion are the very code that runs
inside Nuke. Files are read as bytes and decoded so that any byte survives
(``surrogateescape``), at most :data:`MAX_SCRIPT_BYTES`; every write goes
through :mod:`nuke_plugin.files.safe_write`.

>>> script = parse("Grade {\\n multiply {2 2 2 1}\\n name Grade1\\n}\\n")
>>> [str(o.status) for o in convert_script(script)]
['converted']
>>> import re
>>> text = script.to_text().replace("+nks_channel_stops", "+...")
>>> print(re.sub(r' t "[^"]*"', "", text), end="")  # tooltips left out here
Grade {
 multiply {{pow(2,nks_stops+....r)} {pow(2,nks_stops+....g)} {pow(2,nks_stops+....b)} 1}
 name Grade1
 addUserKnob {20 nks_exposure l Exposure}
 addUserKnob {7 nks_stops l stops R -5 5}
 nks_stops 1
 addUserKnob {19 nks_channel_stops l "per channel" R -5 5}
 nks_channel_stops {0 0 0 0}
 addUserKnob {1 nks_drives l drives +INVISIBLE}
 nks_drives multiply
}
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ..files import safe_write
from ..files.reading import Snapshot, read_text
from ..files.safe_write import Written
from ..nkfile.curves import value_at
from ..nkfile.script import Node, Script, parse
from ..nkfile.values import Animation, Channel, channels, format_channels, quote_word, word_text
from ..ops.catalogue import STOP_KNOB_SPECS, expand, user_knob_line
from ..ops.convert import plan_conversion
from ..ops.exposure_node import ExposureNode
from ..ops.outcome import Outcome, applied
from ..ops.scan import Finding, scan_node
from ..registry import CONVERTIBLE, STOP_KNOBS

__all__ = [
    "MAX_SCRIPT_BYTES",
    "ScriptNode",
    "convert_script",
    "find_scripts",
    "nodes",
    "read_script",
    "read_script_file",
    "scan_script",
    "write_script",
]

SCRIPT_SUFFIXES = (".nk", ".gizmo")
#: The largest script read: far past any Nuke saves (the benchmarks read
#: 104 MB), and bounded, since reading one takes about 3.6 times its size.
MAX_SCRIPT_BYTES = 1 << 30


class ScriptNode(ExposureNode):
    """A node of a parsed script, as the operations see it."""

    def __init__(self, node: Node, cloned: bool = False) -> None:
        self.node = node
        self.cloned = cloned or node.clone_of is not None

    @property
    def path(self) -> str:
        return self.node.path

    @property
    def node_class(self) -> str:
        return self.node.node_class

    @property
    def is_cloned(self) -> bool:
        return self.cloned

    def read(self, knob: str) -> Optional[List[Channel]]:
        text = self.node.knob_text(knob)
        return None if text is None else channels(text, f"{self.path}.{knob}")

    def read_word(self, knob: str) -> Optional[str]:
        text = self.node.knob_text(knob)
        return None if text is None else word_text(text)

    def has_knob(self, name: str) -> bool:
        return self.node.knob(name) is not None or name in self.node.user_knob_names()

    def add_stop_knobs(self, master: Channel, channels: Sequence[Channel], drives: str) -> None:
        values = {
            STOP_KNOBS.master: format_channels([master]),
            STOP_KNOBS.channels: format_channels(channels),
            STOP_KNOBS.drives: quote_word(drives),
        }
        lines = []
        for spec in STOP_KNOB_SPECS:
            lines.append(("addUserKnob", user_knob_line(spec)))
            if spec.name in values:
                lines.append((spec.name, values[spec.name]))
        self.node.add_knob_lines(lines)

    def write(self, knob: str, values: Sequence[Channel]) -> None:
        self.node.set_knob_text(knob, format_channels(values))

    def value_at(self, knob: str, channel: int, frame: float) -> float:
        """Constants, and keyed curves with Nuke's interpolation
        (:mod:`nuke_plugin.nkfile.curves`); an expression raises ValueError, since
        nothing read from a script is evaluated."""
        values = expand(self.read(knob) or [1.0])
        value = values[channel]
        if not isinstance(value, Animation):
            return value
        if value.is_expression:
            raise ValueError(f"{self.path}.{knob} is an expression: not evaluated offline")
        return value_at(value, frame)


def nodes(script: Script) -> Iterator[ScriptNode]:
    """Every node that holds its own knobs, once: a clone statement shares
    its original's knobs, and an original that has clones is marked cloned."""
    originals = {id(n.clone_of) for n in script.walk() if n.clone_of is not None}
    for node in script.walk():
        if node.clone_of is None and node.node_class != "clone":
            yield ScriptNode(node, cloned=id(node) in originals)


def scan_script(script: Script) -> List[Finding]:
    """Every exposure-bearing knob in the script, groups included."""
    return [finding for node in nodes(script) for finding in scan_node(node)]


def convert_script(script: Script, knobs: Optional[Dict[str, str]] = None) -> List[Outcome]:
    """Convert every Grade/Multiply/ColorCorrect with a legacy value.

    ``knobs`` overrides the driven knob per class, e.g. ``{"Grade": "white"}``.
    Returns an outcome for every such node, converted or not.
    """
    chosen = knobs or {}
    return [
        applied(node, plan_conversion(node, chosen.get(node.node_class)))
        for node in nodes(script)
        if node.node_class in CONVERTIBLE
    ]


# --------------------------------------------------------------------------
# Files


def read_script_file(path: Path) -> Tuple[Snapshot, Script]:
    """Read and parse a file: its snapshot (to replace it safely later) and
    the script. Raises FileError or NkSyntaxError (with file, line, column)."""
    snapshot, text = read_text(Path(path), MAX_SCRIPT_BYTES)
    return snapshot, parse(text, str(path))


def read_script(path: Path) -> Script:
    """Parse a file; raises NkSyntaxError (with file, line, column) or FileError."""
    return read_script_file(path)[1]


def write_script(path: Path, script: Union[Script, str], force: bool = False) -> Written:
    """Write a script (or its text) to ``path`` as every file is written
    (:mod:`nuke_plugin.files.safe_write`): a new file, or the file there
    replaced and kept as ``NAME.bak`` (read-only ones only with ``force``).
    Raises FileError, and then nothing was written."""
    chunks = [script] if isinstance(script, str) else script.chunks()
    return safe_write.write(safe_write.plan_output(path, force=force), chunks)


def find_scripts(paths: Iterable[Path]) -> Tuple[List[Path], List[str]]:
    """Files as given, and .nk/.gizmo files under folders (sorted, recursive),
    each file once however often it is named; and the folders that could not
    be read, as one-line problems."""
    found: List[Path] = []
    problems: List[str] = []
    seen = set()

    def add(path: Path) -> None:
        try:
            info = os.stat(path)
            key: object = (info.st_dev, info.st_ino)
        except OSError:
            key = os.path.abspath(path)  # reading it will say what is wrong
        if key not in seen:
            seen.add(key)
            found.append(path)

    def unreadable(error: OSError) -> None:
        problems.append(f"{error.filename}: cannot read the folder: {error.strerror or error}")

    for path in map(Path, paths):
        if not path.is_dir():
            add(path)
            continue
        for folder, subfolders, names in os.walk(path, onerror=unreadable):
            subfolders.sort()
            for name in sorted(names):
                if name.endswith(SCRIPT_SUFFIXES):
                    add(Path(folder) / name)
    return found, problems
