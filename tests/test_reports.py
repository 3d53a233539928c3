"""The CI report renderers (github, sarif, junit) on hand-made findings and portfolios.

Pure: no Sphinx. The SARIF logs are validated against the official schema
(tests/data/sarif-schema-2.1.0.json) with an empty ``referencing`` registry,
so validation never fetches anything; invalid logs show it can fail.
"""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import referencing
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from sphinx_mlrefarch.findings import SUBTYPES, Finding, check_portfolio
from sphinx_mlrefarch.model import default_model
from sphinx_mlrefarch.portfolio import Portfolio, assemble
from sphinx_mlrefarch.records import AbbRecord, SolutionRecord
from sphinx_mlrefarch.reports import sarif
from sphinx_mlrefarch.reports.github import github_report, relative_path
from sphinx_mlrefarch.reports.junit import junit_report
from sphinx_mlrefarch.reports.sarif import RULE_TEXTS, sarif_log, sarif_report
from sphinx_mlrefarch.status import Status

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
BASE = "/work/project"

#: Attributes Jenkins' junit-10.xsd allows on the elements junit_report writes.
JUNIT_ATTRIBUTES = {
    "testsuites": {"name", "time", "tests", "failures", "errors"},
    "testsuite": {
        *("name", "tests", "failures", "errors", "group", "time", "skipped", "timestamp"),
        *("hostname", "id", "package", "file", "log", "url", "version"),
    },
    "properties": set(),
    "property": {"name", "value"},
    "testcase": {"name", "time", "classname", "group"},
    "failure": {"type", "message"},
    "error": {"type", "message"},
}
JUNIT_REQUIRED = {
    "testsuite": {"name", "tests", "failures", "errors"},
    "property": {"name", "value"},
    "testcase": {"name"},
}


@cache
def sarif_validator() -> Validator:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, registry=referencing.Registry())


def sarif_errors(log: Any) -> list[str]:
    return [error.message for error in sarif_validator().iter_errors(log)]


def finding(
    message: str = "something is wrong",
    subtype: str = "ref",
    file: str = f"{BASE}/docs/index.rst",
    line: int | None = 7,
    level: str = "warning",
) -> Finding:
    return Finding(
        subtype=subtype, message=message, docname="index", file=file, line=line, level=level
    )


def junit_problems(text: str) -> list[str]:
    """Where a JUnit document leaves junit-10.xsd's elements and attributes."""
    problems = []
    for element in ET.fromstring(text).iter():
        allowed = JUNIT_ATTRIBUTES.get(element.tag)
        if allowed is None:
            problems.append(f"element {element.tag}")
            continue
        problems += [f"{element.tag}@{a}" for a in sorted(set(element.attrib) - allowed)]
        missing = JUNIT_REQUIRED.get(element.tag, set()) - set(element.attrib)
        problems += [f"{element.tag} lacks @{a}" for a in sorted(missing)]
    return problems


# --------------------------------------------------------------------------
# github
# --------------------------------------------------------------------------


def test_github_error_and_warning_commands() -> None:
    report = github_report(
        [
            finding("block 'x' is missing", subtype="missing", level="error", line=4),
            finding("block 'y' is only planned", subtype="missing", line=4),
            finding("unknown solution 'z'", file=f"{BASE}/docs/sub/page.rst", line=12),
        ],
        BASE,
    )
    assert report.splitlines() == [
        "::error file=docs/index.rst,line=4,title=mlrefarch.missing::block 'x' is missing",
        "::warning file=docs/index.rst,line=4,title=mlrefarch.missing::block 'y' is only planned",
        "::warning file=docs/sub/page.rst,line=12,title=mlrefarch.ref::unknown solution 'z'",
    ]
    assert report.endswith("\n")


