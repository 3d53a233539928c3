"""The pure comparison (:mod:`sphinx_mlrefarch.diff`) on hand-made documents.

The cases a real build makes awkward: required sets that grow and shrink,
``strict`` blocks, repeated hosting titles, files without the keys a newer
release adds, and how regressions are counted. Renderers are tested on the
same documents where their output depends on such a case.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from sphinx_mlrefarch.diff import RegressionKind, compare, regressions
from sphinx_mlrefarch.reports.diff import diff_data, markdown_diff, md_code, md_text, text_diff

BLOCKS = ("data", "data-tools", "compute", "storage")


def solution(
    statuses: dict[str, str], required: tuple[str, ...] = BLOCKS, **extra: Any
) -> dict[str, Any]:
    """A solution as the export writes it, its coverage derived from ``statuses``."""
    blocks = {b: statuses.get(b, "missing") for b in BLOCKS}
    satisfying = {"addressed", "partial", "not-applicable"}
    strict = set(extra.get("strict", ()))
    missing = [
        b
        for b in required
        if blocks[b] not in satisfying or (b in strict and blocks[b] != "addressed")
    ]
    satisfied = len(required) - len(missing)
    return {
        "title": extra.pop("title", "Churn"),
        "owner": "",
        "status": "draft",
        "required": list(required),
        "constraints": extra.pop("constraints", []),
        "hosting": extra.pop("hosting", []),
        "coverage": {
            "blocks": blocks,
            "required": len(required),
            "satisfied": satisfied,
            "percent": round(100 * satisfied / len(required), 1) if required else 100.0,
            "missing": missing,
        },
        **extra,
    }


def document(**solutions: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": 1,
        "model": {
            "id": "default",
            "title": "M",
            "blocks": {b: {"title": b.title()} for b in BLOCKS},
        },
        "solutions": solutions,
    }


FULL = {
    "data": "addressed",
    "data-tools": "addressed",
    "compute": "partial",
    "storage": "addressed",
}


def test_equal_documents() -> None:
    doc = document(churn=solution(FULL))
    diff = compare(doc, copy.deepcopy(doc))
    assert not diff.changed
    assert regressions(diff) == []
    assert [s.id for s in diff.solutions] == ["churn"]


def test_block_losing_its_status_is_one_regression_each() -> None:
    worse = dict(FULL, data="planned", storage="missing")
    diff = compare(document(churn=solution(FULL)), document(churn=solution(worse)))
    (sol,) = diff.solutions
    assert sol.lost == ("data", "storage")
    assert sol.newly_missing == ("data", "storage")
    assert sol.delta == -50.0
    assert [(r.kind, r.block) for r in regressions(diff)] == [
        (RegressionKind.BLOCK, "data"),
        (RegressionKind.BLOCK, "storage"),
    ]
    assert str(regressions(diff)[0]) == "solution 'churn': required block 'data' is now unsatisfied"


def test_newly_required_block_never_satisfied_is_missing_but_no_regression() -> None:
    """Widening the required set shows the new gaps; nothing got worse, so no regression."""
    old = solution({"data": "addressed"}, required=("data",))
    new = solution({"data": "addressed"}, required=("data", "storage"))
    diff = compare(document(churn=old), document(churn=new))
    (sol,) = diff.solutions
    assert (sol.required_added, sol.newly_missing, sol.lost) == (("storage",), ("storage",), ())
    assert sol.delta == -50.0
    assert regressions(diff) == []


def test_block_made_required_and_unsatisfied_in_one_change_is_a_regression() -> None:
    old = solution({"data": "addressed", "storage": "addressed"}, required=("data",))
    new = solution({"data": "addressed", "storage": "planned"}, required=("data", "storage"))
    diff = compare(document(churn=old), document(churn=new))
    assert [(r.kind, r.block) for r in regressions(diff)] == [(RegressionKind.BLOCK, "storage")]


def test_shrinking_the_required_set_is_a_coverage_regression() -> None:
    """Fewer satisfied required blocks, although the percentage went up: flagged once."""
    old = solution(
        {"data": "addressed", "storage": "addressed"}, required=("data", "storage", "compute")
    )
    new = solution({"data": "addressed", "storage": "addressed"}, required=("data",))
    diff = compare(document(churn=old), document(churn=new))
    (sol,) = diff.solutions
    assert sol.before.satisfied == 2 and sol.after.satisfied == 1
    assert sol.delta > 0
    assert sol.required_removed == ("compute", "storage")
    assert [r.kind for r in regressions(diff)] == [RegressionKind.COVERAGE]


def test_strict_block_only_partial_was_not_satisfied() -> None:
    """A ``strict`` block only partial was unsatisfied: requiring it loses nothing."""
    old = solution(
        {"data": "addressed", "compute": "partial"}, required=("data",), strict=["compute"]
    )
    new = solution(
        {"data": "addressed", "compute": "partial"},
        required=("data", "compute"),
        strict=["compute"],
    )
    diff = compare(document(churn=old), document(churn=new))
    assert diff.solutions[0].newly_missing == ("compute",)
    assert regressions(diff) == []
    # control: without strict, the partial block was satisfied, so requiring it while
    # downgrading it in the same change is a regression
    old_plain = solution({"data": "addressed", "compute": "partial"}, required=("data",))
    new_plain = solution({"data": "addressed", "compute": "planned"}, required=("data", "compute"))
    assert regressions(compare(document(churn=old_plain), document(churn=new_plain)))


def test_a_strict_block_newly_missing_says_why() -> None:
    """Addressed -> partial loses a strict block: the details say it is strict, not absent."""
    old = solution({"data": "addressed", "compute": "addressed"}, strict=["compute"])
    new = solution({"data": "partial", "compute": "partial"}, strict=["compute"])
    diff = compare(document(churn=old), document(churn=new))
    (sol,) = diff.solutions
    # data is partial too but not strict: still satisfied, not newly missing
    assert sol.newly_missing == ("compute",) and sol.strict_partial == ("compute",)
    assert "- newly missing: `compute` (strict: only partial)\n" in markdown_diff(diff)
    assert "newly missing: compute (strict: only partial)" in text_diff(diff)
    assert diff_data(diff)["solutions"]["changed"][0]["strict_partial"] == ["compute"]
    # control: planned is missing whether strict or not; no strict note
    planned = solution({"data": "addressed", "compute": "planned"}, strict=["compute"])
    (sol,) = compare(document(churn=old), document(churn=planned)).solutions
    assert sol.newly_missing == ("compute",) and sol.strict_partial == ()
    assert "- newly missing: `compute`\n" in markdown_diff(
        compare(document(churn=old), document(churn=planned))
    )


def test_solutions_added_and_removed() -> None:
    diff = compare(document(a=solution(FULL)), document(b=solution(FULL, title="B")))
    assert [r.id for r in diff.added] == ["b"]
    assert [r.id for r in diff.removed] == ["a"]
    assert [(r.solution, r.kind) for r in regressions(diff)] == [("a", RegressionKind.REMOVED)]


def test_model_blocks_added_and_removed() -> None:
    old, new = document(), document()
    new["model"]["blocks"]["feature-store"] = {"title": "Feature Store"}
    del new["model"]["blocks"]["storage"]
    new["model"]["id"] = "office"
    diff = compare(old, new)
    assert (diff.model.blocks_added, diff.model.blocks_removed) == (
        ("feature-store",),
        ("storage",),
    )
    assert diff.changed
    assert "blocks removed: storage (Storage)" in text_diff(diff)
    assert "model id: default -> office" in text_diff(diff)


def test_constraints_by_id_and_hosting_by_title() -> None:
    def constraint(cid: str, **fields: Any) -> dict[str, Any]:
        return {
            "id": cid,
            "title": cid.title(),
            "aspect": "security",
            "affects": ["data"],
            "priority": "must",
            **fields,
        }

    def hosting(title: str, **fields: Any) -> dict[str, Any]:
        return {
            "title": title,
            "environment": ["production"],
            "platform": "cloud",
            "compute": ["cpu"],
            **fields,
        }

    old = solution(
        FULL,
        constraints=[constraint("eu", title="EU only"), constraint("gone")],
        hosting=[hosting("Cluster"), hosting("Cluster", platform="edge"), hosting("Old")],
    )
    new = solution(
        FULL,
        # a reworded title is a change of the same constraint; a moved line is no change
        constraints=[constraint("eu", title="EU data only", line=99), constraint("new")],
        hosting=[hosting("Cluster"), hosting("Cluster", platform="hybrid"), hosting("Fresh")],
    )
    sol = compare(document(churn=old), document(churn=new)).solutions[0]
    assert (sol.constraints.added, sol.constraints.removed) == (("new",), ("gone",))
    (eu,) = sol.constraints.changed
    assert (eu.key, [(f.field, f.old, f.new) for f in eu.fields]) == (
        "eu",
        [("title", "EU only", "EU data only")],
    )
    assert (sol.hosting.added, sol.hosting.removed) == (("Fresh",), ("Old",))
    (second,) = sol.hosting.changed  # the second "Cluster" pairs with the second
    assert second.key == "Cluster (2)"
    assert [(f.field, f.old, f.new) for f in second.fields] == [("platform", "edge", "hybrid")]
    assert not regressions(compare(document(churn=old), document(churn=new)))


def test_keys_of_other_releases_are_no_change() -> None:
    """Keys only one file has (``uri``, ``profiles``, ``catalogue`` ...) are not compared."""
    old = document(churn=solution(FULL, constraints=[{"id": "eu", "title": "EU"}]))
    new = copy.deepcopy(old)
    new["catalogue"] = {"entries": []}
    new["imports"] = []
    sol = new["solutions"]["churn"]
    sol["profiles"] = ["production"]
    sol["strict"] = []
    sol["constraints"][0]["uri"] = "index.html#eu"
    sol["constraints"][0]["priority"] = "must"  # absent before: no change either
    assert not compare(old, new).changed
    assert not compare(new, old).changed
    # control: a profile that changes between two files that both have profiles is a change
    newer = copy.deepcopy(new)
    newer["solutions"]["churn"]["profiles"] = ["experiment"]
    (change,) = compare(new, newer).solutions[0].fields
    assert (change.field, change.old, change.new) == ("profiles", ["production"], ["experiment"])


def test_json_lists_are_sorted_and_complete() -> None:
    old = document(b=solution(FULL), a=solution(FULL), gone=solution(FULL))
    worse = dict(FULL, storage="planned", data="missing")
    new = document(b=solution(worse), a=solution(FULL), new=solution(FULL))
    data = diff_data(compare(old, new))
    json.dumps(data)  # serialisable
    assert data["regressions"] == 3
    assert [(r["solution"], r["kind"], r["block"]) for r in data["regression_details"]] == [
        ("b", "block", "data"),
        ("b", "block", "storage"),
        ("gone", "removed", None),
    ]
    assert data["solutions"]["unchanged"] == 1
    (b,) = data["solutions"]["changed"]
    assert [c["block"] for c in b["status_changes"]] == ["data", "storage"]


def test_markdown_escapes_titles_and_ids() -> None:
    assert md_text("a | b *c* `d` <e> [f](g) #1 @team $x$") == (
        r"a \| b \*c\* \`d\` \<e\> \[f\](g) \#1 \@team \$x\$"
    )
    assert md_code("a|b") == r"`a\|b`"
    assert md_code("a`b") == "``a`b``"
    old = document(**{"x|y": solution(FULL, title="<script>alert(1)</script>")})
    new = copy.deepcopy(old)
    new["solutions"]["x|y"]["coverage"]["satisfied"] = 3
    out = markdown_diff(compare(old, new))
    assert r"| \<script\>alert(1)\</script\> (`x\|y`) |" in out
    assert "<script>" not in out


def test_markdown_verdict_counts_regressions() -> None:
    one = markdown_diff(compare(document(a=solution(FULL)), document()))
    assert "**1 regression.**" in one
    assert "| Churn (`a`) | 4/4 (100.0%) | \N{EN DASH} | removed, **regression** |" in one
    assert "**No regression.**" in markdown_diff(compare(document(), document(a=solution(FULL))))


def test_control_characters_are_made_visible() -> None:
    """A title cannot send escape sequences to a terminal or hide text in a comment."""
    old = document(a=solution(FULL, title="Churn\x1b[2J\x07"))
    out = text_diff(compare(old, document()))
    assert "\x1b" not in out and "\x07" not in out
    assert "- Churn\\x1b[2J\\x07 [a]: removed" in out
    assert "\x1b" not in markdown_diff(compare(old, document()))
