"""A shot as frames: sequence paths, frame ranges, and deflicker (standard library).

- :func:`parse_sequence` reads a path in the notations Nuke uses for a
  frame sequence, ``plate.%04d.exr`` or ``plate.####.exr`` (``%d``: no
  padding; the number of ``#`` is the padding);
- :func:`parse_frames` reads a frame range as Nuke's frame-range fields
  take it: ``1001-1100``, ``1001-1100x2`` (every 2nd), single frames, and
  lists of those (``1001,1005,1010-1020``, commas or spaces);
- :func:`deflicker` turns the exposure steps between neighbouring frames
  into the stops that take a shot's flicker out and keep its trend.

>>> plate = parse_sequence("shots/plate.####.exr")
>>> plate.path(1001), plate.path(-5)
('shots/plate.1001.exr', 'shots/plate.-005.exr')
>>> parse_frames("1001-1007x3, 1010")
[1001, 1004, 1007, 1010]
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Set, Tuple

__all__ = ["MAX_FRAMES", "FrameSequence", "Link", "deflicker", "parse_frames", "parse_sequence"]

#: The most frames one run takes (a show's longest shot is a few thousand).
MAX_FRAMES = 100_000
_PRINTF = re.compile(r"%(0?)(\d*)d")
_HASHES = re.compile(r"#+")
_RANGE = re.compile(r"^(-?\d+)(?:-(-?\d+)(?:x(\d+))?)?$")


@dataclass(frozen=True)
class FrameSequence:
    """A frame sequence's path pattern: the text before and after the frame
    number, and the number's padding (0: none)."""

    pattern: str
    before: str
    after: str
    padding: int

    def path(self, frame: int) -> str:
        """The file of one frame (a negative frame is padded as C's printf
        does: ``-005`` for ``%04d``)."""
        return f"{self.before}{frame:0{self.padding}d}{self.after}"

    def frame_of(self, name: str) -> Optional[int]:
        """The frame number of a file name of this sequence (its last path
        part), or None when it is not one."""
        before, after = _base(self.before), self.after
        if not (name.startswith(before) and name.endswith(after)):
            return None
        digits = name[len(before) : len(name) - len(after)]
        if not re.fullmatch(r"-?\d+", digits) or len(digits) < self.padding:
            return None
        frame = int(digits)
        return frame if self.path(frame).endswith(name) else None


def _base(text: str) -> str:
    return re.split(r"[\\/]", text)[-1]


def parse_sequence(path: str) -> Optional[FrameSequence]:
    """The frame sequence a path names, or None for a single file; ValueError
    for a path with two frame numbers, or a frame number in a folder name.

    >>> parse_sequence("plate.%04d.exr").path(7)
    'plate.0007.exr'
    >>> parse_sequence("plate.exr") is None
    True
    """
    found = [(m.start(), m.end(), int(m.group(2) or 0)) for m in _PRINTF.finditer(path)]
    found += [(m.start(), m.end(), len(m.group(0))) for m in _HASHES.finditer(path)]
    if not found:
        return None
    if len(found) > 1:
        raise ValueError(f"{path!r} has {len(found)} frame numbers (%04d or ####): give one")
    start, end, padding = found[0]
    if re.search(r"[\\/]", path[end:]):
        raise ValueError(f"{path!r}: the frame number is in a folder name; put it in the file's")
    return FrameSequence(path, path[:start], path[end:], padding)


def parse_frames(text: str, where: str = "--frames") -> List[int]:
    """The frames a range names, in order, each once; ValueError naming the
    part that is not a range.

    >>> parse_frames("1001-1003 1002 -2--1")
    [-2, -1, 1001, 1002, 1003]
    """
    frames: Set[int] = set()
    parts = [p for p in re.split(r"[,\s]+", text.strip()) if p]
    if not parts:
        raise ValueError(f"{where} is empty: give frames such as 1001-1100")
    for part in parts:
        match = _RANGE.match(part)
        if match is None:
            raise ValueError(
                f"{where}: {part!r} is not a frame range (1001-1100, 1001-1100x2, 1001)"
            )
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) is not None else first
        step = int(match.group(3)) if match.group(3) is not None else 1
        if last < first or step < 1:
            raise ValueError(f"{where}: {part!r} runs backwards or has a step below 1")
        if (last - first) // step + 1 + len(frames) > MAX_FRAMES:
            raise ValueError(f"{where}: {text.strip()!r} is more than {MAX_FRAMES:,} frames")
        frames.update(range(first, last + 1, step))
    return sorted(frames)


#: How a frame's exposure is tied to the shot: (the index of the frame it
#: was measured against, how many stops brighter it is), or (None, 0.0)
#: for a frame that starts a chain (nothing before it could be compared).
Link = Tuple[Optional[int], float]


def deflicker(links: Sequence[Optional[Link]], window: int) -> List[Optional[float]]:
    """The stops to add to each frame of a shot so that it follows its
    trend: the rolling median of ``window`` frames around it.

    ``links[i]`` ties frame i to an earlier frame (see :data:`Link`), or is
    None for a frame without a value. Summed along the links, the steps
    give each frame's exposure; the trend at a frame is the median exposure
    of the ``window`` frames of its chain centred on it (at the ends of the
    chain, its first or last ``window`` frames), and the correction is the
    trend minus the frame's own exposure. Only frames inside one window
    are compared, so measurement error does not build up along a long
    shot; frames of different chains are never compared.

    >>> flicker = [(None, 0.0), (0, 0.5), (1, -0.5), (2, 0.0), (3, 0.5), (4, -0.5)]
    >>> [round(c, 3) for c in deflicker(flicker, 3)]
    [0.0, -0.5, 0.0, 0.0, -0.5, 0.0]
    >>> deflicker([(None, 0.0), None, (0, 1.0)], 3)
    [0.5, None, -0.5]
    """
    if window < 3 or window % 2 == 0:
        raise ValueError(f"a window of {window} frames: give an odd number, 3 or more")
    exposure: Dict[int, float] = {}
    chains: Dict[int, List[int]] = {}
    chain_of: Dict[int, int] = {}
    for index, link in enumerate(links):
        if link is None:
            continue
        base, step = link
        if base is None or base not in exposure:
            chain_of[index], exposure[index] = index, 0.0
        else:
            chain_of[index], exposure[index] = chain_of[base], exposure[base] + step
        chains.setdefault(chain_of[index], []).append(index)
    half = window // 2
    corrections: List[Optional[float]] = [None] * len(links)
    for members in chains.values():
        values = [exposure[i] for i in members]
        for position, index in enumerate(members):
            start = min(max(0, position - half), max(0, len(values) - window))
            trend = statistics.median(values[start : start + window])
            corrections[index] = trend - values[position] + 0.0
    return corrections
