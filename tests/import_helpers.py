"""A team project and an office project that imports it: the import tests' real builds.

The team project is built with ``-b html`` (so its ``mlrefarch.json`` has
``uri`` values); the office imports that file by path or over HTTP from a
server on 127.0.0.1. The office exists in rST and in MyST, page for page
alike, so every view is checked in both. Imported as
``from import_helpers import ...``.
"""

from __future__ import annotations

import json
import pprint
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from sphinx.cmd.build import build_main

from sphinx_mlrefarch.model import load_model

#: Where the team's pages are published, in the imports that give a ``url``.
TEAM_URL = "https://team.example.org/docs/"

_DEFAULT = load_model(None).model
assert _DEFAULT is not None
#: Block ids by the titles the matrix's column headers show.
BLOCK_BY_TITLE = {block.title: block.id for block in _DEFAULT.blocks}
MODEL_ID = _DEFAULT.id

TEAM: dict[str, str] = {
    "conf.py": 'extensions = ["sphinx_mlrefarch"]\nproject = "team"\n',
    "index.rst": "Team\n====\n\n.. toctree::\n\n   fraud\n   scoring\n",
    "fraud.rst": """\
Fraud detection
===============

.. solution:: Fraud detection
   :id: fraud
   :owner: Risk team
   :status: proposed
   :required: data, data-tools, hosting

.. abb:: data-tools
   :status: partial
   :sbb: pandas, Polars

.. abb:: data
   :status: planned
   :sbb: PostgreSQL

.. constraint:: Card data stays in the EU
   :id: eu
   :aspect: security
   :affects: data, storage
   :priority: must

.. hosting-choice:: Cloud cluster
   :environment: production, training
   :platform: cloud
   :containers: Kubernetes
""",
    "scoring.rst": """\
Credit scoring
==============

.. solution:: Credit scoring
   :id: scoring
   :status: accepted
   :required: data

.. abb:: data
   :sbb: PostgreSQL
""",
}

#: A model of the same id with one block more, and a declaration of it.
EXTRA_BLOCK_MODEL = """\
schema: 1
extends: default
id: {id}
title: Team model
blocks:
  - id: feature-store
    title: Feature Store
    layer: data
    summary: Features computed once, served to training and inference.
"""

#: A model of the same id without the block ``safety`` (as an older version of it).
FEWER_BLOCKS_MODEL = """\
schema: 1
extends: default
id: {id}
title: Team model
remove: [safety]
"""


def build_html(src: Path, out: Path, *options: str) -> int:
    """``sphinx-build -b html`` in-process (quiet, no colours); its exit status."""
    return build_main(["-q", "-N", "-b", "html", *options, str(src), str(out)])


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    return root


@dataclass(frozen=True)
class Built:
    """One ``sphinx-build`` run: its exit status, output directory and warning lines."""

    status: int
    out: Path
    warnings: tuple[str, ...]

    def of(self, subtype: str) -> list[str]:
        return [w for w in self.warnings if f"[mlrefarch.{subtype}]" in w]

    def export(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.out / "mlrefarch.json").read_text("utf-8"))
        return data


def build(src: Path, out: Path, *options: str) -> Built:
    """Build ``src`` into ``out`` with ``-b html``, keeping the warnings in a file beside it."""
    warnfile = out.parent / f"{out.name}.warnings"
    status = build_html(src, out, "-w", str(warnfile), *options)
    lines = warnfile.read_text("utf-8").splitlines() if warnfile.exists() else []
    return Built(status, out, tuple(w for w in lines if "WARNING" in w or "ERROR" in w))


def build_team(root: Path, files: Mapping[str, str] = TEAM, name: str = "team") -> Built:
    """Write and build a team project at ``root/name`` into ``root/name-html``."""
    built = build(write_tree(root / name, files), root / f"{name}-html")
    assert built.status == 0, built.warnings
    return built


# -- the office --------------------------------------------------------------------------

_CONF_HEAD = (
    'extensions = ["sphinx_mlrefarch", "myst_parser"]\n'
    'exclude_patterns = ["_build"]\n'
    'project = "office"\n'
)
#: The line of ``conf.py`` where ``mlrefarch_import`` is assigned.
IMPORT_LINE = _CONF_HEAD.count("\n") + 1


