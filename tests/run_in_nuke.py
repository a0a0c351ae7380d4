"""Run the in-Nuke behaviour tests inside real Nuke, for studios with a licence.

    nuke -t tests/run_in_nuke.py            # from the checkout's top folder

Needs pytest importable by Nuke's Python (for example
``PYTHONPATH=/path/to/a/venv/site-packages nuke -t tests/run_in_nuke.py``)
and the checkout on the plugin path so the gizmo is found (NUKE_PATH, or
this script adds it). The same test files run here on the stand-in; with the
real ``nuke`` module the ``real_nuke`` tests run too and the stand-in-only
ones are skipped. Exit status is pytest's.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> int:
    import nuke  # the real one: this file is run by `nuke -t`
    import pytest

    sys.path.insert(0, ROOT)
    nuke.pluginAddPath(ROOT)  # runs init.py: the gizmos folder too
    tests = os.path.join(ROOT, "tests")
    files = [os.path.join(tests, name) for name in ("test_in_nuke.py", "test_stops.py")]
    return int(pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", ROOT, *files]))


if __name__ == "__main__":
    sys.exit(main())
