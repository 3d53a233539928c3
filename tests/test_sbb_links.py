"""SBB names in real builds: resolved, linked and shown with their licence, in rST and MyST.

Where a product name appears (an ``abb``'s ``:sbb:``, a hosting choice's
``:containers:``/``:storage:``, the coverage table, the FOSS options of
``reference-model``), a catalogued name links to its row on the page with
``sbb-catalogue`` (else to the product's homepage) and is followed by its
licence; any other name stays plain text. Bad lists (markup, quotes, empty
items) are located ``mlrefarch.option`` warnings and render escaped.
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import Tag
from sbb_helpers import CATALOGUE, SYNTAXES, Built, D, Sbb, build, cells, findings, rows, sbbs
from sbb_helpers import toctree as toc

HOME = {p.id: p.homepage for p in CATALOGUE.entries}

SOLUTION = D("solution", "Churn", {"id": "churn"}, tag="sol")
#: Jupyter is an alias of Jupyter Notebook; Acme is catalogued without a homepage.
ABB = D("abb", "data-tools", {"sbb": "Jupyter, NoSuchTool, Acme"}, tag="abb")
HOSTING = D(
    "hosting-choice",
    "Cluster",
    {"environment": "training, production", "containers": "K8s", "storage": "Ceph, HDFS"},
    tag="host",
)


def solution_page(*extra: D) -> tuple[D, ...]:
    return (*extra, SOLUTION, ABB, HOSTING, D("abb-coverage"))


def box_sbbs(built: Built, kind: str) -> list[Sbb]:
    box = built.soup().select_one(f"div.mlrefarch-{kind} p.mlrefarch-facts")
    assert isinstance(box, Tag), kind
    return sbbs(box)


def coverage_cell(built: Built, title: str) -> list[Sbb]:
    """The SBB column of the coverage table's row for the block titled ``title``."""
    table = built.soup().select_one("table.mlrefarch-coverage")
    assert isinstance(table, Tag)
    for row in rows(table):
        row_cells = cells(row)
        if row_cells[0].get_text(strip=True) == title and len(row_cells) == 4:
            return sbbs(row_cells[2])
    raise AssertionError(f"no coverage row for {title!r}")


