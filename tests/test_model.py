"""Unit tests of the reference model: loading, validation, extends, lookups.

Pure core only: no Sphinx here.
"""

from __future__ import annotations

import itertools
import pickle
import tempfile
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_mlrefarch.model import (
    MAX_NODES,
    Block,
    Entry,
    LoadResult,
    Lookup,
    Model,
    Problem,
    default_model,
    default_model_path,
    did_you_mean,
    format_path,
    load_model,
    load_model_text,
    model_schema,
    slugify,
)

# --------------------------------------------------------------------------
# Facts of MODEL-FACTS.md
# --------------------------------------------------------------------------

LAYERS = ["business", "data", "development", "infrastructure", "quality"]

BLOCKS_BY_LAYER: dict[str, list[tuple[str, str]]] = {
    "business": [
        ("business-processes", "Business Processes"),
        ("business-services", "Business Services"),
        ("business-functions", "Business Functions"),
        ("people-skills-culture", "People, Skills and Culture"),
        ("business-organization", "Business Organization"),
        ("partners", "Partners"),
        ("risk-management", "Risk Management"),
    ],
    "data": [("data", "Data"), ("data-tools", "Data Tools")],
    "development": [
        ("development-tools", "Development Tools"),
        ("ml-frameworks", "Machine Learning Frameworks"),
        ("programming-tools", "Programming Tools"),
    ],
    "infrastructure": [
        ("hosting", "Hosting"),
        ("containers", "Containers"),
        ("compute", "GPU, CPU or TPU"),
        ("storage", "Storage"),
        ("networking", "Networking"),
    ],
    "quality": [("security", "Security"), ("privacy", "Privacy"), ("safety", "Safety")],
}
BLOCKS = [bid for layer in LAYERS for bid, _ in BLOCKS_BY_LAYER[layer]]
ASPECTS = [
    "business",
    "information",
    "frameworks",
    "hosting",
    "security",
    "maintenance",
    "scalability",
]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def load(text: str, filename: str = "model.yaml") -> LoadResult:
    return load_model_text(textwrap.dedent(text), filename)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based number of the ``nth`` line of ``text`` (dedented) containing ``needle``."""
    found = 0
    for number, line in enumerate(textwrap.dedent(text).splitlines(), start=1):
        if needle in line:
            found += 1
            if found == nth:
                return number
    raise AssertionError(f"{needle!r} not in text")


def block_ids(model: Model | None) -> list[str]:
    assert model is not None
    return [b.id for b in model.blocks]


def only_problem(result: LoadResult) -> Problem:
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return result.problems[0]


#: A small standalone model; blocks[1] is the slot the bad-entry tests replace.
SMALL = """\
schema: 1
id: small
title: Small model
layers:
  - id: data
    title: Data
  - id: ops
    title: Operations
blocks:
  - id: store
    title: Store
    layer: data
    summary: Keeps the data.
    questions:
      - Where is the data kept?
{slot}
  - id: deploy
    title: Deploy
    layer: ops
    aliases: [Rollout]
    related: [store]
"""

GOOD_SLOT = """\
  - id: clean
    title: Clean
    layer: data
