"""The catalogue's views and data in real builds, in rST and MyST.

``sbb-catalogue`` (group rows per layer and block, a row per product, anchors,
"Used by" back-links), ``sbb-usage`` (the technology inventory of the chosen
solutions) and what ``mlrefarch.json`` says about products (``sbb_resolved``
per declaration, the effective ``catalogue``), checked against its schema.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from bs4 import Tag
from helpers import export_of
from sbb_helpers import (
    CATALOGUE,
    SYNTAXES,
    Built,
    D,
    Sbb,
    build,
    cells,
    classes,
    findings,
    product_cell,
    rows,
)
from sbb_helpers import toctree as toc

from sphinx_mlrefarch.export import export_schema
from sphinx_mlrefarch.model import default_model

MODEL = default_model()

CHURN = (
    D("solution", "Churn", {"id": "churn"}),
    D("abb", "data-tools", {"sbb": "Jupyter, pandas"}),
    D("abb", "development-tools", {"sbb": "Jupyter Notebook"}),
    D("hosting-choice", "Cluster", {"environment": "training, production", "containers": "K8s"}),
)


def table(built: Built, docname: str, kind: str, index: int = 0) -> Tag:
    found = built.soup(docname).select(f"table.mlrefarch-{kind}")
    assert len(found) > index, f"no table.mlrefarch-{kind} #{index} in {docname}"
    return found[index]


def shape(catalogue_table: Tag) -> list[tuple[str, str]]:
    """The table's rows as ``(kind, text of the first cell)``: layer, block or product."""
    out = []
    for row in rows(catalogue_table):
        names = classes(row)
        kind = "product"
        for group in ("layer", "block", "empty"):
            kind = (
                group
                if f"mlrefarch-{group}-row" in names or f"mlrefarch-{group}" in names
                else kind
            )
        out.append((kind, cells(row)[0].get_text(strip=True)))
    return out


def expected_shape(layers: list[str] | None = None, blocks: list[str] | None = None) -> list[Any]:
    out: list[tuple[str, str]] = []
    for layer in MODEL.layers:
        if layers and layer.id not in layers:
            continue
        part: list[tuple[str, str]] = []
        for block in MODEL.blocks_of_layer(layer.id):
            products = CATALOGUE.for_block(block.id)
            if products and (not blocks or block.id in blocks):
                part.append(("block", block.title))
                part += [("product", p.name) for p in products]
        if part:
            out += [("layer", layer.title), *part]
    return out or [("empty", "(nothing to show)")]


def product_rows(catalogue_table: Tag) -> dict[str, list[list[Tag]]]:
    """Product name -> the cells of each of its rows (one per block it realises)."""
    out: dict[str, list[list[Tag]]] = {}
    for row in rows(catalogue_table):
        if not {"mlrefarch-layer-row", "mlrefarch-block-row"} & set(classes(row)):
            row_cells = cells(row)
            out.setdefault(row_cells[0].get_text(strip=True), []).append(row_cells)
    return out


