"""Solution profiles: what a solution must cover, from the chapter's first questions.

The pure rules first (every precedence case of the required set, strict
blocks), then real builds in rST and MyST (``:profile:``, its findings, the
``missing`` message of a strict block, ``mlrefarch.json``), then the
model format (profiles in a model file, their problems).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from cli_helpers import run
from helpers import export_of, mlrefarch_warnings

from sphinx_mlrefarch.coverage import Gap, RequiredFrom, compute, requirement
from sphinx_mlrefarch.model import default_model, load_model_text
from sphinx_mlrefarch.records import AbbRecord
from sphinx_mlrefarch.status import Status

MODEL = default_model()
ALL = tuple(b.id for b in MODEL.blocks)
QUALITY = ("security", "privacy", "safety")


def test_default_model_has_the_profiles_of_the_four_questions() -> None:
    ids = [p.id for p in MODEL.profiles]
    assert ids == [
        "experiment",
        "framework-comparison",
        "performance-critical",
        "production",
        "life-critical",
    ]
    for profile in MODEL.profiles:
        assert profile.title and len(profile.description) > 100, profile.id
        blocks, unknown = MODEL.expand(profile.required)
        assert blocks and not unknown, profile.id
        assert set(profile.strict) <= set(blocks), profile.id  # strict blocks are required
    assert MODEL.profile_map["production"].required == ("all",)
    assert set(QUALITY) <= set(MODEL.profile_map["life-critical"].strict)


# -- precedence of the required set ------------------------------------------------------


def test_project_setting_applies_without_required_or_profile() -> None:
    found = requirement(MODEL, ["data"])
    assert (found.blocks, found.strict, found.source) == (
        ("data", "data-tools"),
        (),
        RequiredFrom.PROJECT,
    )


def test_profiles_replace_the_project_setting() -> None:
    found = requirement(MODEL, ["data"], profiles=["performance-critical"])
    assert found.source == RequiredFrom.PROFILES
    infrastructure = ("hosting", "containers", "compute", "storage", "networking")
    assert found.blocks == ("ml-frameworks", *infrastructure)
    assert found.strict == ("hosting", "compute", "networking")  # model order


def test_several_profiles_give_the_union() -> None:
    one = requirement(MODEL, "all", profiles=["experiment"])
    other = requirement(MODEL, "all", profiles=["performance-critical"])
    both = requirement(MODEL, "all", profiles=["experiment", "performance-critical"])
    assert set(both.blocks) == set(one.blocks) | set(other.blocks)
    assert list(both.blocks) == [b for b in ALL if b in both.blocks]  # model order
    assert set(both.strict) == set(one.strict) | set(other.strict)


def test_required_option_wins_over_profiles_and_keeps_their_strict_blocks() -> None:
    found = requirement(MODEL, "all", override=["infrastructure"], profiles=["production"])
    assert found.source == RequiredFrom.SOLUTION
    assert found.blocks == ("hosting", "containers", "compute", "storage", "networking")
    assert found.strict == ("hosting",)  # production's security/privacy are not required here


def test_exclude_applies_last_whichever_set_applies() -> None:
    for kwargs in ({}, {"profiles": ["production"]}, {"override": ["all"]}):
        found = requirement(MODEL, "all", exclude=["networking", "quality"], **kwargs)
        assert "networking" not in found.blocks and not set(QUALITY) & set(found.blocks)
        assert not set(found.strict) & {"security", "privacy"}


def test_unknown_profile_is_ignored_by_the_rule() -> None:
    assert requirement(MODEL, ["data"], profiles=["nope"]).source == RequiredFrom.PROJECT


def test_unknown_references_are_returned() -> None:
    found = requirement(MODEL, "all", override=["datta"], exclude=["nope"])
    assert found.unknown == ("datta", "nope")


# -- strict blocks -------------------------------------------------------------------------


def abb(block: str, status: str, justified: bool = False) -> AbbRecord:
    return AbbRecord(block=block, status=Status(status), docname="s", line=3, justified=justified)


@pytest.mark.parametrize(
    ("status", "justified", "strict", "satisfied", "gap"),
    [
        ("addressed", False, True, True, None),
        ("partial", False, True, False, Gap.STRICT),
        ("not-applicable", True, True, False, Gap.STRICT),
        ("not-applicable", False, True, False, Gap.UNJUSTIFIED),
        ("planned", False, True, False, Gap.PLANNED),
        ("partial", False, False, True, None),
        ("not-applicable", True, False, True, None),
    ],
)
def test_strict_blocks_count_only_when_addressed(
    status: str, justified: bool, strict: bool, satisfied: bool, gap: Gap | None
) -> None:
    declared = [abb("hosting", status, justified)]
    coverage = compute(MODEL, ["hosting"], declared, strict=["hosting"] if strict else [])
    assert coverage.satisfies("hosting") is satisfied
    assert (coverage.missing == ()) is satisfied
    if gap is not None:
        assert coverage.gap("hosting") == gap
    assert coverage.blocks["hosting"] == status  # the status itself is what was declared


def test_strict_blocks_that_are_not_required_do_not_count() -> None:
    coverage = compute(MODEL, ["data"], [abb("data", "partial")], strict=["hosting"])
    assert coverage.strict == () and coverage.missing == ()


# -- real builds ---------------------------------------------------------------------------

RST = """Page
====

