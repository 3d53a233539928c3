"""Extract the extension's labels and (re)compile its translation catalogues.

    python3 dev.py i18n          # extract, merge into every <lang>.po, compile every .mo

Messages are the arguments of ``_()`` and ``N_()`` in ``sphinx_mlrefarch``
(see ``sphinx_mlrefarch/locale/__init__.py``). Babel (a dependency of Sphinx)
does the work. Each language's ``.po`` is committed, and so is the compiled
``.mo`` that Sphinx reads, so an installed package needs no build step;
``tests/test_translations.py`` fails when a catalogue or the template
(``locale/sphinx_mlrefarch.pot``) is out of date. To add a language, copy
the template or ``nl/LC_MESSAGES/sphinx_mlrefarch.po`` to
``<code>/LC_MESSAGES/sphinx_mlrefarch.po``, set its ``Language`` header,
translate every ``msgstr`` and run this.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sphinx_mlrefarch"
LOCALE = PACKAGE / "locale"
DOMAIN = "sphinx_mlrefarch"
KEYWORDS = {"_": None, "N_": None}
BUGS = "https://sphinx-mlrefarch.invalid/issues"
TRANSLATORS = "sphinx-mlrefarch developers"


def template() -> Catalog:
    """Every message of the package, with the places it is used."""
    catalog = Catalog(project="sphinx-mlrefarch", domain=DOMAIN, fuzzy=False)
    found = extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS)
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message,
            locations=[(f"sphinx_mlrefarch/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def languages() -> list[Path]:
    return sorted(p for p in LOCALE.glob("*/LC_MESSAGES/" + DOMAIN + ".po"))


def main() -> int:
    pot = template()
    # the template a translator of a new language starts from
    with (LOCALE / f"{DOMAIN}.pot").open("wb") as out:
        write_po(out, pot, sort_output=True, omit_header=False)
    untranslated = 0
    for po_path in languages():
        with po_path.open("rb") as src:
            catalog = read_po(src, locale=po_path.parent.parent.name, domain=DOMAIN)
        catalog.update(
            pot, no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False
        )
        catalog.msgid_bugs_address = BUGS
        catalog.last_translator = TRANSLATORS
        missing = [m.id for m in catalog if m.id and not m.string]
        untranslated += len(missing)
        for message_id in missing:
            print(f"{po_path.relative_to(ROOT)}: untranslated: {message_id!r}", file=sys.stderr)
        with po_path.open("wb") as out:
            write_po(out, catalog, sort_output=True, ignore_obsolete=True)
        with po_path.with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog)
        print(f"{po_path.relative_to(ROOT)}: {len(catalog)} messages")
    return 1 if untranslated else 0


if __name__ == "__main__":
    raise SystemExit(main())
