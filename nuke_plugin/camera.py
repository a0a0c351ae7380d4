"""Camera settings in stops, as pipeline code imports them: ``nuke_plugin.camera``.

The code lives in :mod:`nuke_plugin.core.camera`.

>>> stops_between(Settings(4, 1 / 50), Settings(2.8, 1 / 50))
1.0
"""

from __future__ import annotations

from .core.camera import (
    Settings,
    exposure_value,
    nd_to_stops,
    shutter_seconds,
    stops_between,
    t_stop,
)

__all__ = [
    "Settings",
    "exposure_value",
    "nd_to_stops",
    "shutter_seconds",
    "stops_between",
    "t_stop",
]
