"""Unit tests of coverage and portfolio assembly: the pure core, no Sphinx."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_mlrefarch.coverage import (
    Coverage,
    Effective,
    block_statuses,
    compute,
    required_blocks,
    shares,
)
from sphinx_mlrefarch.findings import Finding, check_portfolio
from sphinx_mlrefarch.model import Model, default_model, load_model_text
from sphinx_mlrefarch.portfolio import Portfolio, assemble
from sphinx_mlrefarch.records import (
    AbbRecord,
    ConstraintRecord,
    HostingRecord,
    SolutionRecord,
)
from sphinx_mlrefarch.status import COVERAGE_STATUSES, DECLARED_STATUSES, SATISFYING

ALL = [b.id for b in default_model().blocks]
INFRA = ["hosting", "containers", "compute", "storage", "networking"]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def abb(
    block: str,
    status: str = "addressed",
    doc: str = "s",
    line: int | None = 10,
    justified: bool = False,
    sbb: tuple[str, ...] = (),
) -> AbbRecord:
    return AbbRecord(
        block=block,
        status=status,
        docname=doc,
        line=line,
        anchor=f"abb-{block}-{line}",
        sbb=sbb,
        justified=justified,
    )


def host(
    doc: str = "s",
    line: int | None = 50,
    environment: tuple[str, ...] = ("training", "production"),
    **options: Any,
) -> HostingRecord:
    return HostingRecord(
        title=f"choice {line}",
        docname=doc,
        line=line,
        anchor=f"hosting-{line}",
        environment=environment,
        **options,
    )


def sol(
    doc: str,
    sid: str | None = None,
    line: int | None = 1,
    required: tuple[str, ...] | None = None,
    exclude: tuple[str, ...] = (),
) -> SolutionRecord:
    sid = sid or doc.replace("/", "-")
    return SolutionRecord(
        id=sid,
        title=sid.title(),
        docname=doc,
        line=line,
        anchor=f"solution-{sid}",
        required=required,
        exclude=exclude,
    )


def con(cid: str, doc: str = "s", line: int | None = 30) -> ConstraintRecord:
    return ConstraintRecord(
        id=cid, title=cid, aspect="security", docname=doc, line=line, anchor=f"c-{cid}"
    )


class Assembled:
    """A portfolio with the findings about it (``check_portfolio``), read like one object."""

    def __init__(self, portfolio: Portfolio, findings: list[Finding]) -> None:
        self.portfolio = portfolio
        self.findings = findings

    def __getattr__(self, name: str) -> Any:
        return getattr(self.portfolio, name)


def assembled(
    model: Model,
    required: str | Sequence[str],
    parts: Mapping[str, Any],
    doc2path: Any,
) -> Assembled:
    """``assemble`` and ``check_portfolio``, as the extension runs them after reading."""
    portfolio = assemble(
        model,
        required,
        parts["solutions"],
        parts["abbs"],
        parts["constraints"],
        parts["hosting"],
        parts["toctree"],
    )
    tables = {
        "abb": parts["abbs"],
        "constraint": parts["constraints"],
        "hosting-choice": parts["hosting"],
    }
    return Assembled(portfolio, check_portfolio(model, portfolio, tables, doc2path))


def build(
    solutions: Sequence[SolutionRecord],
    abbs: Sequence[AbbRecord] = (),
    hosting: Sequence[HostingRecord] = (),
    constraints: Sequence[ConstraintRecord] = (),
    toctree: Mapping[str, Sequence[str]] | None = None,
    required: str | Sequence[str] = "all",
    model: Model | None = None,
) -> Assembled:
    """``assemble`` with records grouped by document, as the domain keeps them."""

    def by_doc(items: Sequence[Any]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for item in items:
            out.setdefault(item.docname, []).append(item)
        return out

    parts = {
        "solutions": {s.docname: s for s in solutions},
        "abbs": by_doc(abbs),
        "constraints": by_doc(constraints),
        "hosting": by_doc(hosting),
        "toctree": toctree or {},
    }
    return assembled(model or default_model(), required, parts, lambda d: f"src/{d}.rst")


def of_kind(portfolio: Assembled, subtype: str) -> list[Finding]:
    return [f for f in portfolio.findings if f.subtype == subtype]


TINY = load_model_text(
    """\
