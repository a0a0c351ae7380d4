"""Inside Nuke: the commands artists run and the callbacks that keep stop
knobs honest. The only package besides the live adapter that imports
``nuke``."""

from pathlib import Path

#: The checkout studios put on NUKE_PATH (it holds gizmos/ and tests/).
CHECKOUT = Path(__file__).resolve().parents[2]