def test_github_escapes_message_and_properties() -> None:
    hostile = finding("50% done\r\nnext: a,b", file=f"{BASE}/we,ird:name%.rst", line=None)
    (line,) = github_report([hostile], BASE).splitlines()
    # properties: % first, then CR, LF, ':' and ','; the message keeps ':' and ','
    assert (
        line
        == "::warning file=we%2Cird%3Aname%25.rst,title=mlrefarch.ref::50%25 done%0D%0Anext: a,b"
    )


def test_github_without_line_or_file() -> None:
    no_line = github_report([finding(line=None)], BASE)
    assert no_line == "::warning file=docs/index.rst,title=mlrefarch.ref::something is wrong\n"
    nowhere = github_report([finding(file="", line=3)], BASE)
    assert nowhere == "::warning title=mlrefarch.ref::something is wrong\n"
    assert github_report([], BASE) == ""


def test_relative_paths() -> None:
    assert relative_path(f"{BASE}/docs/a.rst", BASE) == "docs/a.rst"
    assert relative_path(f"{BASE}/docs/a.rst", f"{BASE}/docs") == "a.rst"
    assert relative_path("/elsewhere/a.rst", BASE) == "../../elsewhere/a.rst"


# --------------------------------------------------------------------------
# sarif
# --------------------------------------------------------------------------


MIXED = [
    finding("required block missing", subtype="missing", level="error", line=4),
    finding("required block planned", subtype="missing", line=4),
    finding("no line here", subtype="option", line=None),
    finding("no file at all", subtype="scope", file="", line=None),
    finding("outside the checkout", subtype="unknown", file="/other/place/x y.rst", line=2),
    finding("a space", subtype="duplicate", file=f"{BASE}/docs/with space.rst", line=1),
]


def test_sarif_log_is_valid() -> None:
    log = json.loads(sarif_report(MIXED, BASE, "1.2.3"))
    assert sarif_errors(log) == []
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("mlrefarch", "1.2.3")
    assert driver["informationUri"].startswith("https://")
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///work/project/"}}


def test_sarif_invalid_logs_fail_validation() -> None:
    """Positive control: the validator does reject logs that break the schema."""
    log = sarif_log(MIXED, BASE, "1.2.3")
    assert sarif_errors(log) == []
    broken = []
    bad = copy.deepcopy(log)
    bad["runs"][0]["results"][0]["level"] = "fatal"
    broken.append(bad)
    bad = copy.deepcopy(log)
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    broken.append(bad)
    bad = copy.deepcopy(log)
    del bad["runs"][0]["results"][0]["message"]
    broken.append(bad)
    bad = copy.deepcopy(log)
    bad["version"] = "2.0.0"
    broken.append(bad)
    for bad in broken:
        assert sarif_errors(bad), bad


def test_sarif_rules_follow_the_subtypes() -> None:
    rules = sarif.rules()
    assert [r["id"] for r in rules] == [f"mlrefarch.{s}" for s in sorted(SUBTYPES)]
    for rule in rules:
        subtype = rule["id"].removeprefix("mlrefarch.")
        # every subtype has texts of its own, not the fallback
        assert subtype in RULE_TEXTS
        for key in ("shortDescription", "fullDescription", "help"):
            assert rule[key]["text"].strip()
        for key in ("fullDescription", "help"):
            text = rule[key]["text"]
            assert text.endswith(".") and ". " not in text, text  # one sentence
        level = rule["defaultConfiguration"]["level"]
        assert level == ("error" if subtype == "missing" else "warning")


def test_sarif_a_new_subtype_gets_a_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif, "SUBTYPES", SUBTYPES | {"brandnew"})
    log = sarif_log([finding(subtype="brandnew")], BASE, "0")
    assert sarif_errors(log) == []
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    (result,) = log["runs"][0]["results"]
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == "mlrefarch.brandnew"


