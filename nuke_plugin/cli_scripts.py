"""``nuke-stops scan`` and ``nuke-stops convert`` on .nk and .gizmo files.

Every input is parsed before anything is written: one file that fails to
parse means nothing is written at all. Writes are atomic; ``--in-place``
keeps ``NAME.bak``.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Sequence, TextIO, Tuple

from .cli import table
from .conversion import Outcome
from .exposure_knobs import channel_data, channel_text
from .nk_script import NkSyntaxError, Script
from .offline import convert_script, find_scripts, read_script, scan_script, write_atomic
from .scanning import Finding
from .stops import format_stops

__all__ = ["run_convert", "run_scan"]


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


def _read_all(paths: Sequence[Path], what: str) -> Tuple[List[Tuple[Path, Script]], List[str]]:
    scripts: List[Tuple[Path, Script]] = []
    errors: List[str] = []
    progress = _Progress(len(paths), what)
    for done, path in enumerate(paths, 1):
        try:
            scripts.append((path, read_script(path)))
        except NkSyntaxError as error:
            errors.append(str(error))
        except OSError as error:
            errors.append(f"{path}: cannot read: {error.strerror or error}")
        progress.step(done)
    progress.close()
    return scripts, errors


def run_scan(paths: Sequence[str], output: str) -> int:
    """Report every exposure-bearing knob; returns the exit status."""
    files = find_scripts(Path(p) for p in paths)
    if not files:
        print("nuke-stops: error: no .nk or .gizmo files in " + ", ".join(paths), file=sys.stderr)
        return 2
    scripts, errors = _read_all(files, "scanning")
    per_file = [(path, scan_script(script)) for path, script in scripts]
    found: List[Finding] = [finding for _, findings in per_file for finding in findings]
    rows = [{"file": str(path), **f.as_dict()} for path, findings in per_file for f in findings]
    if output == "json":
        print(json.dumps(rows, indent=2))
    elif output == "csv":
        buffer = io.StringIO()
        columns = ["file", "node", "class", "knob", "linear", "stops", "status", "detail"]
        writer = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        print(buffer.getvalue(), end="")
    else:
        for path, findings in per_file:
            if findings:
                print(f"== {path}")
                lines = [[f.path, f.knob, f.linear, f.stops, f.status_text] for f in findings]
                print(table(["node", "knob", "linear", "stops", "status"], lines))
                print()
    for error in errors:
        print(f"nuke-stops: error: {error}", file=sys.stderr)
    counts = Counter(f.status for f in found)
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "none"
    print(
        f"{len(scripts)} file(s) scanned, {len(found)} exposure knob(s): {summary}"
        + (f"; {len(errors)} file(s) could not be read" if errors else ""),
        file=sys.stderr if output != "table" else sys.stdout,
    )
    return 1 if errors else 0


def _outcome_line(outcome: Outcome) -> str:
    if outcome.changed:
        master = channel_text(outcome.master if outcome.master is not None else 0.0, format_stops)
        channels = " ".join(channel_text(c, format_stops) for c in outcome.channels)
        extra = f" ({outcome.detail})" if outcome.detail else ""
        return f"converted  {outcome.where}: stops {master}, per channel {channels}{extra}"
    return f"left alone {outcome}"


def run_convert(
    inputs: Sequence[str],
    output: Optional[str],
    in_place: bool,
    dry_run: bool,
    knobs: Dict[str, str],
    as_json: bool,
) -> int:
    """Convert legacy multiply values in scripts; returns the exit status."""
    problem = _check_targets(inputs, output, in_place, dry_run)
    if problem:
        print(f"nuke-stops: error: {problem}", file=sys.stderr)
        return 2
    scripts, errors = _read_all([Path(p) for p in inputs], "reading")
    if errors:
        for error in errors:
            print(f"nuke-stops: error: {error}", file=sys.stderr)
        print("nuke-stops: nothing was written", file=sys.stderr)
        return 2
    report = []
    results = []
    for path, script in scripts:
        outcomes = convert_script(script, knobs)
        results.append((path, script, outcomes))
        report.append({"file": str(path), "outcomes": [_outcome_data(o) for o in outcomes]})
    for path, script, outcomes in results:
        text = script.to_text()
        if dry_run:
            diff = difflib.unified_diff(
                script.text.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=str(path),
                tofile=f"{path} (converted)",
            )
            sys.stdout.writelines(diff)
        elif in_place:
            if text != script.text:
                write_atomic(path, text, backup=True)
        else:
            write_atomic(Path(output or ""), text)
        if not as_json:
            lines = [_outcome_line(o) for o in outcomes if o.status != "default"]
            stream = sys.stderr if dry_run else sys.stdout
            print(f"== {path}", file=stream)
            for line in lines or ["no legacy multiply values"]:
                print(line, file=stream)
            if not dry_run:
                where = f"{path} (backup: {path}.bak)" if in_place else output
                changed = sum(o.changed for o in outcomes)
                print(f"{changed} node(s) converted; written to {where}", file=stream)
    if as_json:
        print(json.dumps(report, indent=2))
    return 0


def _check_targets(
    inputs: Sequence[str], output: Optional[str], in_place: bool, dry_run: bool
) -> str:
    if sum((output is not None, in_place, dry_run)) != 1:
        return "give exactly one of -o OUT.nk, --in-place or --dry-run"
    if output is not None:
        if len(inputs) != 1:
            return "-o takes one input; use --in-place for several files"
        if Path(output).resolve() == Path(inputs[0]).resolve():
            return f"-o {output!r} is the input itself; use --in-place (it keeps a .bak)"
    return ""


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
