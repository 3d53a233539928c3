"""``mlrefarch diff`` on what is not coverage: products per block, imports, the catalogue.

Builds of a real project (:mod:`diff_project`) whose only change is the
products a block names, the catalogue, or an import: each is a change (exit
1 under ``--fail-on change``), never a regression (exit 0 by default), and
is reported in all three formats. Hand-made documents cover what builds make
awkward: a declaration's directive changing, files of older releases.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from diff_project import CHURN, INDEX, VISION, build_variants, diff_json, run

from sphinx_mlrefarch.diff import compare, regressions
from sphinx_mlrefarch.reports.diff import diff_data, markdown_diff, text_diff

CATALOGUE = """\
extends: default
entries:
  - id: pandas
    name: pandas
    licence: BSD-3-Clause
    foss: true
    homepage: https://pandas.pydata.org
    blocks: [data-tools]
  - id: kubernetes
    aliases: [K8s, kube]
"""

FILES = {"index.rst": INDEX, "churn.rst": CHURN, "vision.rst": VISION}
VARIANTS: dict[str, tuple[dict[str, str], str]] = {
    "base": (FILES, ""),
    "products": (
        {**FILES, "churn.rst": CHURN.replace(":sbb: pandas", ":sbb: polars, pandas")},
        "",
    ),
    "catalogue": (
        {**FILES, "catalogue.yaml": CATALOGUE},
        'mlrefarch_catalogue = "catalogue.yaml"\n',
    ),
    "imports": (
        FILES,
        'mlrefarch_import = {"payments": {"source": "{root}/base/out/mlrefarch.json"}}\n',
    ),
    "owner": (
        {**FILES, "churn.rst": CHURN.replace(":sbb: pandas", ":sbb: pandas\n   :owner: Data team")},
        "",
    ),
}
CHANGES = ["products", "catalogue", "imports", "owner"]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_variants(tmp_path_factory.mktemp("diff-products"), VARIANTS)


def exported(builds: dict[str, Path], name: str) -> dict[str, Any]:
    return dict(json.loads((builds[name] / "mlrefarch.json").read_text("utf-8")))


def test_builds_differ_only_where_intended(builds: dict[str, Path]) -> None:
    """Positive control for the fixture: coverage is the same, the content is not."""
    base = exported(builds, "base")
    for name in CHANGES:
        other = exported(builds, name)
        assert other != base, name
        for sid, sol in base["solutions"].items():
            assert other["solutions"][sid]["coverage"] == sol["coverage"], (name, sid)
    assert exported(builds, "imports")["imports"][0]["name"] == "payments"


# --------------------------------------------------------------------------
# exit status: a change, not a regression
# --------------------------------------------------------------------------


@pytest.mark.parametrize("variant", CHANGES)
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_a_change_that_is_no_regression(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path], variant: str, fmt: str
) -> None:
    old, new = builds["base"], builds[variant]
    status, out, err = run(capsys, "diff", old, new, "--format", fmt, "--fail-on", "change")
    assert (status, err) == (1, "")
    assert "No change (" not in out
    status, _out, err = run(capsys, "diff", old, new, "--format", fmt)
    assert (status, err) == (0, "")


def test_equal_builds_are_no_change(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path]
) -> None:
    """Positive control: the same build twice (with imports and a catalogue) is no change."""
    for name in ("imports", "catalogue"):
        status, out, _err = run(capsys, "diff", builds[name], builds[name], "--fail-on", "change")
        assert status == 0
        assert "No change (2 solutions compared)." in out


# --------------------------------------------------------------------------
# what is reported
# --------------------------------------------------------------------------


def test_products_per_block(capsys: pytest.CaptureFixture[str], builds: dict[str, Path]) -> None:
    old, new = builds["base"], builds["products"]
    _status, text, _err = run(capsys, "diff", old, new)
    assert "      data-tools products: pandas -> polars, pandas" in text.splitlines()
    _status, markdown, _err = run(capsys, "diff", old, new, "--format", "markdown")
    assert "- `data-tools` products: pandas -> polars, pandas" in markdown.splitlines()
    # summary table first, then the solution's details
    assert markdown.index("| Solution |") < markdown.index("### Customer churn prediction")
    data = diff_json(capsys, old, new)
    (churn,) = data["solutions"]["changed"]
    assert churn["id"] == "churn"
    (block,) = churn["blocks"]
    assert block["block"] == "data-tools"
    assert block["products"] == {"old": ["pandas"], "new": ["polars", "pandas"]}
    assert block["declared_by"] is None
    # polars is not catalogued and pandas was not before: no catalogue change to report
    assert block["catalogue"] == []


def test_an_owner_per_block(capsys: pytest.CaptureFixture[str], builds: dict[str, Path]) -> None:
    old, new = builds["base"], builds["owner"]
    _status, text, _err = run(capsys, "diff", old, new)
    assert "      data-tools owner: (none) -> Data team" in text.splitlines()
    _status, markdown, _err = run(capsys, "diff", new, old, "--format", "markdown")
    assert "- `data-tools` owner: Data team -> (none)" in markdown.splitlines()
    (churn,) = diff_json(capsys, old, new)["solutions"]["changed"]
    (block,) = churn["blocks"]
    assert block["block"] == "data-tools"
    assert block["owners"] == {"old": [], "new": ["Data team"]}
    assert block["products"] is None and block["declared_by"] is None


def test_catalogue_changes(capsys: pytest.CaptureFixture[str], builds: dict[str, Path]) -> None:
    old, new = builds["base"], builds["catalogue"]
    data = diff_json(capsys, old, new)
    catalogue = data["catalogue"]
    assert catalogue["added"] == ["pandas"]
    assert catalogue["removed"] == []
    (kubernetes,) = catalogue["changed"]
    assert kubernetes["id"] == "kubernetes"
    assert kubernetes["fields"] == [{"field": "aliases", "old": ["K8s"], "new": ["K8s", "kube"]}]
    # the churn solution names pandas: now catalogued
    (churn,) = data["solutions"]["changed"]
    (block,) = churn["blocks"]
    assert block["block"] == "data-tools"
    assert block["products"] is None
    assert block["catalogue"] == [
        {
            "name": "pandas",
            "old": {"id": None, "licence": None, "foss": None},
            "new": {"id": "pandas", "licence": "BSD-3-Clause", "foss": True},
        }
    ]
    _status, text, _err = run(capsys, "diff", old, new)
    lines = text.splitlines()
    assert (
        "      data-tools pandas in the catalogue: not in the catalogue -> "
        "pandas (BSD-3-Clause, FOSS)"
    ) in lines
    assert lines[lines.index("Imports and catalogue:") + 1 :] == [
        "  catalogue entries added: pandas",
        "  catalogue entries changed: kubernetes (aliases K8s -> K8s, kube)",
        "",
        "1 solution unchanged.",
    ]
    _status, markdown, _err = run(capsys, "diff", old, new, "--format", "markdown")
    assert markdown.endswith(
        "### Imports and catalogue\n\n"
        "- catalogue entries added: `pandas`\n"
        "- catalogue entries changed: `kubernetes` (aliases K8s -> K8s, kube)\n"
    )


def test_import_added(capsys: pytest.CaptureFixture[str], builds: dict[str, Path]) -> None:
    old, new = builds["base"], builds["imports"]
    data = diff_json(capsys, old, new)
    assert data["imports"] == {"added": ["payments"], "removed": [], "changed": []}
    assert data["solutions"]["changed"] == []
    _status, markdown, _err = run(capsys, "diff", old, new, "--format", "markdown")
    assert "No change in coverage." in markdown
    assert "| Solution |" not in markdown  # no solution changed: no table
    assert markdown.endswith("### Imports and catalogue\n\n- import added: `payments`\n")
    _status, text, _err = run(capsys, "diff", new, old)
    assert text.splitlines()[-4:] == [
        "Imports and catalogue:",
        "  import removed: payments",
        "",
        "2 solutions unchanged.",
    ]


# --------------------------------------------------------------------------
# hand-made documents
# --------------------------------------------------------------------------


def declaration(block: str, sbb: list[str], via: str = "abb", **extra: Any) -> dict[str, Any]:
    return {"block": block, "status": "addressed", "sbb": sbb, "via": via, **extra}


def document(declarations: list[dict[str, Any]], **top: Any) -> dict[str, Any]:
    coverage = {
        "blocks": {"containers": "addressed", "data-tools": "addressed"},
        "required": 2,
        "satisfied": 2,
        "percent": 100.0,
        "missing": [],
    }
    churn = {
        "title": "Churn",
        "required": ["containers", "data-tools"],
        "constraints": [],
        "hosting": [],
        "coverage": coverage,
    }
    if declarations is not None:
        churn["declarations"] = declarations
    return {"version": 1, "model": {"id": "m", "blocks": {}}, "solutions": {"churn": churn}, **top}


def test_a_declarations_directive_changing() -> None:
    old = document([declaration("containers", ["Kubernetes"])])
    new = document([declaration("containers", ["Kubernetes"], via="hosting-choice")])
    diff = compare(old, new)
    assert diff.changed and not regressions(diff)
    assert "      containers declared by: abb -> hosting-choice" in text_diff(diff).splitlines()


def test_a_second_declarations_status_is_reported() -> None:
    """Two declarations of a block: one's status changing leaves the block's status alone."""
    planned = declaration("containers", ["Kubernetes"], via="hosting-choice", status="planned")
    old = document([declaration("containers", ["Kubernetes"]), planned])
    new = document([declaration("containers", ["Kubernetes"]), dict(planned, status="addressed")])
    (block,) = compare(old, new).solutions[0].blocks
    assert block.declared_by == (
        ("abb (addressed)", "hosting-choice (planned)"),
        ("abb (addressed)", "hosting-choice (addressed)"),
    )
    assert block.products is None


def test_a_single_declarations_status_is_left_to_the_coverage() -> None:
    """Positive control: with one declaration, its status is the block's (reported there)."""
    old = document([declaration("data-tools", ["pandas"], status="partial")])
    new = document([declaration("data-tools", ["pandas"])])
    assert compare(old, new).solutions[0].blocks == ()


