"""Shared test data: the read-only corpus of real scripts beside the project."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest

ROOT = Path(__file__).resolve().parent.parent
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
