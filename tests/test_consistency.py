"""Serial, parallel (-j 2) and incremental builds must agree with a fresh serial build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers import copy_root

from sphinx_mlrefarch.domain import PER_DOC


def domain_state(app: Any) -> dict[str, Any]:
    data = app.env.get_domain("mlrefarch").data
    return {table: data[table] for table in PER_DOC}


def export_bytes(app: Any) -> bytes:
    return (Path(app.outdir) / "mlrefarch.json").read_bytes()


def table_html(app: Any, page: str, selector: str) -> str:
    html = (Path(app.outdir) / page).read_text("utf-8")
    node = BeautifulSoup(html, "html.parser").select_one(selector)
    assert node is not None, f"{selector} not in {page}"
    return str(node)


@pytest.mark.parametrize("root", ["basic", "myst"])
def test_parallel_equals_serial(make_app: Any, tmp_path: Path, root: str) -> None:
    src = copy_root(root, tmp_path / "src")
    serial = make_app("html", srcdir=src, freshenv=True, builddir=tmp_path / "serial")
    serial.build()
    parallel = make_app("html", srcdir=src, freshenv=True, parallel=2, builddir=tmp_path / "par")
    assert parallel.parallel == 2
    assert parallel.is_parallel_allowed("read") and parallel.is_parallel_allowed("write")
    parallel.build()
    assert len(parallel.env.found_docs) >= 6  # fewer and Sphinx reads serially anyway
    assert domain_state(parallel) == domain_state(serial)
    assert export_bytes(parallel) == export_bytes(serial)
    for page, selector in (
        ("portfolio.html", "table.mlrefarch-portfolio"),
        ("solutions/churn/index.html", "table.mlrefarch-coverage"),
        ("book.html", "section#block-data"),
    ):
        assert table_html(parallel, page, selector) == table_html(serial, page, selector)
    # warnings are not lost in parallel builds
    par_warnings = sorted(w for w in parallel.warning.getvalue().splitlines() if "mlrefarch" in w)
    ser_warnings = sorted(w for w in serial.warning.getvalue().splitlines() if "mlrefarch" in w)
    assert par_warnings == ser_warnings
    assert len(par_warnings) == 19


def _rebuild(make_app: Any, src: Path, builddir: Path) -> tuple[Any, list[str]]:
    """An incremental build; returns the app and the documents it wrote."""
    app = make_app("html", srcdir=src, builddir=builddir)
    written: list[str] = []
    app.connect("doctree-resolved", lambda _app, _tree, docname: written.append(docname))
    app.build()
    return app, sorted(written)


COMPARED = (
    ("portfolio.html", "table.mlrefarch-portfolio"),
    ("solutions/churn/index.html", "table.mlrefarch-coverage"),
    ("solutions/churn/index.html", "div.mlrefarch-solution"),
    ("book.html", "section#block-data-tools"),
)


def assert_same_as_fresh(make_app: Any, src: Path, incremental: Any, tmp_path: Path) -> None:
    fresh = make_app("html", srcdir=src, freshenv=True, builddir=tmp_path / "fresh")
    fresh.build()
    assert export_bytes(incremental) == export_bytes(fresh)
    assert domain_state(incremental) == domain_state(fresh)
    for page, selector in COMPARED:
        assert table_html(incremental, page, selector) == table_html(fresh, page, selector)


def test_incremental_after_edit(make_app: Any, tmp_path: Path) -> None:
    src = copy_root("basic", tmp_path / "src")
    builddir = tmp_path / "inc"
    first = make_app("html", srcdir=src, freshenv=True, builddir=builddir)
    first.build()
    before = table_html(first, "portfolio.html", "table.mlrefarch-portfolio")

    # nothing changed: nothing is rewritten
    _app, written = _rebuild(make_app, src, builddir)
    assert written == []

    data = src / "solutions/churn/data.rst"
    data.write_text(data.read_text().replace(":status: addressed", ":status: planned"))
    app, written = _rebuild(make_app, src, builddir)

    # the edited page and the pages that show aggregates of its solution are rewritten
    assert {"solutions/churn/data", "solutions/churn/index", "portfolio", "book"} <= set(written)
    assert "notes" not in written
    assert "solutions/vision" not in written
    after = table_html(app, "portfolio.html", "table.mlrefarch-portfolio")
    assert after != before
    assert_same_as_fresh(make_app, src, app, tmp_path)


def test_incremental_after_deleting_a_solution(make_app: Any, tmp_path: Path) -> None:
    src = copy_root("basic", tmp_path / "src")
    builddir = tmp_path / "inc"
    make_app("html", srcdir=src, freshenv=True, builddir=builddir).build()

    (src / "solutions/vision.rst").unlink()
    index = src / "index.rst"
    index.write_text(index.read_text().replace("   solutions/vision\n", ""))
    app, written = _rebuild(make_app, src, builddir)
    assert "portfolio" in written
    data = (Path(app.outdir) / "mlrefarch.json").read_text()
    assert "defect-detection" not in data
    assert_same_as_fresh(make_app, src, app, tmp_path)


def test_incremental_after_adding_a_declaration_in_a_subdocument(
    make_app: Any, tmp_path: Path
) -> None:
    src = copy_root("basic", tmp_path / "src")
    builddir = tmp_path / "inc"
    make_app("html", srcdir=src, freshenv=True, builddir=builddir).build()
    platform = src / "solutions/churn/platform.rst"
    platform.write_text(platform.read_text() + "\n.. abb:: security\n   :sbb: Vault\n")
    app, written = _rebuild(make_app, src, builddir)
    assert "solutions/churn/index" in written  # its coverage table changed
    assert "solutions/vision" not in written
    churn = app.env.get_domain("mlrefarch").portfolio.solutions["churn"]
    assert churn.coverage.blocks["security"] == "addressed"
    assert churn.coverage.missing == ("programming-tools",)
    assert_same_as_fresh(make_app, src, app, tmp_path)
