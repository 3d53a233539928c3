"""``mlrefarch diff`` output: Markdown, text and JSON; files of other releases; start-up.

The builds are those of :mod:`diff_project`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from diff_project import build_variants, run

import sphinx_mlrefarch


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_variants(tmp_path_factory.mktemp("diff"))


# --------------------------------------------------------------------------
# formats
# --------------------------------------------------------------------------


def test_markdown_summary_before_details(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path]
) -> None:
    status, out, _ = run(
        capsys, "diff", builds["base"], builds["regressed"], "--format", "markdown"
    )
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == "## mlrefarch diff"
    assert "**2 regressions.**" in lines
    table = lines.index("| Solution | Before | After | Change |")
    details = lines.index("### Customer churn prediction (`churn`)")
    assert table < details
    rows = lines[table + 2 : table + 4]
    # the regression comes first and is marked; the added solution's title is escaped
    assert rows[0] == (
        "| Customer churn prediction (`churn`) | 8/8 (100.0%) | 6/8 (75.0%) | "
        "-25.0 points, **regression** |"
    )
    assert (
        rows[1]
        == "| Fraud \\| \\*alerts\\* \\<b\\> (`fraud`) | \N{EN DASH} | 1/1 (100.0%) | added |"
    )
    body = lines[details:]
    assert "- `data-tools`: addressed -> missing" in body
    assert "- `programming-tools`: addressed -> planned" in body
    assert "- newly missing: `data-tools`, `programming-tools`" in body
    assert (
        "- constraint `eu-residency` changed: affects data, storage -> data; "
        "priority must -> should" in body
    )
    assert '- hosting choice added: "Edge gateway"' in body
    assert '- hosting choice removed: "Inference service"' in body
    assert "1 other solution unchanged." in lines


def test_markdown_of_no_regression(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path]
) -> None:
    _, out, _ = run(capsys, "diff", builds["base"], builds["improved"], "--format", "markdown")
    assert "**No regression.**" in out
    assert (
        "| Defect detection (`defect-detection`) | 1/2 (50.0%) | 2/2 (100.0%) | +50.0 points |"
        in out
    )
    assert "**regression**" not in out


def test_markdown_without_coverage_change(
    capsys: pytest.CaptureFixture[str], builds: dict[str, Path], tmp_path: Path
) -> None:
    data = json.loads((builds["base"] / "mlrefarch.json").read_text("utf-8"))
    data["solutions"]["churn"]["hosting"][0]["provider"] = "Own | data center"
    (tmp_path / "mlrefarch.json").write_text(json.dumps(data), "utf-8")
    status, out, _ = run(capsys, "diff", builds["base"], tmp_path, "--format", "markdown")
    assert status == 0
    lines = out.splitlines()
    assert lines.index("No change in coverage.") < lines.index(
        "| Solution | Before | After | Change |"
    )
    assert (
        "| Customer churn prediction (`churn`) | 8/8 (100.0%) | 8/8 (100.0%) | coverage unchanged |"
        in lines
    )
    assert (
        '- hosting choice "GPU training cluster" changed: provider (none) -> Own \\| data center'
        in lines
    )


def test_text_format(capsys: pytest.CaptureFixture[str], builds: dict[str, Path]) -> None:
    status, out, _ = run(capsys, "diff", builds["base"], builds["regressed"])
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == "mlrefarch diff: 2 regressions"
    churn = lines.index(
        "  Customer churn prediction [churn]: 8/8 (100.0%) -> 6/8 (75.0%), -25.0 points  REGRESSION"
    )
    assert lines[churn + 1 :].index("      data-tools: addressed -> missing") >= 0
    assert "+ Fraud | *alerts* <b> [fraud]: added, 1/1 (100.0%)" in lines
    assert '      hosting choice added: "Edge gateway"' in lines
    assert "1 solution unchanged." in lines


def test_json_is_stable(capsys: pytest.CaptureFixture[str], builds: dict[str, Path]) -> None:
    first = run(capsys, "diff", builds["base"], builds["regressed"], "--format", "json")[1]
    second = run(capsys, "diff", builds["base"], builds["regressed"], "--format", "json")[1]
    assert first == second
    data = json.loads(first)
    assert list(data) == [
        "version",
        "regressions",
        "changed",
        "regression_details",
        "solutions",
        "model",
        "imports",
        "catalogue",
    ]


# --------------------------------------------------------------------------
# other releases' files: unknown keys ignored, absent optional keys fine
# --------------------------------------------------------------------------


def _grown(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the keys release 0.2 adds and some a later release might.

    Keys the file has keep their values: the catalogue, imports and
    ``sbb_resolved`` are compared, so other values would be a change.
    """
    data.setdefault("catalogue", {"id": "default", "title": "C", "entries": []})
    data.setdefault("imports", [])
    data["model"].setdefault("profiles", [{"id": "production"}])
    for solution in data["solutions"].values():
        solution.setdefault("profiles", ["production"])
        solution.setdefault("strict", [])
        solution["coverage"]["future"] = {"anything": 1}
        for declaration in solution["declarations"]:
            declaration["uri"] = f"{solution['docname']}.html#x"
            unknown = {"id": None, "licence": None, "foss": None}
            declaration.setdefault(
                "sbb_resolved", [{"name": n, **unknown} for n in declaration["sbb"]]
            )
        for entry in solution["constraints"] + solution["hosting"]:
            entry["uri"] = "page.html#anchor"
    return data


