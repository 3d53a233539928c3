"""Unit tests of lookups, suggestions and ``expand``, and of a small standalone model.

Pure core only: no Sphinx here.
"""

from __future__ import annotations

import pytest
import yaml
from model_helpers import BLOCKS, block_ids, load, small

from sphinx_mlrefarch.model import (
    Block,
    Entry,
    Lookup,
    Problem,
    default_model,
    did_you_mean,
    format_path,
    load_model_text,
    slugify,
)

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


def test_suggestions_are_unique() -> None:
    model = default_model()
    suggestions = model.suggest_block_or_layer("dat")
    assert len(suggestions) == len(set(suggestions))
    assert "data" in suggestions


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
