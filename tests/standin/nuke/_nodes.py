"""Nodes, groups and the root, as Foundry documents them.

Every node lives in a group (the root at the top). Built-in knobs are
modelled for the classes nuke-stops works with (Grade, Multiply,
ColorCorrect, EXPTool: their reference pages); any other knob a script
sets is kept as text.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Optional, Tuple

from ._knobs import (
    AColor_Knob,
    Boolean_Knob,
    Color_Knob,
    Double_Knob,
    Enumeration_Knob,
    Knob,
    String_Knob,
    _ScriptKnob,
)
from ._state import SESSION


def _colour(kind: type, default: float) -> Callable[[str], Knob]:
    """A colour knob (Color_Knob: r g b; AColor_Knob: r g b a) at ``default``."""

    def make(name: str) -> Knob:
        knob = kind(name)
        knob._default = default
        knob._channels = [default] * kind._size
        return knob

    return make


def _acolor(default: float) -> Callable[[str], Knob]:
    return _colour(AColor_Knob, default)


def _color(default: float) -> Callable[[str], Knob]:
    return _colour(Color_Knob, default)


def _double(default: float) -> Callable[[str], Knob]:
    def make(name: str) -> Knob:
        knob = Double_Knob(name)
        knob._default = default
        knob._channels = [default]
        return knob

    return make


def _exposure_mode(name: str) -> Knob:
    return Enumeration_Knob(name, "adjust in", ["Stops", "Lights", "Densities", "Cineon"])


def _colorspaces() -> List[str]:
    """The colour spaces of the config Nuke would load ($OCIO, else the
    studio config the tests use): names only, as Nuke lists them (docs
    silent on aliases in a colour-space knob: refused here)."""
    import os

    try:
        import PyOpenColorIO
    except ImportError:
        return ["ACEScg", "ACEScc", "ACEScct", "ACES2065-1"]
    config = PyOpenColorIO.Config.CreateFromFile(
        os.environ.get("OCIO") or "ocio://studio-config-latest"
    )
    return [str(space.getName()) for space in config.getColorSpaces()]


_SPACES: List[str] = []


def _colorspace(name: str) -> Knob:
    if not _SPACES:
        _SPACES.extend(_colorspaces())
    knob = Enumeration_Knob(name, None, _SPACES)
    knob._index = _SPACES.index("ACEScg") if "ACEScg" in _SPACES else 0
    return knob


def _boolean(name: str) -> Knob:
    knob = Boolean_Knob(name)
    knob._channels = [0.0]
    return knob


def _gang(name: str) -> Knob:
    knob = Boolean_Knob(name)
    knob._channels = [1.0]
    return knob


BUILTIN: Dict[str, List[Tuple[str, Callable[[str], Knob]]]] = {
    "Grade": [
        ("blackpoint", _acolor(0.0)),
        ("whitepoint", _acolor(1.0)),
        ("black", _acolor(0.0)),
        ("white", _acolor(1.0)),
        ("multiply", _acolor(1.0)),
        ("add", _acolor(0.0)),
        ("gamma", _acolor(1.0)),
        ("mix", _double(1.0)),
    ],
    "Multiply": [("value", _acolor(1.0)), ("mix", _double(1.0))],
    "ColorCorrect": [
        ("gain", _acolor(1.0)),
        ("shadows.gain", _acolor(1.0)),
        ("midtones.gain", _acolor(1.0)),
        ("highlights.gain", _acolor(1.0)),
        ("mix", _double(1.0)),
    ],
    # Docs (OCIOCDLTransform): slope, offset, power (r g b) and saturation;
    # working_space from OCIOWorkingSpaceBase (NDK example): the colour
    # space the CDL is applied in, default the scene_linear role.
    "OCIOCDLTransform": [
        ("slope", _color(1.0)),
        ("offset", _color(0.0)),
        ("power", _color(1.0)),
        ("saturation", _double(1.0)),
        ("working_space", _colorspace),
    ],
    # Docs (Read): raw, "the data is read as it is in the file, without any
    # colour space conversion".
    "Read": [("raw", _boolean)],
    # Docs (Root): the project's frame range is first_frame and last_frame
    # (Project Settings; a new script's is 1-100). Docs silent on the knob
    # class (Int or Double): a Double here, and callers convert with int().
    "Root": [("first_frame", _double(1.0)), ("last_frame", _double(100.0))],
    "EXPTool": [
        ("mode", _exposure_mode),
        ("red", _double(0.0)),
        ("green", _double(0.0)),
        ("blue", _double(0.0)),
        ("gang", _gang),
    ],
}
GROUP_CLASSES = ("Group", "Gizmo", "LiveGroup", "Root")
_CHANNELS = ("rgba.red", "rgba.green", "rgba.blue", "rgba.alpha")


class Node:
    def __init__(self, node_class: str, name: str, parent: Optional[Group]) -> None:
        self._class = node_class
        self._parent = parent
        self._knobs: Dict[str, Knob] = {}
        self._user: List[str] = []
        self._selected = False
        self._inputs: List[Optional[Node]] = []  # what feeds each input, in order
        self._position = (0, 0)
        self._panel_open = False
        self._pixels: Optional[Tuple[int, int, Callable[[int, int, int, float], float]]] = None
        self._family: List[Node] = [self]  # clones share their knobs
        label = String_Knob("name")
        label._text = name
        self._attach(label)
        for knob_name, make in BUILTIN.get(node_class, []):
            self._attach(make(knob_name))

    def _attach(self, knob: Knob) -> None:
        knob._node = self
        self._knobs[knob.name()] = knob

    def Class(self) -> str:
        return self._class

    def name(self) -> str:
        knob = self._knobs["name"]
        assert isinstance(knob, String_Knob)
        return knob._text

    def setName(self, name: str, uncollide: bool = True, updateExpressions: bool = False) -> None:
        if self._parent is not None and uncollide:
            name = self._parent._free_name(name, self)
        knob = self._knobs["name"]
        assert isinstance(knob, String_Knob)
        knob.setValue(name)

    def fullName(self) -> str:
        if self._parent is None or self._parent._parent is None:
            return self.name()
        return f"{self._parent.fullName()}.{self.name()}"

    def parent(self) -> Optional[Group]:
        return self._parent

    def knob(self, p: Any, follow_link: bool = False) -> Optional[Knob]:
        if not isinstance(p, str):
            raise TypeError("the stand-in finds knobs by name (str) only")  # int: not modelled
        return self._knobs.get(p)

    def knobs(self) -> Dict[str, Knob]:
        return dict(self._knobs)

    def __getitem__(self, name: str) -> Knob:
        knob = self.knob(name)
        if knob is None:
            raise NameError(f"knob {name} does not exist")  # as Nuke raises
        return knob

    def addKnob(self, knob: Knob) -> None:
        if not isinstance(knob, Knob):
            raise TypeError("addKnob takes a Knob")
        if knob.name() in self._knobs:
            # Docs silent: refused here, so a product adding a knob twice fails.
            raise ValueError(f"{self.name()} already has a knob {knob.name()}")
        self._user.append(knob.name())
        self._attach(knob)

    def removeKnob(self, knob: Knob) -> None:
        if not isinstance(knob, Knob) or self._knobs.get(knob.name()) is not knob:
            raise ValueError(f"{self.name()} has no such knob")  # docs silent
        if knob.name() not in self._user:
            raise ValueError(f"{knob.name()} is not a user knob of {self.name()}")  # docs silent
        del self._knobs[knob.name()]
        self._user.remove(knob.name())

    def setSelected(self, selected: bool) -> None:
        self._selected = bool(selected)
        if selected:
            SESSION.selection_order.append(self)

    def isSelected(self) -> bool:
        return self._selected

    # -- connections and place in the Node Graph ---------------------------------
    # Docs: setInput "connects input i to the node" and returns True on
    # success; input(i) is the node connected there, or None; inputs() "gets
    # the maximum number of connected inputs" (the stand-in: one past the
    # highest connected index); dependent(nuke.INPUTS) lists the nodes that
    # read this node's output through their inputs, in its group.

    def setInput(self, i: int, node: Optional[Node]) -> bool:
        if not isinstance(i, int) or i < 0:
            raise TypeError("setInput takes an input number")
        if node is not None and (not isinstance(node, Node) or node._parent is not self._parent):
            return False  # docs silent: only nodes of the same group are connected here
        while len(self._inputs) <= i:
            self._inputs.append(None)
        self._inputs[i] = node
        while self._inputs and self._inputs[-1] is None:
            self._inputs.pop()
        return True

    def input(self, index: int) -> Optional[Node]:
        return self._inputs[index] if 0 <= index < len(self._inputs) else None

    def inputs(self) -> int:
        return len(self._inputs)

    def dependent(self, mask: int, forceEvaluate: bool = True) -> List[Node]:
        if self._parent is None:
            return []
        return [n for n in self._parent._children if self in n._inputs]

    def setXYpos(self, x: int, y: int) -> None:
        self._position = (int(x), int(y))

    def xpos(self) -> int:
        return self._position[0]

    def ypos(self) -> int:
        return self._position[1]

    def screenHeight(self) -> int:
        """Docs silent on the value: the stand-in's nodes are 18 pixels high."""
        return 18

    def clones(self) -> int:
        """Docs: "Number of clones". Docs silent on which member counts: the
        stand-in counts the other members of the family, on each of them."""
        return len(self._family) - 1

    def showControlPanel(self, forceFloat: bool = False) -> None:
        from ._callbacks import panel_event

        self._panel_open = True
        panel_event(self, "showPanel")

    def hideControlPanel(self) -> None:
        from ._callbacks import panel_event

        self._panel_open = False
        panel_event(self, "hidePanel")

    def shown(self) -> bool:
        return self._panel_open

    # -- pixels: the stand-in renders nothing; a test gives a node an image
    # (nuke._set_image) as a function of channel, x, y and frame.

    def width(self) -> int:
        return int(self._image()[0])

    def height(self) -> int:
        return int(self._image()[1])

    def sample(
        self,
        c: str,
        x: float,
        y: float,
        dx: float = 0.0,
        dy: float = 0.0,
        frame: Optional[float] = None,
        view: Optional[str] = None,
    ) -> float:
        """Docs: the channel's value at (x, y), origin at the bottom left,
        "integers are at the corners of pixels"; with dx, dy the area around
        it, cubic-filtered. Docs silent on the filter's weights: the
        stand-in averages the pixels the dx x dy box covers (3 x 3 points)."""
        if c not in _CHANNELS:
            raise ValueError(f"no channel {c!r}")  # docs silent on the error
        width, height, pixel = self._image()
        when = SESSION.frame if frame is None else float(frame)
        points = (
            [(x + dx * (i - 1) / 3, y + dy * (j - 1) / 3) for i in range(3) for j in range(3)]
            if dx or dy
            else [(x, y)]
        )
        total = 0.0
        for px, py in points:
            column = min(max(int(px), 0), width - 1)  # outside the format: the edge pixel
            row = min(max(int(py), 0), height - 1)
            total += pixel(_CHANNELS.index(c), column, row, when)
        return total / len(points)

    def _image(self) -> Tuple[int, int, Callable[[int, int, int, float], float]]:
        if self._pixels is None:
            raise ValueError(f"{self.fullName()} has no image in the stand-in (nuke._set_image)")
        return self._pixels

    def __repr__(self) -> str:
        return f"<{self._class} {self.fullName()}>"


