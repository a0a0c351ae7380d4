"""A strict stand-in for Foundry's ``nuke`` module, for tests without Nuke.

It models Nuke, from Foundry's Python reference and user guide and from how
widely used public tools call the API, with code of its own: it imports
nothing from nuke_plugin, so the product is never tested against itself.
It models the parts of Nuke that the product and its tests call, and what
reading a script needs (a knob of every class a script names); nothing
more: tests/test_standin.py holds every public name and method to a use.

Strict: it offers only names the real module has (tests/test_standin.py
checks each against the ``types-nuke`` stubs, plus a short list of names
Foundry documents that the 13.2 stubs lack); anything else raises
AttributeError; it checks argument shapes where Nuke would fail, and it
takes the least forgiving reading where the documentation is silent (each
such place says "docs silent", and docs/real_nuke_checks.md lists them with
a one-line check to run in a real Nuke).

What it models:
- knob text as Nuke gives it (``toScript`` unbraced, ~10 significant
  digits, every channel; ``fromScript`` returns False on text it refuses);
- values, animation curves with Nuke's documented interpolation, and the
  expressions products write (``pow``, arithmetic, ``?:``, knob and channel
  references, ``curve``), evaluated by ``getValueAt``;
- groups and the current group (``with group:``), ``selectedNodes`` of the
  current group only, ``lastHitGroup``, ``nodePaste`` of a .nk file;
- undo groups that nest inside the one a menu command runs in;
- knobChanged (open panels; every change behind a switch, as in Nuke 17),
  updateUI at idle, onCreate/onDestroy, clones, menus with key sequences,
  progress windows, and panes where panels dock (``getPaneFor``; the
  ``nukescripts`` stand-in beside this package registers panels).

Harness functions for tests start with an underscore.
"""

from __future__ import annotations

from typing import Any as _Any
from typing import List as _List
from typing import Optional as _Optional

from . import _callbacks, _nodes, _scripts
from ._knobs import (
    BREAK,
    CATMULL_ROM,
    CONSTANT,
    CUBIC,
    DISABLED,
    ENDLINE,
    HORIZONTAL,
    INVISIBLE,
    LINEAR,
    NO_ANIMATION,
    READ_ONLY,
    SMOOTH,
    STARTLINE,
    USER_SET_SLOPE,
    AColor_Knob,
    AnimationCurve,
    AnimationKey,
    Array_Knob,
    Boolean_Knob,
    Color_Knob,
    Double_Knob,
    Enumeration_Knob,
    EvalString_Knob,
    Int_Knob,
    Knob,
    Link_Knob,
    String_Knob,
    Tab_Knob,
    Text_Knob,
    XY_Knob,
    XYZ_Knob,
)
from ._nodes import Gizmo, Group, Node, Root
from ._state import SESSION as _SESSION
from ._state import Session as _Session
from ._ui import Menu, MenuItem, ProgressTask, ask, getPaneFor, menu, message
from ._undo import Undo

GUI = True
#: dependent()'s and dependencies()' mask for visible input pipes (docs).
INPUTS = 2


# -- the script and its context --------------------------------------------------


def root() -> Root:
    return _SESSION.root


def thisGroup() -> Group:
    return _SESSION.context[-1]  # type: ignore[no-any-return]


def lastHitGroup() -> Group:
    """Docs (Nuke 13+): the Group of the last clicked group view; the current
    context group when there is none. Not in the types-nuke 13.2 stubs."""
    return _SESSION.last_hit if _SESSION.last_hit is not None else thisGroup()


def createNode(node: str, knobs: str = "", inpanel: bool = True) -> Node:
    """Docs: creates a node of class ``node`` in the current group, "hooks
    it up to any user-selected nodes" and sets knob defaults; in the GUI it
    becomes the selected node and its panel opens (inpanel). Docs silent on
    which selected node and on the pipes below it: the stand-in connects
    input 0 to the node selected last and rewires nothing downstream."""
    if not isinstance(node, str) or not node:
        raise TypeError("createNode takes a class name")
    group = thisGroup()
    selected = [n for n in _SESSION.selection_order if n._selected and n in group._children]
    for other in group._children:
        other._selected = False
    made = _nodes.make_node(node, group)
    if selected:
        made.setInput(0, selected[-1])
    made._selected = True
    _SESSION.selection_order.append(made)
    if knobs:
        _scripts._apply_knobs(made, _scripts.split_words(knobs))
    _callbacks.run(_SESSION.on_create, made, None)
    if inpanel and GUI:
        made.showControlPanel()
    return made


