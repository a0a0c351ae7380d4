"""A strict stand-in for Foundry's ``nuke`` module, for tests without Nuke.

Strict means: it offers only names that the real module has (a test checks
every public name here against the ``types-nuke`` stubs), anything else
raises AttributeError, and it checks the shapes of arguments (channel
indices, numbers, knob types) where Nuke would fail. Behaviour follows
Foundry's Python reference; where the reference is silent the choice is
marked "docs silent".

Only what nuke-stops uses is modelled: nodes (flat, plus group paths),
array knobs with per-channel values, animation curves and expressions, user
knobs, selection, undo groups, callbacks and menus.
"""

from __future__ import annotations

import copy
import math
from typing import Any, Callable, Dict, List, Optional, Tuple

GUI = True
NUKE_VERSION_MAJOR = 15
NUKE_VERSION_MINOR = 1
NUKE_VERSION_STRING = "15.1v3"
INVISIBLE = 0x400
READ_ONLY = 0x10000000
DISABLED = 0x80
STARTLINE = 0x1000
NO_ANIMATION = 0x100

# -- test harness state (underscored: not part of the nuke API) -------------------

_nodes: List[Node] = []
_this: Dict[str, Any] = {"node": None, "knob": None}
_frame = [1.0]
_messages: List[str] = []
_plugin_path: List[str] = []
_knob_changed: List[Tuple[Callable[..., Any], tuple, dict, str]] = []
_undo: Dict[str, Any] = {"open": None, "snapshot": None, "history": []}


def _reset() -> None:
    """Forget every node, callback, menu and message (between tests)."""
    _nodes.clear()
    _this.update(node=None, knob=None)
    _frame[0] = 1.0
    _messages.clear()
    _plugin_path.clear()
    _knob_changed.clear()
    _undo.update(open=None, snapshot=None, history=[])
    _menus.clear()
    _progress_tasks.clear()


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a number, not {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value!r}")  # docs silent: Nuke stores it
    return float(value)


# -- animation ---------------------------------------------------------------------


class AnimationKey:
    """One key: x (frame), y (value), slopes and interpolation."""

    def __init__(self, x: float, y: float) -> None:
        self.x = float(x)
        self.y = float(y)
        self.lslope = 0.0
        self.rslope = 0.0
        self.la = 1.0
        self.ra = 1.0
        self.interpolation = 0  # docs: an InterpolationType constant; 0 = smooth here
        self.extrapolation = 0
        self.selected = False


class AnimationCurve:
    """A channel's animation: an expression (``curve`` for plain keys) and keys."""

    def __init__(self, knob: Array_Knob, index: int) -> None:
        self._knob = knob
        self._index = index
        self._expression = "curve"
        self._keys: List[AnimationKey] = []

    def keys(self) -> List[AnimationKey]:
        return list(self._keys)

    def size(self) -> int:
        return len(self._keys)

    def expression(self) -> str:
        return self._expression

    def setExpression(self, expression: str) -> None:
        if not isinstance(expression, str):
            raise TypeError("expression must be a str")
        self._knob._touch()
        self._expression = expression

    def noExpression(self) -> bool:
        return self._expression == "curve"

    def setKey(self, t: float, y: float) -> AnimationKey:
        _number(t, "frame")
        _number(y, "value")
        self._knob._touch()
        for key in self._keys:
            if key.x == t:
                key.y = float(y)
                return key
        key = AnimationKey(t, y)
        self._keys.append(key)
        self._keys.sort(key=lambda k: k.x)
        return key

    def removeKey(self, keys: Any) -> None:
        self._knob._touch()
        remove = keys if isinstance(keys, (list, tuple)) else [keys]
        self._keys = [k for k in self._keys if k not in remove]

    def clear(self) -> None:
        self._knob._touch()
        self._keys = []

    def knob(self) -> Array_Knob:
        return self._knob

    def knobIndex(self) -> int:
        return self._index

    def evaluate(self, t: float) -> float:
        """Value at frame t. Docs: Nuke interpolates with each key's type;
        the stand-in interpolates linearly and holds the ends (docs silent
        on the stand-in, of course: tests only evaluate at keys or use it as
        an approximation)."""
        if not self._keys:
            return 0.0
        if t <= self._keys[0].x:
            return self._keys[0].y
        for a, b in zip(self._keys, self._keys[1:]):
            if a.x <= t <= b.x:
                return a.y + (b.y - a.y) * (t - a.x) / (b.x - a.x)
        return self._keys[-1].y


