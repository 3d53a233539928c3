"""``mlrefarch check --format github|sarif|junit`` without a verdict (exit status 2).

The CI system reads the report, not stderr, and an upload step fails on a
missing file, so each CI format reports the problems that prevented a
verdict: a model file that cannot be used (test-cli-badmodel), an unknown
``--required`` block, a bad configuration value, a source directory that is
not there, ``conf.py`` raising. The formats for people still write nothing.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOTS
from test_check_formats import commands, run, sarif_findings, warnings
from test_reports import junit_problems, sarif_errors

import sphinx_mlrefarch
from sphinx_mlrefarch.findings import Finding
from sphinx_mlrefarch.reports.no_verdict import NO_VERDICT, no_verdict_report

BADMODEL = ROOTS / "test-cli-badmodel"
MISSING = ROOTS / "test-cli-missing"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOTS.parent.parent)


# --------------------------------------------------------------------------
# a model file that cannot be used, in each format
# --------------------------------------------------------------------------


@pytest.mark.usefixtures("in_repo")
def test_github_reports_the_model_problems(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", "-q", "--format", "github", str(BADMODEL))
    assert status == 2
    assert err.splitlines()[-1].startswith("mlrefarch: error: no verdict: 2 problem(s)")
    expected = [
        {"level": "error", "file": w["path"], "line": w["line"], "title": "mlrefarch.model",
         "message": w["message"]}
        for w in warnings(err)
    ]  # fmt: skip
    assert len(expected) == 2  # the YAML error, and that the model cannot be used
    assert commands(out) == expected


@pytest.mark.usefixtures("in_repo")
def test_sarif_reports_the_model_problems(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", "-q", "--format", "sarif", str(BADMODEL))
    assert status == 2
    log = json.loads(out)
    assert sarif_errors(log) == []
    (run_,) = log["runs"]
    assert run_["tool"]["driver"]["version"] == sphinx_mlrefarch.__version__
    assert run_["invocations"] == [
        {"executionSuccessful": False, "exitCode": 2, "exitCodeDescription": NO_VERDICT}
    ]
    for result in run_["results"]:
        assert result["level"] == "error"
        rule = run_["tool"]["driver"]["rules"][result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
    got = sarif_findings(run_)
    assert got == warnings(err)
    assert len(got) == 2


@pytest.mark.usefixtures("in_repo")
def test_junit_reports_the_model_problems(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", "-q", "--format", "junit", str(BADMODEL))
    assert status == 2
    assert junit_problems(out) == []
    root = ET.fromstring(out)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("2", "0", "2")
    (suite,) = root
    assert (suite.get("tests"), suite.get("errors"), suite.get("failures")) == ("2", "2", "0")
    cases = suite.findall("testcase")
    expected = warnings(err)
    assert len(cases) == len(expected) == 2
    for case, warning in zip(cases, expected, strict=True):
        where = f"{warning['path']}:{warning['line']}"
        assert case.get("name") == f"mlrefarch.model ({where})"
        (error,) = list(case)
        assert error.tag == "error"
        assert (error.get("type"), error.get("message")) == ("mlrefarch.model", warning["message"])
        assert error.text == f"{warning['message']}\n{where}"


# --------------------------------------------------------------------------
# other reasons for no verdict
# --------------------------------------------------------------------------


def bad_required_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    conf = (MISSING / "conf.py").read_text("utf-8") + "mlrefarch_required = 5\n"
    (project / "conf.py").write_text(conf, "utf-8")
    (project / "index.rst").write_text((MISSING / "index.rst").read_text("utf-8"), "utf-8")
    return project


def test_every_reason_reaches_github(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    raising = tmp_path / "raising"
    raising.mkdir()
    (raising / "conf.py").write_text("raise RuntimeError('broken conf')\n", "utf-8")
    (raising / "index.rst").write_text("Title\n=====\n", "utf-8")
    project = bad_required_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    cases: list[tuple[list[str], dict[str, str]]] = [
        (["--required", "datx", str(MISSING)], {"title": "mlrefarch.unknown"}),
        ([str(project)], {"title": "mlrefarch.option", "file": "project/conf.py"}),
        ([str(tmp_path / "nope")], {"title": "mlrefarch.build"}),
        ([str(raising)], {"title": "mlrefarch.build"}),
    ]
    for argv, expected in cases:
        status, out, err = run(capsys, "check", "-q", "--format", "github", *argv)
        assert status == 2, argv
        assert "Traceback" not in err
        error_line = err.splitlines()[-1]
        assert error_line.startswith("mlrefarch: error: "), argv
        (command,) = commands(out)
        assert command["level"] == "error"
        assert {k: command.get(k) for k in expected} == expected, argv
        assert command["message"] in error_line, argv


def test_a_sphinx_failure_is_one_build_result(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raising = tmp_path / "raising"
    raising.mkdir()
    (raising / "conf.py").write_text("raise RuntimeError('broken conf')\n", "utf-8")
    status, out, _err = run(capsys, "check", "-q", "--format", "sarif", str(raising))
    assert status == 2
    log = json.loads(out)
    assert sarif_errors(log) == []
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "mlrefarch.build"
    assert "broken conf" in result["message"]["text"]
    assert "locations" not in result


# --------------------------------------------------------------------------
# --output: the document is written, atomically
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["github", "sarif", "junit"])
def test_output_holds_the_problems(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    printed_status, printed, _err = run(capsys, "check", "-q", "--format", fmt, str(BADMODEL))
    reports = tmp_path / "reports"
    reports.mkdir()
    target = reports / f"report.{fmt}"
    target.write_text("old report\n", "utf-8")
    argv = ["check", "-q", "--format", fmt, "--output", str(target), str(BADMODEL)]
    status, out, err = run(capsys, *argv)
    assert status == printed_status == 2
    assert out == ""
    assert "mlrefarch: error: no verdict" in err
    assert target.read_text("utf-8") == printed
    assert "mlrefarch.model" in printed
    assert os.listdir(reports) == [target.name]  # replaced, no temporary file left


def test_output_that_cannot_be_written_says_both(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The directory vanishes during a build without a verdict: both errors, one line."""
    reports = tmp_path / "reports"
    reports.mkdir()
    project = bad_required_project(tmp_path)
    conf = project / "conf.py"
    conf.write_text(conf.read_text("utf-8") + f"import os\nos.rmdir({str(reports)!r})\n", "utf-8")
    target = reports / "report.sarif"
    argv = ["check", "-q", "--format", "sarif", "--output", str(target), str(project)]
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    last = err.splitlines()[-1]
    assert last.startswith("mlrefarch: error: no verdict: 1 problem(s)")
    assert last.endswith(f"; and cannot write --output {target}: No such file or directory")


