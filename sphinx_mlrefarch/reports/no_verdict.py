"""The CI formats when ``check`` reaches no verdict: the problems that prevented one. Pure.

Exit status 2 means the project could not be judged (a model or catalogue
file that cannot be used, a wrong configuration value, a failed build). A
CI system learns of that only from the report it reads, and a step that
uploads the report fails when there is none, so each CI format still
writes a document: ``github`` an ``::error`` command per problem, ``sarif``
a log whose results are the problems (level ``error``) and whose invocation
failed with the exit status, ``junit`` one test suite with an errored test
case per problem. Every problem is an error: none of them is a finding
about the architecture, each one stops the check.
"""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

from ..findings import BUILD, SUBTYPES, Finding
from .github import command, relative_path
from .sarif import sarif_log

__all__ = ["BUILD", "FORMATS", "NO_VERDICT", "no_verdict_report", "problem"]

#: The formats that report the problems instead of writing nothing.
FORMATS = ("github", "sarif", "junit")
#: What the exit status means, in the SARIF log and the JUnit suite.
NO_VERDICT = "no verdict: the project could not be checked"


def problem(message: str, subtype: str = BUILD, file: str = "", line: int | None = None) -> Finding:
    """A problem without a verdict as a finding (``file`` absolute, or "" for none)."""
    return Finding(subtype=subtype, message=message, docname="", file=file, line=line)


def _errors(problems: Iterable[Finding]) -> list[Finding]:
    return [dataclasses.replace(p, level="error") for p in problems]


def _github(problems: Sequence[Finding], base: str) -> str:
    return "".join(command(p, base) + "\n" for p in problems)


def _sarif(problems: Sequence[Finding], base: str, tool_version: str, status: int) -> str:
    log = sarif_log(problems, base, tool_version, subtypes=SUBTYPES | {BUILD})
    log["runs"][0]["invocations"] = [
        {"executionSuccessful": False, "exitCode": status, "exitCodeDescription": NO_VERDICT}
    ]
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _where(finding: Finding, base: str) -> str:
    if not finding.file:
        return ""
    path = relative_path(finding.file, base)
    return path if finding.line is None else f"{path}:{finding.line}"


def _junit(problems: Sequence[Finding], base: str, status: int) -> str:
    count = str(len(problems))
    counts = {"tests": count, "failures": "0", "errors": count}
    root = ET.Element("testsuites", {"name": "mlrefarch", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "mlrefarch", **counts, "skipped": "0"})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("verdict", NO_VERDICT), ("exit-status", str(status))):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    for finding in problems:
        where = _where(finding, base)
        name = f"mlrefarch.{finding.subtype}" + (f" ({where})" if where else "")
        case = ET.SubElement(suite, "testcase", {"name": name, "classname": "mlrefarch"})
        error = ET.SubElement(
            case, "error", {"message": finding.message, "type": f"mlrefarch.{finding.subtype}"}
        )
        error.text = finding.message + (f"\n{where}" if where else "")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def no_verdict_report(
    fmt: str, problems: Iterable[Finding], base: str, tool_version: str, status: int
) -> str:
    """The document ``fmt`` (one of :data:`FORMATS`) for ``problems``; paths relative to ``base``.

    ``status`` is the exit status of the run (2). A run always has at least
    one problem when it has no verdict; none is reported as one, so the
    document never looks like a clean run.
    """
    found = _errors(problems) or _errors([problem(NO_VERDICT)])
    if fmt == "github":
        return _github(found, base)
    if fmt == "sarif":
        return _sarif(found, base, tool_version, status)
    if fmt == "junit":
        return _junit(found, base, status)
    raise ValueError(f"no no-verdict report in format {fmt!r}; expected one of {FORMATS}")