def clone(n: Node, args: str = "", inpanel: bool = True) -> Node:
    if not isinstance(n, Node):
        raise TypeError("clone takes a node")
    return _nodes.clone_node(n, thisGroup())


def delete(n: Node) -> None:
    """Docs silent on what reads the node: here its inputs are left empty."""
    parent = n.parent()
    if parent is None or n not in parent._children:
        raise ValueError("the node is not in the script")
    _callbacks.run(_SESSION.on_destroy, n, None)
    for reader in n.dependent(INPUTS):
        for index in range(reader.inputs()):
            if reader.input(index) is n:
                reader.setInput(index, None)
    parent._children.remove(n)


def allNodes(
    filter: _Optional[str] = None, group: _Optional[Group] = None, recurseGroups: bool = False
) -> _List[Node]:
    where = group if group is not None else thisGroup()
    found = _nodes.walk(where) if recurseGroups else list(where._children)
    return [n for n in found if filter is None or n.Class() == filter]


def selectedNodes(filter: _Optional[str] = None) -> _List[Node]:
    """Docs: the selected nodes of the current group (not of sub-groups)."""
    return [
        n for n in thisGroup()._children if n._selected and (filter is None or n.Class() == filter)
    ]


def selectedNode() -> Node:
    """Docs: "the node the user is thinking about": one of the selected
    nodes, the current one if it is selected. Docs silent on which is
    current: the stand-in takes the one selected last; ValueError when
    nothing is selected (docs silent on the error)."""
    chosen = [n for n in _SESSION.selection_order if n._selected and n.parent() is thisGroup()]
    if not chosen:
        chosen = [n for n in thisGroup()._children if n._selected]
    if not chosen:
        raise ValueError("no node selected")
    return chosen[-1]


def toNode(s: str) -> _Optional[Node]:
    """A node by name, relative to the current group, or a full name from root."""
    if s == "root":
        return _SESSION.root
    if s == "preferences":
        return _SESSION.preferences
    return thisGroup().node(s) or _SESSION.root.node(s)


def nodePaste(s: str) -> _Optional[Node]:
    """Docs: paste nodes from a script file (a nodeCopy result) into the
    current group. Docs silent: which node is returned; here the last
    top-level node pasted, and the pasted nodes become the selection."""
    with open(s, encoding="utf-8") as stream:
        text = stream.read()
    group = thisGroup()
    for other in group._children:
        other._selected = False
    made = _scripts.read(text, group)
    for node in made:
        node._selected = True
        _callbacks.run(_SESSION.on_create, node, None)
    return made[-1] if made else None


def scriptReadText(s: str) -> None:
    _scripts.read(s, thisGroup())


def scriptClear() -> None:
    """Clears the script (nodes, undo); callbacks and menus stay."""
    _SESSION.root = Root()
    _SESSION.context = [_SESSION.root]
    _SESSION.last_hit = None
    _SESSION.undo_history = []


def thisNode() -> Node:
    if not _SESSION.this:
        raise ValueError("no node is being evaluated")  # docs silent on the error
    return _SESSION.this[-1][0]  # type: ignore[no-any-return]


def thisKnob() -> Knob:
    if not _SESSION.this or _SESSION.this[-1][1] is None:
        raise ValueError("no knob is being changed")
    return _SESSION.this[-1][1]  # type: ignore[no-any-return]


def frame(f: _Optional[float] = None) -> float:
    if f is not None:
        if isinstance(f, bool) or not isinstance(f, (int, float)):
            raise TypeError("frame takes a number")
        _SESSION.frame = float(f)
    return _SESSION.frame


def pluginAddPath(args: str, addToSysPath: bool = True) -> None:
    """Docs: prepends to the plugin path. Docs silent on running the folder's
    init.py from a ``nuke -t`` script: the stand-in does not run it."""
    _SESSION.plugin_path.insert(0, args)


# -- callbacks ---------------------------------------------------------------------


def addKnobChanged(
    call: _Any, args: _Any = (), kwargs: _Any = None, nodeClass: str = "*", node: _Any = None
) -> None:
    _callbacks._add(_SESSION.knob_changed, call, args, kwargs, nodeClass, node)


def removeKnobChanged(
    call: _Any, args: _Any = (), kwargs: _Any = None, nodeClass: str = "*", node: _Any = None
) -> None:
    _callbacks._remove(_SESSION.knob_changed, call, args, kwargs, nodeClass, node)


