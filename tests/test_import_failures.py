"""Every way an import can fail, in a real office build: one located warning, the build goes on.

The office imports the team's good file and one faulty source. Each failure
gives exactly one ``mlrefarch.import`` warning at the ``mlrefarch_import``
line of ``conf.py``, naming the source; the build exits 0, the good import
still shows, and no traceback is printed. ``mlrefarch check`` reports the
same warnings and still gives its verdict. HTTP sources are a server on
127.0.0.1; a guard fails any other connection.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import Tag
from http_fixtures import Server, page, serve, slow
from http_fixtures import body as answer
from import_helpers import (
    BLOCK_BY_TITLE,
    EXTRA_BLOCK_MODEL,
    FEWER_BLOCKS_MODEL,
    IMPORT_LINE,
    MODEL_ID,
    TEAM,
    TEAM_URL,
    Built,
    body,
    build,
    build_team,
    no_network,
    office_conf,
    office_files,
    text,
    write_office,
)
from import_helpers import loopback_only as guard

from sphinx_mlrefarch.cli import main


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_team(tmp_path_factory.mktemp("team")).out / "mlrefarch.json"


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The team project built with another model id, and with a block the office lacks."""
    root = tmp_path_factory.mktemp("variants")
    out = {}
    other = dict(TEAM, **{"model.yaml": "extends: default\nid: team-model\ntitle: Team model\n"})
    other["conf.py"] += 'mlrefarch_model = "model.yaml"\n'
    out["model-id"] = build_team(root, other, "other-model").out / "mlrefarch.json"
    extra = dict(TEAM, **{"model.yaml": EXTRA_BLOCK_MODEL.format(id=MODEL_ID)})
    extra["conf.py"] += 'mlrefarch_model = "model.yaml"\n'
    extra["fraud.rst"] += "\n.. abb:: feature-store\n   :sbb: Feast\n"
    built = build_team(root, extra, "extra-block")
    assert built.of("model") == []  # the same id as the built-in model is allowed
    out["unknown-blocks"] = built.out / "mlrefarch.json"
    fewer = dict(TEAM, **{"model.yaml": FEWER_BLOCKS_MODEL.format(id=MODEL_ID)})
    fewer["conf.py"] += 'mlrefarch_model = "model.yaml"\n'
    out["fewer-blocks"] = build_team(root, fewer, "fewer-blocks").out / "mlrefarch.json"
    return out


@pytest.fixture(scope="module")
def server(team: Path) -> Iterator[Server]:
    routes = {
        "/team/mlrefarch.json": answer(team.read_bytes()),
        "/broken/mlrefarch.json": answer(b'{"version": 1, "model": {"id": '),
        "/slow/mlrefarch.json": slow(team.read_bytes()),
        "/site/": page(),
    }
    with pytest.MonkeyPatch.context() as patch:
        guard(patch)
        with serve(routes) as running:
            yield running


@pytest.fixture(autouse=True)
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    guard(monkeypatch)


@dataclass(frozen=True)
class Case:
    """A faulty import: its name and entry, what the warning says, and whether it is kept."""

    name: str
    source: str
    expected: str
    kept: bool = False
    extra_conf: str = ""


def written(tmp_path: Path, name: str, data: bytes | str) -> str:
    target = tmp_path / name
    target.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(target)


def future(team: Path, tmp_path: Path) -> str:
    data = json.loads(team.read_text("utf-8"))
    data["version"] = 99
    return written(tmp_path, "future.json", json.dumps(data))


def directory(tmp_path: Path) -> str:
    (tmp_path / "folder").mkdir()
    return str(tmp_path / "folder")


Make = Callable[[Path, Path, Server, dict[str, Path]], Case]

