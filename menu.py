"""nuke-stops: Nuke runs this file after init.py, in the GUI only.

Menus and hotkeys arrive with the in-Nuke commands; until then this file
deliberately does nothing, so it can never stop Nuke from starting.
"""
