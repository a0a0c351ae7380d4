"""The operations over a whole parsed script: scan it, convert it.

>>> from nuke_plugin.nkfile.parser import parse
>>> script = parse("Grade {\\n multiply {2 2 2 1}\\n name Grade1\\n}\\n")
>>> [str(o.status) for o in convert_script(script)]
['converted']
>>> import re
>>> text = script.to_text().replace("+nks_channel_stops", "+...")
>>> print(re.sub(r' t "[^"]*"', "", text), end="")  # tooltips left out here
Grade {
 multiply {{pow(2,nks_stops+....r)} {pow(2,nks_stops+....g)} {pow(2,nks_stops+....b)} 1}
 name Grade1
 addUserKnob {20 nks_exposure l Exposure}
 addUserKnob {7 nks_stops l stops R -5 5}
 nks_stops 1
 addUserKnob {19 nks_channel_stops l "per channel" R -5 5}
 nks_channel_stops {0 0 0 0}
 addUserKnob {1 nks_drives l drives +INVISIBLE}
 nks_drives multiply
}
"""

from __future__ import annotations

from typing import Dict, List, Optional

from ..nkfile.script import Script
from ..ops.convert import plan_conversion
from ..ops.outcome import Outcome, applied
from ..ops.scan import Finding, scan_node
from ..registry import CONVERTIBLE
from .script_node import nodes

__all__ = ["convert_script", "scan_script"]


def scan_script(script: Script) -> List[Finding]:
    """Every exposure-bearing knob in the script, groups included."""
    return [finding for node in nodes(script) for finding in scan_node(node)]


def convert_script(script: Script, knobs: Optional[Dict[str, str]] = None) -> List[Outcome]:
    """Convert every Grade/Multiply/ColorCorrect with a legacy value.

    ``knobs`` overrides the driven knob per class, e.g. ``{"Grade": "white"}``.
    Returns an outcome for every such node, converted or not.
    """
    chosen = knobs or {}
    return [
        applied(node, plan_conversion(node, chosen.get(node.node_class)))
        for node in nodes(script)
        if node.node_class in CONVERTIBLE
    ]