schema: 1
id: tiny
title: Tiny
layers:
  - {id: base, title: Base}
  - {id: infra, title: Infra}
blocks:
  - {id: one, title: One, layer: base}
  - {id: two, title: Two, layer: base}
  - {id: three, title: Three, layer: base}
  - {id: hosting, title: Hosting, layer: infra}
  - {id: compute, title: Compute, layer: infra, aliases: [cpus]}
hosting:
  environments: [lab, production]
"""
).model
assert TINY is not None


# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


def test_status_constants() -> None:
    assert DECLARED_STATUSES == ("addressed", "partial", "planned", "not-applicable")
    assert (*DECLARED_STATUSES, "missing") == COVERAGE_STATUSES
    assert frozenset({"addressed", "partial", "not-applicable"}) == SATISFYING


@pytest.mark.parametrize(
    ("options", "blocks"),
    [
        ({}, ("hosting",)),
        ({"compute": ("gpu",)}, ("hosting", "compute")),
        ({"containers": "Kubernetes"}, ("hosting", "containers")),
        ({"storage": "Ceph"}, ("hosting", "storage")),
        ({"network": "25 GbE"}, ("hosting", "networking")),
        ({"platform": "cloud", "provider": "X", "availability": "99.9%"}, ("hosting",)),
        (
            {"compute": ("cpu",), "containers": "k8s", "storage": "s3", "network": "vlan"},
            ("hosting", "compute", "containers", "storage", "networking"),
        ),
    ],
)
def test_hosting_choice_blocks(options: dict[str, Any], blocks: tuple[str, ...]) -> None:
    assert host(**options).blocks() == blocks


# --------------------------------------------------------------------------
# Required sets
# --------------------------------------------------------------------------


def test_required_all() -> None:
    model = default_model()
    assert required_blocks(model, "all") == (tuple(ALL), [])
    assert required_blocks(model, ["all"]) == (tuple(ALL), [])
    assert required_blocks(model, "ALL") == (tuple(ALL), [])


def test_required_layers_and_blocks_in_model_order() -> None:
    model = default_model()
    wanted, unknown = required_blocks(model, ["quality", "infrastructure", "data-tools"])
    assert wanted == ("data-tools", *INFRA, "security", "privacy", "safety")
    assert unknown == []


def test_required_by_title_and_alias() -> None:
    model = default_model()
    wanted, unknown = required_blocks(model, ["GPU", "Data Tools", "Security, Privacy and Safety"])
    assert wanted == ("data-tools", "compute", "security", "privacy", "safety")
    assert unknown == []


def test_required_override_replaces_default() -> None:
    model = default_model()
    assert required_blocks(model, "all", ["partners"]) == (("partners",), [])
    assert required_blocks(model, ["data"], ("storage", "hosting")) == (
        ("hosting", "storage"),
        [],
    )
    assert required_blocks(model, "all", ()) == ((), [])


def test_required_exclude_blocks_and_layers() -> None:
    model = default_model()
    wanted, unknown = required_blocks(model, "all", None, ["business", "networking", "gpu"])
    assert wanted == tuple(b for b in ALL[7:] if b not in ("networking", "compute"))
    assert unknown == []
    wanted, _ = required_blocks(model, ["infrastructure"], None, ["infrastructure"])
    assert wanted == ()


def test_required_unknown_refs() -> None:
    model = default_model()
    wanted, unknown = required_blocks(model, ["storage", "feature-store"], None, ["nope"])
    assert wanted == ("storage",)
    assert unknown == ["feature-store", "nope"]


# --------------------------------------------------------------------------
# Coverage of one solution
# --------------------------------------------------------------------------


def test_statuses_and_satisfaction() -> None:
    model = TINY
    cov = compute(
        model,
        ["one", "two", "three", "hosting", "compute"],
        [
            abb("one", "addressed"),
            abb("two", "partial"),
            abb("three", "not-applicable", justified=True),
            abb("hosting", "planned"),
        ],
    )
    assert dict(cov.blocks) == {
        "one": "addressed",
        "two": "partial",
        "three": "not-applicable",
        "hosting": "planned",
        "compute": "missing",
    }
    assert list(cov.blocks) == ["one", "two", "three", "hosting", "compute"]
    assert cov.required == ("one", "two", "three", "hosting", "compute")
    assert cov.missing == ("hosting", "compute")
    assert cov.satisfied == 3
    assert cov.percent == 60.0


def test_unjustified_not_applicable_is_unsatisfied() -> None:
    cov = compute(TINY, ["one", "two"], [abb("one", "not-applicable"), abb("two", "addressed")])
    assert cov.blocks["one"] == "not-applicable"
    assert cov.missing == ("one",)
    assert cov.percent == 50.0
    assert not cov.decided_by["one"].satisfies


@pytest.mark.parametrize(
    ("status", "justified", "satisfies"),
    [
        ("addressed", False, True),
        ("partial", False, True),
        ("planned", True, False),
        ("planned", False, False),
        ("not-applicable", True, True),
        ("not-applicable", False, False),
    ],
)
def test_effective_satisfies(status: str, justified: bool, satisfies: bool) -> None:
    effective = Effective("one", abb("one", status, doc="d", line=1, justified=justified))
    assert effective.satisfies is satisfies


def test_required_and_missing_follow_model_order() -> None:
    cov = compute(default_model(), ["safety", "partners", "data"], [])
    assert cov.required == ("partners", "data", "safety")
    assert cov.missing == ("partners", "data", "safety")
    assert cov.percent == 0.0
    assert set(cov.blocks.values()) == {"missing"}
    assert list(cov.blocks) == ALL


def test_unrequired_blocks_still_have_a_status() -> None:
    cov = compute(TINY, ["one"], [abb("one"), abb("two", "planned")])
    assert cov.missing == ()
    assert cov.percent == 100.0
    assert cov.blocks["two"] == "planned"
    assert cov.blocks["three"] == "missing"


def test_required_ids_not_in_model_are_ignored() -> None:
    cov = compute(TINY, ["one", "ghost"], [abb("one"), abb("ghost")])
    assert cov.required == ("one",)
    assert "ghost" not in cov.blocks
    assert "ghost" not in cov.decided_by


@pytest.mark.parametrize(
    ("satisfied", "required", "percent"),
    [
        (1, 3, 33.3),
        (2, 3, 66.7),
        (1, 6, 16.7),
        (5, 5, 100.0),
        (0, 5, 0.0),
        (2, 5, 40.0),
        (1, 16, 6.3),
        (3, 16, 18.8),  # halves round up, not to even
    ],
)
def test_percent_one_decimal(satisfied: int, required: int, percent: float) -> None:
    ids = tuple(f"b{i}" for i in range(required))
    cov = Coverage({}, ids, ids[satisfied:], {})
    assert cov.satisfied == satisfied
    assert cov.percent == percent


def test_percent_of_default_model() -> None:
    cov = compute(default_model(), ALL, [abb(b) for b in ALL[:15]])
    assert cov.satisfied == 15
    assert cov.percent == 75.0
    cov = compute(default_model(), ALL, [abb(b) for b in ALL[:7]])
    assert cov.percent == 35.0
    cov = compute(default_model(), ALL[:3], [abb(ALL[0])])
    assert cov.percent == 33.3


def test_nothing_required_is_100_percent() -> None:
    cov = compute(TINY, [], [])
    assert cov.required == ()
    assert cov.missing == ()
    assert cov.satisfied == 0
    assert cov.percent == 100.0


def test_first_abb_declaration_counts() -> None:
    cov = compute(TINY, ["one"], [abb("one", "planned", line=5), abb("one", "addressed", line=9)])
    assert cov.blocks["one"] == "planned"
    assert cov.decided_by["one"].line == 5
    assert cov.missing == ("one",)


def test_hosting_choice_addresses_hosting_only_without_options() -> None:
    model = default_model()
    cov = compute(model, INFRA, [], [host()])
    assert cov.blocks["hosting"] == "addressed"
    assert cov.missing == ("containers", "compute", "storage", "networking")
    effective = cov.decided_by["hosting"]
    assert (effective.via, effective.docname, effective.line) == ("hosting-choice", "s", 50)
    assert effective.anchor == "hosting-50"
    assert effective.satisfies


@pytest.mark.parametrize(
    ("options", "block"),
    [
        ({"compute": ("gpu",)}, "compute"),
        ({"containers": "Kubernetes"}, "containers"),
        ({"storage": "Ceph"}, "storage"),
        ({"network": "25 GbE"}, "networking"),
    ],
)
def test_hosting_choice_option_addresses_block(options: dict[str, Any], block: str) -> None:
    cov = compute(default_model(), INFRA, [], [host(**options)])
    assert cov.blocks[block] == "addressed"
    assert cov.decided_by[block].via == "hosting-choice"
    assert set(cov.missing) == set(INFRA) - {"hosting", block}
    assert cov.percent == 40.0


def test_abb_declaration_wins_over_hosting_choice() -> None:
    model = default_model()
    choice = host(line=5, compute=("gpu",), storage="Ceph", network="vlan", containers="k8s")
    abbs = [
        abb("compute", "planned", line=40),
        abb("storage", "not-applicable", line=41),
        abb("networking", "partial", line=42, sbb=("VLAN",)),
    ]
    cov = compute(model, INFRA, abbs, [choice])
    assert cov.blocks["compute"] == "planned"
    assert cov.blocks["storage"] == "not-applicable"
    assert cov.blocks["networking"] == "partial"
    assert cov.blocks["containers"] == "addressed"
    assert cov.blocks["hosting"] == "addressed"
    assert cov.decided_by["compute"].via == "abb"
    assert cov.decided_by["networking"].sbb == ("VLAN",)
    assert cov.decided_by["containers"].via == "hosting-choice"
    assert cov.missing == ("compute", "storage")
    # order of the hosting choice (earlier line) does not matter
    assert block_statuses(model, abbs, [choice])["compute"].status == "planned"


def test_hosting_choice_for_blocks_the_model_lacks() -> None:
    cov = compute(TINY, ["hosting", "compute"], [], [host(storage="Ceph", network="x")])
    assert cov.blocks == {
        "one": "missing",
        "two": "missing",
        "three": "missing",
        "hosting": "addressed",
        "compute": "missing",
    }
    assert "storage" not in cov.decided_by
    assert cov.missing == ("compute",)


def test_abbs_for_unknown_blocks_are_ignored() -> None:
    decided = block_statuses(TINY, [abb("networking"), abb("one", "partial")], [])
    assert list(decided) == ["one"]
    assert decided["one"].via == "abb"
    assert decided["one"].status == "partial"


def test_shares() -> None:
    model = TINY
    required = ["one", "two", "three", "hosting", "compute"]
    covs = [
        compute(model, required, [abb("one"), abb("two", "planned")]),
        compute(model, required, [abb("one", "partial"), abb("two", "not-applicable")], [host()]),
        compute(model, required, [abb("one"), abb("three", "not-applicable", justified=True)]),
    ]
    assert shares(model, covs) == {
        "one": 100.0,
        "two": 0.0,
        "three": 33.3,
        "hosting": 33.3,
        "compute": 0.0,
    }
    assert shares(model, covs[:2]) == {
        "one": 100.0,
        "two": 0.0,
        "three": 0.0,
        "hosting": 50.0,
        "compute": 0.0,
    }
    assert shares(model, []) == dict.fromkeys(["one", "two", "three", "hosting", "compute"], 0.0)
    assert list(shares(default_model(), [])) == ALL


def test_shares_count_unrequired_blocks() -> None:
    cov = compute(TINY, [], [abb("two")])
    assert shares(TINY, [cov])["two"] == 100.0


# --------------------------------------------------------------------------
# Assembling the portfolio
# --------------------------------------------------------------------------


def test_scope_through_toctree_subtree() -> None:
    toctree = {
        "churn": ["churn/data", "churn/infra"],
        "churn/data": ["churn/data/deep"],
        "index": ["churn", "other"],
    }
    portfolio = build(
        [sol("churn")],
        abbs=[
            abb("business-processes", doc="churn", line=20),
            abb("data", doc="churn/data", line=3),
            abb("data-tools", doc="churn/data/deep", line=4),
            abb("storage", doc="churn/infra", line=5),
        ],
        toctree=toctree,
    )
    view = portfolio.solutions["churn"]
    assert view.docnames == ("churn", "churn/data", "churn/infra", "churn/data/deep")
    assert [a.block for a in view.abbs] == ["business-processes", "data", "storage", "data-tools"]
    assert view.coverage.satisfied == 4
    assert view.coverage.percent == 20.0
    assert portfolio.doc_solution == dict.fromkeys(view.docnames, "churn")
    assert portfolio.solution_of("churn/data/deep") is view
    assert portfolio.solution_of("other") is None
    assert portfolio.solution_of("index") is None
    assert of_kind(portfolio, "scope") == []


def test_declarations_sorted_by_line_within_a_document() -> None:
    portfolio = build(
        [sol("s")],
        abbs=[
            abb("data", doc="s", line=30),
            abb("partners", doc="s", line=None),
            abb("safety", doc="s", line=7),
        ],
    )
    assert [a.block for a in portfolio.solutions["s"].abbs] == ["partners", "safety", "data"]


def test_sub_document_with_its_own_solution_starts_a_new_scope() -> None:
    toctree = {"a": ["a/intro", "b"], "b": ["b/part"], "b/part": ["b/part/more"]}
    portfolio = build(
        [sol("a"), sol("b")],
        abbs=[
            abb("data", doc="a/intro"),
            abb("storage", doc="b"),
            abb("hosting", doc="b/part/more"),
        ],
        toctree=toctree,
    )
    a, b = portfolio.solutions["a"], portfolio.solutions["b"]
    assert a.docnames == ("a", "a/intro")
    assert b.docnames == ("b", "b/part", "b/part/more")
    assert [x.block for x in a.abbs] == ["data"]
    assert [x.block for x in b.abbs] == ["storage", "hosting"]
    assert a.coverage.blocks["storage"] == "missing"
    assert portfolio.doc_solution["b/part/more"] == "b"
    assert of_kind(portfolio, "scope") == []


def test_sub_solution_processed_first_still_nests() -> None:
    """A sub-solution whose docname sorts first must not swallow its parent's pages."""
    toctree = {"z-parent": ["a-child", "z-parent/page"], "a-child": ["a-child/page"]}
    portfolio = build([sol("z-parent"), sol("a-child")], toctree=toctree)
    assert portfolio.solutions["z-parent"].docnames == ("z-parent", "z-parent/page")
    assert portfolio.solutions["a-child"].docnames == ("a-child", "a-child/page")
    assert of_kind(portfolio, "scope") == []


