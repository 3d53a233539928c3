"""Builders and layouts beyond a single HTML build: shared doctrees, EPUB, man, LaTeX, includes.

The make-mode, EPUB, man and LaTeX tests build tests/roots/test-builders.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers import copy_root, export_of, mlrefarch_warnings, warnings_of
from sphinx.cmd.build import main as sphinx_build
from sphinx.testing.util import SphinxTestApp


def write(src: Path, files: dict[str, str], conf: str = "") -> Path:
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text('extensions = ["sphinx_mlrefarch"]\n' + conf)
    for name, text in files.items():
        (src / name).write_text(text)
    return src


def portfolio_percent(html_dir: Path) -> str:
    page = BeautifulSoup((html_dir / "portfolio.html").read_text("utf-8"), "html.parser")
    return page.select_one("table.mlrefarch-portfolio tbody td.mlrefarch-percent").get_text()


def test_make_mode_html_text_html_keeps_aggregates_fresh(tmp_path: Path) -> None:
    """`make html`, edit, `make text`, `make html`: the html portfolio must show the edit."""
    src = copy_root("builders", tmp_path / "src")
    build = tmp_path / "_build"
    assert sphinx_build(["-M", "html", str(src), str(build), "-q"]) == 0
    assert portfolio_percent(build / "html") == "50.0%"
    (src / "inc.rst").write_text("Inc\n===\n\n.. abb:: data-tools\n")
    assert sphinx_build(["-M", "text", str(src), str(build), "-q"]) == 0
    assert sphinx_build(["-M", "html", str(src), str(build), "-q"]) == 0
    assert portfolio_percent(build / "html") == "100.0%"  # selected by title, too


def test_included_file_locations(project: Any) -> None:
    app = project(
        {
            "index.rst": (
                "Index\n=====\n\n.. solution:: S\n   :required: data\n\n.. include:: part.txt\n"
            ),
            "part.txt": "\n\n.. abb:: data-tool\n\n.. abb:: data\n\n.. abb:: data\n",
        }
    )
    unknown = mlrefarch_warnings(app, "unknown")
    assert len(unknown) == 1 and re.search(r"part\.txt:3: WARNING", unknown[0]), unknown
    duplicate = mlrefarch_warnings(app, "duplicate")
    assert len(duplicate) == 1
    assert re.search(r"part\.txt:7: WARNING", duplicate[0])
    assert re.search(r"here and at \S*part\.txt:5", duplicate[0])
    declarations = export_of(app)["solutions"]["s"]["declarations"]
    assert [d["line"] for d in declarations] == [5, 7]


@pytest.mark.sphinx(
    "epub",
    testroot="builders",
    srcdir="builders-epub",
    freshenv=True,
    confoverrides={"epub_copyright": "x", "version": "1"},
)
def test_epub_contains_stylesheet_and_no_mermaid(app: SphinxTestApp) -> None:
    app.build()
    assert [w for w in warnings_of(app) if "[mlrefarch.missing]" not in w] == []
    epub = next(Path(app.outdir).glob("*.epub"))
    with zipfile.ZipFile(epub) as archive:
        names = archive.namelist()
        assert any(name.endswith("_static/mlrefarch.css") for name in names)
        book = archive.read(next(n for n in names if n.endswith("book.xhtml"))).decode()
    assert "flowchart" not in book
    assert "mlrefarch-diagram-table" in book


@pytest.mark.sphinx("man", testroot="builders", srcdir="builders-man", freshenv=True)
def test_man_builder_without_warnings(app: SphinxTestApp) -> None:
    app.build()
    assert [w for w in warnings_of(app) if "[mlrefarch.missing]" not in w] == []


@pytest.mark.sphinx(
    "latex",
    testroot="builders",
    srcdir="builders-latex",
    freshenv=True,
    confoverrides={"latex_documents": [("churn", "churn.tex", "Churn", "me", "howto")]},
)
def test_latex_document_without_the_book(app: SphinxTestApp) -> None:
    """Diagram links to a page outside the LaTeX document become plain text, no traceback."""
    app.build()
    assert [w for w in warnings_of(app) if "[mlrefarch.missing]" not in w] == []
    assert "Data Tools" in (Path(app.outdir) / "churn.tex").read_text("utf-8")


def test_two_hosting_choices_with_one_title_get_distinct_ids(project: Any) -> None:
    body = (
        ".. solution:: S\n\n"
        ".. hosting-choice:: Cluster\n   :environment: training\n\n"
        ".. hosting-choice:: Cluster\n   :environment: production\n"
    )
    app = project({"index.rst": "Index\n=====\n\n" + body})
    html = (Path(app.outdir) / "index.html").read_text("utf-8")
    ids = [div["id"] for div in BeautifulSoup(html, "html.parser").select(".mlrefarch-box[id]")]
    assert len(ids) == len(set(ids)) == 3


def test_comment_is_no_justification(project: Any) -> None:
    body = ".. solution:: S\n\n.. abb:: data\n   :status: not-applicable\n\n   .. TODO: say why\n"
    app = project({"index.rst": "Index\n=====\n\n" + body})
    assert len(mlrefarch_warnings(app, "justification")) == 1


def test_argument_to_a_directive_without_one(project: Any) -> None:
    app = project({"index.rst": "Index\n=====\n\n.. abb-coverage:: everything\n"})
    found = mlrefarch_warnings(app, "option")
    assert len(found) == 1 and "'abb-coverage' takes no argument" in found[0]
    assert all("ERROR" not in w for w in warnings_of(app))


def test_second_build_in_one_process_sees_model_edit(make_app: Any, tmp_path: Path) -> None:
    src = write(
        tmp_path / "src",
        {"index.rst": "Index\n=====\n\n.. solution:: S\n   :required: all\n"},
        'mlrefarch_model = "model.yaml"\n',
    )
    (src / "model.yaml").write_text(
        "extends: default\nblocks:\n  - {id: feature-store, title: Feature Store, layer: data}\n"
    )
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    assert export_of(app)["solutions"]["s"]["coverage"]["required"] == 21
    (src / "model.yaml").write_text("extends: default\nremove: [networking]\n")
    app.build()
    assert export_of(app)["solutions"]["s"]["coverage"]["required"] == 19


def test_portfolio_without_solutions_is_an_empty_valid_table(project: Any) -> None:
    body = ".. abb-coverage::\n   :solutions: all\n"
    app = project({"index.rst": "Index\n=====\n\n" + body})
    assert warnings_of(app) == []
    page = BeautifulSoup((Path(app.outdir) / "index.html").read_text("utf-8"), "html.parser")
    rows = page.select("table.mlrefarch-portfolio tbody tr")
    assert [r.get_text(" ", strip=True) for r in rows] == [
        "No solutions are declared in this project yet."
    ]
    assert export_of(app)["solutions"] == {}


def test_empty_model_renders_everything_without_errors(project: Any) -> None:
    body = (
        ".. solution:: S\n\n.. abb:: data\n\n.. abb-coverage::\n\n.. abb-diagram::\n\n"
        ".. reference-model::\n\n.. ml-process::\n\n.. hosting-matrix::\n\n.. constraint-list::\n"
    )
    app = project(
        {
            "index.rst": "Index\n=====\n\n" + body,
            "empty.yaml": "schema: 1\nid: empty\ntitle: Empty\nlayers: []\nblocks: []\n",
        },
        conf='mlrefarch_model = "empty.yaml"\n',
    )
    # the only complaint: 'data' is not a block of this model
    assert [w.split("WARNING: ")[1] for w in warnings_of(app)] == [
        "unknown building block 'data' in 'abb' [mlrefarch.unknown]"
    ]
    solution = export_of(app)["solutions"]["s"]
    assert solution["coverage"] == {
        "blocks": {},
        "required": 0,
        "satisfied": 0,
        "percent": 100.0,
        "missing": [],
    }
    html = (Path(app.outdir) / "index.html").read_text("utf-8")
    assert "0 of 0 required building blocks addressed (100.0%)" in html


def test_solution_with_nothing_declared(project: Any) -> None:
    app = project({"index.rst": "Index\n=====\n\n.. solution:: Bare\n\n.. abb-coverage::\n"})
    assert len(mlrefarch_warnings(app, "missing")) == 20
    assert export_of(app)["solutions"]["bare"]["coverage"]["percent"] == 0.0


def test_text_builder_prints_lead_ins_bold_without_the_space(project: Any) -> None:
    """``**Owner:** Team``, not ``**Owner: **Team``: the space is outside the bold."""
    page = (
        "Page\n====\n\n.. solution:: S\n   :owner: Team\n\n"
        ".. reference-model::\n   :blocks: data-tools\n\n"
        ".. reference-model::\n   :part: principles\n"
    )
    app = project({"index.rst": page}, buildername="text")
    text = (Path(app.outdir) / "index.txt").read_text("utf-8")
    for lead in ("Owner", "Related", "FOSS options", "Rationale"):
        assert f"**{lead}:** " in text, lead
    assert not re.search(r"\*\*[^*\n]*: \*\*", text), text
