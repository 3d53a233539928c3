"""Incremental builds of an importing project: a changed import re-renders what shows it, only.

The team project is rebuilt after each change; the office is rebuilt
incrementally into the same directory, recording the documents it writes
(``doctree-resolved``). Sphinx itself also rewrites the pages whose toctree
holds a rewritten page (the index here), so the expected set is the pages
that show imported data plus their toctree parents. Each result is
compared with a fresh build of the same sources; serial, ``-j 2`` and
incremental builds write the same ``mlrefarch.json`` bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from helpers import mlrefarch_warnings
from import_helpers import (
    AGGREGATE_PAGES,
    ROLE_PAGES,
    TEAM,
    TEAM_URL,
    body,
    build_team,
    matrices,
    office_conf,
    office_files,
    write_office,
)
from import_helpers import loopback_only as guard


@pytest.fixture(autouse=True)
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    guard(monkeypatch)


def setup_projects(tmp_path: Path, fmt: str = "rst") -> Path:
    """The team built into ``team-html``; the office (its source dir returned) importing it."""
    build_team(tmp_path)
    entry = {"source": "../team-html/mlrefarch.json", "url": TEAM_URL}
    return write_office(tmp_path / "office", office_conf({"team": entry}), office_files(fmt))


def change_team(tmp_path: Path, old: str, new: str, page: str = "fraud.rst") -> None:
    """Edit one of the team's pages and rebuild the team."""
    files = dict(TEAM)
    current = (tmp_path / "team" / page).read_text("utf-8")
    assert old in current
    files[page] = current.replace(old, new)
    build_team(tmp_path, files)


def rebuild(make_app: Any, src: Path, builddir: Path, **kwargs: Any) -> tuple[Any, set[str]]:
    """A build of ``src`` into ``builddir``; the app and the documents it wrote."""
    app = make_app("html", srcdir=src, builddir=builddir, **kwargs)
    written: set[str] = set()
    app.connect("doctree-resolved", lambda _app, _tree, docname: written.add(docname))
    app.build()
    return app, written


def with_parents(app: Any, pages: Iterable[str]) -> set[str]:
    """``pages`` and the documents whose toctree lists one of them (Sphinx rewrites those)."""
    out = set(pages)
    for docname in pages:
        out |= set(app.env.files_to_rebuild.get(docname, ()))
    return out


def export_bytes(app: Any) -> bytes:
    return (Path(app.outdir) / "mlrefarch.json").read_bytes()


def assert_same_as_fresh(make_app: Any, src: Path, built: Any, builddir: Path) -> None:
    """Every page's content and the JSON equal those of a fresh build of the same sources."""
    fresh = make_app("html", srcdir=src, freshenv=True, builddir=builddir)
    fresh.build()
    assert export_bytes(built) == export_bytes(fresh)
    for docname in sorted(fresh.env.found_docs):
        ours, theirs = body(Path(built.outdir), docname), body(Path(fresh.outdir), docname)
        assert str(ours) == str(theirs), docname


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_a_changed_status_rewrites_the_pages_showing_imported_aggregates(
    make_app: Any, tmp_path: Path, fmt: str
) -> None:
    src = setup_projects(tmp_path, fmt)
    builddir = tmp_path / "inc"
    first, written = rebuild(make_app, src, builddir, freshenv=True)
    assert written == set(first.env.found_docs)
    before = matrices(Path(first.outdir), "all")[0]["Fraud detection"]
    assert before.statuses["data"] == "planned"

    # nothing changed: nothing is written
    _app, written = rebuild(make_app, src, builddir)
    assert written == set()

    change_team(tmp_path, ":status: planned", ":status: addressed")
    app, written = rebuild(make_app, src, builddir)
    assert written == with_parents(app, AGGREGATE_PAGES)
    # the role texts did not change, nor did pages without imported data
    assert {"links", "churn", "notes"}.isdisjoint(written)
    after = matrices(Path(app.outdir), "all")[0]["Fraud detection"]
    assert after.statuses["data"] == "addressed"
    assert after.percent == "100.0%"
    assert mlrefarch_warnings(app) == []
    assert_same_as_fresh(make_app, src, app, tmp_path / "fresh")


def test_a_changed_title_also_rewrites_the_pages_with_roles(make_app: Any, tmp_path: Path) -> None:
    src = setup_projects(tmp_path)
    builddir = tmp_path / "inc"
    rebuild(make_app, src, builddir, freshenv=True)
    change_team(tmp_path, ".. solution:: Fraud detection", ".. solution:: Fraud screening")
    app, written = rebuild(make_app, src, builddir)
    assert written == with_parents(app, AGGREGATE_PAGES | ROLE_PAGES)
    assert {"churn", "notes"}.isdisjoint(written)
    links = body(Path(app.outdir), "links")
    assert "Fraud screening" in links.get_text() and "Fraud detection" not in links.get_text()
    assert_same_as_fresh(make_app, src, app, tmp_path / "fresh")


