"""The built-in model and catalogue are read from JSON that must say what their YAML says.

People edit ``data/default-model.yaml`` and ``data/default-catalogue.yaml``;
builds read ``data/<name>.json``, their parsed form written by
``python3 dev.py data`` (``tools/builtin_data.py``). An edit of the YAML
without that step fails here, before a build could show stale data.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_mlrefarch.datafiles import BUILTIN, builtin_data

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import builtin_data as tool  # noqa: E402  tools/builtin_data.py, the maintainers' writer


@pytest.mark.parametrize("name", BUILTIN)
def test_json_form_says_what_the_yaml_says(name: str) -> None:
    """What a build reads (the package's JSON) is the YAML as the loader parses it."""
    data = builtin_data(name)
    assert data == tool.parsed(name), "the JSON is stale: run python3 dev.py data"
    # key order is part of it (layers, blocks and entries are shown in file order)
    assert json.dumps(data) == json.dumps(tool.parsed(name)), "run python3 dev.py data"
    assert data["id"] and len(json.dumps(data)) > 10_000  # positive control: real content


@pytest.mark.parametrize("name", BUILTIN)
def test_each_call_gives_its_own_object(name: str) -> None:
    """Loaders may fit the data in place; one build's changes must not reach the next."""
    first = builtin_data(name)
    first.clear()
    assert builtin_data(name)


def test_the_tool_writes_what_is_committed() -> None:
    """``tools/builtin_data.py`` reproduces the committed files byte for byte."""
    for name in BUILTIN:
        committed = (ROOT / "sphinx_mlrefarch" / "data" / f"{name}.json").read_text("utf-8")
        assert tool.text(name) == committed, "run python3 dev.py data"


def test_loading_the_built_ins_parses_no_yaml() -> None:
    """The built-in model and catalogue load without the YAML loader (the start-up saving)."""
    code = (
        "from sphinx_mlrefarch.model.yaml_source import YamlSource\n"
        "def refuse(self, text):\n"
        "    raise AssertionError('YAML parsed')\n"
        "YamlSource.parse = refuse\n"
        "from sphinx_mlrefarch.model import default_model\n"
        "from sphinx_mlrefarch.catalogue import default_catalogue\n"
        "model = default_model()\n"
        "print(len(model.blocks), len(default_catalogue(model).entries))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    blocks, entries = map(int, done.stdout.split())
    assert blocks >= 20 and entries >= 20  # the whole model and catalogue
