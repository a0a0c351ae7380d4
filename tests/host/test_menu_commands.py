"""Every command menu.py puts in Nuke's menus, resolved and run once on the
stand-in: each one imports what it needs and does something an artist
sees (an undo step, a message, a question, a docked panel), without a
traceback."""

from __future__ import annotations

import runpy
from typing import Any, List, Tuple

import pytest

from support.in_nuke import make, select
from support.paths import ROOT, standin_only

pytest.importorskip(
    "pytestqt", reason="the Exposure panel command needs Qt (pip install -e .[dev])"
)

pytestmark = standin_only  # answers to the questions are the stand-in's


def leaves(menu: Any, prefix: str = "") -> List[Tuple[str, Any]]:
    """Every command under a menu, by its path."""
    found = []
    for item in menu.items():
        path = f"{prefix}{item.name()}"
        if hasattr(item, "items"):
            found += leaves(item, path + "/")
        else:
            found.append((path, item))
    return found


def seen(nuke: Any) -> Tuple[int, int, int, int]:
    session = nuke._session()
    return (
        len(session.undo_history),
        len(session.messages),
        len(session.questions),
        len(session.docked),
    )


def test_every_menu_command_runs_once(
    nuke_host: Any, qtbot: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from nuke_plugin.host import matching

    runpy.run_path(str(ROOT / "menu.py"))
    commands = leaves(nuke_host.menu("Nuke").findItem("nuke-stops"))
    commands.append(
        ("Nodes: ExposureStops", nuke_host.menu("Nodes").findItem("Color/ExposureStops (stops)"))
    )
    assert len(commands) == 26  # 25 in Nuke > nuke-stops, and the toolbar's
    add_stop_knobs = dict(commands)["Add stop knobs to selected"]
    panels: List[Any] = []
    for path, item in commands:
        session = nuke_host._session()
        nuke_host._reset()
        matching._reference = None
        reference = make(nuke_host, "Read")
        nuke_host._set_image(reference, 64, 36, lambda c, x, y, f: 0.5)
        plate = make(nuke_host, "Read")
        nuke_host._set_image(plate, 64, 36, lambda c, x, y, f: 0.25)
        grade = make(nuke_host, "Grade", "multiply", "2")
        if path == "Match exposure/Match over frame range...":
            select(nuke_host, plate, reference)
            nuke_host._answer_input("1-3", "")
            session.answers.append(True)
        elif path == "Match exposure/Deflicker over frame range...":
            select(nuke_host, plate)
            nuke_host._answer_input("1-5", "median 3", "")
            session.answers.append(True)
        elif path.startswith("Match exposure/Match"):
            select(nuke_host, plate, reference)
            nuke_host._answer_input("")
            session.answers.append(True)
        elif path.startswith("Match exposure/Set"):
            select(nuke_host, reference)
        elif path == "Make OCIOCDLTransform from stops":
            select(nuke_host, grade)
            add_stop_knobs.invoke()
        elif path == "CDL grading space...":
            nuke_host._answer_input("ACEScct")
        elif path == "Help/Run self-test":
            session.answers.append(False)  # asked first; "no": the tests do not run here
        else:
            select(nuke_host, grade)
        before = seen(nuke_host)
        item.invoke()
        assert seen(nuke_host) != before, f"{path} did nothing an artist sees"
        for widget in [d[2] for d in session.docked]:
            nuke_host._close_tab(widget)  # hidden: its callbacks go before the next script
            panels.append(widget)
        err = capsys.readouterr().err
        assert "Traceback" not in err, f"{path}: {err}"
    assert len(panels) == 1  # the Exposure panel command docked one