CASES: dict[str, Make] = {
    "missing-file": lambda tmp, team, web, v: Case(
        "other", str(tmp / "nowhere" / "mlrefarch.json"), "no such file"
    ),
    "directory": lambda tmp, team, web, v: Case(
        "other", directory(tmp), "is a directory, not a file; name the file in it"
    ),
    "empty-file": lambda tmp, team, web, v: Case(
        "other", written(tmp, "empty.json", ""), "it is empty; expected the mlrefarch.json"
    ),
    "truncated-json": lambda tmp, team, web, v: Case(
        "other", written(tmp, "cut.json", team.read_bytes()[:300]), "invalid JSON at line 7"
    ),
    "another-shape": lambda tmp, team, web, v: Case(
        "other",
        written(tmp, "shape.json", '{"hello": 1}'),
        "not a valid mlrefarch.json at $: 'version' is a required property",
    ),
    "a-list": lambda tmp, team, web, v: Case(
        "other",
        written(tmp, "list.json", "[1, 2]"),
        "not an mlrefarch.json: expected a JSON object",
    ),
    "future-version": lambda tmp, team, web, v: Case(
        "other", future(team, tmp), "format version 99 was written by a newer sphinx-mlrefarch"
    ),
    "not-a-slug": lambda tmp, team, web, v: Case(
        "Other Team", str(team), "the name must be a slug such as 'other-team'"
    ),
    "own-output": lambda tmp, team, web, v: Case(
        "other", "_build/html/mlrefarch.json", "it is this project's own mlrefarch.json"
    ),
    "file-url": lambda tmp, team, web, v: Case(
        "other", team.as_uri(), "is a file: URL; only http(s) URLs or paths"
    ),
    "ftp-url": lambda tmp, team, web, v: Case(
        "other", "ftp://127.0.0.1/team/mlrefarch.json", "is a ftp: URL; only http(s) URLs"
    ),
    "http-404": lambda tmp, team, web, v: Case("other", web.url("/gone/mlrefarch.json"), "404"),
    "http-invalid-json": lambda tmp, team, web, v: Case(
        "other", web.url("/broken/mlrefarch.json"), "invalid JSON"
    ),
    "http-timeout": lambda tmp, team, web, v: Case(
        "other",
        web.url("/slow/mlrefarch.json"),
        "0.5",
        extra_conf="mlrefarch_import_timeout = 0.5\n",
    ),
    "http-html-page": lambda tmp, team, web, v: Case(
        "other",
        web.url("/site/"),
        "the server answered with an HTML page (Content-Type text/html), not mlrefarch.json; "
        f"the source must name the mlrefarch.json file itself, e.g. "
        f"{web.url('/site/mlrefarch.json')!r}",
    ),
    "another-model-id": lambda tmp, team, web, v: Case(
        "other",
        str(v["model-id"]),
        f"was built with the model 'team-model', but this project uses {MODEL_ID!r}; left out "
        f"of the import, since blocks of two models cannot be compared: build that project "
        f"with the model {MODEL_ID!r}, or remove it from mlrefarch_import",
    ),
    "fewer-blocks": lambda tmp, team, web, v: Case(
        "other",
        str(v["fewer-blocks"]),
        f"was built with a version of the model {MODEL_ID!r} that lacks building blocks this "
        "project's model has: 'safety'; its solutions show them as not in their model (not as "
        "missing)",
        kept=True,
    ),
    "unknown-blocks": lambda tmp, team, web, v: Case(
        "other",
        str(v["unknown-blocks"]),
        "names building blocks this project's model does not have, left out of the import: "
        "'feature-store'",
        kept=True,
    ),
}


#: The classes of a portfolio matrix cell for a block the solution's model does not have.
NOT_IN_MODEL = ["mlrefarch-not-in-model", "mlrefarch-not-required"]


def column_of(table: Tag, badge: str, block: str) -> list[Tag]:
    """The cells of the rows marked ``badge`` in the column of ``block``."""
    heads = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    column = heads.index(next(t for t, b in BLOCK_BY_TITLE.items() if b == block))
    cells = []
    for tr in table.select("tbody tr"):
        mark = tr.select_one("span.mlrefarch-imported")
        if mark is not None and text(mark) == badge:
            cells.append(tr.find_all("td")[column])
    return cells