def anchor_text(built: Built, href: str) -> str:
    """The text of the element a same-project link points at."""
    page, _, anchor = href.partition("#")
    target = built.soup(page.removesuffix(".html")).find(id=anchor)
    assert isinstance(target, Tag), href
    return target.get_text()


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_names_link_to_the_catalogue_page_with_their_licence(project: Any, syntax: str) -> None:
    pages = {"index": solution_page(toc("catalogue")), "catalogue": (D("sbb-catalogue"),)}
    built = build(project, syntax, pages)
    expected = [
        Sbb("Jupyter", "catalogue.html#sbb-jupyter-notebook", "BSD-3-Clause"),
        Sbb("NoSuchTool", None, None),  # not catalogued: plain text, no licence
        Sbb("Acme", "catalogue.html#sbb-acme", "Apache-2.0"),
    ]
    assert box_sbbs(built, "abb") == expected
    assert coverage_cell(built, "Data Tools") == expected
    assert box_sbbs(built, "hosting-choice") == [
        Sbb("K8s", "catalogue.html#sbb-kubernetes", "Apache-2.0"),
        Sbb("Ceph", None, None),
        Sbb("HDFS", "catalogue.html#sbb-hadoop", "Apache-2.0"),
    ]
    assert coverage_cell(built, "Containers") == [
        Sbb("K8s", "catalogue.html#sbb-kubernetes", "Apache-2.0")
    ]
    assert coverage_cell(built, "Storage") == [
        Sbb("Ceph", None, None),
        Sbb("HDFS", "catalogue.html#sbb-hadoop", "Apache-2.0"),
    ]
    # every link reaches the product's row (its name) on the catalogue page
    for href, name in (
        ("catalogue.html#sbb-jupyter-notebook", "Jupyter Notebook"),
        ("catalogue.html#sbb-kubernetes", "Kubernetes"),
        ("catalogue.html#sbb-hadoop", "Apache Hadoop"),
    ):
        assert anchor_text(built, href) == name
    assert findings(built.app, "sbb") == []  # the default policy 'any' checks nothing


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_without_a_catalogue_page_names_link_to_the_homepage(project: Any, syntax: str) -> None:
    built = build(project, syntax, {"index": solution_page()})
    assert HOME["jupyter-notebook"].startswith("https://") and HOME["acme"] == ""
    assert box_sbbs(built, "abb") == [
        Sbb("Jupyter", HOME["jupyter-notebook"], "BSD-3-Clause"),
        Sbb("NoSuchTool", None, None),
        Sbb("Acme", None, "Apache-2.0"),  # no homepage, no catalogue page: text and licence
    ]
    assert box_sbbs(built, "hosting-choice") == [
        Sbb("K8s", HOME["kubernetes"], "Apache-2.0"),
        Sbb("Ceph", None, None),
        Sbb("HDFS", HOME["hadoop"], "Apache-2.0"),
    ]
    assert coverage_cell(built, "Data Tools") == box_sbbs(built, "abb")


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_a_partial_catalogue_page_anchors_only_the_products_it_lists(
    project: Any, syntax: str
) -> None:
    pages = {
        "index": solution_page(toc("catalogue")),
        "catalogue": (D("sbb-catalogue", options={"blocks": "data-tools, containers"}),),
    }
    built = build(project, syntax, pages)
    assert box_sbbs(built, "abb")[0].href == "catalogue.html#sbb-jupyter-notebook"
    assert box_sbbs(built, "abb")[2] == Sbb("Acme", None, "Apache-2.0")  # not on the page
    assert box_sbbs(built, "hosting-choice") == [
        Sbb("K8s", "catalogue.html#sbb-kubernetes", "Apache-2.0"),
        Sbb("Ceph", None, None),
        Sbb("HDFS", HOME["hadoop"], "Apache-2.0"),  # storage is not listed: its homepage
    ]


def foss_options(built: Built, docname: str, block: str) -> list[Sbb] | None:
    section = built.soup(docname).select_one(f"section#block-{block}")
    assert isinstance(section, Tag), block
    para = section.select_one("p.mlrefarch-foss-options")
    return None if para is None else sbbs(para)


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_reference_model_lists_the_foss_options_of_each_block(project: Any, syntax: str) -> None:
    pages = {
        "index": (toc("book", "catalogue"),),
        "book": (D("reference-model", options={"blocks": "hosting, containers, networking"}),),
        "catalogue": (D("sbb-catalogue"),),
    }
    built = build(project, syntax, pages)
    hosting = foss_options(built, "book", "hosting")
    assert hosting is not None
    names = [p.name for p in CATALOGUE.for_block("hosting")]
    assert "Open WebUI" in names and "Raspberry Pi" in names  # catalogued, but not FOSS
    assert [s.name for s in hosting] == [p.name for p in CATALOGUE.for_block("hosting") if p.foss]
    assert "Open WebUI" not in [s.name for s in hosting]
    assert hosting[0] == Sbb("BentoML", "catalogue.html#sbb-bentoml", "Apache-2.0")
    containers = foss_options(built, "book", "containers")
    assert containers is not None
    assert [s.name for s in containers] == ["Docker", "Kubernetes", "LXD", "FreeBSD jails"]
    ids = ["docker", "kubernetes", "lxd", "freebsd-jails"]
    assert [s.href for s in containers] == [f"catalogue.html#sbb-{i}" for i in ids]
    assert [s.licence for s in containers] == [CATALOGUE.by_id[i].licence for i in ids]
    assert not CATALOGUE.for_block("networking")
    assert foss_options(built, "book", "networking") is None  # no product: no line


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_no_sbbs_hides_the_foss_options(project: Any, syntax: str) -> None:
    pages = {
        "index": (toc("book", "plain"),),
        "book": (D("reference-model", options={"blocks": "hosting", "no-sbbs": None}, tag="rm"),),
        "plain": (D("reference-model", options={"layers": "infrastructure", "no-sbbs": "yes"}),),
    }
    built = build(project, syntax, pages)
    assert foss_options(built, "book", "hosting") is None
    section = built.soup("book").select_one("section#block-hosting")
    assert isinstance(section, Tag) and section.select("ul.mlrefarch-questions")  # the rest stays
    assert "FOSS options" not in built.soup("plain").get_text()
    (flag,) = findings(built.app, "option")
    assert flag.file == f"plain.{syntax}"
    assert ":no-sbbs: of 'reference-model' is a flag and takes no value; ignoring 'yes'" in (
        flag.message
    )


