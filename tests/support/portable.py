"""Linux with what only POSIX systems have taken away, so that the tests
walk the paths macOS and Windows take (issue 19).

With ``NUKE_STOPS_TEST_WITHOUT_POSIX=1`` the test session starts (conftest)
with these gone: the POSIX-only modules import as missing, and the ``os``
names Windows lacks (Linux's O_TMPFILE too, as macOS lacks it) are removed.
The product then takes its other paths: named temporary files, the lock
file instead of flock, the mode set by name, no owner to keep.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Dict

if TYPE_CHECKING:
    import pytest

#: The environment variable that asks for it.
SWITCH = "NUKE_STOPS_TEST_WITHOUT_POSIX"
#: Modules Windows has not got (fcntl's flock is also what macOS has).
POSIX_MODULES = ("fcntl", "termios", "resource", "pwd", "grp")
#: os names Windows has not got; O_TMPFILE is Linux's alone.
POSIX_NAMES = (
    "O_TMPFILE",
    "O_NOFOLLOW",
    "O_NONBLOCK",
    "O_NOCTTY",
    "fchmod",
    "fchown",
    "statvfs",
)


#: The modules taken away, kept for the tests' own harness (memory and file
#: size limits on the processes they start): the product is what must do
#: without them.
KEPT: Dict[str, ModuleType] = {}
#: A folder whose sitecustomize takes them away in the processes tests start.
SITE = Path(__file__).with_name("without_posix")


def wanted() -> bool:
    return os.environ.get(SWITCH) == "1"


def posix_only(why: str) -> pytest.MarkDecorator:
    """Skips a test of what only POSIX systems do, in the run without them."""
    import pytest

    return pytest.mark.skipif(wanted(), reason=f"POSIX only: {why}")


def take_away() -> None:
    """Make the POSIX-only modules and os names unavailable in this process."""
    for name in POSIX_MODULES:
        with contextlib.suppress(ImportError):
            KEPT[name] = importlib.import_module(name)
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    for name in POSIX_NAMES:
        if hasattr(os, name):
            delattr(os, name)


def taken_away() -> bool:
    """Whether this process runs without them (what a test can check)."""
    return all(not hasattr(os, name) for name in POSIX_NAMES) and all(
        sys.modules.get(name, 0) is None for name in POSIX_MODULES
    )
