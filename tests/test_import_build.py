"""Imported solutions in a real office build: matrices, roles, lists, back-links, products, JSON.

A team project is built with ``-b html``; an office project imports its
``mlrefarch.json`` by path with a ``url``, by path without one (entries
unlinked) and over HTTP from a server on 127.0.0.1 (``url`` defaulting to
the source's directory), each in rST and in MyST. What the office shows of
the team is compared with what the team's own build wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup
from http_fixtures import body as answer
from http_fixtures import serve
from import_helpers import (
    TEAM,
    TEAM_URL,
    Built,
    MatrixRow,
    build,
    build_team,
    href,
    matrices,
    office_conf,
    office_files,
    table_rows,
    text,
    write_office,
    write_tree,
)
from import_helpers import body as main_of
from import_helpers import loopback_only as guard

from sphinx_mlrefarch.export import export_schema

MODES = ("url", "bare", "http")


@dataclass(frozen=True)
class Office:
    fmt: str
    mode: str
    built: Built
    #: The team's pages' base as the office links them; None: unlinked.
    base: str | None
    source: str
    team: dict[str, Any]

    def link(self, uri: str) -> str | None:
        return None if self.base is None else self.base + uri

    @property
    def out(self) -> Path:
        return self.built.out


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_team(tmp_path_factory.mktemp("team"))


@pytest.fixture(autouse=True)
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    guard(monkeypatch)


def make_office(root: Path, fmt: str, mode: str, team: Built, typos: bool = False) -> Office:
    """Build the office importing ``team`` the way ``mode`` says."""
    data = (team.out / "mlrefarch.json").read_bytes()
    source = str(team.out / "mlrefarch.json")
    base: str | None = None
    with pytest.MonkeyPatch.context() as patch:
        guard(patch)
        if mode == "http":
            with serve({"/team/mlrefarch.json": answer(data)}) as server:
                source, base = server.url("/team/mlrefarch.json"), server.url("/team/")
                built = _build(root, fmt, {"team": source}, typos)
        else:
            entry: dict[str, str] = {"source": source}
            if mode == "url":
                entry["url"] = base = TEAM_URL
            built = _build(root, fmt, {"team": entry}, typos)
    return Office(fmt, mode, built, base, source, json.loads(data))


def _build(root: Path, fmt: str, imports: dict[str, Any], typos: bool) -> Built:
    src = write_office(root / "office", office_conf(imports), office_files(fmt, typos))
    return build(src, root / "office-html")


@pytest.fixture(scope="module", params=[(f, m) for m in MODES for f in ("rst", "md")], ids=str)
def office(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, team: Built
) -> Iterator[Office]:
    fmt, mode = request.param
    yield make_office(tmp_path_factory.mktemp(f"office-{fmt}-{mode}"), fmt, mode, team)


# -- the matrix ----------------------------------------------------------------------------


def assert_imported_row(office: Office, row: MatrixRow, sid: str) -> None:
    """The row shows solution ``sid`` as the team's build computed it, marked and linked."""
    solution = office.team["solutions"][sid]
    cov = solution["coverage"]
    assert row.badge == "imported from team"
    assert row.percent == f"{cov['percent']:.1f}%"
    assert row.statuses == cov["blocks"]
    assert {b for b, needed in row.required.items() if needed} == set(solution["required"])
    assert row.link == office.link(solution["uri"])
    declared = {d["block"]: d["uri"] for d in solution["declarations"]}
    for block, target in row.marks.items():
        expected = office.link(declared[block]) if block in declared else None
        assert target == expected, block


def test_all_shows_local_and_imported_rows(office: Office) -> None:
    assert office.built.status == 0
    (rows,) = matrices(office.out, "all")
    assert list(rows) == ["Churn", "Fraud detection", "Credit scoring", "Share"]
    assert rows["Churn"].badge == "" and rows["Churn"].link == "churn.html#solution-churn"
    assert_imported_row(office, rows["Fraud detection"], "fraud")
    assert_imported_row(office, rows["Credit scoring"], "scoring")
    # positive controls: the team's figures, not recomputed here
    fraud = rows["Fraud detection"]
    assert fraud.percent == "66.7%"
    assert (fraud.statuses["data-tools"], fraud.statuses["data"]) == ("partial", "planned")
    assert fraud.statuses["hosting"] == fraud.statuses["containers"] == "addressed"
    assert rows["Credit scoring"].percent == "50.0%"
    # imported rows count in the share: 1/1 + 2/3 + 1/2 required blocks
    assert rows["Share"].percent == "66.7%"


