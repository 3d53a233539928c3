"""The SBB policy and the catalogue file in real builds, in rST and MyST.

``mlrefarch_sbb_policy`` and ``:sbb-policy:`` decide which product names are
``mlrefarch.sbb`` warnings (not catalogued, with "did you mean"; not FOSS
under ``foss``); bad values are ``mlrefarch.option``. A catalogue file with
problems gives ``mlrefarch.catalogue`` warnings at its lines, an unreadable
one a warning at ``conf.py``, and the build goes on. The HTML, ``-b
mlrefarch`` and ``mlrefarch check`` builds report the same findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpus import LOCATED
from helpers import BASE_CONF, export_of
from sbb_helpers import (
    CATALOGUE,
    CONF,
    SYNTAXES,
    Built,
    D,
    Sbb,
    build,
    findings,
    sbbs,
    write_project,
)
from sbb_helpers import Finding as Found
from sbb_helpers import toctree as toc

from sphinx_mlrefarch.cli import main

JUPYTERLAB = (
    "'Jupyterlab' is not in the catalogue, and solution 'churn' allows only catalogued "
    "products (SBB policy '{policy}'): add it to the catalogue (mlrefarch_catalogue) or name a "
    "catalogued one; did you mean 'Jupyter'?"
)
OPEN_WEBUI = (
    "'Open WebUI' is not FOSS (licence other), and solution 'churn' allows only FOSS products "
    "(SBB policy 'foss')"
)


def pages(policy: str | None = None) -> dict[str, tuple[D, ...]]:
    """A solution naming an unknown product, a non-FOSS one and catalogued ones."""
    options: dict[str, str | None] = {"id": "churn"}
    if policy is not None:
        options["sbb-policy"] = policy
    return {
        "index": (
            D("solution", "Churn", options, tag="sol"),
            D("abb", "data-tools", {"sbb": "Jupyter, Jupyterlab"}, tag="abb"),
            D("abb", "development-tools", {"sbb": "Open WebUI, Kedro"}, tag="nonfoss"),
            D(
                "hosting-choice",
                "Cluster",
                {
                    "environment": "training, production",
                    "containers": "Kuberntes",
                    "storage": "HDFS",
                },
                tag="host",
            ),
        )
    }


def conf_policy(policy: str | None) -> str:
    return "" if policy is None else f"mlrefarch_sbb_policy = {policy!r}\n"


def named(built: Built) -> set[tuple[str, int, str]]:
    """``(file, line, product)`` of each ``mlrefarch.sbb`` warning."""
    return {(f.file, f.line, f.message.split("'")[1]) for f in findings(built.app, "sbb")}


UNKNOWN = {("abb", "Jupyterlab"), ("host", "Kuberntes")}
NOT_FOSS = {("nonfoss", "Open WebUI")}


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize(
    ("project_policy", "solution_policy", "expected"),
    [
        (None, None, set()),  # the default is 'any'
        ("any", None, set()),
        ("catalogue", None, UNKNOWN),
        ("foss", None, UNKNOWN | NOT_FOSS),
        (None, "catalogue", UNKNOWN),
        ("any", "foss", UNKNOWN | NOT_FOSS),
        ("foss", "any", set()),  # the solution's policy wins, also when weaker
        ("foss", "catalogue", UNKNOWN),
        ("catalogue", "Foss", UNKNOWN | NOT_FOSS),  # case-insensitive
    ],
)
def test_policy_decides_which_names_are_warned_about(
    project: Any,
    syntax: str,
    project_policy: str | None,
    solution_policy: str | None,
    expected: set[tuple[str, str]],
) -> None:
    built = build(project, syntax, pages(solution_policy), conf=conf_policy(project_policy))
    assert named(built) == {(*built.at(tag), name) for tag, name in expected}
    assert findings(built.app, "option") == []
    # whatever the policy, the page renders the same names
    box = built.soup().select_one("div.mlrefarch-abb p.mlrefarch-facts")
    assert box is not None
    assert [s.name for s in sbbs(box)] == ["Jupyter", "Jupyterlab"]


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_policy_messages(project: Any, syntax: str) -> None:
    built = build(project, syntax, pages(), conf=conf_policy("foss"))
    by_name = {f.message.split("'")[1]: f for f in findings(built.app, "sbb")}
    assert by_name["Jupyterlab"].message == JUPYTERLAB.format(policy="foss")
    assert by_name["Open WebUI"].message == OPEN_WEBUI
    assert by_name["Kuberntes"].message.endswith("; did you mean 'Kubernetes'?")
    assert by_name["Kuberntes"].subtype == "sbb"


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_each_solution_has_its_own_policy(project: Any, syntax: str) -> None:
    """Two solutions, one under 'catalogue' (with a sub-document), one under 'any'."""
    checked = pages("catalogue")
    checked["index"] = (toc("data", "other"), *checked["index"])
    extra = {
        "data": (D("abb", "storage", {"sbb": "Nosuchstore"}, tag="sub"),),
        "other": (
            D("solution", "Other", {"id": "other"}),
            D("abb", "data-tools", {"sbb": "Jupyterlab, Nosuchstore"}),
        ),
    }
    built = build(project, syntax, {**checked, **extra})
    expected = {(*built.at(tag), name) for tag, name in UNKNOWN}
    expected.add((*built.at("sub"), "Nosuchstore"))  # located in the sub-document
    assert named(built) == expected
    assert all("solution 'churn'" in f.message for f in findings(built.app, "sbb"))


# -- bad policy values ---------------------------------------------------------------------


def conf_line(built: Built, name: str) -> int:
    text = (Path(built.app.srcdir) / "conf.py").read_text("utf-8")
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(name))


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("'fos'", "not 'fos'; did you mean 'foss'?; using 'any'"),
        (
            "'strict'",
            "mlrefarch_sbb_policy must be one of 'any', 'catalogue', 'foss', not 'strict'",
        ),
        ("['foss']", "'catalogue', 'foss', not ['foss']"),
    ],
)
def test_bad_project_policy_is_an_option_warning_at_conf_py(
    project: Any, syntax: str, value: str, words: str
) -> None:
    built = build(project, syntax, pages(), conf=f"mlrefarch_sbb_policy = {value}\n")
    (found,) = findings(built.app, "option")
    assert (found.file, found.line) == ("conf.py", conf_line(built, "mlrefarch_sbb_policy"))
    assert words in found.message
    assert findings(built.app, "sbb") == []  # 'any' is used instead


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize(
    ("value", "words"),
    [
        (
            "nope",
            "invalid value 'nope' for :sbb-policy: of 'solution'; expected one of 'any', "
            "'catalogue', 'foss'; using the project's 'catalogue'",
        ),
        ("fos", "; did you mean 'foss'?; using the project's 'catalogue'"),
        (
            "",
            ":sbb-policy: of 'solution' is empty; give 'any', 'catalogue' or 'foss'; using the "
            "project's 'catalogue'",
        ),
    ],
)
def test_bad_solution_policy_falls_back_to_the_project_policy(
    project: Any, syntax: str, value: str, words: str
) -> None:
    built = build(project, syntax, pages(value), conf=conf_policy("catalogue"))
    (found,) = findings(built.app, "option")
    assert (found.file, found.line) == built.at("sol")
    assert words in found.message
    # the project's policy still applies: a typo does not switch the checks off
    assert named(built) == {(*built.at(tag), name) for tag, name in UNKNOWN}


# -- the catalogue file --------------------------------------------------------------------

TAILORED = """\
extends: default
entries:
  - id: polars
    name: Polars
    licence: MIT
    foss: true
    blocks: [data-toolz]
  - id: minio
    name: MinIO
    licence: AGPL-3.0-only
    foss: true
    blocks: [storage]