def test_toctree_cycles_terminate() -> None:
    toctree = {"a": ["b", "a"], "b": ["c", "a"], "c": ["b", "c", "a"]}
    portfolio = build([sol("a")], abbs=[abb("data", doc="c")], toctree=toctree)
    view = portfolio.solutions["a"]
    assert view.docnames == ("a", "b", "c")
    assert [x.block for x in view.abbs] == ["data"]
    assert portfolio.findings == [f for f in portfolio.findings if f.subtype == "missing"]


def test_document_in_two_solutions_toctrees() -> None:
    toctree = {"alpha": ["shared"], "beta": ["shared", "beta/own"], "shared": ["shared/sub"]}
    portfolio = build(
        [sol("alpha"), sol("beta")],
        abbs=[abb("data", doc="shared"), abb("storage", doc="shared/sub")],
        toctree=toctree,
    )
    scope = of_kind(portfolio, "scope")
    assert len(scope) == 1
    finding = scope[0]
    assert (finding.docname, finding.line) == ("beta", 1)  # at the second solution directive
    assert "src/shared.rst" in finding.message
    assert "'alpha'" in finding.message and "'beta'" in finding.message
    assert portfolio.solutions["alpha"].docnames == ("alpha", "shared", "shared/sub")
    assert portfolio.solutions["beta"].docnames == ("beta", "beta/own")
    assert portfolio.solutions["beta"].coverage.blocks["data"] == "missing"
    assert portfolio.solutions["alpha"].coverage.blocks["data"] == "addressed"
    assert portfolio.doc_solution["shared"] == "alpha"


