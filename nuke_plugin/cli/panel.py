"""``nuke-stops panel comp.nk``: the Exposure panel on a script, without Nuke.

With ``--screenshot out.png`` it draws the panel offscreen, writes the
picture and exits (how the README image is made, and how a machine with no
screen shows it). Without it the panel opens in a window; closing it with
unsaved edits asks whether to save them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

from .terminal import fail

TYPE_CHECKING = False
if TYPE_CHECKING:  # Qt loads only when the command runs
    from ..panel.qt import QtWidgets

__all__ = ["run_panel"]

#: The window's size, and the screenshot's.
SIZE = (1000, 420)


def _no_screen() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    return sys.platform.startswith("linux") and not platform and not has_display


def run_panel(paths: List[str], screenshot: Optional[str]) -> int:
    """Open the panel on one script; returns the exit status."""
    if len(paths) != 1:
        return fail(f"panel opens one script at a time; got {len(paths)}: {' '.join(paths)}")
    if screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt starts
    elif _no_screen():
        return fail("no screen to open the panel on (DISPLAY is not set): use --screenshot PNG")
    from ..nkfile.files import FileError
    from ..nkfile.script import NkSyntaxError

    try:
        from ..panel import ExposureWidget, FileSource
        from ..panel.qt import application, quiet_qt_messages, run_event_loop
    except ImportError as error:
        return fail(f"the panel needs PySide6 or PySide2 ({error}): pip install PySide6-Essentials")
    try:
        source = FileSource(Path(paths[0]))  # read and parsed before Qt starts
    except (FileError, NkSyntaxError) as error:
        return fail(str(error))
    quiet_qt_messages()
    app = application()
    widget = ExposureWidget(source)
    widget.resize(*SIZE)
    if screenshot:
        return _screenshot(widget, Path(screenshot), app)
    widget.ask_before_closing = True
    widget.show()
    return run_event_loop(app)


def _screenshot(widget: QtWidgets.QWidget, path: Path, app: QtWidgets.QApplication) -> int:
    """Draw the panel and write it as a PNG, atomically (a temporary file
    renamed over the target)."""
    widget.show()
    app.processEvents()
    temporary = path.with_name(f".{path.name}.nuke-stops.tmp.png")
    if not widget.grab().save(str(temporary), "PNG"):
        return fail(f"{path}: cannot write the picture there")
    os.replace(temporary, path)
    print(f"wrote {path}")
    return 0
