"""The ``mlrefarch`` command: every subcommand and every exit status.

Commands are called in-process through ``main([...])`` so that pytest's
``capsys`` sees stdout and stderr; one test runs the module as a process to
prove the console entry point works.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import ROOTS, copy_root
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from sphinx_mlrefarch.cli import main

COVERED = ROOTS / "test-cli-covered"
MISSING = ROOTS / "test-cli-missing"
BADMODEL = ROOTS / "test-cli-badmodel"

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

EXTENDING_MODEL = """\
extends: default
blocks:
  - id: feature-store
    title: Feature Store
    layer: data
    summary: One place for the features that training and serving share.
    questions:
      - Which features are shared between training and serving?
remove: [networking]
"""

BAD_LAYER_MODEL = """\
extends: default
blocks:
  - id: feature-store
    title: Feature Store
    layer: dta
"""

BROKEN_YAML = "extends: default\nblocks: [{id: feature-store, title: x\n  layer: data\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command; return its exit status, stdout and stderr (without colours)."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, _ANSI.sub("", err)


def assert_clean_error(err: str) -> None:
    """A user error is one ``mlrefarch: error:`` line, never a traceback."""
    assert "Traceback" not in err
    assert re.search(r"^mlrefarch: error: \S", err, re.MULTILINE), err


# --------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------


def test_check_fully_covered_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", str(COVERED))
    assert status == 0, err
    assert "Fully covered [covered]" in out
    assert "20 of 20 required building blocks addressed (100.0%)" in out
    assert "[mlrefarch." not in err


def test_check_missing_text_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", "-q", str(MISSING))
    assert status == 1
    assert "Customer churn prediction [churn]" in out
    assert "2 of 20 required building blocks addressed (10.0%)" in out
    assert "  - networking (Networking): missing" in out
    assert "  - compute (GPU, CPU or TPU): planned" in out
    assert "  - data " not in out
    # the build's warnings go to stderr, the report alone to stdout
    assert err.count("[mlrefarch.missing]") == 18
    assert "[mlrefarch." not in out
    # -q silences Sphinx's progress output
    assert "Running Sphinx" not in err


def test_check_missing_json_is_the_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, _err = run(
        capsys, "check", str(MISSING), "--format", "json", "--builddir", str(tmp_path)
    )
    assert status == 1
    data = json.loads(out)
    churn = data["solutions"]["churn"]
    assert churn["title"] == "Customer churn prediction"
    assert "networking" in churn["coverage"]["missing"]
    assert "compute" in churn["coverage"]["missing"]
    assert "data" not in churn["coverage"]["missing"]
    assert len(churn["coverage"]["missing"]) == 18
    assert churn["coverage"]["blocks"]["compute"] == "planned"
    assert churn["coverage"]["percent"] == 10.0
    # --builddir keeps the build, and stdout is the builder's mlrefarch.json
    assert (tmp_path / "mlrefarch" / "mlrefarch.json").read_text("utf-8") == out
    assert (tmp_path / "mlrefarch" / "mlrefarch-report.txt").is_file()


def test_check_missing_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "check", "-q", str(MISSING), "--format", "markdown")
    assert status == 1
    assert "| Solution | Status | Coverage | Missing |" in out
    row = next(line for line in out.splitlines() if "`churn`" in line)
    assert row.startswith("| Customer churn prediction (`churn`) | draft | 2/20 (10.0%) |")
    assert "`networking` (missing)" in row
    assert "`compute` (planned)" in row


def test_check_required_option_overrides_config(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "check", "-q", str(MISSING))
    assert status == 1
    # 'data' is both a layer and a block; both are fully addressed in this project
    status, out, _err = run(capsys, "check", "-q", str(MISSING), "--required", "data")
    assert status == 0
    assert "required building blocks addressed (100.0%)" in out
    status, out, _err = run(capsys, "check", "-q", str(MISSING), "--required", "data-tools")
    assert status == 0
    assert "1 of 1 required building blocks addressed (100.0%)" in out
    # a planned block does not count as addressed
    status, out, _err = run(capsys, "check", "-q", str(MISSING), "--required", "data, compute")
    assert status == 1
    assert "  - compute (GPU, CPU or TPU): planned" in out
    # a layer id stands for its blocks
    status, out, _err = run(capsys, "check", "-q", str(MISSING), "--required", "quality")
    assert status == 1
    assert "0 of 3 required building blocks addressed" in out


@pytest.mark.parametrize("required", ["datx", " , "])
def test_check_bad_required_option_exits_2(
    capsys: pytest.CaptureFixture[str], required: str
) -> None:
    status, out, err = run(capsys, "check", "-q", str(MISSING), "--required", required)
    assert status == 2
    assert out == ""
    assert_clean_error(err)
    assert "--required" in err


def test_check_required_option_problem_is_not_placed_in_conf(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An unknown id given to --required is the option's problem, not a conf.py line's."""
    status, _out, err = run(capsys, "check", "-q", str(MISSING), "--required", "nope, data")
    assert status == 2
    warnings = [line for line in err.splitlines() if "WARNING" in line]
    assert len(warnings) == 1, err
    assert warnings[0].startswith("WARNING: --required names 'nope'"), warnings
    assert "conf.py" not in err and "mlrefarch_required" not in err