"""


def small(slot: str = GOOD_SLOT, tail: str = "") -> str:
    return SMALL.format(slot=slot.rstrip("\n")) + tail


# --------------------------------------------------------------------------
# The built-in model
# --------------------------------------------------------------------------


def test_default_model_loads_without_problems() -> None:
    result = load_model(None)
    assert result.problems == ()
    assert result.model is not None
    assert result.model == default_model()
    from_file = load_model(default_model_path())
    assert from_file.problems == ()
    assert from_file.model == default_model()


def test_default_model_layers_in_order() -> None:
    model = default_model()
    assert [layer.id for layer in model.layers] == LAYERS
    titles = {layer.id: layer.title for layer in model.layers}
    assert titles["business"] == "Business"
    assert titles["quality"] == "Security, Privacy and Safety"
    assert all(layer.description.strip() for layer in model.layers)


def test_default_model_blocks_in_table_order() -> None:
    model = default_model()
    assert len(model.blocks) == 20
    assert block_ids(model) == BLOCKS
    for layer in LAYERS:
        got = [(b.id, b.title) for b in model.blocks_of_layer(layer)]
        assert got == BLOCKS_BY_LAYER[layer]


def test_default_model_block_content() -> None:
    for block in default_model().blocks:
        assert 3 <= len(block.questions) <= 6, block.id
        assert len(set(block.questions)) == len(block.questions), block.id
        assert all(q.strip().endswith("?") for q in block.questions), block.id
        assert block.summary.strip(), block.id
        assert block.description.strip(), block.id
        assert len(block.description) > len(block.summary), block.id


def test_default_model_related_ids_exist() -> None:
    model = default_model()
    ids = set(BLOCKS)
    for block in model.blocks:
        assert set(block.related) <= ids, block.id
        assert block.id not in block.related


def test_default_model_aliases_of_compute() -> None:
    model = default_model()
    assert model.block_map["compute"].aliases == ("gpu-cpu-tpu", "gpu")
    assert [b.id for b in model.blocks if b.aliases] == ["compute"]


def test_default_model_constraint_aspects() -> None:
    assert [a.id for a in default_model().constraint_aspects] == ASPECTS


def test_default_model_hosting_values() -> None:
    hosting = default_model().hosting
    assert [e.id for e in hosting.environments] == ["development", "training", "production"]
    assert [e.id for e in hosting.compute] == ["cpu", "gpu", "tpu"]
    assert [e.id for e in hosting.platforms] == ["on-premise", "cloud", "hybrid", "edge"]
    assert len(hosting.elements) == 5
    assert len(hosting.concerns) == 3


def test_default_model_source_credit() -> None:
    source = default_model().source
    assert source.title == "Free and Open Machine Learning"
    assert source.author == "Maikel Mardjan"
    assert source.licence == "CC BY-SA 4.0"
    assert source.url.startswith("https://")


def test_default_model_principles_process_questions() -> None:
    model = default_model()
    kinds = [p.kind for p in model.principles]
    assert kinds.count("architecture") == 5
    business = [p.title for p in model.principles if p.kind == "business"]
    assert business == [
        "Collaborate",
        "Avoid unfair bias",
        "Build and test for safety",
        "Privacy by design",
    ]
    for principle in model.principles:
        if principle.kind == "business":
            assert principle.statement and principle.rationale and principle.implications
    steps = [s.id for s in model.process.steps]
    assert len(steps) == 6
    assert (model.process.loop_from, model.process.loop_to) == ("validate-improve", "collect-data")
    assert steps.index(model.process.loop_to) < steps.index(model.process.loop_from)
    assert len(model.first_questions) == 4


def test_default_model_file_validates_against_schema() -> None:
    data = yaml.safe_load(default_model_path().read_text("utf-8"))
    jsonschema.validate(data, model_schema())
    jsonschema.validate(default_model().to_dict(), model_schema())


def test_model_schema_is_a_valid_schema() -> None:
    schema = model_schema()
    jsonschema.validators.validator_for(schema).check_schema(schema)
    assert schema["additionalProperties"] is False


def test_default_model_round_trips_through_yaml() -> None:
    model = default_model()
    again = load_model_text(yaml.safe_dump(model.to_dict()))
    assert again.problems == ()
    assert again.model == model
    assert again.model.to_dict() == model.to_dict()


def test_model_pickles_and_rebuilds_lookups() -> None:
    model = default_model()
    assert model.block_lookup.resolve("gpu") == "compute"  # fills the cache
    copy = pickle.loads(pickle.dumps(model))
    assert copy == model
    assert copy.block_lookup.resolve("GPU") == "compute"
    assert "_block_lookup" not in model.__getstate__()


# --------------------------------------------------------------------------
# Lookups, suggestions, expand
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("data-tools", "data-tools"),
        ("Data Tools", "data-tools"),
        ("DATA TOOLS", "data-tools"),
        ("  data   tools ", "data-tools"),
        ("gpu", "compute"),
        ("GPU-CPU-TPU", "compute"),
        ("gpu, cpu or tpu", "compute"),
        ("Machine learning frameworks", "ml-frameworks"),
        ("people, skills and culture", "people-skills-culture"),
        ("Networking", "networking"),
        ("feature-store", None),
        ("", None),
    ],
)
def test_block_lookup(ref: str, expected: str | None) -> None:
    assert default_model().block_lookup.resolve(ref) == expected


def test_other_lookups() -> None:
    model = default_model()
    assert model.layer_lookup.resolve("security, privacy and safety") == "quality"
    assert model.layer_lookup.resolve("INFRASTRUCTURE") == "infrastructure"
    assert model.aspect_lookup.resolve("Scalability") == "scalability"
    assert model.hosting_lookup("environments").resolve("Production") == "production"
    assert model.hosting_lookup("compute").resolve("TPU") == "tpu"
    assert model.hosting_lookup("platforms").resolve("On-Premise") == "on-premise"
    assert model.hosting_lookup("environments").resolve("staging") is None
    assert model.hosting_lookup("environments").ids == ("development", "training", "production")


def test_suggestions() -> None:
    model = default_model()
    assert model.block_lookup.suggest("data-tool")[0] == "data-tools"
    assert model.block_lookup.suggest("netwrking") == ["networking"]
    assert model.block_lookup.suggest("Containr") == ["containers"]
    assert model.block_lookup.suggest("zzzzqqqq") == []
    assert len(model.block_lookup.suggest("business")) <= 3
    assert "infrastructure" in model.suggest_block_or_layer("infrastucture")
    assert model.aspect_lookup.suggest("securty") == ["security"]


def test_lookup_first_name_wins() -> None:
    lookup = Lookup([Entry("a", "Same"), Entry("b", "same")])
    assert lookup.resolve("SAME") == "a"
    assert lookup.ids == ("a", "b")


def test_did_you_mean_text() -> None:
    assert did_you_mean(["a"]) == "; did you mean 'a'?"
    assert did_you_mean(["a", "b"]) == "; did you mean 'a' or 'b'?"
    assert did_you_mean([], ["x", "y"]) == "; expected one of 'x', 'y'"
    many = [f"v{i}" for i in range(30)]
    assert did_you_mean([], many).endswith("'v24', ...")
    assert did_you_mean([], []) == ""


def test_expand_all_layers_blocks() -> None:
    model = default_model()
    assert model.expand(["all"]) == (BLOCKS, [])
    assert model.expand(["ALL"]) == (BLOCKS, [])
    assert model.expand(["infrastructure"]) == (
        ["hosting", "containers", "compute", "storage", "networking"],
        [],
    )
    # model order, not argument order; duplicates collapse
    assert model.expand(["safety", "business-processes", "gpu", "Compute"]) == (
        ["business-processes", "compute", "safety"],
        [],
    )
    assert model.expand(["Security, Privacy and Safety", "Data Tools"]) == (
        ["data-tools", "security", "privacy", "safety"],
        [],
    )
    assert model.expand(["nope", "storage", "Nope2"]) == (["storage"], ["nope", "Nope2"])
    assert model.expand([]) == ([], [])


def test_slugify_and_format_path() -> None:
    assert slugify("Customer churn prediction") == "customer-churn-prediction"
    assert slugify("  Ünïcode Café!! ") == "unicode-cafe"
    assert slugify("--a__b--") == "a-b"
    assert slugify("日本") == ""
    assert format_path(("blocks", 3, "layer")) == "blocks[3].layer"
    assert format_path(("process", "loop", "to")) == "process.loop.to"
    assert format_path((2,)) == "[2]"
    assert format_path(()) == ""


def test_problem_location_and_str() -> None:
    problem = Problem("bad", "m.yaml", 3, "blocks[0].layer")
    assert problem.location == "m.yaml:3"
    assert str(problem) == "m.yaml:3: blocks[0].layer: bad"
    assert Problem("bad", "m.yaml").location == "m.yaml"
    assert str(Problem("bad")) == "bad"


# --------------------------------------------------------------------------
# A small standalone model
# --------------------------------------------------------------------------


def test_small_model_loads() -> None:
    result = load(small())
    assert result.problems == ()
    model = result.model
    assert model is not None
    assert (model.id, model.title) == ("small", "Small model")
    assert block_ids(model) == ["store", "clean", "deploy"]
    assert model.block_map["deploy"] == Block(
        id="deploy", title="Deploy", layer="ops", aliases=("Rollout",), related=("store",)
    )
    assert model.block_lookup.resolve("rollout") == "deploy"
    assert model.constraint_aspects == ()
    assert model.hosting.environments == ()
    again = load_model_text(yaml.safe_dump(model.to_dict()))
    assert again.problems == () and again.model == model


def test_blocks_are_grouped_in_layer_order() -> None:
    text = """\
    schema: 1
    id: m
    title: M
    layers: [{id: one, title: One}, {id: two, title: Two}]
    blocks:
      - {id: b2, title: B2, layer: two}
      - {id: a1, title: A1, layer: one}
      - {id: b1, title: B1, layer: two}
      - {id: a2, title: A2, layer: one}
    """
    assert block_ids(load(text).model) == ["a1", "a2", "b2", "b1"]


def test_hosting_values_as_plain_ids() -> None:
    text = """\
    schema: 1
    id: m
    title: M
    layers: []
    blocks: []
    hosting:
      environments: [dev-box, production]
      compute: [{id: fpga, title: FPGA, description: Field-programmable}]
    """
    result = load(text)
    assert result.problems == ()
    hosting = result.model.hosting
    assert hosting.environments == (Entry("dev-box", "Dev box"), Entry("production", "Production"))
    assert hosting.compute == (Entry("fpga", "FPGA", "Field-programmable"),)
    assert load_model_text(yaml.safe_dump(result.model.to_dict())).model == result.model


def test_anchors_and_aliases_are_allowed() -> None:
    text = """\
    schema: 1
    id: m
    title: M
    layers: [{id: l, title: L}]
    blocks:
      - id: a
        title: A
        layer: l
        questions: &qs ['Who?', 'What?', 'Why?']
      - id: b
        title: B
        layer: l
        questions: *qs
    """
    result = load(text)
    assert result.problems == ()
    assert result.model.block_map["b"].questions == ("Who?", "What?", "Why?")


def test_numeric_version_becomes_text() -> None:
    text = "schema: 1\nid: m\ntitle: M\nversion: 2.5\nlayers: []\nblocks: []\n"
    result = load_model_text(text)
    assert result.problems == ()
    assert result.model.version == "2.5"


# --------------------------------------------------------------------------
# extends: default
# --------------------------------------------------------------------------

CUSTOM = """\
extends: default
id: acme-ml
title: ACME ML reference
blocks:
  - id: feature-store
    title: Feature Store
    layer: data
    summary: One curated store of features for training and serving.
    description: Features are computed once and served to training and inference alike.
    questions:
      - Which features are shared between models?
      - How are features kept consistent between training and serving?
      - Who owns a feature?
    aliases: [features]
    related: [data, networking, data-tools]
  - id: data-tools
    summary: Overridden summary.
