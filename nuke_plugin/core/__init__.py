"""Pure math: exposure and units, artist notation, camera settings, the
offset between two plates (``matching``), exposure as ASC CDL (``cdl``), and
text from files made safe to print (``text``).

Standard library only, numpy where arrays come in; nothing here knows
about files, scripts or Nuke.
"""
