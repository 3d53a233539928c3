"""Unit tests of the SBB catalogue's look-ups, tailoring with ``extends``, file form and caching.

Pure core only: no Sphinx here.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
import yaml
from catalogue_helpers import entry_ids, load, only_problem, small
from model_helpers import line_of

from sphinx_mlrefarch.catalogue import (
    Catalogue,
    Product,
    default_catalogue,
    load_catalogue,
    load_catalogue_text,
)
from sphinx_mlrefarch.model import Model, default_model, load_model_text

# --------------------------------------------------------------------------
# Look-ups
# --------------------------------------------------------------------------


def _id(catalogue: Catalogue, name: str) -> str | None:
    product = catalogue.resolve(name)
    return product.id if product is not None else None


def test_resolve_by_id_name_or_alias_in_any_case() -> None:
    catalogue = default_catalogue()
    assert catalogue.resolve("scikit-learn") is catalogue.by_id["scikit-learn"]
    assert catalogue.resolve("SKLEARN") is catalogue.by_id["scikit-learn"]
    assert _id(catalogue, "k8s") == "kubernetes"
    assert _id(catalogue, "Data  Version\tControl") == "datascienceversioncontrol-dvc"
    assert _id(catalogue, "mlperf(tm)") == "mlperf-tm"
    assert catalogue.resolve("pandas") is None
    assert catalogue.resolve("") is None


def test_suggest_offers_the_close_spellings() -> None:
    catalogue = default_catalogue()
    assert catalogue.suggest("sklern") == ["sklearn"]
    assert catalogue.suggest("pytorh")[0] == "PyTorch"
    assert catalogue.suggest("Vowpal Wabit") == ["Vowpal Wabbit"]
    assert catalogue.suggest("kubernets") == ["Kubernetes"]
    for name in catalogue.suggest("tensorflo"):
        assert catalogue.resolve(name) is not None
    assert catalogue.suggest("zzzzzz") == []
    assert len(catalogue.suggest("ray")) <= 3


def test_for_block_in_catalogue_order() -> None:
    catalogue = default_catalogue()
    assert [p.id for p in catalogue.for_block("containers")] == [
        "docker",
        "kubernetes",
        "lxd",
        "freebsd-jails",
    ]
    assert [p.id for p in catalogue.for_block("programming-tools")] == ["python"]
    assert catalogue.for_block("networking") == ()
    assert catalogue.for_block("no-such-block") == ()
    frameworks = catalogue.for_block("ml-frameworks")
    order = entry_ids(catalogue)
    assert [p.id for p in frameworks] == sorted((p.id for p in frameworks), key=order.index)
    assert len(frameworks) > 40


# --------------------------------------------------------------------------
# extends: default
# --------------------------------------------------------------------------

CUSTOM = """\
extends: default
title: ACME approved products
source:
  author: ACME architecture office
entries:
  - id: ray
    summary: Our cluster runtime.
  - id: kubernetes
    blocks: [hosting]
    aliases: [K8s, kube]
  - id: pandas
    name: pandas
    licence: BSD-3-Clause
    foss: true
    homepage: https://pandas.pydata.org
    blocks: [data-tools]
    summary: Data frames for Python.
  - id: databricks
    name: Databricks
    licence: other
    foss: false
    blocks: [hosting, data-tools]
