"""Real builds of the basic project (rST) and its MyST twin: rendering, links, JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup
from helpers import export_of, mlrefarch_warnings, warnings_of
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile

from sphinx_mlrefarch.export import export_schema


def soup(app: Any, page: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / page).read_text("utf-8"), "html.parser")


def coverage_rows(page: BeautifulSoup) -> dict[str, str]:
    """Block title -> status cell text of the first coverage table on the page."""
    table = page.select_one("table.mlrefarch-coverage")
    assert table is not None
    rows = {}
    for row in table.select("tbody tr:not(.mlrefarch-layer-row)"):
        cells = row.find_all("td")
        assert len(cells) == 4
        rows[cells[0].get_text(strip=True)] = cells[1].get_text(" ", strip=True)
    return rows


@pytest.fixture(
    params=[
        pytest.param(
            "basic",
            marks=pytest.mark.sphinx("html", testroot="basic", srcdir="basic-build", freshenv=True),
        ),
        pytest.param(
            "myst",
            marks=pytest.mark.sphinx("html", testroot="myst", srcdir="myst-build", freshenv=True),
        ),
    ]
)
def built(app: SphinxTestApp) -> SphinxTestApp:
    """The same project in rST (tests/roots/test-basic) and in MyST (test-myst), built fresh."""
    app.build()
    return app


def test_only_expected_warnings(built: Any) -> None:
    # The projects are deliberately incomplete: 1 + 18 missing blocks, nothing else.
    other = [w for w in warnings_of(built) if "[mlrefarch.missing]" not in w]
    assert other == []
    assert len(mlrefarch_warnings(built, "missing")) == 19


def test_solution_box_and_coverage_figure(built: Any) -> None:
    page = soup(built, "solutions/churn/index.html")
    box = page.select_one("div.mlrefarch-solution#solution-churn")
    assert box is not None
    text = box.get_text(" ", strip=True)
    assert "Customer churn prediction" in text
    assert "Data science team" in text
    assert "proposed" in text
    assert "8 of 9 required building blocks (88.9%)" in text
    assert "Predicts which customers" in text


def test_abb_box_links_to_block_definition(built: Any) -> None:
    page = soup(built, "solutions/churn/index.html")
    box = page.select_one("div.mlrefarch-abb.mlrefarch-status-partial")
    assert box is not None
    link = box.select_one(".mlrefarch-box-title a")
    assert link["href"] == "../../book.html#block-ml-frameworks"
    assert link.get_text(strip=True) == "Machine Learning Frameworks"
    assert "scikit-learn" in box.get_text()
    assert box.select_one(".mlrefarch-badge").get_text(strip=True) == "partial"
    dev = page.select_one("div.mlrefarch-abb.mlrefarch-status-addressed")
    assert "JupyterLab" in dev.get_text() and "DS team" in dev.get_text()
    assert "Notebooks for exploration" in dev.get_text()


def test_coverage_table_in_solution_scope(built: Any) -> None:
    rows = coverage_rows(soup(built, "solutions/churn/index.html"))
    assert len(rows) == 20
    assert rows["Data"] == "addressed"
    assert rows["Data Tools"] == "addressed"  # the layer "data" is required
    assert rows["Machine Learning Frameworks"] == "partial"
    assert rows["Programming Tools"] == "planned"
    assert rows["Hosting"] == "addressed"  # via hosting choice
    assert rows["Networking"] == "missing (not required)"  # excluded
    assert rows["Security"] == "missing (not required)"
    page = soup(built, "solutions/churn/index.html")
    summary = page.select_one("p.mlrefarch-coverage-summary").get_text(strip=True)
    assert summary == "8 of 9 required building blocks addressed (88.9%)"
    table = page.select_one("table.mlrefarch-coverage")
    hosting_row = next(r for r in table.select("tr") if "Hosting" in r.get_text())
    assert "via hosting choice" in hosting_row.get_text()
    link = hosting_row.select("td")[3].find("a")
    assert link["href"] == "platform.html#hosting-gpu-training-cluster"


def test_portfolio_matrix(built: Any) -> None:
    page = soup(built, "portfolio.html")
    table = page.select_one("table.mlrefarch-portfolio")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers[:3] == ["Solution", "Coverage", "Business Processes"]
    assert len(headers) == 22
    rows = table.select("tbody tr")
    assert [r.find("td").get_text(strip=True) for r in rows] == [
        "Customer churn prediction",
        "Defect detection",
        "Share",
    ]
    churn_cells = rows[0].find_all("td")
    assert churn_cells[1].get_text(strip=True) == "88.9%"
    data_cell = churn_cells[headers.index("Data")]
    assert "mlrefarch-status-addressed" in data_cell["class"]
    assert data_cell.find("a")["href"] == "solutions/churn/data.html#abb-data"
    assert data_cell.find("abbr")["title"] == "addressed"
    vision_net = rows[1].find_all("td")[headers.index("Networking")]
    assert "mlrefarch-status-not-applicable" in vision_net["class"]
    share = rows[2].find_all("td")
    # compute: churn via hosting, vision via abb -> 100%; networking: only vision (n/a)
    assert share[headers.index("GPU, CPU or TPU")].get_text(strip=True) == "100.0%"
    assert share[headers.index("Networking")].get_text(strip=True) == "50.0%"
    assert share[headers.index("Business Processes")].get_text(strip=True) == "0.0%"
    # overall: (8 + 2) satisfied of (9 + 20) required
    assert share[1].get_text(strip=True) == "34.5%"


def test_hosting_matrix_and_constraint_list(built: Any) -> None:
    page = soup(built, "solutions/churn/index.html")
    matrix = page.select_one("table.mlrefarch-hosting-matrix")
    text = [r.get_text(" ", strip=True) for r in matrix.select("tbody tr")]
    assert text[0].startswith("Development GPU training cluster On-premise Own data center GPU")
    assert text[1].startswith("Training GPU training cluster")
    assert text[2].startswith("Production Inference service Cloud")
    constraints = page.select_one("table.mlrefarch-constraints")
    row = constraints.select_one("tbody tr").get_text(" ", strip=True)
    assert row == "Customer data stays in the EU Security must Data , Storage GDPR, art. 44"
    portfolio = soup(built, "portfolio.html").select_one("table.mlrefarch-constraints")
    assert "Solution" in portfolio.select_one("thead").get_text()


def test_roles_resolve(built: Any) -> None:
    page = soup(built, "index.html")
    body = page.select("div.body a.reference.internal")  # not alabaster's sidebar copies
    links = {a.get_text(strip=True): a["href"] for a in body}
    assert links["Data"] == "book.html#block-data"
    assert links["Data Tools"] == "book.html#block-data-tools"
    assert links["GPU"] == "book.html#block-compute"  # explicit title, alias target
    assert links["Customer churn prediction"] == "solutions/churn/index.html#solution-churn"
    assert links["Customer data stays in the EU"] == (
        "solutions/churn/index.html#constraint-eu-residency"
    )


def test_reference_book_backlinks(built: Any) -> None:
    page = soup(built, "book.html")
    section = page.select_one("section#block-compute")
    assert section.select_one("h3").get_text(strip=True).startswith("GPU, CPU or TPU")
    questions = section.select("ul.mlrefarch-questions li")
    assert 3 <= len(questions) <= 6
    backlinks = section.select(".mlrefarch-backlinks p")
    texts = [p.get_text(" ", strip=True) for p in backlinks]
    assert texts == [
        "addressed Customer churn prediction (via hosting choice), Defect detection",
    ]
    hrefs = [a["href"] for a in section.select(".mlrefarch-backlinks a")]
    assert hrefs == [
        "solutions/churn/platform.html#hosting-gpu-training-cluster",
        "solutions/vision.html#abb-compute",
    ]
    partial = page.select_one("section#block-ml-frameworks .mlrefarch-status-partial")
    assert partial.get_text(" ", strip=True) == "partial Customer churn prediction"
    empty = page.select_one("section#block-partners .mlrefarch-backlinks-empty")
    assert empty is not None
    assert page.select_one(".mlrefarch-part-principles") is not None


def test_objects_inventory(built: Any) -> None:
    raw = (Path(built.outdir) / "objects.inv").read_bytes()
    if hasattr(InventoryFile, "loads"):  # Sphinx 8.2+
        inv = InventoryFile.loads(raw, uri="")
        data = getattr(inv, "data", inv)
    else:  # Sphinx 8.1
        import io
        import posixpath

        data = InventoryFile.load(io.BytesIO(raw), "", posixpath.join)
    blocks = data["mlrefarch:abb"]
    assert len(blocks) == 20
    item = blocks["data-tools"]
    uri = item.uri if hasattr(item, "uri") else item[2]
    assert uri == "book.html#block-data-tools"
    assert set(data["mlrefarch:solution"]) == {"churn", "defect-detection"}
    assert set(data["mlrefarch:constraint"]) == {"churn/eu-residency"}
    assert "abb-data-tools" in data["std:label"]  # for projects without the extension


def test_export_json(built: Any) -> None:
    data = export_of(built)
    jsonschema.validate(data, export_schema())
    churn = data["solutions"]["churn"]
    assert churn["docname"] == "solutions/churn/index"
    assert churn["documents"] == [
        "solutions/churn/index",
        "solutions/churn/data",
        "solutions/churn/platform",
    ]
    assert churn["owner"] == "Data science team"
    assert churn["status"] == "proposed"
    assert churn["coverage"]["required"] == 9
    assert churn["coverage"]["satisfied"] == 8
    assert churn["coverage"]["percent"] == 88.9
    assert churn["coverage"]["missing"] == ["programming-tools"]
    assert churn["coverage"]["blocks"]["networking"] == "missing"
    assert len(churn["coverage"]["blocks"]) == 20
    data_decl = next(d for d in churn["declarations"] if d["block"] == "data-tools")
    assert data_decl["sbb"] == ["pandas", "Apache Arrow"]
    assert data_decl["via"] == "abb"
    assert data_decl["docname"] == "solutions/churn/data"
    via_hosting = {d["block"] for d in churn["declarations"] if d["via"] == "hosting-choice"}
    assert via_hosting == {"hosting", "compute", "containers", "storage"}
    assert churn["constraints"][0]["affects"] == ["data", "storage"]
    assert churn["hosting"][0]["environment"] == ["development", "training"]
    assert data["model"]["layers"][0]["blocks"][0] == "business-processes"
    # the effective model in full, not only a summary
    assert 3 <= len(data["model"]["blocks"]["data-tools"]["questions"]) <= 6
    assert data["model"]["blocks"]["compute"]["aliases"] == ["gpu-cpu-tpu", "gpu"]
    assert [a["id"] for a in data["model"]["constraint_aspects"]][:2] == ["business", "information"]
    assert len(data["model"]["process"]["steps"]) == 6
    assert data["model"]["source"]["licence"] == "CC BY-SA 4.0"
    assert data["totals"] == {"solutions": 2, "required": 29, "satisfied": 10, "missing": 19}


@pytest.mark.sphinx("text", testroot="basic", srcdir="basic-text", freshenv=True)
def test_text_builder(app: SphinxTestApp) -> None:
    app.build()
    text = (Path(app.outdir) / "solutions/churn/index.txt").read_text("utf-8")
    assert "8 of 9 required building blocks addressed (88.9%)" in text
    assert "Programming Tools" in text and "planned" in text
    portfolio = (Path(app.outdir) / "portfolio.txt").read_text("utf-8")
    assert "\u2717" in portfolio and "<abbr" not in portfolio
    assert json.loads((Path(app.outdir) / "mlrefarch.json").read_text())["version"] == 1