.. solution:: Triage
   :id: triage
   :profile: {profile}

.. abb:: hosting
   :status: partial

   A shared server for now.

.. abb:: security
"""

MD = """# Page

```{{solution}} Triage
:id: triage
:profile: {profile}
```

```{{abb}} hosting
:status: partial

A shared server for now.
```

```{{abb}} security
```
"""


def build(project: Any, syntax: str, profile: str) -> Any:
    text = (RST if syntax == "rst" else MD).format(profile=profile)
    return project({f"index.{syntax}": text})


@pytest.mark.parametrize("syntax", ["rst", "md"])
def test_profile_sets_required_and_strict_in_the_export(project: Any, syntax: str) -> None:
    app = build(project, syntax, "performance-critical")
    solution = export_of(app)["solutions"]["triage"]
    assert solution["profiles"] == ["performance-critical"]
    assert solution["strict"] == ["hosting", "compute", "networking"]
    assert solution["required"][0] == "ml-frameworks" and len(solution["required"]) == 6
    assert "hosting" in solution["coverage"]["missing"]  # partial, but strict


@pytest.mark.parametrize("syntax", ["rst", "md"])
def test_missing_message_of_a_strict_partial_block(project: Any, syntax: str) -> None:
    app = build(project, syntax, "performance-critical, production")
    missing = [w for w in mlrefarch_warnings(app, "missing") if "'hosting'" in w]
    assert len(missing) == 1
    assert (
        "required building block 'hosting' (Hosting) is only partial; profile "
        "'performance-critical' and profile 'production' require it addressed (a strict block)"
    ) in missing[0]


@pytest.mark.parametrize("syntax", ["rst", "md"])
def test_missing_message_names_one_profile(project: Any, syntax: str) -> None:
    app = build(project, syntax, "performance-critical")
    missing = [w for w in mlrefarch_warnings(app, "missing") if "'hosting'" in w]
    assert len(missing) == 1
    assert "profile 'performance-critical' requires it addressed (a strict block)" in missing[0]


@pytest.mark.parametrize("syntax", ["rst", "md"])
@pytest.mark.parametrize(
    ("status", "state"),
    [("planned", "is only planned"), ("not-applicable", "is marked not-applicable")],
)
def test_missing_message_of_a_strict_block_says_only_addressed_counts(
    project: Any, syntax: str, status: str, state: str
) -> None:
    """Not "counts once it is addressed or partial": for a strict block partial does not count."""
    edit = (
        ("   :status: partial", f"   :status: {status}")
        if syntax == "rst"
        else (":status: partial", f":status: {status}")
    )
    text = (RST if syntax == "rst" else MD).replace(*edit)
    strict = project({f"index.{syntax}": text.format(profile="performance-critical")})
    (message,) = [w for w in mlrefarch_warnings(strict, "missing") if "'hosting'" in w]
    assert f"(Hosting) {state}; profile 'performance-critical' requires it addressed" in message
    assert "or partial" not in message and "justification" not in message
    # control: the same declaration without the profile keeps the usual wording
    plain = project(
        {f"index.{syntax}": re.sub(r"^ *:profile: .*\n", "", text, flags=re.M).format()},
        name="plain",
        conf='mlrefarch_required = ["hosting"]\n',
    )
    (control,) = [w for w in mlrefarch_warnings(plain, "missing") if "'hosting'" in w] or [""]
    if status == "planned":
        assert "is only planned; it counts once it is addressed or partial" in control
    else:  # a justified not-applicable satisfies a block that is not strict
        assert control == ""


@pytest.mark.parametrize("syntax", ["rst", "md"])
def test_check_report_says_a_strict_block_is_only_partial(
    project: Any, syntax: str, capsys: pytest.CaptureFixture[str]
) -> None:
    src = build(project, syntax, "performance-critical").srcdir
    capsys.readouterr()
    status, out, _err = run(capsys, "check", "-q", str(src))
    assert status == 1
    assert "  - hosting (Hosting): strict: only partial, must be addressed\n" in out
    # a block that is simply absent keeps its own words
    assert "  - networking (Networking): missing\n" in out


@pytest.mark.parametrize("syntax", ["rst", "md"])
def test_positive_control_without_profile(project: Any, syntax: str) -> None:
    src = build(project, syntax, "performance-critical").srcdir
    # the same page without :profile: needs all 20 blocks, and partial hosting counts
    text = (src / f"index.{syntax}").read_text("utf-8")
    text = text.replace(":profile: performance-critical\n", "")
    again = project({f"index.{syntax}": text}, name="again")
    solution = export_of(again)["solutions"]["triage"]
    assert solution["profiles"] == [] and solution["strict"] == []
    assert len(solution["required"]) == 20 and "hosting" not in solution["coverage"]["missing"]


@pytest.mark.parametrize("syntax", ["rst", "md"])
@pytest.mark.parametrize(
    ("profile", "subtype", "needle"),
    [
        (
            "producton",
            "unknown",
            "unknown profile 'producton' in :profile:; did you mean 'production'?",
        ),
        ("", "option", ":profile: is empty; give one or more profile ids (experiment, "),
        ("production, Production", "option", ":profile: names profile 'production' twice"),
        ("experiment, nope", "unknown", "unknown profile 'nope' in :profile:"),
    ],
)
def test_profile_option_problems(
    project: Any, syntax: str, profile: str, subtype: str, needle: str
) -> None:
    app = build(project, syntax, profile)
    found = mlrefarch_warnings(app, subtype)
    assert len(found) == 1 and needle in found[0], found
    where = "index.rst:4: WARNING" if syntax == "rst" else "index.md:3: WARNING"
    assert where in found[0]  # at the solution directive


def test_profile_by_title(project: Any) -> None:
    app = build(project, "rst", "Life-critical")
    assert export_of(app)["solutions"]["triage"]["profiles"] == ["life-critical"]
    assert mlrefarch_warnings(app, "unknown") == []


# -- profiles in a model file --------------------------------------------------------------


def test_a_model_file_adds_and_overrides_profiles() -> None:
    result = load_model_text(
        "extends: default\nprofiles:\n"
        "  - id: regulated\n    title: Regulated\n    required: [quality, data]\n"
        "    strict: [privacy]\n"
        "  - id: production\n    strict: [hosting]\n",
        "model.yaml",
    )
    assert result.problems == ()
    model = result.model
    assert model is not None
    assert model.profile_map["regulated"].strict == ("privacy",)
    assert model.profile_map["production"].strict == ("hosting",)
    assert model.profile_map["production"].required == ("all",)  # kept from the default


def test_profile_problems_are_located() -> None:
    result = load_model_text(
        "extends: default\nprofiles:\n"
        "  - id: regulated\n    title: Regulated\n    required: [qualty, data]\n"
        "    strict: [privcy]\n"
        "  - id: half\n    title: Half\n"
        "  - id: regulated\n    title: Again\n    required: [data]\n",
        "model.yaml",
    )
    found = {(p.path, p.line): p.message for p in result.problems}
    assert "did you mean 'quality'?" in found[("profiles[0].required[0]", 5)]
    assert "did you mean 'privacy'?" in found[("profiles[0].strict[0]", 6)]
    assert "needs 'required'" in found[("profiles[1]", 7)]
    assert "duplicate profile id 'regulated'" in found[("profiles[2]", 9)]
    assert result.model is not None
    assert result.model.profile_map["regulated"].required == ("data",)  # the rest still applies


def test_removed_blocks_leave_the_built_in_profiles_quietly() -> None:
    result = load_model_text("extends: default\nremove: [quality, hosting]\n", "model.yaml")
    assert result.problems == ()
    model = result.model
    assert model is not None
    assert model.profile_map["production"].strict == ()
    assert "hosting" not in model.profile_map["life-critical"].strict
