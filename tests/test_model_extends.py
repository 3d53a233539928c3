"""Unit tests of ``extends: default``: adding, overriding, moving and removing.

Pure core only: no Sphinx here.
"""

from __future__ import annotations

import yaml
from model_helpers import BLOCKS, LAYERS, block_ids, line_of, load, only_problem, small

from sphinx_mlrefarch.model import default_model, load_model_text

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
