"""What the knobChanged and updateUI callbacks cost, measured on the stand-in.

    make bench        # or: .venv/bin/python benchmarks/bench_callbacks.py

Nuke runs updateUI at idle for every Grade, Multiply and ColorCorrect, and
knobChanged on every knob change of one while its panel is open, so both
must return almost at once. Each callback of menu.py is called the way Nuke
calls it (thisNode/thisKnob set) on a script of 1,000 plain Grades, 100 with
linked stop knobs and 10 whose stop knobs were unlinked by an expression,
and timed against the least any callback can do: ``nuke.thisNode().knob(
"nks_stops")`` (the reference). Medians of 15 rounds. On the stand-in the
knob calls are Python, not Nuke's C++: the ratios are the figures to read.
"""

from __future__ import annotations

import runpy
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "standin"))

import nuke  # noqa: E402  (the stand-in)

ROUNDS = 15


def _script() -> List[Any]:
    nuke._reset()  # type: ignore[attr-defined]
    from nuke_plugin.host import commands

    nodes = []
    for _ in range(1110):
        node = nuke.createNode("Grade", inpanel=False)
        node["multiply"].fromScript("1.5 1.2 1 1")
        nodes.append(node)
    for node in nodes:
        node.setSelected(False)
    for node in nodes[1000:]:
        node.setSelected(True)
    commands.add_stop_knobs()
    for node in nodes[1100:]:
        node["multiply"].fromScript("{parent.other}")
    return nodes


def _per_node(call: Callable[[], Any], nodes: List[Any], knob: str) -> float:
    session = nuke._session()  # type: ignore[attr-defined]
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for node in nodes:
            session.this.append((node, node[knob]))
            call()
            session.this.pop()
        times.append((time.perf_counter() - start) / len(nodes))
    return statistics.median(times)


def main() -> None:
    menu = runpy.run_path(str(ROOT / "menu.py"))
    nodes = _script()
    for _ in range(2):  # the first idle passes mark the unlinked nodes once
        for node in nodes:
            nuke._session().this.append((node, None))  # type: ignore[attr-defined]
            menu["_on_update_ui"]()
            nuke._session().this.pop()  # type: ignore[attr-defined]

    def reference() -> None:
        nuke.thisNode().knob("nks_stops")

    groups = {
        "plain": nodes[:1000],
        "linked stop knobs": nodes[1000:1100],
        "unlinked stop knobs": nodes[1100:],
    }
    base = _per_node(reference, nodes[:1000], "name")
    print(f"per node and call, median of {ROUNDS} rounds (stand-in nuke module):")
    print(f"  reference: thisNode().knob('nks_stops')   {base * 1e6:7.2f} us")
    for label, members in groups.items():
        cost = _per_node(menu["_on_update_ui"], members, "name")
        print(f"  updateUI, {label:<22}      {cost * 1e6:7.2f} us   {cost / base:5.1f}x")
    for knob in ("gamma", "multiply"):
        cost = _per_node(menu["_on_knob_changed"], nodes[1000:1100], knob)
        label = f"knobChanged on {knob:<9} (stop knobs)"
        print(f"  {label}  {cost * 1e6:7.2f} us   {cost / base:5.1f}x")
    plain = _per_node(menu["_on_update_ui"], nodes[:1000], "name")
    print(f"  an idle pass over 5,000 plain nodes   {5000 * plain * 1e3:7.2f} ms")


if __name__ == "__main__":
    main()
