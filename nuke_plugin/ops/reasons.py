"""Why an operation leaves a knob alone: the texts every operation shares.

One wording each, so a nudge, a typed value, a scan and a conversion say
the same thing of the same knob.

>>> not_following("multiply")
'multiply no longer follows the stop knobs: fix it or remove them first'
>>> unknown_mode(None)
'mode not written (Nuke default): unit not known here'
"""

from __future__ import annotations

from typing import Optional

__all__ = ["driven_by_expression", "no_exposure", "not_following", "unknown_mode"]


def not_following(knob: str) -> str:
    """A linear knob that no longer follows the stop knobs on its node."""
    return f"{knob} no longer follows the stop knobs: fix it or remove them first"


def no_exposure(reason: str) -> str:
    """A knob whose value has no exposure (zero or negative somewhere): no
    stops can be set on top of it.

    >>> no_exposure("channel r is 0: exposure of zero intensity is undefined")
    'not expressible in stops: channel r is 0: exposure of zero intensity is undefined'
    """
    return f"not expressible in stops: {reason}"


def unknown_mode(mode: Optional[str]) -> str:
    """An EXPTool whose ``mode`` names no unit this package converts."""
    return f"mode {mode or 'not written (Nuke default)'}: unit not known here"


def driven_by_expression(knob: str, expression: str, verb: str) -> str:
    """A knob an expression drives: ``verb`` (nudge, set) the knob it reads.

    >>> driven_by_expression("value", "parent.Grade1.multiply", "nudge")
    "value is driven by the expression 'parent.Grade1.multiply': nudge the knob it reads instead"
    """
    return f"{knob} is driven by the expression {expression!r}: {verb} the knob it reads instead"
