"""Unit tests of located model problems: file, line and path; only the bad entry goes.

Pure core only: no Sphinx here.
"""

from __future__ import annotations

import pytest
import yaml
from model_helpers import block_ids, line_of, load, only_problem, small

from sphinx_mlrefarch.model import Entry, load_model_text

# --------------------------------------------------------------------------
# Located problems
# --------------------------------------------------------------------------


def test_unknown_layer_is_located_with_suggestion() -> None:
    text = small("  - id: clean\n    title: Clean\n    layer: dta\n")
    result = load_model_text(text, "m.yaml")
    problem = only_problem(result)
    assert problem.path == "blocks[1].layer"
    assert problem.line == line_of(text, "layer: dta")
    assert problem.file == "m.yaml"
    assert "'dta'" in problem.message
    assert "did you mean 'data'" in problem.message
    assert str(problem).startswith(f"m.yaml:{problem.line}: blocks[1].layer: ")
    assert block_ids(result.model) == ["store", "deploy"]


def test_dropped_block_does_not_cascade_into_related_problems() -> None:
    text = small("  - id: clean\n    title: Clean\n    layer: dta\n").replace(
        "related: [store]", "related: [store, clean]"
    )
    result = load_model_text(text)
    assert only_problem(result).path == "blocks[1].layer"
    assert result.model.block_map["deploy"].related == ("store",)


def test_override_with_unknown_layer_reports_once() -> None:
    text = "extends: default\nblocks:\n  - id: data\n    layer: dta\n"
    result = load_model_text(text)
    problem = only_problem(result)
    assert (problem.path, problem.line) == ("blocks[0].layer", 4)
    assert "did you mean 'data'" in problem.message
    ids = set(block_ids(result.model))
    for block in result.model.blocks:
        assert set(block.related) <= ids


def test_unknown_layer_far_off_lists_choices() -> None:
    text = small("  - id: clean\n    title: Clean\n    layer: zzz\n")
    problem = only_problem(load_model_text(text))
    assert problem.path == "blocks[1].layer"
    assert "expected one of 'data', 'ops'" in problem.message


@pytest.mark.parametrize(
    ("slot", "path", "needle", "fragments"),
    [
        (
            "  - id: clean\n    title: 5\n    layer: data\n",
            "blocks[1].title",
            "title: 5",
            ["expected a string", "number (5)"],
        ),
        (
            "  - id: clean\n    title: Clean\n    layer: data\n    questions: Why?\n",
            "blocks[1].questions",
            "questions: Why?",
            ["expected an array"],
        ),
        (
            "  - id: Bad_Id\n    title: Clean\n    layer: data\n",
            "blocks[1].id",
            "Bad_Id",
            ["not a valid id", "'bad-id'"],
        ),
        (
            "  - id: clean\n    title: Clean\n    layer: data\n    sumary: oops\n",
            "blocks[1]",
            "sumary:",
            ["unknown key 'sumary'", "did you mean 'summary'"],
        ),
        (
            "  - id: clean\n    title: Clean\n",
            "blocks[1]",
            "id: clean",
            ["'layer' is a required key"],
        ),
        (
            "  - id: clean\n    title: '  '\n    layer: data\n",
            "blocks[1].title",
            "title: '  '",
            ["must not be empty"],
        ),
        (
            "  - id: clean\n    title: Clean\n    layer: data\n    questions: ['ok?', '']\n",
            "blocks[1].questions[1]",
            "'ok?', ''",
            ["must not be empty"],
        ),
        (
            "  - id: clean\n    title: Clean\n    layer: data\n    related: [Store]\n",
            "blocks[1].related[0]",
            "related: [Store]",
            ["not a valid id", "'store'"],
        ),
        (
            "  - just a string\n",
            "blocks[1]",
            "just a string",
            ["expected an object", "string"],
        ),
    ],
)
def test_schema_errors_are_located_and_drop_only_the_entry(
    slot: str, path: str, needle: str, fragments: list[str]
) -> None:
    text = small(slot)
    result = load_model_text(text, "m.yaml")
    problem = only_problem(result)
    assert problem.path == path
    assert problem.line == line_of(text, needle)
    for fragment in fragments:
        assert fragment in problem.message
    assert block_ids(result.model) == ["store", "deploy"]
    assert result.model.block_map["deploy"].related == ("store",)