# --------------------------------------------------------------------------
# the renderer
# --------------------------------------------------------------------------


def located(**changes: Any) -> Finding:
    values: dict[str, Any] = {
        "subtype": "catalogue",
        "message": "entries[3]: 'blocks' names no block of the model: 'data-toolz'",
        "docname": "",
        "file": "/work/project/docs/catalogue.yaml",
        "line": 12,
    }
    return Finding(**{**values, **changes})


def test_sarif_of_problems_with_and_without_a_place() -> None:
    problems = [located(), located(file="", line=None, subtype="build", message="no SRC")]
    log = json.loads(no_verdict_report("sarif", problems, "/work/project", "1.0", 2))
    assert sarif_errors(log) == []
    assert [r["level"] for r in log["runs"][0]["results"]] == ["error", "error"]
    # positive control: the schema holds the invocation to its types
    log["runs"][0]["invocations"][0]["executionSuccessful"] = "no"
    assert sarif_errors(log)


@pytest.mark.parametrize("fmt", ["github", "sarif", "junit"])
def test_no_problem_is_still_a_failed_run(fmt: str) -> None:
    """Never a document that reads like a clean run, even with no problem to name."""
    text = no_verdict_report(fmt, [], "/work/project", "1.0", 2)
    assert NO_VERDICT in text
    if fmt == "junit":
        assert ET.fromstring(text).get("errors") == "1"


def test_junit_of_hostile_messages() -> None:
    message = 'a & b <c> "d"\nsecond line'
    text = no_verdict_report("junit", [located(message=message)], "/work/project", "1.0", 2)
    assert junit_problems(text) == []
    error = ET.fromstring(text).find("testsuite/testcase/error")
    assert error is not None
    assert error.get("message") == message
    assert error.text == f"{message}\ndocs/catalogue.yaml:12"