def links(cell: Tag) -> list[tuple[str, str]]:
    return [(a.get_text(), str(a["href"])) for a in cell.find_all("a")]


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_catalogue_table_lists_every_product_by_layer_and_block(project: Any, syntax: str) -> None:
    pages = {"index": (toc("catalogue"), *CHURN), "catalogue": (D("sbb-catalogue"),)}
    built = build(project, syntax, pages)
    catalogue = table(built, "catalogue", "sbb-catalogue")
    headers = [th.get_text(strip=True) for th in catalogue.select("thead th")]
    assert headers == ["Product", "Licence", "Homepage", "Repository", "Summary", "Used by"]
    assert shape(catalogue) == expected_shape()
    by_name = product_rows(catalogue)
    for product in CATALOGUE.entries:
        found = by_name[product.name]
        assert len(found) == len(product.blocks), product.id  # one row under each block
        # its first row is the anchor links go to, and it is the only one
        assert [bool(c[0].find(id=f"sbb-{product.id}")) for c in found] == [True] + [False] * (
            len(found) - 1
        )
        _name, licence, homepage, repository, summary, _used = found[0]
        assert licence.get_text(strip=True) == (
            product.licence if product.foss else f"{product.licence} (not FOSS)"
        )
        assert links(homepage) == (
            [(product.homepage, product.homepage)] if product.homepage else []
        )
        assert links(repository) == (
            [(product.repository, product.repository)] if product.repository else []
        )
        assert summary.get_text(strip=True) == product.summary
    assert len(built.soup("catalogue").select("[id^=sbb-]")) == len(CATALOGUE.entries)


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_used_by_links_to_the_declarations(project: Any, syntax: str) -> None:
    pages = {"index": (toc("catalogue"), *CHURN), "catalogue": (D("sbb-catalogue"),)}
    built = build(project, syntax, pages)
    by_name = product_rows(table(built, "catalogue", "sbb-catalogue"))
    jupyter = [
        ("Churn (Data Tools)", "index.html#abb-data-tools"),
        ("Churn (Development Tools)", "index.html#abb-development-tools"),
    ]
    # Jupyter Notebook realises two blocks: both of its rows show both uses
    assert [links(c[5]) for c in by_name["Jupyter Notebook"]] == [jupyter, jupyter]
    kubernetes = [("Churn (Containers)", "index.html#hosting-cluster")]
    assert [links(c[5]) for c in by_name["Kubernetes"]] == [kubernetes, kubernetes]
    assert by_name["Docker"][0][5].get_text(strip=True) == "not used yet"
    # each link reaches the declaring box on the solution page
    index = built.soup()
    for anchor in ("abb-data-tools", "abb-development-tools", "hosting-cluster"):
        target = index.find(id=anchor)
        assert isinstance(target, Tag) and "mlrefarch-box" in (target.get("class") or [])


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize(
    ("options", "layers", "blocks"),
    [
        ({"blocks": "Data Tools"}, None, ["data-tools"]),
        ({"layers": "infrastructure"}, ["infrastructure"], None),
        (
            {"layers": "development, infrastructure", "blocks": "containers, ml-frameworks"},
            None,
            ["containers", "ml-frameworks"],
        ),
        ({"blocks": "networking"}, None, ["networking"]),  # no product: a "nothing" row
    ],
)
def test_catalogue_table_with_blocks_and_layers(
    project: Any,
    syntax: str,
    options: dict[str, str | None],
    layers: list[str] | None,
    blocks: list[str] | None,
) -> None:
    pages = {"index": (D("sbb-catalogue", options=options),)}
    built = build(project, syntax, pages)
    assert shape(table(built, "index", "sbb-catalogue")) == expected_shape(layers, blocks)
    assert findings(built.app) == []


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_catalogue_table_with_unknown_blocks_and_layers(project: Any, syntax: str) -> None:
    options: dict[str, str | None] = {
        "blocks": "data-toolz, containers",
        "layers": "infra, infrastructure",
    }
    built = build(project, syntax, {"index": (D("sbb-catalogue", options=options, tag="c"),)})
    found = findings(built.app, "unknown")
    assert {(f.file, f.line) for f in found} == {built.at("c")}
    messages = sorted(f.message for f in found)
    assert messages[0].startswith("unknown building block 'data-toolz' in :blocks:")
    assert "did you mean 'data-tools'?" in messages[0]
    assert messages[1].startswith("unknown layer 'infra' in :layers:")
    # the known ones still apply
    assert shape(table(built, "index", "sbb-catalogue")) == expected_shape(
        ["infrastructure"], ["containers"]
    )


# -- sbb-usage -------------------------------------------------------------------------------

VISION = (
    D("solution", "Vision", {"id": "vision"}),
    D("abb", "ml-frameworks", {"sbb": "PyTorch, Pandas"}),
)


