"""Unit tests of the built-in SBB catalogue: entry by entry, and against the book's facts.

The facts checked are those of tests/data/sbb-facts.tsv (see tests/data/README.md).

Pure core only: no Sphinx here.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import jsonschema
import pytest
from catalogue_helpers import entry_ids, facts, raw_default
from model_helpers import BLOCKS

from sphinx_mlrefarch.catalogue import (
    catalogue_schema,
    default_catalogue,
    default_catalogue_path,
    load_catalogue,
    load_catalogue_text,
)
from sphinx_mlrefarch.model import default_model
from sphinx_mlrefarch.names import norm, slugify

RAW = raw_default()
ENTRIES: list[dict[str, Any]] = RAW["entries"]

# --------------------------------------------------------------------------
# The shipped data, entry by entry
# --------------------------------------------------------------------------


def test_default_catalogue_loads_without_problems() -> None:
    result = load_catalogue(None, default_model())
    assert result.problems == ()
    assert result.catalogue is default_catalogue()
    # nothing was fitted away: every shipped entry survives, whole
    assert entry_ids(result.catalogue) == [e["id"] for e in ENTRIES]
    assert [p.to_dict() for p in result.catalogue.entries] == ENTRIES
    assert len(ENTRIES) == 89


def test_default_catalogue_read_as_a_users_file_has_no_problems() -> None:
    # a user's file is checked loudly; the built-in one passes those checks too
    text = default_catalogue_path().read_text(encoding="utf-8")
    result = load_catalogue_text(text, "copy.yaml", default_model())
    assert result.problems == ()
    assert result.catalogue == default_catalogue()


def test_metadata_credits_the_source() -> None:
    catalogue = default_catalogue()
    assert catalogue.id == "foss-ml-catalogue"
    assert catalogue.title
    assert catalogue.source.author == "Maikel Mardjan"
    assert catalogue.source.licence == "CC BY-SA 4.0"
    assert catalogue.source.url == "https://nocomplexity.com/documents/fossml/"
    assert set(RAW) == {"schema", "id", "title", "version", "source", "description", "entries"}


def test_the_whole_file_is_valid_against_the_schema() -> None:
    schema = catalogue_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    assert list(cls(schema).iter_errors(RAW)) == []


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_every_entry_is_a_complete_valid_entry(entry: dict[str, Any]) -> None:
    schema = catalogue_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    # alone in a stand-alone catalogue, where every entry must be complete
    alone = {"schema": 1, "id": "one", "title": "One", "entries": [entry]}
    assert [e.message for e in validator.iter_errors(alone)] == []
    assert {"id", "name", "licence", "foss", "blocks", "summary"} <= set(entry)
    assert entry["blocks"] and set(entry["blocks"]) <= set(BLOCKS)
    assert len(set(entry["blocks"])) == len(entry["blocks"])
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.+-]*", entry["licence"])
    summary = entry["summary"]
    assert summary.endswith(".") and ". " not in summary, "one sentence"
    assert summary[0].isupper() and len(summary) <= 180


def test_schema_rejects_what_the_entries_must_not_be() -> None:
    # positive controls for the per-entry test above
    schema = catalogue_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    good = dict(ENTRIES[0])
    for bad in (
        {k: v for k, v in good.items() if k != "foss"},
        {**good, "licence": "Apache License 2.0"},
        {**good, "homepage": "aider.chat"},
        {**good, "blocks": []},
        {**good, "id": "Aider"},
        {**good, "language": "Python"},
    ):
        alone = {"schema": 1, "id": "one", "title": "One", "entries": [bad]}
        assert list(validator.iter_errors(alone)), bad


def test_licences_are_spdx_ids_or_other() -> None:
    licenses = pytest.importorskip("packaging.licenses")
    for entry in ENTRIES:
        licence = entry["licence"]
        if licence == "other":
            assert entry["foss"] is False, entry["id"]
            continue
        assert licenses.canonicalize_license_expression(licence) == licence, entry["id"]
        assert " " not in licence  # one id, not an expression


def test_ids_names_and_aliases_are_unique_ignoring_case() -> None:
    owner: dict[str, str] = {}
    for entry in ENTRIES:
        assert entry["id"] == slugify(entry["id"])
        for spelling in {norm(s) for s in (entry["id"], entry["name"], *entry.get("aliases", []))}:
            assert owner.setdefault(spelling, entry["id"]) == entry["id"], spelling
    repositories = [e["repository"] for e in ENTRIES if "repository" in e]
    assert [r for r, n in Counter(repositories).items() if n > 1] == []


def test_every_spelling_resolves_to_its_own_entry() -> None:
    catalogue = default_catalogue()
    for product in catalogue.entries:
        for spelling in (product.id, product.name, *product.aliases):
            assert catalogue.resolve(spelling) is product
            assert catalogue.resolve(spelling.upper()) is product
            assert catalogue.resolve(f"  {spelling.lower()} ") is product


# --------------------------------------------------------------------------
# The shipped data against the book's facts
# --------------------------------------------------------------------------

#: The book's licence wording and the SPDX ids it can stand for.
SPDX_OF = {
    "Apache License 2.0": {"Apache-2.0"},
    "MIT License": {"MIT"},
    'BSD 3-Clause "New" or "Revised" License': {"BSD-3-Clause"},
    "Boost Software License 1.0": {"BSL-1.0"},
    "GNU Lesser General Public License v2.1": {"LGPL-2.1-only", "LGPL-2.1-or-later"},
    "GNU General Public License v3.0": {"GPL-3.0-only", "GPL-3.0-or-later"},
}

#: Deliberate departures from the book's rows, each for a stated reason.
HOMEPAGE_FIXED = {
    "garak": "https://garak.ai",  # the book gives a chat invitation
    "deepface": "",  # the book gives a URL shortener; the repository is the home
    "wordllama": "",  # the book gives the placeholder "None"
    "pytorch": "https://pytorch.org",  # the book's row is empty
    "tensorflow": "https://www.tensorflow.org",  # the book's row is empty
}
REPOSITORY_ADDED = {
    "pytorch": "https://github.com/pytorch/pytorch",
    "tensorflow": "https://github.com/tensorflow/tensorflow",
}
#: Open WebUI added a branding clause to BSD-3-Clause in release 0.6.6.
LICENCE_FIXED = {"openwebui": "other"}

#: Products the reference chapter names (besides the book's software catalogue).
CHAPTER = [
    "Jupyter Notebook",
    "Python",
    "TensorFlow",
    "PyTorch",
    "Docker",
    "Kubernetes",
    "LXD",
    "FreeBSD jails",
    "Hadoop",
    "Riak KV",
    "Raspberry Pi",
]


def test_facts_file_has_eighty_products() -> None:
    rows = facts()
    slugs = [row["slug"] for row in rows]
    assert len(rows) == 81
    assert [s for s, n in Counter(slugs).items() if n > 1] == ["kedro"]


@pytest.mark.parametrize("row", facts(), ids=[r["slug"] for r in facts()])
def test_every_book_product_is_present_with_its_facts(row: dict[str, str]) -> None:
    catalogue = default_catalogue()
    slug = row["slug"]
    product = catalogue.by_id.get(slugify(slug))
    assert product is not None, slug
    assert catalogue.resolve(slug) is product  # the book's spelling resolves too
    assert product.name == row["name"]
    assert product.homepage == HOMEPAGE_FIXED.get(slug, row["homepage"])
    assert product.repository == REPOSITORY_ADDED.get(slug, row["repository"])
    if slug in LICENCE_FIXED:
        assert product.licence == LICENCE_FIXED[slug]
        assert product.licence not in SPDX_OF.get(row["licence"], set())
    elif row["licence"] in SPDX_OF:
        assert product.licence in SPDX_OF[row["licence"]]
    else:  # "Other" or empty: looked up in the project's licence file
        assert row["licence"] in ("Other", "")
        assert product.licence != "other"
    assert product.foss is (slug not in LICENCE_FIXED)


def test_chapter_products_are_present() -> None:
    catalogue = default_catalogue()
    book = {slugify(row["slug"]) for row in facts()}
    found = [catalogue.resolve(name) for name in CHAPTER]
    assert None not in found
    added = [p.id for p in catalogue.entries if p.id not in book]
    assert len(book) == 80
    assert len(added) == 9
    assert set(added) <= {p.id for p in found if p is not None}
    assert [p.id for p in catalogue.entries if not p.foss] == ["openwebui", "raspberry-pi"]