def office_conf(imports: Mapping[str, object], extra: str = "") -> str:
    """``conf.py`` assigning ``imports`` (over several lines) at :data:`IMPORT_LINE`."""
    text = pprint.pformat(dict(imports), width=60, sort_dicts=False)
    return f"{_CONF_HEAD}mlrefarch_import = {text}\n{extra}"


#: The office's pages, by name, as (title, rST body, MyST body).
_PAGES: dict[str, tuple[str, str, str]] = {
    "all": (
        "All solutions",
        ".. abb-coverage::\n   :solutions: all\n\n.. constraint-list::\n   :solution: all\n",
        "```{abb-coverage}\n:solutions: all\n```\n\n```{constraint-list}\n:solution: all\n```\n",
    ),
    "team": (
        "The team's solutions",
        ".. abb-coverage::\n   :solutions: team:*\n",
        "```{abb-coverage}\n:solutions: team:*\n```\n",
    ),
    "fraud": (
        "Fraud detection, imported",
        ".. abb-coverage::\n   :solutions: team:fraud\n\n"
        ".. constraint-list::\n   :solution: team:fraud\n",
        "```{abb-coverage}\n:solutions: team:fraud\n```\n\n"
        "```{constraint-list}\n:solution: team:fraud\n```\n",
    ),
    "overview": (
        "Overview",
        ".. abb-coverage::\n\n.. sbb-usage::\n",
        "```{abb-coverage}\n```\n\n```{sbb-usage}\n```\n",
    ),
    "book": ("Reference book", ".. reference-model::\n", "```{reference-model}\n```\n"),
    "links": (
        "Links",
        "The team's :solution:`team:fraud`, :solution:`the scoring <Team:scoring>` and\n"
        "its constraint :constraint:`team:fraud/eu`; ours is :solution:`churn`.\n",
        "The team's {solution}`team:fraud`, {solution}`the scoring <Team:scoring>` and\n"
        "its constraint {mlrefarch:constraint}`team:fraud/eu`; ours is {solution}`churn`.\n",
    ),
    "churn": (
        "Churn",
        ".. solution:: Churn\n   :id: churn\n   :required: data-tools\n\n"
        ".. abb:: data-tools\n   :sbb: DuckDB\n\n.. abb-coverage::\n",
        "```{solution} Churn\n:id: churn\n:required: data-tools\n```\n\n"
        "```{abb} data-tools\n:sbb: DuckDB\n```\n\n```{abb-coverage}\n```\n",
    ),
    "products": ("Products", ".. sbb-catalogue::\n", "```{sbb-catalogue}\n```\n"),
    "notes": (
        "Notes",
        "Nothing here comes from elsewhere.\n",
        "Nothing here comes from elsewhere.\n",
    ),
}

#: Names that match nothing: for the ``typos`` page of :func:`office_files` with ``typos``.
_TYPOS = (
    "Typos",
    ".. abb-coverage::\n   :solutions: team:nope, nope:*, team:fraud\n\n"
    "See :solution:`team:frud`, :solution:`team:nope`, :solution:`nope:fraud` and\n"
    ":constraint:`team:fraud/nope`.\n",
    "```{abb-coverage}\n:solutions: team:nope, nope:*, team:fraud\n```\n\n"
    "See {solution}`team:frud`, {solution}`team:nope`, {solution}`nope:fraud` and\n"
    "{mlrefarch:constraint}`team:fraud/nope`.\n",
)

#: Pages that show imported aggregates (matrices, lists, back-links, products).
AGGREGATE_PAGES = frozenset({"all", "team", "fraud", "overview", "book", "products"})
#: Pages with roles naming imported solutions or constraints.
ROLE_PAGES = frozenset({"links"})


def office_files(fmt: str, typos: bool = False) -> dict[str, str]:
    """The office's documents in ``fmt`` (``rst`` or ``md``), with the index and its toctree."""
    pages = dict(_PAGES)
    if typos:
        pages["typos"] = _TYPOS
    files: dict[str, str] = {}
    for name, (title, rst, md) in pages.items():
        if fmt == "rst":
            files[f"{name}.rst"] = f"{title}\n{'=' * len(title)}\n\n{rst}"
        else:
            files[f"{name}.md"] = f"# {title}\n\n{md}"
    listed = "\n".join(pages)
    if fmt == "rst":
        entries = "".join(f"   {name}\n" for name in pages)
        files["index.rst"] = f"Office\n======\n\n.. toctree::\n\n{entries}"
    else:
        files["index.md"] = f"# Office\n\n```{{toctree}}\n{listed}\n```\n"
    return files


