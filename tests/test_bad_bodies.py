"""Bad inputs: empty and huge bodies, markup in titles and SBBs, directives in odd places.

Part of the corpus of bad inputs: the page language, the contract every case
checks and the test ids are in ``corpus.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpus import (
    ADDR,
    SOL,
    XSS_TITLE,
    Case,
    D,
    T,
    body_in_list_item,
    check_case,
    escaped,
    huge_body_rendered,
    index,
    nested_body_rendered,
    params,
    sol,
)
from external import version_of

CASES: list[Case] = [
    # -- empty and huge bodies ----------------------------------------------------------
    Case(
        "abb-2000-line-body",
        index(
            SOL,
            D(
                "abb",
                "data-tools",
                {"status": "bogus"},
                body=tuple(f"Paragraph {i} of the body, with *emphasis*." for i in range(1000)),
                tag="a",
            ),
        ),
        {"option": 1},
        at={"option": "a"},
        check=huge_body_rendered,
    ),
    Case(
        "abb-body-nested-directives-and-tables",
        index(
            SOL,
            D(
                "abb",
                "data-tools",
                {"status": "bogus"},
                body=(
                    D("note", body=(D("warning", body=("deeply nested",)),)),
                    T(
                        "=====  =======\nA      B\n=====  =======\ncell   cell-b2\n=====  =======",
                        "| A | B |\n|---|---|\n| cell | cell-b2 |",
                    ),
                    D("list-table", body=(T("* - list-cell\n  - x"),)),
                    D("code-block", "python", body=("print(1)",)),
                    D("constraint", "Inner constraint", {"aspect": "security", "priority": "x"}),
                ),
                tag="a",
            ),
        ),
        {"option": 2},
        at={"option": ("a", "re:Inner constraint")},
        myst=False,
        check=nested_body_rendered,
    ),
    # -- unicode and markup in titles and SBBs ------------------------------------------
    Case(
        "markup-and-html-in-titles-and-sbbs",
        index(
            D("solution", XSS_TITLE, {"id": "churn", "required": "data-tools"}),
            D("abb", "data-tools", {"sbb": 'A|B, "quotes", back\\slash, <b>bold</b>'}),
            D("abb", "data", {"sbb": "<img src=x onerror=alert(2)>"}),
            D("constraint", "<img src=x onerror=alert(2)>", {"aspect": "security"}),
            D(
                "hosting-choice",
                '"><script>alert(3)</script>',
                {"environment": "production, training", "provider": "<i>x</i>"},
            ),
            D("abb-coverage"),
            D("abb-coverage", options={"solutions": "all"}),
            D("constraint-list"),
            D("hosting-matrix"),
            D("abb-diagram", options={"solution": "churn"}),
        ),
        {},
        check=escaped,
    ),
    # -- directives in odd places -------------------------------------------------------
    Case(
        "abb-in-list-item",
        index(
            SOL,
            T(
                "* item\n\n  .. abb:: data-tools\n     :status: bogus",
                "* item\n\n  ```{abb} data-tools\n  :status: bogus\n  ```",
            ),
        ),
        {"option": 1},
        at={"option": "re:abb\\W+data-tools"},
        check=body_in_list_item,
    ),
    Case(
        "abb-in-admonition",
        index(SOL, D("note", body=(D("abb", "data-tools", {"status": "bogus"}, tag="a"),))),
        {"option": 1},
        at={"option": "a"},
    ),
    Case(
        "abb-in-table-cell",
        index(
            SOL,
            T(
                ".. list-table::\n\n   * - cell\n     - .. abb:: data-tools\n"
                "          :status: bogus",
                "````{list-table}\n* - cell\n  - ```{abb} data-tools\n    :status: bogus\n"
                "    ```\n````",
            ),
        ),
        {"option": 1},
        at={"option": "re:abb\\W+data-tools"},
    ),
    Case(
        "solution-in-note",
        index(
            D(
                "note",
                body=(D("solution", "S", {"status": "bogus", "required": "data-tools"}, tag="s"),),
            ),
            ADDR,
        ),
        {"option": 1},
        at={"option": "s"},
    ),
    Case(
        "constraint-in-abb-body",
        index(
            SOL,
            D(
                "abb",
                "data-tools",
                body=(D("constraint", "Inner", {"aspect": "securty"}, tag="c"),),
            ),
        ),
        {"unknown": 1},
        at={"unknown": "c"},
    ),
    Case(
        "abb-in-abb-body",
        index(SOL, D("abb", "data-tools", body=(D("abb", "data-tools", tag="inner"),))),
        {"duplicate": 1},
        at={"duplicate": "inner"},
    ),
    Case(
        "declarations-in-included-file",
        index(
            *sol(
                T(".. include:: inc.txt", "```{include} inc.txt\n```"),
                D("abb", "nope-here", tag="here"),
            )
        ),
        {"option": 1, "unknown": 2},
        at={"option": "inc.txt:3", "unknown": ("inc.txt:3", "here")},
        files={
            "inc.txt": T(
                "Included text.\n\n.. abb:: nope-there\n   :status: bogus\n",
                "Included text.\n\n```{abb} nope-there\n:status: bogus\n```\n",
            )
        },
        xfail=(
            {"md": "upstream: myst-parser < 5.2 reports lines of an {include}d file one too far"}
            if version_of("myst-parser") < (5, 2)
            else {}
        ),
    ),
    Case(
        "reference-model-in-list-item",
        index(
            T(
                "* .. reference-model::\n     :layers: dataa",
                "* ```{reference-model}\n  :layers: dataa\n  ```",
            )
        ),
        {"unknown": 1},
        at={"unknown": "re:reference-model"},
    ),
]


@pytest.mark.parametrize(("case", "syntax"), params(CASES))
def test_bad_input(project: Any, tmp_path: Path, case: Case, syntax: str) -> None:
    check_case(project, tmp_path, case, syntax)
