"""Shared test setup: paths, the nuke module, the corpus, render evaluation."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Sequence, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
STANDIN = ROOT / "tests" / "standin"
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"

# Inside real Nuke (tests/run_in_nuke.py) the real module is used; elsewhere
# the strict stand-in takes its name.
_SPEC = importlib.util.find_spec("nuke")
REAL_NUKE = _SPEC is not None and "standin" not in str(_SPEC.origin)
if not REAL_NUKE and str(STANDIN) not in sys.path:
    sys.path.insert(0, str(STANDIN))

standin_only = pytest.mark.skipif(
    REAL_NUKE, reason="drives what only the stand-in can (an artist's edit, a failing host)"
)
real_nuke = pytest.mark.skipif(
    not REAL_NUKE, reason="needs real Nuke: nuke -t tests/run_in_nuke.py"
)
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"needs the 24 real scripts of ../shared/corpus ({CORPUS}); "
    "tests/data covers the same behaviours",
)
#: Relative agreement of values Nuke evaluates (it writes ~10 significant digits).
RENDER_TOLERANCE = 1e-9


def corpus_files() -> List[Path]:
    """Every .nk and .gizmo in ../shared/corpus (empty when it is absent)."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".nk", ".gizmo"))


def corpus_params() -> List[Any]:
    """corpus_files() for parametrize; one skipped case when it is absent."""
    files = corpus_files()
    if files:
        return [pytest.param(p, id=p.name) for p in files]
    return [pytest.param(None, id="no-corpus", marks=needs_corpus)]


@pytest.fixture
def legacy_comp_text() -> str:
    return (EXAMPLES / "legacy_comp.nk").read_text()


@pytest.fixture
def nuke_host() -> Iterator[Any]:
    """The nuke module with an empty script: real Nuke, or the stand-in."""
    import nuke

    if REAL_NUKE:
        nuke.scriptClear()
    else:
        nuke._reset()  # type: ignore[attr-defined]  # the stand-in's harness
    yield nuke
    if REAL_NUKE:
        nuke.scriptClear()


# -- what a script renders, evaluated by the stand-in ----------------------------------
#
# Render identity is checked by evaluating what was written: the script text
# is loaded into the stand-in (its own reader, curves and expression
# evaluator, no product code) and each knob is asked for its value.


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
