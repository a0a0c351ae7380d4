"""``nuke-stops panel comp.nk``: the Exposure panel on a script, without Nuke.

With ``--screenshot out.png`` (or ``.jpg``) it draws the panel offscreen,
writes the picture through :mod:`nuke_plugin.files.safe_write` and exits
(how the README image is made, and how a machine with no screen shows it).
Without it the panel opens in a window; closing it with unsaved edits asks
whether to save them, and a save that fails keeps the window open.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

from ..registry import needs_extra
from .terminal import fail

if TYPE_CHECKING:  # Qt loads only when the command runs
    from ..files.safe_write import Plan
    from ..panel import ExposureWidget
    from ..panel.qt import QtWidgets

__all__ = ["run_panel"]

#: The window's size, and the screenshot's.
SIZE = (1000, 420)


def _no_screen() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    return sys.platform.startswith("linux") and not platform and not has_display


def run_panel(paths: List[str], screenshot: Optional[str], force: bool = False) -> int:
    """Open the panel on one script; returns the exit status."""
    if len(paths) != 1:
        return fail(f"panel opens one script at a time; got {len(paths)}: {' '.join(paths)}")
    from ..files import safe_write
    from ..files.reading import FileError
    from ..nkfile.tokens import NkSyntaxError

    plan = None
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt starts
        try:
            plan = safe_write.plan_output(screenshot, force=force)
        except FileError as error:
            return fail(str(error))
        if plan.path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            return fail(f"{screenshot}: a screenshot is a .png, .jpg or .jpeg file")
    elif _no_screen():
        return fail("no screen to open the panel on (DISPLAY is not set): use --screenshot PNG")
    try:
        from ..panel import ExposureWidget, FileSource
        from ..panel.qt import application, quiet_qt_messages, run_event_loop
    except ImportError:
        return fail(needs_extra("nuke-stops panel", "panel"))
    try:
        source = FileSource(Path(paths[0]))  # read and parsed before Qt starts
    except (FileError, NkSyntaxError) as error:
        return fail(str(error))
    quiet_qt_messages()
    app = application()
    widget = ExposureWidget(source)
    widget.resize(*SIZE)
    if plan is not None:
        return _screenshot(widget, plan, app)
    widget.ask_before_closing = True
    widget.show()
    return run_event_loop(app)


def _screenshot(widget: ExposureWidget, plan: Plan, app: QtWidgets.QApplication) -> int:
    """Draw the panel, encode it in memory in the format its suffix names,
    and write it: complete or not at all."""
    from ..files import safe_write
    from ..files.reading import FileError
    from ..panel.widget import PICTURE_FORMATS

    widget.show()
    app.processEvents()
    try:
        data = widget.picture(PICTURE_FORMATS[plan.path.suffix.lower()])
        written = safe_write.write(plan, [data])
    except ValueError as error:
        return fail(f"{plan.path}: {error}")
    except FileError as error:
        return fail(str(error))
    kept = f" (the picture it replaced: {written.backup.name})" if written.backup else ""
    print(f"wrote {plan.path}{kept}")
    return 0
