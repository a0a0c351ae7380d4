"""nuke_plugin.camera: the import pipeline code has always used keeps working.

The camera math is tested in tests/core/test_camera.py.
"""

from __future__ import annotations

import pytest

from nuke_plugin import camera
from nuke_plugin.core import camera as core_camera


@pytest.mark.parametrize("name", camera.__all__)
def test_names_are_the_core_camera_functions(name: str) -> None:
    assert getattr(camera, name) is getattr(core_camera, name)
