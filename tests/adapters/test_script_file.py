"""Golden files: small scripts in tests/data/golden and their conversions.

Each ``NAME.nk`` is converted offline and compared byte for byte with
``NAME.converted.nk`` (groups, nested groups, clones, CRLF, keyed red
channels, expressions, zero values). What the converted script renders is
evaluated by the stand-in, which reads the whole file with its own reader,
at every key and between keys; and the same file converted inside (the
stand-in of) Nuke gives the same report and the same stop knobs.

After a deliberate change of output, review the diff and rewrite the
expected files with ``NUKE_STOPS_UPDATE_GOLDEN=1 make test``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from nuke_plugin.adapters.script_file import read_script
from nuke_plugin.adapters.script_ops import convert_script
from nuke_plugin.host import commands

from support.paths import DATA
from support.render import assert_same_render, render_script

GOLDEN = sorted(p for p in (DATA / "golden").glob("*.nk") if not p.stem.endswith(".converted"))


FRAMES = [1.0, 5.5, 10.0] + [1001 + 0.5 * i for i in range(100)]


def _expected(path: Path) -> Path:
    return path.with_name(path.stem + ".converted.nk")


def test_there_are_golden_files() -> None:
    assert {p.name for p in GOLDEN} >= {"comp.nk", "crlf.nk"}


@pytest.mark.parametrize("path", GOLDEN, ids=[p.name for p in GOLDEN])
def test_conversion_matches_the_golden_file(path: Path) -> None:
    script = read_script(path)
    convert_script(script)
    got = script.to_text().encode("utf-8", "surrogateescape")
    expected = _expected(path)
    if os.environ.get("NUKE_STOPS_UPDATE_GOLDEN") == "1":
        expected.write_bytes(got)
    assert got == expected.read_bytes(), f"{path.name}: see {expected.name}"


@pytest.mark.parametrize("path", GOLDEN, ids=[p.name for p in GOLDEN])
def test_the_converted_file_renders_the_same(path: Path) -> None:
    script = read_script(path)
    outcomes = convert_script(script)
    driven = [(o.path, o.knob) for o in outcomes if o.changed]
    assert driven, "the golden file converts something"
    before = render_script(script.text, driven, FRAMES)
    after = render_script(_expected(path).read_text(), driven, FRAMES)
    assert_same_render(before, after)


def test_the_report_says_what_was_done_and_why() -> None:
    script = read_script(DATA / "golden" / "comp.nk")
    outcomes = {o.path: (o.status, o.detail) for o in convert_script(script)}
    assert outcomes == {
        "Grade_warm": ("converted", ""),
        "Grade_keyed_red": ("converted", "keys kept on r (up to 3); stops apply on top"),
        "Multiply_fade": ("converted", "keys kept on r, g, b (up to 2); stops apply on top"),
        "Multiply_linked": ("expression", "parent.Grade_warm.multiply"),
        "Multiply_black": (
            "nonpositive",
            "channel r is 0: exposure of zero intensity is undefined",
        ),
        "CC_plus1": ("converted", ""),
        "Grade_cloned": (
            "cloned",
            "a clone: its knobs are shared with its clones, so it is left alone (declone it)",
        ),
        "Group_look.Grade_inside": ("converted", ""),
        "Group_look.Nested.Multiply_deep": ("converted", ""),
    }


def test_inside_nuke_the_same_file_converts_the_same_way(nuke_host: Any) -> None:
    """Live and offline: the same nodes converted or left alone, with the
    same stop knob values (the live side read through Nuke's own API)."""
    path = DATA / "golden" / "comp.nk"
    offline = {o.path: o for o in convert_script(read_script(path))}
    nuke_host.scriptReadText(path.read_text())
    live = {o.path: o for o in commands.convert_all()}
    for where, outcome in offline.items():
        assert (live[where].status, live[where].detail) == (outcome.status, outcome.detail), where
        if not outcome.changed:
            continue
        node = nuke_host.toNode(where)
        assert node["nks_stops"].getValueAt(1) == pytest.approx(outcome.master)
        offsets = [node["nks_channel_stops"].getValueAt(1, i) for i in range(4)]
        assert offsets == pytest.approx(list(outcome.channels))
        assert node["nks_drives"].value() == outcome.knob
    clone_statuses = {o.status for p, o in live.items() if p.startswith("Grade_cloned")}
    assert clone_statuses == {"cloned"}  # the original and its clone, both left alone


def test_write_script_writes_safely_and_keeps_what_it_replaces(tmp_path: Path) -> None:
    from nuke_plugin.adapters.script_file import write_script
    from nuke_plugin.files.reading import FileError

    target = tmp_path / "out.nk"
    script = read_script(DATA / "golden" / "comp.nk")
    assert write_script(target, script).backup is None
    assert target.read_text() == (DATA / "golden" / "comp.nk").read_text()
    done = write_script(target, "Root {}\n")
    assert done.backup is not None
    assert done.backup.read_text() == (DATA / "golden" / "comp.nk").read_text()
    target.chmod(0o444)
    with pytest.raises(FileError, match="read-only"):
        write_script(target, "Root { }\n")
    assert write_script(target, "Root { }\n", force=True).target == target