# -- knobs ----------------------------------------------------------------------------


class Knob:
    def __init__(self, name: str, label: Optional[str] = None, *args: Any) -> None:
        if not isinstance(name, str) or not name:
            raise TypeError("a knob needs a name (str)")
        self._name = name
        self._label = label if label is not None else name
        self._node: Optional[Node] = None
        self._flags = 0
        self._tooltip = ""

    def name(self) -> str:
        return self._name

    def label(self) -> str:
        return self._label

    def setLabel(self, label: str) -> None:
        self._label = label

    def node(self) -> Node:
        if self._node is None:
            raise ValueError(f"knob {self._name} is not on a node")  # docs silent
        return self._node

    def Class(self) -> str:
        return type(self).__name__

    def setFlag(self, flag: int) -> None:
        self._flags |= flag

    def clearFlag(self, flag: int) -> None:
        self._flags &= ~flag

    def getFlag(self, flag: int) -> bool:
        return bool(self._flags & flag)

    def setTooltip(self, tooltip: str) -> None:
        self._tooltip = tooltip

    def _touch(self) -> None:
        if self._node is not None:
            _record_change()

    def toScript(self, quote: bool = False, context: Any = None) -> str:
        return ""  # docs silent for knobs without a value (Tab_Knob)


class Tab_Knob(Knob):
    pass


