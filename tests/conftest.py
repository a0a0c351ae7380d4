"""Shared test setup: the corpus beside the project, and the nuke module."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any, Iterator, List

import pytest

ROOT = Path(__file__).resolve().parent.parent
STANDIN = ROOT / "tests" / "standin"

# Inside real Nuke (tests/run_in_nuke.py) the real module is used; elsewhere
# the strict stand-in takes its name.
_SPEC = importlib.util.find_spec("nuke")
REAL_NUKE = _SPEC is not None and "standin" not in str(_SPEC.origin)
if not REAL_NUKE and str(STANDIN) not in sys.path:
    sys.path.insert(0, str(STANDIN))
CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLES = ROOT / "examples"


def corpus_files() -> List[Path]:
    """Every .nk and .gizmo in ../shared/corpus (empty when it is absent)."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".nk", ".gizmo"))


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
