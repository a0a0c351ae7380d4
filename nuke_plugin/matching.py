"""Plate matching: ``nuke_plugin.matching.measure_offset`` (numpy arrays).

The implementation is :mod:`nuke_plugin.core.matching`; this is the name
pipeline code imports, beside :mod:`nuke_plugin.stops` and
:mod:`nuke_plugin.camera`.
"""

from .core.matching import CLIP_SHARE, REC709, Offset, measure_offset, offset_of_samples

__all__ = ["CLIP_SHARE", "REC709", "Offset", "measure_offset", "offset_of_samples"]
