"""The files the Nuke commands need besides Python: the ExposureStops toolset
and the self-test's tests, found through the package itself.

An installed package carries them inside it (``nuke_plugin/gizmos``,
``nuke_plugin/selftest``: package data); a checkout keeps them beside the
package, in its ``gizmos/`` and ``tests/`` folders. Each is looked for in
the package first, then beside it, so both work and nothing assumes a git
checkout's depth.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

__all__ = ["INSTALLED_FROM", "exposure_stops_group", "find", "tests_folder"]

#: The folder the package runs from (what Help > About shows).
INSTALLED_FROM = Path(__file__).resolve().parent.parent


def find(inside: str, beside: str, name: str) -> Optional[Path]:
    """``name`` in the package's ``inside`` folder, else in the ``beside``
    folder next to the package; None when neither has it."""
    for folder in (INSTALLED_FROM / inside, INSTALLED_FROM.parent / beside):
        if (folder / name).is_file():
            return folder / name
    return None


def exposure_stops_group() -> Optional[Path]:
    """The ExposureStops node as a Group script, or None when missing."""
    return find("gizmos", "gizmos", "ExposureStops.nk")


def tests_folder(first: str) -> Optional[Path]:
    """The folder holding the self-test's tests (``first`` is one of them)."""
    found = find("selftest", "tests", first)
    return None if found is None else found.parents[len(Path(first).parts) - 1]
