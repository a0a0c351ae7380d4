"""What a script renders, evaluated by the stand-in (or real Nuke).

Render identity is checked by evaluating what was written: the script text
is loaded into the stand-in (its own reader, curves and expression
evaluator, no product code) and each knob is asked for its value.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Sequence, Tuple

import pytest

#: Relative agreement of values Nuke evaluates (it writes ~10 significant digits).
RENDER_TOLERANCE = 1e-9


def knob_values(node: Any, knob: str, frames: Iterable[float]) -> Dict[float, List[float]]:
    """Every channel of a knob at each frame, as the host evaluates them."""
    found = node[knob]
    return {f: [found.getValueAt(f, i) for i in range(found.arraySize())] for f in frames}


def render_script(
    text: str, knobs: Sequence[Tuple[str, str]], frames: Iterable[float]
) -> Dict[Any, Any]:
    """Load ``text`` into a fresh stand-in session and evaluate each
    (node path, knob) at each frame."""
    import nuke

    nuke._reset()  # type: ignore[attr-defined]
    nuke.scriptReadText(text)
    frames = list(frames)
    result = {}
    for path, knob in knobs:
        node = nuke.toNode(path)
        assert node is not None, f"{path} is not in the script"
        result[(path, knob)] = knob_values(node, knob, frames)
    return result


def assert_same_render(before: Dict[Any, Any], after: Dict[Any, Any]) -> None:
    """Two renders agree on every knob, frame and channel."""
    assert before.keys() == after.keys()
    for where, frames in before.items():
        for frame, values in frames.items():
            assert after[where][frame] == pytest.approx(values, rel=RENDER_TOLERANCE), (
                f"{where} at frame {frame:g}"
            )


def same(got: List[float], wanted: List[float]) -> bool:
    """Values agree to what Nuke evaluates."""
    return got == pytest.approx(wanted, rel=RENDER_TOLERANCE)
