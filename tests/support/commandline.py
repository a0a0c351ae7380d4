"""The command line, run in this process or in its own as artists and
farms run it, and what its runs leave behind."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from . import portable
from .paths import DATA, LEGACY, ROOT

try:
    import resource
except ImportError:  # the run without POSIX took it from the product, not from the harness
    resource = portable.KEPT["resource"]

SETPRIV = shutil.which("setpriv")
#: What every temporary file the command writes has in its name.
TEMP_MARK = ".nuke-stops.tmp"
needs_permissions = pytest.mark.skipif(
    os.geteuid() == 0 and SETPRIV is None,
    reason="root ignores file permissions and setpriv (util-linux) is not installed",
)


def run_main(args: List[str], capsys: pytest.CaptureFixture[str]) -> Tuple[int, str, str]:
    """Run the command line in this process: exit status, stdout, stderr."""
    from nuke_plugin.cli.main import main

    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def cli(
    *args: str,
    cwd: Optional[Path] = None,
    unprivileged: bool = False,
    limit: Optional[int] = None,
    env: Optional[Dict[str, str]] = None,
) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    """Run nuke-stops in its own process, as artists and farms do.

    ``unprivileged``: as root, drop the capabilities that bypass file
    permissions (setpriv). ``limit`` caps the size of files it may write
    (the kernel's RLIMIT_FSIZE), as a full disk would.
    """
    command = [sys.executable, "-m", "nuke_plugin", *args]
    if unprivileged and os.geteuid() == 0:
        assert SETPRIV is not None
        command = [SETPRIV, "--bounding-set", "-dac_override,-dac_read_search,-fowner"] + command

    def cap() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    environment = {**os.environ, **(env or {})}
    if portable.wanted():  # the process goes without POSIX too
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(portable.SITE), environment.get("PYTHONPATH", "")])
        )
    return subprocess.run(
        command,
        cwd=cwd or ROOT,
        capture_output=True,
        timeout=300,
        preexec_fn=cap,
        env=environment,
    )


def converted_text(path: Path) -> bytes:
    """What a clean conversion of ``path`` writes (a reference run)."""
    out = path.with_name(path.name + ".reference")
    assert cli("convert", str(path), "-o", str(out)).returncode == 0
    data = out.read_bytes()
    out.unlink()
    return data


def leftovers(folder: Path) -> List[str]:
    """Temporary files a run left in ``folder``."""
    return sorted(
        p.name for p in folder.iterdir() if TEMP_MARK in p.name or p.name.startswith(".comp")
    )


def big_script(tmp_path: Path, megabytes: float) -> Path:
    """A script of about this size, from the project's own fixtures."""
    parts = [
        p.read_text() for p in (LEGACY, DATA / "golden" / "comp.nk", DATA / "nested_groups.nk")
    ]
    unit = "".join(parts)
    path = tmp_path / "big.nk"
    path.write_text(unit * max(1, int(megabytes * 1e6 / len(unit))))
    return path


def without_module(tmp_path: Path, *names: str) -> Dict[str, str]:
    """An environment in which ``import NAME`` fails as if it were not
    installed (a folder on PYTHONPATH whose NAME raises ImportError)."""
    folder = tmp_path / "without"
    for name in names:
        package = folder / name
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text(f'raise ImportError("No module named {name!r}")\n')
    return {"PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")])}


_BATCH = r"""
import json, os, sys, tempfile
from nuke_plugin.cli.main import main
cases = json.load(open(sys.argv[1]))
results = []
for args in cases:
    with open(sys.argv[2], "a") as progress:
        progress.write(json.dumps(args) + "\n")  # the case running, should it crash
    streams = [tempfile.TemporaryFile() for _ in range(2)]
    sys.stdout.flush(); sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    os.dup2(streams[0].fileno(), 1); os.dup2(streams[1].fileno(), 2)
    try:
        status = main(args)
    except SystemExit as exit:
        status = exit.code
    finally:
        sys.stdout.flush(); sys.stderr.flush()
        os.dup2(saved[0], 1); os.dup2(saved[1], 2)
    out, err = ((s.seek(0), s.read().decode("utf-8", "replace"))[1] for s in streams)
    results.append([status, out, err])
json.dump(results, open(sys.argv[3], "w"))
"""


def cli_batch(cases: List[List[str]], tmp_path: Path) -> List[Tuple[int, str, str]]:
    """Run many command lines one after another in one process, each with
    its own standard output and error caught at the file descriptors (where
    a C++ library writes): exit status, stdout, stderr for each. A crash
    fails with the command line it happened on."""
    given, progress, found = (tmp_path / n for n in ("cases.json", "progress", "results.json"))
    given.write_text(json.dumps(cases))
    done = subprocess.run(
        [sys.executable, "-c", _BATCH, str(given), str(progress), str(found)],
        cwd=ROOT,
        capture_output=True,
        timeout=900,
    )
    if done.returncode != 0:
        last = progress.read_text().splitlines()[-1] if progress.exists() else "?"
        pytest.fail(f"the batch stopped ({done.returncode}) at {last}: {done.stderr[-2000:]!r}")
    return [(int(r[0]), str(r[1]), str(r[2])) for r in json.loads(found.read_text())]
