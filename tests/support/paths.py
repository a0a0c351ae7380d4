"""Where things are, and which Nuke this is: the stand-in or the real one.

Importing this puts the stand-in for ``nuke`` on the path (unless real Nuke
is there), so it must come before anything that imports ``nuke``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any, List

import pytest

ROOT = Path(__file__).resolve().parents[2]
STANDIN = ROOT / "tests" / "standin"
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"
LEGACY = EXAMPLES / "legacy_comp.nk"
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
