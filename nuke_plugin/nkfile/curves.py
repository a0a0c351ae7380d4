"""Evaluate a Nuke animation curve between its keys (pure: no Nuke needed).

Follows Foundry's documentation of ``nuke.AnimationKey``: each key's
interpolation sets its slopes: constant (K: the curve holds the key's value
until the next key), linear (L: slopes point at the neighbouring keys),
Catmull-Rom (R: the slope between the keys either side), smooth (S, the
default: Catmull-Rom clamped so the curve never leaves the range of the
keys on each side) and cubic (C: the spline with continuous first and
second derivatives over a run of cubic keys). Slopes written in the file
(``s``/``t``) are used as they are. The first and last keys of smooth,
Catmull-Rom and cubic curves get the slope that makes the second derivative
zero there. Outside the keys the curve holds its end values, or continues
along the end slope when the key says ``l`` (linear extrapolation).

Where the documentation is silent this module chooses, and says so: smooth
clamping limits a slope to three times the smaller neighbouring secant
(zero at a local extremum), which keeps each cubic span within its keys.
The ``u``/``v`` handle lengths bend the span in time as a Bezier curve.

>>> from nuke_plugin.nkfile.values import channels
>>> [curve] = channels("{{curve L x1 0 x11 10}}")
>>> value_at(curve, 6)
5.0
>>> [curve] = channels("{{curve K x1 1 x10 2}}")
>>> value_at(curve, 9.5), value_at(curve, 10)
(1.0, 2.0)
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from .values import Animation, Key

__all__ = ["slopes", "value_at"]


def _letter(key: Key) -> str:
    return key.interpolation or "S"


def _tangent(key: Key, letter: str) -> Optional[float]:
    return next((amount for name, amount in key.tangents if name == letter), None)


def _secant(keys: Sequence[Key], a: int, b: int) -> float:
    return (keys[b].value - keys[a].value) / (keys[b].frame - keys[a].frame)


def _spline(keys: Sequence[Key], first: int, last: int) -> List[float]:
    """Slopes of the cubic spline through keys first..last whose second
    derivative is continuous inside and zero at both ends."""
    count = last - first + 1
    widths = [keys[first + i + 1].frame - keys[first + i].frame for i in range(count - 1)]
    secants = [_secant(keys, first + i, first + i + 1) for i in range(count - 1)]
    diagonal = [2.0] + [2.0 * (widths[i - 1] + widths[i]) for i in range(1, count - 1)] + [2.0]
    below = [0.0] + [widths[i] for i in range(1, count - 1)] + [1.0]
    above = [1.0] + [widths[i - 1] for i in range(1, count - 1)] + [0.0]
    inside = [
        3.0 * (widths[i] * secants[i - 1] + widths[i - 1] * secants[i]) for i in range(1, count - 1)
    ]
    right = [3.0 * secants[0]] + inside + [3.0 * secants[-1]]
    for i in range(1, count):  # Thomas algorithm, forward
        factor = below[i] / diagonal[i - 1]
        diagonal[i] -= factor * above[i - 1]
        right[i] -= factor * right[i - 1]
    result = [0.0] * count
    result[-1] = right[-1] / diagonal[-1]
    for i in range(count - 2, -1, -1):
        result[i] = (right[i] - above[i] * result[i + 1]) / diagonal[i]
    return result


def slopes(keys: Sequence[Key]) -> List[Tuple[float, float]]:
    """(left, right) slope of each key of a curve sorted by frame."""
    count = len(keys)
    if count < 2:
        return [(0.0, 0.0)] * count
    inner: List[Optional[float]] = [None] * count
    start = 0
    while start < count:  # runs of two or more cubic keys
        end = start
        while end + 1 < count and _letter(keys[end + 1]) == "C" and _letter(keys[start]) == "C":
            end += 1
        if end > start:
            inner[start : end + 1] = _spline(keys, start, end)
        start = end + 1
    left: List[Optional[float]] = [None] * count
    right: List[Optional[float]] = [None] * count
    for i, key in enumerate(keys):
        given_left, given_right = _tangent(key, "s"), _tangent(key, "t")
        if given_left is not None or given_right is not None:
            left[i] = given_left if given_left is not None else given_right
            right[i] = given_right if given_right is not None else given_left
            continue
        letter = _letter(key)
        if letter == "K":
            left[i] = right[i] = 0.0
        elif letter == "L":
            left[i] = _secant(keys, i - 1, i) if i > 0 else None
            right[i] = _secant(keys, i, i + 1) if i + 1 < count else None
        elif inner[i] is not None:
            left[i] = right[i] = inner[i]
        elif 0 < i < count - 1:
            before, after = _secant(keys, i - 1, i), _secant(keys, i, i + 1)
            slope = _secant(keys, i - 1, i + 1)
            if letter == "S":
                if before * after <= 0:
                    slope = 0.0
                else:
                    limit = 3.0 * min(abs(before), abs(after))
                    slope = min(max(slope, -limit), limit)
            left[i] = right[i] = slope
    if right[0] is None and left[1] is None:
        right[0] = left[1] = _secant(keys, 0, 1)
    if right[0] is None:
        right[0] = (3.0 * _secant(keys, 0, 1) - (left[1] or 0.0)) / 2.0
    if left[-1] is None:
        left[-1] = (3.0 * _secant(keys, count - 2, count - 1) - (right[-2] or 0.0)) / 2.0
    left[0] = right[0] if keys[0].extrapolation == "l" else 0.0
    right[-1] = left[-1] if keys[-1].extrapolation == "l" else 0.0
    return [(lo or 0.0, hi or 0.0) for lo, hi in zip(left, right)]


def value_at(curve: Animation, frame: float) -> float:
    """The keyed curve's value at ``frame`` (an expression is not applied).

    >>> from nuke_plugin.nkfile.values import channels
    >>> [curve] = channels("{{curve R x0 0 x1 1 x2 0 x3 1}}")
    >>> round(value_at(curve, 1.5), 6)
    0.5
    """
    keys = sorted(curve.keys, key=lambda k: k.frame)
    if not keys:
        raise ValueError("a curve with no keys has no value")
    pairs = slopes(keys)
    if frame <= keys[0].frame:
        return keys[0].value + pairs[0][0] * (frame - keys[0].frame)
    if frame >= keys[-1].frame:
        return keys[-1].value + pairs[-1][1] * (frame - keys[-1].frame)
    i = max(j for j in range(len(keys) - 1) if keys[j].frame <= frame)
    a, b = keys[i], keys[i + 1]
    if frame == a.frame:
        return a.value
    if _letter(a) == "K" and _tangent(a, "s") is None and _tangent(a, "t") is None:
        return a.value
    width = b.frame - a.frame
    start_slope, end_slope = pairs[i][1], pairs[i + 1][0]
    out_handle = _tangent(a, "v") or 1.0
    in_handle = _tangent(b, "u") or 1.0
    p1 = a.value + start_slope * out_handle * width / 3
    p2 = b.value - end_slope * in_handle * width / 3
    if out_handle == 1.0 and in_handle == 1.0:
        s = (frame - a.frame) / width
    else:
        s = _bezier_parameter(
            a.frame,
            a.frame + out_handle * width / 3,
            b.frame - in_handle * width / 3,
            b.frame,
            frame,
        )
    t = 1 - s
    return t * t * t * a.value + 3 * t * t * s * p1 + 3 * t * s * s * p2 + s * s * s * b.value


def _bezier_parameter(x0: float, x1: float, x2: float, x3: float, x: float) -> float:
    """Where the (monotonic) Bezier x(s) reaches ``x``: bisection."""
    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        t = 1 - middle
        s = middle
        at = t * t * t * x0 + 3 * t * t * s * x1 + 3 * t * s * s * x2 + s * s * s * x3
        low, high = (middle, high) if at < x else (low, middle)
    return (low + high) / 2
