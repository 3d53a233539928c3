"""Facts of MODEL-FACTS.md and helpers shared by the ``test_model_*`` modules.

Imported as ``from model_helpers import ...``. Pure core only: no Sphinx here.
"""

from __future__ import annotations

import textwrap

from sphinx_mlrefarch.model import LoadResult, Model, Problem, load_model_text

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
