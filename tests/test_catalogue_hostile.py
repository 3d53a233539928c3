"""Unit tests of hostile catalogue YAML and properties of the catalogue loader.

YAML tags that try to run code, alias bombs, huge and deeply nested files
are refused in time; random data never makes the loader raise; valid
catalogues load cleanly and round-trip.

Pure core only: no Sphinx here.
"""

from __future__ import annotations

import itertools
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from catalogue_helpers import check_result, entry_ids, only_problem
from hypothesis import given, settings
from hypothesis import strategies as st
from model_helpers import BLOCKS

from sphinx_mlrefarch.catalogue import (
    CatalogueResult,
    catalogue_schema,
    default_catalogue,
    load_catalogue,
    load_catalogue_text,
)
from sphinx_mlrefarch.model import MAX_NODES, default_model
from sphinx_mlrefarch.names import norm

MODEL = default_model()


def _load(text: str, filename: str = "<catalogue>") -> CatalogueResult:
    return load_catalogue_text(text, filename, MODEL)


# --------------------------------------------------------------------------
# YAML that tries to run code
# --------------------------------------------------------------------------


def _pwned() -> Path:
    return Path(tempfile.gettempdir()) / f"PWNED-{uuid.uuid4().hex}"


@pytest.mark.parametrize(
    ("template", "line"),
    [
        ('!!python/object/apply:os.system ["touch {target}"]\n', 1),
        ('extends: default\ntitle: !!python/object/apply:os.system ["touch {target}"]\n', 2),
        (
            "extends: default\nentries:\n  - !!python/object/new:os.system\n"
            "    args: [touch {target}]\n",
            3,
        ),
        (
            "extends: default\nentries:\n  - id: ray\n"
            "    summary: !!python/object/apply:subprocess.check_call [[touch, {target}]]\n",
            4,
        ),
        ("extends: default\nremove: [!!python/name:os.system ]\n", 2),
        ("extends: default\nid: !!python/object:pathlib.Path {{}}\n", 2),
    ],
)
def test_python_tags_are_refused_not_executed(template: str, line: int, tmp_path: Path) -> None:
    target = _pwned()
    text = template.format(target=target)
    try:
        result = _load(text, "evil.yaml")
        file = tmp_path / "evil.yaml"
        file.write_text(text, encoding="utf-8")
        from_file = load_catalogue(file, MODEL)
        assert not target.exists(), "a YAML tag ran a command"
    finally:
        target.unlink(missing_ok=True)
    for res, name in ((result, "evil.yaml"), (from_file, str(file))):
        assert res.catalogue is None
        problem = only_problem(res)
        assert (problem.file, problem.line) == (name, line)
        assert "tag" in problem.message and "python/" in problem.message
        assert "refused" in problem.message


def test_plain_tags_are_fine() -> None:
    # positive control: standard YAML tags are plain data
    result = _load("extends: default\ntitle: !!str 2025\nversion: !!str 1.0\n")
    assert result.problems == ()
    assert result.catalogue is not None and result.catalogue.title == "2025"


# --------------------------------------------------------------------------
# Alias bombs, huge and deep documents
# --------------------------------------------------------------------------


def _quick(text: str) -> CatalogueResult:
    start = time.monotonic()
    result = _load(text, "hostile.yaml")
    assert time.monotonic() - start < 10
    check_result(result, "hostile.yaml")
    return result


def test_billion_laughs() -> None:
    lines = ["extends: default", 'summary: &a ["lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in itertools.pairwise("abcdefghij"):
        lines.append(f"x{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    result = _quick("\n".join(lines) + "\n")
    assert result.catalogue is None
    problem = only_problem(result)
    assert str(MAX_NODES) in problem.message and "aliases" in problem.message


def test_alias_bomb_inside_an_entry() -> None:
    lines = [
        "extends: default",
        "entries:",
        "  - id: ray",
        "    aliases: &a [x, x, x, x, x, x, x, x]",
    ]
    for prev, name in itertools.pairwise("abcdefgh"):
        lines.append(f"  - id: e{name}\n    aliases: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    result = _quick("\n".join(lines) + "\n")
    assert result.catalogue is None
    assert "aliases are expanded" in only_problem(result).message


def test_harmless_aliases_are_fine() -> None:
    # positive control: YAML anchors used as intended
    text = (
        "extends: default\nentries:\n  - id: ray\n    blocks: &infra [hosting, compute]\n"
        "  - id: kubernetes\n    blocks: *infra\n"
    )
    result = _quick(text)
    assert result.problems == ()
    assert result.catalogue is not None
    assert result.catalogue.by_id["kubernetes"].blocks == ("hosting", "compute")


@pytest.mark.parametrize(
    "text", ["a: &a [*a]\n", "&a [*a]\n", "entries: &a [{id: x, aliases: *a}]\n"]
)
def test_recursive_alias(text: str) -> None:
    result = _quick(text)
    assert result.catalogue is None
    assert "recursive" in only_problem(result).message


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000 + "]" * 5000,
        "{a: " * 5000 + "1" + "}" * 5000,
        "extends: default\nentries: " + "[" * 5000 + "]" * 5000 + "\n",
        "extends: default\ndescription: " + "[" * 300 + "]" * 300 + "\n",
        "extends: default\nremove:\n" + "".join("  " * i + "- \n" for i in range(1, 400)),
    ],
)
def test_deep_nesting(text: str) -> None:
    result = _quick(text)
    assert result.problems


def test_huge_catalogue_is_refused_in_time() -> None:
    text = "extends: default\nremove: [" + ",".join(["ray"] * (MAX_NODES + 1)) + "]\n"
    result = _quick(text)
    assert result.catalogue is None
    problem = only_problem(result)
    assert str(MAX_NODES) in problem.message
    assert problem.line == 2


def test_large_catalogue_is_fine() -> None:
    entry = "  - {id: p%d, name: P%d, aliases: [q%d], licence: MIT, foss: true, blocks: [data]}\n"
    text = "schema: 1\nid: big\ntitle: Big\nentries:\n" + "".join(
        entry % (i, i, i) for i in range(3000)
    )
    result = _quick(text)
    assert result.problems == ()
    assert result.catalogue is not None
    assert len(result.catalogue.entries) == 3000
    assert result.catalogue.resolve("Q2999") is result.catalogue.by_id["p2999"]


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
)
YAML_DATA = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
_SCHEMA = catalogue_schema()
KEYS = st.sampled_from([*_SCHEMA["properties"], *_SCHEMA["$defs"]["entry"]["properties"]])
IDS = st.sampled_from([p.id for p in default_catalogue().entries[:6]])
VALUES = (
    st.sampled_from(
        [
            *("default", 1, 0, True, False, None, "", " ", "MIT", "other", "Apache License 2.0"),
            *("https://x.org", "x.org", "data", "networking", "gpu", "PyTorch", "torch", "ray"),
        ]
    )
    | IDS
    | st.text(max_size=6)
)
SHAPED = st.recursive(
    VALUES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=30,
)


