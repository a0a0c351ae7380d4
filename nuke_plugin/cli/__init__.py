"""The ``nuke-stops`` command line: ``main`` parses, ``scan`` and ``convert``
work on scripts, ``terminal`` holds what they share at a terminal."""