class Text_Knob(Knob):
    def __init__(self, name: str, label: Optional[str] = None, text: str = "") -> None:
        super().__init__(name, label)
        self._text = text

    def value(self) -> str:
        return self._text

    def setValue(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError("Text_Knob.setValue takes a str")
        self._touch()
        self._text = text

    def toScript(self, quote: bool = False, context: Any = None) -> str:
        return self._text


class String_Knob(Text_Knob):
    pass


class Enumeration_Knob(Knob):
    def __init__(self, name: str, label: Optional[str] = None, values: Any = ()) -> None:
        super().__init__(name, label)
        self._values = list(values)
        self._value = self._values[0] if self._values else ""

    def value(self) -> str:
        return str(self._value)

    def setValue(self, value: Any) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            value = self._values[value]
        if value not in self._values:
            raise ValueError(f"{value!r} is not one of {self._values}")
        self._touch()
        self._value = value


class Array_Knob(Knob):
    """A knob with channels: values, animation curves and expressions."""

    _size = 1

    def __init__(self, name: str, label: Optional[str] = None, *args: Any) -> None:
        super().__init__(name, label)
        self._values = [self._default()] * self._size
        self._curves: List[Optional[AnimationCurve]] = [None] * self._size
        self._range = (0.0, 1.0)

    def _default(self) -> float:
        return 0.0

    def _channel(self, index: Any) -> int:
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"channel index must be an int, not {type(index).__name__}")
        if not 0 <= index < self._size:
            raise IndexError(f"{self._name} has {self._size} channels, no channel {index}")
        return index

    def arraySize(self) -> int:
        return self._size

    def setRange(self, low: float, high: float) -> None:
        self._range = (_number(low, "range"), _number(high, "range"))

    def value(self, index: int = 0) -> float:
        return self.getValueAt(_frame[0], index)

    def getValue(self, index: int = 0) -> float:
        return self.value(index)

    def getValueAt(self, time: float, index: int = 0) -> float:
        channel = self._channel(index)
        curve = self._curves[channel]
        if curve is None:
            return self._values[channel]
        if not curve.noExpression():
            raise NotImplementedError(  # the stand-in evaluates no expressions
                f"the stand-in cannot evaluate {self._name}'s expression {curve.expression()!r}"
            )
        return curve.evaluate(time)

    def setValue(self, value: Any, index: int = -1) -> bool:
        """Docs: index -1 (default) sets every channel; a list sets each."""
        self._touch()
        if isinstance(value, (list, tuple)):
            if len(value) != self._size:
                raise ValueError(f"{self._name} takes {self._size} values, got {len(value)}")
            for i, v in enumerate(value):
                self._set(i, _number(v, "value"))
            return True
        number = _number(value, "value")
        for i in range(self._size) if index == -1 else [self._channel(index)]:
            self._set(i, number)
        return True

    def _set(self, index: int, value: float) -> None:
        curve = self._curves[index]
        if curve is not None and curve.noExpression() and curve.size():
            curve.setKey(_frame[0], value)  # docs: on an animated knob, sets a key here
        else:
            self._curves[index] = None
            self._values[index] = value

    def setValueAt(self, value: float, time: float, index: int = -1) -> bool:
        self._touch()
        for i in range(self._size) if index == -1 else [self._channel(index)]:
            self.setAnimated(i)
            curve = self._curves[i]
            assert curve is not None
            curve.setKey(time, value)
        return True

    def isAnimated(self, index: int = 0) -> bool:
        """Docs: true for keys and for expressions."""
        return self._curves[self._channel(index)] is not None

    def hasExpression(self, index: int = 0) -> bool:
        curve = self._curves[self._channel(index)]
        return curve is not None and not curve.noExpression()

    def setAnimated(self, index: int = -1) -> bool:
        self._touch()
        for i in range(self._size) if index == -1 else [self._channel(index)]:
            if self._curves[i] is None:
                self._curves[i] = AnimationCurve(self, i)
        return True

    def clearAnimated(self, index: int = -1) -> bool:
        self._touch()
        for i in range(self._size) if index == -1 else [self._channel(index)]:
            curve = self._curves[i]
            if curve is not None and curve.noExpression() and curve.size():
                self._values[i] = curve.evaluate(_frame[0])
            self._curves[i] = None
        return True

    def animation(self, index: int) -> Optional[AnimationCurve]:
        return self._curves[self._channel(index)]

    def animations(self) -> List[AnimationCurve]:
        return [c for c in self._curves if c is not None]

    def setExpression(self, expression: str, channel: int = -1) -> bool:
        if not isinstance(expression, str) or not expression:
            raise TypeError("setExpression takes a non-empty str")
        self._touch()
        for i in range(self._size) if channel == -1 else [self._channel(channel)]:
            self.setAnimated(i)
            curve = self._curves[i]
            assert curve is not None
            curve._expression = expression
        return True

    def singleValue(self) -> bool:
        return len(set(self._values)) == 1 and not any(self._curves)

    def toScript(self, quote: bool = False, context: Any = None) -> str:
        """The value as a .nk file holds it: ``2``, ``{1.5 1.2 1 1}``,
        ``{{curve x1 1 x10 2}}``, ``{{expression}}``. (The stand-in writes it
        with nuke_plugin.nk_values, itself tested on scripts saved by Nuke.)"""
        from nuke_plugin.nk_values import Animation, Key, format_channels

        channels: List[Any] = []
        for value, curve in zip(self._values, self._curves):
            if curve is None:
                channels.append(value)
                continue
            keys = tuple(
                Key(k.x, k.y, tangents=(("s", k.lslope), ("t", k.rslope)))
                if (k.lslope, k.rslope) != (0.0, 0.0) else Key(k.x, k.y)
                for k in curve._keys
            )  # fmt: skip
            channels.append(Animation(curve._expression, keys))
        if all(repr(c) == repr(channels[0]) for c in channels):
            channels = channels[:1]  # Nuke writes one value for all channels
        return format_channels(channels)

    def fromScript(self, script: str) -> None:
        from nuke_plugin.nk_values import Animation, channels

        values = channels(script, self._name)
        if len(values) == 1:
            values = values * self._size
        if len(values) != self._size:
            raise ValueError(f"{self._name} takes {self._size} values, got {len(values)}")
        self._touch()
        for i, value in enumerate(values):
            if not isinstance(value, Animation):
                self._curves[i] = None
                self._values[i] = float(value)
                continue
            curve = AnimationCurve(self, i)
            curve._expression = value.expression
            for key in value.keys:
                made = curve.setKey(key.frame, key.value)
                for letter, amount in key.tangents:
                    if letter == "s":
                        made.lslope = made.rslope = amount
                    elif letter == "t":
                        made.rslope = amount
            self._curves[i] = curve


