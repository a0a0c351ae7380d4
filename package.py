# The rez package of nuke-stops: `rez build --install` from this folder.
#
# One install serves every Nuke (13-16) and platform: the package is pure
# Python, so there are no variants. The build (rezbuild.py) pip-installs the
# package, with its Nuke half, into the install folder; the environment puts
# it on PYTHONPATH, its Nuke folder (init.py, menu.py, gizmos/) on NUKE_PATH
# and the nuke-stops command on PATH. A launcher does
#     rez env nuke nuke_stops -- nuke
# Nuke's side needs nothing else. The command line's extras are the studio's
# own rez packages (made with `rez pip --install numpy`, and so on), added to
# the request when wanted: `rez env nuke_stops numpy OpenEXR -- nuke-stops
# match ...`. The weak requirements below pin them as pyproject.toml's extras
# do, without pulling them in: a "~" requirement only constrains a package
# that is in the resolve already. PySide is Nuke's own: not required here.

name = "nuke_stops"


@early()  # noqa: F821 (rez provides early)
def version():
    # The package's one version: nuke_plugin/__init__.py, read as text.
    import os
    import re

    with open(os.path.join("nuke_plugin", "__init__.py")) as source:
        return re.search(r'^__version__ = "([^"]+)"', source.read(), re.M).group(1)


description = "Work in photographic stops in Foundry Nuke"
authors = ["nuke-stops maintainers"]

requires = [
    "~numpy-1.21+",  # plates
    "~OpenEXR-3.5.3+<4",  # plates
    "~opencolorio-2.4+<3",  # cdl
]

tools = ["nuke-stops"]

# The build runs pip under the studio's python package (`rez bind python`
# makes one from an interpreter); any Python 3.7+ builds the same files.
private_build_requires = ["python-3.7+"]

build_command = "python {root}/rezbuild.py {install}"


def commands():
    env.PYTHONPATH.append("{root}/python")  # noqa: F821 (rez provides env)
    env.NUKE_PATH.append("{root}/python/nuke_plugin/nuke_path")  # noqa: F821
    env.PATH.append("{root}/bin")  # noqa: F821
