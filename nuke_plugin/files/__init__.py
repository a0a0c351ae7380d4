"""Files, read and written so that nothing is lost and nothing is unbounded.

- :mod:`.reading`: regular files only, refused before they can block (a
  FIFO, a device, a folder), read with a limit on size; snapshots that tell
  whether a file changed since it was read.
- :mod:`.safe_write`: the one module that creates, replaces or renames
  files. Every file the product writes goes through it.

Nothing here knows a file format.
"""
