"""Measuring the exposure offset of a 4096 x 2160 RGBA float32 pair.

    make bench        # or: .venv/bin/python benchmarks/bench_matching.py

``measure_offset`` against the naive numpy way in the same run: luminance
by broadcasting, a mask, ``np.median`` of the log2 ratio. Goal: at least 3x
faster, and peak memory (tracemalloc, which sees numpy's buffers) under 2x
one frame. Medians of 5 runs; the naive way also keeps clipped pixels (it
would need more passes to leave them out), so it does less than the product.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from typing import Any, Callable, Tuple

import numpy as np

from nuke_plugin.core.matching import REC709, measure_offset

RUNS = 5
HEIGHT, WIDTH = 2160, 4096


def pair() -> Tuple[Any, Any]:
    rng = np.random.default_rng(11)
    luminance = rng.lognormal(np.log(0.18), 1.0, (HEIGHT, WIDTH, 1)).astype(np.float32)
    plate = np.empty((HEIGHT, WIDTH, 4), dtype=np.float32)
    plate[..., :3] = luminance * rng.uniform(0.6, 1.4, (HEIGHT, WIDTH, 3)).astype(np.float32)
    plate[..., 3] = 1
    reference = plate * np.float32(2 ** (4 / 3))
    reference[..., :3] *= 1 + rng.normal(0, 0.02, (HEIGHT, WIDTH, 3)).astype(np.float32)
    return plate, reference


def naive(plate: Any, reference: Any) -> float:
    weights = np.array(REC709, dtype=np.float32)
    yp = (plate[..., :3] * weights).sum(axis=-1)
    yr = (reference[..., :3] * weights).sum(axis=-1)
    usable = np.isfinite(yp) & np.isfinite(yr) & (yp > 0) & (yr > 0)
    return float(np.median(np.log2(yr[usable] / yp[usable])))


def timed(call: Callable[[], Any]) -> Tuple[float, Any, int]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), result, peak


def main() -> None:
    plate, reference = pair()
    frame = plate.nbytes
    ours, found, our_peak = timed(lambda: measure_offset(plate, reference))
    theirs, median, their_peak = timed(lambda: naive(plate, reference))
    size = f"{frame / 2**20:.0f} MiB a frame"
    print(f"{WIDTH} x {HEIGHT} RGBA float32 pair ({size}), medians of {RUNS}")
    print(
        f"  measure_offset  {ours * 1000:7.0f} ms  peak {our_peak / 2**20:6.1f} MiB "
        f"({our_peak / frame:.2f} frames)  stops {found.stops:+.4f} spread {found.spread:.4f}"
    )
    print(
        f"  naive numpy     {theirs * 1000:7.0f} ms  peak {their_peak / 2**20:6.1f} MiB "
        f"({their_peak / frame:.2f} frames)  stops {median:+.4f}"
    )
    print(f"  speed-up {theirs / ours:.1f}x (goal 3x); the offset put in: +1.3333")
    half_plate, half_reference = plate.astype(np.float16), reference.astype(np.float16)
    ours, found, _ = timed(lambda: measure_offset(half_plate, half_reference))
    theirs, median, _ = timed(lambda: naive(half_plate, half_reference))
    print(
        f"  float16 pair: measure_offset {ours * 1000:.0f} ms, naive {theirs * 1000:.0f} ms: "
        f"{theirs / ours:.1f}x (stops {found.stops:+.4f}, naive {median:+.4f})"
    )


if __name__ == "__main__":
    main()
