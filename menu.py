"""nuke-stops: Nuke runs this file after init.py, in the GUI only.

It builds the menus, hotkeys and the callbacks that keep stop knobs
honest, and registers the Exposure panel (without importing Qt). Of the
package only ``nuke_plugin.registry`` is imported here (names, no other
import): each command imports its module when it runs, so start-up stays
cheap. A failure prints one traceback and Nuke starts anyway.
"""

from __future__ import annotations

import os

import nuke

TYPE_CHECKING = False  # typing is not imported at start-up: it costs milliseconds
if TYPE_CHECKING:
    from typing import Callable, Dict

NODE_GRAPH = 2  # addCommand's shortcutContext: 0 window, 1 application, 2 Node Graph

try:  # the names of the classes, knobs and panel: nothing else is imported
    from nuke_plugin import registry
except Exception:  # a broken installation: say so once; Nuke starts anyway
    import traceback

    traceback.print_exc()
    registry = None  # type: ignore[assignment]

#: The nudge hotkeys (nuke_plugin.registry.NUDGE_HOTKEYS, where they are
#: explained): menu path under Nuke > nuke-stops -> key sequence.
HOTKEYS = dict(registry.NUDGE_HOTKEYS) if registry is not None else {}


def hotkeys(setting: str) -> Dict[str, str]:
    """The nudge hotkeys with a studio's changes ($NUKE_STOPS_HOTKEYS)."""
    chosen, unknown = registry.nudge_hotkeys(setting)
    for entry in unknown:
        print(f"nuke-stops: NUKE_STOPS_HOTKEYS: {entry!r} names no nudge command")
    return chosen


def _command(name: str, *args: object, **kwargs: object) -> Callable[[], object]:
    """A menu command that imports its module when it runs: ``name`` is a
    function of nuke_plugin.host.commands, or ``module.function`` of
    another module of nuke_plugin.host."""

    def run() -> object:
        import importlib

        module, _, function = name.rpartition(".")
        found = importlib.import_module(f"nuke_plugin.host.{module or 'commands'}")
        return getattr(found, function)(*args, **kwargs)

    return run


def _on_knob_changed() -> None:
    # Runs on every knob change of the exposure classes: stay cheap.
    if nuke.thisKnob().name() in registry.LINEAR_KNOBS:
        from nuke_plugin.host.sync import on_knob_changed

        on_knob_changed()


def _on_update_ui() -> None:
    # Runs at idle for every node of the exposure classes: one knob lookup
    # unless the node has stop knobs.
    if nuke.thisNode().knob(registry.STOP_KNOBS.master) is not None:
        from nuke_plugin.host.sync import on_update_ui

        on_update_ui()


def _open_panel() -> None:
    from nuke_plugin.host.panel import open_panel

    open_panel()


def _self_test() -> None:
    from nuke_plugin.host.selftest import run_from_menu

    run_from_menu()


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
    for label, numerator, denominator in (
        ("1", 1, 1),
        ("1\u20442", 1, 2),
        ("1\u20443", 1, 3),
        ("1\u20444", 1, 4),
    ):
        commands.append(
            (
                f"Nudge/Step/{label} stop",
                _command("set_nudge_step_fraction", numerator, denominator),
            )
        )
    commands += [
        ("Exposure panel", _open_panel),
        ("Add stop knobs to selected", _command("add_stop_knobs")),
        ("Add stop knobs to selected (Grade gain)", _command("add_stop_knobs", "white")),
        ("Convert legacy multiply/Selected nodes", _command("convert_selected")),
        ("Convert legacy multiply/Whole script", _command("convert_all")),
        ("Match exposure/Set reference (selected node)", _command("matching.set_reference")),
        ("Match exposure/Match selected to reference", _command("matching.match_selected")),
        ("Match exposure/Match over frame range...", _command("shot.match_over_range")),
        ("Match exposure/Deflicker over frame range...", _command("shot.deflicker_over_range")),
        ("Make OCIOCDLTransform from stops", _command("matching.make_cdl_from_stops")),
        ("CDL grading space...", _command("matching.choose_cdl_space")),
        ("Help/Run self-test", _self_test),
        ("Help/About nuke-stops", _command("about")),
    ]
    keys = hotkeys(os.environ.get("NUKE_STOPS_HOTKEYS", ""))
    for name, run in commands:
        key = keys.get(name, "")
        menu.addCommand(name, run, key, shortcutContext=NODE_GRAPH if key else 1)
    nuke.menu("Nodes").addCommand("Color/ExposureStops (stops)", _command("create_exposure_stops"))
    for node_class in registry.DRIVABLE_KNOBS:  # the classes whose stop knobs drive a knob
        nuke.addKnobChanged(_on_knob_changed, nodeClass=node_class)
        nuke.addUpdateUI(_on_update_ui, nodeClass=node_class)
    import nukescripts  # Nuke imported it before menu.py: this costs nothing

    # Registered at start-up, so that Nuke restores the panel with a saved
    # layout; Qt and the panel load when it is first shown.
    nukescripts.panels.registerWidgetAsPanel(
        registry.PANEL_WIDGET, registry.PANEL_TITLE, registry.PANEL_ID
    )


if nuke.GUI and registry is not None:
    try:
        setup()
    except Exception:  # never stop Nuke from starting: say what broke, once
        import traceback

        traceback.print_exc()