def test_one_import_and_one_imported_solution(office: Office) -> None:
    (every,) = matrices(office.out, "team")
    assert list(every) == ["Fraud detection", "Credit scoring", "Share"]
    assert_imported_row(office, every["Credit scoring"], "scoring")
    (one,) = matrices(office.out, "fraud")
    assert list(one) == ["Fraud detection", "Share"]
    assert_imported_row(office, one["Fraud detection"], "fraud")
    assert one["Share"].percent == "66.7%"


def test_outside_a_solution_the_matrix_shows_imports_and_inside_it_does_not(
    office: Office,
) -> None:
    (rows,) = matrices(office.out, "overview")
    assert list(rows) == ["Churn", "Fraud detection", "Credit scoring", "Share"]
    assert_imported_row(office, rows["Fraud detection"], "fraud")
    churn = main_of(office.out, "churn")
    assert churn.select("table.mlrefarch-coverage")
    assert not churn.select("table.mlrefarch-portfolio")
    assert "imported from" not in text(churn)


def test_an_import_without_url_has_no_link_to_the_team(office: Office) -> None:
    pages = ["all", "team", "fraud", "overview", "book", "links", "products"]
    team_hrefs = [
        str(a["href"])
        for name in pages
        for a in main_of(office.out, name).find_all("a", href=True)
        if "fraud.html" in str(a["href"]) or "scoring.html" in str(a["href"])
    ]
    if office.mode == "bare":
        assert team_hrefs == []
    else:  # positive control: the same pages link the team's when there is an address
        assert len(team_hrefs) > 20
        assert all(h.startswith(str(office.base)) for h in team_hrefs)


# -- roles, constraint lists, back-links, products -------------------------------------------


def test_roles_show_the_imported_title_and_link_to_its_page(office: Office) -> None:
    content = main_of(office.out, "links")
    refs = {text(node): node for node in content.select(".xref")}
    assert set(refs) == {"Fraud detection", "the scoring", "Card data stays in the EU", "Churn"}
    expected = {
        "Fraud detection": office.link("fraud.html#solution-fraud"),
        "the scoring": office.link("scoring.html#solution-scoring"),
        "Card data stays in the EU": office.link("fraud.html#constraint-eu"),
    }
    for title, target in expected.items():
        node = refs[title]
        link = node.find_parent("a")
        if target is None:
            assert link is None, title
            assert "mlrefarch-unlinked" in (node.get("class") or []), title
        else:
            assert link is not None and link["href"] == target, title
    local = refs["Churn"].find_parent("a")
    assert local is not None and local["href"] == "churn.html#solution-churn"


def test_constraint_list_of_an_imported_solution(office: Office) -> None:
    (row,) = table_rows(office.out, "fraud", "table.mlrefarch-constraints")
    cells = [text(cell) for cell in row]
    assert cells == [
        "Card data stays in the EU",
        "Fraud detection imported from team",
        "Security",
        "must",
        "Data, Storage",
        "",
    ]
    assert href(row[0]) == office.link("fraud.html#constraint-eu")
    assert [a["href"] for a in row[4].find_all("a")] == [
        "book.html#block-data",
        "book.html#block-storage",
    ]
    (every,) = table_rows(office.out, "all", "table.mlrefarch-constraints")  # churn has none
    assert text(every[0]) == "Card data stays in the EU"


def backlinks(office: Office, block: str) -> dict[str, list[tuple[str, str | None]]]:
    """ "Addressed by" of ``block``: per status, (entry text, link) in order."""
    section = main_of(office.out, "book").select_one(f"section#block-{block}")
    assert section is not None
    out: dict[str, list[tuple[str, str | None]]] = {}
    for para in section.select("div.mlrefarch-backlinks > p"):
        badge = para.select_one("span.mlrefarch-badge")
        assert badge is not None
        status = text(badge)
        badge.extract()
        links = para.find_all("a")
        names = [part.strip() for part in text(para).split(",")]
        assert len(links) <= len(names)
        out[status] = [
            (name, next((str(a["href"]) for a in links if text(a) in name), None)) for name in names
        ]
    return out


