"""What the safe-write module costs over a plain write, at script sizes.

    make bench        # or: .venv/bin/python benchmarks/bench_safe_write.py

For 1 MB and 100 MB of script text, in this process: the reference is a
plain ``open(path, "wb").write(data)`` followed by ``os.fsync`` (what any
careful writer pays); then ``safe_write.write`` of a new file (temporary
file, flush, read back and compare, link into place, folder lock) and of a
replacement (the same, plus the change check and the backup copied from
disk and checked against the digest). Medians of 5 runs; ratios against the
reference. The page cache is warm, as it is right after a script was read.
Then the 1 MB replacement again with the lock Windows gets (a lock file,
fcntl made unavailable), against the flock one, interleaved (issue 19).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List

from nuke_plugin.files import safe_write
from nuke_plugin.files.reading import fingerprint

RUNS = 5


def median_seconds(setup: Callable[[], None], call: Callable[[], object]) -> float:
    times: List[float] = []
    for _ in range(RUNS):
        setup()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(folder: Path, data: bytes) -> None:
    target = folder / "comp.nk"

    def fresh() -> None:
        for path in folder.iterdir():
            path.unlink()

    def plain() -> None:
        with open(target, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())

    def existing() -> None:
        fresh()
        target.write_bytes(data)

    reference = median_seconds(fresh, plain)
    new = median_seconds(fresh, lambda: safe_write.write(safe_write.plan_output(target), [data]))
    snapshot = [fingerprint(target)]  # a script as it was read: its digest is known

    def replace_setup() -> None:
        existing()
        snapshot[0] = fingerprint(target)

    replaced = median_seconds(
        replace_setup,
        lambda: safe_write.write(safe_write.plan_in_place(snapshot[0]), [data]),
    )
    print(
        f"{len(data) / 1e6:6.1f} MB: plain write + fsync {reference * 1000:7.1f} ms; safe write, "
        f"new file {new * 1000:7.1f} ms ({new / reference:.2f}x); replacing, with its backup "
        f"{replaced * 1000:7.1f} ms ({replaced / reference:.2f}x)"
    )


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="nuke-stops-bench-"))
    try:
        for megabytes in (1, 100):
            measure(folder, b"Grade {\n multiply {1.5 1.2 1 1}\n name G\n}\n" * 23_000 * megabytes)
        lock_kinds(folder, b"Grade {\n multiply {1.5 1.2 1 1}\n name G\n}\n" * 23_000)
    finally:
        shutil.rmtree(folder)


def lock_kinds(folder: Path, data: bytes) -> None:
    """A 1 MB replacement with flock and with the lock file, interleaved
    rounds (the machine's noise falls on both alike)."""
    target = folder / "comp.nk"
    for path in folder.iterdir():
        path.unlink()
    target.write_bytes(data)
    times: Dict[str, List[float]] = {"flock": [], "lock file": []}
    real = sys.modules.get("fcntl")
    try:
        for _ in range(15):
            for kind in times:
                sys.modules["fcntl"] = real if kind == "flock" else None  # type: ignore[assignment]
                plan = safe_write.plan_in_place(fingerprint(target))
                start = time.perf_counter()
                safe_write.write(plan, [data])
                times[kind].append(time.perf_counter() - start)
    finally:
        if real is not None:
            sys.modules["fcntl"] = real
    flock, lock_file = (statistics.median(times[k]) * 1000 for k in times)
    print(
        f"   1.0 MB replacing: flock {flock:.2f} ms, lock file (Windows) {lock_file:.2f} ms: "
        f"{lock_file / flock:.2f}x"
    )


if __name__ == "__main__":
    main()
