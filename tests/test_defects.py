"""Defects found from outside (issue 8), each with a test that failed before the fix."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sphinx
from helpers import export_of, mlrefarch_warnings, warnings_of
from sphinx.cmd.build import build_main

from sphinx_mlrefarch.cli import main as mlrefarch_main
from sphinx_mlrefarch.coverage import compute
from sphinx_mlrefarch.model import load_model_text
from sphinx_mlrefarch.render.diagrams import model_diagram


def test_missing_model_file_is_named_in_every_model_warning(project: Any) -> None:
    app = project({"index.rst": "Page\n====\n"}, conf='mlrefarch_model = "nope.yaml"\n')
    found = mlrefarch_warnings(app, "model")
    assert len(found) == 2
    for warning in found:
        assert "nope.yaml" in warning.split("WARNING:", 1)[1], warning  # in the message itself
    assert "cannot read the model file" in found[0]
    assert "No such file or directory" in found[0]


def test_a_declaration_by_a_hosting_choice_is_via_hosting_choice(project: Any) -> None:
    app = project(
        {
            "index.rst": "Page\n====\n\n.. solution:: S\n   :required: hosting\n\n"
            ".. hosting-choice:: Lab\n   :environment: training, production\n"
        }
    )
    (declaration,) = export_of(app)["solutions"]["s"]["declarations"]
    assert (declaration["block"], declaration["via"]) == ("hosting", "hosting-choice")


# -- mlrefarch_required: one contract for the build and the command line ------------------


@pytest.mark.parametrize(
    ("value", "usable"),
    [
        ('"data, data-tools"', True),
        ('["data", "data-tools"]', True),
        ('("data", "data-tools")', True),
        ('{"data", "data-tools"}', False),  # a set has no order and is not part of the contract
        ('["data", 3]', False),
        ("5", False),
    ],
)
def test_required_setting_is_read_the_same_by_build_and_cli(
    project: Any, capsys: pytest.CaptureFixture[str], value: str, usable: bool
) -> None:
    page = "Page\n====\n\n.. solution:: S\n\n.. abb:: data\n\n.. abb:: data-tools\n"
    app = project({"index.rst": page}, conf=f"mlrefarch_required = {value}\n")
    options = [w for w in mlrefarch_warnings(app, "option") if "mlrefarch_required" in w]
    solution = export_of(app)["solutions"]["s"]
    status = mlrefarch_main(["check", "-q", str(app.srcdir)])
    err = capsys.readouterr().err
    if usable:
        assert options == []
        assert solution["required"] == ["data", "data-tools"]
        assert status == 0, err
    else:
        assert len(options) == 1
        assert "must be 'all', a comma-separated string or a list" in options[0]
        assert len(solution["required"]) == 20  # read as 'all', as the warning says
        assert status == 2
        assert "mlrefarch_required must be 'all'" in err


def test_unchanged_rebuild_does_not_say_the_configuration_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_mlrefarch"]\n', "utf-8")
    (src / "index.rst").write_text("Page\n====\n\n.. abb-coverage::\n", "utf-8")
    out = tmp_path / "out"
    assert build_main(["-b", "html", str(src), str(out)]) == 0
    assert (out / "_static" / "mlrefarch.css").is_file()  # the stylesheet is still shipped
    capsys.readouterr()
    assert build_main(["-b", "html", str(src), str(out)]) == 0
    status = capsys.readouterr().out
    assert "0 added, 0 changed, 0 removed" in status
    assert "configuration has changed" not in status, status
    # positive control: a real change of the configuration is noticed
    (src / "conf.py").write_text('extensions = ["sphinx_mlrefarch"]\nhtml_title = "T"\n', "utf-8")
    assert build_main(["-b", "html", str(src), str(out)]) == 0
    changed = capsys.readouterr().out
    assert "targets for 1 source files that are out of date" in changed, changed
    if sphinx.version_info >= (8, 1):  # Sphinx 8.1 started to name the changed options
        assert "configuration has changed" in changed


def test_fresh_and_incremental_pages_link_the_stylesheet_alike(tmp_path: Path) -> None:
    """The stylesheet is in ``_static`` before pages are written, so its link has a checksum."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_mlrefarch"]\n', "utf-8")
    (src / "index.rst").write_text("Page\n====\n\n.. abb-coverage::\n", "utf-8")
    (src / "other.rst").write_text("Other\n=====\n", "utf-8")

    def link(out: Path, page: str) -> str:
        found = re.search(
            r'<link [^>]*href="(_static/mlrefarch\.css[^"]*)"', (out / page).read_text()
        )
        assert found is not None, page
        return found.group(1)

    fresh = tmp_path / "fresh"
    assert build_main(["-q", "-b", "html", str(src), str(fresh)]) == 0
    assert link(fresh, "index.html").startswith("_static/mlrefarch.css?v=")
    (src / "other.rst").write_text("Other\n=====\n\nEdited.\n", "utf-8")
    assert build_main(["-q", "-b", "html", str(src), str(fresh)]) == 0  # rewrites other.html
    assert link(fresh, "other.html") == link(fresh, "index.html")
    # the same for a -j 2 build
    parallel = tmp_path / "parallel"
    assert build_main(["-q", "-j", "2", "-b", "html", str(src), str(parallel)]) == 0
    assert link(parallel, "index.html") == link(fresh, "index.html")


