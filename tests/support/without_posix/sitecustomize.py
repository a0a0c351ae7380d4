"""Started by tests in the run without POSIX (support/portable.py): the
nuke-stops processes they start go without it too."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from support import portable  # noqa: E402  (tests/support, by the tests' name for it)

del sys.path[0]
portable.take_away()
