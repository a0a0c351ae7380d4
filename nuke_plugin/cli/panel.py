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

from .terminal import print_error

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
        print_error(f"panel opens one script at a time; got {len(paths)}: {' '.join(paths)}")
        return 2
    if screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt starts
    elif _no_screen():
        print_error("no screen to open the panel on (DISPLAY is not set): use --screenshot PNG")
        return 2
    from ..nkfile.files import FileError
    from ..nkfile.script import NkSyntaxError

    try:
        from ..panel import ExposureWidget, FileSource
        from ..panel.qt import application, quiet_qt_messages, run_event_loop
    except ImportError as error:
        print_error(f"the panel needs PySide6 or PySide2 ({error}): pip install PySide6-Essentials")
        return 2
    try:
        source = FileSource(Path(paths[0]))  # read and parsed before Qt starts
    except (FileError, NkSyntaxError) as error:
        print_error(str(error))
        return 2
    quiet_qt_messages()
    app = application()
    widget = ExposureWidget(source)
    widget.resize(*SIZE)
    if screenshot:
        return _screenshot(widget, Path(screenshot), app)
    widget.ask_before_closing = True
    widget.show()
    return run_event_loop(app)


def _screenshot(widget: object, path: Path, app: object) -> int:
    """Draw the panel and write it as a PNG, atomically (a temporary file
    renamed over the target)."""
    from ..panel.qt import QtWidgets

    assert isinstance(widget, QtWidgets.QWidget)
    assert isinstance(app, QtWidgets.QApplication)
    widget.show()
    app.processEvents()
    temporary = path.with_name(f".{path.name}.nuke-stops.tmp.png")
    if not widget.grab().save(str(temporary), "PNG"):
        print_error(f"{path}: cannot write the picture there")
        return 2
    os.replace(temporary, path)
    print(f"wrote {path}")
    return 0
