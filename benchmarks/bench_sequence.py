"""A shot: `nuke-stops match` over a 48-frame 4096 x 2160 half-float ZIP pair.

    make bench        # or: .venv/bin/python benchmarks/bench_sequence.py [FRAMES]

In one run, on files in the page cache (so decoding is CPU-bound, as on a
local cache or a fast NAS):

- frames per second of ``nuke-stops match plate.%04d.exr ref.%04d.exr
  --jsonl`` with ``--jobs 1`` and ``--jobs 2`` (the command, start-up
  included), and their ratio (goal: 1.7x or more on 2 cores);
- decode-only frames per second, at the same parallelism: OpenEXR's own
  reader (``OpenEXR.File(path).channels()``, every channel into numpy)
  decoding the same frame pairs and nothing else, so that "decoding plus
  measuring / decoding alone" is the cost of everything nuke-stops adds
  (goal: 1.3x or less);
- ``measure_offset`` on one float16 pair against the same pixels as float32
  (goal: half within 1.2x of float32), interleaved, medians;
- peak memory: the largest resident set of any process of the run
  (``ru_maxrss``), for 12 frames and for 48 (goal: the same: bounded by the
  frames in flight, not by the shot).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path
from typing import Any, List, Tuple

import numpy as np
import OpenEXR

from nuke_plugin.cli.shot import keep_freed_memory
from nuke_plugin.core.matching import measure_offset

HEIGHT, WIDTH = 2160, 4096
FRAMES = int(sys.argv[1]) if len(sys.argv) > 1 else 48
RUNS = 3


def plate_pixels(seed: int, grain_seed: int = 0) -> Any:
    """A plate-like 4K frame: smooth shapes, texture and grain (so ZIP works
    as hard as on a real plate, not on noise or flat colour). The grain is
    its own for each ``grain_seed``, as each take's and frame's is."""
    rng = np.random.default_rng(1000 * grain_seed + seed)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    shapes = 1 + 0.6 * np.sin(x / 230 + seed) * np.cos(y / 170) + 0.3 * np.sin((x + y) / 37)
    light = 0.18 * shapes[..., None] * np.array([1.05, 1.0, 0.85], np.float32)
    grain = 1 + 0.02 * rng.standard_normal((HEIGHT, WIDTH, 3)).astype(np.float32)
    return (light * grain).astype(np.float16)


def write(path: Path, pixels: Any) -> None:
    header = {"compression": OpenEXR.ZIP_COMPRESSION, "type": OpenEXR.scanlineimage}
    channels = {c: np.ascontiguousarray(pixels[..., i]) for i, c in enumerate("RGB")}
    OpenEXR.File(header, channels).write(str(path))


def make_shot(folder: Path) -> None:
    """FRAMES frames of each sequence: 8 distinct frames (a flicker of known
    stops), the rest hard links to them, so the files are real and distinct
    where it matters (the page cache holds them all either way)."""
    rng = np.random.default_rng(7)
    for index in range(FRAMES):
        frame = 1001 + index
        source = index % 8
        if index < 8:
            stops = float(rng.uniform(-0.5, 0.5))
            plate = plate_pixels(source, grain_seed=1).astype(np.float32) * 2.0**stops
            write(folder / f"plate.{frame:04d}.exr", plate.astype(np.float16))
            write(folder / f"ref.{frame:04d}.exr", plate_pixels(source, grain_seed=2))
        else:
            for name in ("plate", "ref"):
                first = folder / f"{name}.{1001 + source:04d}.exr"
                os.link(first, folder / f"{name}.{frame:04d}.exr")


def run_match(folder: Path, jobs: int, frames: int) -> Tuple[float, int]:
    """Seconds for the command, and the largest resident set of its processes."""
    command = [
        sys.executable, "-m", "nuke_plugin", "match",
        str(folder / "plate.%04d.exr"), str(folder / "ref.%04d.exr"),
        "--frames", f"1001-{1000 + frames}", "--jsonl", "--jobs", str(jobs),
    ]  # fmt: skip
    script = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "took = time.perf_counter() - start\n"
        "print(took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, *command], capture_output=True, text=True)
    took, peak, code = out.stdout.split()
    assert code == "0", out.stderr
    return float(took), int(peak) * 1024


def decode_pair(frame: int) -> int:
    folder = Path(os.environ["BENCH_SHOT"])
    total = 0
    for name in ("plate", "ref"):
        with OpenEXR.File(str(folder / f"{name}.{frame:04d}.exr")) as file:
            total += sum(c.pixels.nbytes for c in file.channels().values())
    return total


def decode_only(folder: Path, jobs: int) -> float:
    """Seconds OpenEXR takes to decode every frame pair, in ``jobs`` processes
    (with the C library keeping freed memory, as nuke-stops' own run does)."""
    os.environ["BENCH_SHOT"] = str(folder)
    frames = list(range(1001, 1001 + FRAMES))
    start = time.perf_counter()
    if jobs == 1:
        for frame in frames:
            decode_pair(frame)
    else:
        with Pool(jobs, initializer=keep_freed_memory) as pool:
            list(pool.imap(decode_pair, frames, chunksize=1))
    return time.perf_counter() - start


def as_decoded(image: Any) -> Any:
    """The pixels laid out as the EXR reader hands them over: channel planes."""
    return np.ascontiguousarray(image.transpose(2, 0, 1)).transpose(1, 2, 0)


def half_against_float() -> Tuple[float, float]:
    reference = plate_pixels(1, grain_seed=2)
    half = as_decoded(plate_pixels(1, grain_seed=1)), as_decoded(reference)
    single = tuple(as_decoded(p.astype(np.float32)) for p in half)
    times: List[List[float]] = [[], []]
    for _ in range(7):
        for which, images in enumerate((half, single)):
            start = time.perf_counter()
            measure_offset(*images)
            times[which].append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    keep_freed_memory()  # for the decode-only runs in this process
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        make_shot(folder)
        seconds = {1: [], 2: []}  # type: ignore[var-annotated]
        decode = {1: [], 2: []}  # type: ignore[var-annotated]
        peaks = {}
        for _ in range(RUNS):
            for jobs in (1, 2):
                took, peaks[jobs] = run_match(folder, jobs, FRAMES)
                seconds[jobs].append(took)
                decode[jobs].append(decode_only(folder, jobs))
        _, short_peak = run_match(folder, 2, 12)
    fps = {jobs: FRAMES / statistics.median(s) for jobs, s in seconds.items()}
    decode_fps = {jobs: FRAMES / statistics.median(s) for jobs, s in decode.items()}
    print(f"{FRAMES} frames of a 4096 x 2160 RGB half ZIP pair, medians of {RUNS} runs")
    for jobs in (1, 2):
        print(
            f"  --jobs {jobs}: {fps[jobs]:.2f} frames/s; OpenEXR decoding alone "
            f"{decode_fps[jobs]:.2f} frames/s: decoding + measuring takes "
            f"{decode_fps[jobs] / fps[jobs]:.2f}x decoding alone (goal <= 1.3)"
        )
    print(f"  --jobs 2 / --jobs 1: {fps[2] / fps[1]:.2f}x (goal >= 1.7)")
    half, single = half_against_float()
    print(
        f"  measure_offset, one pair: float16 {half * 1000:.0f} ms, "
        f"float32 {single * 1000:.0f} ms: {half / single:.2f}x (goal <= 1.2)"
    )
    print(
        f"  peak memory of the largest process, --jobs 2: {short_peak / 2**20:.0f} MB for 12 "
        f"frames, {peaks[2] / 2**20:.0f} MB for {FRAMES}; --jobs 1: {peaks[1] / 2**20:.0f} MB"
    )


if __name__ == "__main__":
    main()
