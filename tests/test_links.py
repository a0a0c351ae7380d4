"""The links in the README and docs/ lead somewhere: relative files exist and
#anchors name a heading of the file they point into (GitHub's slugs)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, Set, Tuple

import pytest

from support.paths import ROOT

PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped,
    spaces as hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> Set[str]:
    found = set()
    fenced = False
    for line in page.read_text().splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            found.add(slug(line.lstrip("#")))
    return found


def links() -> List[Tuple[Path, str]]:
    return [(page, target) for page in PAGES for target in LINK.findall(page.read_text())]


@pytest.mark.parametrize(("page", "target"), links(), ids=lambda v: str(v)[-60:])
def test_the_link_leads_somewhere(page: Path, target: str) -> None:
    if re.match(r"[a-z]+:", target):  # http(s) and the like: not checked offline
        return
    path, _, anchor = target.partition("#")
    file = (page.parent / path).resolve() if path else page
    assert file.exists(), f"{page.name}: {target}: no {file}"
    if anchor:
        assert anchor in anchors(file), f"{page.name}: {target}: no heading #{anchor}"