def usage_rows(usage: Tag) -> list[tuple[Sbb, str, list[str], list[tuple[str, str]]]]:
    """Each row: product (name, link), licence, block names, solution links."""
    out = []
    for row in rows(usage):
        product, licence, blocks, solutions = cells(row)
        out.append(
            (
                product_cell(product),
                licence.get_text(strip=True),
                [b.strip() for b in blocks.get_text().split(",")],
                links(solutions),
            )
        )
    return out


def inventory() -> dict[str, Any]:
    """The rows of the whole inventory, as a page beside the solutions' pages shows them."""
    home = {p.id: p.homepage for p in CATALOGUE.entries}
    churn = ("Churn", "churn.html#abb-data-tools")
    return {
        "jupyter": (
            Sbb("Jupyter Notebook", home["jupyter-notebook"], None),
            "BSD-3-Clause",
            ["Data Tools", "Development Tools"],
            [churn],
        ),
        "kubernetes": (
            Sbb("Kubernetes", home["kubernetes"], None),
            "Apache-2.0",
            ["Containers"],
            [("Churn", "churn.html#hosting-cluster")],
        ),
        "pandas": (
            Sbb("pandas", None, None),  # first spelling met; not catalogued
            "unknown",
            ["Data Tools", "Machine Learning Frameworks"],
            [churn, ("Vision", "vision.html#abb-ml-frameworks")],
        ),
        "pytorch": (
            Sbb("PyTorch", home["pytorch"], None),
            "BSD-3-Clause",
            ["Machine Learning Frameworks"],
            [("Vision", "vision.html#abb-ml-frameworks")],
        ),
    }


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_usage_tables_for_all_some_and_own_solutions(project: Any, syntax: str) -> None:
    pages = {
        "index": (toc("inventory", "churn", "vision"),),
        "inventory": (
            D("sbb-usage"),  # outside a solution: every solution
            D("sbb-usage", options={"solutions": "all"}),
            D("sbb-usage", options={"solutions": "vision"}),
            D("sbb-usage", options={"solutions": "churn, vision"}),
        ),
        "churn": (*CHURN, D("sbb-usage")),  # inside a solution: its own
        "vision": VISION,
    }
    built = build(project, syntax, pages)
    whole = inventory()
    everything = [whole[k] for k in ("jupyter", "kubernetes", "pandas", "pytorch")]
    assert usage_rows(table(built, "inventory", "sbb-usage", 0)) == everything
    assert usage_rows(table(built, "inventory", "sbb-usage", 1)) == everything
    assert usage_rows(table(built, "inventory", "sbb-usage", 3)) == everything
    pandas = whole["pandas"]
    vision_only = [(*pandas[:2], ["Machine Learning Frameworks"], pandas[3][1:]), whole["pytorch"]]
    assert usage_rows(table(built, "inventory", "sbb-usage", 2)) == vision_only
    own = usage_rows(table(built, "churn", "sbb-usage"))
    churn_pandas = (*pandas[:2], ["Data Tools"], [("Churn", "#abb-data-tools")])
    churn_jupyter = (*whole["jupyter"][:3], [("Churn", "#abb-data-tools")])
    churn_k8s = (*whole["kubernetes"][:3], [("Churn", "#hosting-cluster")])
    assert own == [churn_jupyter, churn_k8s, churn_pandas]
    assert findings(built.app, "unknown") == []


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_usage_links_products_to_the_catalogue_page(project: Any, syntax: str) -> None:
    pages = {
        "index": (toc("catalogue", "churn"), D("sbb-usage", options={"solutions": "churn"})),
        "catalogue": (D("sbb-catalogue"),),
        "churn": CHURN,
    }
    built = build(project, syntax, pages)
    products = [row[0] for row in usage_rows(table(built, "index", "sbb-usage"))]
    assert products == [
        Sbb("Jupyter Notebook", "catalogue.html#sbb-jupyter-notebook", None),
        Sbb("Kubernetes", "catalogue.html#sbb-kubernetes", None),
        Sbb("pandas", None, None),
    ]


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_usage_with_an_unknown_solution(project: Any, syntax: str) -> None:
    pages = {
        "index": (toc("churn"), D("sbb-usage", options={"solutions": "churn, chrun"}, tag="u")),
        "churn": CHURN,
    }
    built = build(project, syntax, pages)
    (found,) = findings(built.app, "unknown")
    assert (found.file, found.line) == built.at("u")
    assert found.message.startswith("unknown solution 'chrun' in 'sbb-usage'")
    assert "did you mean 'churn'?" in found.message
    assert len(rows(table(built, "index", "sbb-usage"))) == 3  # churn's products still listed