def test_sarif_results() -> None:
    log = sarif_log(MIXED, BASE, "0")
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["message"]["text"] for r in results] == [f.message for f in MIXED]
    for result, source in zip(results, MIXED, strict=True):
        assert result["ruleId"] == f"mlrefarch.{source.subtype}"
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    locations = [r.get("locations") for r in results]
    first = locations[0][0]["physicalLocation"]
    assert first == {
        "artifactLocation": {"uri": "docs/index.rst", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 4},
    }
    # no line: no region; no file: no location
    assert "region" not in locations[2][0]["physicalLocation"]
    assert locations[3] is None
    # outside the base: an absolute file URI without a base id; paths are URI-encoded
    outside = locations[4][0]["physicalLocation"]["artifactLocation"]
    assert outside == {"uri": "file:///other/place/x%20y.rst"}
    spaced = locations[5][0]["physicalLocation"]["artifactLocation"]
    assert spaced == {"uri": "docs/with%20space.rst", "uriBaseId": "%SRCROOT%"}


def test_sarif_levels() -> None:
    results = sarif_log(MIXED, BASE, "0")["runs"][0]["results"]
    assert [r["level"] for r in results] == ["error"] + ["warning"] * 5


def fingerprints(findings: list[Finding], base: str = BASE) -> list[dict[str, str]]:
    return [r["partialFingerprints"] for r in sarif_log(findings, base, "0")["runs"][0]["results"]]


def test_sarif_fingerprints_are_stable() -> None:
    one = fingerprints([finding(line=3)])[0]
    assert set(one) == {"mlrefarchFinding/v1", "primaryLocationLineHash"}
    # a moved line, or another checkout directory, is the same finding
    assert fingerprints([finding(line=30)])[0] == one
    moved = fingerprints([finding(file="/elsewhere/docs/index.rst")], "/elsewhere")[0]
    assert moved == one
    # another message, kind or file is another finding
    assert fingerprints([finding("other")])[0] != one
    assert fingerprints([finding(subtype="unknown")])[0] != one
    assert fingerprints([finding(file=f"{BASE}/docs/other.rst")])[0] != one
    # the same finding twice: told apart by rank
    twice = fingerprints([finding(line=3), finding(line=9)])
    assert twice[0]["mlrefarchFinding/v1"] == twice[1]["mlrefarchFinding/v1"]
    assert twice[0]["primaryLocationLineHash"].endswith(":1")
    assert twice[1]["primaryLocationLineHash"].endswith(":2")


def test_sarif_is_deterministic() -> None:
    assert sarif_report(MIXED, BASE, "0") == sarif_report(list(MIXED), BASE, "0")


def test_sarif_without_findings_is_valid() -> None:
    log = sarif_log([], BASE, "0")
    assert sarif_errors(log) == []
    assert log["runs"][0]["results"] == []


# --------------------------------------------------------------------------
# junit
# --------------------------------------------------------------------------


def portfolio_of(
    solutions: list[SolutionRecord],
    abbs: list[AbbRecord],
    required: tuple[str, ...] = ("data-tools", "compute"),
) -> Portfolio:
    by_doc: dict[str, list[AbbRecord]] = {}
    for record in abbs:
        by_doc.setdefault(record.docname, []).append(record)
    return assemble(
        default_model(), required, {s.docname: s for s in solutions}, by_doc, {}, {}, {}
    )


def solution(sid: str, doc: str, title: str = "") -> SolutionRecord:
    return SolutionRecord(id=sid, title=title or sid.title(), docname=doc, line=3)


def abb(block: str, doc: str, status: Status = Status.ADDRESSED) -> AbbRecord:
    return AbbRecord(block=block, status=status, docname=doc, line=9)


