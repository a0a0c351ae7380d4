"""A strict stand-in for Foundry's ``nukescripts`` package: the panel
registration the product uses, nothing more. Like the ``nuke`` stand-in it
imports nothing from nuke_plugin."""

from . import panels
from .panels import PythonPanel, registerPanel, registerWidgetAsPanel, restorePanel

__all__ = ["PythonPanel", "panels", "registerPanel", "registerWidgetAsPanel", "restorePanel"]
