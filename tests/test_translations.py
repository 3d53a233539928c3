"""Generated labels in the project's language: the Dutch catalogue, and the catalogue's upkeep."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from helpers import warnings_of

import sphinx_mlrefarch.locale
from sphinx_mlrefarch.locale import CATALOG, LOCALE_DIR

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import i18n  # tools/i18n.py, the maintainers' extraction script

NL_PO = LOCALE_DIR / "nl" / "LC_MESSAGES" / f"{CATALOG}.po"

#: Every kind of generated label on a few pages: boxes, tables, matrix, book, parts.
PAGES = {
    "index.rst": "Index\n=====\n\n.. toctree::\n\n   solution\n   views\n   book\n",
    "solution.rst": (
        "Solution\n========\n\n"
        ".. solution:: Churn\n   :id: churn\n   :owner: Team\n   :required: data, data-tools\n\n"
        ".. abb:: data\n   :sbb: PostgreSQL\n   :owner: DBA\n\n   Kept in a database.\n\n"
        ".. abb:: data-tools\n   :status: planned\n\n"
        ".. abb:: compute\n   :status: not-applicable\n\n   No model training here.\n\n"
        ".. constraint:: EU only\n   :aspect: security\n   :affects: data\n   :source: Law\n\n"
        ".. hosting-choice:: Lab\n   :environment: training, production\n   :platform: cloud\n"
        "   :provider: P\n   :storage: S3\n\n"
        ".. abb-coverage::\n\n.. hosting-matrix::\n\n.. constraint-list::\n"
    ),
    "views.rst": (
        "Views\n=====\n\n.. abb-coverage::\n   :solutions: all\n\n"
        ".. constraint-list::\n   :solution: all\n"
    ),
    "book.rst": (
        "Book\n====\n\n.. reference-model::\n   :layers: data, infrastructure\n\n"
        ".. reference-model::\n   :part: principles\n\n"
        ".. reference-model::\n   :part: hosting\n\n"
        ".. reference-model::\n   :part: process\n\n"
        ".. reference-model::\n   :part: profiles\n"
    ),
}

#: Parts of a page that only the extension writes (no user or model text in them).
GENERATED = ", ".join(
    [
        "table.mlrefarch-table thead",
        ".mlrefarch-badge",
        ".mlrefarch-box-label",
        ".mlrefarch-facts strong",
        "p.rubric",
        ".mlrefarch-coverage-summary",
        ".mlrefarch-coverage-figure",
        ".mlrefarch-legend",
        ".mlrefarch-backlinks-empty",
        ".mlrefarch-part p.rubric",
        "dl.mlrefarch-principles strong",
        ".mlrefarch-loop",
        "tr.mlrefarch-share-row td:first-child",
    ]
)

#: English labels whose Dutch differs, and a Dutch label that must show instead.
ENGLISH_TO_DUTCH = {
    "Building block": "Bouwsteen",
    "Declared in": "Vastgelegd in",
    "addressed": "ingevuld",
    "planned": "gepland",
    "not applicable": "niet van toepassing",
    "missing": "ontbreekt",
    "Owner": "Eigenaar",
    "Coverage": "Dekking",
    "Solution": "Oplossing",
    "Constraint": "Randvoorwaarde",
    "Affects": "Raakt",
    "Priority": "Prioriteit",
    "Environment": "Omgeving",
    "Hosting choice": "Hostingkeuze",
    "Guidance questions": "Richtvragen",
    "Addressed by": "Ingevuld door",
    "required building blocks": "vereiste bouwstenen",
    "Share": "Aandeel",
    "draft": "concept",
    "must": "moet",
    "Rationale": "Onderbouwing",
    "What it stands for": "Waar het voor staat",
    "Strict": "Strikt",
}


def generated_text(app: Any) -> str:
    texts = []
    for page in ("solution.html", "views.html", "book.html"):
        soup = BeautifulSoup((Path(app.outdir) / page).read_text("utf-8"), "html.parser")
        texts += [element.get_text(" ", strip=True) for element in soup.select(GENERATED)]
        texts += [abbr["title"] for abbr in soup.select("abbr.mlrefarch-mark")]
    return "\n".join(texts)


def test_dutch_labels_and_no_english_ones(project: Any) -> None:
    app = project(PAGES, conf='language = "nl"\n')
    assert [w for w in warnings_of(app) if "mlrefarch.missing" not in w] == []
    text = generated_text(app)
    for english, dutch in ENGLISH_TO_DUTCH.items():
        assert dutch in text, dutch
        assert english not in text, english
    assert "1 van 2 vereiste bouwstenen ingevuld (50.0%)" in text


def test_english_without_a_language(project: Any) -> None:
    """Positive control: the same pages in English show the English labels."""
    text = generated_text(project(PAGES))
    for english in ENGLISH_TO_DUTCH:
        assert english in text, english


def test_language_without_a_catalogue_is_english_and_quiet(project: Any) -> None:
    app = project(PAGES, conf='language = "fr"\n')
    assert [w for w in warnings_of(app) if "mlrefarch.missing" not in w] == []
    assert "Building block" in generated_text(app)


def test_broken_catalogue_is_english_and_quiet(
    project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sphinx ignores a catalogue it cannot read; so does the extension (no traceback)."""
    broken = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR / "nl", broken / "nl")
    (broken / "nl" / "LC_MESSAGES" / f"{CATALOG}.mo").write_bytes(b"\xde\x12\x04\x95broken")
    monkeypatch.setattr(sphinx_mlrefarch.locale, "LOCALE_DIR", broken)
    app = project(PAGES, conf='language = "nl"\n')
    assert [w for w in warnings_of(app) if "mlrefarch.missing" not in w] == []
    assert "Building block" in generated_text(app)


def test_catalogue_holds_every_label_translated() -> None:
    template = {message.id for message in i18n.template() if message.id}
    with NL_PO.open("rb") as source:
        nl = read_po(source)
    translated = {message.id: message.string for message in nl if message.id}
    assert [m.id for m in nl if m.id and m.fuzzy] == []  # fuzzy ones are not compiled
    assert set(translated) == template, "run python3 dev.py i18n"
    assert all(translated.values()), [k for k, v in translated.items() if not v]
    # placeholders survive translation
    for message_id, text in translated.items():
        for name in ("{satisfied}", "{required}", "{percent}", "{title}", "{model}", "{last}"):
            assert (name in message_id) == (name in text), message_id


def test_template_lists_every_message() -> None:
    """The ``.pot`` a new language starts from holds exactly the package's messages."""
    template = {message.id for message in i18n.template() if message.id}
    # the template is a file of the repository, not of the installed package
    with (i18n.LOCALE / f"{CATALOG}.pot").open("rb") as source:
        pot = {message.id for message in read_po(source) if message.id}
    assert pot == template, "run python3 dev.py i18n"


def test_compiled_catalogue_matches_its_source() -> None:
    with NL_PO.open("rb") as source:
        po = {m.id: m.string for m in read_po(source) if m.id}
    with NL_PO.with_suffix(".mo").open("rb") as compiled:
        mo = {m.id: m.string for m in read_mo(compiled) if m.id}
    assert mo == po, "run python3 dev.py i18n"
