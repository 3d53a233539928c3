"""The release: the sdist and the wheel ``python -m build`` makes from this checkout.

Both are built into a temporary folder as a release is made (the sdist
first, the wheel from the sdist) and their file lists compared with the
package in the source tree, so a new module or data file that the build
configuration forgets (or a stray file it picks up) fails here. ``twine
check`` checks the metadata and that the README renders. ``build`` and
``twine`` come with the test extra. When ``dev.py test --installed`` runs
the suite against the installed wheel, one more test makes sure the package
under test really is that installed copy.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from external import missing

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "sphinx_mlrefarch"
VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)
#: Data the package cannot work without, whatever else the tree holds.
REQUIRED = {
    "data/default-model.yaml",
    "data/default-model.json",
    "data/model.schema.json",
    "data/mlrefarch.schema.json",
    "data/default-catalogue.yaml",
    "data/default-catalogue.json",
    "data/catalogue.schema.json",
    "static/mlrefarch.css",
    "locale/nl/LC_MESSAGES/sphinx_mlrefarch.po",
    "locale/nl/LC_MESSAGES/sphinx_mlrefarch.mo",
    "py.typed",
}
SDIST_TOP = {"pyproject.toml", "README.md", "CHANGELOG.md", "LICENSE", PACKAGE}
#: What setuptools writes into every sdist: the metadata and its egg_info settings.
SDIST_METADATA = {"PKG-INFO", "setup.cfg", f"{PACKAGE}.egg-info"}


def version() -> str:
    found = VERSION_LINE.search((ROOT / PACKAGE / "__init__.py").read_text("utf-8"))
    assert found, "no __version__ line in sphinx_mlrefarch/__init__.py"
    return found.group(1)


def package_files() -> set[str]:
    """Every file of the package in the source tree, relative to the package folder.

    Left out: caches, hidden files (the temporary files of atomic writes) and
    the translation template (``.pot``), which translators use in the
    repository and Sphinx never reads.
    """
    base = ROOT / PACKAGE
    return {
        path.relative_to(base).as_posix()
        for path in base.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and not path.name.startswith(".")
        and path.suffix not in {".pyc", ".pot"}
    }


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    for module in ("build", "twine"):
        if importlib.util.find_spec(module) is None:
            missing("build", f"{module} is not installed (pip install .[test])")
    if not (ROOT / "pyproject.toml").is_file():
        missing("build", f"{ROOT} is no source checkout")
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel}


def test_file_names_carry_the_version(dists: dict[str, Path]) -> None:
    assert dists["sdist"].name == f"{PACKAGE}-{version()}.tar.gz"
    assert dists["wheel"].name == f"{PACKAGE}-{version()}-py3-none-any.whl"


def test_the_tree_has_the_required_data() -> None:
    """The expectations below come from the tree; this keeps them honest."""
    assert package_files() >= REQUIRED
    assert "__init__.py" in package_files() and "cli/__init__.py" in package_files()


def test_wheel_holds_the_package_and_its_metadata_only(dists: dict[str, Path]) -> None:
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = [PurePosixPath(name) for name in wheel.namelist() if not name.endswith("/")]
        entry_points = wheel.read(f"{PACKAGE}-{version()}.dist-info/entry_points.txt")
    info = f"{PACKAGE}-{version()}.dist-info"
    assert {name.parts[0] for name in names} == {PACKAGE, info}
    inside = {name.relative_to(PACKAGE).as_posix() for name in names if name.parts[0] == PACKAGE}
    assert inside == package_files()
    assert inside >= REQUIRED
    metadata = {name.relative_to(info).as_posix() for name in names if name.parts[0] == info}
    assert metadata >= {"METADATA", "WHEEL", "RECORD", "entry_points.txt", "licenses/LICENSE"}
    assert b"mlrefarch = sphinx_mlrefarch.cli:main" in entry_points


def test_sdist_holds_the_package_and_the_release_texts_only(dists: dict[str, Path]) -> None:
    top = f"{PACKAGE}-{version()}"
    with tarfile.open(dists["sdist"]) as sdist:
        names = [PurePosixPath(m.name) for m in sdist.getmembers() if m.isfile()]
    assert {name.parts[0] for name in names} == {top}
    assert {name.parts[1] for name in names} == SDIST_TOP | SDIST_METADATA
    inside = {
        PurePosixPath(*name.parts[2:]).as_posix() for name in names if name.parts[1] == PACKAGE
    }
    assert inside == package_files()


def test_wheel_metadata(dists: dict[str, Path]) -> None:
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        metadata = wheel.read(f"{PACKAGE}-{version()}.dist-info/METADATA").decode("utf-8")
    assert f"Version: {version()}" in metadata.splitlines()
    assert "License-Expression: MIT" in metadata.splitlines()
    assert "Requires-Dist: sphinx<10,>=7.2" in metadata.splitlines()
    assert "Description-Content-Type: text/markdown" in metadata.splitlines()
    assert "python -m build" in metadata  # the README is the long description


def test_twine_check_passes(dists: dict[str, Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dists.values())],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout


@pytest.mark.skipif(
    not os.environ.get("MLREFARCH_INSTALLED"), reason="only under dev.py test --installed"
)
def test_the_package_under_test_is_the_installed_wheel() -> None:
    import sphinx_mlrefarch

    where = Path(sphinx_mlrefarch.__file__).resolve()
    assert Path(os.environ["MLREFARCH_INSTALLED"]).resolve() in where.parents, where
    assert Path(sysconfig.get_paths()["purelib"]).resolve() in where.parents, where
    assert (ROOT / PACKAGE) not in where.parents, where  # not the checkout's sources
    assert Path.cwd().resolve() not in where.parents, where