def test_an_import_that_disappears_and_comes_back(make_app: Any, tmp_path: Path) -> None:
    src = setup_projects(tmp_path)
    builddir = tmp_path / "inc"
    first, _written = rebuild(make_app, src, builddir, freshenv=True)
    original = export_bytes(first)
    exported = tmp_path / "team-html" / "mlrefarch.json"
    kept = exported.read_bytes()
    exported.unlink()

    app, written = rebuild(make_app, src, builddir)
    (problem,) = mlrefarch_warnings(app, "import")
    assert "'../team-html/mlrefarch.json': no such file" in problem
    # the roles to team:... now name nothing: their pages are rewritten too
    assert written == with_parents(app, AGGREGATE_PAGES | ROLE_PAGES)
    # the page body, not the sidebar: older themes list the office's own
    # page titled "Fraud detection, imported" in their navigation
    assert "Fraud detection" not in body(Path(app.outdir), "all").get_text()
    assert_same_as_fresh(make_app, src, app, tmp_path / "fresh-without")

    exported.write_bytes(kept)
    app, written = rebuild(make_app, src, builddir)
    assert written == with_parents(app, AGGREGATE_PAGES | ROLE_PAGES)
    assert mlrefarch_warnings(app) == []
    assert export_bytes(app) == original


def test_serial_parallel_and_incremental_builds_write_the_same_json(
    make_app: Any, tmp_path: Path
) -> None:
    src = setup_projects(tmp_path)
    incremental = tmp_path / "inc"
    rebuild(make_app, src, incremental, freshenv=True)
    change_team(tmp_path, ":status: accepted", ":status: retired", "scoring.rst")

    serial, _written = rebuild(make_app, src, tmp_path / "serial", freshenv=True)
    parallel, _written = rebuild(make_app, src, tmp_path / "par", freshenv=True, parallel=2)
    assert parallel.parallel == 2
    assert parallel.is_parallel_allowed("read") and parallel.is_parallel_allowed("write")
    assert len(parallel.env.found_docs) >= 6  # fewer and Sphinx reads serially anyway
    updated, written = rebuild(make_app, src, incremental)
    assert written  # positive control: the change reached the incremental build
    data = export_bytes(serial)
    assert b'"scoring"' in data and export_bytes(parallel) == data
    assert export_bytes(updated) == data
    # and -j 2 incrementally, after one more change
    change_team(tmp_path, ":status: retired", ":status: accepted", "scoring.rst")
    again, written = rebuild(make_app, src, incremental, parallel=2)
    # the page showing only team:fraud does not show the changed solution
    assert written == with_parents(again, AGGREGATE_PAGES - {"fraud"})
    fresh, _written = rebuild(make_app, src, tmp_path / "serial-2", freshenv=True)
    assert export_bytes(again) == export_bytes(fresh)


#: Single-solution views of an imported solution, and a page without imported data.
_VIEW_PAGES = {
    "hosting.rst": "Hosting\n=======\n\n.. hosting-matrix::\n   :solution: team:fraud\n",
    "diagram.rst": "Diagram\n=======\n\n.. abb-diagram::\n   :solution: team:fraud\n",
    "notes.rst": "Notes\n=====\n\nNothing here comes from elsewhere.\n",
    "index.rst": "Office\n======\n\n.. toctree::\n\n   hosting\n   diagram\n   notes\n",
}


@pytest.mark.parametrize(
    ("old", "new", "changed"),
    [
        ("   :platform: cloud\n", "   :platform: on-premises\n", "hosting"),
        (":status: planned", ":status: addressed", "diagram"),
    ],
    ids=["hosting-choice-edited", "status-edited"],
)
def test_hosting_matrix_and_model_diagram_of_an_imported_solution(
    make_app: Any, tmp_path: Path, old: str, new: str, changed: str
) -> None:
    """A change the view shows rewrites its page (and what lists it), nothing else."""
    build_team(tmp_path)
    entry = {"source": "../team-html/mlrefarch.json", "url": TEAM_URL}
    src = write_office(tmp_path / "office", office_conf({"team": entry}), _VIEW_PAGES)
    builddir = tmp_path / "inc"
    first, _written = rebuild(make_app, src, builddir, freshenv=True)
    before = body(Path(first.outdir), changed).get_text()

    change_team(tmp_path, old, new)
    app, written = rebuild(make_app, src, builddir)
    # both views select team:fraud, so both pages show the changed solution
    assert written == with_parents(app, {"hosting", "diagram"})
    assert "notes" not in written
    assert body(Path(app.outdir), changed).get_text() != before
    assert mlrefarch_warnings(app) == []
    assert_same_as_fresh(make_app, src, app, tmp_path / "fresh")
