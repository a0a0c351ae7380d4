"""Shared test setup: paths, the nuke module, the corpus, render evaluation,
the command line run in and out of process, and the in-Nuke helpers.

Test modules import the helpers (``from conftest import make``); pytest
finds the fixtures itself. Nothing here imports ``nuke_plugin`` at module
level, so the stand-in is on the path before the package sees ``nuke``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The panel's tests draw real widgets with no screen (pytest-qt reads this
# before it makes the QApplication).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
STANDIN = ROOT / "tests" / "standin"
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"
LEGACY = EXAMPLES / "legacy_comp.nk"
CORPUS = ROOT.parent / "shared" / "corpus"

# Inside real Nuke (tests/run_in_nuke.py) the real module is used; elsewhere
# the strict stand-in takes its name.
_SPEC = importlib.util.find_spec("nuke")
REAL_NUKE = _SPEC is not None and "standin" not in str(_SPEC.origin)
if not REAL_NUKE and str(STANDIN) not in sys.path:
    sys.path.insert(0, str(STANDIN))

standin_only = pytest.mark.skipif(
    REAL_NUKE, reason="drives what only the stand-in can (an artist's edit, a failing host)"
)
real_nuke = pytest.mark.skipif(
    not REAL_NUKE, reason="needs real Nuke: nuke -t tests/run_in_nuke.py"
)
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"needs the 24 real scripts of ../shared/corpus ({CORPUS}); "
    "tests/data covers the same behaviours",
)
#: Relative agreement of values Nuke evaluates (it writes ~10 significant digits).
RENDER_TOLERANCE = 1e-9


def corpus_files() -> List[Path]:
    """Every .nk and .gizmo in ../shared/corpus (empty when it is absent)."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".nk", ".gizmo"))


def corpus_params() -> List[Any]:
    """corpus_files() for parametrize; one skipped case when it is absent."""
    files = corpus_files()
    if files:
        return [pytest.param(p, id=p.name) for p in files]
    return [pytest.param(None, id="no-corpus", marks=needs_corpus)]


@pytest.fixture
def legacy_comp_text() -> str:
    return (EXAMPLES / "legacy_comp.nk").read_text()


@pytest.fixture
def nuke_host() -> Iterator[Any]:
    """The nuke module with an empty script: real Nuke, or the stand-in."""
    import nuke

    if REAL_NUKE:
        nuke.scriptClear()
    else:
        nuke._reset()  # type: ignore[attr-defined]  # the stand-in's harness
    yield nuke
    if REAL_NUKE:
        nuke.scriptClear()


# -- what a script renders, evaluated by the stand-in ----------------------------------
#
# Render identity is checked by evaluating what was written: the script text
# is loaded into the stand-in (its own reader, curves and expression
# evaluator, no product code) and each knob is asked for its value.


def knob_values(node: Any, knob: str, frames: Iterable[float]) -> Dict[float, List[float]]:
    """Every channel of a knob at each frame, as the host evaluates them."""
    found = node[knob]
    return {f: [found.getValueAt(f, i) for i in range(found.arraySize())] for f in frames}


def render_script(
    text: str, knobs: Sequence[Tuple[str, str]], frames: Iterable[float]
) -> Dict[Any, Any]:
    """Load ``text`` into a fresh stand-in session and evaluate each
    (node path, knob) at each frame."""
    import nuke

    nuke._reset()  # type: ignore[attr-defined]
    nuke.scriptReadText(text)
    frames = list(frames)
    result = {}
    for path, knob in knobs:
        node = nuke.toNode(path)
        assert node is not None, f"{path} is not in the script"
        result[(path, knob)] = knob_values(node, knob, frames)
    return result


def assert_same_render(before: Dict[Any, Any], after: Dict[Any, Any]) -> None:
    """Two renders agree on every knob, frame and channel."""
    assert before.keys() == after.keys()
    for where, frames in before.items():
        for frame, values in frames.items():
            assert after[where][frame] == pytest.approx(values, rel=RENDER_TOLERANCE), (
                f"{where} at frame {frame:g}"
            )


