"""Nuke's script format: the words and knobs of its text (``tokens``), the
value grammar (``values``), the model (``script``) and its reader
(``parser``), a diff of edits (``diff``) and curve evaluation (``curves``).
Files are read and written by :mod:`nuke_plugin.files`."""
