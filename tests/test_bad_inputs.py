"""A corpus of bad inputs: every one builds, warns ``file:line`` ``mlrefarch.*``, never crashes.

Each case is a small real Sphinx project built with the html builder, from
pages written once as a list of directives and rendered to reStructuredText
and (for most cases) to MyST Markdown. Every case checks the same contract
(see "Warnings" and "Bad input" in the specification):

* the build finishes and writes ``index.html``, and the page is well nested;
* no "Traceback" or "Exception occurred" in the status or warning streams;
* every ``[mlrefarch.*]`` warning carries a ``path:LINE`` location and a
  known subtype;
* exactly the expected subtypes appear, with the expected counts, and
  (where given) at the expected places.

Cases that show a bug in the package are marked ``xfail(strict=True)`` with
the expected behaviour written down; they start failing (XPASS) once fixed.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sphinx
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


def _no_side_effect(app: Any, syntax: str, tmp: Path) -> None:
    assert not (tmp / "pwned").exists(), "a YAML tag executed code"


def _html(app: Any, docname: str = "index") -> str:
    return (Path(app.outdir) / f"{docname}.html").read_text("utf-8")


def _main(page: str) -> str:
    """The rendered document body, without the theme's head and sidebar."""
    soup = BeautifulSoup(page, "html.parser")
    main = soup.find("div", attrs={"role": "main"})
    assert main is not None
    return str(main)


def _huge_body_rendered(app: Any, syntax: str, tmp: Path) -> None:
    page = _html(app)
    assert "Paragraph 0 of the body" in page
    assert "Paragraph 999 of the body" in page


def _nested_body_rendered(app: Any, syntax: str, tmp: Path) -> None:
    main = _main(_html(app))
    assert "deeply nested" in main
    assert "cell-b2" in main
    assert "list-cell" in main
    assert "print" in main
    assert "Inner constraint" in main


XSS_TITLE = "Prédiction «churn» *v2* <script>alert(1)</script>"


def _escaped(app: Any, syntax: str, tmp: Path) -> None:
    page = _html(app)
    main = _main(page)
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


def _names_both_files(app: Any, syntax: str, tmp: Path) -> None:
    (warning,) = mlrefarch_warnings(app, "duplicate")
    assert re.search(rf"b\.{syntax}:\d+: WARNING", warning), warning
    assert re.search(rf"a\.{syntax}:\d+", warning.split("WARNING", 1)[1]), warning


def _has_diagram(app: Any) -> bool:
    assert 'class="mermaid' in _html(app), "no Mermaid diagram on the page"
    return True


def _has_book(app: Any) -> bool:
    assert 'id="block-data-tools"' in _html(app), "the reference model was not rendered"
    return True


def _body_in_list_item(app: Any, syntax: str, tmp: Path) -> None:
    main = _main(_html(app))
    assert "mlrefarch-abb" in main


TOC_AB = D("toctree", body=("a\nb",))

