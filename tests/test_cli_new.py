"""``mlrefarch new``: the catalogue's FOSS products as comments beside each block.

The skeleton itself (headings, directives, ids, user errors) is tested in
``test_cli.py``; this module covers the suggestions and ``--catalogue``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from cli_helpers import (
    BROKEN_YAML,
    NO_CONTAINERS_MODEL,
    assert_clean_error,
    build_html,
    run,
    write,
)

from sphinx_mlrefarch.catalogue import default_catalogue
from sphinx_mlrefarch.cli.new import render_myst, render_rst
from sphinx_mlrefarch.model import default_model

SEE = "see `mlrefarch catalogue show`"

CONTAINERS = (
    "FOSS options in the catalogue: Docker (Apache-2.0), Kubernetes (Apache-2.0), "
    f"LXD (AGPL-3.0-only), FreeBSD jails (BSD-2-Clause); {SEE}"
)

#: A name that tries every way out of a comment: markup of both syntaxes,
#: fences, and each character that rST or MyST reads as a line break.
HOSTILE = (
    "Evil *x* `y` |z| _w_ [l](https://e.invalid) <!-- --> {abb}`data` %"
    "\n.. warning:: INJECTED-RST\n# INJECTED-MD\n```\n:::\n~~~"
    "\u2028INJECTED-LS\x85INJECTED-NEL\x1cINJECTED-FS\vINJECTED-VT\fINJECTED-FF\rINJECTED-CR"
)


def hostile_catalogue() -> str:
    """Extends the built-in catalogue: adds the hostile entry, removes Docker."""
    entry = {
        "id": "evil",
        "name": HOSTILE,
        "licence": "MIT",
        "foss": True,
        "blocks": ["data", "containers"],
    }
    return yaml.safe_dump({"extends": "default", "entries": [entry], "remove": ["docker"]})


def suggestion_lines(out: str) -> dict[str, str]:
    """Each block's suggestion comment, by block id (rST or MyST)."""
    found: dict[str, str] = {}
    block = ""
    for line in out.splitlines():
        start = re.match(r"(?:\.\. abb:: |```\{abb\} )(\S+)$", line)
        if start:
            block = start[1]
        elif "FOSS options" in line:
            assert block not in found, f"two suggestion lines for {block}"
            found[block] = line
    return found


def expected_line(names_and_licences: list[tuple[str, str]], more: int) -> str:
    named = ", ".join(f"{name} ({licence})" for name, licence in names_and_licences)
    tail = f", and {more} more" if more else ""
    return f"FOSS options in the catalogue: {named}{tail}; {SEE}"


# --------------------------------------------------------------------------
# The built-in catalogue
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "prefix"), [("rst", "      "), ("md", "% ")])
def test_suggestions_follow_the_builtin_catalogue(
    capsys: pytest.CaptureFixture[str], fmt: str, prefix: str
) -> None:
    status, out, err = run(capsys, "new", "Churn", "--format", fmt)
    assert (status, err) == (0, "")
    found = suggestion_lines(out)
    assert found["containers"] == prefix + CONTAINERS  # written out once by hand
    catalogue = default_catalogue()
    expected = {}
    for block in default_model().blocks:
        foss = [p for p in catalogue.for_block(block.id) if p.foss]
        if foss:
            pairs = [(p.name, p.licence) for p in foss[:5]]
            expected[block.id] = prefix + expected_line(pairs, max(len(foss) - 5, 0))
    assert found == expected
    assert len(found) == 12
    assert "business-processes" not in found and "networking" not in found
    assert found["data-tools"].endswith(f", and 10 more; {SEE}")


def test_rst_suggestion_is_inside_the_comment_block(capsys: pytest.CaptureFixture[str]) -> None:
    _status, out, _err = run(capsys, "new", "Churn")
    lines = out.splitlines()
    start = lines.index(".. abb:: containers")
    comment = lines.index("   ..", start)
    body = lines[comment + 1 : lines.index("", comment)]
    assert body[-1] == "      " + CONTAINERS
    assert all(line.startswith("      ") for line in body)


def test_md_suggestion_is_a_comment_line_inside_the_directive(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _status, out, _err = run(capsys, "new", "Churn", "--format", "md")
    lines = out.splitlines()
    start = lines.index("```{abb} containers")
    end = lines.index("```", start)
    assert f"% {CONTAINERS}" in lines[start:end]


@pytest.mark.parametrize("render", [render_rst, render_myst])
def test_render_without_catalogue_suggests_nothing(render: object) -> None:
    assert callable(render)
    text = render(default_model(), "Churn", "churn")
    assert "FOSS options" not in text
    assert "FOSS options" in render(default_model(), "Churn", "churn", default_catalogue())


# --------------------------------------------------------------------------
# --catalogue and --model
# --------------------------------------------------------------------------

OWN = """\
schema: 1
id: ours
title: Our products
entries:
  - {id: a, name: Alpha, licence: MIT, foss: true, blocks: [data-tools]}
  - {id: shut, name: Shut, licence: other, foss: false, blocks: [data-tools, networking]}
  - {id: b, name: Beta, licence: Apache-2.0, foss: true, blocks: [data-tools]}
  - {id: c, name: Gamma, licence: BSD-2-Clause, foss: true, blocks: [data-tools]}
  - {id: d, name: Delta, licence: MPL-2.0, foss: true, blocks: [data-tools]}
  - {id: e, name: Epsilon, licence: GPL-3.0-only, foss: true, blocks: [data-tools]}
  - {id: f, name: Zeta, licence: MIT, foss: true, blocks: [data-tools]}
  - {id: g, name: Eta, licence: MIT, foss: true, blocks: [data-tools]}
"""


def test_own_catalogue_first_five_foss_in_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "our catalogue.yaml", OWN)
    status, out, err = run(capsys, "new", "Churn", "--catalogue", path)
    assert (status, err) == (0, "")
    found = suggestion_lines(out)
    assert list(found) == ["data-tools"]  # networking has only a non-FOSS product
    assert found["data-tools"] == (
        "      FOSS options in the catalogue: Alpha (MIT), Beta (Apache-2.0), "
        "Gamma (BSD-2-Clause), Delta (MPL-2.0), Epsilon (GPL-3.0-only), and 2 more; "
        f"see `mlrefarch catalogue show --catalogue '{path}'`"
    )


