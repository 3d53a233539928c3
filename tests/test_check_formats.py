"""``mlrefarch check --format github|sarif|junit``, run for real (``--output``: test_check_output).

Each test calls ``main([...])`` in-process on a test root or a small
project in ``tmp_path`` and compares the report with the warnings the same
build printed on stderr (the text every other builder shows), and with the
coverage of ``--format json``.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import referencing
from helpers import ROOTS
from jsonschema.validators import validator_for

import sphinx_mlrefarch
from sphinx_mlrefarch.cli import main

COVERED = ROOTS / "test-cli-covered"
MISSING = ROOTS / "test-cli-missing"
BASIC = ROOTS / "test-basic"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_WARNING = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+): WARNING: (?P<message>.*) \[mlrefarch\.(?P<subtype>\w+)\]$"
)
_COMMAND = re.compile(r"^::(?P<level>error|warning) (?P<properties>[^:]*)::(?P<message>.*)$")

#: A project with a finding of many kinds: a missing block, an unjustified
#: not-applicable one, an unknown block, a bad option in an included file, dangling
#: roles (one in rst_prolog, which is in no file) and a message with a '%'.
CONF = """\
extensions = ["sphinx_mlrefarch"]
exclude_patterns = ["part.rst"]
rst_prolog = '''
.. |prolog| replace:: :abb:`no-such-prolog-block`
'''
"""
INDEX = """\
Title
=====

.. solution:: Many findings
   :id: many
   :required: data-tools, networking

.. abb:: networking
   :status: not-applicable

.. abb:: nosuch-block

.. include:: part.rst

See |prolog|, :solution:`nope` and :solution:`50%-off`.
"""
PART = """\
.. abb:: compute
   :status: wrongstatus
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, _ANSI.sub("", err)


def warnings(err: str) -> list[dict[str, str]]:
    """The ``mlrefarch`` warnings of a build's stderr; paths made relative to the cwd."""
    out = []
    for line in err.splitlines():
        match = _WARNING.match(line)
        if match:
            found = match.groupdict()
            if not found["path"].startswith("<"):
                found["path"] = os.path.relpath(os.path.abspath(found["path"]))
            out.append(found)
    return out


def sarif_findings(run_: dict[str, Any]) -> list[dict[str, str]]:
    """A SARIF run's results in the form of :func:`warnings`, each located under %SRCROOT%."""
    got = []
    for result in run_["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        got.append(
            {
                "path": location["artifactLocation"]["uri"],
                "line": str(location["region"]["startLine"]),
                "message": result["message"]["text"],
                "subtype": result["ruleId"].removeprefix("mlrefarch."),
            }
        )
    return got


def _unescape(text: str) -> str:
    for code, char in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        text = text.replace(code, char)
    return text


def commands(out: str) -> list[dict[str, Any]]:
    """Each workflow command of ``out`` (every line must be one), properties unescaped."""
    parsed = []
    for line in out.splitlines():
        match = _COMMAND.match(line)
        assert match, line
        properties = dict(p.split("=", 1) for p in match["properties"].split(","))
        properties = {key: _unescape(value) for key, value in properties.items()}
        message = _unescape(match["message"])
        parsed.append({"level": match["level"], "message": message, **properties})
    return parsed


def sarif_errors(log: Any) -> list[str]:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    validator = validator_for(schema)(schema, registry=referencing.Registry())
    return [error.message for error in validator.iter_errors(log)]