def test_declarations_outside_any_solution() -> None:
    portfolio = build(
        [sol("s")],
        abbs=[abb("data", doc="s"), abb("data", doc="orphan", line=3)],
        constraints=[con("eu", doc="orphan", line=8)],
        hosting=[host(doc="elsewhere", line=12)],
        toctree={"index": ["s", "orphan"]},
    )
    scope = of_kind(portfolio, "scope")
    assert [(f.docname, f.line) for f in scope] == [("orphan", 3), ("orphan", 8), ("elsewhere", 12)]
    assert scope[0].message.startswith("abb declared outside any solution")
    assert scope[1].message.startswith("constraint declared outside any solution")
    assert scope[2].message.startswith("hosting-choice declared outside any solution")
    assert portfolio.solutions["s"].coverage.blocks["data"] == "addressed"
    assert portfolio.solutions["s"].hosting == ()


def test_declarations_without_any_solution() -> None:
    portfolio = build([], abbs=[abb("data", doc="a"), abb("storage", doc="a", line=2)])
    assert portfolio.solutions == {}
    assert [(f.subtype, f.line) for f in portfolio.findings] == [("scope", 10), ("scope", 2)]


def test_duplicate_block_in_one_solution() -> None:
    portfolio = build(
        [sol("s")],
        abbs=[
            abb("data", "planned", doc="s", line=12),
            abb("data", "addressed", doc="s/more", line=7),
            abb("storage", doc="s", line=20),
        ],
        toctree={"s": ["s/more"]},
    )
    duplicates = of_kind(portfolio, "duplicate")
    assert len(duplicates) == 1
    finding = duplicates[0]
    assert (finding.docname, finding.line) == ("s/more", 7)
    assert "'data'" in finding.message
    assert "src/s.rst:12" in finding.message
    assert "here" in finding.message
    assert portfolio.solutions["s"].coverage.blocks["data"] == "planned"


