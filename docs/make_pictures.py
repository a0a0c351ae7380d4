"""Draw the pictures of docs/artists.md: `make pictures`.

Nuke is not installed here, so each picture is of the stand-in for Nuke
(tests/standin) driven the way an artist drives Nuke: the menu command is
invoked, the questions it asks are answered, and what it showed is drawn
with Qt offscreen: the menu, the dialogs with the exact words the command
used, the knobs of the nodes it changed (as a plain form, not Nuke's
Properties panel), and the Exposure panel itself (the real widget). Every
file goes through the package's safe-write module.

    python docs/make_pictures.py [FOLDER]     (default docs/artists)
"""

from __future__ import annotations

import math
import os
import runpy
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "standin"), str(ROOT)]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import nuke  # noqa: E402  (the stand-in; mypy reads the types-nuke stubs)

from nuke_plugin.files import safe_write  # noqa: E402
from nuke_plugin.panel.qt import QtCore, QtGui, QtWidgets  # noqa: E402
from nuke_plugin.registry import STOP_KNOBS  # noqa: E402

#: The stand-in's harness (what its tests use): sessions, images on nodes.
STANDIN: Any = nuke

#: The pictures, in the order docs/artists.md shows them.
PICTURES = (
    "menu.png",
    "exposure_stops.png",
    "add_stop_knobs.png",
    "nudge.png",
    "convert.png",
    "panel.png",
    "match.png",
    "match_range.png",
    "deflicker.png",
    "cdl.png",
    "help.png",
)
WIDTH = 760


def start_nuke() -> None:
    """Nuke's start-up from this checkout: init.py, then menu.py (GUI)."""
    nuke.GUI = True
    runpy.run_path(str(ROOT / "init.py"))
    runpy.run_path(str(ROOT / "menu.py"))


def invoke(path: str) -> None:
    """Run a menu command as the artist does (Nuke > nuke-stops > ...)."""
    item = nuke.menu("Nuke").findItem(f"nuke-stops/{path}")
    assert item is not None, path
    item.invoke()


def fresh() -> Any:
    """An empty script, and what the stand-in records of the dialogs."""
    nuke.scriptClear()
    session = STANDIN._session()
    for record in (session.messages, session.questions, session.answers, session.inputs):
        record.clear()
    return session


def select(*nodes: Any) -> None:
    for node in nuke.allNodes(recurseGroups=True):
        node.setSelected(False)
    for node in nodes:
        node.setSelected(True)


# -- what is drawn --------------------------------------------------------------------


def _label(
    text: str, bold: bool = False, grey: bool = False, wrap: bool = True
) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    label.setWordWrap(wrap)
    font = label.font()
    font.setBold(bold)
    label.setFont(font)
    if grey:
        label.setStyleSheet("color: #666")
    return label


def knobs(node: Any, names: Sequence[str], title: str = "") -> QtWidgets.QWidget:
    """A node's knobs as a form: the knob's label and its value as Nuke's
    script holds it (an expression shows as the expression)."""
    box = QtWidgets.QGroupBox(title or f"{node.name()} ({node.Class()})")
    form = QtWidgets.QFormLayout(box)
    for name in names:
        knob = node.knob(name)
        if knob is None:
            continue
        field = QtWidgets.QLineEdit(_shown(knob))
        field.setReadOnly(True)
        field.setMinimumWidth(300)
        field.setCursorPosition(0)  # the start of a long expression
        form.addRow(f"{knob.label() or name}", field)
    return box


def _shown(knob: Any) -> str:
    """A knob as the artist reads it: its value, and for an expression or
    a curve the values at the current frame beside what the script holds."""
    text = str(knob.toScript())
    if "{" not in text or not hasattr(knob, "arraySize"):
        return text
    now = " ".join(f"{knob.getValue(i):.4g}" for i in range(knob.arraySize()))
    return f"{now}      ({text})"


#: Where the checkout is, as pictures show it: the same picture wherever
#: it is drawn (About names the folder the package runs from).
SHOWN_ROOT = "/studio/sw/nuke-stops"


