"""nuke-stops: Nuke runs this file in every mode (GUI, ``nuke -t``, render farm).

It puts the gizmos on the plugin path and makes ``nuke_plugin`` importable.
This folder is a checkout (``nuke_plugin/`` beside this file; Nuke already
put the folder on ``sys.path``), or the Nuke folder inside an installed
package (``<site>/nuke_plugin/nuke_path``, what ``nuke-stops nuke-path``
prints), whose ``<site>`` is added at the end of ``sys.path`` unless a
launcher (rez, PYTHONPATH) already put it there: at the end, so that the
Qt and numpy Nuke ships are never shadowed by that folder's.
No Qt, no numpy, no output: every render pays for what is here.
"""

import os
import sys

import nuke

_here = os.path.dirname(os.path.abspath(__file__))
if os.path.basename(os.path.dirname(_here)) == "nuke_plugin":
    _site = os.path.dirname(os.path.dirname(_here))
    if _site not in sys.path:
        sys.path.append(_site)
nuke.pluginAddPath(os.path.join(_here, "gizmos"))
