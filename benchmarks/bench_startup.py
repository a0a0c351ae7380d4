"""What init.py and menu.py add to Nuke's start-up, measured on the stand-in.

    make bench        # or: .venv/bin/python benchmarks/bench_startup.py

Each run is a fresh interpreter (imports are cached after the first), with
the stand-ins (tests/standin/nuke and nukescripts) imported first, as Nuke
imports its own modules before it runs menu.py. Inside
it, running init.py then menu.py (GUI mode) is timed against running an
empty file the same way (the reference). Medians of 21 processes. Nuke is
not installed here: this is the stand-in, not a Nuke session.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 21

PROBE = """
import json, runpy, sys, time
sys.path[:0] = [sys.argv[2], sys.argv[1]]
import nuke  # the stand-ins, loaded before the plugin as Nuke's own modules are
import nukescripts
nuke.GUI = True
start = time.perf_counter()
runpy.run_path(sys.argv[3])
empty = time.perf_counter() - start
start = time.perf_counter()
runpy.run_path(sys.argv[1] + "/init.py")
runpy.run_path(sys.argv[1] + "/menu.py")
plugin = time.perf_counter() - start
print(json.dumps([empty, plugin]))
"""


def main() -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as empty:
        empty.write("")
    results = []
    for _ in range(RUNS):
        out = subprocess.run(
            [
                sys.executable,
                "-S",
                "-c",
                PROBE,
                str(ROOT),
                str(ROOT / "tests" / "standin"),
                empty.name,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        results.append(json.loads(out))
    Path(empty.name).unlink()
    reference = statistics.median(r[0] for r in results)
    plugin = statistics.median(r[1] for r in results)
    print(f"start-up, median of {RUNS} fresh processes (stand-in nuke module):")
    print(f"  init.py + menu.py (GUI)   {plugin * 1e3:7.3f} ms   budget 5 ms")
    print(f"  an empty file (reference) {reference * 1e3:7.3f} ms")
    print(f"  ratio plugin / reference  {plugin / reference:7.1f}")


if __name__ == "__main__":
    main()
