"""``nuke-stops scan``: every exposure-bearing knob of .nk and .gizmo files.

Files are read in parallel processes (``--jobs``); each file's report is
printed as soon as it and those before it are ready, in the order given, so
the output is the same whatever the number of processes. ``--jsonl`` writes
one JSON object a line, for farms that shard a tree and merge the results.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Iterator, List, Optional, Sequence

from ..adapters.script_file import find_scripts, read_script_file
from ..adapters.script_ops import scan_script
from ..core.text import printable
from ..files.reading import FileError
from ..nkfile.tokens import NkSyntaxError
from ..ops.scan import Finding
from ..report import finding_data, finding_text, table
from .terminal import (
    Progress,
    Stopped,
    exit_status,
    in_processes,
    print_error,
    stop_name,
    stop_on_signals,
)

__all__ = ["run_scan"]


@dataclass
class _Scanned:
    path: str
    findings: List[Finding] = field(default_factory=list)
    error: str = ""
    warnings: List[str] = field(default_factory=list)


def _scan_one(path: Path) -> _Scanned:
    """One file's report (run in a worker process with --jobs)."""
    try:
        script = read_script_file(path)[1]
        return _Scanned(str(path), scan_script(script), "", script.warnings)
    except (NkSyntaxError, FileError) as error:
        return _Scanned(str(path), error=str(error))
    except RecursionError:
        return _Scanned(str(path), error=f"{path}: nested too deeply to read")
    except Exception as error:  # one file must not stop a scan of a whole show
        return _Scanned(str(path), error=f"{path}: could not be scanned: {error!r}")


def _scanned(paths: List[Path], jobs: int) -> Iterator[_Scanned]:
    """Each file's report, in order, as soon as it and those before it are done."""
    return in_processes(_scan_one, paths, jobs)


class ScanFormat(Enum):
    """How ``nuke-stops scan`` writes its findings."""

    TABLE = "table"  # a table per file, for people
    JSON = "json"  # one JSON array
    JSONL = "jsonl"  # JSON Lines: one finding (or file error) a line
    CSV = "csv"


class _ScanOutput:
    """Writes findings as they arrive: a table per file, CSV, JSON or JSON Lines."""

    COLUMNS = ["file", "node", "class", "knob", "linear", "stops", "status", "detail"]

    def __init__(self, form: ScanFormat) -> None:
        self.form = form
        self.rows = 0
        if form is ScanFormat.CSV:
            self.csv = csv.DictWriter(
                sys.stdout, self.COLUMNS, extrasaction="ignore", lineterminator="\n"
            )
            self.csv.writeheader()
        elif form is ScanFormat.JSON:
            sys.stdout.write("[")

    def file(self, report: _Scanned) -> None:
        rows = [{"file": report.path, **finding_data(f)} for f in report.findings]
        if self.form is ScanFormat.TABLE:
            if report.findings:
                print(f"== {printable(report.path)}")
                found = report.findings
                lines = [
                    [printable(f.path), f.knob, f.linear, f.stops, finding_text(f)] for f in found
                ]
                print(table(["node", "knob", "linear", "stops", "status"], lines))
                print()
        elif self.form is ScanFormat.CSV:
            self.csv.writerows(rows)
        elif self.form is ScanFormat.JSONL:
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
        if self.form is ScanFormat.JSON:
            sys.stdout.write("\n]\n" if self.rows else "]\n")


def run_scan(paths: Sequence[str], form: ScanFormat, jobs: Optional[int] = None) -> int:
    """Report every exposure-bearing knob; returns the exit status."""
    found, problems = find_scripts(Path(p) for p in paths)
    if not found and not problems:
        print_error("no .nk or .gizmo files in " + ", ".join(paths))
        return 2
    jobs = jobs or os.cpu_count() or 1
    output = _ScanOutput(form)
    counts: Counter[str] = Counter()
    scanned = failed = 0
    progress = Progress(len(found), "scanning")
    try:
        with stop_on_signals():
            for report in _scanned(found, jobs):
                output.file(report)
                counts.update(str(f.state) for f in report.findings)
                for warning in report.warnings:
                    print(f"nuke-stops: warning: {warning}", file=sys.stderr)
                if report.error:
                    failed += 1
                    if form is not ScanFormat.JSONL:
                        print_error(report.error)
                else:
                    scanned += 1
                progress.show(scanned + failed)
    except RuntimeError as error:  # a worker that stopped answering
        progress.close()
        print_error(str(error))
        return 2
    except (Stopped, KeyboardInterrupt) as stop:
        progress.close()
        done = scanned + failed
        print(
            f"\nnuke-stops: stopped ({stop_name(stop)}) after {done} of {len(found)} file(s)",
            file=sys.stderr,
        )
        return exit_status(stop)
    progress.close()
    output.close()
    for problem in problems:
        print_error(problem)
    total = sum(counts.values())
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "none"
    unread = [f"{failed} file(s)"] if failed else []
    unread += [f"{len(problems)} folder(s)"] if problems else []
    print(
        f"{scanned} file(s) scanned, {total} exposure knob(s): {summary}"
        + (f"; {' and '.join(unread)} could not be read" if unread else ""),
        file=sys.stderr if form is not ScanFormat.TABLE else sys.stdout,
    )
    return 1 if unread else 0