# -- bad lists of names ----------------------------------------------------------------------

HOSTILE = "Churn <img src=x onerror=alert(2)>"

BAD = {
    "index": (
        toc("catalogue"),
        D("solution", HOSTILE, {"id": "churn"}, tag="sol"),
        D("abb", "data-tools", {"sbb": "**pandas**, <script>alert(1)</script>"}, tag="markup"),
        D("abb", "ml-frameworks", {"sbb": '"Foo, Inc", PyTorch'}, tag="quotes"),
        D("abb", "development-tools", {"sbb": "Jupyter, , Kedro"}, tag="empty"),
        D("abb", "programming-tools", {"sbb": "Python,"}, tag="trailing"),
        D("abb", "storage", {"sbb": "PostgreSQL (PostGIS, pgvector), HDFS"}, tag="brackets"),
        D(
            "hosting-choice",
            "Cluster",
            {
                "environment": "training, production",
                "containers": "`Docker`",
                "storage": "Ceph, , HDFS",
            },
            tag="host",
        ),
        D("abb-coverage"),
        D("sbb-usage"),
    ),
    "catalogue": (D("sbb-catalogue", options={"blocks": "ml-frameworks"}),),
}

#: (tag, words of the mlrefarch.option message about the list there)
BAD_OPTIONS = [
    (
        "markup",
        ":sbb: of 'abb' names '**pandas**' with markup, which is shown as written: names are "
        "plain text; write 'pandas'",
    ),
    ("quotes", ":sbb: of 'abb' splits '\"Foo', 'Inc\"' at a comma"),
    ("empty", ":sbb: of 'abb' has an empty item; remove the extra comma"),
    ("trailing", ":sbb: of 'abb' has an empty item; remove the extra comma"),
    ("brackets", ":sbb: of 'abb' splits 'PostgreSQL (PostGIS', 'pgvector)' at a comma"),
    ("host", ":containers: of 'hosting-choice' names '`Docker`' with markup"),
    ("host", ":storage: of 'hosting-choice' has an empty item; remove the extra comma"),
]


