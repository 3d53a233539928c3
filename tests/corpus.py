"""The corpus of bad inputs: a tiny page language, the cases' machinery, the contract.

Every case is a small real Sphinx project built with the html builder, from
pages written once as a list of directives and rendered to reStructuredText
and (for most cases) to MyST Markdown. Every case checks the same contract
(see "Warnings" and "Bad input" in the specification), in :func:`check_case`:

* the build finishes and writes ``index.html``, and the page is well nested;
* no "Traceback" or "Exception occurred" in the status or warning streams;
* every ``[mlrefarch.*]`` warning carries a ``path:LINE`` location and a
  known subtype;
* exactly the expected subtypes appear, with the expected counts, and
  (where given) at the expected places.

Cases that show a bug in the package are marked ``xfail(strict=True)`` with
the expected behaviour written down; they start failing (XPASS) once fixed.

The cases themselves live in ``test_bad_options.py``, ``test_bad_models.py``,
``test_bad_bodies.py`` and ``test_bad_scopes.py``; each parametrizes its
``CASES`` with :func:`params` and runs :func:`check_case`. ``test_bad_other.py``
checks the size of the whole corpus and holds the cases that do not fit the table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers import assert_balanced, mlrefarch_warnings, warnings_of

from sphinx_mlrefarch.log import SUBTYPES

#: A located mlrefarch warning line, as Sphinx prints it.
LOCATED = re.compile(
    r"^(?P<file>\S.*?):(?P<line>\d+): WARNING: .* \[mlrefarch\.(?P<subtype>[a-z]+)\]$"
)

CRASH_MARKERS = ("Traceback", "Exception occurred")


# -- a tiny page language, rendered to rST and MyST --------------------------------------


@dataclass(frozen=True)
class D:
    """A directive: name, argument, options (``None`` = flag without value), body items."""

    name: str
    arg: str = ""
    options: dict[str, str | None] = field(default_factory=dict)
    body: tuple[Item, ...] = ()
    tag: str = ""


@dataclass(frozen=True)
class T:
    """Text that differs between the syntaxes (roles, tables, lists); ``md`` defaults to rST."""

    rst: str
    md: str | None = None


Item = D | T | str


def _depth(item: Item) -> int:
    if not isinstance(item, D):
        return 0
    return 1 + max((_depth(child) for child in item.body), default=0)


class Page:
    """Renders items to the lines of one source file and remembers where tagged items start."""

    def __init__(self, syntax: str, docname: str) -> None:
        self.syntax = syntax
        self.docname = docname
        self.lines: list[str] = ["Page", "====", ""] if syntax == "rst" else ["# Page", ""]
        self.tags: dict[str, int] = {}

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def add(self, item: Item, indent: str = "") -> None:
        if isinstance(item, (str, T)):
            text = item if isinstance(item, str) else item.rst
            if isinstance(item, T) and self.syntax == "md" and item.md is not None:
                text = item.md
            self.lines.extend(indent + line if line else "" for line in text.splitlines())
            self.lines.append("")
            return
        if item.tag:
            self.tags[item.tag] = len(self.lines) + 1
        arg = f" {item.arg}" if item.arg else ""
        if self.syntax == "rst":
            self.lines.append(f"{indent}.. {item.name}::{arg}")
            for name, value in item.options.items():
                self.lines.append(f"{indent}   :{name}:" + (f" {value}" if value else ""))
            self.lines.append("")
            for child in item.body:
                self.add(child, indent + "   ")
        else:
            fence = "`" * (2 + _depth(item))
            self.lines.append(f"{indent}{fence}{{{item.name}}}{arg}")
            for name, value in item.options.items():
                self.lines.append(f"{indent}:{name}:" + (f" {value}" if value else ""))
            if item.body:
                self.lines.append("")
            for child in item.body:
                self.add(child, indent)
            self.lines.append(f"{indent}{fence}")
            self.lines.append("")


def render(syntax: str, docname: str, items: tuple[Item, ...]) -> Page:
    page = Page(syntax, docname)
    for item in items:
        page.add(item)
    return page


# -- the cases ---------------------------------------------------------------------------

Check = Callable[[Any, str, Path], object]


@dataclass(frozen=True)
class Case:
    """One bad input and what the build must say about it.

    ``expect``: subtype -> exact number of warnings (all other subtypes: none).
    ``at``: subtype -> where each of its warnings is; a tag of a directive, a
    ``file:line`` string, or ``re:PATTERN`` (first line of ``index`` matching it).
    ``needles``: substrings the mlrefarch warnings must contain.
    ``files``: extra files written verbatim (``{TMP}`` is replaced by the test's tmp dir);
    a :class:`T` gives the file's text per syntax.
    ``xfail``: syntax ("rst", "md" or "*") -> reason, for cases that show a bug.
    """

    id: str
    pages: dict[str, tuple[Item, ...]]
    expect: dict[str, int]
    at: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    needles: tuple[str, ...] = ()
    conf: str = ""
    files: dict[str, str | T] = field(default_factory=dict)
    myst: bool = True
    xfail: dict[str, str] = field(default_factory=dict)
    check: Check | None = None
    builder: str = "html"


SOL = D("solution", "Test solution", {"id": "test", "required": "data-tools"}, tag="sol")
ADDR = D("abb", "data-tools")
PLAIN = "A page without declarations."


def sol(*items: Item) -> tuple[Item, ...]:
    """A solution page that requires and addresses ``data-tools``, plus ``items``."""
    return (SOL, ADDR, *items)


def index(*items: Item) -> dict[str, tuple[Item, ...]]:
    return {"index": items}


def model_case(
    id: str,
    yaml: str,
    expect: dict[str, int],
    at: dict[str, str | tuple[str, ...]] | None = None,
    needles: tuple[str, ...] = (),
    check: Check | None = None,
    xfail: dict[str, str] | None = None,
) -> Case:
    """A project whose ``mlrefarch_model`` is ``model.yaml`` with ``yaml`` in it."""
    return Case(
        id,
        index(D("reference-model", tag="rm")),
        expect,
        at=at or {},
        needles=needles,
        conf='mlrefarch_model = "model.yaml"\n',
        files={"model.yaml": yaml},
        myst=False,
        check=check,
        xfail=xfail or {},
    )


def no_side_effect(app: Any, syntax: str, tmp: Path) -> None:
    assert not (tmp / "pwned").exists(), "a YAML tag executed code"


def html_of(app: Any, docname: str = "index") -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text("utf-8")


def main_of(page: str) -> str:
    """The rendered document body, without the theme's head and sidebar."""
    soup = BeautifulSoup(page, "html.parser")
    main = soup.find("div", attrs={"role": "main"})
    assert main is not None
    return str(main)


def huge_body_rendered(app: Any, syntax: str, tmp: Path) -> None:
    page = html_of(app)
    assert "Paragraph 0 of the body" in page
    assert "Paragraph 999 of the body" in page


def nested_body_rendered(app: Any, syntax: str, tmp: Path) -> None:
    main = main_of(html_of(app))
    assert "deeply nested" in main
    assert "cell-b2" in main
    assert "list-cell" in main
    assert "print" in main
    assert "Inner constraint" in main


XSS_TITLE = "Prédiction «churn» *v2* <script>alert(1)</script>"


def escaped(app: Any, syntax: str, tmp: Path) -> None:
    page = html_of(app)
    main = main_of(page)
    assert "<script" not in main  # not one raw script tag in the document body
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>bold</b>" not in main
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in main
    assert "Prédiction «churn» *v2*" in main  # the title, as text (not emphasis)
    text = BeautifulSoup(main, "html.parser").get_text()
    assert XSS_TITLE in text
    for sbb in ("A|B", "back\\slash", "<b>bold</b>", "<img src=x onerror=alert(2)>"):
        assert sbb in text, sbb
    assert re.search(r"[\"“]quotes[\"”]", text)
    assert '"><script>alert(3)</script>' in text


def names_both_files(app: Any, syntax: str, tmp: Path) -> None:
    (warning,) = mlrefarch_warnings(app, "duplicate")
    assert re.search(rf"b\.{syntax}:\d+: WARNING", warning), warning
    assert re.search(rf"a\.{syntax}:\d+", warning.split("WARNING", 1)[1]), warning


def has_diagram(app: Any) -> bool:
    assert 'class="mermaid' in html_of(app), "no Mermaid diagram on the page"
    return True


def has_book(app: Any) -> bool:
    assert 'id="block-data-tools"' in html_of(app), "the reference model was not rendered"
    return True


def body_in_list_item(app: Any, syntax: str, tmp: Path) -> None:
    main = main_of(html_of(app))
    assert "mlrefarch-abb" in main


TOC_AB = D("toctree", body=("a\nb",))


# -- the contract -----------------------------------------------------------------------


def params(cases: list[Case]) -> list[Any]:
    """One ``pytest.param(case, syntax)`` per case and syntax, with the case's xfail marks."""
    result = []
    for case in cases:
        for syntax in ("rst", "md") if case.myst else ("rst",):
            marks = []
            reason = case.xfail.get(syntax) or case.xfail.get("*")
            if reason:
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            result.append(pytest.param(case, syntax, id=f"{case.id}-{syntax}", marks=marks))
    return result


def _resolve(case: Case, pages: dict[str, Page], where: str) -> str:
    """``file:line`` (file name only) for a tag, a literal or a ``re:`` pattern."""
    if where.startswith("re:"):
        page = pages["index"]
        pattern = re.compile(where[3:])
        for number, line in enumerate(page.lines, 1):
            if pattern.search(line):
                return f"index.{page.syntax}:{number}"
        raise AssertionError(f"no line of index matches {where!r}")
    if re.fullmatch(r".+:\d+", where):
        return where
    for page in pages.values():
        if where in page.tags:
            return f"{page.docname}.{page.syntax}:{page.tags[where]}"
    raise AssertionError(f"unknown tag {where!r} in case {case.id}")


def located(warning: str) -> re.Match[str]:
    found = LOCATED.match(warning)
    assert found, f"warning without a path:LINE location: {warning}"
    return found


def assert_sound(app: Any) -> None:
    """The contract that holds for every build, whatever the input."""
    status, warning = app.status.getvalue(), app.warning.getvalue()
    for marker in CRASH_MARKERS:
        assert marker not in status, status
        assert marker not in warning, warning
    for line in mlrefarch_warnings(app):
        assert located(line)["subtype"] in SUBTYPES, line
    index = Path(app.outdir) / ("index.html" if app.builder.name == "html" else "index.txt")
    assert index.exists()
    if app.builder.name == "html":
        assert_balanced(index.read_text("utf-8"))


def check_case(project: Any, tmp_path: Path, case: Case, syntax: str) -> None:
    """Build ``case`` in ``syntax`` ("rst" or "md") and check the contract and its expectations."""
    pages = {name: render(syntax, name, items) for name, items in case.pages.items()}
    files = {f"{name}.{syntax}": page.text() for name, page in pages.items()}
    for path, content in case.files.items():
        text = content if isinstance(content, str) else content.rst
        if isinstance(content, T) and syntax == "md" and content.md is not None:
            text = content.md
        files[path] = text.replace("{TMP}", str(tmp_path))
    app = project(files, conf=case.conf, buildername=case.builder)

    assert_sound(app)
    found = mlrefarch_warnings(app)
    counts = Counter(located(w)["subtype"] for w in found)
    assert dict(counts) == case.expect, "\n".join(warnings_of(app))
    errors = [w for w in warnings_of(app) if ": ERROR:" in w or "CRITICAL" in w]
    assert not errors, errors
    for subtype, where in case.at.items():
        wanted = [where] if isinstance(where, str) else list(where)
        got = [
            f"{Path(m['file']).name}:{m['line']}"
            for m in map(located, mlrefarch_warnings(app, subtype))
        ]
        expected = [_resolve(case, pages, w) for w in wanted]
        if len(expected) == 1:
            expected *= len(got)
        assert sorted(got) == sorted(expected), "\n".join(found)
    joined = "\n".join(found)
    for needle in case.needles:
        assert needle in joined, f"{needle!r} not in:\n{joined}"
    if case.check is not None:
        case.check(app, syntax, tmp_path)