remove: [kubernetes]
"""

CATALOGUE_CONF = 'mlrefarch_catalogue = "catalogue.yaml"\n'


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_catalogue_problem_is_located_in_the_file(project: Any, syntax: str) -> None:
    built = build(
        project,
        syntax,
        pages(),
        conf=CATALOGUE_CONF,
        files={"catalogue.yaml": TAILORED},
    )
    found = findings(built.app, "catalogue")
    first = found[0]
    assert (first.file, first.line) == ("catalogue.yaml", 7)  # the line of blocks: [data-toolz]
    assert first.message.startswith("entries[0].blocks[0]: entry 'polars' names block 'data-toolz'")
    assert first.message.endswith("did you mean 'data-tools'?")
    assert all(f.file == "catalogue.yaml" for f in found)
    # the build goes on with the usable rest: MinIO added, Kubernetes removed
    host = built.soup().select_one("div.mlrefarch-hosting-choice p.mlrefarch-facts")
    assert host is not None
    hadoop = CATALOGUE.by_id["hadoop"].homepage
    assert sbbs(host) == [Sbb("Kuberntes", None, None), Sbb("HDFS", hadoop, "Apache-2.0")]
    ids = [e["id"] for e in export_of(built.app)["catalogue"]["entries"]]
    assert "minio" in ids and "kubernetes" not in ids and "polars" not in ids


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize(
    ("setting", "make", "words"),
    [
        ('"missing.yaml"', None, "cannot read the catalogue file '{src}/missing.yaml'"),
        ('"folder.yaml"', "dir", "cannot read the catalogue file '{src}/folder.yaml'"),
        ('"broken.yaml"', "broken", "the catalogue '{src}/broken.yaml' cannot be used"),
    ],
)
def test_unusable_catalogue_is_reported_at_conf_py_and_the_build_goes_on(
    project: Any, tmp_path: Path, syntax: str, setting: str, make: str | None, words: str
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    files = {}
    if make == "dir":
        (src / "folder.yaml").mkdir()
    elif make == "broken":
        files["broken.yaml"] = "extends: default\nentries: [{id: x, name: y\n"
    built = build(project, syntax, pages(), conf=f"mlrefarch_catalogue = {setting}\n", files=files)
    found = findings(built.app, "catalogue")
    at_conf = [f for f in found if f.file == "conf.py"]
    assert at_conf and all(f.line == conf_line(built, "mlrefarch_catalogue") for f in at_conf)
    messages = " | ".join(f.message for f in found)
    assert words.format(src=src.resolve()) in messages, messages
    assert "building without one" in at_conf[-1].message
    if make == "broken":  # the syntax error itself is located in the file
        assert any(f.file == "broken.yaml" and f.line >= 2 for f in found), found
    # no catalogue: every name is plain text, and the build still writes its pages
    box = built.soup().select_one("div.mlrefarch-abb p.mlrefarch-facts")
    assert box is not None
    assert sbbs(box) == [Sbb("Jupyter", None, None), Sbb("Jupyterlab", None, None)]
    data = export_of(built.app)
    assert data["catalogue"]["entries"] == []
    resolved = data["solutions"]["churn"]["declarations"][0]["sbb_resolved"]
    assert resolved[0] == {"name": "Jupyter", "id": None, "licence": None, "foss": None}


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_catalogue_setting_of_the_wrong_type(project: Any, syntax: str) -> None:
    built = build(project, syntax, pages(), conf="mlrefarch_catalogue = 3\n")
    (found,) = findings(built.app, "option")
    assert (found.file, found.line) == ("conf.py", conf_line(built, "mlrefarch_catalogue"))
    assert "mlrefarch_catalogue must be a path (a string) or None, not 3" in found.message
    box = built.soup().select_one("div.mlrefarch-abb p.mlrefarch-facts")
    assert box is not None and sbbs(box)[0].licence == "BSD-3-Clause"  # the built-in one is used


# -- the same findings everywhere ----------------------------------------------------------


def stderr_findings(err: str) -> set[Found]:
    out = set()
    for line in err.splitlines():
        match = LOCATED.match(line)
        if match:
            message = line.split(": WARNING: ", 1)[1].rsplit(" [mlrefarch.", 1)[0]
            out.add(Found(Path(match["file"]).name, int(match["line"]), match["subtype"], message))
    return out


BAD_LIST = D("abb", "programming-tools", {"sbb": "Python, , **Go**"}, tag="bad")


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_html_mlrefarch_builder_and_check_report_the_same_findings(
    project: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], syntax: str
) -> None:
    source = pages()
    source["index"] = (*source["index"], BAD_LIST)
    conf = conf_policy("foss")
    html = build(project, syntax, source, conf=conf, name="html")
    ci = build(project, syntax, source, conf=conf, buildername="mlrefarch", name="ci")
    expected = set(findings(html.app))
    assert {f.subtype for f in expected} == {"sbb", "option"}
    assert len([f for f in expected if f.subtype == "sbb"]) == 4  # with **Go**
    assert set(findings(ci.app)) == expected

    src = tmp_path / "cli"
    write_project(src, syntax, source, {"conf.py": BASE_CONF + CONF + conf})
    capsys.readouterr()
    status = main(["check", str(src), "-q", "--builddir", str(tmp_path / "cli-build")])
    err = capsys.readouterr().err
    assert status == 0, err  # product findings do not decide coverage
    assert "Traceback" not in err
    assert stderr_findings(err) == expected


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_catalogue_problems_reach_the_mlrefarch_builder_and_check(
    project: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], syntax: str
) -> None:
    files = {"catalogue.yaml": TAILORED}
    ci = build(project, syntax, pages(), conf=CATALOGUE_CONF, files=files, buildername="mlrefarch")
    expected = set(findings(ci.app, "catalogue"))
    assert expected and all(f.file == "catalogue.yaml" for f in expected)
    assert (Path(ci.app.outdir) / "mlrefarch.json").is_file()  # the build went on

    src = tmp_path / "cli"
    write_project(src, syntax, pages(), {**files, "conf.py": BASE_CONF + CONF + CATALOGUE_CONF})
    capsys.readouterr()
    status = main(["check", str(src), "-q", "--builddir", str(tmp_path / "cli-build")])
    err = capsys.readouterr().err
    assert status == 2, err  # a faulty data file: no verdict, as for the model
    assert "Traceback" not in err
    assert {f for f in stderr_findings(err) if f.subtype == "catalogue"} == expected
    assert "mlrefarch: error: no verdict" in err
