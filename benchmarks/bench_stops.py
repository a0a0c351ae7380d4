"""Benchmark the exposure math against references run in the same process.

    make bench            # or: .venv/bin/python benchmarks/bench_stops.py

Prints medians of interleaved runs (the machines are noisy) and ratios:
reference time / our time, so > 1 means we are faster. Record the output in
docs/benchmarks.md.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
import timeit
import tracemalloc
from typing import Callable, Dict, List

import numpy as np
import PyOpenColorIO as ocio  # noqa: N813 - the alias OpenColorIO's own docs use

from nuke_plugin.core.exposure import apply_exposure, exposure_to_intensity, intensity_to_exposure

HEIGHT, WIDTH, CHANNELS = 2160, 4096, 4
ROUNDS = 21
STOPS = (0.5, 1 / 3, -1.0, 0.0)  # per channel; alpha untouched
UNDO = tuple(-s for s in STOPS)  # alternate so in-place values stay bounded


def interleaved(cases: Dict[str, Callable[[int], object]], rounds: int) -> Dict[str, float]:
    """Median seconds per case, the cases taking turns so noise hits all alike."""
    times: Dict[str, List[float]] = {name: [] for name in cases}
    for i in range(rounds):
        for name, case in cases.items():
            start = time.perf_counter()
            case(i)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def image_benchmark() -> None:
    rng = np.random.default_rng(7)
    pixels = rng.random((HEIGHT, WIDTH, CHANNELS), dtype=np.float32)
    ocio_pixels = pixels.copy()
    copy_target = np.empty_like(pixels)
    factors = np.exp2(np.array(STOPS, dtype=np.float32))
    config = ocio.Config.CreateRaw()
    exposure = ocio.ExposureContrastTransform(style=ocio.EXPOSURE_CONTRAST_LINEAR, exposure=0.5)
    processor = config.getProcessor(exposure).getDefaultCPUProcessor()

    cases: Dict[str, Callable[[int], object]] = {
        "apply_exposure, in place": lambda i: apply_exposure(
            pixels, STOPS if i % 2 == 0 else UNDO, out=pixels
        ),
        "naive numpy img * factors": lambda i: pixels * factors,
        "OpenColorIO ExposureContrast CPU": lambda i: processor.applyRGBA(ocio_pixels),
        "np.copyto (memory floor)": lambda i: np.copyto(copy_target, pixels),
    }
    for case in cases.values():  # warm up: page faults and caches
        case(0)
    medians = interleaved(cases, ROUNDS)
    ours = medians["apply_exposure, in place"]
    size_mb = pixels.nbytes / 1e6
    print(f"Image: {WIDTH}x{HEIGHT} RGBA float32 ({size_mb:.0f} MB), per-channel stops {STOPS}")
    print(f"median of {ROUNDS} interleaved rounds")
    print(f"{'case':36} {'ms':>8} {'GB/s':>6} {'ratio to ours':>14}")
    for name, seconds in medians.items():
        ratio = seconds / ours
        print(f"{name:36} {seconds * 1e3:8.2f} {size_mb / 1e3 / seconds:6.1f} {ratio:14.2f}")

    tracemalloc.start()
    apply_exposure(pixels, STOPS, out=pixels)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"in-place peak extra memory: {peak / 1e3:.0f} kB ({peak / pixels.nbytes:.4%} of image)")
    checks = {
        "at least as fast as OpenColorIO (>= 1.0)": medians["OpenColorIO ExposureContrast CPU"]
        / ours,
        ">= 3x naive numpy": medians["naive numpy img * factors"] / ours,
        "within 1.2x of the copy (ours/copy <= 1.2)": ours / medians["np.copyto (memory floor)"],
    }
    for target, value in checks.items():
        print(f"target {target}: {value:.2f}")


def scalar_benchmark() -> None:
    values = [0.001 * (i + 1) for i in range(1000)]
    stops = [0.01 * i - 5 for i in range(1000)]
    cases = {
        "intensity_to_exposure": lambda: [intensity_to_exposure(v) for v in values],
        "math.log2 (reference)": lambda: [math.log2(v) for v in values],
        "exposure_to_intensity": lambda: [exposure_to_intensity(s) for s in stops],
        "2.0 ** s (reference)": lambda: [2.0**s for s in stops],
    }
    rates = {}
    for name, case in cases.items():
        runs = timeit.repeat(case, number=20, repeat=9)
        rates[name] = 20 * len(values) / statistics.median(runs)
    print()
    python = sys.version.split()[0]
    print(f"Scalar calls per second (median of 9 x 20 x 1000 calls, Python {python})")
    for name, rate in rates.items():
        print(f"{name:26} {rate / 1e6:6.2f} M/s")
    print(
        "ratio to reference: intensity_to_exposure / math.log2 = "
        f"{rates['intensity_to_exposure'] / rates['math.log2 (reference)']:.2f}, "
        "exposure_to_intensity / 2.0**s = "
        f"{rates['exposure_to_intensity'] / rates['2.0 ** s (reference)']:.2f}"
    )


if __name__ == "__main__":
    print(f"numpy {np.__version__}, OpenColorIO {ocio.__version__}")
    image_benchmark()
    scalar_benchmark()
