"""Nodes of parsed scripts, planned and written as offline commands do."""

from __future__ import annotations

from typing import Any


def convert_node(node: Any, *args: Any, **kwargs: Any) -> Any:
    """Plan a conversion and write it (offline, where nothing else is checked)."""
    from nuke_plugin.ops.convert import plan_conversion
    from nuke_plugin.ops.outcome import applied

    return applied(node, plan_conversion(node, *args, **kwargs))


def nudge_node(node: Any, *args: Any, **kwargs: Any) -> Any:
    """Plan a nudge and write it."""
    from nuke_plugin.ops.nudge import plan_nudge
    from nuke_plugin.ops.outcome import applied

    return applied(node, plan_nudge(node, *args, **kwargs))


def script_node(body: str, node_class: str = "Grade") -> Any:
    """One node named N, with these knob lines, as the file adapter sees it."""
    from nuke_plugin.adapters.script_node import ScriptNode
    from nuke_plugin.nkfile.parser import parse

    return ScriptNode(parse(f"{node_class} {{\n{body}\n name N\n}}\n").nodes[0])
