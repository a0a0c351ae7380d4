"""Reading a 4K EXR pair for `nuke-stops match`: time and peak memory.

    make bench        # or: .venv/bin/python benchmarks/bench_exr.py

Two 4096 x 2160 half-float plates with R, G, B, A and 8 mattes (ZIP), and
the same pair as two-part stereo files (the plate in the second part). Each
way of reading runs in its own process, so that its peak resident memory
(VmHWM) is its own:

- the product: ``open_plate`` + ``pixels`` (the part's R, G, B alone, in
  strips of rows) then ``measure_offset``;
- the reference, the way before issue 15: ``OpenEXR.File(path,
  separate_channels=True)`` (every channel of every part), then
  ``np.stack`` of R, G, B and the same ``measure_offset``.

Also the header alone (``camera --exr``'s read) against ``OpenEXR.File``
with its pixels. Medians of 3 runs; ratios are reference / product.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import List, Tuple

import numpy as np
import OpenEXR

HEIGHT, WIDTH = 2160, 4096
RUNS = 3
MATTES = 8

# The peak resident memory of the process alone: VmHWM (ru_maxrss carries
# the parent's peak across fork and exec on Linux).
_PEAK = """
import sys, time
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
"""

_PRODUCT = (
    _PEAK
    + """
from pathlib import Path
from nuke_plugin.adapters.exr_file import open_plate
from nuke_plugin.core.matching import measure_offset
start = time.perf_counter()
part = sys.argv[3] or None
with open_plate(Path(sys.argv[1]), part) as a, open_plate(Path(sys.argv[2]), part) as b:
    box = a.window()
    found = measure_offset(a.pixels(box), b.pixels(box))
print(time.perf_counter() - start, peak(), found.stops)
"""
)

_REFERENCE = (
    _PEAK
    + """
import numpy as np, OpenEXR
from nuke_plugin.core.matching import measure_offset
start = time.perf_counter()
def plate(path, part):
    channels = OpenEXR.File(path, separate_channels=True).channels(part)
    return np.stack([channels[n].pixels for n in "RGB"], axis=-1)
part = int(sys.argv[3] or 0)
found = measure_offset(plate(sys.argv[1], part), plate(sys.argv[2], part))
print(time.perf_counter() - start, peak(), found.stops)
"""
)

_HEADER_PRODUCT = (
    _PEAK
    + """
from pathlib import Path
from nuke_plugin.adapters.exr_file import camera_report
start = time.perf_counter()
camera_report(Path(sys.argv[1]))
print(time.perf_counter() - start, peak(), 0)
"""
)

_HEADER_REFERENCE = (
    _PEAK
    + """
import OpenEXR
start = time.perf_counter()
OpenEXR.File(sys.argv[1], separate_channels=True).header()
print(time.perf_counter() - start, peak(), 0)
"""
)

_BASELINE = (
    _PEAK
    + """
import numpy, OpenEXR
from nuke_plugin.adapters import exr_file
from nuke_plugin.core import matching
print(0, peak(), 0)
"""
)


def plates(folder: Path) -> Tuple[Path, Path, Path, Path]:
    rng = np.random.default_rng(7)
    grey = rng.lognormal(np.log(0.18), 0.9, (HEIGHT, WIDTH, 1)).astype(np.float32)
    colour = grey * rng.uniform(0.7, 1.3, (HEIGHT, WIDTH, 3)).astype(np.float32)
    paths = []
    for name, gain in (("plate", 1.0), ("reference", 2.0)):
        pixels = (colour * gain).astype(np.float16)
        channels = {n: np.ascontiguousarray(pixels[..., i]) for i, n in enumerate("RGB")}
        channels["A"] = np.ones((HEIGHT, WIDTH), np.float16)
        for i in range(MATTES):
            channels[f"matte{i}"] = np.ascontiguousarray(pixels[..., i % 3])
        single = folder / f"{name}.exr"
        camera = {"aperture": 2.8 * gain, "expTime": 1 / 48, "isoSpeed": 800.0}
        header = {"compression": OpenEXR.ZIP_COMPRESSION, **camera}
        OpenEXR.File(header, channels).write(str(single))
        stereo = folder / f"{name}_stereo.exr"
        parts = [
            OpenEXR.Part({"compression": OpenEXR.ZIP_COMPRESSION}, channels, name=eye)
            for eye in ("left", "right")
        ]
        OpenEXR.File(parts).write(str(stereo))
        paths += [single, stereo]
    return paths[0], paths[2], paths[1], paths[3]


def run(code: str, *args: str) -> Tuple[float, float]:
    """Median seconds and peak resident memory in MB over RUNS processes."""
    times: List[float] = []
    peaks: List[float] = []
    for _ in range(RUNS):
        done = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
        )
        seconds, peak_kb, _stops = done.stdout.split()
        times.append(float(seconds))
        peaks.append(float(peak_kb) / 1024)
    return statistics.median(times), statistics.median(peaks)


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    plate, reference, plate_stereo, reference_stereo = plates(folder)
    size = plate.stat().st_size / 1e6
    frame = HEIGHT * WIDTH * 3 * 2 / 1e6
    _, baseline = run(_BASELINE)
    print(
        f"{WIDTH} x {HEIGHT} half, R G B A + {MATTES} mattes, ZIP ({size:.0f} MB a file); "
        f"one plate's R, G, B: {frame:.0f} MB; Python + numpy + OpenEXR loaded: {baseline:.0f} MB"
    )
    for label, files, part in (
        ("single-part pair", (plate, reference), ""),
        ("two-part pair, second part", (plate_stereo, reference_stereo), "right"),
    ):
        mine = run(_PRODUCT, str(files[0]), str(files[1]), part)
        theirs = run(_REFERENCE, str(files[0]), str(files[1]), "1" if part else "")
        print(
            f"{label}: product {mine[0] * 1000:.0f} ms, peak {mine[1]:.0f} MB "
            f"({mine[1] - baseline:.0f} MB over the baseline); every channel decoded "
            f"{theirs[0] * 1000:.0f} ms, peak {theirs[1]:.0f} MB ({theirs[1] - baseline:.0f} MB); "
            f"memory over the baseline {(theirs[1] - baseline) / (mine[1] - baseline):.1f}x less, "
            f"time {theirs[0] / mine[0]:.2f}x"
        )
    mine = run(_HEADER_PRODUCT, str(plate))
    theirs = run(_HEADER_REFERENCE, str(plate))
    print(
        f"header alone (camera --exr): product {mine[0] * 1000:.2f} ms, peak {mine[1]:.0f} MB; "
        f"OpenEXR.File with pixels {theirs[0] * 1000:.0f} ms, peak {theirs[1]:.0f} MB "
        f"({theirs[0] / mine[0]:.0f}x)"
    )


if __name__ == "__main__":
    main()
