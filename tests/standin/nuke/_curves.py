"""Evaluating an animation curve, from Foundry's AnimationKey documentation.

Documented (nuke.AnimationKey): each key's interpolation computes its
slopes, except the left slope of the first key and the right slope of the
last, which its extrapolation sets.

- USER_SET_SLOPE: the slopes written in the file (``s``/``t``) are used.
- CONSTANT: the curve equals the y of the key to the left.
- LINEAR: slopes point directly at the neighbouring key.
- CATMULL_ROM: the slope at key n is the slope between keys n-1 and n+1.
- SMOOTH (the default): Catmull-Rom, "clamped so that the convex-hull
  property is preserved (no part of the curve extends vertically outside
  the range of the keys on each side of it)".
- CUBIC: the slopes of the one cubic spline with continuous first and second
  derivatives over each run of cubic keys.
- For smooth, Catmull-Rom and cubic, the first and last keys get slopes that
  make the second derivative zero there.
- Extrapolation constant: the outer slopes are 0 (the curve holds its end
  values); linear: the outer slope equals the inner one.
- la/ra ("bicubic" handles, 1 = a third of the span) bend the horizontal
  interpolation; both 1 make the span a cubic in time.

Docs silent (the stand-in's choice, listed in docs/real_nuke_checks.md):
how exactly smooth clamps (here: 0 at a local extremum, else limited to
three times the smaller neighbouring secant, which keeps a cubic span inside
its keys' range), and that no extrapolation letter means constant.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

# (x, y, interpolation letter, extrapolation letter, user left slope,
#  user right slope, la, ra): the stand-in's key record
Key = Tuple[float, float, str, str, Optional[float], Optional[float], float, float]


def _secant(keys: Sequence[Key], a: int, b: int) -> float:
    return (keys[b][1] - keys[a][1]) / (keys[b][0] - keys[a][0])


def _cubic_run_slopes(keys: Sequence[Key], start: int, end: int) -> List[float]:
    """Slopes of the C2 cubic spline through keys[start..end] (natural ends)."""
    n = end - start + 1
    if n == 2:
        d = _secant(keys, start, end)
        return [d, d]
    h = [keys[start + i + 1][0] - keys[start + i][0] for i in range(n - 1)]
    d = [_secant(keys, start + i, start + i + 1) for i in range(n - 1)]
    # Tridiagonal system a*m[i-1] + b*m[i] + c*m[i+1] = r
    a = [0.0] * n
    b = [0.0] * n
    c = [0.0] * n
    r = [0.0] * n
    b[0], c[0], r[0] = 2.0, 1.0, 3.0 * d[0]
    for i in range(1, n - 1):
        a[i], b[i], c[i] = h[i], 2.0 * (h[i - 1] + h[i]), h[i - 1]
        r[i] = 3.0 * (h[i] * d[i - 1] + h[i - 1] * d[i])
    a[n - 1], b[n - 1], r[n - 1] = 1.0, 2.0, 3.0 * d[n - 2]
    for i in range(1, n):  # forward sweep
        w = a[i] / b[i - 1]
        b[i] -= w * c[i - 1]
        r[i] -= w * r[i - 1]
    m = [0.0] * n
    m[n - 1] = r[n - 1] / b[n - 1]
    for i in range(n - 2, -1, -1):
        m[i] = (r[i] - c[i] * m[i + 1]) / b[i]
    return m


def slopes(keys: Sequence[Key]) -> List[Tuple[float, float]]:
    """(left slope, right slope) of every key."""
    n = len(keys)
    if n == 1:
        return [(0.0, 0.0)]
    left: List[Optional[float]] = [None] * n
    right: List[Optional[float]] = [None] * n
    cubic: List[Optional[float]] = [None] * n
    i = 0
    while i < n:  # runs of cubic keys
        if keys[i][2] == "C":
            j = i
            while j + 1 < n and keys[j + 1][2] == "C":
                j += 1
            if j > i:
                for k, m in enumerate(_cubic_run_slopes(keys, i, j)):
                    cubic[i + k] = m
            i = j + 1
        else:
            i += 1
    for i, (_x, _y, interpolation, _, user_left, user_right, _, _) in enumerate(keys):
        if user_left is not None or user_right is not None:
            left[i] = user_left if user_left is not None else user_right
            right[i] = user_right if user_right is not None else user_left
            continue
        if interpolation == "K":
            left[i] = right[i] = 0.0
        elif interpolation == "L":
            left[i] = _secant(keys, i - 1, i) if i > 0 else None
            right[i] = _secant(keys, i, i + 1) if i < n - 1 else None
        elif 0 < i < n - 1:
            if interpolation == "C" and cubic[i] is not None:
                m = cubic[i]
            else:
                m = _secant(keys, i - 1, i + 1)
                if interpolation == "S":
                    before, after = _secant(keys, i - 1, i), _secant(keys, i, i + 1)
                    if before * after <= 0:
                        m = 0.0  # a local extremum stays flat
                    else:
                        limit = 3.0 * min(abs(before), abs(after))
                        m = max(-limit, min(limit, m))
            left[i] = right[i] = m
        elif interpolation == "C" and cubic[i] is not None:
            left[i] = right[i] = cubic[i]
    # End keys of smooth / Catmull-Rom / cubic: second derivative zero.
    if right[0] is None and left[1] is None:  # two such keys: a straight span
        right[0] = left[1] = _secant(keys, 0, 1)
    if right[0] is None:
        right[0] = (3.0 * _secant(keys, 0, 1) - (left[1] or 0.0)) / 2.0
    if left[n - 1] is None:
        left[n - 1] = (3.0 * _secant(keys, n - 2, n - 1) - (right[n - 2] or 0.0)) / 2.0
    # Outer slopes: extrapolation (constant unless the key says linear).
    left[0] = right[0] if keys[0][3] == "l" else 0.0
    right[n - 1] = left[n - 1] if keys[n - 1][3] == "l" else 0.0
    return [(float(lo or 0.0), float(hi or 0.0)) for lo, hi in zip(left, right)]


def _bezier_parameter(x0: float, x1: float, x2: float, x3: float, x: float) -> float:
    """The parameter s in [0, 1] at which the cubic x(s) reaches x."""
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        u = 1 - mid
        value = u * u * u * x0 + 3 * u * u * mid * x1 + 3 * u * mid * mid * x2 + mid**3 * x3
        if value < x:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def evaluate(keys: Sequence[Key], t: float) -> float:
    """The curve's value at time t."""
    if not keys:
        return 0.0
    ordered = sorted(keys, key=lambda k: k[0])
    s = slopes(ordered)
    first, last = ordered[0], ordered[-1]
    if t <= first[0]:
        return first[1] + s[0][0] * (t - first[0])
    if t >= last[0]:
        return last[1] + s[-1][1] * (t - last[0])
    for i in range(len(ordered) - 1):
        a, b = ordered[i], ordered[i + 1]
        if a[0] <= t <= b[0]:
            if t == a[0]:
                return a[1]
            if t == b[0]:
                return b[1]
            if a[2] == "K":
                return a[1]
            h = b[0] - a[0]
            m0, m1 = s[i][1], s[i + 1][0]
            ra, la = a[7], b[6]
            if ra == 1.0 and la == 1.0:
                u = (t - a[0]) / h
            else:
                u = _bezier_parameter(a[0], a[0] + ra * h / 3, b[0] - la * h / 3, b[0], t)
                # The vertical handles follow the same handle lengths.
                p1 = a[1] + m0 * ra * h / 3
                p2 = b[1] - m1 * la * h / 3
                w = 1 - u
                return w**3 * a[1] + 3 * w * w * u * p1 + 3 * w * u * u * p2 + u**3 * b[1]
            u2, u3 = u * u, u * u * u
            return (
                (2 * u3 - 3 * u2 + 1) * a[1]
                + (u3 - 2 * u2 + u) * h * m0
                + (-2 * u3 + 3 * u2) * b[1]
                + (u3 - u2) * h * m1
            )
    return last[1]