def test_junit_counts_and_failures() -> None:
    portfolio = portfolio_of(
        [solution("churn", "churn"), solution("vision", "vision")],
        [
            abb("data", "churn"),
            abb("data-tools", "churn"),
            abb("compute", "churn", Status.PLANNED),
            abb("data", "vision"),
            abb("data-tools", "vision", Status.NOT_APPLICABLE),
        ],
        required=("data", "data-tools", "compute"),
    )
    text = junit_report(default_model(), portfolio, {"churn": "docs/churn.rst"})
    assert junit_problems(text) == []
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["churn", "vision"]
    total_tests = total_failures = 0
    for suite in suites:
        view = portfolio.solutions[suite.get("name", "")]
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == list(view.coverage.required)
        failed = [c.get("name") for c in cases if c.find("failure") is not None]
        assert failed == list(view.coverage.missing)
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(len(failed))
        assert (suite.get("errors"), suite.get("skipped")) == ("0", "0")
        assert {c.get("classname") for c in cases} == {f"mlrefarch.{view.id}"}
        total_tests += len(cases)
        total_failures += len(failed)
    assert root.get("name") == "mlrefarch"
    assert root.get("tests") == str(total_tests)
    assert root.get("failures") == str(total_failures)
    assert root.get("errors") == "0"
    assert suites[0].get("file") == "docs/churn.rst"
    assert suites[1].get("file") is None  # no path given
    # vision: data-tools is not-applicable without justification
    failure = suites[1].find("testcase[@name='data-tools']/failure")
    assert failure is not None
    assert failure.get("type") == "mlrefarch.missing"
    assert failure.get("message") == (
        "data-tools (Data Tools): not-applicable without justification"
    )


def test_junit_failure_text_is_the_warning() -> None:
    """Each failure explains itself with the sentence of its mlrefarch.missing warning."""
    portfolio = portfolio_of(
        [solution("churn", "churn")],
        [
            abb("data-tools", "churn", Status.PLANNED),
            abb("compute", "churn", Status.NOT_APPLICABLE),
        ],
        required=("data-tools", "compute", "networking"),
    )
    missing = [f for f in check_portfolio(default_model(), portfolio, {}) if f.subtype == "missing"]
    assert len(missing) == 3
    text = junit_report(default_model(), portfolio, {"churn": "docs/churn.rst"})
    failures = ET.fromstring(text).findall(".//failure")
    assert [(f.text or "").splitlines()[0] for f in failures] == [m.message for m in missing]
    assert {(f.text or "").splitlines()[1] for f in failures} == {"docs/churn.rst:3"}


def test_junit_covered_solution_has_no_failures() -> None:
    portfolio = portfolio_of(
        [solution("ok", "ok")], [abb("data-tools", "ok"), abb("compute", "ok", Status.PARTIAL)]
    )
    root = ET.fromstring(junit_report(default_model(), portfolio, {}))
    assert (root.get("tests"), root.get("failures")) == ("2", "0")
    assert root.findall(".//failure") == []


def test_junit_without_solutions() -> None:
    text = junit_report(default_model(), portfolio_of([], []), {})
    assert junit_problems(text) == []
    root = ET.fromstring(text)
    assert root.findall("testsuite") == []
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("0", "0", "0")


def test_junit_escapes_hostile_titles() -> None:
    title = 'Q&A <"bots"> \u00e9'
    portfolio = portfolio_of([solution("qa", "qa", title)], [])
    text = junit_report(default_model(), portfolio, {"qa": 'docs/a&b "c".rst'})
    suite = ET.fromstring(text).find("testsuite")
    assert suite is not None
    assert suite.get("file") == 'docs/a&b "c".rst'
    prop = suite.find("properties/property[@name='title']")
    assert prop is not None and prop.get("value") == title


def test_junit_checker_rejects_what_the_xsd_rejects() -> None:
    """Positive control for junit_problems: a test case with a file, a suite without counts."""
    bad = (
        '<testsuites><testsuite name="x"><testcase name="a" file="f.rst"/>'
        "<bogus/></testsuite></testsuites>"
    )
    assert junit_problems(bad) == [
        "testsuite lacks @errors",
        "testsuite lacks @failures",
        "testsuite lacks @tests",
        "testcase@file",
        "element bogus",
    ]
