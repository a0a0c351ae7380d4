"""A synthetic shot that throws a mean-based exposure measure, and that measure.

Used by the robustness test (tests/core/test_shot.py), the benchmark
(benchmarks/shot_robustness.py) and the README's plot (make shot-plot):

- a textured plate, its exposure flickering by known stops (uniform in
  -0.5..+0.5, frame by frame), 1 % sensor noise;
- a clipped highlight (a bright disc, clipped at the sensor's level, which
  does not move with exposure) crossing the frame over the shot;
- from halfway through, an object entering from the left and covering 20 %
  of the frame, growing to 40 % by the last frame: a texture of the same
  median as the plate but far more contrast, so it moves a mean a lot.

:func:`curvetool_offsets` is the mean-based estimate, computed the way
CurveTool's "Avg Intensities" is (Foundry, "Analyzing and Matching Clips"):
the mean of the region per channel, each frame's ratio against the
reference frame's, here as luminance-weighted stops.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, List

import numpy as np

REC709 = np.array([0.2126, 0.7152, 0.0722])
#: The sensor's clip level (linear), the same at every exposure.
CLIP = 6.0


@dataclass
class Shot:
    """The frames (float32, H x W x 3), each frame's flicker in stops, and
    which frames the object is in."""

    frames: List[Any]
    flicker: List[float]
    object_from: int

    def truth(self, reference: int = 0) -> List[float]:
        """Stops to add to each frame to match frame ``reference``."""
        return [self.flicker[reference] - f for f in self.flicker]


def synthetic_shot(count: int = 24, height: int = 135, width: int = 240, seed: int = 4) -> Shot:
    rng = np.random.default_rng(seed)
    luminance = rng.lognormal(math.log(0.18), 0.9, (height, width, 1))
    scene = luminance * rng.uniform(0.8, 1.2, (height, width, 3))
    thing = rng.lognormal(math.log(0.18), 2.6, (height, width, 1)) * np.ones(3)
    rows, columns = np.mgrid[0:height, 0:width]
    flicker = [float(rng.uniform(-0.5, 0.5)) for _ in range(count)]
    frames = []
    for index in range(count):
        light = scene.copy()
        across = index / max(count - 1, 1)
        cx, cy, radius = width * (0.1 + 0.8 * across), height * 0.35, height * 0.14
        light[(columns - cx) ** 2 + (rows - cy) ** 2 < radius**2] = 40.0  # the sun on chrome
        if index >= count // 2:
            share = 0.2 + 0.2 * (index - count // 2) / max(count - count // 2 - 1, 1)
            covered = columns < share * width
            light[covered] = thing[covered]
        exposed = light * 2.0 ** flicker[index]
        exposed *= 1 + rng.normal(0, 0.01, exposed.shape)
        frames.append(np.minimum(exposed, CLIP).astype(np.float32))
    return Shot(frames, flicker, count // 2)


def curvetool_offsets(frames: List[Any], reference: int = 0) -> List[float]:
    """The mean-based estimate of the stops to add to each frame to match
    frame ``reference`` (CurveTool's Avg Intensities over the whole frame)."""
    means = [frame.reshape(-1, 3).mean(axis=0) for frame in frames]
    target = float(means[reference] @ REC709)
    return [math.log2(target / float(m @ REC709)) for m in means]
