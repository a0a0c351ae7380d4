"""nuke-stops: Nuke runs this file in every mode (GUI, ``nuke -t``, render farm).

It only puts the gizmos on the plugin path. Nuke already puts this folder on
``sys.path`` (it is on the plugin path), which makes ``nuke_plugin``
importable. No Qt, no numpy, no output: every render pays for what is here.
"""

import os

import nuke

nuke.pluginAddPath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "gizmos"))