def dialog(text: str, kind: str, default: str = "") -> QtWidgets.QWidget:
    """A Nuke dialog with the command's words: a question (Yes/No), a
    message (OK) or a line of input (OK/Cancel)."""
    text = text.replace(str(ROOT), SHOWN_ROOT)
    box = QtWidgets.QGroupBox({"ask": "question", "input": "input", "message": "message"}[kind])
    layout = QtWidgets.QVBoxLayout(box)
    layout.addWidget(_label(text))
    if kind == "input":
        field = QtWidgets.QLineEdit(default)
        layout.addWidget(field)
    buttons = QtWidgets.QDialogButtonBox()
    names = {"ask": ("Yes", "No"), "input": ("OK", "Cancel"), "message": ("OK",)}[kind]
    for name in names:
        buttons.addButton(name, QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
    layout.addWidget(buttons)
    return box


def menu_widget(path: str, shortcuts: bool = True) -> QtWidgets.QWidget:
    """A menu of the stand-in (what menu.py built) as a list of its items."""
    found: Any = nuke.menu("Nuke").findItem(path)
    box = QtWidgets.QGroupBox(path.replace("/", " > "))
    layout = QtWidgets.QVBoxLayout(box)
    layout.setSpacing(2)
    for item in found.items():
        submenu = hasattr(item, "items")
        text = item.name() + ("  ▸" if submenu else "")
        row = QtWidgets.QHBoxLayout()
        row.addWidget(_label(text, wrap=False))
        row.addStretch()
        if shortcuts and item.shortcut():
            row.addWidget(_label(item.shortcut(), grey=True, wrap=False))
        layout.addLayout(row)
    return box


def scene(title: str, note: str, rows: Sequence[Sequence[QtWidgets.QWidget]]) -> QtWidgets.QWidget:
    """One picture: a title, a line about it, then rows of widgets."""
    page = QtWidgets.QWidget()
    page.setFixedWidth(WIDTH)
    page.setAutoFillBackground(True)
    layout = QtWidgets.QVBoxLayout(page)
    layout.addWidget(_label(title, bold=True))
    if note:
        layout.addWidget(_label(note, grey=True))
    for row in rows:
        line = QtWidgets.QHBoxLayout()
        for widget in row:
            line.addWidget(widget, alignment=QtCore.Qt.AlignmentFlag.AlignTop)
        layout.addLayout(line)
    return page


def png(widget: QtWidgets.QWidget) -> bytes:
    widget.adjustSize()
    widget.show()
    QtWidgets.QApplication.processEvents()
    image = widget.grab()
    data = QtCore.QByteArray()
    buffer = QtCore.QBuffer(data)
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    widget.hide()
    return bytes(data.data())


# -- the scenes -----------------------------------------------------------------------

STOP_NAMES = [STOP_KNOBS.master, STOP_KNOBS.channels, "multiply"]


def plate_image(stops: Callable[[float], float]) -> Callable[[int, int, int, float], float]:
    """A lit scene (brighter to the right, rippling up), 2 ** stops(frame)."""

    def pixel(channel: int, x: int, y: int, frame: float) -> float:
        if channel == 3:
            return 1.0
        light = (0.02 + x / 200) * (1.2 + math.sin(y / 9)) * (1.1, 1.0, 0.8)[channel]
        return float(light * 2.0 ** stops(frame))

    return pixel


def imaged(node_class: str, stops: Callable[[float], float]) -> Any:
    node = nuke.createNode(node_class, inpanel=False)
    STANDIN._set_image(node, 480, 270, plate_image(stops))
    return node


def the_menu() -> QtWidgets.QWidget:
    fresh()
    return scene(
        "Nuke > nuke-stops",
        "The menu menu.py builds (GUI only); the nudges have hotkeys in the Node Graph.",
        [[menu_widget("nuke-stops"), menu_widget("nuke-stops/Nudge")]],
    )


def exposure_stops() -> QtWidgets.QWidget:
    fresh()
    made: Any = nuke.menu("Nodes").findItem("Color/ExposureStops (stops)")
    made.invoke()
    (node,) = nuke.selectedNodes()
    node["stops"].setValue(1.0)
    node["gang"].setValue(False)
    node["blue"].setValue(-1 / 3)
    names = ["stops", "gang", "red", "green", "blue", "multiplier"]
    return scene(
        "Nodes > Color > ExposureStops (stops)",
        "stops +1, blue offset -1/3: the linear multiplier is what Nuke applies (2, 2, 1.59).",
        [[knobs(node, names)]],
    )


def add_stop_knobs() -> QtWidgets.QWidget:
    fresh()
    grade = nuke.createNode("Grade", inpanel=False)
    grade["multiply"].fromScript("2 2 1.5 1")
    before = knobs(grade, ["multiply"], "before: Grade1")
    select(grade)
    invoke("Add stop knobs to selected")
    return scene(
        "Nuke > nuke-stops > Add stop knobs to selected",
        "multiply 2 2 1.5 becomes per-channel stops +1 +1 +0.58; multiply now follows them.",
        [[before], [knobs(grade, STOP_NAMES, "after: Grade1")]],
    )


def nudge() -> QtWidgets.QWidget:
    fresh()
    grade = nuke.createNode("Grade", inpanel=False)
    select(grade)
    invoke("Add stop knobs to selected")
    before = knobs(grade, STOP_NAMES, "before")
    invoke("Nudge/+1 stop")
    invoke("Nudge/+1\u20443 stop")
    return scene(
        "Nuke > nuke-stops > Nudge > +1 stop, then +1\u20443 stop (Alt+Shift+Up, Alt+Shift+Right)",
        "Each nudge is one undo step; the multiply follows the stop knobs.",
        [[before], [knobs(grade, STOP_NAMES, "after")]],
    )


def convert() -> QtWidgets.QWidget:
    session = fresh()
    nuke.nodePaste(str(ROOT / "examples" / "legacy_comp.nk"))
    invoke("Convert legacy multiply/Whole script")
    return scene(
        "Nuke > nuke-stops > Convert legacy multiply > Whole script",
        "The bundled legacy comp (examples/legacy_comp.nk): what was converted and what was "
        "left alone, and why.",
        [[dialog(session.messages[-1], "message")]],
    )


def panel() -> QtWidgets.QWidget:
    fresh()
    nuke.nodePaste(str(ROOT / "examples" / "legacy_comp.nk"))
    from nuke_plugin.host.panel import ExposurePanel

    widget = ExposurePanel()
    widget.resize(WIDTH - 20, 330)
    return scene(
        "Nuke > nuke-stops > Exposure panel",
        "Every exposure in the script, in stops; type into a row to set it.",
        [[widget]],
    )


def match() -> QtWidgets.QWidget:
    session = fresh()
    reference = imaged("Read", lambda f: 0.0)
    plate = imaged("Read", lambda f: -4 / 3)
    select(reference)
    invoke("Match exposure/Set reference (selected node)")
    told = list(session.messages)
    select(plate)
    session.inputs.append("")
    session.answers.append(True)
    invoke("Match exposure/Match selected to reference")
    grade = nuke.toNode(f"{plate.name()}_match")
    rows: List[List[QtWidgets.QWidget]] = [[dialog(t, "message") for t in told]]
    rows.append([dialog(session.questions[0], "input"), dialog(session.questions[1], "ask")])
    rows.append([dialog(text, "message") for text in session.messages[len(told) :]])
    if grade is not None:
        rows.append([knobs(grade, STOP_NAMES)])
    return scene(
        "Nuke > nuke-stops > Match exposure",
        "Set reference, then Match selected to reference: Read2 is 1 1/3 stops under Read1; "
        "a Grade below it gets the offset.",
        rows,
    )


FLICKER = {1: 0.0, 2: 0.4, 3: -0.3, 4: 0.1, 5: -0.45, 6: 0.25}


def _range(
    command: str, title: str, note: str, typed: Sequence[str], reference: bool
) -> QtWidgets.QWidget:
    """A command over a frame range: the artist types ``typed`` into its
    questions in turn, then agrees."""
    session = fresh()
    nuke.root()["first_frame"].setValue(1)
    nuke.root()["last_frame"].setValue(6)
    nodes = [imaged("Grade", lambda f: FLICKER.get(int(f), 0.0))]
    if reference:
        nodes.append(imaged("Read", lambda f: 0.0))
    select(*nodes)
    session.inputs.extend(typed)
    session.answers.append(True)
    invoke(command)
    *asked, agreed = session.questions
    rows: List[List[QtWidgets.QWidget]] = [
        [dialog(question, "input", answer) for question, answer in zip(asked, typed)],
        [dialog(agreed, "ask")],
    ]
    rows.append([knobs(nodes[0], [STOP_KNOBS.master], "after: Grade1 (keyed)")])
    return scene(title, note, rows)


def match_range() -> QtWidgets.QWidget:
    return _range(
        "Match exposure/Match over frame range...",
        "Nuke > nuke-stops > Match exposure > Match over frame range...",
        "A flickering plate (Grade1) against a steady reference (Read1), frames 1-6: one key "
        "a frame on the stop knobs, one undo step.",
        ["1-6", ""],
        reference=True,
    )


def deflicker() -> QtWidgets.QWidget:
    return _range(
        "Match exposure/Deflicker over frame range...",
        "Nuke > nuke-stops > Match exposure > Deflicker over frame range...",
        "The same plate alone: each frame against its neighbours, the flicker taken out.",
        ["1-6", "median 5", ""],
        reference=False,
    )


def cdl() -> QtWidgets.QWidget:
    session = fresh()
    session.inputs.append("ACEScct")
    invoke("CDL grading space...")
    chosen = session.questions[-1]
    grade = nuke.createNode("Grade", inpanel=False)
    select(grade)
    invoke("Add stop knobs to selected")
    invoke("Nudge/+1 stop")
    invoke("Make OCIOCDLTransform from stops")
    made = [n for n in nuke.allNodes() if n.Class() == "OCIOCDLTransform"]
    rows: List[List[QtWidgets.QWidget]] = [[dialog(chosen, "input", "ACEScct")]]
    if session.messages:
        rows.append([dialog(session.messages[-1], "message")])
    if made:
        rows.append([knobs(made[0], ["working_space", "slope", "offset", "power", "saturation"])])
    return scene(
        "Nuke > nuke-stops > CDL grading space..., then Make OCIOCDLTransform from stops",
        "+1 stop handed to grading in ACEScct: an offset there, not a slope (OpenColorIO "
        "judges it).",
        rows,
    )


def help_items() -> QtWidgets.QWidget:
    session = fresh()
    invoke("Help/About nuke-stops")
    about = session.messages[-1]
    session.answers.append(False)
    invoke("Help/Run self-test")
    rows = [[dialog(about, "message")]]
    if session.questions:
        rows.append([dialog(session.questions[-1], "ask")])
    return scene(
        "Nuke > nuke-stops > Help",
        "About names the version and the folder it runs from; the self-test asks first.",
        rows,
    )


SCENES: Dict[str, Callable[[], QtWidgets.QWidget]] = dict(
    zip(
        PICTURES,
        (
            the_menu,
            exposure_stops,
            add_stop_knobs,
            nudge,
            convert,
            panel,
            match,
            match_range,
            deflicker,
            cdl,
            help_items,
        ),
    )
)


def draw(folder: Path, only: Optional[Sequence[str]] = None) -> List[Tuple[Path, int, int]]:
    """Draw the pictures into ``folder``; each one's path and size."""
    if QtWidgets.QApplication.instance() is None:
        QtWidgets.QApplication([])
    QtWidgets.QApplication.setFont(QtGui.QFont("DejaVu Sans", 9))
    start_nuke()
    made = []
    for name in only or PICTURES:
        widget = SCENES[name]()
        data = png(widget)
        image = QtGui.QImage.fromData(data)
        path = folder / name
        safe_write.write(safe_write.plan_output(str(path), force=True), [data])
        made.append((path, image.width(), image.height()))
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "artists"
    target.mkdir(parents=True, exist_ok=True)
    for path, width, height in draw(target):
        print(f"wrote {path} ({width} x {height})")
