"""Findings come from one phase: every builder and the CLI report the same set, every build.

A finding is kept in the domain while its cause is in the sources, so an
incremental build that re-reads nothing (a CI job that caches the doctree
directory) still reports it and still fails under ``-W``. Render-time
problems (a view naming an unknown solution, a hosting matrix outside a
solution) are found from domain data after reading, so ``-b mlrefarch`` and
``mlrefarch check`` report them too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers import BASE_CONF
from sphinx.cmd.build import build_main

from sphinx_mlrefarch.cli import main as mlrefarch_main

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WARNING = re.compile(
    r"^(?P<file>\S+?):(?P<line>\d+): WARNING: (?P<message>.*) \[(?P<type>mlrefarch\.\w+)\]$"
)

#: One source with a problem of every kind that a page's own text can cause,
#: read-phase and render-time alike.
BROKEN = {
    "index.rst": "Index\n=====\n\n.. toctree::\n\n   solution\n   views\n",
    "solution.rst": (
        "Solution\n========\n\n"
        ".. solution:: Churn\n   :id: churn\n   :required: data-tools, data\n\n"
        ".. abb:: data-tool\n\n"  # unknown block
        ".. abb:: data\n   :status: done\n\n"  # bad option value
        "See :abb:`storag` and :solution:`nope` and :constraint:`nothing`.\n"  # dangling roles
    ),
    "views.rst": (
        "Views\n=====\n\n"
        ".. abb-coverage::\n   :solutions: nosuch\n\n"
        ".. hosting-matrix::\n\n"
        ".. constraint-list::\n   :solution: nosuch-either\n\n"
        ".. abb-diagram::\n   :solution: churnn\n"
    ),
}

#: What BROKEN must produce (subtype, file, line), from every builder and the CLI.
EXPECTED = [
    ("mlrefarch.missing", "solution.rst", 4),
    ("mlrefarch.option", "solution.rst", 10),
    ("mlrefarch.ref", "solution.rst", 13),
    ("mlrefarch.ref", "solution.rst", 13),
    ("mlrefarch.ref", "solution.rst", 13),
    ("mlrefarch.scope", "views.rst", 7),
    ("mlrefarch.unknown", "solution.rst", 8),
    ("mlrefarch.unknown", "views.rst", 4),
    ("mlrefarch.unknown", "views.rst", 9),
    ("mlrefarch.unknown", "views.rst", 12),
]


def write(src: Path, files: dict[str, str]) -> Path:
    src.mkdir(parents=True)
    (src / "conf.py").write_text(BASE_CONF, "utf-8")
    for name, text in files.items():
        (src / name).write_text(text, "utf-8")
    return src


def findings(stderr: str) -> list[tuple[str, str, int, str]]:
    """(type, file name, line, message) of every mlrefarch warning, sorted."""
    out = []
    for line in ANSI.sub("", stderr).splitlines():
        match = WARNING.match(line)
        if match and match["type"].startswith("mlrefarch."):
            name = Path(match["file"]).name
            out.append((match["type"], name, int(match["line"]), match["message"]))
    return sorted(out)


def located(found: list[tuple[str, str, int, str]]) -> list[tuple[str, str, int]]:
    return [(kind, name, line) for kind, name, line, _message in found]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    return write(tmp_path / "src", BROKEN)


def sphinx(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = build_main(["-q", *argv])
    return status, capsys.readouterr().err


def test_every_builder_and_the_cli_report_the_same_findings(
    broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, html = sphinx(capsys, "-b", "html", str(broken), str(tmp_path / "html"))
    assert status == 0
    assert located(findings(html)) == EXPECTED

    status, fast = sphinx(capsys, "-b", "mlrefarch", str(broken), str(tmp_path / "fast"))
    assert status == 0
    assert findings(fast) == findings(html)  # same messages at the same places

    status = mlrefarch_main(["check", "-q", str(broken)])
    cli = capsys.readouterr().err
    assert status == 1  # data-tools is missing
    assert findings(cli) == findings(html)


def test_unchanged_rebuild_reports_every_finding_again(
    broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "out")
    status, first = sphinx(capsys, "-b", "html", str(broken), out)
    assert status == 0 and located(findings(first)) == EXPECTED
    assert build_main(["-b", "html", str(broken), out]) == 0  # not quiet: says what it read
    captured = capsys.readouterr()
    assert "0 added, 0 changed, 0 removed" in captured.out  # nothing was read again ...
    assert findings(captured.err) == findings(first)  # ... and every finding is reported


def test_unchanged_broken_tree_fails_w_on_every_build(
    broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A CI job that caches the doctree directory still fails on a problem it did not fix."""
    (broken / "solution.rst").write_text(
        "Solution\n========\n\n.. solution:: Churn\n   :required: data-tools\n\n"
        ".. abb:: data-tools\n   :status: done\n",  # only an option problem, nothing missing
        "utf-8",
    )
    (broken / "views.rst").write_text("Views\n=====\n", "utf-8")
    out, doctrees = str(tmp_path / "out"), str(tmp_path / "doctrees")
    assert sphinx(capsys, "-b", "html", "-d", doctrees, str(broken), out)[0] == 0
    for _ in range(2):  # nothing changed: no document is read again
        status, err = sphinx(capsys, "-W", "-b", "html", "-d", doctrees, str(broken), out)
        assert status != 0, err
        assert "[mlrefarch.option]" in err
    # positive control: fixed, the same cached build passes
    (broken / "solution.rst").write_text(
        "Solution\n========\n\n.. solution:: Churn\n   :required: data-tools\n\n"
        ".. abb:: data-tools\n",
        "utf-8",
    )
    assert sphinx(capsys, "-W", "-b", "html", "-d", doctrees, str(broken), out)[0] == 0


def test_a_fixed_problem_is_no_longer_reported(
    broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "out")
    sphinx(capsys, "-b", "html", str(broken), out)
    (broken / "views.rst").write_text("Views\n=====\n", "utf-8")
    _status, err = sphinx(capsys, "-b", "html", str(broken), out)
    assert [f for f in located(findings(err)) if f[1] == "views.rst"] == []
    assert [f for f in located(findings(err)) if f[1] == "solution.rst"] == [
        f for f in EXPECTED if f[1] == "solution.rst"
    ]


def test_parallel_reports_the_same_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_app: Any
) -> None:
    """Findings filed while reading travel back from parallel readers (6+ documents)."""
    files = dict(BROKEN)
    for number in range(5):
        files[f"extra{number}.rst"] = f"Extra {number}\n========\n\n:abb:`nothing{number}`\n"
    files["index.rst"] = BROKEN["index.rst"] + "".join(f"   extra{n}\n" for n in range(5))
    src = write(tmp_path / "src", files)
    serial = sphinx(capsys, "-b", "mlrefarch", str(src), str(tmp_path / "s"))[1]
    parallel = sphinx(capsys, "-j", "2", "-b", "mlrefarch", str(src), str(tmp_path / "p"))[1]
    assert findings(parallel) == findings(serial)
    assert len(findings(serial)) == len(EXPECTED) + 5
