"""Single-solution views of an imported solution: hosting matrix, model diagram, constraints.

``hosting-matrix :solution: NAME:id`` and ``abb-diagram :solution: NAME:id``
show what the imported file carries (hosting choices, coverage statuses),
marked as imported; what they cannot show is a located warning. An
imported constraint keeps its source, and an imported solution's
constraints always carry the "imported from NAME" mark. Each office is
written in rST and in MyST.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from import_helpers import (
    FEWER_BLOCKS_MODEL,
    MODEL_ID,
    TEAM,
    TEAM_URL,
    Built,
    body,
    build,
    build_team,
    href,
    office_conf,
    table_rows,
    text,
    write_office,
)
from import_helpers import loopback_only as guard
from sphinx.cmd.build import build_main

#: The team with one solution, whose constraint names its source and hosting its provider.
ONE_SOLUTION = dict(TEAM)
del ONE_SOLUTION["scoring.rst"]
ONE_SOLUTION["index.rst"] = "Team\n====\n\n.. toctree::\n\n   fraud\n"
ONE_SOLUTION["fraud.rst"] = (
    TEAM["fraud.rst"]
    .replace("   :priority: must\n", "   :priority: must\n   :source: PCI DSS 4.0\n")
    .replace("   :platform: cloud\n", "   :platform: cloud\n   :provider: Example Cloud\n")
)

#: The office's pages: (rST body, MyST body); the directive is on line 4 (rST) or 3 (MyST).
PAGES = {
    "hosting": (
        ".. hosting-matrix::\n   :solution: team:fraud\n",
        "```{hosting-matrix}\n:solution: team:fraud\n```\n",
    ),
    "diagram": (
        ".. abb-diagram::\n   :solution: team:fraud\n",
        "```{abb-diagram}\n:solution: team:fraud\n```\n",
    ),
    "constraints": (".. constraint-list::\n", "```{constraint-list}\n```\n"),
}
LINE = {"rst": 4, "md": 3}


@pytest.fixture(autouse=True)
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    guard(monkeypatch)


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_team(tmp_path_factory.mktemp("team"), ONE_SOLUTION).out / "mlrefarch.json"


def office(root: Path, fmt: str, source: Path, pages: dict[str, Any] = PAGES) -> Built:
    """An office without solutions of its own, importing ``source`` as ``team``."""
    files: dict[str, str] = {}
    for name, (rst, md) in pages.items():
        title = name.capitalize()
        if fmt == "rst":
            files[f"{name}.rst"] = f"{title}\n{'=' * len(title)}\n\n{rst}"
        else:
            files[f"{name}.md"] = f"# {title}\n\n{md}"
    listed = "".join(f"   {name}\n" for name in pages)
    if fmt == "rst":
        files["index.rst"] = f"Office\n======\n\n.. toctree::\n\n{listed}"
    else:
        files["index.md"] = "# Office\n\n```{toctree}\n" + "\n".join(pages) + "\n```\n"
    conf = office_conf({"team": {"source": str(source), "url": TEAM_URL}})
    return build(write_office(root / "office", conf, files), root / "html")


def ours(built: Built) -> list[str]:
    return [w for w in built.warnings if "[mlrefarch." in w]


def mermaid(out: Path, name: str) -> str:
    (code,) = [node.get_text() for node in body(out, name).select(".mermaid")]
    return code


# -- hosting-matrix ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_hosting_matrix_of_an_imported_solution(tmp_path: Path, team: Path, fmt: str) -> None:
    built = office(tmp_path, fmt, team)
    assert built.status == 0 and ours(built) == []
    rows = table_rows(built.out, "hosting", "table.mlrefarch-hosting-matrix")
    cells = [[text(cell) for cell in row] for row in rows]
    choice = ["Cloud cluster imported from team", "Cloud", "Example Cloud", "", "Kubernetes"]
    assert cells == [
        ["Development", "not decided", "", "", "", "", "", "", ""],
        ["Training", *choice, "", "", ""],
        ["Production", *choice, "", "", ""],
    ]
    uri = json.loads(team.read_text("utf-8"))["solutions"]["fraud"]["hosting"][0]["uri"]
    assert href(rows[1][1].a) == TEAM_URL + uri
    # whose choices they are, linked to the team's page and marked
    (whose,) = body(built.out, "hosting").select("p.mlrefarch-of")
    assert text(whose) == "Fraud detection imported from team"
    assert href(whose.a) == TEAM_URL + "fraud.html#solution-fraud"


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_hosting_choice_for_an_environment_this_model_lacks_is_a_located_warning(
    tmp_path: Path, team: Path, fmt: str
) -> None:
    data = json.loads(team.read_text("utf-8"))
    data["solutions"]["fraud"]["hosting"][0]["environment"] = ["training", "staging"]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data), "utf-8")
    built = office(tmp_path, fmt, edited)
    assert built.status == 0
    (warning,) = ours(built)
    src = tmp_path / "office" / f"hosting.{fmt}"
    assert warning == (
        f"{src}:{LINE[fmt]}: WARNING: 'hosting-matrix' of 'team:fraud' does not show its "
        "hosting choice 'Cloud cluster' for 'staging': this project's model has no such "
        "environment; build both projects with one model to see it [mlrefarch.import]"
    )
    rows = table_rows(built.out, "hosting", "table.mlrefarch-hosting-matrix")
    assert [text(row[1]) for row in rows] == [
        "not decided",
        "Cloud cluster imported from team",
        "not decided",
    ]


# -- abb-diagram ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_diagram_coloured_by_the_imported_coverage(tmp_path: Path, team: Path, fmt: str) -> None:
    built = office(tmp_path, fmt, team)
    assert built.status == 0 and ours(built) == []
    code = mermaid(built.out, "diagram")
    statuses = json.loads(team.read_text("utf-8"))["solutions"]["fraud"]["coverage"]["blocks"]
    assert statuses["data-tools"] == "partial" and statuses["data"] == "planned"
    for block, status in statuses.items():
        cls = status.replace("-", "_")
        assert f"  class b_{block.replace('-', '_')} {cls}\n" in code, block
    (legend,) = body(built.out, "diagram").select("p.mlrefarch-legend")
    assert text(legend).startswith(
        "Building blocks coloured by their status in \u201cFraud detection\u201d. "
        "imported from team"
    )
    assert "uncoloured" not in text(legend)


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_diagram_leaves_blocks_the_imported_model_lacks_uncoloured(
    tmp_path: Path, fmt: str
) -> None:
    fewer = dict(ONE_SOLUTION, **{"model.yaml": FEWER_BLOCKS_MODEL.format(id=MODEL_ID)})
    fewer["conf.py"] += 'mlrefarch_model = "model.yaml"\n'
    source = build_team(tmp_path, fewer, "fewer").out / "mlrefarch.json"
    built = office(tmp_path, fmt, source, {"diagram": PAGES["diagram"]})
    assert built.status == 0
    (warning,) = ours(built)
    assert "lacks building blocks this project's model has: 'safety'" in warning
    code = mermaid(built.out, "diagram")
    assert "class b_safety " not in code and "b_safety[" in code  # drawn, not coloured
    assert "  class b_privacy missing\n" in code  # positive control: a block it has
    (legend,) = body(built.out, "diagram").select("p.mlrefarch-legend")
    assert "Blocks that are not in its model are left uncoloured." in text(legend)


def test_diagram_table_for_non_html_builders(tmp_path: Path, team: Path) -> None:
    src = office(tmp_path, "rst", team).out.parent / "office"
    out = tmp_path / "text"
    assert build_main(["-q", "-N", "-b", "text", str(src), str(out)]) == 0
    page = (out / "diagram.txt").read_text("utf-8")
    assert "Data Tools" in page and "partial" in page and "planned" in page
    assert "imported from team" in page


# -- constraint-list -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_one_imported_solutions_constraints_are_marked_and_keep_their_source(
    tmp_path: Path, team: Path, fmt: str
) -> None:
    built = office(tmp_path, fmt, team)
    assert built.status == 0 and ours(built) == []
    heads = [text(th) for th in body(built.out, "constraints").select("thead th")]
    assert heads == ["Constraint", "Solution", "Aspect", "Priority", "Affects", "Source"]
    (row,) = table_rows(built.out, "constraints", "table.mlrefarch-constraints")
    assert [text(cell) for cell in row] == [
        "Card data stays in the EU",
        "Fraud detection imported from team",
        "Security",
        "must",
        "Data, Storage",
        "PCI DSS 4.0",
    ]


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_a_local_solutions_own_constraint_list_has_no_solution_column(
    tmp_path: Path, team: Path, fmt: str
) -> None:
    """Positive control: on a page of one local solution the column is left out, as before."""
    churn = (
        ".. solution:: Churn\n   :id: churn\n\n"
        ".. constraint:: EU only\n   :aspect: security\n   :affects: data\n   :source: GDPR\n\n"
        ".. constraint-list::\n",
        "```{solution} Churn\n:id: churn\n```\n\n"
        "```{constraint} EU only\n:aspect: security\n:affects: data\n:source: GDPR\n```\n\n"
        "```{constraint-list}\n```\n",
    )
    built = office(tmp_path, fmt, team, {"churn": churn})
    heads = [text(th) for th in body(built.out, "churn").select("thead th")]
    assert heads == ["Constraint", "Aspect", "Priority", "Affects", "Source"]
    (row,) = table_rows(built.out, "churn", "table.mlrefarch-constraints")
    assert text(row[-1]) == "GDPR"
