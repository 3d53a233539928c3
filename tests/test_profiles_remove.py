"""``remove:`` drops profiles too: ``profile:x``, or a bare id no layer or block has.

A model tailored from the built-in one may not want every built-in profile
(an office that never builds life-critical systems). A removed profile is
unknown to solutions, so ``:profile:`` naming it is ``mlrefarch.unknown``
with the remaining profiles as suggestions.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import export_of, mlrefarch_warnings

from sphinx_mlrefarch.model import default_model, load_model_text

PROFILES = [p.id for p in default_model().profiles]


def profile_ids(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The profiles of the model ``text`` and its problems as (path, message)."""
    result = load_model_text(text, "model.yaml")
    assert result.model is not None
    problems = [(p.path, p.message) for p in result.problems]
    return [p.id for p in result.model.profiles], problems


@pytest.mark.parametrize("entry", ["profile:life-critical", "life-critical"])
def test_remove_drops_a_profile(entry: str) -> None:
    ids, problems = profile_ids(f"extends: default\nremove: [{entry}]\n")
    assert problems == []
    assert ids == [p for p in PROFILES if p != "life-critical"]


def test_a_removed_profile_goes_after_its_overrides() -> None:
    ids, problems = profile_ids(
        "extends: default\nprofiles:\n  - id: experiment\n    strict: [data]\n"
        "remove: [profile:experiment]\n"
    )
    assert problems == [] and "experiment" not in ids


def test_a_bare_name_means_the_block_before_a_profile_of_that_id() -> None:
    """A profile named like a block: the bare name removes the block, as it always did."""
    text = (
        "extends: default\nprofiles:\n  - id: storage\n    title: Storage-heavy\n"
        "    required: [storage]\n"
    )
    ids, problems = profile_ids(text + "remove: [compute]\n")
    assert problems == [] and "storage" in ids  # positive control: the profile exists
    result = load_model_text(text + "remove: [storage]\n", "model.yaml")
    assert result.model is not None
    assert "storage" not in [b.id for b in result.model.blocks]
    assert "storage" in [p.id for p in result.model.profiles]
    ids, problems = profile_ids(text + "remove: [profile:storage]\n")
    assert problems == [] and "storage" not in ids


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "profile:life-critcal",
            "cannot remove 'profile:life-critcal': no profile has this id; "
            "did you mean 'life-critical' or 'performance-critical'?",
        ),
        ("profile:storage", "cannot remove 'profile:storage': no profile has this id"),
        (
            "life-critcal",
            "cannot remove 'life-critcal': no block, layer or profile has this id; "
            "did you mean 'life-critical' or 'performance-critical'?",
        ),
    ],
)
def test_removing_a_profile_that_does_not_exist(entry: str, message: str) -> None:
    ids, problems = profile_ids(f"extends: default\nremove: [compute, {entry}]\n")
    assert problems == [("remove[1]", message)]
    assert ids == PROFILES


PAGE = {
    "rst": ".. solution:: Triage\n   :id: triage\n   :profile: {profile}\n",
    "md": "```{{solution}} Triage\n:id: triage\n:profile: {profile}\n```\n",
}


@pytest.mark.parametrize("syntax", ["rst", "md"])
def test_a_solution_naming_a_removed_profile_is_told(project: Any, syntax: str) -> None:
    files = {
        "model.yaml": "extends: default\nremove: [profile:life-critical]\n",
        f"index.{syntax}": "# Triage\n\n" if syntax == "md" else "Triage\n======\n\n",
    }
    conf = 'mlrefarch_model = "model.yaml"\n'
    files[f"index.{syntax}"] += PAGE[syntax].format(profile="life-critical")
    app = project(files, conf)
    (found,) = mlrefarch_warnings(app, "unknown")
    assert "unknown profile 'life-critical' in :profile:" in found
    assert export_of(app)["solutions"]["triage"]["profiles"] == []
    # positive control: a profile that was kept applies
    files[f"index.{syntax}"] = files[f"index.{syntax}"].replace("life-critical", "production")
    again = project(files, conf, name="again")
    assert mlrefarch_warnings(again, "unknown") == []
    assert export_of(again)["solutions"]["triage"]["profiles"] == ["production"]