def office_with(tmp_path: Path, team: Path, case: Case) -> tuple[Path, Path]:
    """An office importing the good ``team`` (with a url) and the faulty ``case``."""
    imports: dict[str, Any] = {"team": {"source": str(team), "url": TEAM_URL}}
    imports[case.name] = {"source": case.source}
    conf = office_conf(imports, case.extra_conf)
    src = write_office(tmp_path / "office", conf, office_files("rst"))
    return src, src / "_build" / "html"


def assert_one_located_warning(built: Built, src: Path, case: Case) -> str:
    ours = [w for w in built.warnings if "[mlrefarch." in w]
    assert len(ours) == 1, ours
    (warning,) = built.of("import")
    assert warning.startswith(f"{src / 'conf.py'}:{IMPORT_LINE}: WARNING: "), warning
    assert f"mlrefarch_import[{case.name!r}]" in warning
    assert repr(case.source) in warning, "the warning names the source"
    assert case.expected in warning
    return warning


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_faulty_import_is_one_located_warning_and_the_build_goes_on(
    tmp_path: Path,
    team: Path,
    server: Server,
    variants: dict[str, Path],
    capfd: pytest.CaptureFixture[str],
    kind: str,
) -> None:
    case = CASES[kind](tmp_path, team, server, variants)
    src, out = office_with(tmp_path, team, case)
    started = time.monotonic()
    built = build(src, out)
    elapsed = time.monotonic() - started
    assert built.status == 0
    assert_one_located_warning(built, src, case)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception occurred" not in err
    # the good import still shows; a faulty one is left out unless only its model differs
    (table, _constraints) = body(out, "all").select("table")
    badges = [text(badge) for badge in table.select("span.mlrefarch-imported")]
    assert badges.count("imported from team") == 2
    assert badges.count("imported from other") == (2 if case.kept else 0)
    imports = {i["name"]: i["solutions"] for i in built.export()["imports"]}
    assert imports == ({"other": ["fraud", "scoring"]} if case.kept else {}) | {
        "team": ["fraud", "scoring"]
    }
    if kind == "http-timeout":
        assert elapsed < 10, "the timeout bounds the download"
        assert "timed out" in built.of("import")[0]
    if kind == "unknown-blocks":
        assert "Feast" not in (out / "overview.html").read_text("utf-8")
    if kind == "fewer-blocks":  # not "missing": that project's model has no such block
        others = column_of(table, "imported from other", "safety")
        assert [c.get("class") for c in others] == [NOT_IN_MODEL] * 2
        assert [(text(c), c.abbr["title"]) for c in others] == [("\u2205", "not in its model")] * 2
        # positive control: the team's file, of the full model, has safety and lacks it
        teams = column_of(table, "imported from team", "safety")
        assert [c.get("class")[0] for c in teams] == ["mlrefarch-status-missing"] * 2
        assert "not in its model" in text(body(out, "all").select_one("p.mlrefarch-legend"))


def test_own_output_is_refused_also_once_it_exists(
    tmp_path: Path, team: Path, server: Server
) -> None:
    case = CASES["own-output"](tmp_path, team, server, {})
    src, out = office_with(tmp_path, team, case)
    for _run in range(2):  # the second build finds the file the first one wrote
        built = build(src, out, "-E")
        assert built.status == 0
        assert_one_located_warning(built, src, case)
        assert (out / "mlrefarch.json").is_file()
        assert [i["name"] for i in built.export()["imports"]] == ["team"]