def many_findings(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in (("conf.py", CONF), ("index.rst", INDEX), ("part.rst", PART)):
        (docs / name).write_text(text, "utf-8")
    return docs


# --------------------------------------------------------------------------
# github
# --------------------------------------------------------------------------


def test_github_missing_blocks(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOTS.parent)
    status, out, err = run(capsys, "check", "-q", "--format", "github", str(MISSING))
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == 18
    prefix = "file=roots/test-cli-missing/index.rst,line=4,title=mlrefarch.missing::"
    planned = (
        "solution 'churn': required building block 'compute' (GPU, CPU or TPU) is only "
        "planned; it counts once it is addressed or partial"
    )
    assert f"::warning {prefix}{planned}" in lines
    assert (
        f"::error {prefix}solution 'churn': required building block 'networking' "
        "(Networking) is missing: no 'abb' declaration or hosting choice addresses it"
    ) in lines
    assert sum(line.startswith("::error ") for line in lines) == 17
    # the same findings as the build's own warnings, in the same order
    expected = [
        {"path": w["path"], "line": w["line"], "subtype": w["subtype"], "message": w["message"]}
        for w in warnings(err)
    ]
    got = [
        {"path": c["file"], "line": c["line"], "subtype": c["title"][10:], "message": c["message"]}
        for c in commands(out)
    ]
    assert got == expected
    assert len(expected) == 18


def test_github_many_kinds(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    docs = many_findings(tmp_path)
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "check", "-q", "--format", "github", str(docs))
    assert status == 1
    found = commands(out)
    assert {c["title"] for c in found} == {
        f"mlrefarch.{s}" for s in ("missing", "justification", "unknown", "option", "ref")
    }
    lines = out.splitlines()
    assert (
        "::warning file=docs/index.rst,line=15,title=mlrefarch.ref::unknown solution 'nope' "
        "in :solution: role; expected one of 'many'"
    ) in lines
    assert (
        "::warning file=docs/index.rst,line=15,title=mlrefarch.ref::unknown solution "
        "'50%25-off' in :solution: role; expected one of 'many'"
    ) in lines
    # text from rst_prolog is in no file: the document, without a line of another text
    assert (
        "::warning file=docs/index.rst,title=mlrefarch.ref::unknown building block "
        "'no-such-prolog-block' in :abb: role"
    ) in lines
    # a finding in an included file is located there
    (option,) = [c for c in found if c["title"] == "mlrefarch.option"]
    assert (option["file"], option["line"]) == ("docs/part.rst", "1")
    errors = [c for c in found if c["level"] == "error"]
    assert {c["title"] for c in errors} == {"mlrefarch.missing"}
    assert len(errors) == 2  # data-tools missing, networking without justification
    # everything located in a file matches the build's warning
    in_files = [w for w in warnings(err) if not w["path"].startswith("<")]
    assert [(c["file"], c["line"], c["message"]) for c in found if "line" in c] == [
        (w["path"], w["line"], w["message"]) for w in in_files
    ]


@pytest.mark.parametrize(("cwd", "prefix"), [("docs", ""), ("elsewhere", "../docs/")])
def test_github_paths_follow_the_current_directory(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    cwd: str,
    prefix: str,
) -> None:
    docs = many_findings(tmp_path)
    (tmp_path / cwd).mkdir(exist_ok=True)
    monkeypatch.chdir(tmp_path / cwd)
    status, out, _err = run(capsys, "check", "-q", "--format", "github", str(docs))
    assert status == 1
    assert {c["file"] for c in commands(out)} == {f"{prefix}index.rst", f"{prefix}part.rst"}


def test_github_covered_project_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", "-q", "--format", "github", str(COVERED))
    assert status == 0, err
    assert out == ""


# --------------------------------------------------------------------------
# sarif
# --------------------------------------------------------------------------


def test_sarif_basic_project(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOTS.parent)
    status, out, err = run(capsys, "check", "-q", "--format", "sarif", str(BASIC))
    assert status == 1
    log = json.loads(out)
    assert sarif_errors(log) == []
    (run_,) = log["runs"]
    assert run_["tool"]["driver"]["version"] == sphinx_mlrefarch.__version__
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOTS.parent.as_uri() + "/"
    assert sarif_findings(run_) == warnings(err)
    levels = [r["level"] for r in run_["results"]]
    planned = [r["level"] for r in run_["results"] if "only planned" in r["message"]["text"]]
    assert planned == ["warning", "warning"]
    assert levels.count("error") == len(levels) - 2


def test_sarif_many_kinds(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    docs = many_findings(tmp_path)
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "check", "-q", "--format", "sarif", str(docs))
    assert status == 1
    log = json.loads(out)
    assert sarif_errors(log) == []
    results = log["runs"][0]["results"]
    assert len(results) == len(warnings(err))
    prolog = [r for r in results if "no-such-prolog-block" in r["message"]["text"]]
    assert prolog
    for result in prolog:
        location = result["locations"][0]["physicalLocation"]
        assert location == {"artifactLocation": {"uri": "docs/index.rst", "uriBaseId": "%SRCROOT%"}}
    # the same sources give the same bytes
    assert run(capsys, "check", "-q", "--format", "sarif", str(docs))[1] == out


# --------------------------------------------------------------------------
# junit
# --------------------------------------------------------------------------


def solutions_of(capsys: pytest.CaptureFixture[str], src: Path) -> dict[str, Any]:
    """The solutions of ``--format json`` (``mlrefarch.json``)."""
    status, out, _err = run(capsys, "check", "-q", "--format", "json", str(src))
    assert status in (0, 1)
    solutions: dict[str, Any] = json.loads(out)["solutions"]
    return solutions


@pytest.mark.parametrize("root", [MISSING, BASIC, COVERED], ids=lambda p: p.name)
def test_junit_counts_are_the_coverage(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, root: Path
) -> None:
    monkeypatch.chdir(ROOTS.parent)
    solutions = solutions_of(capsys, root)
    status, out, err = run(capsys, "check", "-q", "--format", "junit", str(root))
    assert status == (0 if root == COVERED else 1)
    document = ET.fromstring(out)
    suites = document.findall("testsuite")
    assert [s.get("name") for s in suites] == list(solutions)
    for suite in suites:
        solution = solutions[suite.get("name", "")]
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == solution["required"]
        failed = [c.get("name") for c in cases if c.find("failure") is not None]
        assert failed == solution["coverage"]["missing"]
        assert suite.get("tests") == str(solution["coverage"]["required"]) == str(len(cases))
        assert suite.get("failures") == str(len(failed))
    coverage = [s["coverage"] for s in solutions.values()]
    assert document.get("tests") == str(sum(c["required"] for c in coverage))
    assert document.get("failures") == str(sum(len(c["missing"]) for c in coverage))
    assert document.get("errors") == "0"
    if root == COVERED:
        assert document.get("failures") == "0"
    else:
        assert int(document.get("failures", "0")) > 0
    # each failure's text starts with its block's mlrefarch.missing warning
    texts = [(f.text or "").splitlines()[0] for f in document.iter("failure")]
    assert texts == [w["message"] for w in warnings(err) if w["subtype"] == "missing"]


def test_junit_suite_files(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOTS.parent)
    _status, out, _err = run(capsys, "check", "-q", "--format", "junit", str(BASIC))
    files = {s.get("name"): s.get("file") for s in ET.fromstring(out).iter("testsuite")}
    assert files == {
        "churn": "roots/test-basic/solutions/churn/index.rst",
        "defect-detection": "roots/test-basic/solutions/vision.rst",
    }


def test_junit_without_solutions(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["sphinx_mlrefarch"]\n', "utf-8")
    (tmp_path / "index.rst").write_text("Nothing\n=======\n\nNo solutions here.\n", "utf-8")
    status, out, _err = run(capsys, "check", "-q", "--format", "junit", str(tmp_path))
    assert status == 0
    document = ET.fromstring(out)
    assert document.tag == "testsuites"
    assert list(document) == []
    assert (document.get("tests"), document.get("failures")) == ("0", "0")


@pytest.mark.parametrize("fmt", ["github", "sarif", "junit"])
def test_parallel_equals_serial(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    """-j 2 gives the same report (test-basic has 8 documents)."""
    serial = run(capsys, "check", "-q", "--format", fmt, str(BASIC))
    parallel = run(capsys, "check", "-q", "-j", "2", "--format", fmt, str(BASIC))
    assert serial[0] == parallel[0] == 1
    assert parallel[1] == serial[1]
    assert serial[1]
