"""libyaml's loader is only a speed-up: data, lines and problems match the pure loader.

The model and catalogue loaders read YAML with PyYAML's ``CSafeLoader`` when
libyaml is present and fall back to the pure ``SafeLoader`` for any file the
fast one refuses. These tests hold the two paths to the same results, so a
machine without libyaml reports exactly what this one does.
"""

from __future__ import annotations

import pytest
import yaml

from sphinx_mlrefarch.model import yaml_source
from sphinx_mlrefarch.model.schema import DATA
from sphinx_mlrefarch.model.yaml_source import FatalError, YamlSource

pytestmark = pytest.mark.skipif(
    getattr(yaml, "CSafeLoader", None) is None, reason="PyYAML built without libyaml"
)

BAD = {
    "tab-indent": "layers:\n\t- id: a\n",
    "unclosed": "layers: [a, b\nblocks: {}\n",
    "undefined-alias": "a: *missing\n",
    "empty": "",
    "control-character": "layers: \x07\n",
    "recursive-alias": "a: &x [*x]\n",
    # ten to the sixth values once the aliases expand: over MAX_NODES
    "too-big": "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
    + "".join(
        f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
        for prev, name in zip("abcde", "bcdef", strict=True)
    ),
}


def _read(text: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object, list]:
    monkeypatch.setattr(yaml_source, "_FAST", yaml.CSafeLoader if fast else None)
    source = YamlSource("file.yaml", "a mapping")
    try:
        data: object = source.parse(text)
    except FatalError:
        data = None
    return data, dict(source.lines), list(source.problems)


@pytest.mark.parametrize("name", ["default-model.yaml", "default-catalogue.yaml"])
def test_built_in_data_reads_the_same(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    fast = _read(text, True, monkeypatch)
    pure = _read(text, False, monkeypatch)
    assert fast[0] is not None and fast[1]  # a positive control: data and a line index
    assert fast == pure


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_yaml_gets_pure_problems(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _read(BAD[name], True, monkeypatch)
    pure = _read(BAD[name], False, monkeypatch)
    assert pure[2], "each case must be a problem for the pure loader"
    assert fast == pure
