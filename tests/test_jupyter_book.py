"""A real Jupyter Book 1.0 project with the extension, built by ``jupyter-book build``.

Jupyter Book 1.0 pins Sphinx 7 and myst-parser 3 and brings its own theme
(sphinx-book-theme), MyST-NB and sphinx-external-toc, so it lives in a
virtual environment of its own: ``python3 dev.py test`` makes
``.venv-jupyterbook`` (jupyter-book and this package, really installed) and
passes its ``jupyter-book`` executable in MLREFARCH_JUPYTER_BOOK. Without it
the test is skipped with the reason, or fails where MLREFARCH_REQUIRE_TOOLS
says the tool must be there (CI).
"""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from external import executable, offline

CONFIG = """\
title: Ticket triage architecture
author: The triage team
only_build_toc_files: true
execute:
  execute_notebooks: "off"
sphinx:
  extra_extensions: {extensions}
"""
TOC = textwrap.dedent(
    """\
    format: jb-book
    root: intro
    chapters:
      - file: solution
      - file: hosting
      - file: model
    """
)
PAGES = {
    "intro.md": textwrap.dedent(
        """\
        # Introduction

        How support tickets reach the right team. [More »](hosting)

        The {abb}`hosting` block of the model is a different thing.
        """
    ),
    # A page named like a block: the MyST link above must reach it, quietly.
    "hosting.md": "# Hosting\n\nWhere the triage model runs.\n",
    "model.md": "# The reference model\n\n```{reference-model}\n```\n",
    "solution.md": textwrap.dedent(
        """\
        # Ticket triage

        ```{solution} Ticket triage
        :id: triage
        :owner: Support engineering
        :required: data, data-tools
        ```

        ```{abb} data-tools
        :status: addressed
        :sbb: JupyterLab

        Analysts label tickets in notebooks.
        ```

        ```{abb} data
        :status: planned
        ```

        ```{abb-coverage}
        ```
        """
    ),
}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def build_book(root: Path, extensions: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    cli = executable(
        "MLREFARCH_JUPYTER_BOOK", "jupyter-book", "python3 dev.py test prepares .venv-jupyterbook"
    )
    root.mkdir()
    (root / "_config.yml").write_text(CONFIG.format(extensions=extensions), "utf-8")
    (root / "_toc.yml").write_text(TOC, "utf-8")
    for name, text in PAGES.items():
        (root / name).write_text(text, "utf-8")
    env = offline(dict(os.environ))
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [str(cli), "build", str(root)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return result, root / "_build" / "html"


def warning_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    text = ANSI.sub("", result.stdout + result.stderr)
    return [line for line in text.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line)]


def page(html: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((html / name).read_text("utf-8"), "html.parser")


@pytest.mark.parametrize(
    "extensions",
    [
        pytest.param("[sphinx_mlrefarch]", id="once"),
        # Bad input: the extension listed twice is the same book, silently.
        pytest.param("[sphinx_mlrefarch, sphinx_mlrefarch]", id="twice"),
    ],
)
def test_jupyter_book_build(tmp_path: Path, extensions: str) -> None:
    result, html = build_book(tmp_path / "book", extensions)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output, output

    # The one warning is the extension's own, for the planned block (a positive
    # control that warnings are read here); nothing else, no ambiguous reference.
    warnings = warning_lines(result)
    assert len(warnings) == 1, "\n".join(warnings)
    assert "solution.md:3:" in warnings[0] and "'data'" in warnings[0], warnings[0]
    assert "[mlrefarch.missing]" in warnings[0], warnings[0]
    assert "xref_ambiguous" not in output

    solution = page(html, "solution.html")
    table = solution.select_one("table.mlrefarch-coverage")
    assert table is not None, "no coverage table in solution.html"
    rows = {
        cells[0].get_text(strip=True): cells[1].get_text(" ", strip=True)
        for cells in (row.find_all("td") for row in table.select("tbody tr"))
        if len(cells) == 4
    }
    assert rows["Data Tools"].lower().startswith("addressed"), rows
    assert rows["Data"].lower().startswith("planned"), rows
    assert solution.find("link", href=re.compile(r"mlrefarch\.css")) is not None

    intro = page(html, "intro.html")
    links = {a.get_text(strip=True): str(a["href"]) for a in intro.select("article a.reference")}
    assert links["More »"] == "hosting.html", links
    assert links["Hosting"].startswith("model.html#"), links  # the {abb} role: the block
    anchor = links["Hosting"].split("#", 1)[1]
    assert page(html, "model.html").find(id=anchor) is not None, anchor
