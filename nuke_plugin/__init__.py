"""nuke-stops: work in photographic stops in Foundry Nuke.

The package is layered; each layer imports only the ones below it
(``make lint`` checks this with import-linter):

- ``core``: the math, standard library first (numpy for arrays); beside it
  ``files`` (reading files bounded, and the one module that writes them)
  and ``registry`` (Nuke's classes and knobs by name, imported at start-up);
- ``nkfile``: Nuke's script format;
- ``ops``: the operations (assess, convert, nudge, set_stops, match, scan)
  on one node interface;
- ``adapters``: that interface over a parsed file and over a live
  ``nuke.Node``; EXR plates and CDL files;
- ``report``, then ``panel`` (the Exposure panel, the one user of Qt), then
  ``cli`` and ``host``: what artists and pipelines see (inside Nuke every
  command changes the script through ``host.engine``).

``stops``, ``camera`` and ``matching`` are the names pipeline code imports.

>>> __version__
'0.10.0'
"""

__version__ = "0.10.0"