CASES: list[Case] = [
    # -- malformed options --------------------------------------------------------------
    Case(
        "solution-status",
        index(D("solution", "S", {"status": "maybe", "required": "data-tools"}, tag="s"), ADDR),
        {"option": 1},
        at={"option": "s"},
        needles=("invalid value 'maybe' for :status: of 'solution'",),
    ),
    Case(
        "abb-status",
        index(SOL, D("abb", "data-tools", {"status": "done!"}, tag="a")),
        {"option": 1},
        at={"option": "a"},
        needles=("invalid value 'done!' for :status: of 'abb'",),
    ),
    Case(
        "constraint-priority",
        index(*sol(D("constraint", "C", {"aspect": "security", "priority": "high"}, tag="c"))),
        {"option": 1},
        at={"option": "c"},
        needles=("invalid value 'high' for :priority: of 'constraint'",),
    ),
    Case(
        "coverage-show",
        index(*sol(D("abb-coverage", options={"show": "some"}, tag="c"))),
        {"option": 1},
        at={"option": "c"},
    ),
    Case(
        "reference-model-part",
        index(D("reference-model", options={"part": "everything"}, tag="r")),
        {"option": 1},
        at={"option": "r"},
        needles=("invalid value 'everything' for :part: of 'reference-model'",),
    ),
    Case(
        "unknown-option-names",
        index(SOL, D("abb", "data-tools", {"stauts": "partial", "colour": "red"}, tag="a")),
        {"option": 2},
        at={"option": "a"},
        needles=("did you mean ':status:'?", "unknown option ':colour:' for 'abb'"),
    ),
    Case(
        "unknown-option-on-render-directive",
        index(D("ml-process", options={"direction": "LR"}, tag="p")),
        {"option": 1},
        at={"option": "p"},
        needles=("unknown option ':direction:' for 'ml-process'",),
        check=lambda app, syntax, tmp: _has_diagram(app),
    ),
    Case(
        "unknown-option-on-abb-diagram",
        index(D("abb-diagram", options={"direction": "LR"}, tag="p")),
        {"option": 1},
        at={"option": "p"},
    ),
    Case(
        "empty-sbb",
        index(SOL, D("abb", "data-tools", {"sbb": None}, tag="a")),
        {"option": 1},
        at={"option": "a"},
    ),
    Case(
        "sbb-only-commas",
        index(SOL, D("abb", "data-tools", {"sbb": ", ,"}, tag="a")),
        {"option": 1},
        at={"option": "a"},
    ),
    Case(
        "id-with-spaces",
        index(D("solution", "S", {"id": "my id", "required": "data-tools"}, tag="s"), ADDR),
        {"option": 1},
        at={"option": "s"},
        needles=("using 'my-id'",),
    ),
    Case(
        "id-uppercase",
        index(D("solution", "S", {"id": "MyId", "required": "data-tools"}, tag="s"), ADDR),
        {"option": 1},
        at={"option": "s"},
        needles=("using 'myid'",),
    ),
    Case(
        "id-unicode",
        index(
            D("solution", "S", {"id": "prédiction", "required": "data-tools"}, tag="s"),
            ADDR,
            D("constraint", "C", {"id": "🎉", "aspect": "security"}, tag="c"),
        ),
        {"option": 2},
        needles=("using 'prediction'", ":id: '🎉' of 'constraint'"),
    ),
    Case(
        "flag-given-a-value",
        index(D("reference-model", options={"no-backlinks": "yes", "layers": "data"}, tag="r")),
        {"option": 1},
        at={"option": "r"},
    ),
    Case(
        "empty-required",
        index(D("solution", "S", {"required": None}, tag="s")),
        {"option": 1, "missing": 20},
        at={"option": "s", "missing": "s"},
        needles=(":required: is empty",),
    ),
    Case(
        "empty-solutions",
        index(D("abb-coverage", options={"solutions": ""}, tag="c")),
        {"option": 1},
        at={"option": "c"},
    ),
    Case(
        "hosting-matrix-two-solutions",
        index(*sol(D("hosting-matrix", options={"solution": "test, other"}, tag="h"))),
        {"option": 1},
        at={"option": "h"},
    ),
    Case(
        "constraint-without-aspect",
        index(*sol(D("constraint", "No aspect", tag="c"))),
        {"option": 1},
        at={"option": "c"},
        needles=("needs :aspect:",),
    ),
    Case(
        "hosting-choice-without-environment",
        index(*sol(D("hosting-choice", "Lab", {"platform": "cloud"}, tag="h"))),
        {"option": 1, "hosting": 1},
        at={"option": "h", "hosting": "sol"},
    ),
    # -- missing arguments --------------------------------------------------------------
    Case(
        "abb-without-argument",
        index(*sol(D("abb", tag="a"))),
        {"option": 1},
        at={"option": "a"},
        needles=("'abb' needs a building block",),
    ),
    Case(
        "solution-without-argument",
        index(D("solution", options={"required": "data-tools"}, tag="s"), ADDR),
        {"option": 1},
        at={"option": "s"},
        needles=("'solution' needs a title",),
    ),
    Case(
        "constraint-without-argument",
        index(*sol(D("constraint", options={"aspect": "security"}, tag="c"))),
        {"option": 1},
        at={"option": "c"},
    ),
    Case(
        "hosting-choice-without-argument",
        index(*sol(D("hosting-choice", options={"environment": "training, production"}, tag="h"))),
        {"option": 1},
        at={"option": "h"},
    ),
    # -- unknown references -------------------------------------------------------------
    Case(
        "abb-unknown-block",
        index(*sol(D("abb", "data-toolz", tag="a"))),
        {"unknown": 1},
        at={"unknown": "a"},
        needles=("did you mean 'data-tools'",),
    ),
    Case(
        "affects-unknown",
        index(*sol(D("constraint", "C", {"aspect": "security", "affects": "data, nope, storag"}))),
        {"unknown": 2},
        needles=("'nope' in :affects:", "did you mean 'storage'"),
    ),
    Case(
        "aspect-unknown",
        index(*sol(D("constraint", "C", {"aspect": "securty"}, tag="c"))),
        {"unknown": 1},
        at={"unknown": "c"},
    ),
    Case(
        "environment-unknown",
        index(*sol(D("hosting-choice", "H", {"environment": "production, training, staging"}))),
        {"unknown": 1},
        needles=("unknown environment 'staging'",),
    ),
    Case(
        "platform-unknown",
        index(
            *sol(D("hosting-choice", "H", {"environment": "production, training", "platform": "x"}))
        ),
        {"unknown": 1},
    ),
    Case(
        "compute-unknown",
        index(
            *sol(
                D(
                    "hosting-choice",
                    "H",
                    {"environment": "production, training", "compute": "gpu, fpga"},
                    tag="h",
                )
            )
        ),
        {"unknown": 1},
        at={"unknown": "h"},
    ),
    Case(
        "required-unknown",
        index(D("solution", "S", {"required": "data-tools, modelz"}, tag="s"), ADDR),
        {"unknown": 1},
        at={"unknown": "s"},
    ),
    Case(
        "exclude-unknown",
        index(D("solution", "S", {"required": "data-tools", "exclude": "nope"}, tag="s"), ADDR),
        {"unknown": 1},
        at={"unknown": "s"},
    ),
    Case(
        "reference-model-layers-and-blocks-unknown",
        index(D("reference-model", options={"layers": "dataa", "blocks": "nope"}, tag="r")),
        {"unknown": 2},
        at={"unknown": "r"},
    ),
    Case(
        "coverage-layers-unknown",
        index(*sol(D("abb-coverage", options={"layers": "nope"}, tag="c"))),
        {"unknown": 1},
        at={"unknown": "c"},
    ),
    Case(
        "coverage-solutions-unknown",
        index(D("abb-coverage", options={"solutions": "nope"}, tag="c")),
        {"unknown": 1},
        at={"unknown": "c"},
        needles=("unknown solution 'nope' in 'abb-coverage'",),
    ),
    Case(
        "render-directives-solution-unknown",
        index(
            D("constraint-list", options={"solution": "nope"}),
            D("hosting-matrix", options={"solution": "nope"}),
            D("abb-diagram", options={"solution": "nope"}),
            D("constraint-list", options={"aspect": "nope"}),
        ),
        {"unknown": 4},
    ),
    Case(
        "roles-to-nothing",
        index(
            *sol(
                T(
                    "See :abb:`nope`, :solution:`nope`, :constraint:`nope`, "
                    ":mlrefarch:abb:`data-tool`.",
                    "See {abb}`nope`, {solution}`nope`, {constraint}`nope`, "
                    "{mlrefarch:abb}`data-tool`.",
                )
            )
        ),
        {"ref": 4},
        at={"ref": "re:See "},
        needles=("in :abb: role", "in :solution: role", "in :constraint: role"),
    ),
    Case(
        "hosting-matrix-outside-solution",
        index(D("hosting-matrix", tag="h")),
        {"scope": 1},
        at={"scope": "h"},
    ),
    # -- arguments and options that docutils rejects before we see them ----------------
    Case(
        "argument-to-directive-without-one",
        index(D("reference-model", "foo", tag="r"), D("abb-diagram", "bar", tag="d")),
        {"option": 2},
        at={"option": ("r", "d")},
        needles=("'reference-model' takes no argument", "'abb-diagram' takes no argument"),
        check=lambda app, syntax, tmp: _has_diagram(app) and _has_book(app),
    ),
    Case(
        "content-in-directive-without-one",
        index(
            *sol(D("abb-coverage", body=("Some text the directive cannot show.",), tag="c")),
        ),
        {"option": 1},
        at={"option": "c"},
    ),
    Case(
        "duplicate-option",
        {
            "index": (
                SOL,
                T(
                    ".. abb:: data-tools\n   :status: partial\n   :status: addressed",
                    "```{abb} data-tools\n:status: partial\n:status: addressed\n```",
                ),
            )
        },
        {"option": 1},
        at={"option": "re:abb\\W+data-tools"},
        needles=("option ':status:' is given more than once; using the last value",),
    ),
    # -- broken and hostile models ------------------------------------------------------
    model_case(
        "model-syntax-error",
        "extends: default\nblocks: [\n  - id: x\n",
        {"model": 2},
        at={"model": ("model.yaml:3", "conf.py:4")},
        needles=("YAML error", "cannot be used; building without one"),
    ),
    model_case(
        "model-top-level-list",
        "- layers\n- blocks\n",
        {"model": 2},
        at={"model": ("model.yaml:1", "conf.py:4")},
        needles=("expected a mapping at the top of the file, got a list",),
    ),
    model_case(
        "model-empty-file",
        "",
        {"model": 2},
        at={"model": ("model.yaml:1", "conf.py:4")},
        needles=("the file is empty",),
    ),
    model_case(
        "model-python-tag",
        "extends: default\n"
        "title: !!python/object/apply:os.system ['touch {TMP}/pwned']\n"
        "version: !!python/object/apply:subprocess.check_call [['touch', '{TMP}/pwned']]\n",
        {"model": 2},
        at={"model": ("model.yaml:2", "conf.py:4")},
        needles=("tags that build Python objects are refused",),
        check=_no_side_effect,
    ),
    model_case(
        "model-python-name-tag",
        "!!python/name:os.system\n",
        {"model": 2},
        check=_no_side_effect,
    ),
    model_case(
        "model-billion-laughs",
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]\n"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        {"model": 2},
        needles=("once aliases are expanded",),
    ),
    model_case(
        "model-recursive-alias",
        "extends: default\nblocks: &x\n  - id: a\n    related: *x\n",
        {"model": 2},
        needles=("recursive",),
    ),
    model_case(
        "model-unknown-keys",
        "extends: default\ncolour: red\nblocks:\n  - id: feature-store\n    title: Feature Store\n"
        "    layer: data\n    summary: s\n    flavour: x\n",
        {"model": 2},
        at={"model": ("model.yaml:2", "model.yaml:8")},
        needles=("unknown key 'colour'", "blocks[0]: unknown key 'flavour'"),
    ),
    model_case(
        "model-bad-slug",
        "extends: default\nblocks:\n  - id: Feature Store!\n    title: Feature Store\n"
        "    layer: data\n    summary: s\n",
        {"model": 1},
        at={"model": "model.yaml:3"},
        needles=("blocks[0].id: 'Feature Store!' is not a valid id",),
    ),
    model_case(
        "model-unknown-layer",
        "extends: default\nblocks:\n  - id: feature-store\n    title: Feature Store\n"
        "    layer: dta\n    summary: s\n",
        {"model": 1},
        at={"model": "model.yaml:5"},
        needles=("blocks[0].layer", "did you mean 'data'"),
    ),
    model_case(
        "model-related-unknown",
        "extends: default\nblocks:\n  - id: feature-store\n    title: Feature Store\n"
        "    layer: data\n    summary: s\n    related: [data, nope]\n",
        {"model": 1},
        at={"model": "model.yaml:7"},
        needles=("blocks[0].related[1]: related block 'nope' does not exist",),
    ),
    model_case(
        "model-duplicate-ids",
        "schema: 1\nid: m\ntitle: M\nlayers:\n  - id: l\n    title: L\n  - id: l\n    title: L2\n"
        "blocks:\n  - id: b\n    title: B\n    layer: l\n    summary: s\n"
        "  - id: b\n    title: B2\n    layer: l\n    summary: s\n",
        {"model": 2},
        at={"model": ("model.yaml:7", "model.yaml:14")},
        needles=("duplicate layer id 'l'", "duplicate block id 'b'"),
    ),
    model_case(
        "model-duplicate-ids-in-extension",
        "extends: default\nlayers:\n  - id: extra\n    title: Extra\n  - id: extra\n"
        "    title: Extra again\nblocks:\n  - id: fs\n    title: FS\n    layer: extra\n"
        "    summary: s\n  - id: fs\n    title: FS again\n    layer: extra\n    summary: s\n",
        {"model": 2},
        at={"model": ("model.yaml:5", "model.yaml:12")},
    ),
    model_case(
        "model-remove-unknown",
        "extends: default\nremove: [networking, nope]\n",
        {"model": 1},
        at={"model": "model.yaml:2"},
        needles=("remove[1]: cannot remove 'nope'",),
    ),
    model_case(
        "model-remove-name-of-a-layer-and-a-block",
        # 'data' names a layer and a block of the default model
        "extends: default\nremove: [data]\n",
        {"model": 1},
        at={"model": "model.yaml:2"},
        needles=("'data' is both a layer and a building block; removing the layer",),
    ),
    model_case(
        "model-wrong-schema",
        "schema: 2\nextends: default\n",
        {"model": 1},
        at={"model": "model.yaml:1"},
        needles=("schema: must be 1, not 2",),
    ),
    model_case(
        "model-wrong-extends",
        "extends: defaults\n",
        {"model": 1},
        at={"model": "model.yaml:1"},
    ),
    model_case(
        "model-blocks-not-a-list",
        "extends: default\nblocks: 5\n",
        {"model": 1},
        at={"model": "model.yaml:2"},
    ),
    Case(
        "model-file-missing",
        index(D("reference-model")),
        {"model": 2},
        at={"model": ("conf.py:4", "conf.py:4")},
        conf='mlrefarch_model = "nope.yaml"\n',
        needles=("cannot read the model file",),
        myst=False,
    ),
    Case(
        "model-path-is-a-directory",
        index(D("reference-model")),
        {"model": 2},
        at={"model": ("conf.py:4", "conf.py:4")},
        conf='mlrefarch_model = "models"\n',
        files={"models/readme.txt": "not a model\n"},
        myst=False,
    ),
    Case(
        "declarations-without-usable-model",
        index(*sol(D("constraint", "C", {"aspect": "security"}), D("abb-diagram"))),
        {"model": 2, "unknown": 3},
        conf='mlrefarch_model = "nope.yaml"\n',
        needles=("'data-tools' in :required:", "'data-tools' in 'abb'", "'security' in :aspect:"),
    ),
    # -- empty and huge bodies ----------------------------------------------------------
    Case(
        "abb-2000-line-body",
        index(
            SOL,
            D(
                "abb",
                "data-tools",
                {"status": "bogus"},
                body=tuple(f"Paragraph {i} of the body, with *emphasis*." for i in range(1000)),
                tag="a",
            ),
        ),
        {"option": 1},
        at={"option": "a"},
        check=_huge_body_rendered,
    ),
    Case(
        "abb-body-nested-directives-and-tables",
        index(
            SOL,
            D(
                "abb",
                "data-tools",
                {"status": "bogus"},
                body=(
                    D("note", body=(D("warning", body=("deeply nested",)),)),
                    T(
                        "=====  =======\nA      B\n=====  =======\ncell   cell-b2\n=====  =======",
                        "| A | B |\n|---|---|\n| cell | cell-b2 |",
                    ),
                    D("list-table", body=(T("* - list-cell\n  - x"),)),
                    D("code-block", "python", body=("print(1)",)),
                    D("constraint", "Inner constraint", {"aspect": "security", "priority": "x"}),
                ),
                tag="a",
            ),
        ),
        {"option": 2},
        at={"option": ("a", "re:Inner constraint")},
        myst=False,
        check=_nested_body_rendered,
    ),
    # -- unicode and markup in titles and SBBs ------------------------------------------
    Case(
        "markup-and-html-in-titles-and-sbbs",
        index(
            D("solution", XSS_TITLE, {"id": "churn", "required": "data-tools"}),
            D("abb", "data-tools", {"sbb": 'A|B, "quotes", back\\slash, <b>bold</b>'}),
            D("abb", "data", {"sbb": "<img src=x onerror=alert(2)>"}),
            D("constraint", "<img src=x onerror=alert(2)>", {"aspect": "security"}),
            D(
                "hosting-choice",
                '"><script>alert(3)</script>',
                {"environment": "production, training", "provider": "<i>x</i>"},
            ),
            D("abb-coverage"),
            D("abb-coverage", options={"solutions": "all"}),
            D("constraint-list"),
            D("hosting-matrix"),
            D("abb-diagram", options={"solution": "churn"}),
        ),
        {},
        check=_escaped,
    ),
    # -- directives in odd places -------------------------------------------------------
    Case(
        "abb-in-list-item",
        index(
            SOL,
            T(
                "* item\n\n  .. abb:: data-tools\n     :status: bogus",
                "* item\n\n  ```{abb} data-tools\n  :status: bogus\n  ```",
            ),
        ),
        {"option": 1},
        at={"option": "re:abb\\W+data-tools"},
        check=_body_in_list_item,
    ),
    Case(
        "abb-in-admonition",
        index(SOL, D("note", body=(D("abb", "data-tools", {"status": "bogus"}, tag="a"),))),
        {"option": 1},
        at={"option": "a"},
    ),
    Case(
        "abb-in-table-cell",
        index(
            SOL,
            T(
                ".. list-table::\n\n   * - cell\n     - .. abb:: data-tools\n"
                "          :status: bogus",
                "````{list-table}\n* - cell\n  - ```{abb} data-tools\n    :status: bogus\n"
                "    ```\n````",
            ),
        ),
        {"option": 1},
        at={"option": "re:abb\\W+data-tools"},
    ),
    Case(
        "solution-in-note",
        index(
            D(
                "note",
                body=(D("solution", "S", {"status": "bogus", "required": "data-tools"}, tag="s"),),
            ),
            ADDR,
        ),
        {"option": 1},
        at={"option": "s"},
    ),
    Case(
        "constraint-in-abb-body",
        index(
            SOL,
            D(
                "abb",
                "data-tools",
                body=(D("constraint", "Inner", {"aspect": "securty"}, tag="c"),),
            ),
        ),
        {"unknown": 1},
        at={"unknown": "c"},
    ),
    Case(
        "abb-in-abb-body",
        index(SOL, D("abb", "data-tools", body=(D("abb", "data-tools", tag="inner"),))),
        {"duplicate": 1},
        at={"duplicate": "inner"},
    ),
    Case(
        "declarations-in-included-file",
        index(
            *sol(
                T(".. include:: inc.txt", "```{include} inc.txt\n```"),
                D("abb", "nope-here", tag="here"),
            )
        ),
        {"option": 1, "unknown": 2},
        at={"option": "inc.txt:3", "unknown": ("inc.txt:3", "here")},
        files={
            "inc.txt": T(
                "Included text.\n\n.. abb:: nope-there\n   :status: bogus\n",
                "Included text.\n\n```{abb} nope-there\n:status: bogus\n```\n",
            )
        },
    ),
    Case(
        "reference-model-in-list-item",
        index(
            T(
                "* .. reference-model::\n     :layers: dataa",
                "* ```{reference-model}\n  :layers: dataa\n  ```",
            )
        ),
        {"unknown": 1},
        at={"unknown": "re:reference-model"},
    ),
    # -- scope problems -----------------------------------------------------------------
    Case(
        "declarations-outside-solution",
        index(
            D("abb", "data-tools", tag="a"),
            D("constraint", "C", {"aspect": "security"}),
            D("hosting-choice", "H", {"environment": "production"}),
        ),
        {"scope": 3},
        needles=("abb declared outside any solution", "constraint declared outside"),
    ),
    Case(
        "two-solutions-in-one-document",
        index(*sol(D("solution", "Second", tag="s2"))),
        {"scope": 1},
        at={"scope": "s2"},
        needles=("a second 'solution' in one document",),
    ),
    Case(
        "solution-inside-abb",
        index(SOL, D("abb", "data-tools", body=(D("solution", "Inner", tag="s2"),))),
        {"scope": 1},
        at={"scope": "s2"},
    ),
    Case(
        "one-document-in-two-solution-toctrees",
        {
            "index": (D("toctree", body=("a\nb",)),),
            "a": (
                D("solution", "A", {"required": "data-tools"}),
                D("toctree", body=("shared",)),
            ),
            "b": (
                D("solution", "B", {"required": "data-tools"}, tag="sb"),
                D("toctree", body=("shared",)),
            ),
            "shared": (ADDR,),
        },
        {"scope": 1, "missing": 1},
        at={"missing": "sb"},
        needles=("'shared.", "solutions 'a' and 'b'", "count for 'a' only"),
    ),
    Case(
        "toctree-cycle-between-solutions",
        {
            # a and b include each other; the cycle is not reachable from the root
            # (Sphinx 9.0's html builder itself recurses forever on a reachable one)
            "index": (PLAIN,),
            "a": (
                D("solution", "A", {"required": "data-tools"}, tag="sa"),
                D("toctree", body=("b",)),
            ),
            "b": (
                D("solution", "B", {"required": "data-tools"}, tag="sb"),
                D("toctree", body=("a",)),
            ),
        },
        {"missing": 2},
        at={"missing": ("sa", "sb")},
        xfail=(
            {"*": "upstream: Sphinx 8.1's html builder recurses forever on any toctree cycle"}
            if sphinx.version_info < (8, 2)
            else {}
        ),
    ),
    Case(
        "toctree-cycle-through-solution-subdocument",
        {
            "index": (D("toctree", body=("a",)),),
            "a": (D("solution", "A", {"required": "data-tools"}), D("toctree", body=("b",))),
            "b": (ADDR, D("toctree", body=("a",))),
        },
        {},
        builder="text",
    ),
    # -- duplicates ---------------------------------------------------------------------
    Case(
        "same-block-in-two-documents-of-one-solution",
        {
            "index": (SOL, D("toctree", body=("a\nb",))),
            "a": (ADDR,),
            "b": (PLAIN, D("abb", "Data Tools", {"status": "partial"}, tag="b")),
        },
        {"duplicate": 1},
        needles=("building block 'data-tools' is declared twice in solution 'test'",),
        check=_names_both_files,
    ),
    Case(
        "duplicate-constraint-id",
        index(
            *sol(
                D("constraint", "C", {"aspect": "security"}, tag="c1"),
                D("constraint", "Other", {"id": "c", "aspect": "security"}, tag="c2"),
            )
        ),
        {"duplicate": 1},
        at={"duplicate": "c2"},
        needles=("constraint id 'c' is used twice",),
    ),
    Case(
        "two-documents-with-one-solution-id",
        {
            "index": (TOC_AB,),
            "a": (D("solution", "A", {"id": "same", "required": "data-tools"}), ADDR),
            "b": (D("solution", "B", {"id": "same", "required": "data-tools"}, tag="b"), ADDR),
        },
        {"duplicate": 1},
        at={"duplicate": "b"},
        needles=("solution id 'same' is already used",),
    ),
    # -- hosting and justification gaps -------------------------------------------------
    Case(
        "hosting-only-production",
        index(*sol(D("hosting-choice", "Prod", {"environment": "production"}))),
        {"hosting": 1},
        at={"hosting": "sol"},
        needles=("none covers 'development' or 'training'",),
    ),
    Case(
        "hosting-only-training",
        index(*sol(D("hosting-choice", "Lab", {"environment": "training", "compute": "gpu"}))),
        {"hosting": 1},
        at={"hosting": "sol"},
        needles=("none covers 'production'",),
    ),
    Case(
        "not-applicable-without-body",
        index(SOL, D("abb", "data-tools", {"status": "not-applicable"}, tag="a")),
        {"justification": 1, "missing": 1},
        at={"justification": "a", "missing": "sol"},
    ),
    Case(
        "not-applicable-with-only-a-comment",
        index(
            SOL,
            D(
                "abb",
                "data-tools",
                {"status": "not-applicable"},
                body=(T(".. a comment is no justification", "% a comment is no justification"),),
                tag="a",
            ),
        ),
        {"justification": 1, "missing": 1},
        at={"justification": "a", "missing": "sol"},
    ),
    # -- configuration ------------------------------------------------------------------
    Case(
        "required-config-unknown-id",
        index(*sol()),
        {"unknown": 1},
        at={"unknown": "conf.py:4"},
        conf='mlrefarch_required = ["data-tools", "bogus"]\n',
        needles=("mlrefarch_required names 'bogus'",),
    ),
]


