"""Text read from files, made safe to print on one line.

A channel name, a part name, a node name or a correction id comes from a
file and may hold anything: a newline would forge a second ``nuke-stops:
error:`` line, an ESC sequence would reach the terminal, a right-to-left
override would reorder what follows. :func:`printable` escapes those (every
control, format and line-separator character) the way Python writes them
in a string. Bytes that are not UTF-8 (read with ``surrogateescape``) are
kept: they print as the bytes they were.

>>> printable("beauty.R"), printable("R\\nnuke-stops: error: x"), printable("\\x1b[31mR")
('beauty.R', 'R\\\\nnuke-stops: error: x', '\\\\x1b[31mR')
>>> printable("caf\\udce9") == "caf\\udce9"
True
"""

from __future__ import annotations

import unicodedata

__all__ = ["printable"]

#: Control (C0, DEL, C1), format (bidirectional overrides, zero widths) and
#: the line and paragraph separators.
_ESCAPED = frozenset(("Cc", "Cf", "Zl", "Zp"))


def printable(text: str) -> str:
    """``text`` with every character of :data:`_ESCAPED` written as an
    escape (``\\n``, ``\\x1b``, ``\\u202e``); everything else as it is."""
    if text.isprintable():
        return text
    return "".join(repr(c)[1:-1] if unicodedata.category(c) in _ESCAPED else c for c in text)
