"""``nuke-stops convert``: legacy multiply values in scripts to stop knobs.

It never loses a script:

1. each file is counted once, however it is named (``a.nk``, ``./a.nk``, a
   link to it);
2. the folders it writes in are locked against other nuke-stops runs;
3. every input is read and parsed, then converted in memory: one file that
   fails to parse means nothing is written at all;
4. every target is checked (a regular file, writable, not read-only unless
   ``--force``, its backup path usable, room on the disk): one problem means
   nothing is written at all;
5. then each file is written through :mod:`nuke_plugin.files.safe_write`:
   atomically, after checking nobody saved it in the meantime, keeping the
   file it replaces as ``NAME.bak``. A failure here is reported for its file
   and the others go on; the exit status is then 1.

SIGTERM, SIGHUP and Ctrl-C stop it cleanly: temporary files are removed,
no file is left half-written, and one line says what was written.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, TextIO

from ..adapters.script_file import read_script_file
from ..adapters.script_ops import convert_script
from ..files import safe_write
from ..files.reading import BLOCK, FileError, Snapshot
from ..nkfile.script import Script
from ..nkfile.tokens import NkSyntaxError
from ..ops.convert import AT_DEFAULT
from ..ops.outcome import Outcome, Status
from ..report import outcome_data, outcome_line
from .terminal import Progress, Stopped, exit_status, print_error, stop_name, stop_on_signals

__all__ = ["run_convert"]


@dataclass
class _Job:
    """One input file through convert."""

    path: Path
    named: int = 1  # how many times the command line named it
    snapshot: Optional[Snapshot] = None
    script: Optional[Script] = None
    plan: Optional[safe_write.Plan] = None  # --in-place: the checked write
    outcomes: List[Outcome] = field(default_factory=list)
    result: str = ""  # what happened to the file, for the report
    failed: bool = False
    diff: str = ""  # --dry-run --json: the diff, in the JSON

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
        print_error(
            "give exactly one of -o OUT.nk (or -o - for standard output), --in-place, --dry-run"
        )
        return 2
    jobs = _unique(inputs)
    if output is not None and len(jobs) != 1:
        print_error("-o takes one input; use --in-place for several files")
        return 2
    folders = [Path(os.path.realpath(j.path)).parent for j in jobs] if in_place else []
    if output is not None and output != "-":
        folders.append(Path(os.path.realpath(output)).parent)
    try:
        with stop_on_signals(), safe_write.FolderLocks(folders):
            return _convert(jobs, output, in_place, dry_run, knobs, as_json, force, folders)
    except (Stopped, KeyboardInterrupt) as stop:
        written = [str(j.path) for j in jobs if j.result.startswith("written")]
        done = f"{len(written)} file(s) written ({', '.join(written)})" if written else ""
        print(
            f"\nnuke-stops: stopped ({stop_name(stop)}): {done or 'nothing written'};"
            " no file is half-written",
            file=sys.stderr,
        )
        return exit_status(stop)


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
        safe_write.remove_stale_temporaries(folder)
    # 1. Read and parse everything; convert in memory.
    problems = []
    progress = Progress(len(jobs), "reading")
    for done, job in enumerate(jobs, 1):
        try:
            job.snapshot, job.script = read_script_file(job.path)
        except (FileError, NkSyntaxError) as error:
            problems.append(str(error))
        except RecursionError:
            problems.append(f"{job.path}: nested too deeply to read")
        progress.show(done)
    progress.close()
    if problems:
        for problem in problems:
            print_error(problem)
        print("nuke-stops: nothing was written", file=sys.stderr)
        return 2
    for job in jobs:
        assert job.script is not None
        for warning in job.script.warnings:
            print(f"nuke-stops: warning: {warning}", file=sys.stderr)
        job.outcomes = convert_script(job.script, knobs)
    # 2. Check every target before writing any.
    target: Optional[safe_write.Plan] = None
    try:
        if output is not None and output != "-":
            snapshot = jobs[0].snapshot
            assert snapshot is not None  # every input was read above
            if Path(os.path.realpath(output)) == snapshot.target:
                raise FileError(output, "is the input itself: use --in-place (it keeps a .bak)")
            target = safe_write.plan_output(output, 2 * snapshot.size + BLOCK, force)
        elif in_place:
            for job in jobs:
                if job.changed:
                    assert job.snapshot is not None
                    job.plan = safe_write.plan_in_place(job.snapshot, 2 * job.snapshot.size, force)
    except FileError as problem:
        print_error(str(problem))
        print("nuke-stops: nothing was written", file=sys.stderr)
        return 2
    # 3. Write.
    # Standard output holds the result asked for: the script (-o -), the
    # JSON (--json; with --dry-run the diff goes inside it), else the diff
    # (--dry-run) or the report. The report goes to stderr when stdout is taken.
    report = sys.stderr if dry_run or output == "-" else sys.stdout
    for job in jobs:
        _write(job, output, target, in_place, dry_run, as_json)
        if not as_json:
            _report(job, report, dry_run)
    if as_json:
        data = [
            {
                "file": str(j.path),
                "result": j.result,
                "outcomes": [outcome_data(o) for o in j.outcomes],
                **({"diff": j.diff} if dry_run else {}),
            }
            for j in jobs
        ]
        stream = sys.stderr if output == "-" else sys.stdout
        print(json.dumps(data, indent=2, allow_nan=False), file=stream)
    return 1 if any(job.failed for job in jobs) else 0


def _write(
    job: _Job,
    output: Optional[str],
    target: Optional[safe_write.Plan],
    in_place: bool,
    dry_run: bool,
    as_json: bool = False,
) -> None:
    script = job.script
    assert script is not None
    if dry_run:
        diff = script.diff(str(job.path), f"{job.path} (converted)")
        if as_json:
            job.diff = "".join(diff)
        else:
            sys.stdout.writelines(diff)
        job.result = "not written (--dry-run)"
    elif output == "-":
        for chunk in script.chunks():
            sys.stdout.write(chunk)
        job.result = "written to standard output"
    elif target is not None:
        try:
            written = safe_write.write(target, script.chunks())
        except FileError as problem:
            job.failed, job.result = True, f"not written: {problem}"
            return
        job.result = f"written to {written.target}" + _kept(written)
    elif job.plan is None:
        job.result = "unchanged: not rewritten"
    else:
        _replace(job, job.plan, script)


def _replace(job: _Job, plan: safe_write.Plan, script: Script) -> None:
    """--in-place: the file, atomically, after its backup (from the bytes read)."""
    try:
        written = safe_write.write(plan, script.chunks())
    except safe_write.ChangedError as problem:
        job.failed = True
        job.result = f"not converted: {problem.reason} (run again to convert the new version)"
        return
    except FileError as problem:
        job.failed, job.result = True, f"not converted: {problem}"
        return
    via = f" (the file {job.path} links to)" if job.path.is_symlink() else ""
    job.result = f"written to {written.target}{via}" + _kept(written, "original")


def _kept(written: safe_write.Written, what: str = "the file it replaced") -> str:
    """What a report adds about the backup and the notes of a write."""
    text = f", {what} kept as {written.backup.name}" if written.backup is not None else ""
    return text + "".join(f"; {note}" for note in written.notes)


def _report(job: _Job, stream: TextIO, dry_run: bool) -> None:
    print(f"== {job.path}", file=stream)
    if job.named > 1:
        print(f"(named {job.named} times: converted once)", file=stream)
    shown = [o for o in job.outcomes if o.status != Status.DEFAULT or o.detail != AT_DEFAULT]
    lines = [outcome_line(o) for o in shown]
    for line in lines or ["no legacy multiply values"]:
        print(line, file=stream)
    converted = sum(o.changed for o in job.outcomes)
    if not dry_run or job.failed:
        print(f"{converted} node(s) converted; {job.result}", file=stream)