class Group(Node):
    def __init__(self, node_class: str, name: str, parent: Optional[Group]) -> None:
        super().__init__(node_class, name, parent)
        self._children: List[Node] = []

    def nodes(self) -> List[Node]:
        return list(self._children)

    def node(self, s: str) -> Optional[Node]:
        group: Optional[Node] = self
        for part in s.split("."):
            if not isinstance(group, Group):
                return None
            group = next((n for n in group._children if n.name() == part), None)
        return group

    def selectedNodes(self) -> List[Node]:
        return [n for n in self._children if n._selected]

    def begin(self) -> Group:
        SESSION.context.append(self)
        return self

    def end(self) -> None:
        if len(SESSION.context) < 2 or SESSION.context[-1] is not self:
            raise RuntimeError(f"{self.name()}.end() without its begin()")  # docs silent
        SESSION.context.pop()

    def __enter__(self) -> Group:
        return self.begin()

    def __exit__(self, type: Any, value: Any, traceback: Any) -> None:
        self.end()

    def _free_name(self, wanted: str, node: Optional[Node] = None) -> str:
        taken = {n.name() for n in self._children if n is not node}
        if wanted not in taken:
            return wanted
        stem = re.sub(r"\d+$", "", wanted) or wanted
        number = 1
        while f"{stem}{number}" in taken:
            number += 1
        return f"{stem}{number}"


