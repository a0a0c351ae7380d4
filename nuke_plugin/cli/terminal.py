"""What the script commands share at the terminal: signals, progress, errors."""

from __future__ import annotations

import signal
import sys
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Optional, Sequence, TextIO, TypeVar

from ..core.text import printable

__all__ = [
    "WORKER_WAIT",
    "Progress",
    "in_processes",
    "Stopped",
    "exit_status",
    "fail",
    "print_error",
    "stop_name",
    "stop_on_signals",
]


Task = TypeVar("Task")
Result = TypeVar("Result")
#: Seconds a worker may take over one task (a file, a chunk of frames)
#: before the run stops: a worker that died (killed, crashed in a library)
#: never answers, and the run must not wait for ever.
WORKER_WAIT = 900.0


def _worker_start(prepare: Optional[Callable[[], Any]]) -> None:
    """A worker leaves Ctrl-C to the parent and dies at once on SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if prepare is not None:
        prepare()


def in_processes(
    work: Callable[[Task], Result],
    tasks: Sequence[Task],
    jobs: int,
    prepare: Optional[Callable[[], Any]] = None,
) -> Iterator[Result]:
    """``work`` on each task, in ``jobs`` worker processes (in this one for
    1 job or 1 task), the results in the tasks' order as soon as each and
    those before it are done. ``prepare`` runs once in each worker. A
    worker that gives no result within :data:`WORKER_WAIT` seconds stops
    the run (RuntimeError); stopped part-way, the workers go too."""
    from multiprocessing import Pool, TimeoutError

    if jobs <= 1 or len(tasks) <= 1:
        if prepare is not None:
            prepare()
        yield from map(work, tasks)
        return
    pool = Pool(min(jobs, len(tasks)), initializer=_worker_start, initargs=(prepare,))
    try:
        results = pool.imap(work, tasks, chunksize=1)
        for done in range(len(tasks)):
            try:
                yield results.next(timeout=WORKER_WAIT)
            except TimeoutError:
                raise RuntimeError(
                    f"a worker process gave no result for {WORKER_WAIT:g} s (task {done + 1} "
                    f"of {len(tasks)}): it may have been killed; run again with --jobs 1"
                ) from None
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


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
    """A one-line progress bar on stderr, drawn only on a terminal; with
    ``unit`` (``frames``), also how many a second and the time left."""

    def __init__(
        self, total: int, what: str, stream: Optional[TextIO] = None, unit: str = ""
    ) -> None:
        self.total = total
        self.what = what
        self.unit = unit
        self.stream = stream or sys.stderr
        self.shown = total > 1 and self.stream.isatty()
        self.started = time.monotonic()
        self.width = 0

    def show(self, done: int) -> None:
        if self.shown:
            width = 30
            filled = width * done // self.total
            bar = "#" * filled + "-" * (width - filled)
            line = f"\r{self.what} [{bar}] {done}/{self.total}"
            elapsed = time.monotonic() - self.started
            if self.unit and done and elapsed > 0:
                rate = done / elapsed
                left = int(round((self.total - done) / rate))
                line += f" {rate:.1f} {self.unit}/s, {left // 60}:{left % 60:02d} left"
            self.width = max(self.width, len(line))
            self.stream.write(line.ljust(self.width))
            self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * max(self.width, len(self.what) + 45) + "\r")
            self.stream.flush()


def print_error(message: str) -> None:
    """One line on stderr, in the form every command uses: whatever a file
    put in the message (a node or channel name) cannot break the line."""
    print(f"nuke-stops: error: {printable(message)}", file=sys.stderr)


def fail(message: str) -> int:
    """The error line, and the exit status of bad input (2)."""
    print_error(message)
    return 2