def test_duplicate_block_in_one_document() -> None:
    portfolio = build([sol("s")], abbs=[abb("data", line=30), abb("data", line=12)])
    duplicates = of_kind(portfolio, "duplicate")
    assert len(duplicates) == 1
    assert duplicates[0].line == 30
    assert "src/s.rst:12" in duplicates[0].message


def test_same_block_in_two_solutions_is_no_duplicate() -> None:
    portfolio = build([sol("a"), sol("b")], abbs=[abb("data", doc="a"), abb("data", doc="b")])
    assert of_kind(portfolio, "duplicate") == []


def test_duplicate_constraint_ids() -> None:
    portfolio = build([sol("s")], constraints=[con("eu", line=3), con("eu", line=9), con("us")])
    duplicates = of_kind(portfolio, "duplicate")
    assert len(duplicates) == 1
    assert duplicates[0].line == 9
    assert "'eu'" in duplicates[0].message and "src/s.rst:3" in duplicates[0].message


def test_duplicate_solution_ids() -> None:
    portfolio = build(
        [sol("b-doc", "churn", line=4), sol("a-doc", "churn", line=2)],
        abbs=[abb("data", doc="a-doc"), abb("storage", doc="b-doc")],
    )
    duplicates = of_kind(portfolio, "duplicate")
    assert len(duplicates) == 1
    finding = duplicates[0]
    assert (finding.docname, finding.line) == ("b-doc", 4)
    assert "'churn'" in finding.message
    assert "src/a-doc.rst:2" in finding.message
    assert list(portfolio.solutions) == ["churn"]
    view = portfolio.solutions["churn"]
    assert view.record.docname == "a-doc"
    assert [a.block for a in view.abbs] == ["data"]