def test_check_parallel(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "check", "-q", "-j", "2", str(COVERED))
    assert status == 0
    assert "(100.0%)" in out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_parallel_equals_serial(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    """-j 2 gives the serial verdict, report and warnings (test-basic has 8 documents)."""
    basic = ROOTS / "test-basic"
    serial = run(capsys, "check", "-q", "--format", fmt, str(basic))
    parallel = run(capsys, "check", "-q", "-j", "2", "--format", fmt, str(basic))
    assert serial[0] == parallel[0] == 1  # the basic project has gaps
    assert parallel[1] == serial[1]
    assert sorted(parallel[2].splitlines()) == sorted(serial[2].splitlines())
    assert "[mlrefarch.missing]" in serial[2]


def test_check_separate_confdir(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    confdir = tmp_path / "conf"
    confdir.mkdir()
    shutil.copy(COVERED / "conf.py", confdir / "conf.py")
    status, _out, err = run(capsys, "check", "-q", str(COVERED), "-c", str(confdir))
    assert status == 0, err


def test_check_nonexistent_source_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = run(capsys, "check", str(tmp_path / "nope"))
    assert status == 2
    assert out == ""
    assert_clean_error(err)
    assert "does not exist" in err


def test_check_without_conf_py_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "index.rst").write_text("Title\n=====\n", "utf-8")
    status, out, err = run(capsys, "check", str(tmp_path))
    assert status == 2
    assert out == ""
    assert_clean_error(err)
    assert "conf.py" in err


def test_check_broken_model_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", "-q", str(BADMODEL))
    assert status == 2
    assert out == ""
    assert_clean_error(err)
    assert "[mlrefarch.model]" in err
    assert "broken.yaml" in err


def test_check_model_with_problems_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A usable model that lost an entry is still an error: the verdict would be off."""
    project = copy_root("cli-missing", tmp_path / MISSING.name)
    (project / "model.yaml").write_text(BAD_LAYER_MODEL, "utf-8")
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('mlrefarch_model = "model.yaml"\n')
    status, out, err = run(capsys, "check", "-q", str(project), "--required", "data")
    assert status == 2
    assert out == ""
    assert_clean_error(err)
    assert "blocks[0].layer" in err


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("mlrefarch_required = 5", "mlrefarch_required"),
        ('mlrefarch_required = ["data", "no-such-block"]', "no-such-block"),
        ("mlrefarch_model = 3", "mlrefarch_model"),
        ("raise ValueError('boom in conf')", "boom in conf"),
    ],
)
def test_check_bad_configuration_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, line: str, expected: str
) -> None:
    project = copy_root("cli-missing", tmp_path / MISSING.name)
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(line + "\n")
    status, out, err = run(capsys, "check", "-q", str(project))
    assert status == 2
    assert out == ""
    assert_clean_error(err)
    error_line = next(x for x in err.splitlines() if x.startswith("mlrefarch: error:"))
    assert expected in error_line


def test_check_project_without_solutions_exits_0(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["sphinx_mlrefarch"]\n', "utf-8")
    (tmp_path / "index.rst").write_text("Nothing\n=======\n\nNo solutions here.\n", "utf-8")
    status, out, _err = run(capsys, "check", "-q", str(tmp_path))
    assert status == 0
    assert "No solutions declared." in out


# --------------------------------------------------------------------------
# model show / schema / validate
# --------------------------------------------------------------------------


def test_model_show_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "model", "show")
    assert status == 0
    data = yaml.safe_load(out)
    assert data["schema"] == 1
    assert len(data["blocks"]) == 20
    assert [layer["id"] for layer in data["layers"]] == [
        "business",
        "data",
        "development",
        "infrastructure",
        "quality",
    ]


def test_model_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "model", "show", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert len(data["blocks"]) == 20
    assert data["blocks"][0]["id"] == "business-processes"


def test_model_show_extending_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    model = tmp_path / "model.yaml"
    model.write_text(EXTENDING_MODEL, "utf-8")
    status, out, err = run(capsys, "model", "show", "--model", str(model), "--format", "json")
    assert status == 0
    assert err == ""
    blocks = {b["id"]: b for b in json.loads(out)["blocks"]}
    assert blocks["feature-store"]["title"] == "Feature Store"
    assert blocks["feature-store"]["layer"] == "data"
    assert "networking" not in blocks
    assert len(blocks) == 20


def test_model_show_problems_but_usable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    model = tmp_path / "model.yaml"
    model.write_text(BAD_LAYER_MODEL, "utf-8")
    status, out, err = run(capsys, "model", "show", "--model", str(model))
    assert status == 0
    assert f"{model}:5: blocks[0].layer: " in err
    assert len(yaml.safe_load(out)["blocks"]) == 20


def test_model_show_unusable_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    model = tmp_path / "model.yaml"
    model.write_text(BROKEN_YAML, "utf-8")
    status, out, err = run(capsys, "model", "show", "--model", str(model))
    assert status == 2
    assert out == ""
    assert_clean_error(err)
    assert re.search(rf"^{re.escape(str(model))}:\d+: ", err, re.MULTILINE)


def test_model_schema(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "model", "schema")
    assert status == 0
    schema = json.loads(out)
    assert "$schema" in schema
    assert "blocks" in schema["properties"]


def test_model_validate_valid(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    model = tmp_path / "model.yaml"
    model.write_text(EXTENDING_MODEL, "utf-8")
    status, out, _err = run(capsys, "model", "validate", str(model))
    assert status == 0
    assert out == f"{model}: valid (20 blocks in 5 layers)\n"


def test_model_show_output_validates(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """What ``model show`` prints is a complete model file of its own."""
    _status, out, _err = run(capsys, "model", "show")
    model = tmp_path / "full.yaml"
    model.write_text(out, "utf-8")
    status, out, _err = run(capsys, "model", "validate", str(model))
    assert status == 0
    assert out.endswith("valid (20 blocks in 5 layers)\n")


def test_model_validate_bad_layer_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    model = tmp_path / "model.yaml"
    model.write_text(BAD_LAYER_MODEL, "utf-8")
    status, out, _err = run(capsys, "model", "validate", str(model))
    assert status == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{model}:5: blocks[0].layer: ")
    assert "'dta'" in lines[0]
    assert lines[-1] == f"{model}: 1 problem(s)"


@pytest.mark.parametrize("content", [BROKEN_YAML, None])
def test_model_validate_unusable_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None
) -> None:
    model = tmp_path / "model.yaml"
    if content is not None:
        model.write_text(content, "utf-8")
    status, out, err = run(capsys, "model", "validate", str(model))
    assert status == 2
    assert "Traceback" not in out + err
    assert out.startswith(f"{model}")
    assert "problem(s)" in out.splitlines()[-1]


# --------------------------------------------------------------------------
# new
# --------------------------------------------------------------------------


def build_html(srcdir: Path) -> str:
    """Build ``srcdir`` with Sphinx's HTML builder; return its warnings, without colours."""
    warnings = io.StringIO()
    with docutils_namespace():
        app = Sphinx(
            srcdir=srcdir,
            confdir=srcdir,
            outdir=srcdir / "_build" / "html",
            doctreedir=srcdir / "_build" / "doctrees",
            buildername="html",
            status=None,
            warning=warnings,
            freshenv=True,
        )
        app.build()
    return _ANSI.sub("", warnings.getvalue())


@pytest.mark.parametrize("fmt", ["rst", "md"])
@pytest.mark.parametrize(
    "title",
    [
        "Customer churn prediction",
        "*Churn* v2_ `beta` | für alle",
        # punctuation left unescaped inside the text, escaped where it starts it
        "- Churn, v2: a/b (new)? .. & $x$ #team; ok!",
        ".. not a comment",
    ],
)
def test_new_builds_with_only_missing_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str, title: str
) -> None:
    status, out, _err = run(capsys, "new", title, "--format", fmt)
    assert status == 0
    project = tmp_path / "project"
    project.mkdir()
    (project / "conf.py").write_text(
        'extensions = ["sphinx_mlrefarch", "myst_parser"]\n'
        'myst_enable_extensions = ["colon_fence"]\n',
        "utf-8",
    )
    (project / f"index.{fmt}").write_text(out, "utf-8")

    warnings = [line for line in build_html(project).splitlines() if line.strip()]
    assert all("[mlrefarch.missing]" in line for line in warnings), warnings
    assert len(warnings) == 20
    assert all("only planned" in line for line in warnings)

    # the title is text, not markup, in the page heading
    page = (project / "_build" / "html" / "index.html").read_text("utf-8")
    assert f"<h1>{html.escape(title, quote=False)}<a" in page

    status, report, _err = run(capsys, "check", "-q", str(project), "--format", "json")
    assert status == 1
    (solution,) = json.loads(report)["solutions"].values()
    assert solution["title"] == title
    assert solution["owner"] == "TODO"
    assert set(solution["coverage"]["blocks"].values()) == {"planned"}