def abb_box(built: Built, tag: str) -> Tag:
    """The facts line of the box made by the directive tagged ``tag``."""
    boxes = built.soup().select("div.mlrefarch-box")
    order = ("sol", "markup", "quotes", "empty", "trailing", "brackets", "host")
    facts = boxes[order.index(tag)].select_one("p.mlrefarch-facts")
    assert isinstance(facts, Tag), tag
    return facts


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_bad_lists_are_located_option_warnings(project: Any, syntax: str) -> None:
    built = build(project, syntax, BAD)
    found = findings(built.app, "option")
    got = sorted((f.file, f.line, f.message) for f in found)
    assert len(got) == len(BAD_OPTIONS), got
    for tag, words in BAD_OPTIONS:
        file, line = built.at(tag)
        assert any((f, n) == (file, line) and words in m for f, n, m in got), (tag, got)
    assert findings(built.app, "sbb") == []  # policy 'any': the names themselves are fine


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_bad_lists_render_as_escaped_text(project: Any, syntax: str) -> None:
    built = build(project, syntax, BAD)
    pytorch = Sbb("PyTorch", "catalogue.html#sbb-pytorch", "BSD-3-Clause")
    assert sbbs(abb_box(built, "markup")) == [
        Sbb("**pandas**", None, None),
        Sbb("<script>alert(1)</script>", None, None),
    ]
    assert sbbs(abb_box(built, "quotes")) == [
        Sbb('"Foo', None, None),
        Sbb('Inc"', None, None),
        pytorch,
    ]
    assert [s.name for s in sbbs(abb_box(built, "empty"))] == ["Jupyter", "Kedro"]
    assert [s.name for s in sbbs(abb_box(built, "trailing"))] == ["Python"]
    # balanced brackets are part of a name; a comma inside them still splits (and warns)
    assert [s.name for s in sbbs(abb_box(built, "brackets"))] == [
        "PostgreSQL (PostGIS",
        "pgvector)",
        "HDFS",
    ]
    assert [s.name for s in sbbs(abb_box(built, "host"))] == ["`Docker`", "Ceph", "HDFS"]
    assert coverage_cell(built, "Data Tools") == sbbs(abb_box(built, "markup"))
    usage = built.soup().select_one("table.mlrefarch-sbb-usage")
    assert isinstance(usage, Tag)
    named = [cells(row)[0].get_text(strip=True) for row in rows(usage)]
    assert {"**pandas**", "<script>alert(1)</script>", '"Foo', "`Docker`"} <= set(named)
    for docname in ("index", "catalogue"):
        main = built.soup(docname)
        # no name or title became markup or an element
        assert main.select("script, img") == [], docname
        assert main.select("p.mlrefarch-facts em, p.mlrefarch-facts code") == [], docname
        raw = str(main)
        assert "<script>alert" not in raw and "<img src" not in raw, docname
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in str(built.soup())
    assert HOSTILE in built.soup().get_text()
    catalogue = built.soup("catalogue").select_one("table.mlrefarch-sbb-catalogue")
    assert isinstance(catalogue, Tag)
    (used_by,) = [
        cells(row)[5] for row in rows(catalogue) if cells(row)[0].get_text(strip=True) == "PyTorch"
    ]
    assert used_by.get_text(strip=True) == f"{HOSTILE} (Machine Learning Frameworks)"


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_bad_lists_under_the_catalogue_policy(project: Any, syntax: str) -> None:
    built = build(project, syntax, BAD, conf='mlrefarch_sbb_policy = "catalogue"\n')
    got = {(f.file, f.line, f.message.split("'")[1]) for f in findings(built.app, "sbb")}
    expected = {
        (*built.at("markup"), "**pandas**"),
        (*built.at("markup"), "<script>alert(1)</script>"),
        (*built.at("quotes"), '"Foo'),
        (*built.at("quotes"), 'Inc"'),
        (*built.at("host"), "`Docker`"),
        (*built.at("host"), "Ceph"),
        (*built.at("brackets"), "PostgreSQL (PostGIS"),
        (*built.at("brackets"), "pgvector)"),
    }
    assert got == expected  # Jupyter, Kedro, Python, PyTorch and HDFS are catalogued
    (docker,) = [f for f in findings(built.app, "sbb") if "`Docker`" in f.message]
    assert docker.message.endswith("did you mean 'Docker'?")
    assert len(findings(built.app, "option")) == len(BAD_OPTIONS)


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_with_two_catalogue_pages_links_go_to_the_first(project: Any, syntax: str) -> None:
    pages = {
        "index": solution_page(toc("b-catalogue", "a-catalogue")),
        "a-catalogue": (D("sbb-catalogue", options={"blocks": "containers"}),),
        "b-catalogue": (
            D("sbb-catalogue", options={"blocks": "data-tools"}),
            D("sbb-catalogue", options={"layers": "infrastructure"}),  # again on one page
        ),
    }
    built = build(project, syntax, pages)
    assert box_sbbs(built, "hosting-choice") == [
        Sbb("K8s", "a-catalogue.html#sbb-kubernetes", "Apache-2.0"),  # first by name
        Sbb("Ceph", None, None),
        Sbb("HDFS", "b-catalogue.html#sbb-hadoop", "Apache-2.0"),  # only there
    ]
    assert box_sbbs(built, "abb")[0].href == "b-catalogue.html#sbb-jupyter-notebook"
    page = built.soup("b-catalogue")
    ids = [str(tag["id"]) for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))  # the second table anchors nothing twice
    assert page.select("table.mlrefarch-sbb-catalogue")[1].find(id="sbb-hadoop") is not None
    assert findings(built.app) == []
