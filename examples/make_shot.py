"""Make the small example shot of `nuke-stops match` over frame sequences.

    .venv/bin/python examples/make_shot.py

examples/shot/plate.1001.exr to plate.1012.exr: a plate whose exposure
flickers (fluorescent light) by the stops in FLICKER, a sky that clips,
fresh sensor noise each frame and, from frame 1007, a dark object entering
from the left. examples/shot/ref.1001.exr to ref.1012.exr: the same scene,
steady, the object too. Half float, 96 x 54, ZIP. The files are committed;
this script says how they were made.
"""

from pathlib import Path

import numpy as np
import OpenEXR

HERE = Path(__file__).resolve().parent / "shot"
HEIGHT, WIDTH = 54, 96
FRAMES = range(1001, 1013)
#: Each plate frame's exposure against the reference, in stops.
FLICKER = {f: round(float(0.45 * np.sin(f * 2.3)), 3) for f in FRAMES}


def scene(frame: int) -> np.ndarray:
    rng = np.random.default_rng(2026)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    light = 0.05 + 0.4 * (x / WIDTH) + 0.25 * np.sin(y / 7) ** 2
    texture = rng.lognormal(0.0, 0.35, (HEIGHT, WIDTH))
    rgb = (light * texture)[..., None] * np.array([1.05, 1.0, 0.85])
    rgb[:12] = 6.0  # the sky: bright
    if frame >= 1007:
        rgb[12:, : 8 * (frame - 1004)] = 0.02  # the object, coming in
    return rgb


def shoot(rgb: np.ndarray, stops: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    seen = rgb * 2.0**stops * (1 + rng.normal(0, 0.01, rgb.shape))
    return np.minimum(seen, 2.0)  # the sensor clips


def write(path: Path, rgb: np.ndarray) -> None:
    header = {"compression": OpenEXR.ZIP_COMPRESSION, "type": OpenEXR.scanlineimage}
    channels = {name: rgb[..., i].astype(np.float16) for i, name in enumerate("RGB")}
    OpenEXR.File(header, channels).write(str(path))


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    for frame in FRAMES:
        light = scene(frame)
        write(HERE / f"plate.{frame}.exr", shoot(light, FLICKER[frame], frame))
        write(HERE / f"ref.{frame}.exr", shoot(light, 0.0, 10_000 + frame))
    print("wrote", len(FRAMES), "frames of", HERE / "plate.####.exr", "and", HERE / "ref.####.exr")
