"""Pure math: exposure and units, artist notation, camera settings.

Standard library only, numpy where arrays come in; nothing here knows
about scripts or Nuke.
"""
