"""Property-based fuzzing through real Sphinx builds (hypothesis).

Random pages made of the extension's directives, with arguments, option
names and option values drawn from a mix of valid values, arbitrary text
and known-nasty strings, are built with the html builder in a fresh
directory per example. Whatever the input:

* no exception escapes the build, and "Traceback" never shows in its output;
* every ``[mlrefarch.*]`` warning has a ``path:LINE`` location and a known subtype;
* ``index.html`` is written;
* user text never reaches the HTML unescaped, and Mermaid labels stay
  quoted and free of raw quotes (see ``render/diagrams.py::label``).

Each build-based test runs 25 examples, so the file takes well under two
minutes; the "mlrefarch" profile (conftest.py) has no example database, so
hypothesis writes nothing into the tree.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from helpers import BASE_CONF, assert_balanced
from hypothesis import given, note, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from sphinx_mlrefarch.log import SUBTYPES
from sphinx_mlrefarch.render.diagrams import MODEL_INIT, label, node_id

#: Build-based tests: 25 examples each (the rest comes from the "mlrefarch" profile).
BUILD_SETTINGS = settings(max_examples=25)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


LOCATED = re.compile(r"^\S.*?:\d+: WARNING: .* \[mlrefarch\.(?P<subtype>[a-z]+)\]$", re.DOTALL)

#: Directive -> its option names (from the specification).
DIRECTIVES: dict[str, tuple[str, ...]] = {
    "solution": ("id", "owner", "status", "required", "exclude"),
    "abb": ("status", "sbb", "owner"),
    "constraint": ("id", "aspect", "affects", "priority", "source"),
    "hosting-choice": (
        "environment",
        "platform",
        "provider",
        "compute",
        "containers",
        "storage",
        "network",
        "availability",
    ),
    "abb-coverage": ("solutions", "layers", "show"),
    "constraint-list": ("aspect", "solution"),
    "hosting-matrix": ("solution",),
    "reference-model": ("layers", "blocks", "no-backlinks", "part"),
    "abb-diagram": ("solution",),
    "ml-process": (),
}
DECLARING = ("solution", "abb", "constraint", "hosting-choice")

VALID_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "solution": ("Customer churn prediction", "Fraud", "fuzz"),
    "abb": ("data-tools", "Data Tools", "DATA", "networking", "GPU, CPU or TPU", "ml-frameworks"),
    "constraint": ("Customer data stays in the EU", "Latency"),
    "hosting-choice": ("GPU training cluster", "Cloud inference"),
}
VALID_VALUES: tuple[str, ...] = (
    "draft",
    "accepted",
    "addressed",
    "partial",
    "planned",
    "not-applicable",
    "Not Applicable",
    "must",
    "wont",
    "security",
    "data, storage",
    "production, training",
    "development",
    "cloud",
    "edge",
    "gpu, tpu",
    "all",
    "missing",
    "principles",
    "process",
    "hosting",
    "data",
    "fuzz",
    "churn-v2",
    "pandas, Apache Arrow",
)
NASTY: tuple[str, ...] = (
    '"',
    "'",
    "\\",
    "\\\\",
    '"quoted"',
    "<script>alert(1)</script>",
    "<>",
    "]]",
    "]]>",
    "|",
    "A|B",
    "`",
    "``",
    "`x`_",
    ":abb:`data`",
    "{abb}`data`",
    "*",
    "**",
    "_",
    "__init__",
    "|sub|",
    "[1]_",
    "..",
    "::",
    ":",
    ",",
    ", ,",
    "#35;",
    "&amp;",
    "&#x3C;",
    '"]; click x href "javascript:alert(1)"',
    "--> x",
    "%",
    "{{x}}",
    "${x}",
    "Prédiction «churn»",
    "データ",
    "🎉",
    "\u200b",
    "\u202e",
    "\ufeff",
    "a" * 3000,
    "ä" * 500 + "<b>",
    " leading and trailing ",
)

#: One line of text: no line breaks or other control characters.
LINE_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
line_text = st.text(LINE_CHARS, max_size=60)
text_value = st.one_of(
    st.sampled_from(VALID_VALUES), line_text, st.sampled_from(NASTY), st.just("")
)
option_name = st.one_of(
    st.from_regex(r"[a-z][a-z0-9-]{0,14}", fullmatch=True),
    st.sampled_from(sorted({n for names in DIRECTIVES.values() for n in names})),
)


@dataclass
class Directive:
    name: str
    argument: str
    options: list[tuple[str, str]]
    body: list[str] = field(default_factory=list)

    def rst(self) -> str:
        lines = [f".. {self.name}::" + (f" {self.argument}" if self.argument else "")]
        lines += [f"   :{k}:" + (f" {v}" if v else "") for k, v in self.options]
        if self.body:
            lines.append("")
            lines += [f"   {line}" if line.strip() else "" for line in self.body]
        return "\n".join(lines) + "\n"

    def myst(self) -> str:
        # colon fences: the argument may hold backticks, which end a backtick fence's info
        lines = [f":::{{{self.name}}}" + (f" {self.argument}" if self.argument else "")]
        lines += [f":{k}:" + (f" {v}" if v else "") for k, v in self.options]
        if self.body:
            lines.append("")
            # Markdown passes raw HTML through on purpose: keep the author's own HTML out
            lines += [line.replace("<", "\\<") for line in self.body]
        lines.append(":::")
        return "\n".join(lines) + "\n"


@st.composite
def directives(draw: st.DrawFn, names: tuple[str, ...] = tuple(DIRECTIVES)) -> Directive:
    name = draw(st.sampled_from(names))
    known = DIRECTIVES[name]
    argument = draw(
        st.one_of(
            st.sampled_from(VALID_ARGUMENTS.get(name, ("",))),
            line_text,
            st.sampled_from(NASTY),
        )
    )
    option_names = st.sampled_from(known) if known else option_name
    names_drawn = draw(st.lists(st.one_of(option_names, option_name), max_size=4, unique=True))
    options = [(n, draw(text_value)) for n in names_drawn]
    body: list[str] = []
    if name in DECLARING:
        body = draw(st.lists(st.one_of(line_text, st.sampled_from(NASTY)), max_size=3))
        # a body is the author's markup: a raw directive in it is HTML by intent
        body = [line for line in body if "raw" not in line.casefold()]
    return Directive(name, argument.strip(), options, body)


ROLES = ("abb", "solution", "constraint", "mlrefarch:abb")
role_target = st.one_of(
    st.sampled_from(("data-tools", "Data Tools", "fuzz", "fuzz/c", "nope", "x <data>")),
    st.text(LINE_CHARS.filter(lambda c: c not in "`\\"), min_size=1, max_size=30),
).map(str.strip)


@st.composite
def pages(draw: st.DrawFn) -> tuple[list[Directive], list[tuple[str, str]]]:
    items = draw(st.lists(directives(), min_size=1, max_size=4))
    if draw(st.booleans()):
        items.insert(0, Directive("solution", "Fuzz", [("id", "fuzz")]))
    roles = draw(st.lists(st.tuples(st.sampled_from(ROLES), role_target), max_size=3))
    return items, roles


def render(syntax: str, items: list[Directive], roles: list[tuple[str, str]]) -> str:
    head = "Page\n====\n\n" if syntax == "rst" else "# Page\n\n"
    blocks = [d.rst() if syntax == "rst" else d.myst() for d in items]
    refs = [
        f":{name}:`{target}`" if syntax == "rst" else f"{{{name}}}`{target}`"
        for name, target in roles
        if target
    ]
    if refs:
        blocks.append("See " + ", ".join(refs) + ".\n")
    return head + "\n".join(blocks)


#: The first line of a warning record (Sphinx's own unlocated warnings included).
RECORD_START = re.compile(r"^(?:\S.*?: )?(?:WARNING|ERROR|CRITICAL): ")


@dataclass
class Built:
    status: str
    warning: str
    html: str | None

    def records(self) -> list[str]:
        """Warning records; a message may span lines (only ``\\n`` ends a line here)."""
        out: list[str] = []
        for line in self.warning.split("\n"):
            if RECORD_START.match(line) or not out:
                out.append(line)
            else:
                out[-1] += "\n" + line
        return [r for r in out if r.strip()]

    @property
    def mlrefarch(self) -> list[str]:
        return [r for r in self.records() if "[mlrefarch." in r]


def build(files: dict[str, str], conf: str = "") -> Built:
    """Build ``files`` with the html builder in a fresh temporary directory."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        (src / "conf.py").write_text(BASE_CONF + conf, encoding="utf-8")
        for path, text in files.items():
            (src / path).write_text(text, encoding="utf-8")
        app = SphinxTestApp(
            "html", srcdir=src, freshenv=True, status=StringIO(), warning=StringIO()
        )
        try:
            app.build()
        finally:
            app.cleanup()
        index = Path(app.outdir) / "index.html"
        page = index.read_text("utf-8") if index.exists() else None
        return Built(
            ANSI.sub("", app.status.getvalue()), ANSI.sub("", app.warning.getvalue()), page
        )