def test_owners_are_compared_where_both_files_write_them() -> None:
    with_owner = document([declaration("data-tools", ["pandas"], owner="Data team")])
    without_key = document([declaration("data-tools", ["pandas"])])
    assert not compare(without_key, with_owner).changed  # a release that wrote no owners
    empty = document([declaration("data-tools", ["pandas"], owner="")])
    (block,) = compare(empty, with_owner).solutions[0].blocks  # positive control
    assert block.owners == ((), ("Data team",))


def test_files_of_older_releases_compare() -> None:
    """No ``declarations``, ``sbb_resolved``, ``imports`` or ``catalogue``: not compared."""
    resolved = [{"name": "pandas", "id": "pandas", "licence": "BSD-3-Clause", "foss": True}]
    new = document(
        [declaration("data-tools", ["pandas"], sbb_resolved=resolved)],
        imports=[{"name": "payments", "source": "p.json", "url": None, "solutions": ["a"]}],
        catalogue={"id": "c", "title": "C", "entries": [{"id": "pandas", "name": "pandas"}]},
    )
    oldest = document(None)  # type: ignore[arg-type]
    older = document([declaration("data-tools", ["pandas"])])
    for old in (oldest, older):
        diff = compare(old, new)
        assert not diff.changed, old
        assert "No change (1 solution compared)." in markdown_diff(diff)
    # positive control: the same keys in both files are compared
    other = copy.deepcopy(new)
    other["solutions"]["churn"]["declarations"][0]["sbb_resolved"][0]["licence"] = "MIT"
    other["imports"][0]["solutions"] = ["a", "b"]
    other["catalogue"]["version"] = "2"  # only one file has it: not compared
    diff = compare(new, other)
    data = diff_data(diff)
    assert data["imports"]["changed"] == [
        {"name": "payments", "title": "payments", "fields": [
            {"field": "solutions", "old": ["a"], "new": ["a", "b"]}
        ]}
    ]  # fmt: skip
    assert data["catalogue"]["fields"] == []
    assert data["solutions"]["changed"][0]["blocks"][0]["catalogue"][0]["new"]["licence"] == "MIT"


def test_catalogue_fields_only_one_release_writes() -> None:
    """A field no entry of one file has is not compared; an entry gaining a known one is."""
    old_entries = [{"id": "a", "name": "A"}, {"id": "b", "name": "B", "aliases": ["bee"]}]
    new_entries = [
        {"id": "a", "name": "A", "aliases": ["ay"], "summary": "New field."},
        {"id": "b", "name": "B", "aliases": ["bee"], "summary": "New field."},
    ]
    old = document([], catalogue={"id": "c", "title": "C", "entries": old_entries})
    new = document([], catalogue={"id": "c", "title": "C 2", "entries": new_entries})
    changes = compare(old, new).file
    assert [(c.key, [f.field for f in c.fields]) for c in changes.catalogue.changed] == [
        ("a", ["aliases"])
    ]
    assert [(f.field, f.old, f.new) for f in changes.catalogue_fields] == [("title", "C", "C 2")]