def test_every_failure_at_once_still_builds(
    tmp_path: Path, team: Path, server: Server, variants: dict[str, Path]
) -> None:
    cases = {}
    for kind, make in CASES.items():
        (tmp_path / kind).mkdir()
        cases[kind] = make(tmp_path / kind, team, server, variants)
    imports: dict[str, Any] = {"team": {"source": str(team), "url": TEAM_URL}}
    for kind, case in cases.items():
        imports[case.name if case.name != "other" else kind] = {"source": case.source}
    src = write_office(
        tmp_path / "office",
        office_conf(imports, "mlrefarch_import_timeout = 0.5\n"),
        office_files("rst"),
    )
    built = build(src, src / "_build" / "html")
    assert built.status == 0
    assert len(built.of("import")) == len(CASES)
    assert all(f"conf.py:{IMPORT_LINE}: WARNING:" in w for w in built.of("import"))
    names = [i["name"] for i in built.export()["imports"]]
    assert names == ["fewer-blocks", "team", "unknown-blocks"]


# -- mlrefarch check ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_check_reports_import_problems_as_warnings_and_still_judges(
    tmp_path: Path,
    team: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
) -> None:
    case = Case("other", "../nowhere/mlrefarch.json", "no such file")
    src, _out = office_with(tmp_path, team, case)
    monkeypatch.chdir(src)
    status = main(["check", "--format", fmt, "."])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "no verdict" not in err
    assert status == 0, err  # the office's own solution is complete
    located = [line for line in err.splitlines() if "[mlrefarch.import]" in line]
    assert len(located) == 1, err
    assert f"conf.py:{IMPORT_LINE}: WARNING: mlrefarch_import['other']" in located[0]
    if fmt == "github":
        (line,) = [x for x in out.splitlines() if "mlrefarch.import" in x]
        assert line.startswith(
            f"::warning file=conf.py,line={IMPORT_LINE},title=mlrefarch.import::"
        ), line
    else:
        assert "Churn [churn]" in out
        assert "team:" not in out and "Fraud detection" not in out


def test_check_still_fails_on_the_offices_own_gaps(
    tmp_path: Path, team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Positive control: a verdict is given, and it is the office's own."""
    case = Case("other", "../nowhere/mlrefarch.json", "no such file")
    src, _out = office_with(tmp_path, team, case)
    churn = src / "churn.rst"
    churn.write_text(churn.read_text("utf-8").replace(":required: data-tools", ":required: data"))
    assert main(["check", str(src)]) == 1
    assert "[mlrefarch.import]" in capsys.readouterr().err


# -- no network for files -------------------------------------------------------------------


def test_a_build_importing_only_files_opens_no_connection(
    tmp_path: Path, team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts = no_network(monkeypatch)
    entry = {"source": str(team), "url": TEAM_URL}
    src = write_office(tmp_path / "office", office_conf({"team": entry}), office_files("rst"))
    built = build(src, tmp_path / "html")
    assert built.status == 0 and attempts == []
    assert [w for w in built.warnings if "[mlrefarch." in w] == []
    assert [i["name"] for i in built.export()["imports"]] == ["team"]
    # positive control: an http source in the same guard tries to connect, and fails quietly
    conf = office_conf({"team": entry, "web": "http://127.0.0.1:9/team/mlrefarch.json"})
    web = build(write_office(tmp_path / "web", conf, office_files("rst")), tmp_path / "web-html")
    assert web.status == 0 and attempts
    (problem,) = web.of("import")
    assert f"conf.py:{IMPORT_LINE}: WARNING: mlrefarch_import['web']" in problem


def test_a_bad_timeout_is_located_at_its_own_line(tmp_path: Path, team: Path) -> None:
    """The timeout's warning points at ``mlrefarch_import_timeout``, the import still works."""
    conf = office_conf({"team": {"source": str(team)}}, "\nmlrefarch_import_timeout = 'abc'\n")
    src = write_office(tmp_path / "office", conf, office_files("rst"))
    built = build(src, src / "_build" / "html")
    timeout_line = conf.splitlines().index("mlrefarch_import_timeout = 'abc'") + 1
    assert timeout_line != IMPORT_LINE
    (warning,) = built.of("import")
    assert f"conf.py:{timeout_line}: WARNING: mlrefarch_import_timeout must be" in warning
    assert [i["name"] for i in built.export()["imports"]] == ["team"]  # read with the default
