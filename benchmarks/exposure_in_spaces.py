"""What +1 stop adds to the code values of a few spaces, measured with
OpenColorIO through nuke-stops' own grading-space adapter: the README's
table of when a CDL can carry an exposure.

    .venv/bin/python benchmarks/exposure_in_spaces.py

Each value x (scene-linear, the config's scene_linear role) and 2x are
encoded into the space; the table shows the difference of the two code
values. A constant row is a pure offset (a CDL carries it exactly).
"""

from __future__ import annotations

from typing import List

from nuke_plugin.adapters.grading_space import open_space

SPACES = ["ACEScc", "ACEScct", "ARRI LogC3 (EI800)", "ARRI LogC4"]
AT = [0.001, 0.01, 0.18, 1.0, 10.0]


def rows() -> List[str]:
    """The table in Markdown, one line per row."""
    lines = ["| space | " + " | ".join(f"at {x:g}" for x in AT) + " |"]
    lines.append("|---|" + "---|" * len(AT))
    for name in SPACES:
        space = open_space(name)
        added = []
        for x in AT:
            low, high = (space.encode([v, v, v])[0] for v in (x, 2 * x))
            added.append(f"{high - low:.4f}")
        lines.append(f"| {name} | " + " | ".join(added) + " |")
    return lines


if __name__ == "__main__":
    print("\n".join(rows()))
