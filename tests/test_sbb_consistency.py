"""With the catalogue in use, serial, ``-j 2`` and incremental builds agree.

One project of nine documents (two solutions, a catalogue page, an
inventory page, a reference book, a page without directives), in rST and
MyST, with a tailored catalogue file. ``mlrefarch.json`` must be
byte-identical and the catalogue and usage tables identical; an
incremental build rewrites exactly the pages whose views changed and reads
again the pages that use the catalogue when its file changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from corpus import render
from helpers import BASE_CONF, mlrefarch_warnings
from sbb_helpers import CONF, SYNTAXES, D, sbbs, write_project
from sbb_helpers import toctree as toc

CATALOGUE = """\
extends: default
entries:
  - id: minio
    name: MinIO
    licence: AGPL-3.0-only
    foss: true
    homepage: https://min.io
    blocks: [storage]
"""

PAGES: dict[str, tuple[Any, ...]] = {
    "index": (
        toc("catalogue", "inventory", "book", "notes", "solutions/churn/index", "solutions/vision"),
    ),
    "catalogue": (D("sbb-catalogue"),),
    "inventory": (D("sbb-usage"),),
    "book": (D("reference-model", options={"blocks": "data-tools, containers, storage"}),),
    "notes": ("Notes without any directive.",),
    "solutions/churn/index": (
        D("solution", "Churn", {"id": "churn"}),
        toc("data", "platform"),
        D("abb", "development-tools", {"sbb": "Jupyter, VS Code"}),
        D("abb-coverage"),
        D("sbb-usage"),
    ),
    "solutions/churn/data": (D("abb", "data-tools", {"sbb": "pandas, Kedro"}),),
    "solutions/churn/platform": (
        D(
            "hosting-choice",
            "Cluster",
            {"environment": "training, production", "containers": "K8s", "storage": "MinIO, HDFS"},
        ),
    ),
    "solutions/vision": (
        D("solution", "Vision", {"id": "vision", "sbb-policy": "catalogue"}),
        D("abb", "ml-frameworks", {"sbb": "PyTorch, Jetson SDK"}),
    ),
}

#: (page, selector) of everything compared between builds.
COMPARED = (
    ("catalogue.html", "table.mlrefarch-sbb-catalogue"),
    ("inventory.html", "table.mlrefarch-sbb-usage"),
    ("solutions/churn/index.html", "table.mlrefarch-sbb-usage"),
    ("solutions/churn/index.html", "table.mlrefarch-coverage"),
    ("book.html", "section#block-data-tools"),
)


def make_source(tmp_path: Path, syntax: str) -> Path:
    src = tmp_path / "src"
    conf = BASE_CONF + CONF + 'mlrefarch_catalogue = "catalogue.yaml"\n'
    write_project(src, syntax, PAGES, {"conf.py": conf, "catalogue.yaml": CATALOGUE})
    return src


def export_bytes(app: Any) -> bytes:
    return (Path(app.outdir) / "mlrefarch.json").read_bytes()


def html_of(app: Any, page: str, selector: str) -> str:
    html = (Path(app.outdir) / page).read_text("utf-8")
    node = BeautifulSoup(html, "html.parser").select_one(selector)
    assert node is not None, f"{selector} not in {page}"
    return str(node)


def warnings_set(app: Any) -> list[str]:
    return sorted(mlrefarch_warnings(app))


def assert_same(one: Any, other: Any) -> None:
    assert export_bytes(one) == export_bytes(other)
    for page, selector in COMPARED:
        assert html_of(one, page, selector) == html_of(other, page, selector), (page, selector)


def fresh(make_app: Any, src: Path, builddir: Path, **kwargs: Any) -> Any:
    app = make_app("html", srcdir=src, freshenv=True, builddir=builddir, **kwargs)
    app.build()
    return app


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_parallel_equals_serial(make_app: Any, tmp_path: Path, syntax: str) -> None:
    src = make_source(tmp_path, syntax)
    serial = fresh(make_app, src, tmp_path / "serial")
    parallel = fresh(make_app, src, tmp_path / "parallel", parallel=2)
    assert parallel.is_parallel_allowed("read") and parallel.is_parallel_allowed("write")
    assert len(parallel.env.found_docs) >= 6  # fewer and Sphinx reads serially anyway
    assert_same(parallel, serial)
    assert warnings_set(parallel) == warnings_set(serial)
    anchors = [app.env.get_domain("mlrefarch").data["sbb_anchors"] for app in (serial, parallel)]
    assert anchors[0] == anchors[1] and len(anchors[0]["catalogue"]) == 90  # 89 + MinIO
    # the catalogue is in use: the tables show the tailored entry and the uses
    assert "MinIO" in html_of(serial, "catalogue.html", "table.mlrefarch-sbb-catalogue")
    sbb = [w for w in warnings_set(serial) if "[mlrefarch.sbb]" in w]
    assert len(sbb) == 1 and "'Jetson SDK'" in sbb[0]  # vision's policy is 'catalogue'


def rebuild(make_app: Any, src: Path, builddir: Path) -> tuple[Any, list[str], list[str]]:
    """An incremental build; the app, the documents read and the documents written."""
    app = make_app("html", srcdir=src, builddir=builddir)
    read: list[str] = []
    written: list[str] = []
    app.connect("env-before-read-docs", lambda _app, _env, names: read.extend(names))
    app.connect("doctree-resolved", lambda _app, _tree, name: written.append(name))
    app.build()
    return app, sorted(read), sorted(written)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), "utf-8")


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_incremental_after_adding_an_sbb(make_app: Any, tmp_path: Path, syntax: str) -> None:
    src = make_source(tmp_path, syntax)
    builddir = tmp_path / "inc"
    fresh(make_app, src, builddir)
    _app, read, written = rebuild(make_app, src, builddir)
    assert (read, written) == ([], [])  # positive control: nothing changed, nothing done

    edit(src / f"solutions/churn/data.{syntax}", "pandas, Kedro", "pandas, Kedro, Apache Tika")
    app, read, written = rebuild(make_app, src, builddir)
    assert read == ["solutions/churn/data"]
    assert {
        "solutions/churn/data",
        "solutions/churn/index",  # its coverage and usage tables
        "catalogue",  # Used by
        "inventory",  # the whole inventory
    } <= set(written)
    assert "notes" not in written and "solutions/vision" not in written
    assert "solutions/churn/platform" not in written
    tika = html_of(app, "catalogue.html", "table.mlrefarch-sbb-catalogue")
    assert "Churn (Data Tools)" in tika.split('id="sbb-apachetika"')[1].split("</tr>")[0]
    assert_same(app, fresh(make_app, src, tmp_path / "fresh"))


def vs_code(app: Any) -> list[Any]:
    html = (Path(app.outdir) / "solutions/churn/index.html").read_text("utf-8")
    facts = BeautifulSoup(html, "html.parser").select_one("div.mlrefarch-abb p.mlrefarch-facts")
    assert facts is not None
    return [s for s in sbbs(facts) if s.name == "VS Code"]


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_editing_the_catalogue_reads_the_pages_that_use_it(
    make_app: Any, tmp_path: Path, syntax: str
) -> None:
    src = make_source(tmp_path, syntax)
    builddir = tmp_path / "inc"
    first = fresh(make_app, src, builddir)
    (before,) = vs_code(first)
    assert before.href is None  # not catalogued yet
    _app, read, written = rebuild(make_app, src, builddir)
    assert (read, written) == ([], [])

    addition = (
        "  - id: vscodium\n    name: VSCodium\n    aliases: [VS Code]\n    licence: MIT\n"
        "    foss: true\n    homepage: https://vscodium.com\n    blocks: [development-tools]\n"
    )
    edit(src / "catalogue.yaml", "entries:\n", "entries:\n" + addition)
    app, read, written = rebuild(make_app, src, builddir)
    users = {d for d in PAGES if d not in ("index", "notes")}  # every page with a directive
    assert set(read) == users
    assert users <= set(written)
    (after,) = vs_code(app)
    assert after.href == "../../catalogue.html#sbb-vscodium" and after.licence == "MIT"
    assert_same(app, fresh(make_app, src, tmp_path / "fresh"))


def _serial_parallel_incremental(
    make_app: Any, tmp_path: Path, syntax: str
) -> tuple[Any, Any, Any]:
    src = make_source(tmp_path, syntax)
    serial = fresh(make_app, src, tmp_path / "serial")
    parallel = fresh(make_app, src, tmp_path / "parallel", parallel=2)
    builddir = tmp_path / "inc"
    fresh(make_app, src, builddir)
    edit(src / f"solutions/churn/data.{syntax}", "pandas, Kedro", "pandas")
    rebuild(make_app, src, builddir)
    edit(src / f"solutions/churn/data.{syntax}", "pandas", "pandas, Kedro")
    incremental = rebuild(make_app, src, builddir)[0]
    return serial, parallel, incremental


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_serial_parallel_and_incremental_agree(make_app: Any, tmp_path: Path, syntax: str) -> None:
    serial, parallel, incremental = _serial_parallel_incremental(make_app, tmp_path, syntax)
    assert_same(parallel, serial)
    assert_same(incremental, serial)


def boxes(app: Any, page: str) -> str:
    """Every declaration box of a page (their SBB links), as HTML."""
    html = (Path(app.outdir) / page).read_text("utf-8")
    return "".join(str(b) for b in BeautifulSoup(html, "html.parser").select("div.mlrefarch-box"))


def catalogue_page(syntax: str, **options: str) -> str:
    return render(syntax, "catalogue", (D("sbb-catalogue", options=dict(options)),)).text()


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize("change", ["list-more", "delete"])
def test_incremental_after_changing_where_products_are_listed(
    make_app: Any, tmp_path: Path, syntax: str, change: str
) -> None:
    """Links to the catalogue page's rows follow when that page lists more products or goes."""
    src = make_source(tmp_path, syntax)
    page = src / f"catalogue.{syntax}"
    page.write_text(catalogue_page(syntax, blocks="data-tools"), "utf-8")
    builddir = tmp_path / "inc"
    first = fresh(make_app, src, builddir)
    assert "https://pytorch.org" in boxes(first, "solutions/vision.html")  # not on the page
    assert "../catalogue.html#sbb-jupyter-notebook" in boxes(first, "solutions/churn/index.html")
    if change == "list-more":
        page.write_text(catalogue_page(syntax), "utf-8")
    else:
        page.unlink()
        edit(src / f"index.{syntax}", "catalogue\n", "")
    app, _read, written = rebuild(make_app, src, builddir)
    # pages that name products, also those without any view of other documents
    naming = {"solutions/vision", "solutions/churn/index", "solutions/churn/platform"}
    assert naming | {"inventory", "book"} <= set(written)  # and the views that link products
    assert "notes" not in written
    again = fresh(make_app, src, tmp_path / "fresh")
    assert export_bytes(app) == export_bytes(again)
    for name in sorted(naming):
        assert boxes(app, f"{name}.html") == boxes(again, f"{name}.html"), name
    for selector in COMPARED[1:]:
        assert html_of(app, *selector) == html_of(again, *selector), selector
    vision = boxes(app, "solutions/vision.html")
    if change == "list-more":
        assert "../catalogue.html#sbb-pytorch" in vision
    else:
        assert "https://pytorch.org" in vision and "catalogue.html" not in vision