def test_hostile_name_stays_on_one_comment_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "catalogue.yaml", hostile_catalogue())
    for fmt in ("rst", "md"):
        status, out, err = run(capsys, "new", "Churn", "--format", fmt, "--catalogue", path)
        assert (status, err) == (0, "")
        found = suggestion_lines(out)
        assert "Evil *x* `y` |z| _w_" in found["data"]
        assert "INJECTED-CR" in found["data"]  # the whole name, on the one line
        assert "Docker" not in found["containers"]  # removed
        assert found["containers"].count("Evil") == 1
        assert out.count("INJECTED-RST") == 2  # only in the two comment lines
        assert not re.search(r"^\s*(\.\. warning::|# INJECTED|```$\n:::)", out, re.M)


@pytest.mark.parametrize("fmt", ["rst", "md"])
def test_hostile_suggestions_neither_render_nor_warn(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    path = write(tmp_path / "catalogue.yaml", hostile_catalogue())
    status, out, _err = run(capsys, "new", "Churn", "--format", fmt, "--catalogue", path)
    assert status == 0
    assert out.count("FOSS options in the catalogue") == 12  # positive control
    project = tmp_path / "project"
    project.mkdir()
    (project / "conf.py").write_text(
        'extensions = ["sphinx_mlrefarch", "myst_parser"]\n'
        'myst_enable_extensions = ["colon_fence"]\n',
        "utf-8",
    )
    (project / f"index.{fmt}").write_text(out, "utf-8")

    warnings = [line for line in build_html(project).splitlines() if line.strip()]
    assert len(warnings) == 20, warnings
    assert all("[mlrefarch.missing]" in line for line in warnings), warnings

    page = (project / "_build" / "html" / "index.html").read_text("utf-8")
    assert "describe how this solution addresses Containers" in page  # the page has the body
    for text in ("FOSS options", "INJECTED", "Evil", "Guidance questions"):
        assert text not in page

    status, report, _err = run(capsys, "check", "-q", str(project), "--format", "json")
    assert status == 1
    (solution,) = json.loads(report)["solutions"].values()
    assert set(solution["coverage"]["blocks"].values()) == {"planned"}
    assert len(solution["coverage"]["blocks"]) == 20


def test_tailored_model_fits_the_suggestions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    model = write(tmp_path / "model.yaml", NO_CONTAINERS_MODEL)
    status, out, err = run(capsys, "new", "Churn", "--format", "md", "--model", model)
    assert (status, err) == (0, "")
    found = suggestion_lines(out)
    assert "containers" not in found
    assert "Docker" not in out
    # Kubernetes lost containers but still serves hosting: 7 FOSS products, 5 named
    assert found["hosting"].endswith(
        f", and 2 more; see `mlrefarch catalogue show --model {model}`"
    )


def test_catalogue_problems_go_to_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    model = write(tmp_path / "model.yaml", NO_CONTAINERS_MODEL)
    catalogue = write(
        tmp_path / "catalogue.yaml",
        "extends: default\nentries:\n  - id: podman\n    name: Podman\n"
        "    licence: Apache-2.0\n    foss: true\n    blocks: [containers, hosting]\n",
    )
    argv = ["new", "Churn", "--catalogue", catalogue, "--model", model]
    status, out, err = run(capsys, *argv)
    assert status == 0
    assert err.startswith(f"{catalogue}:7: entries[0].blocks[0]: entry 'podman' names block ")
    assert out.count(".. abb:: ") == 19
    found = suggestion_lines(out)
    assert found["hosting"].endswith(
        f", and 3 more; see `mlrefarch catalogue show --catalogue {catalogue} --model {model}`"
    )
    # Podman serves hosting in this model, as the last of its products: among "3 more"
    assert "Podman" not in out


@pytest.mark.parametrize("content", [BROKEN_YAML, None])
def test_unusable_catalogue_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "catalogue.yaml"
    if content is not None:
        path.write_text(content, "utf-8")
    status, out, err = run(capsys, "new", "Churn", "--catalogue", str(path))
    assert status == 2
    assert out == ""
    assert_clean_error(err)
    assert f"mlrefarch: error: {path}: the catalogue cannot be used" in err
    assert re.search(rf"^{re.escape(str(path))}(:\d+)?: ", err, re.MULTILINE)


def test_help_names_the_catalogue_option(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(capsys, "new", "--help")
    assert status == 0
    assert "--catalogue FILE" in out
    assert "FOSS products" in " ".join(out.split())