def _params() -> list[Any]:
    params = []
    for case in CASES:
        for syntax in ("rst", "md") if case.myst else ("rst",):
            marks = []
            reason = case.xfail.get(syntax) or case.xfail.get("*")
            if reason:
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            params.append(pytest.param(case, syntax, id=f"{case.id}-{syntax}", marks=marks))
    return params


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


@pytest.mark.parametrize(("case", "syntax"), _params())
def test_bad_input(project: Any, tmp_path: Path, case: Case, syntax: str) -> None:
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


def test_corpus_size() -> None:
    """The corpus covers at least 45 inputs in rST and 15 of them also in MyST."""
    assert len(CASES) >= 45
    assert sum(case.myst for case in CASES) >= 15
    assert len({case.id for case in CASES}) == len(CASES)


# -- cases that do not fit the table ----------------------------------------------------


@pytest.mark.xfail(
    strict=False,
    raises=RecursionError,
    reason="upstream: Sphinx 9.0's html builder recurses forever in collect_relations on a "
    "toctree cycle reachable from the root (also without this extension)",
)
def test_toctree_cycle_reachable_from_root_html(project: Any) -> None:
    app = project(
        {
            "index.rst": "Page\n====\n\n.. toctree::\n\n   a\n",
            "a.rst": "A\n=\n\n.. solution:: A\n   :required: data-tools\n\n.. toctree::\n\n   b\n",
            "b.rst": "B\n=\n\n.. solution:: B\n   :required: data-tools\n\n.. toctree::\n\n   a\n",
        }
    )
    assert_sound(app)
    assert len(mlrefarch_warnings(app, "missing")) == 2


