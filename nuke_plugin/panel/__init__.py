"""The Exposure panel: every exposure in a script, in stops, in one Qt widget.

Layers inside: :mod:`.source` (what a panel works on; no Qt),
:mod:`.file_source` (a parsed .nk file), :mod:`.qt` (the one module that
imports PySide6 or PySide2), :mod:`.model` (the rows) and :mod:`.widget`.
The live source, and the class Nuke docks, are in
:mod:`nuke_plugin.host.panel`, the layer allowed to import ``nuke``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from .file_source import FileSource

if TYPE_CHECKING:
    from .widget import ExposureWidget

__all__ = ["ExposureWidget", "FileSource", "open_file"]


def __getattr__(name: str) -> Any:
    """The widget loads Qt: only when asked for (``nuke_plugin.panel.source``
    and the file source must import where no binding is installed)."""
    if name == "ExposureWidget":
        from .widget import ExposureWidget

        return ExposureWidget
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_file(path: Union[str, Path]) -> ExposureWidget:
    """The panel over a .nk or .gizmo file, not shown and with no event loop
    started (a QApplication is made if there is none).

    Raises FileError or NkSyntaxError (one line naming the file) when the
    file cannot be read or parsed: no panel is made from a broken script.
    """
    from .qt import application
    from .widget import ExposureWidget

    application()
    return ExposureWidget(FileSource(Path(path)))