class Gizmo(Group):
    pass


class Root(Group):
    """Docs silent (public tools' use): the Root's ``name`` knob holds the
    script's path, empty until the script is saved, and ``name()`` is then
    "Root"; ``fullName()`` is "root". Saving is not modelled: a test sets
    the knob as a save would (real_nuke_checks.md, item 66)."""

    def __init__(self) -> None:
        super().__init__("Root", "root", None)
        label = self._knobs["name"]
        assert isinstance(label, String_Knob)
        label._text = ""
        self._modified = False

    def name(self) -> str:
        return super().name() or "Root"

    def fullName(self) -> str:
        return "root"

    def modified(self) -> bool:
        return self._modified

    def setModified(self, modified: bool) -> None:
        self._modified = bool(modified)


def make_node(node_class: str, parent: Group, name: Optional[str] = None) -> Node:
    """A new node at the end of ``parent``, named Class1, Class2... unless named."""
    kind = {"Group": Group, "LiveGroup": Group, "Gizmo": Gizmo}.get(node_class, Node)
    made = kind(node_class, parent._free_name(name or f"{node_class}1"), parent)
    parent._children.append(made)
    SESSION.root._modified = True
    return made


def walk(group: Group) -> List[Node]:
    """Every node under ``group``, depth first in document order."""
    found: List[Node] = []
    for node in group._children:
        found.append(node)
        if isinstance(node, Group):
            found.extend(walk(node))
    return found


def clone_node(original: Node, parent: Group) -> Node:
    """A clone: a node of the same class sharing every knob but its name."""
    made = Node(original.Class(), parent._free_name(original.name()), parent)
    for name, knob in original._knobs.items():
        if name != "name":
            made._knobs[name] = knob
    made._user = list(original._user)
    original._family.append(made)
    made._family = original._family
    parent._children.append(made)
    return made


def knob_for(node: Node, name: str) -> Knob:
    """The node's knob of that name, or a text knob for one not modelled."""
    knob = node._knobs.get(name)
    if knob is None:
        knob = _ScriptKnob(name)
        node._attach(knob)
    return knob