@pytest.mark.parametrize(
    ("tail", "path", "needle", "fragments"),
    [
        ("titel: Typo\n", "", "titel:", ["unknown key 'titel'", "did you mean 'title'"]),
        ("version: [1]\n", "version", "version:", ["expected a string or number"]),
        ("source: {title: T, autor: A}\n", "source", "source:", ["did you mean 'author'"]),
        ("first_questions: ['Why?', 7]\n", "first_questions[1]", "first_questions", ["number (7)"]),
        ("hosting: {environments: [Dev Box]}\n", "hosting.environments[0]", "hosting:", ["an id"]),
        (
            "principles: [{id: p, title: P, kind: vague}]\n",
            "principles[0].kind",
            "principles:",
            ["'vague' is not allowed", "'business'"],
        ),
    ],
)
def test_top_level_schema_errors(tail: str, path: str, needle: str, fragments: list[str]) -> None:
    text = small(tail=tail)
    result = load_model_text(text)
    problem = only_problem(result)
    assert problem.path == path
    assert problem.line == line_of(text, needle)
    for fragment in fragments:
        assert fragment in problem.message
    assert block_ids(result.model) == ["store", "clean", "deploy"]


def test_bad_first_question_is_dropped_alone() -> None:
    text = small(tail="first_questions: ['Why?', 7, 'How?']\n")
    model = load_model_text(text).model
    assert model.first_questions == ("Why?", "How?")


def test_missing_top_level_keys() -> None:
    text = "schema: 1\nid: m\nlayers: []\nblocks: []\n"
    result = load_model_text(text)
    problem = only_problem(result)
    assert "'title' is a required key" in problem.message
    assert problem.line == 1
    assert result.model is not None


def test_wrong_schema_version() -> None:
    text = small().replace("schema: 1", "schema: 2")
    result = load_model_text(text)
    problem = only_problem(result)
    assert problem.path == "schema"
    assert problem.line == 1
    assert "must be 1" in problem.message
    assert block_ids(result.model) == ["store", "clean", "deploy"]


def test_problems_are_in_document_order() -> None:
    blocks = "".join(f"  - id: b{i}\n    title: B{i}\n    layer: data\n" for i in range(12))
    blocks = blocks.replace("title: B2\n", "title: 2\n").replace("title: B10\n", "title: 10\n")
    text = f"schema: 1\nid: m\ntitle: M\nlayers: [{{id: data, title: Data}}]\nblocks:\n{blocks}"
    result = load_model_text(text)
    assert [p.path for p in result.problems] == ["blocks[2].title", "blocks[10].title"]
    assert len(block_ids(result.model)) == 10


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("schema: 1\nid: m\n  title: bad indent\n", 3),
        ("schema: 1\nlayers: [a, b\nblocks: []\n", 3),
        ("schema: 1\nid: 'unclosed\n", 3),
        ("a: b\n\tc: d\n", 2),
        ("a: b\nc: d\x07\n", 2),
    ],
)
def test_yaml_syntax_errors(text: str, line: int) -> None:
    result = load_model_text(text, "m.yaml")
    assert result.model is None
    problem = only_problem(result)
    assert problem.line == line
    assert problem.message.startswith("YAML error")


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    result = load_model_text(text)
    assert result.model is None
    problem = only_problem(result)
    assert "empty" in problem.message


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("- a\n- b\n", "a list"),
        ("42\n", "a number (42)"),
        ("just words\n", "a string ('just words')"),
        ("null\n", "nothing"),
        ("true\n", "a boolean"),
    ],
)
def test_top_level_not_a_mapping(text: str, what: str) -> None:
    result = load_model_text(text)
    assert result.model is None
    problem = only_problem(result)
    assert "expected a mapping" in problem.message
    assert what in problem.message
    assert problem.line == 1


def test_duplicate_block_ids() -> None:
    text = small("  - id: store\n    title: Store again\n    layer: ops\n")
    result = load_model_text(text)
    problem = only_problem(result)
    assert problem.path == "blocks[1]"
    assert problem.line == line_of(text, "id: store", 2)
    assert "duplicate block id 'store'" in problem.message
    assert f"first defined on line {line_of(text, 'id: store')}" in problem.message
    assert block_ids(result.model) == ["store", "deploy"]
    assert result.model.block_map["store"].title == "Store"


