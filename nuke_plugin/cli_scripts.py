"""``nuke-stops scan`` and ``nuke-stops convert`` on .nk and .gizmo files.

scan reads files in parallel processes (``--jobs``) and prints each file's
report as it is ready, in the order the files were given.

convert never loses a script:

1. each file is counted once, however it is named (``a.nk``, ``./a.nk``, a
   link to it);
2. the folders it writes in are locked against other nuke-stops runs;
3. every input is read and parsed, then converted in memory: one file that
   fails to parse means nothing is written at all;
4. every target is checked (a regular file, writable, not read-only unless
   ``--force``, its backup path usable, room on the disk): one problem means
   nothing is written at all;
5. then each file is written, atomically, after checking nobody saved it in
   the meantime; ``--in-place`` first writes ``NAME.bak`` from the bytes
   that were read. A failure here is reported for its file and the others
   go on; the exit status is then 1.

SIGTERM, SIGHUP and Ctrl-C stop it cleanly: temporary files are removed,
no file is left half-written, and one line says what was written.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import Pool
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, TextIO, Tuple

from . import files
from .cli import table
from .conversion import Outcome
from .exposure_knobs import channel_data, channel_text
from .files import FileProblem
from .nk_script import NkSyntaxError, Script, parse
from .offline import convert_script, find_scripts, scan_script
from .scanning import Finding
from .stops import format_stops

__all__ = ["Stopped", "run_convert", "run_scan"]


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived: unwind, cleaning up, and stop."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def _stop_on_signals() -> Iterator[None]:
    def stop(signum: int, frame: Any) -> None:
        raise Stopped(signum)

    signals = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    before = {s: signal.signal(s, stop) for s in signals}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def _exit_status(stop: BaseException) -> int:
    return 128 + (stop.signum if isinstance(stop, Stopped) else signal.SIGINT)


def _stop_name(stop: BaseException) -> str:
    return str(stop) if isinstance(stop, Stopped) else "Ctrl-C"


class _Progress:
    """A one-line progress bar on stderr, drawn only on a terminal."""

    def __init__(self, total: int, what: str, stream: Optional[TextIO] = None) -> None:
        self.total = total
        self.what = what
        self.stream = stream or sys.stderr
        self.shown = total > 1 and self.stream.isatty()

    def step(self, done: int) -> None:
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


def _error(message: str) -> None:
    print(f"nuke-stops: error: {message}", file=sys.stderr)


def _read(path: Path) -> Tuple[files.Snapshot, Script]:
    """Read and parse; raises FileProblem or NkSyntaxError."""
    snapshot = files.read(path)
    return snapshot, parse(snapshot.text, str(path))


# -- scan -------------------------------------------------------------------------------


@dataclass
class _Scanned:
    path: str
    findings: List[Finding] = field(default_factory=list)
    error: str = ""
    warnings: List[str] = field(default_factory=list)


def _scan_one(path: Path) -> _Scanned:
    """One file's report (run in a worker process with --jobs)."""
    try:
        snapshot, script = _read(path)
        return _Scanned(str(path), scan_script(script), "", script.warnings)
    except (NkSyntaxError, FileProblem) as error:
        return _Scanned(str(path), error=str(error))
    except RecursionError:
        return _Scanned(str(path), error=f"{path}: nested too deeply to read")
    except Exception as error:  # one file must not stop a scan of a whole show
        return _Scanned(str(path), error=f"{path}: could not be scanned: {error!r}")


def _worker_signals() -> None:
    """A worker leaves Ctrl-C to the parent and dies at once on SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _scanned(paths: List[Path], jobs: int) -> Iterator[_Scanned]:
    """Each file's report, in order, as soon as it and those before it are done."""
    if jobs <= 1 or len(paths) <= 1:
        yield from map(_scan_one, paths)
        return
    pool = Pool(min(jobs, len(paths)), initializer=_worker_signals)
    try:
        yield from pool.imap(_scan_one, paths, chunksize=1)
        pool.close()
    except BaseException:
        pool.terminate()  # stopped part-way: the workers go too
        raise
    finally:
        pool.join()


class _ScanOutput:
    """Writes findings as they arrive: a table per file, CSV, JSON or JSON Lines."""

    COLUMNS = ["file", "node", "class", "knob", "linear", "stops", "status", "detail"]

    def __init__(self, form: str) -> None:
        self.form = form
        self.rows = 0
        if form == "csv":
            self.csv = csv.DictWriter(
                sys.stdout, self.COLUMNS, extrasaction="ignore", lineterminator="\n"
            )
            self.csv.writeheader()
        elif form == "json":
            sys.stdout.write("[")

    def file(self, report: _Scanned) -> None:
        rows = [{"file": report.path, **f.as_dict()} for f in report.findings]
        if self.form == "table":
            if report.findings:
                print(f"== {report.path}")
                found = report.findings
                lines = [[f.path, f.knob, f.linear, f.stops, f.status_text] for f in found]
                print(table(["node", "knob", "linear", "stops", "status"], lines))
                print()
        elif self.form == "csv":
            self.csv.writerows(rows)
        elif self.form == "jsonl":
            for row in rows:
                print(json.dumps(row, allow_nan=False))
            if report.error:
                print(json.dumps({"file": report.path, "error": report.error}))
        else:
            for row in rows:
                text = json.dumps(row, indent=2, allow_nan=False).replace("\n", "\n  ")
                sys.stdout.write(("," if self.rows else "") + "\n  " + text)
                self.rows += 1
        sys.stdout.flush()

    def close(self) -> None:
        if self.form == "json":
            sys.stdout.write("\n]\n" if self.rows else "]\n")