def assert_sound(built: Built) -> str:
    """The invariants of every build; returns the page."""
    for marker in ("Traceback", "Exception occurred"):
        assert marker not in built.status
        assert marker not in built.warning
    for record in built.mlrefarch:
        found = LOCATED.match(record)
        assert found, f"mlrefarch warning without a path:LINE location: {record!r}"
        assert found["subtype"] in SUBTYPES, record
    assert built.html is not None, "index.html was not written"
    assert_balanced(built.html)
    return built.html


def main_of(page: str) -> str:
    soup = BeautifulSoup(page, "html.parser")
    main = soup.find("div", attrs={"role": "main"})
    assert main is not None
    return str(main)


# -- random pages ----------------------------------------------------------------------


@BUILD_SETTINGS
@given(pages())
def test_fuzz_rst_pages_build_cleanly(page: tuple[list[Directive], list[tuple[str, str]]]) -> None:
    source = render("rst", *page)
    note(source)
    html = assert_sound(build({"index.rst": source}))
    assert "<script" not in main_of(html)


@BUILD_SETTINGS
@given(pages())
def test_fuzz_myst_pages_build_cleanly(
    page: tuple[list[Directive], list[tuple[str, str]]],
) -> None:
    source = render("md", *page)
    note(source)
    html = assert_sound(build({"index.md": source}))
    assert "<script" not in main_of(html)


