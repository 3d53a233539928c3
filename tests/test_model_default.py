"""Unit tests of the built-in reference model and of loading a model from a file.

The facts checked are those of MODEL-FACTS.md.

Pure core only: no Sphinx here.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import jsonschema
import yaml
from model_helpers import (
    ASPECTS,
    BLOCKS,
    BLOCKS_BY_LAYER,
    LAYERS,
    block_ids,
    line_of,
    only_problem,
    small,
)

from sphinx_mlrefarch.model import (
    default_model,
    default_model_path,
    load_model,
    load_model_text,
    model_schema,
)

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
