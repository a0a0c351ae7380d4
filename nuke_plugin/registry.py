"""What the package knows by name in Nuke, written once.

Node classes and their exposure knobs, the stop knobs this package adds,
the group classes, and the Exposure panel's identity. ``menu.py`` imports
this at Nuke's start-up, so it imports nothing (no ``typing``, no
``dataclasses``, no ``logging``: each costs milliseconds there; measured in
``benchmarks/bench_startup.py``); the operations, the script reader, the
live layer and the panel all read their names from here.

>>> EXPOSURE_KNOBS["Grade"], CONVERTIBLE["Multiply"], STOP_KNOBS.master
(('multiply', 'white'), 'value', 'nks_stops')
"""

# No imports at all, not even ``from __future__``: that one is a module too.
TYPE_CHECKING = False  # typing is for mypy only: not imported at start-up
if TYPE_CHECKING:
    from typing import Dict, List, Tuple

#: The optional extras (pyproject.toml) and what each brings.
EXTRAS = {
    "plates": "numpy and OpenEXR",
    "cdl": "OpenColorIO",
    "panel": "PySide6 (PySide2 on Python 3.7)",
}


def needs_extra(what: str, extra: str) -> str:
    """The one line a command missing an optional dependency gives.

    >>> needs_extra("nuke-stops match", "plates")
    "nuke-stops match needs numpy and OpenEXR: pip install 'nuke-stops[plates]'"
    """
    return f"{what} needs {EXTRAS[extra]}: pip install 'nuke-stops[{extra}]'"


#: Linear (multiplier) knobs that carry exposure, by node class. Knob names
#: are script names: Grade's "gain" is ``white``.
EXPOSURE_KNOBS = {
    "Grade": ("multiply", "white"),
    "Multiply": ("value",),
    "ColorCorrect": ("gain", "shadows.gain", "midtones.gain", "highlights.gain"),
}
#: The linear knobs stop knobs can drive, by node class; the first is the
#: default (``--grade-knob white`` drives Grade's gain).
DRIVABLE_KNOBS = {
    "Grade": ("multiply", "white"),
    "Multiply": ("value",),
    "ColorCorrect": ("gain",),
}
#: The knob a conversion drives by default, by node class.
CONVERTIBLE = {node_class: knobs[0] for node_class, knobs in DRIVABLE_KNOBS.items()}
#: Every knob stop knobs may drive: an edit of one of them may need the stop
#: knobs to follow (menu.py's knobChanged filter).
LINEAR_KNOBS = frozenset(knob for knobs in DRIVABLE_KNOBS.values() for knob in knobs)
#: Nuke's Exposure node, and its knobs already in exposure units (by ``mode``).
EXPTOOL = "EXPTool"
EXPTOOL_KNOBS = ("red", "green", "blue")
#: EXPTool's ``mode`` words that name a unit nuke_plugin.core.exposure
#: converts ("Lights" is not one of them).
EXPTOOL_UNITS = {"Stops": "stops", "Densities": "densities", "Cineon": "cineon"}
#: The classes whose nodes scan lists and the panel shows.
EXPOSURE_CLASSES = frozenset((*EXPOSURE_KNOBS, EXPTOOL))
#: Node classes that hold other nodes (in a script: up to ``end_group``).
GROUP_CLASSES = frozenset(("Group", "Gizmo", "LiveGroup"))


class StopKnobs:
    """Names of the knobs this package adds to a node (and their tab)."""

    tab = "nks_exposure"
    master = "nks_stops"
    channels = "nks_channel_stops"
    drives = "nks_drives"  # hidden: the name of the linear knob they drive


STOP_KNOBS = StopKnobs()

#: The Exposure panel: what registerWidgetAsPanel is given (Python that
#: evaluates to the class, importing its module on the way, so that Qt and
#: the panel load when it is first shown), its title, and the id with which
#: Nuke restores it from a saved layout.
PANEL_WIDGET = "__import__('nuke_plugin.host.panel', fromlist=['ExposurePanel']).ExposurePanel"
PANEL_TITLE = "Exposure (stops)"
PANEL_ID = "io.github.nuke_stops.ExposurePanel"

#: Where the CDL grading space is kept: a knob added to Nuke's preferences
#: node (the artist's choice), else this environment variable (a studio's
#: default), else the OCIO config's scene_linear role.
CDL_SPACE_PREFERENCE = "nuke_stops_cdl_space"
CDL_SPACE_VARIABLE = "NUKE_STOPS_CDL_SPACE"


# Hotkeys: menu path under Nuke > nuke-stops -> key sequence. They act while
# the Node Graph has focus (shortcutContext 2), so they cannot take keys from
# the Viewer, the Curve Editor or text fields. Alt+Shift with the arrows and
# PgUp/PgDown is free on the stock desktops artists use:
# - GNOME (RHEL/Rocky): Ctrl+Alt+arrows switch workspaces and Ctrl+Alt+Shift+
#   arrows move windows (org.gnome.desktop.wm.keybindings), Super+PgUp/PgDown
#   too; Alt+Shift+arrows are unbound.
# - macOS: Ctrl+arrows belong to Mission Control; Nuke's "alt" is Option, and
#   Option+Shift+arrows only select text in text fields.
# - Windows: Win+arrows snap windows; Alt+Shift alone switches the keyboard
#   layout, only when pressed and released with no other key.
# - Nuke: addCommand's documentation says a shortcut overrides other uses of
#   it; Nuke's default keymap was not in the material available here, so the
#   chords are checked in a real session (docs/real_nuke_checks.md).
# A studio changes or removes them with $NUKE_STOPS_HOTKEYS, e.g.
#   NUKE_STOPS_HOTKEYS="Nudge/+1 stop=ctrl+alt+Up; Nudge/-1 stop="   (empty: none)
NUDGE_HOTKEYS = {
    "Nudge/+1 stop": "alt+shift+Up",
    "Nudge/-1 stop": "alt+shift+Down",
    "Nudge/+1\u20443 stop": "alt+shift+Right",
    "Nudge/-1\u20443 stop": "alt+shift+Left",
    "Nudge/Up by step": "alt+shift+PgUp",
    "Nudge/Down by step": "alt+shift+PgDown",
}


def nudge_hotkeys(setting: str) -> "Tuple[Dict[str, str], List[str]]":
    """NUDGE_HOTKEYS with a studio's changes ($NUKE_STOPS_HOTKEYS: "name=key;
    ..."), and the entries that name no nudge command. menu.py gives them to
    Nuke's menu, and the Exposure panel takes the same keys.

    >>> chosen, unknown = nudge_hotkeys("Nudge/+1 stop=ctrl+alt+Up; Nudge/x=F9")
    >>> chosen["Nudge/+1 stop"], chosen["Nudge/-1 stop"], unknown
    ('ctrl+alt+Up', 'alt+shift+Down', ['Nudge/x=F9'])
    """
    chosen = dict(NUDGE_HOTKEYS)
    unknown = []
    for entry in setting.split(";"):
        if not entry.strip():
            continue
        name, equals, key = entry.partition("=")
        if not equals or name.strip() not in NUDGE_HOTKEYS:
            unknown.append(entry.strip())
            continue
        chosen[name.strip()] = key.strip()
    return chosen, unknown