# -- user text in the HTML ---------------------------------------------------------------

TAGS = ("script", "img", "iframe", "svg", "b", "a")
MARKUP_CHARS = st.sampled_from([*"<>&\"'`*_|\\[]{}:;=/#%", "é", "«", "»", "🎉", " ", "x"])
markup_text = st.text(MARKUP_CHARS, max_size=12)


@st.composite
def payloads(draw: st.DrawFn) -> tuple[str, str]:
    """Text with one recognisable element in it: ``(text, marker attribute)``."""
    nonce = draw(st.integers(min_value=0, max_value=10**6))
    tag = draw(st.sampled_from(TAGS))
    marker = f"data-fz{nonce}"
    text = f"{draw(markup_text)}<{tag} {marker}>{draw(markup_text)}"
    return text.strip() or text, marker


@BUILD_SETTINGS
@given(st.sampled_from(("rst", "md")), payloads(), st.lists(markup_text, max_size=3))
def test_user_text_is_escaped(syntax: str, payload: tuple[str, str], extra: list[str]) -> None:
    text, marker = payload
    # commas split :sbb: and :affects:, so the element goes in whole into the other fields
    sbb = ", ".join([text, *extra])
    items = [
        Directive("solution", text, [("id", "fuzz"), ("owner", text), ("required", "data")]),
        # (bodies are the author's own markup: raw HTML in MyST is passed through on purpose)
        Directive("abb", "data-tools", [("sbb", sbb), ("owner", text)], ["Body."]),
        Directive("abb", "data", [("status", "partial"), ("sbb", text)]),
        Directive("constraint", text, [("aspect", "security"), ("source", text)]),
        Directive(
            "hosting-choice",
            text,
            [("environment", "production, training"), ("provider", text), ("storage", text)],
        ),
        Directive("abb-coverage", "", []),
        Directive("abb-coverage", "", [("solutions", "all")]),
        Directive("constraint-list", "", []),
        Directive("hosting-matrix", "", []),
        Directive("abb-diagram", "", [("solution", "fuzz")]),
    ]
    source = render(syntax, items, [("solution", "fuzz")])
    note(source)
    html = assert_sound(build({f"index.{syntax}": source}))
    main = main_of(html)
    assert "<script" not in main
    soup = BeautifulSoup(html, "html.parser")
    elements = [tag for tag in soup.find_all(True) if marker in tag.attrs]
    assert not elements, f"{marker} became an HTML attribute: {elements}"
    assert re.search(rf"<\w+ {marker}", html) is None
    assert marker in main  # the text is there, escaped