remove:
  - networking
  - quality
"""


def test_extends_default_adds_overrides_removes() -> None:
    base = default_model()
    result = load(CUSTOM)
    assert result.problems == ()
    model = result.model
    assert model is not None
    assert (model.id, model.title) == ("acme-ml", "ACME ML reference")
    assert model.source == base.source
    assert [layer.id for layer in model.layers] == [
        "business",
        "data",
        "development",
        "infrastructure",
    ]
    assert [b.id for b in model.blocks_of_layer("data")] == ["data", "data-tools", "feature-store"]
    removed = {"networking", "security", "privacy", "safety"}
    kept = [b for b in BLOCKS if b not in removed]
    assert block_ids(model) == [*kept[:9], "feature-store", *kept[9:]]
    # an override changes only the fields it gives
    tools = model.block_map["data-tools"]
    assert tools.summary == "Overridden summary."
    assert tools.title == "Data Tools"
    assert tools.questions == base.block_map["data-tools"].questions
    assert tools.description == base.block_map["data-tools"].description
    # the new block is complete and resolvable
    store = model.block_map["feature-store"]
    assert store.layer == "data"
    assert len(store.questions) == 3
    assert model.block_lookup.resolve("Features") == "feature-store"
    assert model.block_lookup.resolve("feature store") == "feature-store"
    # related ids pointing to removed blocks disappear without a problem
    assert store.related == ("data", "data-tools")
    ids = set(block_ids(model))
    for block in model.blocks:
        assert set(block.related) <= ids, block.id
    # the untouched parts of the default model are still there
    assert model.constraint_aspects == base.constraint_aspects
    assert model.hosting == base.hosting
    assert model.process == base.process


def test_removed_blocks_were_related_in_default() -> None:
    """Guards the previous test: the default model does relate to removed blocks."""
    base = default_model()
    removed = {"networking", "security", "privacy", "safety"}
    pointing = [b.id for b in base.blocks if removed & set(b.related) and b.id not in removed]
    assert pointing
    model = load(CUSTOM).model
    for block_id in pointing:
        kept = [r for r in base.block_map[block_id].related if r not in removed]
        assert model.block_map[block_id].related == tuple(kept)


def test_extends_round_trips() -> None:
    model = load(CUSTOM).model
    again = load_model_text(yaml.safe_dump(model.to_dict()))
    assert again.problems == ()
    assert again.model == model


def test_extends_moves_block_and_adds_layer() -> None:
    text = """\
    extends: default
    layers:
      - id: operations
        title: Operations
      - id: quality
        title: Quality
    blocks:
      - id: storage
        layer: data
      - id: model-monitoring
        title: Model Monitoring
        layer: operations
    """
    result = load(text)
    assert result.problems == ()
    model = result.model
    assert [layer.id for layer in model.layers] == [*LAYERS, "operations"]
    assert model.layer_lookup.resolve("quality") == "quality"
    assert [layer.title for layer in model.layers][4] == "Quality"
    assert [b.id for b in model.blocks_of_layer("data")] == ["data", "data-tools", "storage"]
    assert block_ids(model)[-1] == "model-monitoring"
    assert "storage" not in [b.id for b in model.blocks_of_layer("infrastructure")]


def test_extends_only_changes_nothing_else() -> None:
    result = load_model_text("extends: default\n")
    assert result.problems == ()
    assert result.model == default_model()


def test_extends_new_block_without_layer() -> None:
    text = """\
    extends: default
    blocks:
      - id: ok-block
        title: OK
        layer: data
      - id: no-layer
        title: No layer
    """
    result = load(text)
    problem = only_problem(result)
    assert problem.path == "blocks[1]"
    assert problem.line == line_of(text, "id: no-layer")
    assert "needs 'layer'" in problem.message
    assert "ok-block" in block_ids(result.model)
    assert "no-layer" not in block_ids(result.model)


def test_remove_unknown_id() -> None:
    text = """\
    extends: default
    remove:
      - storage
      - netwrking
    """
    result = load(text)
    problem = only_problem(result)
    assert problem.path == "remove[1]"
    assert problem.line == line_of(text, "netwrking")
    assert "netwrking" in problem.message
    assert "did you mean 'networking'" in problem.message
    ids = block_ids(result.model)
    assert "networking" in ids
    assert "storage" not in ids


def test_remove_without_extends() -> None:
    text = small(tail="remove: [store]\n")
    result = load_model_text(text)
    problem = only_problem(result)
    assert problem.path == "remove"
    assert problem.line == line_of(text, "remove:")
    assert "extends" in problem.message
    assert "store" in block_ids(result.model)


def test_remove_a_layer_drops_its_blocks() -> None:
    model = load_model_text("extends: default\nremove: [business]\n").model
    assert model is not None
    assert [layer.id for layer in model.layers] == LAYERS[1:]
    assert block_ids(model) == BLOCKS[7:]


def test_extends_unknown_value() -> None:
    result = load_model_text("extends: mine\nid: m\ntitle: M\nlayers: []\nblocks: []\n")
    problem = only_problem(result)
    assert problem.path == "extends"
    assert problem.line == 1
    assert "'default'" in problem.message


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


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------


def test_load_model_from_file_and_cache(tmp_path: Path) -> None:
    file = tmp_path / "model.yaml"
    file.write_text(small(), encoding="utf-8")
    first = load_model(file)
    assert first.problems == ()
    assert load_model(str(file)) is first
    file.write_text(small(tail="titel: x\n"), encoding="utf-8")
    second = load_model(file)
    assert second is not first
    problem = only_problem(second)
    assert problem.file == str(file)
    assert problem.location == f"{file}:{line_of(small(tail='titel: x'), 'titel')}"


def test_load_model_missing_or_unreadable(tmp_path: Path) -> None:
    missing = load_model(tmp_path / "nope.yaml")
    assert missing.model is None
    assert "cannot read" in only_problem(missing).message
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    result = load_model(binary)
    assert result.model is None
    assert "cannot read" in only_problem(result).message
    assert only_problem(result).file == str(binary)


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


def test_two_blocks_with_one_title_are_reported() -> None:
    text = (
        "extends: default\nblocks:\n  - id: feature-store\n    title: Data Tools\n    layer: data\n"
    )
    result = load_model_text(text, "m.yaml")
    assert result.model is not None
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.path == "blocks[0].title"
    assert problem.line == 4
    assert "already names block 'data-tools'" in problem.message
    assert result.model.block_lookup.resolve("Data Tools") == "data-tools"


def test_suggestions_are_unique() -> None:
    model = default_model()
    suggestions = model.suggest_block_or_layer("dat")
    assert len(suggestions) == len(set(suggestions))
    assert "data" in suggestions
