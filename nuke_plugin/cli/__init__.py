"""The ``nuke-stops`` command line: ``main`` parses and runs the number
commands; ``scan`` and ``convert`` work on scripts, ``plates`` on EXRs and
CDLs (match, camera, cdl), ``panel`` opens the Exposure panel on a file;
``terminal`` holds what they share at a terminal (errors, signals, progress)."""
