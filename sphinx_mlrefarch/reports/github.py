"""Findings as GitHub Actions workflow commands: annotations on the lines of a pull request.

Pure. GitHub reads ``::error``/``::warning`` lines from a step's output and
shows each at its file and line; a missing required block is an error (it
fails the gate), everything else a warning. Paths must be relative to the
checkout, which is the directory the step runs in, hence the ``base``
argument.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable

from ..findings import Finding

__all__ = ["github_report", "relative_path"]

#: Workflow-command escapes; ``%`` first so an escape is never escaped twice.
_DATA_ESCAPES = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
#: A property value also ends at ``,`` (next property) and ``:`` (``::`` ends the list).
_PROPERTY_ESCAPES = (*_DATA_ESCAPES, (":", "%3A"), (",", "%2C"))


def _escape(text: str, escapes: Iterable[tuple[str, str]]) -> str:
    for char, code in escapes:
        text = text.replace(char, code)
    return text


def relative_path(path: str, base: str) -> str:
    """``path`` relative to ``base`` with forward slashes (absolute if no relative path exists)."""
    with contextlib.suppress(ValueError):  # another drive on Windows
        path = os.path.relpath(path, base)
    return path.replace(os.sep, "/")


def command(finding: Finding, base: str) -> str:
    """One workflow command; ``finding.file`` is the finding's absolute path ("" if none)."""
    properties = []
    if finding.file:
        properties.append(("file", relative_path(finding.file, base)))
        if finding.line is not None:
            properties.append(("line", str(finding.line)))
    properties.append(("title", f"mlrefarch.{finding.subtype}"))
    listed = ",".join(f"{key}={_escape(value, _PROPERTY_ESCAPES)}" for key, value in properties)
    level = "error" if finding.level == "error" else "warning"
    return f"::{level} {listed}::{_escape(finding.message, _DATA_ESCAPES)}"


def github_report(findings: Iterable[Finding], base: str) -> str:
    """One command per finding, in the order given; paths relative to ``base``."""
    return "".join(command(finding, base) + "\n" for finding in findings)