def test_new_rst_content(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "new", "Customer churn prediction")
    assert status == 0
    lines = out.splitlines()
    assert lines[:2] == ["Customer churn prediction", "========================="]
    assert ".. solution:: Customer churn prediction" in lines
    assert "   :id: customer-churn-prediction" in lines
    assert "   :owner: TODO" in lines
    assert "   :status: draft" in lines
    assert out.count(".. abb:: ") == 20
    assert out.count("   :status: planned") == 20
    assert ":sbb:\n" not in out
    assert "      - Which business processes does the ML system change" in out
    assert lines[-1] == ".. abb-coverage::"
    # titles read as written: commas need no escape in headings and text
    assert "Security, Privacy and Safety" in lines
    assert "   TODO: describe how this solution addresses People, Skills and Culture, then" in out


def test_new_md_content(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "new", "Customer churn", "--format", "md", "--id", "churn")
    assert status == 0
    assert out.startswith("# Customer churn\n\n```{solution} Customer churn\n:id: churn\n")
    assert out.count("```{abb} ") == 20
    assert "## Infrastructure\n" in out
    assert "% - Which business processes does the ML system change" in out
    assert out.rstrip().endswith("```{abb-coverage}\n```")


def test_new_with_extending_model(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    model = tmp_path / "model.yaml"
    model.write_text(EXTENDING_MODEL, "utf-8")
    status, out, _err = run(capsys, "new", "Churn", "--model", str(model))
    assert status == 0
    assert ".. abb:: feature-store" in out
    assert "Which features are shared between training and serving?" in out
    assert ".. abb:: networking" not in out


@pytest.mark.parametrize(
    "argv",
    [
        ["new", "Churn", "--id", "Not An Id"],
        ["new", "   "],
        ["new", "!!!"],
        ["new", "Churn", "--model", "/nonexistent/model.yaml"],
    ],
)
def test_new_user_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert_clean_error(err)


# --------------------------------------------------------------------------
# usage
# --------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [[], ["model"]])
def test_missing_command_prints_usage_and_exits_2(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    status, _out, err = run(capsys, *argv)
    assert status == 2
    assert "usage: mlrefarch" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(capsys, "check", str(COVERED), "--format", "html")
    assert status == 2
    assert "invalid choice" in err
    status, _out, err = run(capsys, "check", str(COVERED), "-j", "0")
    assert status == 2


def test_help_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "check", "--help")
    assert status == 0
    assert "--required" in out


def test_console_script_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_mlrefarch.cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: mlrefarch")
    for command in ("check", "model", "new"):
        assert command in result.stdout
