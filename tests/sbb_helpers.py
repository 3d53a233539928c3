"""Helpers of the tests of the catalogue in real builds (``test_sbb_*``).

Imported as ``from sbb_helpers import ...``. Pages are written once in the
page language of :mod:`corpus` and rendered to rST and MyST alike; the
HTML is read with BeautifulSoup, the warnings as located findings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag
from corpus import D, Item, Page, assert_sound, located, render
from helpers import mlrefarch_warnings

from sphinx_mlrefarch.catalogue import Catalogue, load_catalogue
from sphinx_mlrefarch.model import default_model

__all__ = [
    "CATALOGUE",
    "CONF",
    "SYNTAXES",
    "Built",
    "D",
    "Finding",
    "Pages",
    "Sbb",
    "build",
    "cells",
    "classes",
    "findings",
    "main",
    "product_cell",
    "rows",
    "sbbs",
    "toctree",
    "write_project",
]

#: Both syntaxes every test runs in.
SYNTAXES = ("rst", "md")

#: What the projects here add to the base conf.py: one required block keeps
#: the ``missing`` warnings few, and smart quotes off keeps quotes as written.
CONF = 'mlrefarch_required = ["data-tools"]\nsmartquotes = False\n'


def _built_in() -> Catalogue:
    catalogue = load_catalogue(None, default_model()).catalogue
    assert catalogue is not None
    return catalogue


#: The built-in catalogue, as the build sees it.
CATALOGUE = _built_in()


#: A project's pages: docname -> the items of the page.
Pages = Mapping[str, Sequence[Item]]


def toctree(*docnames: str) -> D:
    return D("toctree", body=("\n".join(docnames),))


def write_project(
    src: Path, syntax: str, pages: Pages, files: Mapping[str, str] | None = None
) -> dict[str, Page]:
    """Write ``pages`` (docname -> items) in ``syntax`` and ``files`` verbatim under ``src``."""
    rendered = {name: render(syntax, name, tuple(items)) for name, items in pages.items()}
    for name, page in rendered.items():
        target = src / f"{name}.{syntax}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text(), "utf-8")
    for path, text in (files or {}).items():
        (src / path).write_text(text, "utf-8")
    return rendered


@dataclass
class Built:
    """A built project: the app and its pages (for the lines of tagged directives)."""

    app: Any
    pages: dict[str, Page]
    syntax: str

    def at(self, tag: str) -> tuple[str, int]:
        """``(file name, line)`` of the directive tagged ``tag``."""
        for page in self.pages.values():
            if tag in page.tags:
                return f"{Path(page.docname).name}.{self.syntax}", page.tags[tag]
        raise AssertionError(f"no directive tagged {tag!r}")

    def soup(self, docname: str = "index") -> Tag:
        return main(self.app, docname)


def build(
    project: Any,
    syntax: str,
    pages: Pages,
    conf: str = "",
    files: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> Built:
    """Build ``pages`` in ``syntax`` with the ``project`` fixture; checks the common contract."""
    rendered = {name: render(syntax, name, tuple(items)) for name, items in pages.items()}
    sources = {f"{name}.{syntax}": page.text() for name, page in rendered.items()}
    app = project({**sources, **(files or {})}, conf=CONF + conf, **kwargs)
    if app.builder.name in ("html", "text"):
        assert_sound(app)
    return Built(app, rendered, syntax)


def main(app: Any, docname: str = "index") -> Tag:
    """The document body of an HTML page, parsed."""
    html = (Path(app.outdir) / f"{docname}.html").read_text("utf-8")
    body = BeautifulSoup(html, "html.parser").find("div", attrs={"role": "main"})
    assert isinstance(body, Tag), f"no document body in {docname}.html"
    return body


@dataclass(frozen=True)
class Sbb:
    """One product name as a page shows it."""

    name: str
    #: Where its link goes (None: plain text).
    href: str | None
    #: The licence shown right after the link, without brackets (None: none shown).
    licence: str | None


def sbbs(container: Tag) -> list[Sbb]:
    """The product names in ``container`` (an abb box's facts, a table cell), in order.

    A catalogued name is a link (or, without an address, a marked text)
    followed by its licence in brackets; any other name is plain text.
    """
    out = []
    for span in container.select("span.mlrefarch-sbb"):
        children = [c for c in span.children if isinstance(c, Tag)]
        if not children:
            out.append(Sbb(span.get_text(), None, None))
            continue
        name, licence = children
        assert "mlrefarch-licence" in classes(licence), span
        href = str(name["href"]) if name.name == "a" else None
        text = licence.get_text()
        assert text.startswith(" (") and text.endswith(")"), text
        out.append(Sbb(name.get_text(), href, text[2:-1]))
    return out


def product_cell(cell: Tag) -> Sbb:
    """The product column of a catalogue or usage table: its name and link (no licence)."""
    link = cell.find("a")
    href = str(link["href"]) if isinstance(link, Tag) else None
    return Sbb(cell.get_text().strip(), href, None)


def classes(tag: Tag) -> list[str]:
    """The CSS classes of ``tag``."""
    value = tag.get("class")
    return [str(v) for v in value] if isinstance(value, list) else str(value or "").split()


def rows(table: Tag) -> list[Tag]:
    tbody = table.find("tbody")
    assert isinstance(tbody, Tag), table
    return tbody.find_all("tr", recursive=False)


def cells(row: Tag) -> list[Tag]:
    return row.find_all("td", recursive=False)


@dataclass(frozen=True)
class Finding:
    """A located ``mlrefarch`` warning: file name (not path), line, subtype, message."""

    file: str
    line: int
    subtype: str
    message: str


_MESSAGE = re.compile(r": WARNING: (?P<message>.*) \[mlrefarch\.[a-z]+\]$")


def parse(warning: str) -> Finding:
    where = located(warning)
    found = _MESSAGE.search(warning)
    assert found, warning
    return Finding(Path(where["file"]).name, int(where["line"]), where["subtype"], found["message"])


def findings(app: Any, subtype: str | None = None) -> list[Finding]:
    """The build's located ``mlrefarch`` warnings (of ``subtype``), in the order given."""
    return [parse(w) for w in mlrefarch_warnings(app, subtype)]