# -- Mermaid labels ------------------------------------------------------------------------

LABEL_RE = re.compile(r'"[A-Za-z0-9 #;]*"')
#: Any text a YAML model can carry (no lone surrogates; everything else goes).
model_text = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40).filter(
    lambda s: bool(s.strip())
)


CLICK = re.compile(r'click \w+ href "[^"\n]*" "[^"\n]*"')


def assert_mermaid_safe(code: str) -> None:
    """Quotes only delimit labels (entity-coded) and, on ``click`` lines, URL and tooltip."""
    for raw in code.strip().split("\n"):
        line = raw.strip()
        if line == MODEL_INIT:  # our own settings line: no user text in it
            continue
        if line.startswith("click "):
            assert CLICK.fullmatch(line), line
            continue
        assert '"' not in LABEL_RE.sub("", line), line
        for bracketed in re.findall(r"\[(.*?)\]", line):
            assert LABEL_RE.fullmatch(bracketed), line


def decode(code: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), code)


@st.composite
def models(draw: st.DrawFn) -> dict[str, object]:
    layer_title, block_title, override, step, loop = (draw(model_text) for _ in range(5))
    return {
        "extends": "default",
        "layers": [{"id": "fuzz-layer", "title": layer_title}],
        "blocks": [
            {"id": "fuzz-block", "title": block_title, "layer": "fuzz-layer", "summary": "s"},
            {"id": "data-tools", "title": override},
        ],
        "process": {
            "title": "P",
            "steps": [{"id": "one", "title": step}, {"id": "two", "title": "Two"}],
            "loop": {"from": "two", "to": "one", "label": loop},
        },
    }


@BUILD_SETTINGS
@given(models())
def test_mermaid_labels_stay_quoted(model: dict[str, object]) -> None:
    text = yaml.safe_dump(model, allow_unicode=True)
    note(text)
    page = (
        "Page\n====\n\n.. solution:: Fuzz\n   :id: fuzz\n\n.. abb:: fuzz-block\n\n"
        ".. abb-diagram::\n\n.. abb-diagram::\n   :solution: fuzz\n\n.. ml-process::\n\n"
        ".. reference-model::\n"
    )
    built = build({"index.rst": page, "model.yaml": text}, conf='mlrefarch_model = "model.yaml"\n')
    html = assert_sound(built)
    soup = BeautifulSoup(html, "html.parser")
    diagrams = [pre.get_text() for pre in soup.select("pre.mermaid")]
    assert len(diagrams) == 3, diagrams
    for code in diagrams:
        assert_mermaid_safe(code)
    if not any("[mlrefarch.model]" in w for w in built.mlrefarch):
        loaded = yaml.safe_load(text)  # what the extension reads (YAML folds some breaks)
        blocks = loaded["blocks"]
        for title in (blocks[0]["title"], blocks[1]["title"]):
            assert label(title) in diagrams[0], title
        labels = [decode(m[1:-1]) for m in LABEL_RE.findall(diagrams[0])]
        assert blocks[0]["title"] in labels
        process = loaded["process"]
        assert label(f"1. {process['steps'][0]['title']}") in diagrams[2]
        assert label(process["loop"]["label"]) in diagrams[2]


# -- label() and node_id() on their own -------------------------------------------------------


@settings(max_examples=500)
@given(st.text())
def test_label_is_one_safe_quoted_string(text: str) -> None:
    out = label(text)
    assert out.startswith('"')
    assert out.endswith('"')
    inner = out[1:-1]
    assert '"' not in inner
    assert re.fullmatch(r"(?:[A-Za-z0-9 ]|#\d+;)*", inner), inner
    assert decode(inner) == text  # nothing lost, nothing ambiguous


@settings(max_examples=500)
@given(st.text())
def test_node_id_is_a_plain_identifier(ident: str) -> None:
    out = node_id("b", ident)
    assert re.fullmatch(r"b_[A-Za-z0-9_]*", out), out