def test_documents_below_a_shadowed_solution_are_not_outside_any_solution() -> None:
    portfolio = build(
        [sol("a-doc", "churn"), sol("b-doc", "churn", line=4)],
        abbs=[abb("data", doc="b-doc/sub"), abb("storage", doc="orphan")],
        toctree={"b-doc": ["b-doc/sub"]},
    )
    assert len(of_kind(portfolio, "duplicate")) == 1
    scope = of_kind(portfolio, "scope")
    assert [f.docname for f in scope] == ["orphan"]


@pytest.mark.parametrize(
    ("environments", "gaps"),
    [
        ([("training", "production")], []),
        ([("development",), ("production",)], []),
        ([("training",)], ["'production'"]),
        ([("development",), ("training",)], ["'production'"]),
        ([("production",)], ["'development' or 'training'"]),
        ([()], ["'production'", "'development' or 'training'"]),
    ],
)
def test_hosting_findings(environments: list[tuple[str, ...]], gaps: list[str]) -> None:
    choices = [host(environment=env, line=40 + i) for i, env in enumerate(environments)]
    portfolio = build([sol("s", line=3)], hosting=choices)
    findings = of_kind(portfolio, "hosting")
    if not gaps:
        assert findings == []
        return
    assert len(findings) == 1
    assert (findings[0].docname, findings[0].line) == ("s", 3)
    for gap in gaps:
        assert f"none covers {gap}" in findings[0].message
    assert ("none covers 'production'" in findings[0].message) is ("'production'" in gaps)


