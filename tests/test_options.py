"""Every rendering option, written once in rST and once in MyST, with the same result.

The project is tests/roots/test-options-rst and its MyST twin test-options-md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers import BASE_CONF, ROOTS, export_of, warnings_of
from sphinx.testing.util import SphinxTestApp


@pytest.fixture(
    params=[
        pytest.param(
            "rst",
            marks=pytest.mark.sphinx(
                "html", testroot="options-rst", srcdir="options-rst-html", freshenv=True
            ),
        ),
        pytest.param(
            "md",
            marks=pytest.mark.sphinx(
                "html", testroot="options-md", srcdir="options-md-html", freshenv=True
            ),
        ),
    ]
)
def built(app: SphinxTestApp) -> SphinxTestApp:
    """tests/roots/test-options-rst and its MyST twin test-options-md, built fresh."""
    app.build()
    return app


def test_roots_use_the_base_conf() -> None:
    """The two roots are built like the ``project`` fixture's projects: BASE_CONF."""
    for name in ("options-rst", "options-md"):
        assert (ROOTS / f"test-{name}" / "conf.py").read_text("utf-8") == BASE_CONF


def page(app: Any, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / name).read_text("utf-8"), "html.parser")


def test_no_warnings_but_missing(built: Any) -> None:
    assert [w for w in warnings_of(built) if "[mlrefarch.missing]" not in w] == []
    # infrastructure (5) required: hosting partial, compute addressed, storage, containers
    # missing, networking via hosting choice (:network:)
    assert len(warnings_of(built)) == 2


def test_required_and_exclude(built: Any) -> None:
    edge = export_of(built)["solutions"]["edge"]
    assert edge["required"] == ["hosting", "containers", "compute", "storage", "networking"]
    assert edge["coverage"]["missing"] == ["containers", "storage"]
    assert edge["coverage"]["blocks"]["networking"] == "addressed"  # via :network:
    assert edge["coverage"]["blocks"]["security"] == "planned"
    assert edge["hosting"][1]["platform"] == "on-premise"  # title accepted, id stored
    assert edge["constraints"][0]["priority"] == "should"


def test_show_missing_and_layers(built: Any) -> None:
    views = page(built, "views.html")
    tables = views.select("table.mlrefarch-coverage")
    assert len(tables) == 2
    missing_rows = [r.find("td").get_text(strip=True) for r in tables[0].select("tbody tr")]
    assert missing_rows == ["Infrastructure", "Containers", "Storage"]
    quality_rows = [r.find("td").get_text(strip=True) for r in tables[1].select("tbody tr")]
    assert quality_rows == ["Security, Privacy and Safety", "Security", "Privacy", "Safety"]


def test_constraint_list_aspect(built: Any) -> None:
    table = page(built, "views.html").select_one("table.mlrefarch-constraints")
    rows = [r.find("td").get_text(strip=True) for r in table.select("tbody tr")]
    assert rows == ["Signed models only"]


def test_hosting_matrix_columns(built: Any) -> None:
    table = page(built, "views.html").select_one("table.mlrefarch-hosting-matrix")
    rows = [r.get_text(" ", strip=True) for r in table.select("tbody tr")]
    assert rows[0].startswith("Development Lab On-premise")
    assert rows[2] == "Production Factory floor Edge GPU isolated VLAN spare device on site"
    box = page(built, "solution.html").select_one("div.mlrefarch-hosting-choice")
    assert "Availability: spare device on site" in box.get_text(" ", strip=True)


def test_diagram_for_solution(built: Any) -> None:
    views = page(built, "views.html")
    code = views.select_one("pre.mermaid").get_text()
    assert "class b_compute addressed" in code
    assert "class b_hosting partial" in code
    assert "class b_containers missing" in code
    assert "class b_security planned" in code
    # the tooltip is escaped like the labels (entity codes): no markup reaches the page
    assert 'click b_compute href "book.html#block-compute" "GPU#44; CPU or TPU"' in code
    assert "click b_data " not in code  # no definition of it on any page: no link
    legend = views.select_one("p.mlrefarch-legend").get_text(" ", strip=True)
    assert "Edge vision" in legend


def test_reference_model_filters_and_parts(built: Any) -> None:
    book = page(built, "book.html")
    assert [s["id"] for s in book.select("section.mlrefarch-block")] == [
        "block-compute",
        "block-storage",
    ]
    assert book.select(".mlrefarch-backlinks") == []  # :no-backlinks:
    assert len(book.select(".mlrefarch-part-constraints dt")) == 7
    hosting = book.select_one(".mlrefarch-part-hosting").get_text(" ", strip=True)
    assert "Production" in hosting and "Edge" in hosting and "TPU" in hosting
    assert len(book.select(".mlrefarch-part-process ol li")) == 6
    assert len(book.select(".mlrefarch-part-questions li")) == 4
    process = book.select("pre.mermaid")[-1].get_text()
    assert process.strip().startswith("flowchart LR")
    assert "s_validate_improve -. " in process and ".-> s_collect_data" in process


@pytest.mark.parametrize(
    "builder",
    [
        pytest.param(
            builder,
            marks=pytest.mark.sphinx(
                builder, testroot="options-rst", srcdir=f"options-rst-{builder}", freshenv=True
            ),
        )
        for builder in ("text", "latex", "singlehtml")
    ],
)
def test_non_html_and_single_page_builders(app: SphinxTestApp, builder: str) -> None:
    """One-document builders fill each table for the page it was written on."""
    app.build()
    assert [w for w in warnings_of(app) if "[mlrefarch.missing]" not in w] == []
    out = Path(app.outdir)
    if builder == "text":
        text = (out / "views.txt").read_text("utf-8")
        assert "Building blocks coloured by their status in" in text and "flowchart" not in text
        assert "Containers" in text and "missing" in text
        assert "3 of 5 required building blocks addressed (60.0%)" in text
    elif builder == "latex":
        tex = next(out.glob("*.tex")).read_text("utf-8")
        assert "3 of 5 required building blocks addressed (60.0" in tex
        assert "flowchart" not in tex
    else:
        html = (out / "index.html").read_text("utf-8")
        assert "3 of 5 required building blocks addressed (60.0%)" in html
        assert 'class="mermaid' in html
