"""rez's build step for package.py: ``rez build --install`` runs it.

pip installs the package (setup.py copies the Nuke half into it) into the
rez build or install folder, under ``python/``; the nuke-stops command goes
to ``bin/``, started by whichever ``python`` the resolved environment has
(pip writes the build machine's interpreter into it; artists' machines have
another). Standard library only, Python 3.7 and later.
"""

import os
import shutil
import subprocess
import sys
from typing import List


def main(arguments: List[str]) -> None:
    source = os.environ["REZ_BUILD_SOURCE_PATH"]
    installing = "install" in arguments
    root = os.environ["REZ_BUILD_INSTALL_PATH"] if installing else os.environ["REZ_BUILD_PATH"]
    python = os.path.join(root, "python")
    for made in (python, os.path.join(root, "bin")):
        if os.path.isdir(made):  # a rebuild replaces what the last one made
            shutil.rmtree(made)
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", python]
    if _has_setuptools():  # build here, offline, with the setuptools there is
        command.append("--no-build-isolation")
    quiet = dict(os.environ, PIP_ROOT_USER_ACTION="ignore", PIP_DISABLE_PIP_VERSION_CHECK="1")
    subprocess.check_call([*command, source], env=quiet)
    scripts = os.path.join(python, "bin")
    os.makedirs(os.path.join(root, "bin"))
    for name in os.listdir(scripts):
        with open(os.path.join(scripts, name), "rb") as written:
            lines = written.read().split(b"\n", 1)
        if lines[0].startswith(b"#!"):
            lines[0] = b"#!/usr/bin/env python"
        moved = os.path.join(root, "bin", name)
        with open(moved, "wb") as script:
            script.write(b"\n".join(lines))
        shutil.copymode(os.path.join(scripts, name), moved)
    shutil.rmtree(scripts)


def _has_setuptools() -> bool:
    try:
        import setuptools
    except ImportError:
        return False
    major = int(setuptools.__version__.split(".")[0])
    return major >= 77 or (sys.version_info < (3, 9) and major >= 61)


if __name__ == "__main__":
    main(sys.argv[1:])