# -- nodes of a parsed script -----------------------------------------------------------


def convert_node(node: Any, *args: Any, **kwargs: Any) -> Any:
    """Plan a conversion and write it (offline, where nothing else is checked)."""
    from nuke_plugin.ops.convert import plan_conversion
    from nuke_plugin.ops.outcome import applied

    return applied(node, plan_conversion(node, *args, **kwargs))


def nudge_node(node: Any, *args: Any, **kwargs: Any) -> Any:
    """Plan a nudge and write it."""
    from nuke_plugin.ops.nudge import plan_nudge
    from nuke_plugin.ops.outcome import applied

    return applied(node, plan_nudge(node, *args, **kwargs))


def script_node(body: str, node_class: str = "Grade") -> Any:
    """One node named N, with these knob lines, as the file adapter sees it."""
    from nuke_plugin.adapters.script_node import ScriptNode
    from nuke_plugin.nkfile.parser import parse

    return ScriptNode(parse(f"{node_class} {{\n{body}\n name N\n}}\n").nodes[0])


# -- the command line --------------------------------------------------------------------

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

    return subprocess.run(
        command,
        cwd=cwd or ROOT,
        capture_output=True,
        timeout=300,
        preexec_fn=cap,
        env={**os.environ, **(env or {})},
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


@pytest.fixture
def comp(tmp_path: Path) -> Path:
    """A copy of the bundled legacy comp to convert."""
    target = tmp_path / "comp.nk"
    shutil.copyfile(LEGACY, target)
    return target


# -- inside Nuke: helpers that use only Foundry's documented API ---------------------------


def make(nuke: Any, node_class: str, knob: str = "", value: str = "") -> Any:
    """A node with one knob set the way Nuke's toScript writes it."""
    node = nuke.createNode(node_class, inpanel=False)
    if knob:
        assert node[knob].fromScript(value) is not False
    return node


def select(nuke: Any, *nodes: Any) -> None:
    """Select exactly these nodes."""
    for node in nuke.allNodes(recurseGroups=True):
        node.setSelected(False)
    for node in nodes:
        node.setSelected(True)


def values(node: Any, knob: str, frame: float = 1.0) -> List[float]:
    """Every channel of a knob at one frame."""
    return knob_values(node, knob, [frame])[frame]


def expression(node: Any, knob: str, channel: int) -> str:
    """A channel's expression, or "" when it has none."""
    curve = node[knob].animation(channel)
    return "" if curve is None else str(curve.expression())


def keys(node: Any, knob: str, channel: int) -> List[Tuple[float, float]]:
    """A channel's keys as (frame, value)."""
    return [(key.x, key.y) for key in node[knob].animation(channel).keys()]  # noqa: SIM118 - AnimationCurve.keys(), not a dict


def messages(nuke: Any) -> List[str]:
    """What the artist was told: the stand-in records it; in Nuke it was shown."""
    return list(nuke._session().messages) if hasattr(nuke, "_session") else []


def same(got: List[float], wanted: List[float]) -> bool:
    """Values agree to what Nuke evaluates."""
    return got == pytest.approx(wanted, rel=RENDER_TOLERANCE)


# -- the Exposure panel: what an artist does with the mouse ---------------------------------


def highlight(panel: Any, *rows: int) -> None:
    """Highlight exactly these rows of the panel's table."""
    selection = panel.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(
            panel.model.index(row, 0),
            selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
        )


def click(qtbot: Any, panel: Any, text: str) -> None:
    """Click the panel's one button that reads ``text``."""
    from nuke_plugin.panel.qt import Qt, QtWidgets

    buttons = [b for b in panel.findChildren(QtWidgets.QPushButton) if b.text() == text]
    assert len(buttons) == 1, f"no single button {text!r}"
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)


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