@settings(max_examples=200)
@given(YAML_DATA)
def test_any_yaml_data_never_raises(data: Any) -> None:
    check_result(_load(yaml.safe_dump(data)))


@settings(max_examples=200)
@given(st.text())
def test_any_text_never_raises(text: str) -> None:
    check_result(_load(text))


@settings(max_examples=200)
@given(st.dictionaries(KEYS, SHAPED, max_size=8), st.booleans())
def test_catalogue_shaped_data_never_raises(data: dict[str, Any], extends: bool) -> None:
    if extends:
        data["extends"] = "default"
    result = _load(yaml.safe_dump(data))
    check_result(result)
    for problem in result.problems:  # a parsed document locates every problem
        assert problem.line is not None


ENTRY = st.fixed_dictionaries(
    {"id": IDS | st.sampled_from(["new-one", "new-two", "Bad Id"])},
    optional={
        "name": st.sampled_from(["New", "Ray", "pytorch", "K8S", ""]) | st.text(max_size=5),
        "aliases": st.lists(st.sampled_from(["sklearn", "Torch", "x", "X", "ray"]), max_size=3),
        "licence": st.sampled_from(["MIT", "other", "GPL 3", ""]),
        "foss": st.booleans() | st.none(),
        "blocks": st.lists(st.sampled_from([*BLOCKS[:4], "networking", "gpu", "Data"]), max_size=3),
        "homepage": st.sampled_from(["https://a.org", "", "a.org"]),
        "summary": st.text(max_size=8),
    },
)


@settings(max_examples=200)
@given(st.lists(ENTRY, max_size=5), st.lists(IDS | st.sampled_from(["nope", "X y"]), max_size=3))
def test_extends_with_random_changes_never_raises(
    entries: list[dict[str, Any]], remove: list[str]
) -> None:
    data = {"extends": "default", "entries": entries, "remove": remove}
    result = _load(yaml.safe_dump(data))
    check_result(result)
    catalogue = result.catalogue
    assert catalogue is not None  # the top level is fine, so some catalogue remains
    # whatever was written, the catalogue stays consistent
    owner: dict[str, str] = {}
    for product in catalogue.entries:
        for spelling in product.names:
            assert owner.setdefault(norm(spelling), product.id) == product.id
    for product in catalogue.entries:
        assert product.blocks and set(product.blocks) <= set(MODEL.block_map)
        assert catalogue.resolve(product.id) is product
    untouched = {e["id"] for e in entries} | set(remove)
    base = default_catalogue()
    for product in base.entries:
        if product.id not in untouched:
            assert catalogue.by_id.get(product.id) == product


SLUGS = st.from_regex(r"\A[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?\Z")
TEXTS = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20
).filter(lambda s: s.strip())


@st.composite
def valid_catalogues(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(st.lists(SLUGS, max_size=8, unique=True))
    entries = []
    for index, entry_id in enumerate(ids):
        entry: dict[str, Any] = {
            "id": entry_id,
            "name": f"Product {index}",
            "licence": draw(st.sampled_from(["MIT", "Apache-2.0", "other"])),
            "foss": draw(st.booleans()),
            "blocks": draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=3, unique=True)),
        }
        if draw(st.booleans()):
            entry["aliases"] = [f"alias {index}", f"alias {index}b"]
        if draw(st.booleans()):
            entry["summary"] = draw(TEXTS)
        if draw(st.booleans()):
            entry["homepage"] = f"https://example.org/{entry_id}"
        entries.append(entry)
    return {"schema": 1, "id": draw(SLUGS), "title": draw(TEXTS), "entries": entries}


@settings(max_examples=100)
@given(valid_catalogues())
def test_valid_catalogues_load_cleanly_and_round_trip(data: dict[str, Any]) -> None:
    result = _load(yaml.safe_dump(data))
    assert result.problems == ()
    catalogue = result.catalogue
    assert catalogue is not None
    assert entry_ids(catalogue) == [e["id"] for e in data["entries"]]
    again = _load(yaml.safe_dump(catalogue.to_dict()))
    assert again.problems == ()
    assert again.catalogue == catalogue
