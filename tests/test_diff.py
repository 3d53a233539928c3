"""``mlrefarch diff``: what is reported for each kind of change, and the exit status.

Two builds of a real project (:mod:`diff_project`) before and after a
change, compared through ``main([...])``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from diff_project import build_variants, diff_json, run


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_variants(tmp_path_factory.mktemp("diff"))


# --------------------------------------------------------------------------
# what is reported
# --------------------------------------------------------------------------


def test_builds_are_what_the_tests_assume(builds: dict[str, Path]) -> None:
    """Positive control for the fixture: the variants really differ as intended."""
    base = json.loads((builds["base"] / "mlrefarch.json").read_text("utf-8"))
    churn = base["solutions"]["churn"]["coverage"]
    assert (churn["satisfied"], churn["required"]) == (8, 8)
    assert base["solutions"]["defect-detection"]["coverage"]["missing"] == ["ml-frameworks"]
    regressed = json.loads((builds["regressed"] / "mlrefarch.json").read_text("utf-8"))
    assert regressed["solutions"]["churn"]["coverage"]["satisfied"] == 6
    assert set(regressed["solutions"]) == {"churn", "defect-detection", "fraud"}


@pytest.mark.parametrize("fail_on", ["regression", "change", "never"])
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_identical_builds_exit_0_and_say_no_change(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path], fail_on: str, fmt: str
) -> None:
    status, out, err = run(
        capsys, "diff", builds["base"], builds["same"], "--format", fmt, "--fail-on", fail_on
    )
    assert (status, err) == (0, "")
    if fmt == "json":
        data = json.loads(out)
        assert (data["regressions"], data["changed"]) == (0, False)
        assert data["solutions"]["unchanged"] == 2
    else:
        assert ("no regression" if fmt == "text" else "No regression") in out
        assert "No change" in out


def test_regressed_change_reported_in_full(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path]
) -> None:
    data = diff_json(capsys, builds["base"], builds["regressed"])
    assert data["version"] == 1
    assert data["regressions"] == 2
    assert [(r["solution"], r["kind"], r["block"]) for r in data["regression_details"]] == [
        ("churn", "block", "data-tools"),
        ("churn", "block", "programming-tools"),
    ]
    assert [s["id"] for s in data["solutions"]["added"]] == ["fraud"]
    assert data["solutions"]["removed"] == []
    assert data["solutions"]["unchanged"] == 1  # defect-detection
    (churn,) = data["solutions"]["changed"]
    assert churn["id"] == "churn"
    assert churn["before"] == {"satisfied": 8, "required": 8, "percent": 100.0}
    assert churn["after"] == {"satisfied": 6, "required": 8, "percent": 75.0}
    assert churn["delta"] == -25.0
    assert churn["status_changes"] == [
        {"block": "data-tools", "old": "addressed", "new": "missing"},
        {"block": "programming-tools", "old": "addressed", "new": "planned"},
    ]
    assert churn["newly_missing"] == ["data-tools", "programming-tools"]
    assert churn["constraints"] == {
        "added": [],
        "removed": [],
        "changed": [
            {
                "id": "eu-residency",
                "title": "Customer data stays in the EU",
                "fields": [
                    {"field": "affects", "old": ["data", "storage"], "new": ["data"]},
                    {"field": "priority", "old": "must", "new": "should"},
                ],
            }
        ],
    }
    assert churn["hosting"] == {
        "added": ["Edge gateway"],
        "removed": ["Inference service"],
        "changed": [],
    }
    assert data["model"]["blocks_added"] == data["model"]["blocks_removed"] == []


@pytest.mark.parametrize(("fail_on", "expected"), [("regression", 1), ("change", 1), ("never", 0)])
def test_regression_exit_status(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path], fail_on: str, expected: int
) -> None:
    status, out, err = run(
        capsys, "diff", builds["base"], builds["regressed"], "--fail-on", fail_on
    )
    assert (status, err) == (expected, "")
    assert "2 regressions" in out


def test_default_fail_on_is_regression(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path]
) -> None:
    assert run(capsys, "diff", builds["base"], builds["regressed"])[0] == 1
    assert run(capsys, "diff", builds["base"], builds["improved"])[0] == 0


def test_the_reverse_change_is_no_regression(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path]
) -> None:
    """Undoing the regression: coverage rises, a solution disappears (that alone regresses)."""
    data = diff_json(capsys, builds["regressed"], builds["base"])
    assert [(r["solution"], r["kind"]) for r in data["regression_details"]] == [
        ("fraud", "removed")
    ]
    (churn,) = data["solutions"]["changed"]
    assert churn["delta"] == 25.0
    assert churn["newly_missing"] == []


def test_removed_solution_is_a_regression(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path]
) -> None:
    status, out, _ = run(capsys, "diff", builds["base"], builds["removed"])
    assert status == 1
    assert "- Defect detection [defect-detection]: removed (was 1/2 (50.0%))  REGRESSION" in out
    data = diff_json(capsys, builds["base"], builds["removed"])
    assert [s["id"] for s in data["solutions"]["removed"]] == ["defect-detection"]
    assert data["regressions"] == 1


@pytest.mark.parametrize(("fail_on", "expected"), [("regression", 0), ("change", 1), ("never", 0)])
def test_improvement_is_a_change_not_a_regression(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path], fail_on: str, expected: int
) -> None:
    status, out, _ = run(capsys, "diff", builds["base"], builds["improved"], "--fail-on", fail_on)
    assert status == expected
    assert (
        "  Defect detection [defect-detection]: 1/2 (50.0%) -> 2/2 (100.0%), +50.0 points\n" in out
    )
    assert "      ml-frameworks: planned -> addressed" in out
    assert "      constraint added: images-stay-on-site" in out
    assert "REGRESSION" not in out


@pytest.mark.parametrize(("fail_on", "expected"), [("regression", 0), ("change", 1), ("never", 0)])
def test_model_change(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path], fail_on: str, expected: int
) -> None:
    status, out, _ = run(
        capsys,
        "diff",
        builds["base"],
        builds["model"],
        "--format",
        "markdown",
        "--fail-on",
        fail_on,
    )
    assert status == expected
    # churn requires the layer 'data', so the block the model adds there is now required
    assert (
        "| Customer churn prediction (`churn`) | 8/8 (100.0%) | 8/9 (88.9%) | -11.1 points |" in out
    )
    assert "- now required: `feature-store`\n- newly missing: `feature-store`\n" in out
    assert "- blocks added: `feature-store` (Feature Store)" in out
    assert "- blocks removed: `networking` (Networking)" in out
    assert out.index("### Customer churn prediction") < out.index("### Model")
    assert "**No regression.**" in out  # a block new to the model was never satisfied
    data = diff_json(capsys, builds["base"], builds["model"])
    assert data["model"]["blocks_added"] == ["feature-store"]
    assert data["model"]["blocks_removed"] == ["networking"]
    assert [s["id"] for s in data["solutions"]["changed"]] == ["churn"]
    # the status of a block only one model has is no status change
    assert data["solutions"]["changed"][0]["status_changes"] == []


def test_files_and_directories_are_both_accepted(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path]
) -> None:
    by_dir = run(capsys, "diff", builds["base"], builds["regressed"], "--format", "json")
    by_file = run(
        capsys,
        "diff",
        builds["base"] / "mlrefarch.json",
        builds["regressed"] / "mlrefarch.json",
        "--format",
        "json",
    )
    assert by_dir == by_file
    assert by_dir[0] == 1
