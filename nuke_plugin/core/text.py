"""Text read from files, made safe to print on one line.

A channel name, a part name or a correction id comes from a file and may
hold anything: a newline would forge a second ``nuke-stops: error:`` line,
an ESC sequence would reach the terminal. :func:`printable` escapes every
control character the way Python writes it in a string.

>>> printable("beauty.R"), printable("R\\nnuke-stops: error: x"), printable("\\x1b[31mR")
('beauty.R', 'R\\\\nnuke-stops: error: x', '\\\\x1b[31mR')
"""

from __future__ import annotations

import unicodedata

__all__ = ["printable"]


def printable(text: str) -> str:
    """``text`` with control characters (C0, DEL, C1, line and paragraph
    separators) escaped; everything else as it is."""
    if text.isprintable():
        return text
    # repr escapes exactly the characters str.isprintable refuses: '\\n',
    # '\\x1b', '\\u2028'. Spaces other than ' ' (no-break space) stay.
    return "".join(
        c if c.isprintable() or unicodedata.category(c) == "Zs" else repr(c)[1:-1] for c in text
    )
