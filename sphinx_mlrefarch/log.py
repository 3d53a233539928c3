"""Warnings are API: every finding becomes one warning of type ``mlrefarch``.

Users silence one kind with ``suppress_warnings = ["mlrefarch.<subtype>"]``,
so the subtype is always one of :data:`..findings.SUBTYPES`.
"""

from __future__ import annotations

from typing import Any

import sphinx
from sphinx.util import logging

from .findings import SUBTYPES, Finding

__all__ = ["SUBTYPES", "info", "report", "tags_needed"]

logger = logging.getLogger("sphinx_mlrefarch")


def tags_needed(config: Any) -> bool:
    """Whether warnings must name their type themselves.

    Sphinx shows ``[mlrefarch.<subtype>]`` after a warning only with
    ``show_warning_types``, which exists from Sphinx 7.3 and is on by default
    from 8.0. Users of older versions still need the name to silence a kind.
    """
    return sphinx.version_info < (8, 0) and not getattr(config, "show_warning_types", False)


def report(finding: Finding, tag: bool = False) -> None:
    """Emit ``finding`` as a located ``mlrefarch.<subtype>`` warning.

    ``tag`` adds the type to the message where Sphinx does not (see :func:`tags_needed`).
    """
    message = finding.message
    if tag:
        message += f" [mlrefarch.{finding.subtype}]"
    logger.warning(message, type="mlrefarch", subtype=finding.subtype, location=finding.location)


def info(message: str) -> None:
    logger.info(message)