def write_office(src: Path, conf: str, files: Mapping[str, str]) -> Path:
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(conf, "utf-8")
    return write_tree(src, files)


# -- network guards ----------------------------------------------------------------------


def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection beyond 127.0.0.1, and keep proxies out of the way."""
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")
    real = socket.socket.connect

    def connect(sock: socket.socket, address: Any) -> None:
        if not (isinstance(address, tuple) and address[0] == "127.0.0.1"):
            raise AssertionError(f"a test tried to connect to {address!r}")
        real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Refuse every connection and name look-up; returns the attempts (to assert none)."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


# -- reading the office's pages ----------------------------------------------------------


def page(out: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((out / f"{name}.html").read_text("utf-8"), "html.parser")


def body(out: Path, name: str) -> Tag:
    """The page's main content (themes add sidebars with links of their own)."""
    soup = page(out, name)
    main = soup.select_one("div.body") or soup.select_one("[role=main]")
    assert main is not None, name
    return main


def href(node: Tag) -> str | None:
    """The address of the link in ``node`` (itself or its only link); None when unlinked."""
    links = [node] if node.name == "a" else node.find_all("a")
    assert len(links) <= 1, node
    return str(links[0]["href"]) if links else None


@dataclass(frozen=True)
class MatrixRow:
    title: str
    #: Marked "imported from NAME": the badge's text, else "".
    badge: str
    link: str | None
    percent: str
    #: Block id -> status CSS class, and whether the block is required.
    statuses: dict[str, str]
    required: dict[str, bool]
    #: Block id -> the address its mark links to (None: unlinked).
    marks: dict[str, str | None]


_STATUS = re.compile(r"^mlrefarch-status-")


def matrix(table: Tag) -> dict[str, MatrixRow]:
    """A portfolio matrix's rows (the share row as "Share"), by title (badge left out)."""
    heads = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    assert heads[:2] == ["Solution", "Coverage"], heads
    blocks = [BLOCK_BY_TITLE[title] for title in heads[2:]]
    rows: dict[str, MatrixRow] = {}
    for tr in table.select("tbody tr"):
        cells = tr.find_all("td")
        first = cells[0]
        badge = first.select_one("span.mlrefarch-imported")
        badge_text = badge.get_text(strip=True) if badge else ""
        if badge is not None:
            badge.extract()
        title = first.get_text(" ", strip=True)
        statuses: dict[str, str] = {}
        required: dict[str, bool] = {}
        marks: dict[str, str | None] = {}
        share = "mlrefarch-share-row" in (tr.get("class") or [])
        for block, td in zip(blocks, [] if share else cells[2:], strict=not share):
            classes = [str(c) for c in td.get("class") or []]
            if "mlrefarch-not-in-model" in classes:  # the model of that solution lacks it
                statuses[block] = "not-in-model"
            else:
                (status,) = [c for c in classes if _STATUS.match(c)]
                statuses[block] = _STATUS.sub("", status)
            required[block] = "mlrefarch-not-required" not in classes
            marks[block] = href(td)
        rows[title] = MatrixRow(
            title, badge_text, href(first), cells[1].get_text(strip=True), statuses, required, marks
        )
    return rows


def matrices(out: Path, name: str) -> list[dict[str, MatrixRow]]:
    return [matrix(table) for table in body(out, name).select("table.mlrefarch-portfolio")]


def table_rows(out: Path, name: str, selector: str) -> list[list[Tag]]:
    """The body rows of the one table ``selector`` on the page, as lists of cells."""
    (table,) = body(out, name).select(selector)
    return [tr.find_all("td") for tr in table.select("tbody tr")]


def text(node: Tag) -> str:
    """The node's words, as a reader sees them (no space before a comma)."""
    return re.sub(r"\s+,", ",", node.get_text(" ", strip=True))
