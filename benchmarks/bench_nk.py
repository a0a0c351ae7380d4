"""Benchmark the .nk reader/writer against nkparser on the shared corpus.

    make bench            # or: .venv/bin/python benchmarks/bench_nk.py [CORPUS]

Both parse and write back every corpus file, taking turns round by round so
noise hits both alike; the ratio is computed per round and its median
printed; the garbage collector is run before each timed run. Also: how
many files each returns byte for byte, the time to read
every knob value fully (our values are made on first use, so this is the
fair "everything understood" figure), and peak memory (tracemalloc) against
the size of the largest file.
"""

from __future__ import annotations

import contextlib
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Callable, Dict, List, Tuple

import nkparser

from nuke_plugin.nkfile.parser import parse
from nuke_plugin.nkfile.values import parse_value

ROUNDS = 11
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def load(corpus: Path) -> List[Tuple[str, str]]:
    files = sorted(p for p in corpus.iterdir() if p.suffix in (".nk", ".gizmo"))
    return [(p.name, p.read_bytes().decode("utf-8", "surrogateescape")) for p in files]


def ours(texts: List[str]) -> int:
    return sum(parse(text).to_text() == text for text in texts)


def ours_every_knob(texts: List[str]) -> int:
    same = 0
    for text in texts:
        script = parse(text)
        for node in script.walk():
            node.knobs  # noqa: B018 - make every Knob object, as nkparser does
        same += script.to_text() == text
    return same


def ours_every_value(texts: List[str]) -> int:
    same = 0
    for text in texts:
        script = parse(text)
        for node in script.walk():
            for knob in node.knobs:
                parse_value(knob.text)
        same += script.to_text() == text
    return same


def theirs(texts: List[str]) -> int:
    same = 0
    for text in texts:
        # A failure is one more file it cannot give back.
        with contextlib.suppress(Exception):
            same += nkparser.Script.from_string(text).to_nk() == text
    return same


def timed(run: Callable[[List[str]], int], texts: List[str]) -> Tuple[float, int]:
    gc.collect()  # each run starts from a clean heap, not the last run's garbage
    start = time.perf_counter()
    same = run(texts)
    return time.perf_counter() - start, same


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    files = load(corpus)
    texts = [text for _, text in files]
    size = sum(len(t.encode("utf-8", "surrogateescape")) for t in texts)
    print(f"corpus: {len(files)} files, {size / 1e6:.2f} MB ({corpus})")
    runs = {
        "ours": ours,
        "ours_knobs": ours_every_knob,
        "ours_values": ours_every_value,
        "nkparser": theirs,
    }
    for run in runs.values():  # warm up
        run(texts[:3])
    rows: Dict[str, List[float]] = {name: [] for name in runs}
    same = {}
    for _ in range(ROUNDS):
        for name, run in runs.items():
            seconds, same[name] = timed(run, texts)
            rows[name].append(seconds)

    def ratio(name: str) -> str:
        ratios = [t / o for t, o in zip(rows["nkparser"], rows[name])]
        return f"{statistics.median(ratios):.1f} (rounds {min(ratios):.1f}..{max(ratios):.1f})"

    print(f"parse + write, median of {ROUNDS} interleaved rounds:")
    for name, label in (
        ("ours", "nuke_plugin.nkfile.script"),
        ("ours_knobs", "nuke_plugin.nkfile.script, every Knob object made"),
        ("ours_values", "nuke_plugin.nkfile.script, every knob value parsed"),
        ("nkparser", f"nkparser {getattr(nkparser, '__version__', '')}"),
    ):
        median = statistics.median(rows[name])
        print(
            f"  {label:46} {median * 1e3:8.1f} ms  {size / 1e6 / median:5.1f} MB/s  "
            f"byte-identical {same[name]}/{len(files)}"
        )
    print(f"speed ratio nkparser / ours, median of rounds: {ratio('ours')}")
    print(f"  with every Knob object made: {ratio('ours_knobs')}")
    print(f"  with every knob value parsed to numbers/curves/lists: {ratio('ours_values')}")

    name, largest = max(files, key=lambda f: len(f[1]))
    raw = largest.encode("utf-8", "surrogateescape")
    del texts, files
    tracemalloc.start()
    text = raw.decode("utf-8", "surrogateescape")
    written = parse(text).to_text().encode("utf-8", "surrogateescape")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert written == raw
    print(
        f"peak memory, read + parse + write of the largest file ({name}, "
        f"{len(raw) / 1e6:.2f} MB): {peak / 1e6:.1f} MB = {peak / len(raw):.1f}x the file"
    )


if __name__ == "__main__":
    main()
