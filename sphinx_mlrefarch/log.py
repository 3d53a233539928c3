"""Warnings are API: every finding becomes one warning of type ``mlrefarch``.

Users silence one kind with ``suppress_warnings = ["mlrefarch.<subtype>"]``,
so the subtype is always one of :data:`..findings.SUBTYPES`.
"""

from __future__ import annotations

from sphinx.util import logging

from .findings import SUBTYPES, Finding

__all__ = ["SUBTYPES", "info", "report"]

logger = logging.getLogger("sphinx_mlrefarch")


def report(finding: Finding) -> None:
    """Emit ``finding`` as a located ``mlrefarch.<subtype>`` warning."""
    logger.warning(
        finding.message, type="mlrefarch", subtype=finding.subtype, location=finding.location
    )


def info(message: str) -> None:
    logger.info(message)
