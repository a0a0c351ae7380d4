"""Installed as studios install it: the wheel (into a virtual environment
or a folder of its own) and the rez package each carry the Nuke half, and
Nuke (the stand-in) starts from the folder ``nuke-stops nuke-path`` prints.

The wheel is built from the source distribution, as an index would build
it, so a file missing from MANIFEST.in fails here too. Builds and installs
run offline (--no-build-isolation, --no-index), from a copy of the sources.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any, Dict

import pytest

from nuke_plugin import __version__
from nuke_plugin.host.selftest import TEST_FILES

from support.installs import (
    MENU,
    START_NUKE,
    environment,
    fresh_venv,
    run,
    source_copy,
    start_nuke,
)
from support.paths import ROOT, STANDIN

pytestmark = pytest.mark.slow  # builds, virtual environments, rez


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Path]:
    """The source distribution, and the wheel built from it."""
    work = tmp_path_factory.mktemp("build")
    source = source_copy(work / "source")
    out = work / "dist"
    python = sys.executable
    run([python, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(out), str(source)])
    (sdist,) = out.glob("*.tar.gz")
    run(
        [python, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["--wheel-dir", str(out), str(sdist)],
        env=environment(),
    )
    (wheel,) = out.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel, "source": source}


def test_the_wheel_carries_init_menu_gizmos_and_the_self_test(built: Dict[str, Path]) -> None:
    names = set(zipfile.ZipFile(built["wheel"]).namelist())
    nuke = "nuke_plugin/nuke_path/"
    assert {
        f"{nuke}init.py",
        f"{nuke}menu.py",
        f"{nuke}gizmos/ExposureStops.gizmo",
        f"{nuke}gizmos/ExposureStops.nk",
        f"{nuke}nuke_stops_selftest/conftest.py",
        f"{nuke}nuke_stops_selftest/support/paths.py",
    } <= names
    assert {f"{nuke}nuke_stops_selftest/{test}" for test in TEST_FILES} <= names
    assert not [n for n in names if "standin" in n or "__pycache__" in n]
    # The same files as the checkout's, byte for byte.
    wheel = zipfile.ZipFile(built["wheel"])
    for name in ("init.py", "menu.py", "gizmos/ExposureStops.nk"):
        assert wheel.read(nuke + name) == (ROOT / name).read_bytes()
    metadata = wheel.read(f"nuke_stops-{__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {__version__}\n" in metadata
    assert "\nLicense-Expression: Apache-2.0\n" in metadata


def test_the_source_distribution_carries_the_nuke_half_and_the_rez_package(
    built: Dict[str, Path],
) -> None:
    top = f"nuke_stops-{__version__}/"
    with tarfile.open(built["sdist"]) as sdist:
        names = set(sdist.getnames())
    wanted = ["init.py", "menu.py", "package.py", "rezbuild.py", "setup.py", "MANIFEST.in"]
    wanted += ["gizmos/ExposureStops.gizmo", "tests/conftest.py", "tests/standin/nuke/__init__.py"]
    assert {top + name for name in wanted} <= names


@pytest.fixture(scope="module")
def venv(built: Dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed (no extras)."""
    python = fresh_venv(tmp_path_factory.mktemp("venv") / "env")
    run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-index", str(built["wheel"])],
        env=environment(),
    )
    return python


def test_nuke_starts_from_the_folder_an_installed_wheel_prints(venv: Path, tmp_path: Path) -> None:
    command = str(venv.parent / "nuke-stops")
    assert run([command, "--version"], env=environment()).strip() == f"nuke-stops {__version__}"
    folder = run([command, "nuke-path"], cwd=str(tmp_path), env=environment()).strip()
    site = subprocess.run(
        [str(venv), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert folder == str(Path(site) / "nuke_plugin" / "nuke_path")
    built = start_nuke(venv, folder, tmp_path)
    assert built["items"] == MENU  # menu.py ran, from the package's copy
    assert built["gizmos"] == [str(Path(folder) / "gizmos")]
    assert built["made"] == [["Group", "ExposureStops1"]]  # pasted from the package's toolset
    assert built["package"] == str(Path(site) / "nuke_plugin")  # the installed one, not a checkout
    assert built["about"] == f"nuke-stops {__version__}\n{Path(site) / 'nuke_plugin'}"
    assert built["callbacks"] == 3


def test_a_folder_install_needs_only_nuke_path(built: Dict[str, Path], tmp_path: Path) -> None:
    """pip install --target: NUKE_PATH alone is enough; init.py puts the
    folder holding nuke_plugin on sys.path (python -S: no site-packages,
    no checkout, nothing else to find it)."""
    target = tmp_path / "sw" / "nuke-stops" / __version__
    run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps"]
        + ["--target", str(target), str(built["wheel"])],
        env=environment(),
    )
    folder = run(
        [str(target / "bin" / "nuke-stops"), "nuke-path"],
        env=environment(PYTHONPATH=str(target)),
    ).strip()
    assert folder == str(target / "nuke_plugin" / "nuke_path")
    built_there = start_nuke(Path(sys.executable), folder, tmp_path, "-S")
    assert built_there["items"] == MENU
    assert built_there["made"] == [["Group", "ExposureStops1"]]
    assert built_there["package"] == str(target / "nuke_plugin")


def test_the_self_test_runs_the_tests_the_package_carries(
    built: Dict[str, Path], tmp_path: Path
) -> None:
    """Help > Run self-test in an installed package: the tests come from
    its Nuke folder (this interpreter's pytest, the installed package first
    on the path, the stand-in as nuke)."""
    target = tmp_path / "site"
    run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps"]
        + ["--target", str(target), str(built["wheel"])],
        env=environment(),
    )
    script = f"""
import sys
sys.path[:0] = [{str(target)!r}, {str(STANDIN)!r}]
import nuke, nuke_plugin
assert nuke_plugin.__file__.startswith({str(target)!r}), nuke_plugin.__file__
nuke.ask = lambda prompt: True
from nuke_plugin.host.selftest import run_from_menu
run_from_menu("-k", "nudge and not cancel")
print("MESSAGE:" + nuke._session().messages[-1])
"""
    out = run([sys.executable, "-c", script], cwd=str(tmp_path), env=environment())
    message = out.split("MESSAGE:")[1].split("\n")
    assert message[0] == "nuke-stops self-test: all behaviour tests passed"
    assert int(message[1].split(" passed")[0]) >= 5
    assert f"(tests in {target / 'nuke_plugin' / 'nuke_path' / 'nuke_stops_selftest'})" in message


