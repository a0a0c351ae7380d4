"""docs/artists.md: one section per command, each with its picture, and the
pictures are what `make pictures` draws today (the stand-in driven as an
artist drives Nuke, Qt offscreen), byte for byte."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import ROOT

pytestmark = pytest.mark.slow  # draws in its own process

GUIDE = (ROOT / "docs" / "artists.md").read_text()
PICTURES = re.findall(r"!\[[^\]]+\]\(artists/([a-z_]+\.png)\)", GUIDE)


def test_the_guide_shows_each_picture_once_under_its_own_section() -> None:
    tree = ast.parse((ROOT / "docs" / "make_pictures.py").read_text())
    (listed,) = [
        ast.literal_eval(n.value)
        for n in tree.body
        if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "PICTURES"
    ]
    assert list(listed) == PICTURES
    sections = re.split(r"^## ", GUIDE, flags=re.M)[1:]
    assert len(sections) == len(PICTURES)
    assert all(f"(artists/{name})" in text for name, text in zip(PICTURES, sections))


def test_the_pictures_are_what_make_pictures_draws(tmp_path: Path) -> None:
    pytest.importorskip("PyOpenColorIO", reason="the CDL picture needs OpenColorIO (.[dev])")
    result = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "make_pictures.py"), str(tmp_path)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(PICTURES)
    for name in PICTURES:
        drawn = (tmp_path / name).read_bytes()
        assert drawn.startswith(b"\x89PNG\r\n\x1a\n")
        assert drawn == (ROOT / "docs" / "artists" / name).read_bytes(), (
            f"docs/artists/{name} is not what make_pictures.py draws now: run `make pictures`"
        )