def run_scan(paths: Sequence[str], form: str, jobs: Optional[int] = None) -> int:
    """Report every exposure-bearing knob; returns the exit status."""
    found, problems = find_scripts(Path(p) for p in paths)
    if not found and not problems:
        _error("no .nk or .gizmo files in " + ", ".join(paths))
        return 2
    jobs = jobs or os.cpu_count() or 1
    output = _ScanOutput(form)
    counts: Counter[str] = Counter()
    scanned = failed = 0
    progress = _Progress(len(found), "scanning")
    try:
        with _stop_on_signals():
            for report in _scanned(found, jobs):
                output.file(report)
                counts.update(f.status for f in report.findings)
                for warning in report.warnings:
                    print(f"nuke-stops: warning: {warning}", file=sys.stderr)
                if report.error:
                    failed += 1
                    if form != "jsonl":
                        _error(report.error)
                else:
                    scanned += 1
                progress.step(scanned + failed)
    except (Stopped, KeyboardInterrupt) as stop:
        progress.close()
        done = scanned + failed
        print(f"\nnuke-stops: stopped ({_stop_name(stop)}) after {done} of {len(found)} file(s)",
              file=sys.stderr)
        return _exit_status(stop)
    progress.close()
    output.close()
    for problem in problems:
        _error(problem)
    total = sum(counts.values())
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "none"
    unread = [f"{failed} file(s)"] if failed else []
    unread += [f"{len(problems)} folder(s)"] if problems else []
    print(
        f"{scanned} file(s) scanned, {total} exposure knob(s): {summary}"
        + (f"; {' and '.join(unread)} could not be read" if unread else ""),
        file=sys.stderr if form != "table" else sys.stdout,
    )
    return 1 if unread else 0


# -- convert ------------------------------------------------------------------------------


def _outcome_line(outcome: Outcome) -> str:
    if outcome.changed:
        master = channel_text(outcome.master if outcome.master is not None else 0.0, format_stops)
        channels = " ".join(channel_text(c, format_stops) for c in outcome.channels)
        extra = f" ({outcome.detail})" if outcome.detail else ""
        return f"converted  {outcome.where}: stops {master}, per channel {channels}{extra}"
    return f"left alone {outcome}"


def _outcomes_data(job: _Job) -> List[Dict[str, object]]:
    return [_outcome_data(o) for o in job.outcomes]


def _outcome_data(outcome: Outcome) -> Dict[str, object]:
    return {
        "node": outcome.path,
        "class": outcome.node_class,
        "knob": outcome.knob,
        "status": outcome.status,
        "detail": outcome.detail,
        "stops": channel_data(outcome.master) if outcome.master is not None else None,
        "channel_stops": [channel_data(c) for c in outcome.channels],
    }


@dataclass
class _Job:
    """One input file through convert."""

    path: Path
    named: int = 1  # how many times the command line named it
    snapshot: Optional[files.Snapshot] = None
    script: Optional[Script] = None
    outcomes: List[Outcome] = field(default_factory=list)
    result: str = ""  # what happened to the file, for the report
    failed: bool = False

    @property
    def changed(self) -> bool:
        return self.script is not None and bool(self.script.edits())


def _unique(inputs: Sequence[str]) -> List[_Job]:
    """Each input once: a.nk, ./a.nk and a link to it are one file."""
    jobs: Dict[object, _Job] = {}
    for text in inputs:
        path = Path(text)
        try:
            key: object = Path(os.path.realpath(path))
        except OSError:
            key = text
        if key in jobs:
            jobs[key].named += 1
        else:
            jobs[key] = _Job(path)
    return list(jobs.values())


def run_convert(
    inputs: Sequence[str],
    output: Optional[str],
    in_place: bool,
    dry_run: bool,
    knobs: Dict[str, str],
    as_json: bool,
    force: bool = False,
) -> int:
    """Convert legacy multiply values in scripts; returns the exit status."""
    if sum((output is not None, in_place, dry_run)) != 1:
        _error("give exactly one of -o OUT.nk (or -o - for standard output), --in-place, --dry-run")
        return 2
    jobs = _unique(inputs)
    if output is not None and len(jobs) != 1:
        _error("-o takes one input; use --in-place for several files")
        return 2
    folders = [Path(os.path.realpath(j.path)).parent for j in jobs] if in_place else []
    if output not in (None, "-"):
        folders.append(Path(os.path.realpath(output or ".")).parent)
    try:
        with _stop_on_signals(), files.FolderLocks(folders, sys.stderr):
            return _convert(jobs, output, in_place, dry_run, knobs, as_json, force, folders)
    except (Stopped, KeyboardInterrupt) as stop:
        written = [str(j.path) for j in jobs if j.result.startswith("written")]
        done = f"{len(written)} file(s) written ({', '.join(written)})" if written else ""
        print(
            f"\nnuke-stops: stopped ({_stop_name(stop)}): {done or 'nothing written'};"
            " no file is half-written",
            file=sys.stderr,
        )
        return _exit_status(stop)


