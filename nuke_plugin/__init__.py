"""nuke-stops: work in photographic stops in Foundry Nuke.

The package is layered; each layer imports only the ones below it
(``make lint`` checks this with import-linter):

- ``core``: the math, standard library first (numpy for arrays); beside it
  ``files``: reading files bounded, and the one module that writes them;
- ``nkfile``: Nuke's script format;
- ``ops``: the operations (assess, convert, nudge, set_stops, scan) on one
  node interface;
- ``adapters``: that interface over a parsed file and over a live ``nuke.Node``;
- ``report``, then ``panel`` (the Exposure panel, the one user of Qt), then
  ``cli`` and ``host``: what artists and pipelines see.

>>> __version__
'0.5.0'
"""

__version__ = "0.5.0"