def addUpdateUI(call: _Any, args: _Any = (), kwargs: _Any = None, nodeClass: str = "*") -> None:
    _callbacks._add(_SESSION.update_ui, call, args, kwargs, nodeClass)


def removeUpdateUI(call: _Any, args: _Any = (), kwargs: _Any = None, nodeClass: str = "*") -> None:
    _callbacks._remove(_SESSION.update_ui, call, args, kwargs, nodeClass)


def addOnCreate(call: _Any, args: _Any = (), kwargs: _Any = None, nodeClass: str = "*") -> None:
    _callbacks._add(_SESSION.on_create, call, args, kwargs, nodeClass)


def removeOnCreate(call: _Any, args: _Any = (), kwargs: _Any = None, nodeClass: str = "*") -> None:
    _callbacks._remove(_SESSION.on_create, call, args, kwargs, nodeClass)


def addOnDestroy(call: _Any, args: _Any = (), kwargs: _Any = None, nodeClass: str = "*") -> None:
    _callbacks._add(_SESSION.on_destroy, call, args, kwargs, nodeClass)


def removeOnDestroy(call: _Any, args: _Any = (), kwargs: _Any = None, nodeClass: str = "*") -> None:
    _callbacks._remove(_SESSION.on_destroy, call, args, kwargs, nodeClass)


# -- test harness (not part of the nuke API) -----------------------------------------


def _reset() -> None:
    """A fresh session: no nodes, callbacks, menus or messages."""
    _SESSION.reset()


def _click_into(group: _Optional[Group]) -> None:
    """The artist clicks into a group's view (None: the main Node Graph)."""
    _SESSION.last_hit = group


def _idle() -> None:
    """Nuke goes idle: updateUI runs for every node."""
    _callbacks.idle()


def _artist_sets(knob: Knob, text: str) -> None:
    """The artist types ``text`` into a knob in its open properties panel."""
    node = knob.node()
    if not node.shown():
        node.showControlPanel()
    if knob.fromScript(text) is False:
        raise ValueError(f"the panel refuses {text!r}")


def _session() -> _Session:
    return _SESSION


def _dock(title: str, id: str, widget: _Any, pane: _Any) -> None:
    """nukescripts' PythonPanel.addToPane docks a widget (the stand-in's pane)."""
    from ._ui import dock

    dock(title, id, widget, pane)


def _set_image(node: Node, width: int, height: int, pixel: _Any) -> None:
    """Give a node an image: ``pixel(channel, x, y, frame)``, channel 0-3 for
    r g b a, x and y whole pixels from the bottom left."""
    node._pixels = (int(width), int(height), pixel)


def _answer_input(*answers: _Optional[str]) -> None:
    """What nuke.getInput returns next, in turn (None: the artist cancels)."""
    _SESSION.inputs.extend(answers)


def getInput(prompt: str, default: str = "") -> _Optional[str]:
    """Docs: asks for a line of text; returns it, or None when cancelled."""
    _SESSION.questions.append(prompt)
    return _SESSION.inputs.pop(0) if _SESSION.inputs else default


def _close_tab(widget: _Any) -> None:
    """The artist closes a panel's tab: Nuke hides the widget, it is not deleted."""
    widget.hide()


_Session.reset(_SESSION)

__all__ = [
    "BREAK",
    "CATMULL_ROM",
    "CONSTANT",
    "CUBIC",
    "DISABLED",
    "ENDLINE",
    "HORIZONTAL",
    "INPUTS",
    "INVISIBLE",
    "LINEAR",
    "NO_ANIMATION",
    "READ_ONLY",
    "SMOOTH",
    "STARTLINE",
    "USER_SET_SLOPE",
    "AColor_Knob",
    "AnimationCurve",
    "AnimationKey",
    "Array_Knob",
    "Boolean_Knob",
    "Color_Knob",
    "Double_Knob",
    "Enumeration_Knob",
    "EvalString_Knob",
    "Gizmo",
    "Group",
    "Int_Knob",
    "Knob",
    "Link_Knob",
    "Menu",
    "MenuItem",
    "Node",
    "ProgressTask",
    "Root",
    "String_Knob",
    "Tab_Knob",
    "Text_Knob",
    "Undo",
    "XY_Knob",
    "XYZ_Knob",
    "ask",
    "getPaneFor",
    "menu",
    "message",
]
