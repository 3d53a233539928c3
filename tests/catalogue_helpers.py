"""Helpers shared by the ``test_catalogue*`` modules.

Imported as ``from catalogue_helpers import ...``. Pure core only: no Sphinx here.
"""

from __future__ import annotations

import csv
import textwrap
from pathlib import Path
from typing import Any

import yaml

from sphinx_mlrefarch.catalogue import (
    Catalogue,
    CatalogueResult,
    default_catalogue_path,
    load_catalogue_text,
)
from sphinx_mlrefarch.model import Model, Problem, default_model

DATA = Path(__file__).parent / "data"


def load(
    text: str, model: Model | None = None, filename: str = "catalogue.yaml"
) -> CatalogueResult:
    """Load dedented ``text`` as a user's catalogue file (against the default model)."""
    return load_catalogue_text(textwrap.dedent(text), filename, model or default_model())


def only_problem(result: CatalogueResult) -> Problem:
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return result.problems[0]


def entry_ids(catalogue: Catalogue | None) -> list[str]:
    assert catalogue is not None
    return [p.id for p in catalogue.entries]


def raw_default() -> dict[str, Any]:
    """The shipped catalogue file as plain YAML data, before the loader sees it."""
    data = yaml.safe_load(default_catalogue_path().read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def facts() -> list[dict[str, str]]:
    """The rows of tests/data/sbb-facts.tsv (one per book row; Kedro appears twice)."""
    with (DATA / "sbb-facts.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [{k: (v or "").strip() for k, v in row.items()} for row in rows]


def check_result(result: CatalogueResult, filename: str = "<catalogue>") -> None:
    """Any input: a catalogue or problems, every problem a located sentence."""
    assert isinstance(result, CatalogueResult)
    assert result.catalogue is not None or result.problems
    for problem in result.problems:
        assert isinstance(problem.message, str) and problem.message
        assert problem.file == filename
        assert problem.line is None or problem.line >= 1
        assert isinstance(problem.path, str)


#: A small stand-alone catalogue for the default model; ``{slot}`` is entries[1].
SMALL = """\
schema: 1
id: small
title: Small catalogue
entries:
  - id: pandas
    name: pandas
    licence: BSD-3-Clause
    foss: true
    homepage: https://pandas.pydata.org
    blocks: [data-tools]
{slot}
  - id: postgres
    name: PostgreSQL
    aliases: [Postgres]
    licence: PostgreSQL
    foss: true
    blocks: [storage, data]
"""

GOOD_SLOT = """\
  - id: airflow
    name: Apache Airflow
    aliases: [Airflow]
    licence: Apache-2.0
    foss: true
    blocks: [development-tools]
"""


def small(slot: str = GOOD_SLOT, tail: str = "") -> str:
    return SMALL.format(slot=slot.rstrip("\n")) + tail
