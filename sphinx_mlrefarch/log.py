"""Warnings are API: one helper so every warning has type ``mlrefarch``.

Users silence one kind with ``suppress_warnings = ["mlrefarch.<subtype>"]``,
so the subtype must always be one of :data:`SUBTYPES`.
"""

from __future__ import annotations

from typing import Any

from sphinx.util import logging

logger = logging.getLogger("sphinx_mlrefarch")

#: The warning subtypes of the specification.
SUBTYPES = frozenset(
    {
        "model",
        "unknown",
        "duplicate",
        "missing",
        "justification",
        "hosting",
        "option",
        "scope",
        "ref",
    }
)


def warn(subtype: str, message: str, location: Any) -> None:
    """Emit a located ``mlrefarch.<subtype>`` warning.

    ``location`` is a node, a ``(docname, line)`` pair or a ``"file:line"``
    string, as Sphinx's logger accepts.
    """
    assert subtype in SUBTYPES, subtype
    logger.warning(message, type="mlrefarch", subtype=subtype, location=location)


def info(message: str) -> None:
    logger.info(message)