def _shrunk(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the keys the comparison does not need."""
    for key in ("totals", "catalogue", "imports"):
        data.pop(key)
    for block in data["model"]["blocks"].values():
        block.pop("summary")
    for solution in data["solutions"].values():
        for key in ("docname", "line", "documents", "declarations", "owner", "status"):
            solution.pop(key, None)
        for entry in solution["constraints"] + solution["hosting"]:
            entry.pop("docname")
            entry.pop("line")
    return data


@pytest.mark.parametrize("change", [_grown, _shrunk])
@pytest.mark.parametrize("direction", ["old", "new"])
def test_other_releases_compare_without_change(
    capsys: pytest.CaptureFixture[str],
    builds: dict[str, Path],
    tmp_path: Path,
    change: Any,
    direction: str,
) -> None:
    real = builds["base"] / "mlrefarch.json"
    other = tmp_path / "mlrefarch.json"
    other.write_text(json.dumps(change(json.loads(real.read_text("utf-8")))), "utf-8")
    pair = (real, other) if direction == "new" else (other, real)
    status, out, err = run(capsys, "diff", *pair, "--fail-on", "change")
    assert (status, err) == (0, "")
    assert "No change" in out
    # positive control: a real change in such a file is still seen
    data = change(json.loads(real.read_text("utf-8")))
    data["solutions"]["churn"]["constraints"][0]["priority"] = "could"
    other.write_text(json.dumps(data), "utf-8")
    status, out, _ = run(capsys, "diff", *pair, "--fail-on", "change")
    assert status == 1
    assert "constraint eu-residency changed: priority " in out


# --------------------------------------------------------------------------
# the command itself: --version, and start-up without Sphinx
# --------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"mlrefarch {sphinx_mlrefarch.__version__}\n", "")


#: Runs ``cmd_diff`` with ``sphinx`` and ``docutils`` made unimportable. The packages
#: ``sphinx_mlrefarch`` and ``sphinx_mlrefarch.cli`` are stand-ins without their
#: ``__init__`` code, which wires the Sphinx extension and every other command: what
#: is tested is the code ``mlrefarch diff`` itself runs.
WITHOUT_SPHINX = """\
import argparse, importlib.abc, importlib.util, sys

class NoSphinx(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("sphinx", "docutils"):
            raise ImportError("the diff imported " + name)
        return None

sys.meta_path.insert(0, NoSphinx())
package = sys.argv[1]
for name, folder in (("sphinx_mlrefarch", package), ("sphinx_mlrefarch.cli", package + "/cli")):
    spec = importlib.util.spec_from_file_location(
        name, folder + "/__init__.py", submodule_search_locations=[folder]
    )
    sys.modules[name] = importlib.util.module_from_spec(spec)
__import__(sys.argv[2])
if sys.argv[2].endswith("cli.diff"):
    from sphinx_mlrefarch.cli.diff import cmd_diff
    args = argparse.Namespace(old=sys.argv[3], new=sys.argv[4], format="markdown", fail_on="change")
    sys.exit(cmd_diff(args))
"""


def test_diff_runs_without_sphinx(builds: dict[str, Path]) -> None:
    package = str(Path(sphinx_mlrefarch.__file__).parent)

    def run_without_sphinx(module: str) -> subprocess.CompletedProcess[str]:
        argv = [package, module, str(builds["base"]), str(builds["regressed"])]
        return subprocess.run(
            [sys.executable, "-c", WITHOUT_SPHINX, *argv],
            capture_output=True,
            text=True,
            check=False,
        )

    result = run_without_sphinx("sphinx_mlrefarch.cli.diff")
    assert result.returncode == 1, result.stderr
    assert "| Customer churn prediction (`churn`) | 8/8 (100.0%) |" in result.stdout
    # positive control: the guard does stop a module that needs Sphinx
    control = run_without_sphinx("sphinx_mlrefarch.domain")
    assert control.returncode == 1
    assert "ImportError: the diff imported " in control.stderr
