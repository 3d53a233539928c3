"""Unit tests of hostile model YAML and properties of the loader.

YAML tags that try to run code, alias bombs and deep nesting are refused in
time; random data never makes the loader raise; valid models round-trip.

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
from hypothesis import given, settings
from hypothesis import strategies as st
from model_helpers import block_ids, only_problem

from sphinx_mlrefarch.model import MAX_NODES, LoadResult, load_model, load_model_text, model_schema

# --------------------------------------------------------------------------
# YAML that tries to run code
# --------------------------------------------------------------------------


def _pwned() -> Path:
    return Path(tempfile.gettempdir()) / f"PWNED-{uuid.uuid4().hex}"


@pytest.mark.parametrize(
    ("template", "line"),
    [
        ('!!python/object/apply:os.system ["touch {target}"]\n', 1),
        ('extends: default\nid: !!python/object/apply:os.system ["touch {target}"]\n', 2),
        (
            'extends: default\ntitle: x\nversion: !!python/object/new:os.system ["touch {target}"]',
            3,
        ),
        (
            "extends: default\nblocks:\n  - !!python/object/new:os.system\n"
            "    args: [touch {target}]",
            3,
        ),
        (
            "extends: default\nid: !!python/object/apply:subprocess.check_call\n"
            "  - [touch, {target}]\n",
            2,
        ),
        ("extends: default\nid: !!python/name:os.system\n", 2),
        ("extends: default\nid: !!python/object:pathlib.Path {{}}\n", 2),
    ],
)
def test_python_tags_are_refused_not_executed(template: str, line: int, tmp_path: Path) -> None:
    target = _pwned()
    text = template.format(target=target)
    try:
        result = load_model_text(text, "evil.yaml")
        model_file = tmp_path / "evil.yaml"
        model_file.write_text(text, encoding="utf-8")
        from_file = load_model(model_file)
        assert not target.exists(), "a YAML tag ran a command"
    finally:
        target.unlink(missing_ok=True)
    for res, name in ((result, "evil.yaml"), (from_file, str(model_file))):
        assert res.model is None
        problem = only_problem(res)
        assert problem.line == line
        assert problem.file == name
        assert "tag" in problem.message
        assert "python/" in problem.message


# --------------------------------------------------------------------------
# Hostile YAML
# --------------------------------------------------------------------------


def _quick(text: str) -> LoadResult:
    start = time.monotonic()
    result = load_model_text(text, "hostile.yaml")
    assert time.monotonic() - start < 10
    return result


def test_billion_laughs() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghij"
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    result = _quick("\n".join(lines) + "\n")
    assert result.model is None
    problem = only_problem(result)
    assert str(MAX_NODES) in problem.message


def test_billion_laughs_inside_a_model() -> None:
    lines = ["extends: default", "description: &a [x, x, x, x, x, x, x, x, x, x]"]
    names = "abcdefgh"
    for prev, name in itertools.pairwise(names):
        lines.append(f"x{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    result = _quick("\n".join(lines) + "\n")
    assert result.model is None
    assert "aliases" in only_problem(result).message


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "&a [*a]\n", "a: &a {b: *a}\n"])
def test_recursive_alias(text: str) -> None:
    result = _quick(text)
    assert result.model is None
    assert "recursive" in only_problem(result).message


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000 + "]" * 5000,
        "{a: " * 5000 + "1" + "}" * 5000,
        "extends: default\nprocess: " + "[" * 5000 + "]" * 5000 + "\n",
        "extends: default\ndescription: " + "[" * 300 + "]" * 300 + "\n",
        "extends: default\nversion:\n" + "".join("  " * i + "- \n" for i in range(1, 400)),
    ],
)
def test_deep_nesting(text: str) -> None:
    result = _quick(text)
    assert result.problems
    for problem in result.problems:
        assert isinstance(problem.message, str)


def test_many_small_values_are_fine() -> None:
    blocks = "".join(
        f"  - {{id: b{i}, title: B{i}, layer: l, questions: ['q{i}?']}}\n" for i in range(2000)
    )
    text = f"schema: 1\nid: m\ntitle: M\nlayers: [{{id: l, title: L}}]\nblocks:\n{blocks}"
    result = _quick(text)
    assert result.problems == ()
    assert len(result.model.blocks) == 2000


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
MODEL_KEYS = st.sampled_from(
    [
        *model_schema()["properties"],
        *model_schema()["$defs"]["block"]["properties"],
        *model_schema()["$defs"]["principle"]["properties"],
        *model_schema()["$defs"]["process"]["properties"],
        *model_schema()["properties"]["hosting"]["properties"],
        "from",
        "to",
        "label",
    ]
)
MODEL_VALUES = st.sampled_from(
    ["default", 1, 0, "data", "networking", "quality", "x", "Data", "", " ", "A B", None, True]
) | st.text(max_size=6)
MODEL_SHAPED = st.recursive(
    MODEL_VALUES,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(MODEL_KEYS, children, max_size=6)
    ),
    max_leaves=30,
)


def _check_result(result: LoadResult) -> None:
    assert isinstance(result, LoadResult)
    assert result.model is not None or result.problems
    for problem in result.problems:
        assert isinstance(problem.message, str) and problem.message
        assert problem.line is None or problem.line >= 1
        assert isinstance(problem.path, str)


@settings(max_examples=200)
@given(YAML_DATA)
def test_any_yaml_data_never_raises(data: Any) -> None:
    _check_result(load_model_text(yaml.safe_dump(data)))


@settings(max_examples=200)
@given(st.dictionaries(MODEL_KEYS, MODEL_SHAPED, max_size=8), st.booleans())
def test_model_shaped_data_never_raises(data: dict[str, Any], extends: bool) -> None:
    if extends:
        data["extends"] = "default"
    _check_result(load_model_text(yaml.safe_dump(data)))


@settings(max_examples=200)
@given(
    st.lists(st.dictionaries(MODEL_KEYS, MODEL_SHAPED, max_size=6), max_size=4),
    st.lists(MODEL_VALUES, max_size=4),
    st.dictionaries(MODEL_KEYS, MODEL_SHAPED, max_size=4),
)
def test_extends_with_random_changes_never_raises(
    blocks: list[Any], remove: list[Any], process: dict[str, Any]
) -> None:
    data = {"extends": "default", "blocks": blocks, "remove": remove, "process": process}
    result = load_model_text(yaml.safe_dump(data))
    _check_result(result)
    assert result.model is not None  # the top level is fine, so some model remains


@settings(max_examples=200)
@given(st.text())
def test_any_text_never_raises(text: str) -> None:
    _check_result(load_model_text(text))


SLUGS = st.from_regex(r"\A[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?\Z")
TEXTS = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20
).filter(lambda s: s.strip())


@st.composite
def valid_models(draw: st.DrawFn) -> dict[str, Any]:
    layer_ids = draw(st.lists(SLUGS, min_size=1, max_size=4, unique=True))
    block_ids_ = draw(st.lists(SLUGS, max_size=8, unique=True))
    used = {i.casefold() for i in block_ids_}
    blocks = []
    for bid in block_ids_:
        block: dict[str, Any] = {
            "id": bid,
            "title": f"Block {bid}",
            "layer": draw(st.sampled_from(layer_ids)),
        }
        if draw(st.booleans()):
            block["summary"] = draw(TEXTS)
        questions = draw(st.lists(TEXTS, max_size=3))
        if questions:
            block["questions"] = questions
        alias = f"alias of {bid}"
        if draw(st.booleans()) and alias not in used:
            block["aliases"] = [alias]
        others = [b for b in block_ids_ if b != bid]
        if others:
            related = draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
            if related:
                block["related"] = related
        blocks.append(block)
    return {
        "schema": 1,
        "id": draw(SLUGS),
        "title": draw(TEXTS),
        "version": draw(st.sampled_from(["", "1", "2.0"])) or "0",
        "layers": [{"id": lid, "title": lid.upper()} for lid in layer_ids],
        "blocks": blocks,
        "constraint_aspects": [{"id": a, "title": a} for a in draw(st.lists(SLUGS, unique=True))],
        "hosting": {"environments": draw(st.lists(SLUGS, max_size=3, unique=True))},
    }


@settings(max_examples=100)
@given(valid_models())
def test_valid_models_load_cleanly_and_round_trip(data: dict[str, Any]) -> None:
    result = load_model_text(yaml.safe_dump(data))
    assert result.problems == ()
    model = result.model
    assert model is not None
    assert sorted(block_ids(model)) == sorted(b["id"] for b in data["blocks"])
    again = load_model_text(yaml.safe_dump(model.to_dict()))
    assert again.problems == ()
    assert again.model == model
