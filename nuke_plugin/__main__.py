"""``python -m nuke_plugin``: the nuke-stops command line."""

import sys

from .cli.main import main

sys.exit(main())
