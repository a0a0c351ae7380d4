"""Inside Nuke: the commands artists run, the engine they run through, and
the callbacks that keep stop knobs honest. The only package besides the
live adapter that imports ``nuke``."""