def test_mermaid_tooltips_are_escaped_like_labels() -> None:
    evil = 'Evil "><img src=x onerror=alert(1)>'
    result = load_model_text(
        "schema: 1\nid: m\ntitle: M\nlayers: [{id: l, title: L}]\n"
        f"blocks: [{{id: b, title: '{evil}', layer: l}}]\n"
    )
    assert result.model is not None and not result.problems
    code = model_diagram(result.model, None, {"b": "book.html#block-b"})
    (click,) = [line for line in code.splitlines() if line.strip().startswith("click ")]
    tooltip = click.split('" ', 1)[1]
    for char in "<>=":
        assert char not in tooltip, click
    assert tooltip == '"Evil #34;#62;#60;img src#61;x onerror#61;alert#40;1#41;#62;"'
    coverage = compute(result.model, ["b"], [])
    assert "<img" not in model_diagram(result.model, coverage.blocks, {"b": "x.html"})


# -- renamed objects: pages that link to them are written again ---------------------------


def test_renamed_solution_and_constraint_show_their_new_title_on_other_pages(
    make_app: Any, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_mlrefarch"]\n', "utf-8")
    (src / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   churn\n   notes\n", "utf-8")
    churn = src / "churn.rst"
    churn.write_text(
        "Churn\n=====\n\n.. solution:: Old solution title\n   :id: churn\n\n"
        ".. constraint:: Old constraint title\n   :id: eu\n   :aspect: security\n",
        "utf-8",
    )
    (src / "notes.rst").write_text(
        "Notes\n=====\n\nSee :solution:`churn` and :constraint:`churn/eu`.\n", "utf-8"
    )
    builddir = tmp_path / "build"
    make_app("html", srcdir=src, freshenv=True, builddir=builddir).build()
    churn.write_text(
        churn.read_text("utf-8")
        .replace("Old solution", "New solution")
        .replace("Old constraint", "New constraint"),
        "utf-8",
    )
    app = make_app("html", srcdir=src, builddir=builddir)
    written: list[str] = []
    app.connect("doctree-resolved", lambda _app, _tree, docname: written.append(docname))
    app.build()
    assert "notes" in written  # not read again, but written again
    page = (Path(app.outdir) / "notes.html").read_text("utf-8")
    assert "New solution title" in page and "Old solution title" not in page
    assert "New constraint title" in page and "Old constraint title" not in page
    # positive control: an unchanged rebuild writes nothing
    again = make_app("html", srcdir=src, builddir=builddir)
    again_written: list[str] = []
    again.connect("doctree-resolved", lambda _a, _t, docname: again_written.append(docname))
    again.build()
    assert again_written == []


# -- MyST option blocks with lists ----------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        "---\nstatus: partial\nsbb: [JupyterLab, pandas]\n---\n",
        "---\nstatus: partial\nsbb:\n  - JupyterLab\n  - pandas\n---\n",
        ":status: partial\n:sbb: [JupyterLab, pandas]\n",
    ],
)
def test_myst_yaml_option_lists(project: Any, options: str) -> None:
    app = project(
        {
            "index.md": "# Page\n\n```{solution} S\n:required: data-tools\n```\n\n"
            f"```{{abb}} data-tools\n{options}\nBody.\n```\n"
        }
    )
    assert warnings_of(app) == []
    (declaration,) = export_of(app)["solutions"]["s"]["declarations"]
    assert declaration["sbb"] == ["JupyterLab", "pandas"]
    assert declaration["status"] == "partial"
