"""Robust where CurveTool is not: each frame of a synthetic shot, measured.

    make bench         # prints the table
    make shot-plot     # also draws docs/matching_a_shot.svg (the README's picture)
    .venv/bin/python benchmarks/shot_robustness.py [--svg FILE]

The shot (tests/support/shots.py): per-frame flicker of known stops (-0.5
to +0.5 at random) on a textured plate, a clipped highlight crossing the
frame, and from halfway an object covering 20 % of the frame, then 40 %.
Each frame is measured against frame 0 by ``measure_offset`` (what
``nuke-stops match --to-frame`` does) and by the mean-based estimate
CurveTool's Avg Intensities gives (the mean of the frame per channel, its
ratio against frame 0's). The truth is what the flicker put there.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from nuke_plugin.core.matching import measure_offset  # noqa: E402
from nuke_plugin.files import safe_write  # noqa: E402

from support.shots import curvetool_offsets, synthetic_shot  # noqa: E402

WIDTH, HEIGHT, MARGIN = 760, 360, 56


def svg(truth: Sequence[float], robust: Sequence[float], mean: Sequence[float], start: int) -> str:
    """The three curves, per frame, with the object's frames shaded."""
    values = [*truth, *robust, *mean]
    low, high = min(values) - 0.1, max(values) + 0.1
    frames = len(truth)

    def x(i: float) -> float:
        return MARGIN + (WIDTH - 2 * MARGIN) * i / max(frames - 1, 1)

    def y(v: float) -> float:
        return HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * (v - low) / (high - low)

    def line(points: Sequence[float], colour: str, width: float, dash: str = "") -> str:
        path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(points))
        style = f' stroke-dasharray="{dash}"' if dash else ""
        return (
            f'<polyline points="{path}" fill="none" stroke="{colour}" '
            f'stroke-width="{width}"{style}/>'
        )

    parts: List[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<rect x="{x(start - 0.5):.1f}" y="{MARGIN}" width="{x(frames - 1) - x(start - 0.5):.1f}" '
        f'height="{HEIGHT - 2 * MARGIN}" fill="#f1eee4"/>',
        f'<text x="{x(start):.1f}" y="{MARGIN + 14}" fill="#7a6f4f">object in the frame</text>',
    ]
    step = 0.25
    tick = step * int(low / step)
    while tick <= high:
        parts.append(
            f'<line x1="{MARGIN}" x2="{WIDTH - MARGIN}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#dddddd"/><text x="{MARGIN - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{tick:+.2f}</text>'
        )
        tick += step
    for i in range(0, frames, 4):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - MARGIN + 16}" text-anchor="middle">{i}</text>'
        )
    parts += [
        line(mean, "#c0392b", 2),
        line(truth, "#222222", 4),
        line(robust, "#2e86de", 1.6, "5 3"),
        f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="14">Stops to add to '
        "each frame to match frame 0</text>",
        f'<text x="{WIDTH / 2}" y="38" text-anchor="middle" fill="#555555">a flickering '
        "shot, a clipped highlight crossing it, an object entering halfway</text>",
        f'<text x="{WIDTH / 2}" y="{HEIGHT - 14}" text-anchor="middle">frame</text>',
        f'<g transform="translate({MARGIN + 10},{HEIGHT - MARGIN - 54})">'
        '<line x2="24" stroke="#222222" stroke-width="4"/><text x="30" y="4">truth</text>'
        '<line y1="16" x2="24" y2="16" stroke="#2e86de" stroke-width="1.6" '
        'stroke-dasharray="5 3"/><text x="30" y="20">nuke-stops (median of per-pixel '
        "ratios)</text>"
        '<line y1="32" x2="24" y2="32" stroke="#c0392b" stroke-width="2"/>'
        '<text x="30" y="36">mean-based, as CurveTool\'s Avg Intensities</text></g>',
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def main(arguments: Sequence[str]) -> None:
    shot = synthetic_shot()
    truth = shot.truth()
    robust = [measure_offset(frame, shot.frames[0]).stops for frame in shot.frames]
    mean = curvetool_offsets(shot.frames)
    print(f"{len(truth)} frames against frame 0 (the object from frame {shot.object_from})")
    print("frame   truth  nuke-stops  (error)   mean-based  (error)")
    for i, (t, r, m) in enumerate(zip(truth, robust, mean)):
        print(f"{i:5d}  {t:+.3f}      {r:+.3f}  ({r - t:+.4f})      {m:+.3f}  ({m - t:+.3f})")
    robust_errors = [abs(r - t) for r, t in zip(robust, truth)]
    mean_errors = [abs(m - t) for m, t in zip(mean, truth)]
    print(f"nuke-stops: worst error {max(robust_errors):.4f} stop (goal < 0.01)")
    touched = mean_errors[shot.object_from :]
    print(
        f"mean-based: worst error {max(mean_errors):.3f} stop; on every frame with the object "
        f"at least {min(touched):.3f} (goal > 0.1)"
    )
    if "--svg" in arguments:
        target = arguments[arguments.index("--svg") + 1]
        text = svg(truth, robust, mean, shot.object_from)
        safe_write.write(safe_write.plan_output(target, len(text), force=True), [text])
        print("drew", target)


if __name__ == "__main__":
    main(sys.argv[1:])