class Double_Knob(Array_Knob):
    pass


class Boolean_Knob(Array_Knob):
    def value(self, index: int = 0) -> bool:  # type: ignore[override]
        return bool(self._values[0])

    def setValue(self, value: Any, index: int = -1) -> bool:
        if not isinstance(value, bool):
            raise TypeError("Boolean_Knob.setValue takes a bool")
        self._touch()
        self._values[0] = float(value)
        return True


class Color_Knob(Array_Knob):
    _size = 3


class AColor_Knob(Color_Knob):
    _size = 4


class _MultiplierKnob(AColor_Knob):
    """Built-in multiplier knobs (Grade.multiply, Multiply.value): default 1."""

    def _default(self) -> float:
        return 1.0

    def Class(self) -> str:
        return "AColor_Knob"


# -- nodes -----------------------------------------------------------------------------

# Built-in knobs of the classes nuke-stops works with (docs: Grade, Multiply,
# ColorCorrect and EXPTool reference pages); everything else has name only.
_BUILTIN: Dict[str, List[Tuple[str, Callable[[str], Knob]]]] = {
    "Grade": [("multiply", _MultiplierKnob), ("white", _MultiplierKnob)],
    "Multiply": [("value", _MultiplierKnob)],
    "ColorCorrect": [("gain", _MultiplierKnob)],
    "EXPTool": [("red", Double_Knob), ("green", Double_Knob), ("blue", Double_Knob)],
}


class Node:
    def __init__(self, node_class: str, name: str, parent: Optional[Node] = None) -> None:
        self._class = node_class
        self._parent = parent
        self._knobs: Dict[str, Knob] = {}
        self._selected = False
        self._user: List[str] = []
        label = String_Knob("name")
        label._text = name
        self._add(label)
        for knob_name, make in _BUILTIN.get(node_class, []):
            self._add(make(knob_name))
        if node_class == "EXPTool":
            mode = Enumeration_Knob("mode", "adjust in", ["Stops", "Lights", "Densities", "Cineon"])
            self._add(mode)

    def _add(self, knob: Knob) -> None:
        knob._node = self
        self._knobs[knob.name()] = knob

    def Class(self) -> str:
        return self._class

    def name(self) -> str:
        knob = self._knobs["name"]
        assert isinstance(knob, Text_Knob)
        return knob.value()

    def fullName(self) -> str:
        if self._parent is None:
            return self.name()
        return f"{self._parent.fullName()}.{self.name()}"

    def knob(self, name: Any) -> Optional[Knob]:
        if not isinstance(name, str):
            raise TypeError("Node.knob takes a knob name (str)")  # an int index: not modelled
        return self._knobs.get(name)

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
            raise ValueError(f"{self.name()} already has a knob {knob.name()}")  # docs silent
        _record_change()
        self._add(knob)
        self._user.append(knob.name())

    def removeKnob(self, knob: Knob) -> None:
        _record_change()
        del self._knobs[knob.name()]
        self._user.remove(knob.name())

    def setSelected(self, selected: bool) -> None:
        self._selected = bool(selected)

    def isSelected(self) -> bool:
        return self._selected