# -- mlrefarch.json --------------------------------------------------------------------------

TAILORED = """\
extends: default
entries:
  - id: minio
    name: MinIO
    licence: AGPL-3.0-only
    foss: true
    homepage: https://min.io
    blocks: [storage]
remove: [kubernetes]
"""

EXPORTED = (
    D("solution", "Churn", {"id": "churn"}),
    D("abb", "data-tools", {"sbb": "pandas, Jupyter, Open WebUI"}),
    D(
        "hosting-choice",
        "Cluster",
        {"environment": "training, production", "containers": "K8s", "storage": "MinIO, HDFS"},
    ),
)


def resolved(data: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Block -> ``(name, id, licence, foss)`` of its declaration's products."""
    out = {}
    for declaration in data["solutions"]["churn"]["declarations"]:
        items = declaration["sbb_resolved"]
        assert [r["name"] for r in items] == declaration["sbb"]  # in the order of sbb
        out[declaration["block"]] = [(r["name"], r["id"], r["licence"], r["foss"]) for r in items]
    return out


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_export_resolves_every_name_with_the_built_in_catalogue(project: Any, syntax: str) -> None:
    built = build(project, syntax, {"index": EXPORTED})
    data = export_of(built.app)
    jsonschema.validate(data, export_schema())
    expected = CATALOGUE.to_dict()
    del expected["schema"]
    assert data["catalogue"] == expected
    assert resolved(data) == {
        "data-tools": [
            ("pandas", None, None, None),
            ("Jupyter", "jupyter-notebook", "BSD-3-Clause", True),
            ("Open WebUI", "openwebui", "other", False),
        ],
        "hosting": [],  # a hosting choice names products for containers and storage only
        "containers": [("K8s", "kubernetes", "Apache-2.0", True)],
        "storage": [("MinIO", None, None, None), ("HDFS", "hadoop", "Apache-2.0", True)],
    }


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_export_shows_the_effective_tailored_catalogue(project: Any, syntax: str) -> None:
    built = build(
        project,
        syntax,
        {"index": EXPORTED},
        conf='mlrefarch_catalogue = "catalogue.yaml"\n',
        files={"catalogue.yaml": TAILORED},
    )
    assert findings(built.app, "catalogue") == []
    data = export_of(built.app)
    jsonschema.validate(data, export_schema())
    ids = [entry["id"] for entry in data["catalogue"]["entries"]]
    default_ids = [p.id for p in CATALOGUE.entries]
    assert ids == [i for i in default_ids if i != "kubernetes"] + ["minio"]
    minio = data["catalogue"]["entries"][-1]
    assert minio == {
        "id": "minio",
        "name": "MinIO",
        "licence": "AGPL-3.0-only",
        "foss": True,
        "homepage": "https://min.io",
        "blocks": ["storage"],
    }
    assert data["catalogue"]["id"] == CATALOGUE.id  # the default's metadata, extended
    found = resolved(data)
    assert found["containers"] == [("K8s", None, None, None)]  # removed
    assert found["storage"][0] == ("MinIO", "minio", "AGPL-3.0-only", True)  # added