def test_no_hosting_finding_without_hosting_choices() -> None:
    assert of_kind(build([sol("s")]), "hosting") == []


def test_hosting_finding_follows_the_models_environments() -> None:
    ok = build([sol("s")], hosting=[host(environment=("production",))], model=TINY)
    assert of_kind(ok, "hosting") == []
    lab_only = build([sol("s")], hosting=[host(environment=("lab",))], model=TINY)
    findings = of_kind(lab_only, "hosting")
    assert len(findings) == 1
    assert "'production'" in findings[0].message
    assert "training" not in findings[0].message.split(";")[0]


def test_missing_findings() -> None:
    portfolio = build(
        [sol("s", line=5)],
        abbs=[
            abb("data"),
            abb("data-tools", "partial"),
            abb("safety", "not-applicable", justified=True),
            abb("storage", "planned"),
            abb("privacy", "not-applicable"),
        ],
        hosting=[host(compute=("gpu",))],
    )
    view = portfolio.solutions["s"]
    missing = of_kind(portfolio, "missing")
    assert len(missing) == len(view.coverage.missing) == 20 - 5
    named = [next(b for b in ALL if f"{b!r}" in f.message) for f in missing]
    assert named == list(view.coverage.missing)
    assert "storage" in named and "privacy" in named
    assert not {"data", "data-tools", "safety", "hosting", "compute"} & set(named)
    for finding in missing:
        assert (finding.docname, finding.line) == ("s", 5)
        assert "missing" in finding.message or "planned" in finding.message
        assert "'s'" in finding.message
    storage = next(f for f in missing if "'storage'" in f.message)
    assert "planned" in storage.message
    partners = next(f for f in missing if "'partners'" in f.message)
    assert "missing" in partners.message
    assert "(Partners)" in partners.message
    privacy = next(f for f in missing if "'privacy'" in f.message)
    assert "justification" in privacy.message
    assert view.coverage.percent == 25.0


def test_required_from_config_and_solution() -> None:
    portfolio = build(
        [
            sol("a"),
            sol("b", required=("infrastructure",), exclude=("networking",)),
            sol("c", exclude=("infrastructure", "business")),
        ],
        abbs=[abb("hosting", doc="b"), abb("storage", doc="b")],
        required=["quality", "infrastructure"],
    )
    a, b, c = (portfolio.solutions[x] for x in "abc")
    assert a.required == (*INFRA, "security", "privacy", "safety")
    assert b.required == ("hosting", "containers", "compute", "storage")
    assert b.coverage.percent == 50.0
    assert c.required == ("security", "privacy", "safety")
    assert [f.docname for f in of_kind(portfolio, "missing")] == ["a"] * 8 + ["b"] * 2 + ["c"] * 3


def test_fully_covered_solution_has_no_findings() -> None:
    abbs = [abb(b, line=i + 10) for i, b in enumerate(ALL) if b != "hosting"]
    portfolio = build([sol("s")], abbs=abbs, hosting=[host()])
    assert portfolio.findings == []
    assert portfolio.solutions["s"].coverage.percent == 100.0


def test_backlinks() -> None:
    portfolio = build(
        [sol("a"), sol("b")],
        abbs=[abb("data", doc="a"), abb("storage", "planned", doc="b")],
        hosting=[host(doc="a", storage="Ceph"), host(doc="b", storage="NFS", line=60)],
    )
    storage = portfolio.backlinks("storage")
    assert [(x.solution, x.status, x.via) for x in storage] == [
        ("a", "addressed", "hosting-choice"),
        ("b", "planned", "abb"),
    ]
    assert [(x.solution, x.via) for x in portfolio.backlinks("hosting")] == [
        ("a", "hosting-choice"),
        ("b", "hosting-choice"),
    ]
    assert portfolio.backlinks("partners") == []