class Group(Node):
    def nodes(self) -> List[Node]:
        return [n for n in _nodes if n._parent is self]


def createNode(node: str, args: str = "", inpanel: bool = True) -> Node:
    """Docs: creates a node of class ``node``; the stand-in names it Class1, Class2..."""
    if not isinstance(node, str):
        raise TypeError("createNode takes a class name")
    count = sum(1 for n in _nodes if n.Class() == node) + 1
    made = (Group if node == "Group" else Node)(node, f"{node}{count}")
    _record_change()
    _nodes.append(made)
    return made


def _create_in(parent: Group, node_class: str, name: str) -> Node:
    """Test helper: a node inside a group (the real API goes through begin/end)."""
    made = Node(node_class, name, parent)
    _nodes.append(made)
    return made


def allNodes(
    filter: Optional[str] = None, group: Any = None, recurseGroups: bool = False
) -> List[Node]:
    found = [n for n in _nodes if recurseGroups or n._parent is None]
    return [n for n in found if filter is None or n.Class() == filter]


def selectedNodes(filter: Optional[str] = None) -> List[Node]:
    return [n for n in allNodes(filter, recurseGroups=True) if n.isSelected()]


def toNode(s: str) -> Optional[Node]:
    return next((n for n in _nodes if n.fullName() == s), None)


def thisNode() -> Node:
    node = _this["node"]
    if node is None:
        raise ValueError("no node is being evaluated")  # docs silent on the error
    return node  # type: ignore[no-any-return]


def thisKnob() -> Knob:
    knob = _this["knob"]
    if knob is None:
        raise ValueError("no knob is being changed")
    return knob  # type: ignore[no-any-return]


def frame(f: Optional[float] = None) -> float:
    if f is not None:
        _frame[0] = _number(f, "frame")
    return _frame[0]


def message(prompt: str) -> None:
    _messages.append(prompt)


def pluginAddPath(path: str, addToSysPath: bool = True) -> None:
    _plugin_path.insert(0, path)


# -- undo --------------------------------------------------------------------------------


def _snapshot() -> Tuple[List[Node], Dict[Node, Dict[str, Any]]]:
    """Every node's state, copied; nodes themselves stay the same objects,
    so handles held by callers stay valid after a cancel (as in Nuke)."""
    keep: Dict[int, Any] = {id(n): n for n in _nodes}
    return list(_nodes), {n: copy.deepcopy(n.__dict__, dict(keep)) for n in _nodes}


def _restore(snapshot: Tuple[List[Node], Dict[Node, Dict[str, Any]]]) -> None:
    nodes, states = snapshot
    _nodes[:] = nodes
    for node, state in states.items():
        node.__dict__.clear()
        node.__dict__.update(state)
        for knob in node._knobs.values():
            knob._node = node


def _record_change() -> None:
    if _undo["open"] is not None and _undo["snapshot"] is None:
        _undo["snapshot"] = _snapshot()


class Undo:
    """Docs: begin(name) opens a user-visible undo group, end() closes it,
    cancel() undoes what the group recorded and discards it."""

    @classmethod
    def begin(cls, name: Optional[str] = None) -> None:
        if _undo["open"] is not None:
            raise RuntimeError("an undo group is open already")  # docs silent: nesting
        _undo["open"] = name or ""
        _undo["snapshot"] = _snapshot()

    @classmethod
    def end(cls) -> None:
        if _undo["open"] is None:
            raise RuntimeError("no undo group is open")
        _undo["history"].append(_undo["open"])
        _undo.update(open=None, snapshot=None)

    @classmethod
    def cancel(cls) -> None:
        if _undo["open"] is None:
            return  # docs (17.1): safe when no group is open
        _restore(_undo["snapshot"])
        _undo.update(open=None, snapshot=None)

    @classmethod
    def name(cls, name: str) -> None:
        if _undo["open"] is not None:
            _undo["open"] = name


