"""Translations of the labels the extension generates, through Sphinx's locale machinery.

Table headers, statuses, "Addressed by", the coverage line, legends: every
word the extension itself puts on a page is looked up with :data:`_` in the
``sphinx_mlrefarch`` message catalogue of the project's ``language``.
Warning messages and the model's texts are not translated (a translated
model is a model file). Catalogues live beside this module
(``<language>/LC_MESSAGES/sphinx_mlrefarch.po`` and its compiled ``.mo``);
``python3 dev.py i18n`` extracts the messages and compiles them.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.locale import get_translation

__all__ = ["CATALOG", "LOCALE_DIR", "_"]

CATALOG = "sphinx_mlrefarch"
LOCALE_DIR = Path(__file__).resolve().parent

_translate = get_translation(CATALOG)


def _(message: str) -> str:
    """``message`` in the project's language (call it while reading or rendering).

    Always a real ``str``: docutils nodes take nothing else.
    """
    return str(_translate(message))
