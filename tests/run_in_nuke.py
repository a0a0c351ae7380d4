"""Run the in-Nuke behaviour tests inside real Nuke, for studios with a licence.

    nuke -t tests/run_in_nuke.py            # from the checkout's top folder

Needs pytest importable by Nuke's Python (for example
``PYTHONPATH=/path/to/a/venv/site-packages nuke -t tests/run_in_nuke.py``).
In terminal mode Nuke does not run a plugin folder's init.py for a script
given to ``-t``, so this puts the checkout and its gizmos folder on the
plugin path itself. The same tests run in CI on the stand-in; with the real
``nuke`` module the ``real_nuke`` tests run too and the stand-in-only ones
are skipped. The GUI runs the same tests from Nuke > nuke-stops > Help >
Run self-test. Exit status is pytest's.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> int:
    import nuke  # the real one: this file is run by `nuke -t`

    sys.path.insert(0, ROOT)
    nuke.pluginAddPath(ROOT)
    nuke.pluginAddPath(os.path.join(ROOT, "gizmos"))
    from nuke_plugin.host.selftest import run_tests

    status, summary = run_tests(sys.argv[1:])
    print(summary)
    return status


if __name__ == "__main__":
    sys.exit(main())
