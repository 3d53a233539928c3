"""Coverage as JUnit XML: each solution a test suite, each required block a test case.

Pure. CI systems (Jenkins, GitLab, Azure) that show test results can then
show which solutions fall short and by which blocks, without knowing
anything about mlrefarch. The document keeps within Jenkins' junit-10.xsd,
the strictest schema the readers share: a test case has no ``file``
attribute there, so the solution's document is on its suite.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from ..findings import missing_message
from ..model import Model
from ..portfolio import Portfolio, SolutionView
from .text import gap_text

__all__ = ["junit_report"]


def _suite(model: Model, view: SolutionView, file: str) -> ET.Element:
    cov = view.coverage
    suite = ET.Element(
        "testsuite",
        {
            "name": view.id,
            "tests": str(len(cov.required)),
            "failures": str(len(cov.missing)),
            "errors": "0",
            "skipped": "0",
        },
    )
    if file:
        suite.set("file", file)
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("title", view.title),
        ("status", str(view.record.status)),
        ("coverage", f"{cov.percent:.1f}%"),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    where = file if view.record.line is None else f"{file}:{view.record.line}"
    missing = set(cov.missing)
    for block_id in cov.required:
        case = ET.SubElement(
            suite, "testcase", {"name": block_id, "classname": f"mlrefarch.{view.id}"}
        )
        if block_id not in missing:
            continue
        title = model.block_map[block_id].title
        failure = ET.SubElement(
            case,
            "failure",
            {
                "message": f"{block_id} ({title}): {gap_text(view, block_id)}",
                "type": "mlrefarch.missing",
            },
        )
        # The sentence of the block's mlrefarch.missing warning, and where the solution is.
        failure.text = missing_message(model, view, block_id) + (f"\n{where}" if where else "")
    return suite


def junit_report(model: Model, portfolio: Portfolio, files: Mapping[str, str]) -> str:
    """The XML document; ``files`` maps a solution id to the path to show for its document."""
    suites = [_suite(model, view, files.get(sid, "")) for sid, view in portfolio.solutions.items()]
    root = ET.Element(
        "testsuites",
        {
            "name": "mlrefarch",
            "tests": str(sum(int(s.get("tests", "0")) for s in suites)),
            "failures": str(sum(int(s.get("failures", "0")) for s in suites)),
            "errors": "0",
        },
    )
    root.extend(suites)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
