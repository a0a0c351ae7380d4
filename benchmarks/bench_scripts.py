"""scan, convert and convert --dry-run against the size of the script.

    make bench        # or: .venv/bin/python benchmarks/bench_scripts.py

Scripts of about 1, 10 and 100 MB are made of whole real scripts
(../shared/corpus, or the project's own fixtures when it is absent), and
each command runs in its own process, as a facility would run it. For each
size: the median wall time of 3 runs and the child's peak resident memory
(wait4's ru_maxrss), against a reference child that only reads and decodes
the same file (Python's floor for touching every byte). ``convert -o`` runs
3 times onto the same file, so the 2nd and 3rd keep the one before as
``.bak``; ``--in-place`` runs on a fresh copy each time (the ``cp`` counts). Then the time per
MB at each size (flat means linear), and memory as a multiple of the file.
Last, ``scan --jobs`` over a tree of scripts, 1 process against 2.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Tuple

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
RUNS = 3


def sources() -> List[Path]:
    if CORPUS.is_dir():
        return sorted(p for p in CORPUS.iterdir() if p.suffix in (".nk", ".gizmo"))
    return sorted((ROOT / "tests" / "data").rglob("*.nk")) + [ROOT / "examples" / "legacy_comp.nk"]


def make_script(path: Path, megabytes: float) -> None:
    """Whole scripts one after another (LF endings) up to about this size."""
    units = []
    for source in sources():
        text = source.read_bytes().replace(b"\r\n", b"\n")
        units.append(text if text.endswith(b"\n") else text + b"\n")
    units.sort(key=len)  # small ones first, so 1 MB is about 1 MB
    target = megabytes * 1e6
    with path.open("wb") as stream:
        written = 0
        while written < target:
            before = written
            for unit in units:
                if written + len(unit) <= target * 1.05:
                    stream.write(unit)
                    written += len(unit)
            if written == before:  # nothing fits any more: the smallest one
                stream.write(units[0])
                written += len(units[0])


def run(command: List[str]) -> Tuple[float, float]:
    """Wall seconds and peak resident MB of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024  # kilobytes on Linux


def measure(command: List[str]) -> Tuple[float, float]:
    results = [run(command) for _ in range(RUNS)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


DIFFLIB = """
import difflib, sys
from nuke_plugin.adapters.script_file import read_script
from nuke_plugin.adapters.script_ops import convert_script
script = read_script(sys.argv[1])
convert_script(script)
old, new = script.text.splitlines(True), script.to_text().splitlines(True)
sys.stdout.writelines(difflib.unified_diff(old, new, "a", "b"))
"""


def main() -> None:
    python = sys.executable
    tool = [python, "-m", "nuke_plugin"]
    folder = Path(tempfile.mkdtemp(prefix="nuke-stops-bench-"))
    # What the commands' code takes before reading a script: Python and the
    # modules scan and convert import.
    _, floor = measure([python, "-c", "import nuke_plugin.cli.scan, nuke_plugin.cli.convert"])
    origin = "../shared/corpus" if CORPUS.is_dir() else "tests/data"
    try:
        print(f"scripts made of {origin}; median of {RUNS} runs; peak memory of each process,")
        print(f"and above the {floor:.0f} MB Python takes with nuke-stops imported, as a multiple")
        print("of the file (x file)")
        header = ("size", "command", "seconds", "s/MB", "x ref", "peak MB", "x file")
        print("{:>7} {:<17} {:>8} {:>6} {:>6} {:>8} {:>7}".format(*header))
        for megabytes in (1, 10, 100):
            script = folder / f"s{megabytes}.nk"
            make_script(script, megabytes)
            size = script.stat().st_size / 1e6
            read = f"open({str(script)!r}, 'rb').read().decode('utf-8', 'surrogateescape')"
            reference = measure([python, "-c", read])
            out = folder / "out.nk"
            copy = folder / "copy.nk"
            in_place = f"cp {script} {copy} && {' '.join(tool)} convert --in-place {copy}"
            rows = [
                ("read+decode (ref)", reference),
                ("scan --json", measure([*tool, "scan", str(script), "--json"])),
                ("convert -o", measure([*tool, "convert", str(script), "-o", str(out)])),
                ("convert --dry-run", measure([*tool, "convert", "--dry-run", str(script)])),
                ("cp + --in-place", measure(["sh", "-c", in_place])),
            ]
            if megabytes == 1:  # the old --dry-run: quadratic, so only the small script
                rows.append(("difflib dry-run", measure([python, "-c", DIFFLIB, str(script)])))
            for name, (seconds, peak) in rows:
                print(
                    f"{size:6.1f}M {name:<17} {seconds:8.2f} {seconds / size:6.3f} "
                    f"{seconds / reference[0]:6.1f} {peak:8.0f} {(peak - floor) / size:7.2f}"
                )
            script.unlink()
        tree = folder / "show"
        tree.mkdir()
        for i in range(120):
            source = sources()[i % len(sources())]
            shutil.copyfile(source, tree / f"shot{i:03d}{source.suffix}")
        serial, _ = measure([*tool, "scan", str(tree), "--jsonl", "--jobs", "1"])
        parallel, _ = measure([*tool, "scan", str(tree), "--jsonl", "--jobs", "2"])
        print(
            f"scan --jobs over 120 scripts: 1 process {serial:.2f} s, 2 processes"
            f" {parallel:.2f} s, speed-up {serial / parallel:.2f} ({os.cpu_count()} cores)"
        )
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