def test_addressed_by_lists_imported_declarations_marked_and_linked(office: Office) -> None:
    tools = backlinks(office, "data-tools")
    assert tools == {
        "addressed": [("Churn", "churn.html#abb-data-tools")],
        "partial": [
            ("Fraud detection imported from team", office.link("fraud.html#abb-data-tools"))
        ],
    }
    assert backlinks(office, "data") == {
        "addressed": [("Credit scoring imported from team", office.link("scoring.html#abb-data"))],
        "planned": [("Fraud detection imported from team", office.link("fraud.html#abb-data"))],
    }
    hosting = office.link("fraud.html#hosting-cloud-cluster")
    assert backlinks(office, "hosting") == {
        "addressed": [("Fraud detection imported from team (via hosting choice)", hosting)]
    }
    # a block nobody declares says so
    section = main_of(office.out, "book").select_one("section#block-safety")
    assert section is not None
    assert section.select("p.mlrefarch-backlinks-empty")


def test_sbb_usage_includes_the_imported_products(office: Office) -> None:
    rows = table_rows(office.out, "overview", "table.mlrefarch-sbb-usage")
    used = {text(cells[0]): (text(cells[2]), text(cells[3]), cells[3]) for cells in rows}
    assert set(used) == {"DuckDB", "Kubernetes", "pandas", "Polars", "PostgreSQL"}
    assert used["Kubernetes"][:2] == ("Containers", "Fraud detection imported from team")
    assert used["PostgreSQL"][:2] == (
        "Data",
        "Fraud detection imported from team, Credit scoring imported from team",
    )
    assert used["DuckDB"][:2] == ("Data Tools", "Churn")
    links = [a.get("href") for a in used["PostgreSQL"][2].find_all("a")]
    if office.base is None:
        assert links == []
    else:
        assert links == [office.link("fraud.html#abb-data"), office.link("scoring.html#abb-data")]


def test_the_catalogue_says_who_uses_a_product_imported_ones_too(office: Office) -> None:
    rows = table_rows(office.out, "products", "table.mlrefarch-sbb-catalogue")
    by_name = {text(cells[0]): cells for cells in rows if len(cells) == 6 and text(cells[1])}
    kubernetes = by_name["Kubernetes"][5]
    assert text(kubernetes) == "Fraud detection (Containers) imported from team"
    assert href(kubernetes) == office.link("fraud.html#hosting-cloud-cluster")
    assert text(by_name["Docker"][5]) == "not used yet"  # positive control


# -- findings, export ----------------------------------------------------------------------


def test_no_missing_for_imported_solutions(office: Office, team: Built) -> None:
    # positive control: the team's own build reports its gaps ...
    assert len(team.of("missing")) == 2
    assert any("'fraud'" in w for w in team.of("missing"))
    # ... the office reports none of them, and its own solution is complete
    assert office.built.of("missing") == []
    assert [w for w in office.built.warnings if "mlrefarch" in w] == []


def test_the_office_json_lists_imports_not_solutions(office: Office) -> None:
    data = office.built.export()
    jsonschema.validate(data, export_schema())
    assert data["imports"] == [
        {
            "name": "team",
            "source": office.source,
            "url": office.base,
            "solutions": ["fraud", "scoring"],
        }
    ]
    assert list(data["solutions"]) == ["churn"]
    assert data["totals"] == {"solutions": 1, "required": 1, "satisfied": 1, "missing": 0}


