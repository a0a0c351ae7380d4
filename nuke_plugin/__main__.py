"""``python -m nuke_plugin``: the nuke-stops command line."""

import sys

from .cli import main

sys.exit(main())
