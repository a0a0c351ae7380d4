"""nuke-stops: Nuke runs this file after init.py, in the GUI only.

It builds the menus, hotkeys and one knobChanged callback. Nothing of the
package is imported here: each command imports its module when it runs, so
start-up stays cheap. A failure prints one traceback and Nuke starts anyway.
"""

from __future__ import annotations

import nuke

TYPE_CHECKING = False  # typing is not imported at start-up: it costs milliseconds
if TYPE_CHECKING:
    from typing import Callable

#: Menu path under Nuke > nuke-stops, hotkey, and the command it runs.
#: Triple-modifier keys keep clear of Nuke's own shortcuts.
HOTKEYS = {
    "Nudge/+1 stop": "ctrl+alt+shift+Up",
    "Nudge/-1 stop": "ctrl+alt+shift+Down",
    "Nudge/+1\u20443 stop": "ctrl+alt+shift+Right",
    "Nudge/-1\u20443 stop": "ctrl+alt+shift+Left",
    "Nudge/Up by step": "ctrl+alt+shift+PgUp",
    "Nudge/Down by step": "ctrl+alt+shift+PgDown",
}
# The linear knobs whose edits may need the stop knobs to follow.
_LINEAR_KNOBS = frozenset(("multiply", "white", "value", "gain"))


def _command(name: str, *args: object, **kwargs: object) -> Callable[[], object]:
    """A menu command that imports nuke_plugin.nuke_commands when it runs."""

    def run() -> object:
        from nuke_plugin import nuke_commands

        return getattr(nuke_commands, name)(*args, **kwargs)

    return run


def _on_knob_changed() -> None:
    # Runs on every knob change of Grade/Multiply/ColorCorrect: stay cheap.
    if nuke.thisKnob().name() in _LINEAR_KNOBS:
        from nuke_plugin.nuke_sync import on_knob_changed

        on_knob_changed()


def _create_exposure_stops() -> None:
    nuke.createNode("ExposureStops")


def setup() -> None:
    menu = nuke.menu("Nuke").addMenu("nuke-stops")
    commands = [
        ("Nudge/+1 stop", _command("nudge", 1.0)),
        ("Nudge/-1 stop", _command("nudge", -1.0)),
        ("Nudge/+1\u20443 stop", _command("nudge", 1 / 3)),
        ("Nudge/-1\u20443 stop", _command("nudge", -1 / 3)),
        ("Nudge/Up by step", _command("nudge_by_step", 1)),
        ("Nudge/Down by step", _command("nudge_by_step", -1)),
        ("Nudge/Key this frame/Up by step", _command("nudge_by_step", 1, True)),
        ("Nudge/Key this frame/Down by step", _command("nudge_by_step", -1, True)),
    ]
    for label, fraction in (("1", (1, 1)), ("1\u20442", (1, 2)), ("1\u20443", (1, 3)),
                            ("1\u20444", (1, 4))):  # fmt: skip
        commands.append((f"Nudge/Step/{label} stop", _command("set_step_fraction", *fraction)))
    commands += [
        ("Add stop knobs to selected", _command("add_stop_knobs")),
        ("Add stop knobs to selected (Grade gain)", _command("add_stop_knobs", "white")),
        ("Convert legacy multiply/Selected nodes", _command("convert_selected")),
        ("Convert legacy multiply/Whole script", _command("convert_all")),
    ]
    for name, run in commands:
        menu.addCommand(name, run, HOTKEYS.get(name, ""))
    nuke.menu("Nodes").addCommand("Color/ExposureStops (stops)", _create_exposure_stops)
    for node_class in ("Grade", "Multiply", "ColorCorrect"):
        nuke.addKnobChanged(_on_knob_changed, nodeClass=node_class)


if nuke.GUI:
    try:
        setup()
    except Exception:  # never stop Nuke from starting: say what broke, once
        import traceback

        traceback.print_exc()
