"""The package's loggers, all below ``nuke_plugin``, silent by default.

A library logs and leaves showing it to the program: the ``nuke_plugin``
logger gets a NullHandler when the first module that logs is imported
(not when the package is: ``import nuke_plugin.registry`` at Nuke's
start-up must not pay for the logging module). The command line shows the
warnings for its run; Nuke's UI layer shows what it tells the artist.
"""

from __future__ import annotations

import logging

__all__ = ["logger"]

logging.getLogger("nuke_plugin").addHandler(logging.NullHandler())


def logger(name: str) -> logging.Logger:
    """The logger for a module of the package (its ``__name__``)."""
    return logging.getLogger(name)