def _convert(
    jobs: List[_Job],
    output: Optional[str],
    in_place: bool,
    dry_run: bool,
    knobs: Dict[str, str],
    as_json: bool,
    force: bool,
    folders: List[Path],
) -> int:
    for folder in set(folders):
        files.remove_stale_temporaries(folder)
    # 1. Read and parse everything; convert in memory.
    problems = []
    progress = _Progress(len(jobs), "reading")
    for done, job in enumerate(jobs, 1):
        try:
            job.snapshot, job.script = _read(job.path)
        except (FileProblem, NkSyntaxError) as error:
            problems.append(str(error))
        except RecursionError:
            problems.append(f"{job.path}: nested too deeply to read")
        progress.step(done)
    progress.close()
    if problems:
        for problem in problems:
            _error(problem)
        print("nuke-stops: nothing was written", file=sys.stderr)
        return 2
    for job in jobs:
        assert job.script is not None
        for warning in job.script.warnings:
            print(f"nuke-stops: warning: {warning}", file=sys.stderr)
        job.outcomes = convert_script(job.script, knobs)
    # 2. Check every target before writing any.
    target: Optional[Path] = None
    try:
        if output not in (None, "-"):
            size = jobs[0].snapshot.size if jobs[0].snapshot else 0
            target = files.check_output(output or "", 2 * size + (1 << 20))
            if Path(os.path.realpath(target)) == jobs[0].snapshot.target:  # type: ignore[union-attr]
                raise FileProblem(output, "is the input itself: use --in-place (it keeps a .bak)")
        elif in_place:
            for job in jobs:
                if job.changed:
                    files.check_in_place(job.snapshot, force)  # type: ignore[arg-type]
    except FileProblem as problem:
        _error(str(problem))
        print("nuke-stops: nothing was written", file=sys.stderr)
        return 2
    # 3. Write.
    report = sys.stderr if dry_run or output == "-" else sys.stdout
    for job in jobs:
        _write(job, output, target, in_place, dry_run)
        if not as_json:
            _report(job, report, dry_run)
    if as_json:
        data = [
            {"file": str(j.path), "result": j.result, "outcomes": _outcomes_data(j)}
            for j in jobs
        ]
        print(json.dumps(data, indent=2, allow_nan=False), file=report)
    return 1 if any(job.failed for job in jobs) else 0


def _write(
    job: _Job, output: Optional[str], target: Optional[Path], in_place: bool, dry_run: bool
) -> None:
    script, snapshot = job.script, job.snapshot
    assert script is not None and snapshot is not None
    if dry_run:
        sys.stdout.writelines(script.diff(str(job.path), f"{job.path} (converted)"))
        job.result = "not written (--dry-run)"
    elif output == "-":
        for chunk in script.chunks():
            sys.stdout.write(chunk)
        job.result = "written to standard output"
    elif target is not None:
        try:
            files.write_file(target, script.chunks(), files.attributes(target))
            job.result = f"written to {target}"
        except FileProblem as problem:
            job.failed, job.result = True, f"not written: {problem}"
    elif not job.changed:
        job.result = "unchanged: not rewritten"
    else:
        _replace(job, snapshot, script)


def _replace(job: _Job, snapshot: files.Snapshot, script: Script) -> None:
    """--in-place: backup from what was read, then the file, both atomic."""
    changed = files.changed_since(snapshot)
    if changed:
        job.failed = True
        job.result = f"not converted: {changed} (run again to convert the new version)"
        return
    like = (snapshot.mode, snapshot.uid, snapshot.gid)
    backup = files.backup_path(snapshot.target)
    try:
        notes = files.write_file(backup, _pieces(snapshot.text), like)
        notes += files.write_file(snapshot.target, script.chunks(), like)
    except FileProblem as problem:
        job.failed, job.result = True, f"not converted: {problem}"
        return
    via = f" (the file {job.path} links to)" if job.path.is_symlink() else ""
    job.result = f"written to {snapshot.target}{via}, original kept as {backup.name}"
    job.result += "".join(f"; {note}" for note in notes)


def _pieces(text: str, size: int = 1 << 20) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]


def _report(job: _Job, stream: TextIO, dry_run: bool) -> None:
    print(f"== {job.path}", file=stream)
    if job.named > 1:
        print(f"(named {job.named} times: converted once)", file=stream)
    lines = [_outcome_line(o) for o in job.outcomes if o.status != "default"]
    for line in lines or ["no legacy multiply values"]:
        print(line, file=stream)
    converted = sum(o.changed for o in job.outcomes)
    if not dry_run or job.failed:
        print(f"{converted} node(s) converted; {job.result}", file=stream)