def test_fingerprint_tracks_declarations() -> None:
    first = build([sol("s")], abbs=[abb("data")]).solutions["s"].fingerprint()
    same = build([sol("s")], abbs=[abb("data")]).solutions["s"].fingerprint()
    changed = build([sol("s")], abbs=[abb("data", "partial")]).solutions["s"].fingerprint()
    assert first == same
    assert first != changed
    assert len(first) == 16


# --------------------------------------------------------------------------
# Determinism
# --------------------------------------------------------------------------


def _scenario() -> dict[str, Any]:
    solutions = {
        "beta": sol("beta", line=2),
        "alpha": sol("alpha", line=1, required=("infrastructure",)),
        "dup": sol("dup", "alpha", line=3),
        "gamma": sol("gamma", line=4, exclude=("business",)),
    }
    abbs = {
        "beta": [abb("data", doc="beta", line=9), abb("data", doc="beta", line=4)],
        "shared": [abb("storage", doc="shared", line=2)],
        "alpha/sub": [abb("hosting", "planned", doc="alpha/sub", line=5)],
        "orphan": [abb("privacy", doc="orphan", line=1)],
        "dup": [abb("privacy", doc="dup", line=1)],
        "gamma": [abb("security", "not-applicable", doc="gamma", line=6)],
    }
    constraints = {
        "alpha": [con("eu", doc="alpha", line=7)],
        "alpha/sub": [con("eu", doc="alpha/sub", line=3)],
        "orphan": [con("x", doc="orphan", line=2)],
    }
    hosting = {
        "beta": [host(doc="beta", line=20, environment=("training",), storage="Ceph")],
        "gamma": [host(doc="gamma", line=21, compute=("gpu",))],
    }
    toctree = {
        "index": ["alpha", "beta", "orphan"],
        "alpha": ["alpha/sub", "shared", "gamma"],
        "beta": ["shared", "beta/x"],
        "beta/x": ["beta", "beta/x"],
        "gamma": ["gamma/sub"],
    }
    return {
        "solutions": solutions,
        "abbs": abbs,
        "constraints": constraints,
        "hosting": hosting,
        "toctree": toctree,
    }


def _shuffled(data: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    items = list(data.items())
    rng.shuffle(items)
    return dict(items)


def _run(parts: Mapping[str, Any]) -> Assembled:
    return assembled(default_model(), "all", parts, lambda d: f"{d}.md")


def _snapshot(portfolio: Assembled) -> Any:
    return (
        list(portfolio.solutions.items()),
        list(portfolio.doc_solution.items()),
        list(portfolio.findings),
        {sid: [list(v.coverage.blocks.items())] for sid, v in portfolio.solutions.items()},
    )


def test_scenario_findings() -> None:
    portfolio = _run(_scenario())
    kinds = sorted({f.subtype for f in portfolio.findings})
    assert kinds == ["duplicate", "hosting", "missing", "scope"]
    assert list(portfolio.solutions) == ["alpha", "beta", "gamma"]
    assert portfolio.solutions["alpha"].docnames == ("alpha", "alpha/sub", "shared")
    assert portfolio.solutions["beta"].docnames == ("beta", "beta/x")
    assert portfolio.solutions["gamma"].docnames == ("gamma", "gamma/sub")


def test_same_result_whatever_the_insertion_order() -> None:
    base = _scenario()
    expected = _snapshot(_run(base))
    reversed_parts = {key: dict(reversed(list(value.items()))) for key, value in base.items()}
    assert _snapshot(_run(reversed_parts)) == expected
    rng = random.Random(1234)
    for _ in range(20):
        parts = {key: _shuffled(value, rng) for key, value in base.items()}
        assert _snapshot(_run(parts)) == expected


@settings(max_examples=50)
@given(st.randoms(use_true_random=False))
def test_same_result_property(rng: random.Random) -> None:
    base = _scenario()
    parts = {key: _shuffled(value, rng) for key, value in base.items()}
    assert _snapshot(_run(parts)) == _snapshot(_run(base))
