"""How far apart are "keys converted to stops" and the original curve, between keys?

Converting an animated multiplier key by key (log2 of each key, slopes
turned into slopes of log2) keeps the render exact at the keys; between
keys Nuke then interpolates stops instead of the multiplier, so it renders
2 ** (interpolated stops) where the original rendered the interpolated
multiplier. This measures the difference, in stops, at every whole frame
and quarter frame between the first and the last key, using Nuke's
documented interpolation for each key type (nuke_plugin.nkfile.curves).

The curves: every keyed curve with two or more keys, all positive, in
../shared/corpus (it has no keyed Grade/Multiply/ColorCorrect value, so
every positive keyed curve of any knob stands in for a multiplier), the
bundled example and the tests' golden files.

    .venv/bin/python benchmarks/between_keys.py

Figures and the choice they led to: docs/between_keys.md.
"""

from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path
from typing import Iterator, List, Tuple

from nuke_plugin.nkfile.curves import value_at
from nuke_plugin.nkfile.parser import parse
from nuke_plugin.nkfile.values import Animation, Bare, Braced, Key, animation, parse_value

ROOT = Path(__file__).resolve().parent.parent

THRESHOLD = 0.001  # stops


def curves_in(path: Path) -> Iterator[Tuple[str, Animation]]:
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    for node in parse(text, str(path)).walk():
        if node.node_class in ("Roto", "RotoPaint", "SplineWarp3"):
            continue
        for knob in node.knobs:
            if "curve" not in knob.text:
                continue
            try:
                value = parse_value(knob.text)
            except ValueError:
                continue
            for item in _braced(value):
                try:
                    curve = animation(item)
                except ValueError:
                    continue
                keyed = curve.expression == "curve" and len(curve.keys) >= 2
                if keyed and all(k.value > 0 for k in curve.keys):
                    yield f"{path.name}:{node.path}.{knob.name}", curve


def _braced(value: object) -> Iterator[Braced]:
    if isinstance(value, Braced):
        if value.items and isinstance(value.items[0], Bare) and value.items[0].text == "curve":
            yield value
        else:
            for item in value.items:
                yield from _braced(item)


def in_stops(curve: Animation) -> Animation:
    """The key-by-key conversion: log2 of each key, slopes of log2."""
    keys = []
    for key in curve.keys:
        scale = 1 / (key.value * math.log(2))
        tangents = tuple(
            (letter, amount * scale if letter in "st" else amount)
            for letter, amount in key.tangents
        )
        keys.append(
            Key(key.frame, math.log2(key.value), key.interpolation, key.extrapolation, tangents)
        )
    return Animation("curve", tuple(keys))


def worst_difference(curve: Animation) -> Tuple[float, int, int]:
    """Largest |log2(linear) - stops| between keys, frames over THRESHOLD,
    frames measured (frames where the linear curve dips to 0 or below
    count as over: they have no stops at all)."""
    stops = in_stops(curve)
    first, last = curve.keys[0].frame, curve.keys[-1].frame
    worst, over, count = 0.0, 0, 0
    frame = first
    while frame <= last:
        linear = value_at(curve, frame)
        count += 1
        if linear <= 0:
            over += 1
            worst = math.inf
        else:
            difference = abs(math.log2(linear) - value_at(stops, frame))
            worst = max(worst, difference)
            over += difference > THRESHOLD
        frame += 0.25
    return worst, over, count


def main() -> int:
    sources: List[Path] = []
    corpus = ROOT.parent / "shared" / "corpus"
    if corpus.is_dir():
        sources += sorted(p for p in corpus.iterdir() if p.suffix in (".nk", ".gizmo"))
    sources += [
        ROOT / "examples" / "legacy_comp.nk",
        *sorted((ROOT / "tests" / "data" / "golden").glob("*.nk")),
    ]
    rows = []
    for path in sources:
        for where, curve in curves_in(path):
            letters = "".join(sorted({k.interpolation or "S" for k in curve.keys}))
            rows.append((where, letters, len(curve.keys), *worst_difference(curve)))
    if not rows:
        print("no positive keyed curves found")
        return 1
    worst = [r[3] for r in rows]
    affected = [r for r in rows if r[3] > THRESHOLD]
    frames = sum(r[5] for r in rows)
    frames_over = sum(r[4] for r in rows)
    print(
        f"{len(rows)} positive keyed curves from {len(sources)} files "
        f"({'with' if corpus.is_dir() else 'without'} ../shared/corpus)"
    )
    print(
        f"interpolation letters seen: {sorted({r[1] for r in rows})} (S = smooth, Nuke's default)"
    )
    print(
        f"curves whose key-by-key stops differ by more than {THRESHOLD} stop between keys: "
        f"{len(affected)} of {len(rows)}"
    )
    print(f"quarter-frames over {THRESHOLD} stop: {frames_over} of {frames}")
    finite = [w for w in worst if math.isfinite(w)]
    print(
        f"largest difference per curve: median {statistics.median(finite):.4f} stop, "
        f"max {max(finite):.4f} stop"
        + (", some curves dip to zero or below" if len(finite) < len(worst) else "")
    )
    print()
    for where, letters, count, difference, over, measured in sorted(rows, key=lambda r: -r[3])[:8]:
        share = f"{over:4d}/{measured:<4d} frames"
        print(f"  {difference:8.4f} stop  {share}  {letters:3} {count:3d} keys  {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
