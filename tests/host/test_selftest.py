"""The in-Nuke self-test: Nuke > nuke-stops > Help > Run self-test.

Run here in a separate interpreter with the stand-in as ``nuke``: the menu
command runs the behaviour tests with pytest and reports in a message.
"""

from __future__ import annotations

import subprocess
import sys
from typing import List

import pytest

from support.paths import ROOT, STANDIN, standin_only

pytestmark = [standin_only, pytest.mark.slow]  # runs the self-test in its own process


RUN = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import nuke
session = nuke._session()
answers = [a == "yes" for a in sys.argv[3].split(",") if a]
asked = []
nuke.ask = lambda prompt: asked.append(prompt) or (answers.pop(0) if answers else False)
if sys.argv[4] == "modified":
    nuke.root().setModified(True)
if sys.argv[5] == "no-pytest":
    sys.modules["pytest"] = None
from nuke_plugin.host.selftest import run_from_menu
run_from_menu(*sys.argv[6:])
session = nuke._session()  # the tests reset the session they ran in
print("MESSAGE:" + (session.messages[-1] if session.messages else ""))
print("ASKED:" + str(len(asked)))
"""


def _menu(
    answers: str, state: str = "clean", pytest_there: str = "pytest", *extra: str
) -> List[str]:
    result = subprocess.run(
        [sys.executable, "-c", RUN, str(STANDIN), str(ROOT), answers, state, pytest_there, *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    return [out.split("MESSAGE:")[1].split("\nASKED:")[0], out.split("ASKED:")[1].strip()]


def test_the_self_test_runs_the_behaviour_tests_and_reports_in_a_window() -> None:
    message, asked = _menu("yes", "clean", "pytest", "-k", "nudge and not cancel")
    assert asked == "1"
    assert message.startswith("nuke-stops self-test: all behaviour tests passed")
    passed = int(message.split("\n")[1].split(" passed")[0])
    assert passed >= 5
    assert "0 failed" in message


def test_the_self_test_asks_first_and_leaves_a_modified_script_alone() -> None:
    message, asked = _menu("no")
    assert (message, asked) == ("", "1")  # the artist said no: nothing ran
    message, asked = _menu("yes", "modified")
    assert asked == "0"
    assert "save or close the current script first" in message


def test_the_self_test_says_how_to_get_pytest() -> None:
    message, asked = _menu("yes", "clean", "no-pytest")
    assert asked == "0"
    assert "needs pytest in Nuke's Python" in message
    assert "pip install --target DIR pytest hypothesis numpy" in message
