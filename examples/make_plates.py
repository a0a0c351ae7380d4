"""Make the two small example plates of `nuke-stops match` and `camera --exr`.

    .venv/bin/python examples/make_plates.py

plate_A.exr is the reference (f/2.8, 1/48 s, ISO 800); plate_B.exr is the
same scene shot at f/4, one stop under, with its own sensor noise, a sky
that clips in both, and a few dead (NaN) pixels. Half float, 160 x 90, with
the standard camera attributes in their headers. The files are committed;
this script says how they were made.
"""

from pathlib import Path

import numpy as np
import OpenEXR

HERE = Path(__file__).resolve().parent
HEIGHT, WIDTH = 90, 160


def scene() -> np.ndarray:
    rng = np.random.default_rng(2026)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    light = 0.05 + 0.4 * (x / WIDTH) + 0.25 * np.sin(y / 11) ** 2
    texture = rng.lognormal(0.0, 0.35, (HEIGHT, WIDTH))
    rgb = (light * texture)[..., None] * np.array([1.05, 1.0, 0.85])
    rgb[:20] = 6.0  # the sky: bright
    return rgb


def shoot(rgb: np.ndarray, stops: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    seen = rgb * 2.0**stops * (1 + rng.normal(0, 0.01, rgb.shape))
    seen = np.minimum(seen, 2.0)  # the sensor clips
    seen[rng.random((HEIGHT, WIDTH)) < 0.002] = np.nan  # dead pixels
    return seen


def write(path: Path, rgb: np.ndarray, camera: dict) -> None:
    header = {"compression": OpenEXR.ZIP_COMPRESSION, "type": OpenEXR.scanlineimage, **camera}
    channels = {name: rgb[..., i].astype(np.float16) for i, name in enumerate("RGB")}
    OpenEXR.File(header, channels).write(str(path))


if __name__ == "__main__":
    light = scene()
    write(
        HERE / "plate_A.exr",
        shoot(light, 0, 1),
        {"aperture": 2.8, "expTime": 1 / 48, "isoSpeed": 800.0},
    )
    write(
        HERE / "plate_B.exr",
        shoot(light, -1, 2),
        {"aperture": 4.0, "expTime": 1 / 48, "isoSpeed": 800.0},
    )
    print("wrote", HERE / "plate_A.exr", HERE / "plate_B.exr")
