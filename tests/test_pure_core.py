"""The pure core imports without Sphinx or docutils.

The model, catalogue, coverage, portfolio, findings, imports, diff and
report modules are what ``mlrefarch diff``, ``mlrefarch catalogue`` and the
reports run on, and what another tool could reuse; they must not grow a
Sphinx dependency unnoticed. Each is imported in a fresh interpreter whose
import system refuses ``sphinx`` and ``docutils``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import sphinx_mlrefarch

PACKAGE = Path(sphinx_mlrefarch.__file__).parent

#: The pure core, as the README's module map lists it (packages with every submodule).
CORE = (
    "model",
    "catalogue",
    "status",
    "names",
    "records",
    "coverage",
    "portfolio",
    "findings",
    "references",
    "imports",
    "import_source",
    "import_fetch",
    "inventory",
    "diff",
    "diff_entries",
    "reports",
    "jsonformat",
    "datafiles",
)

#: Imports the named modules with sphinx and docutils made unimportable.
GUARDED = """\
import importlib, importlib.abc, sys

class NoSphinx(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("sphinx", "docutils"):
            raise ImportError(f"{name} imported by the pure core")
        return None

sys.meta_path.insert(0, NoSphinx())
for name in sys.argv[1:]:
    importlib.import_module(name)
"""


def core_modules() -> list[str]:
    names = []
    for part in CORE:
        path = PACKAGE / part
        if path.is_dir():
            names += [f"sphinx_mlrefarch.{part}.{p.stem}" for p in sorted(path.glob("*.py"))]
        else:
            assert (PACKAGE / f"{part}.py").is_file(), part
            names.append(f"sphinx_mlrefarch.{part}")
    return [n.removesuffix(".__init__") for n in names]


def import_guarded(*modules: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", GUARDED, *modules],
        capture_output=True,
        text=True,
        check=False,
        cwd=PACKAGE.parent,
    )


def test_every_core_module_imports_without_sphinx() -> None:
    modules = core_modules()
    assert len(modules) > 30
    result = import_guarded(*modules)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("module", ["domain", "directives.abb", "events"])
def test_the_guard_stops_the_sphinx_layer(module: str) -> None:
    """Positive control: modules of the Sphinx layer fail under the same guard."""
    result = import_guarded(f"sphinx_mlrefarch.{module}")
    assert result.returncode == 1
    assert "imported by the pure core" in result.stderr