def test_recursive_alias_is_located_in_the_model_file(project: Any) -> None:
    """A model problem names the model file and the line (here: the alias on line 4)."""
    app = project(
        {
            "index.rst": "Page\n====\n",
            "model.yaml": "extends: default\nblocks: &x\n  - id: a\n    related: *x\n",
        },
        conf='mlrefarch_model = "model.yaml"\n',
    )
    assert_sound(app)
    found = [w for w in mlrefarch_warnings(app, "model") if "refers to its own ancestor" in w]
    assert len(found) == 1
    assert re.search(r"model\.yaml:[24]: WARNING", found[0]), found[0]


def test_body_after_misspelt_option_line(project: Any) -> None:
    """``:status partial`` (no second colon) joins the argument; the warning keeps one line."""
    app = project(
        {
            "index.rst": "Page\n====\n\n"
            ".. solution:: S\n   :required: data-tools\n\n"
            ".. abb:: data-tools\n   :status partial\n"
        }
    )
    assert_sound(app)
    (warning,) = mlrefarch_warnings(app, "unknown")
    assert "index.rst:7: WARNING" in warning
    assert "\\n" in warning  # the argument is shown with repr(), so one line per warning


def test_every_subtype_can_be_silenced(project: Any) -> None:
    """Silencing by subtype works for every subtype this corpus triggers."""
    body = (
        ".. solution:: S\n   :required: data-tools\n   :status: maybe\n\n"
        ".. abb:: data-toolz\n\n.. abb:: data-tools\n   :status: not-applicable\n\n"
        ".. hosting-choice:: H\n   :environment: production\n\n:abb:`nope`\n"
    )
    names = ", ".join(f'"mlrefarch.{subtype}"' for subtype in sorted(SUBTYPES))
    conf = f"suppress_warnings = [{names}]\n"
    app = project({"index.rst": "Page\n====\n\n" + body}, conf=conf)
    assert_sound(app)
    assert mlrefarch_warnings(app) == []


def test_escaped_title_in_portfolio_page(project: Any) -> None:
    """A hostile solution title shown on another page (portfolio, :solution: role) is escaped."""
    app = project(
        {
            "index.rst": "Page\n====\n\n.. toctree::\n\n   s\n\n.. abb-coverage::\n   "
            ":solutions: all\n\nSee :solution:`x`.\n",
            "s.rst": "S\n=\n\n.. solution:: <script>alert(1)</script> & co\n   :id: x\n"
            "   :required: data-tools\n\n.. abb:: data-tools\n",
        }
    )
    assert_sound(app)
    main = _main(_html(app))
    assert "<script" not in main
    assert html.escape("<script>alert(1)</script> & co", quote=False) in main


def test_required_config_of_wrong_type(project: Any) -> None:
    app = project(
        {"index.rst": "Page\n====\n\n.. solution:: S\n\n.. abb:: data-tools\n"},
        conf="mlrefarch_required = 42\n",
    )
    assert_sound(app)
    found = [w for w in mlrefarch_warnings(app) if "mlrefarch_required" in w]
    assert len(found) == 1, warnings_of(app)
    assert re.search(r"conf\.py:4: WARNING", found[0]), found[0]