# -- callbacks ----------------------------------------------------------------------------


def addKnobChanged(
    call: Callable[..., Any], args: tuple = (), kwargs: Optional[dict] = None, nodeClass: str = "*"
) -> None:
    _knob_changed.append((call, tuple(args), dict(kwargs or {}), nodeClass))


def removeKnobChanged(
    call: Callable[..., Any], args: tuple = (), kwargs: Optional[dict] = None, nodeClass: str = "*"
) -> None:
    _knob_changed[:] = [c for c in _knob_changed if (c[0], c[3]) != (call, nodeClass)]


def _knob_was_changed(node: Node, knob: Knob) -> None:
    """Test helper: what Nuke does after an artist edits a knob."""
    _this.update(node=node, knob=knob)
    try:
        for call, args, kwargs, node_class in list(_knob_changed):
            if node_class in ("*", node.Class()):
                call(*args, **kwargs)
    finally:
        _this.update(node=None, knob=None)


# -- menus and progress ---------------------------------------------------------------------

_menus: Dict[str, Menu] = {}


class MenuItem:
    def __init__(self, name: str, script: Any = None, shortcut: str = "") -> None:
        self._name = name
        self._script = script
        self._shortcut = shortcut

    def name(self) -> str:
        return self._name

    def shortcut(self) -> str:
        return self._shortcut

    def script(self) -> Any:
        return self._script

    def invoke(self) -> None:
        """Docs: runs the command, wrapped in an undo group by Nuke."""
        if callable(self._script):
            self._script()
        else:
            raise TypeError("the stand-in only invokes Python callables")


class Menu(MenuItem):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._items: List[MenuItem] = []

    def addCommand(
        self,
        name: str,
        command: Any = None,
        shortcut: str = "",
        icon: str = "",
        tooltip: str = "",
        index: int = -1,
        readonly: bool = False,
        shortcutContext: int = 1,
    ) -> MenuItem:
        if not isinstance(name, str) or not name:
            raise TypeError("addCommand needs a name")
        if not (callable(command) or isinstance(command, str)):
            raise TypeError("addCommand takes a callable or a Python string")
        parts = name.split("/")
        menu = self
        for part in parts[:-1]:
            menu = menu.addMenu(part)
        item = MenuItem(parts[-1], command, shortcut)
        menu._items = [i for i in menu._items if i.name() != parts[-1]] + [item]
        return item

    def addMenu(self, name: str, icon: str = "", tooltip: str = "", index: int = -1) -> Menu:
        found = self.findItem(name)
        if isinstance(found, Menu):
            return found
        menu = Menu(name)
        self._items.append(menu)
        return menu

    def addSeparator(self, *args: Any, **kwargs: Any) -> None:
        self._items.append(MenuItem("-"))

    def findItem(self, name: str) -> Optional[MenuItem]:
        first, _, rest = name.partition("/")
        for item in self._items:
            if item.name() == first:
                if not rest:
                    return item
                return item.findItem(rest) if isinstance(item, Menu) else None
        return None

    def items(self) -> List[MenuItem]:
        return list(self._items)


def menu(name: str) -> Menu:
    if name not in ("Nuke", "Nodes", "Pane", "Node Graph", "Viewer", "Animation", "Properties"):
        raise ValueError(f"no menu {name!r}")  # docs list these menu names
    return _menus.setdefault(name, Menu(name))


_progress_tasks: List[ProgressTask] = []


class ProgressTask:
    def __init__(self, title: str) -> None:
        self._title = title
        self._progress: List[int] = []
        self._message = ""
        _progress_tasks.append(self)

    def setProgress(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ValueError("progress is an int from 0 to 100")
        self._progress.append(value)

    def setMessage(self, message: str) -> None:
        self._message = message

    def isCancelled(self) -> bool:
        return False
