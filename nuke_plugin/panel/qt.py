"""The one module that imports a Qt binding: PySide6 (Nuke 16+), else
PySide2 (Nuke 13-15). Every other panel module imports Qt from here, and
the import contracts in pyproject.toml hold every other module to that.

Written for both: enums are used fully qualified (``Qt.ItemDataRole.EditRole``),
which PySide2 5.15 accepts too; QAction and ``setMargin`` (moved or gone in
Qt 6) are not used, and the event loop's ``exec``/``exec_`` is here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # type checks read PySide6's annotations
    from PySide6 import QtCore, QtGui, QtWidgets

    BINDING = "PySide6"
else:
    try:
        from PySide6 import QtCore, QtGui, QtWidgets

        BINDING = "PySide6"
    except ImportError:
        from PySide2 import QtCore, QtGui, QtWidgets

        BINDING = "PySide2"

Qt = QtCore.Qt
Signal = QtCore.Signal
#: QShortcut moved from QtWidgets (Qt 5) to QtGui (Qt 6).
if TYPE_CHECKING:
    from PySide6.QtGui import QShortcut
elif hasattr(QtGui, "QShortcut"):
    QShortcut = QtGui.QShortcut
else:
    QShortcut = QtWidgets.QShortcut

__all__ = [
    "BINDING",
    "QShortcut",
    "Qt",
    "QtCore",
    "QtGui",
    "QtWidgets",
    "Signal",
    "application",
    "quiet_qt_messages",
    "run_event_loop",
]


def application() -> QtWidgets.QApplication:
    """The running QApplication (Nuke's), or a new one for standalone use."""
    existing = QtWidgets.QApplication.instance()
    if isinstance(existing, QtWidgets.QApplication):
        return existing
    return QtWidgets.QApplication(["nuke-stops"])


def run_event_loop(app: QtWidgets.QApplication) -> int:
    """Run Qt until the last window closes: ``exec`` in Qt 6, ``exec_`` in PySide2."""
    if BINDING == "PySide2":
        return int(app.exec_())
    return int(app.exec())


def quiet_qt_messages() -> None:
    """Standalone only (never inside Nuke, whose handler this would replace):
    Qt's own notes ("XDG_RUNTIME_DIR not set", a platform plugin's warnings)
    go to the package's log at debug level, so a command's error stays the
    one line on stderr; Qt's critical messages still reach stderr."""
    import sys

    from ..logs import logger

    log = logger("nuke_plugin.qt")
    kinds = QtCore.QtMsgType

    def handle(kind: QtCore.QtMsgType, context: object, message: str) -> None:
        if kind in (kinds.QtCriticalMsg, kinds.QtFatalMsg):
            print(f"Qt: {message}", file=sys.stderr)
        else:
            log.debug("Qt: %s", message)

    QtCore.qInstallMessageHandler(handle)