def test_imported_gaps_do_not_fail_the_build(tmp_path: Path, team: Built) -> None:
    entry = {"source": str(team.out / "mlrefarch.json")}
    conf = office_conf({"team": entry}, "mlrefarch_fail_on_missing = True\n")
    src = write_office(tmp_path / "office", conf, office_files("rst"))
    assert build(src, tmp_path / "html").status == 0
    # positive control: the team's own build with the same setting fails
    files = dict(TEAM)
    files["conf.py"] += "mlrefarch_fail_on_missing = True\n"
    failing = build(write_office(tmp_path / "team", files["conf.py"], files), tmp_path / "t")
    assert failing.status == 1


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_unknown_imported_names_are_reported_with_suggestions(
    tmp_path: Path, team: Built, fmt: str
) -> None:
    office = make_office(tmp_path, fmt, "url", team, typos=True)
    assert office.built.status == 0
    page = f"typos.{fmt}"
    unknown = office.built.of("unknown")
    assert len(unknown) == 2, unknown
    line = 4 if fmt == "rst" else 3  # the directive's line
    assert all(f"{page}:{line}: WARNING:" in w for w in unknown), unknown
    assert "unknown solution 'team:nope' in 'abb-coverage'" in unknown[0]
    assert "unknown solution 'nope:*' in 'abb-coverage'" in unknown[1]
    assert all("'team:fraud'" in w and "'team:scoring'" in w for w in unknown)
    refs = office.built.of("ref")
    assert len(refs) == 4, refs
    # roles are located at their paragraph's first line, in rST as in MyST
    expected = {
        "team:frud": (7, "unknown solution 'team:frud' in :solution: role; did you mean "),
        "team:nope": (7, "unknown solution 'team:nope' in :solution: role; expected one of "),
        "nope:fraud": (7, "unknown solution 'nope:fraud' in :solution: role; did you mean "),
        "team:fraud/nope": (7, "unknown constraint 'team:fraud/nope' in :constraint: role"),
    }
    for name, (line, message) in expected.items():
        (found,) = [w for w in refs if f"'{name}'" in w]
        assert f"{page}:{line}: WARNING: {message}" in found
        if name != "team:fraud/nope":
            assert "'team:fraud'" in found
    # the names that do exist still show
    (rows,) = matrices(office.out, "typos")
    assert list(rows) == ["Fraud detection", "Share"]
    assert office.built.of("import") == []


# -- a url relative to the office's output ---------------------------------------------------


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml"])
def test_a_relative_url_links_from_every_page_depth(tmp_path: Path, builder: str) -> None:
    """``url`` relative to the office's output root: the sites are published side by side."""
    site = tmp_path / "site"
    team = build(write_tree(tmp_path / "team", TEAM), site / "team", "-b", builder)
    assert team.status == 0
    files = office_files("rst")
    files["deep/er/links.rst"] = files["links.rst"]
    files["index.rst"] += "   deep/er/links\n"
    entry = {"source": str(team.out / "mlrefarch.json"), "url": "../team"}
    office = write_office(tmp_path / "office", office_conf({"team": entry}), files)
    built = build(office, site / "office", "-b", builder)
    assert built.status == 0 and [w for w in built.warnings if "mlrefarch" in w] == []
    assert _imported_links_resolve(built, team) > 20


def test_a_relative_url_from_a_single_page_in_a_subfolder(tmp_path: Path) -> None:
    """singlehtml writes everything onto the root document's page: here ``sub/start.html``."""
    site = tmp_path / "site"
    team = build(write_tree(tmp_path / "team", TEAM), site / "team", "-b", "singlehtml")
    files = office_files("rst")
    files["sub/start.rst"] = files.pop("index.rst").replace("   ", "   /")
    entry = {"source": str(team.out / "mlrefarch.json"), "url": "../team"}
    conf = office_conf({"team": entry}, 'root_doc = "sub/start"\n')
    built = build(
        write_office(tmp_path / "office", conf, files), site / "office", "-b", "singlehtml"
    )
    assert built.status == 0 and [w for w in built.warnings if "mlrefarch" in w] == []
    assert (built.out / "sub" / "start.html").is_file()
    assert _imported_links_resolve(built, team) > 20


def _imported_links_resolve(built: Built, team: Built) -> int:
    """Every link from the office's pages into the team's site reaches its anchor; how many."""
    checked = 0
    for page in built.out.rglob("*.html"):
        for link in BeautifulSoup(page.read_text("utf-8"), "html.parser").find_all("a", href=True):
            target = str(link["href"])
            if target.startswith(("#", "http")) or "#" not in target:
                continue
            address, _, anchor = target.partition("#")
            file = (page.parent / address).resolve()
            if file.is_relative_to(built.out):
                continue  # one of the office's own pages
            if file.is_dir():
                file = file / "index.html"
            assert file.is_file(), (page.relative_to(built.out), target)
            assert file.is_relative_to(team.out), (page, target)
            assert BeautifulSoup(file.read_text("utf-8"), "html.parser").find(id=anchor), target
            checked += 1
    return checked