remove: [openwebui, raspberry-pi]
"""


def test_extends_overrides_adds_and_removes() -> None:
    base = default_catalogue()
    result = load(CUSTOM)
    assert result.problems == ()
    catalogue = result.catalogue
    assert catalogue is not None
    assert (catalogue.id, catalogue.title) == (base.id, "ACME approved products")
    assert catalogue.version == base.version
    assert catalogue.source.author == "ACME architecture office"
    assert catalogue.source.url == base.source.url
    # removed ids are gone; new ids come last, in file order; the rest keep their place
    kept = [i for i in entry_ids(base) if i not in ("openwebui", "raspberry-pi")]
    assert entry_ids(catalogue) == [*kept, "pandas", "databricks"]
    # an override changes only the fields it gives (a list replaces the list)
    ray = catalogue.by_id["ray"]
    assert ray.summary == "Our cluster runtime."
    assert ray.blocks == base.by_id["ray"].blocks
    assert ray.licence == base.by_id["ray"].licence
    kube = catalogue.by_id["kubernetes"]
    assert kube.blocks == ("hosting",)
    assert catalogue.resolve("kube") is kube
    assert [p.id for p in catalogue.for_block("containers")] == ["docker", "lxd", "freebsd-jails"]
    assert catalogue.by_id["databricks"].foss is False
    assert catalogue.resolve("raspberry pi") is None


def test_extends_with_nothing_is_the_default() -> None:
    result = load("extends: default\n")
    assert result.problems == ()
    assert result.catalogue == default_catalogue()


def test_stand_alone_catalogue_has_only_its_own_entries() -> None:
    result = load(small())
    assert result.problems == ()
    catalogue = result.catalogue
    assert entry_ids(catalogue) == ["pandas", "airflow", "postgres"]
    assert catalogue is not None
    assert catalogue.resolve("ray") is None
    assert catalogue.source.title == ""


# --------------------------------------------------------------------------
# The built-in entries meet a tailored model quietly; the user's do not
# --------------------------------------------------------------------------


def _without_containers() -> Model:
    result = load_model_text("extends: default\nremove: [containers, networking]\n", "m.yaml")
    assert result.problems == () and result.model is not None
    return result.model


def test_builtin_entries_are_fitted_to_a_tailored_model_quietly() -> None:
    model = _without_containers()
    result = load_catalogue(None, model)
    assert result.problems == ()
    catalogue = result.catalogue
    assert catalogue is not None
    gone = {"docker", "lxd", "freebsd-jails"}  # their only block was containers
    assert entry_ids(catalogue) == [i for i in entry_ids(default_catalogue()) if i not in gone]
    assert catalogue.by_id["kubernetes"].blocks == ("hosting",)
    for product in catalogue.entries:
        assert set(product.blocks) <= set(model.block_map)
    # an extends file that does not touch them is just as quiet
    assert load("extends: default\n", model).catalogue == catalogue


def test_users_entries_meet_the_tailored_model_with_problems() -> None:
    text = """\
    extends: default
    entries:
      - id: kubernetes
        summary: Still hosting.
      - id: docker
        summary: Left out, and the user hears of it.
      - id: podman
        name: Podman
        licence: Apache-2.0
        foss: true
        blocks: [containers, hosting]
      - id: lxd
        blocks: [containers]
    """
    result = load(text, _without_containers(), "c.yaml")
    found = {(p.path, p.line) for p in result.problems}
    assert found == {
        ("entries[1]", line_of(text, "id: docker")),
        ("entries[2].blocks[0]", line_of(text, "blocks: [containers, hosting]")),
        ("entries[3].blocks[0]", line_of(text, "blocks: [containers]")),
        ("entries[3].blocks", line_of(text, "blocks: [containers]")),
    }
    messages = {p.path: p.message for p in result.problems}
    assert "'docker' is left out" in messages["entries[1]"]
    assert "give it 'blocks'" in messages["entries[1]"]
    assert "'containers', which the model does not have" in messages["entries[2].blocks[0]"]
    catalogue = result.catalogue
    assert catalogue is not None
    assert catalogue.by_id["podman"].blocks == ("hosting",)
    assert catalogue.by_id["kubernetes"].summary == "Still hosting."
    assert "docker" not in catalogue.by_id and "lxd" not in catalogue.by_id


# --------------------------------------------------------------------------
# File form, pickling, caching
# --------------------------------------------------------------------------


@pytest.mark.parametrize("model", [None, "tailored"])
def test_to_dict_round_trips_through_yaml_and_json(model: str | None) -> None:
    the_model = _without_containers() if model else default_model()
    catalogue = default_catalogue(the_model)
    for text in (yaml.safe_dump(catalogue.to_dict()), json.dumps(catalogue.to_dict())):
        again = load_catalogue_text(text, "again.yaml", the_model)
        assert again.problems == ()
        assert again.catalogue == catalogue
    custom = load(CUSTOM).catalogue
    assert custom is not None
    assert load(yaml.safe_dump(custom.to_dict())).catalogue == custom


def test_catalogue_pickles_without_its_lookups() -> None:
    catalogue = load(CUSTOM).catalogue
    assert catalogue is not None
    before = pickle.dumps(catalogue)
    assert catalogue.resolve("kube") is not None
    assert catalogue.for_block("hosting") and catalogue.suggest("pnadas")
    after = pickle.dumps(catalogue)
    assert len(after) == len(before)  # the look-ups stayed behind
    copy = pickle.loads(after)
    assert isinstance(copy, Catalogue) and copy == catalogue
    assert "_index" not in copy.__dict__
    assert copy.resolve("kube") == catalogue.by_id["kubernetes"]
    assert isinstance(copy.entries[0], Product)


def test_load_catalogue_caches_by_file_and_model(tmp_path: Path) -> None:
    file = tmp_path / "catalogue.yaml"
    file.write_text(small(), encoding="utf-8")
    model = default_model()
    first = load_catalogue(file, model)
    assert first.problems == ()
    assert load_catalogue(file, model) is first
    assert load_catalogue(str(file), model) is first
    # another model is another fit
    other = load_catalogue(file, _without_containers())
    assert other is not first and other.catalogue == first.catalogue
    # an edit is seen (the size changes)
    file.write_text(small().replace("name: PostgreSQL", "name: PostgreSQL DB"), encoding="utf-8")
    edited = load_catalogue(file, model)
    assert edited is not first
    assert edited.catalogue is not None
    assert edited.catalogue.by_id["postgres"].name == "PostgreSQL DB"
    assert load_catalogue(None, model).catalogue is default_catalogue(model)


def test_missing_and_unreadable_files_are_problems(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    problem = only_problem(load_catalogue(missing, default_model()))
    assert problem.file == str(missing)
    assert "cannot read the catalogue file" in problem.message
    assert load_catalogue(tmp_path, default_model()).catalogue is None  # a directory
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00id: x")
    result = load_catalogue(binary, default_model())
    assert result.catalogue is None
    assert only_problem(result).file == str(binary)
