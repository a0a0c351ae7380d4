"""The stand-in's session: the script, the context, callbacks, undo, switches.

Nothing here is part of Nuke's API; tests reach it through the harness
functions in ``nuke/__init__.py`` (names starting with an underscore).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

Callback = Tuple[Callable[..., Any], tuple, dict, str, Any]  # call, args, kwargs, class, node


class Session:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        from ._nodes import Node, Root

        self.root = Root()
        # Docs: nuke.toNode("preferences") is the Preferences node; what a
        # plugin adds there is saved with the preferences (docs silent on
        # when: the stand-in keeps it for the session only).
        self.preferences = Node("Preferences", "preferences", None)
        self.context: List[Any] = [self.root]  # the current group is the last
        self.last_hit: Optional[Any] = None
        self.this: List[Tuple[Any, Any]] = []  # (node, knob) of running callbacks
        self.frame = 1.0
        self.messages: List[str] = []
        self.messages_over_progress: List[str] = []
        self.answers: List[bool] = []  # what nuke.ask returns, in turn
        self.questions: List[str] = []
        self.inputs: List[Optional[str]] = []
        self.selection_order: List[
            Any
        ] = []  # nodes as they were selected  # what nuke.getInput returns, in turn
        self.plugin_path: List[str] = []
        self.knob_changed: List[Callback] = []
        self.update_ui: List[Callback] = []
        self.on_create: List[Callback] = []
        self.on_destroy: List[Callback] = []
        self.menus: Dict[str, Any] = {}
        self.progress_tasks: List[Any] = []
        self.progress_alive = 0
        self.cancel_progress_after: Optional[int] = None  # isCancelled() after N checks
        # Undo: open groups (names), the state before the outermost one, and
        # the closed groups with the state before each (for Undo.undo()).
        self.undo_open: List[str] = []
        self.undo_before: Optional[Any] = None
        self.undo_history: List[Tuple[str, Any]] = []
        self.switches = {
            # Nuke 17's documentation: knobChanged fires for every change,
            # programmatic ones and closed panels included. Off: Nuke 13-16
            # (only while the node's panel is open).
            "knob_changed_always": False,
        }
        self.callback_depth = 0
        self.panes: Dict[str, Any] = {}  # pane name -> its model (_ui._Pane)
        self.docked: List[Tuple[str, str, Any, Optional[str]]] = []  # title, id, widget, pane


SESSION = Session.__new__(Session)  # filled by reset() once the classes exist
