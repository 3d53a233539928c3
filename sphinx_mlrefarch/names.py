"""Names: slugs, the form references are compared in, and "did you mean".

Every message that suggests a correction goes through :func:`did_you_mean`,
so users meet one phrasing whether the typo is in a directive, a role, a
model file or ``conf.py``. Pure; no Sphinx here.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence

__all__ = ["close_matches", "did_you_mean", "hint", "norm", "slugify"]

_SLUG_RE = re.compile(r"[^a-z0-9]+")

#: How many valid values a message lists before it says "...".
MAX_CHOICES = 25


def slugify(text: str) -> str:
    """Lower-case ``text`` and join its alphanumeric runs with hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_RE.sub("-", ascii_text.lower()).strip("-")


def norm(ref: object) -> str:
    """The form references are compared in: case- and whitespace-insensitive."""
    return " ".join(str(ref).split()).casefold()


def close_matches(ref: str, names: Iterable[str], n: int = 2) -> list[str]:
    """Up to ``n`` of ``names`` that look like ``ref`` (compared in :func:`norm` form)."""
    by_norm: dict[str, str] = {}
    for name in names:
        by_norm.setdefault(norm(name), name)
    found = difflib.get_close_matches(norm(ref), list(by_norm), n=n, cutoff=0.6)
    return [by_norm[match] for match in found]


def did_you_mean(candidates: Sequence[str], choices: Sequence[str] = ()) -> str:
    """A message tail: ``"; did you mean 'x'?"``, else the valid values, else nothing."""
    if candidates:
        names = " or ".join(f"'{c}'" for c in candidates)
        return f"; did you mean {names}?"
    if choices:
        shown = ", ".join(f"'{c}'" for c in list(choices)[:MAX_CHOICES])
        more = ", ..." if len(choices) > MAX_CHOICES else ""
        return f"; expected one of {shown}{more}"
    return ""


def hint(ref: str, choices: Sequence[str]) -> str:
    """:func:`did_you_mean` for ``ref`` against ``choices``: close ones, else all of them."""
    return did_you_mean(close_matches(ref, choices), choices)
