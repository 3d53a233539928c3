"""Every warning subtype, triggered in rST and MyST, located, silenceable; exit statuses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sphinx
from helpers import mlrefarch_warnings, warnings_of
from sphinx.cmd.build import build_main

SOLUTION_RST = ".. solution:: Test solution\n   :id: test\n   :required: data-tools\n\n"
SOLUTION_MD = "```{solution} Test solution\n:id: test\n:required: data-tools\n```\n\n"

# subtype -> (rST body, MyST body, expected message part, line within the rST/MyST body)
CASES: dict[str, tuple[str, str, str, tuple[int, int]]] = {
    "unknown": (
        SOLUTION_RST + ".. abb:: data-tool\n",
        SOLUTION_MD + "```{abb} data-tool\n```\n",
        "unknown building block 'data-tool' in 'abb'; did you mean 'data-tools'",
        (5, 6),
    ),
    "option": (
        SOLUTION_RST + ".. abb:: data-tools\n   :status: done\n",
        SOLUTION_MD + "```{abb} data-tools\n:status: done\n```\n",
        "invalid value 'done' for :status: of 'abb'; expected one of 'addressed', 'partial', "
        "'planned', 'not-applicable'",
        (5, 6),
    ),
    "justification": (
        SOLUTION_RST + ".. abb:: data-tools\n   :status: not-applicable\n",
        SOLUTION_MD + "```{abb} data-tools\n:status: not-applicable\n```\n",
        "'abb' 'data-tools' is not-applicable but gives no justification",
        (5, 6),
    ),
    "duplicate": (
        SOLUTION_RST + ".. abb:: data-tools\n\n.. abb:: Data Tools\n   :status: partial\n",
        SOLUTION_MD + "```{abb} data-tools\n```\n\n```{abb} Data Tools\n:status: partial\n```\n",
        "building block 'data-tools' is declared twice in solution 'test': here and at ",
        (7, 9),
    ),
    "missing": (
        SOLUTION_RST + ".. abb:: data\n",
        SOLUTION_MD + "```{abb} data\n```\n",
        "solution 'test': required building block 'data-tools' (Data Tools) is missing",
        (1, 1),
    ),
    "hosting": (
        SOLUTION_RST
        + ".. abb:: data-tools\n\n.. hosting-choice:: Lab\n   :environment: training\n",
        SOLUTION_MD
        + "```{abb} data-tools\n```\n\n```{hosting-choice} Lab\n:environment: training\n```\n",
        "solution 'test' has hosting choices, but none covers 'production'",
        (1, 1),
    ),
    "scope": (
        ".. abb:: data-tools\n",
        "```{abb} data-tools\n```\n",
        "abb declared outside any solution",
        (1, 1),
    ),
    "ref": (
        SOLUTION_RST + ".. abb:: data-tools\n\nSee :abb:`data-tool`.\n",
        SOLUTION_MD + "```{abb} data-tools\n```\n\nSee {abb}`data-tool`.\n",
        "unknown building block 'data-tool' in :abb: role; did you mean 'data-tools'",
        (7, 9),
    ),
}


@pytest.mark.parametrize("syntax", ["rst", "md"])
@pytest.mark.parametrize("subtype", sorted(CASES))
def test_warning_subtype(project: Any, subtype: str, syntax: str) -> None:
    rst, md, message, lines = CASES[subtype]
    line = lines[0] if syntax == "rst" else lines[1]
    body = rst if syntax == "rst" else md
    title = "Page\n====\n\n" if syntax == "rst" else "# Page\n\n"
    offset = title.count("\n")
    app = project({f"index.{syntax}": title + body})
    found = mlrefarch_warnings(app, subtype)
    assert len(found) == 1, warnings_of(app)
    warning = found[0]
    assert message in warning
    assert re.search(rf"index\.{syntax}:{line + offset}: WARNING", warning), warning
    assert (Path(app.outdir) / "index.html").exists()  # the build went on


def test_model_warning_is_located(project: Any) -> None:
    model = (
        "extends: default\n"
        "blocks:\n"
        "  - id: feature-store\n"
        "    title: Feature Store\n"
        "    layer: dta\n"
    )
    app = project(
        {"index.rst": "Page\n====\n", "model.yaml": model}, conf='mlrefarch_model = "model.yaml"\n'
    )
    found = mlrefarch_warnings(app, "model")
    assert len(found) == 1
    assert (
        "model.yaml:5: WARNING: blocks[0].layer: block 'feature-store' names layer 'dta'"
        in (found[0])
    )
    assert "did you mean 'data'" in found[0]


def test_unreadable_model_file_is_located_in_conf(project: Any) -> None:
    app = project({"index.rst": "Page\n====\n"}, conf='mlrefarch_model = "nope.yaml"\n')
    found = mlrefarch_warnings(app, "model")
    assert len(found) == 2
    assert all("conf.py:4: WARNING" in w for w in found)
    assert "cannot read the model file" in found[0]
    assert "cannot be used; building without one" in found[1]
    assert (Path(app.outdir) / "index.html").exists()


def test_two_solutions_in_one_document(project: Any) -> None:
    app = project(
        {
            "index.rst": "Page\n====\n\n.. solution:: One\n\n.. solution:: Two\n",
        }
    )
    found = mlrefarch_warnings(app, "scope")
    assert len(found) == 1
    assert "index.rst:6: WARNING: a second 'solution' in one document" in found[0]
    assert "'one'" in found[0]


def test_unknown_option_name_is_an_option_warning(project: Any) -> None:
    app = project(
        {
            "index.rst": "Page\n====\n\n.. solution:: One\n   :statsu: draft\n",
            "other.md": "# Other\n\n```{solution} Two\n:ownr: me\n```\n",
        }
    )
    found = mlrefarch_warnings(app, "option")
    assert len(found) == 2
    assert "unknown option ':statsu:' for 'solution'; did you mean ':status:'?" in found[0]
    assert "unknown option ':ownr:' for 'solution'; did you mean ':owner:'?" in found[1]
    assert all("ERROR" not in w for w in warnings_of(app))


def test_suppress_warnings_per_subtype(project: Any) -> None:
    body = SOLUTION_RST + ".. abb:: data-tool\n\n.. abb:: data\n   :status: done\n"
    app = project(
        {"index.rst": "Page\n====\n\n" + body},
        conf='suppress_warnings = ["mlrefarch.unknown", "mlrefarch.missing"]\n',
    )
    assert mlrefarch_warnings(app, "unknown") == []
    assert mlrefarch_warnings(app, "missing") == []
    assert len(mlrefarch_warnings(app, "option")) == 1


def test_unknown_required_reference(project: Any) -> None:
    app = project(
        {"index.rst": "Page\n====\n\n.. solution:: One\n   :required: data, modelz\n"},
        conf='mlrefarch_required = ["data", "bogus"]\n',
    )
    unknown = mlrefarch_warnings(app, "unknown")
    assert any("conf.py:4: WARNING" in w and "'bogus'" in w for w in unknown)
    assert any("index.rst:4" in w and "'modelz' in :required:" in w for w in unknown)


def _write(src: Path, body: str, conf: str = "") -> None:
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text('extensions = ["sphinx_mlrefarch"]\n' + conf)
    (src / "index.rst").write_text("Page\n====\n\n" + body)


FULL = ".. solution:: Complete\n   :required: data-tools\n\n.. abb:: data-tools\n"
GAP = ".. solution:: Gappy\n   :required: data-tools\n"
#: sphinx-build's exit status when -W turns a warning into an error (2 before Sphinx 8.1)
W_ERROR = 1 if sphinx.version_info >= (8, 1) else 2


def test_exit_status_fail_on_missing(tmp_path: Path) -> None:
    _write(tmp_path / "gap", GAP, "mlrefarch_fail_on_missing = True\n")
    assert build_main(["-q", "-b", "html", str(tmp_path / "gap"), str(tmp_path / "o1")]) == 1
    _write(tmp_path / "full", FULL, "mlrefarch_fail_on_missing = True\n")
    assert build_main(["-q", "-b", "html", str(tmp_path / "full"), str(tmp_path / "o2")]) == 0


def test_exit_status_without_flag_and_with_w(tmp_path: Path) -> None:
    _write(tmp_path / "gap", GAP)
    assert build_main(["-q", "-b", "html", str(tmp_path / "gap"), str(tmp_path / "o1")]) == 0
    status = build_main(["-q", "-W", "-b", "html", str(tmp_path / "gap"), str(tmp_path / "o2")])
    assert status == W_ERROR
    _write(tmp_path / "full", FULL)
    assert build_main(["-q", "-W", "-b", "html", str(tmp_path / "full"), str(tmp_path / "o3")]) == 0


def test_missing_warning_repeats_on_unchanged_rebuild(tmp_path: Path, capsys: Any) -> None:
    """An incremental build with nothing to read must not hide a missing block from -W."""
    _write(tmp_path / "gap", GAP)
    out = str(tmp_path / "out")
    assert build_main(["-q", "-b", "html", str(tmp_path / "gap"), out]) == 0
    assert build_main(["-q", "-W", "-b", "html", str(tmp_path / "gap"), out]) == W_ERROR
    assert "[mlrefarch.missing]" in capsys.readouterr().err


def test_summary_line(project: Any) -> None:
    app = project({"index.rst": "Page\n====\n\n" + GAP})
    assert "mlrefarch: 1 solution(s), 0/1 required building blocks satisfied, 1 missing" in (
        app.status.getvalue()
    )


@pytest.mark.parametrize("syntax", ["rst", "md"])
def test_unknown_constraint_role_suggests_a_close_one(project: Any, syntax: str) -> None:
    if syntax == "rst":
        solution = SOLUTION_RST + ".. constraint:: Data stays in the EU\n   :id: eu\n\n"
        other = ".. solution:: Other\n   :id: other\n\n.. constraint:: Budget\n   :id: budget\n"
        roles = "See :constraint:`euu`, :constraint:`other/budgte` and :constraint:`zzz`.\n"
        pages = {"index.rst": "Page\n====\n\n" + solution + roles, "other.rst": "O\n=\n\n" + other}
    else:
        solution = SOLUTION_MD + "```{constraint} Data stays in the EU\n:id: eu\n```\n\n"
        other = "```{solution} Other\n:id: other\n```\n\n```{constraint} Budget\n:id: budget\n```\n"
        roles = (
            "See {mlrefarch:constraint}`euu`, {mlrefarch:constraint}`other/budgte` and "
            "{mlrefarch:constraint}`zzz`.\n"
        )
        pages = {"index.md": "# Page\n\n" + solution + roles, "other.md": "# O\n\n" + other}
    app = project(pages)
    found = sorted(mlrefarch_warnings(app, "ref"))
    assert len(found) == 3, warnings_of(app)
    by_target = {}
    for warning in found:
        target = re.search(r"unknown constraint '([^']+)'", warning)
        assert target is not None, warning
        by_target[target.group(1)] = warning
    assert "'solution-id/constraint-id'; did you mean 'eu'? [" in by_target["euu"]
    assert "; did you mean 'other/budget'? [" in by_target["other/budgte"]
    # nothing close: the advice only
    assert "or 'solution-id/constraint-id' [mlrefarch.ref]" in by_target["zzz"]
