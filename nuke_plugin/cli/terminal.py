"""What the script commands share at the terminal: signals, progress, errors."""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager
from typing import Any, Iterator, Optional, TextIO

from ..core.text import printable

__all__ = [
    "Progress",
    "Stopped",
    "exit_status",
    "fail",
    "print_error",
    "stop_name",
    "stop_on_signals",
]


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived: unwind, cleaning up, and stop."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def stop_on_signals() -> Iterator[None]:
    def stop(signum: int, frame: Any) -> None:
        raise Stopped(signum)

    signals = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    before = {s: signal.signal(s, stop) for s in signals}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def exit_status(stop: BaseException) -> int:
    """The shell's status for a run stopped by a signal: 128 + its number."""
    return 128 + (stop.signum if isinstance(stop, Stopped) else signal.SIGINT)


def stop_name(stop: BaseException) -> str:
    """How the stop reads in the one line that reports it."""
    return str(stop) if isinstance(stop, Stopped) else "Ctrl-C"


class Progress:
    """A one-line progress bar on stderr, drawn only on a terminal."""

    def __init__(self, total: int, what: str, stream: Optional[TextIO] = None) -> None:
        self.total = total
        self.what = what
        self.stream = stream or sys.stderr
        self.shown = total > 1 and self.stream.isatty()

    def show(self, done: int) -> None:
        if self.shown:
            width = 30
            filled = width * done // self.total
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r{self.what} [{bar}] {done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (len(self.what) + 45) + "\r")
            self.stream.flush()


def print_error(message: str) -> None:
    """One line on stderr, in the form every command uses: whatever a file
    put in the message (a node or channel name) cannot break the line."""
    print(f"nuke-stops: error: {printable(message)}", file=sys.stderr)


def fail(message: str) -> int:
    """The error line, and the exit status of bad input (2)."""
    print_error(message)
    return 2