def test_duplicate_layer_and_aspect_and_step_ids() -> None:
    text = """\
    schema: 1
    id: m
    title: M
    layers: [{id: l, title: L}, {id: l, title: L2}]
    blocks: []
    constraint_aspects:
      - {id: cost, title: Cost}
      - {id: cost, title: Cost 2}
    process:
      steps:
        - {id: a, title: A}
        - {id: a, title: A again}
    """
    result = load(text)
    messages = sorted(p.message for p in result.problems)
    assert len(messages) == 3
    assert any("duplicate layer id 'l'" in m for m in messages)
    assert any("duplicate constraint aspect id 'cost'" in m for m in messages)
    assert any("duplicate step id 'a'" in m for m in messages)
    model = result.model
    assert model.layers == (Entry("l", "L"),)
    assert model.constraint_aspects == (Entry("cost", "Cost"),)
    assert model.process.steps == (Entry("a", "A"),)


@pytest.mark.parametrize(
    ("aliases", "owner", "path"),
    [
        ("[Store]", "store", "blocks[1].aliases[0]"),
        ("[STORE]", "store", "blocks[1].aliases[0]"),
        ("[deploy]", "deploy", "blocks[1].aliases[0]"),
        # aliases are first come, first served: the later block loses its own
        ("[rollout]", "clean", "blocks[2].aliases[0]"),
    ],
)
def test_alias_collisions(aliases: str, owner: str, path: str) -> None:
    text = small(f"  - id: clean\n    title: Clean\n    layer: data\n    aliases: {aliases}\n")
    result = load_model_text(text)
    problem = only_problem(result)
    assert problem.path == path
    needle = "aliases: " + aliases if path.startswith("blocks[1]") else "aliases: [Rollout]"
    assert problem.line == line_of(text, needle)
    assert f"already names block '{owner}'" in problem.message
    assert result.model.block_lookup.resolve(aliases.strip("[]")) == owner
    assert all(len(b.aliases) <= 1 for b in result.model.blocks)
    if path.startswith("blocks[1]"):
        assert result.model.block_map["clean"].aliases == ()


def test_null_document() -> None:
    result = load_model_text("---\n")
    assert result.model is None
    assert "got nothing (null)" in only_problem(result).message


def test_related_ids_that_do_not_exist() -> None:
    slot = "  - id: clean\n    title: Clean\n    layer: data\n    related:\n"
    slot += "      - stor\n      - deploy\n      - clean\n      - deploy\n"
    text = small(slot)
    result = load_model_text(text)
    assert [(p.path, p.line) for p in result.problems] == [
        ("blocks[1].related[0]", line_of(text, "- stor")),
        ("blocks[1].related[2]", line_of(text, "- clean")),
    ]
    assert "did you mean 'store'" in result.problems[0].message
    assert "itself" in result.problems[1].message
    assert result.model.block_map["clean"].related == ("deploy",)


def test_process_loop_with_unknown_step() -> None:
    tail = """\
process:
  title: P
  steps:
    - {id: frame, title: Frame}
    - {id: learn, title: Learn}
  loop:
    from: learn
    to: fram
"""
    text = small(tail=tail)
    result = load_model_text(text)
    problem = only_problem(result)
    assert problem.path == "process.loop.to"
    assert problem.line == line_of(text, "to: fram")
    assert "'fram'" in problem.message
    assert "'frame'" in problem.message
    process = result.model.process
    assert [s.id for s in process.steps] == ["frame", "learn"]
    assert (process.loop_from, process.loop_to, process.loop_label) == ("", "", "")


def test_process_loop_is_kept_when_valid() -> None:
    tail = (
        "process:\n  steps: [{id: a, title: A}, {id: b, title: B}]\n"
        "  loop: {from: b, to: a, label: again}\n"
    )
    result = load_model_text(small(tail=tail))
    assert result.problems == ()
    process = result.model.process
    assert (process.loop_from, process.loop_to, process.loop_label) == ("b", "a", "again")
    assert load_model_text(yaml.safe_dump(result.model.to_dict())).model == result.model


@pytest.mark.parametrize(
    "process",
    ["{steps: [5]}", "{steps: [{id: a}]}", "{steps: [{id: a, title: A}, 5], loop: {from: a}}"],
)
def test_bad_process_steps_with_extends(process: str) -> None:
    result = load_model_text(f"extends: default\nprocess: {process}\n")
    assert result.model is not None
    assert result.problems
    assert all(p.path.startswith("process") for p in result.problems)
    assert all(p.line == 2 for p in result.problems)


def test_several_problems_at_once() -> None:
    slot = "  - id: clean\n    title: Clean\n    layer: dta\n    related: [nothing]\n"
    text = small(slot, tail="colour: blue\n")
    result = load_model_text(text)
    paths = sorted(p.path for p in result.problems)
    assert paths == ["", "blocks[1].layer"]
    assert block_ids(result.model) == ["store", "deploy"]