# -- rez --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rez_repository(
    built: Dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Dict[str, str]:
    """package.py built and installed by rez (from PyPI) into a temporary
    repository, with a python package bound to this interpreter."""
    rez = Path(sys.executable).parent / "rez"
    repository = tmp_path_factory.mktemp("rez") / "packages"
    env = environment(
        REZ_PACKAGES_PATH=str(repository),
        REZ_LOCAL_PACKAGES_PATH=str(repository),
        REZ_RELEASE_PACKAGES_PATH=str(repository),
        HOME=str(repository.parent),
    )
    run(
        [str(rez), "bind", "--install-path", str(repository), "python", "--exe", sys.executable],
        env=env,
    )
    run([str(rez), "build", "--install"], cwd=str(built["source"]), env=env)
    env["REZ"] = str(rez)
    return env


def _rez_env(env: Dict[str, str], *command: str) -> str:
    return run([env["REZ"], "env", "nuke_stops", "python", "--", *command], env=env)


def test_rez_resolves_the_package_and_its_command_runs(rez_repository: Dict[str, str]) -> None:
    assert (
        _rez_env(rez_repository, "nuke-stops", "--version").strip() == f"nuke-stops {__version__}"
    )
    folder = _rez_env(rez_repository, "nuke-stops", "nuke-path").strip()
    paths = json.loads(
        _rez_env(
            rez_repository,
            "python",
            "-c",
            "import json, os; print(json.dumps([os.environ['NUKE_PATH'], os.environ['PYTHONPATH']]))",  # noqa: E501
        )
    )
    assert paths[0] == folder  # the Nuke folder is on NUKE_PATH
    assert folder.endswith(f"nuke_stops/{__version__}/python/nuke_plugin/nuke_path")
    assert paths[1].split(":")[0] == str(Path(folder).parent.parent)


def test_nuke_starts_inside_the_resolved_rez_environment(
    rez_repository: Dict[str, str], tmp_path: Path
) -> None:
    script = tmp_path / "start.py"
    script.write_text(START_NUKE)
    out = _rez_env(
        rez_repository,
        "bash",
        "-c",
        f'cd {tmp_path} && python {script} "$NUKE_PATH" {STANDIN}',
    )
    built: Dict[str, Any] = json.loads(out)
    assert built["items"] == MENU
    assert built["made"] == [["Group", "ExposureStops1"]]
    assert f"nuke_stops/{__version__}/python/nuke_plugin" in built["package"]


def test_every_extra_a_message_names_is_in_pyproject() -> None:
    """The extras the missing-dependency messages name (registry.EXTRAS)
    are pyproject's, and `all` brings every one."""
    tomllib = pytest.importorskip("tomllib")
    from nuke_plugin.registry import EXTRAS

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert set(EXTRAS) <= set(extras)
    assert extras["all"] == [f"nuke-stops[{','.join(EXTRAS)}]"]


def test_nuke_path_prints_the_checkout_it_runs_from(capsys: pytest.CaptureFixture[str]) -> None:
    from nuke_plugin.cli.main import main

    assert main(["nuke-path"]) == 0
    assert capsys.readouterr().out == f"{ROOT}\n"


def test_nuke_path_says_in_one_line_when_the_installation_lacks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from nuke_plugin import install
    from nuke_plugin.cli.main import main

    monkeypatch.setattr(install, "PACKAGE", tmp_path / "nuke_plugin")
    assert main(["nuke-path"]) == 2
    assert capsys.readouterr().err == (
        f"nuke-stops: error: this installation ({tmp_path / 'nuke_plugin'}) has no init.py, "
        "menu.py and gizmos/ for Nuke\n"
    )
