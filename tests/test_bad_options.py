"""Bad inputs: malformed options, missing arguments, unknown references.

Also arguments and options that docutils rejects before the extension sees them.

Part of the corpus of bad inputs: the page language, the contract every case
checks and the test ids are in ``corpus.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpus import ADDR, SOL, Case, D, T, check_case, has_book, has_diagram, index, params, sol

CASES: list[Case] = [
    # -- malformed options --------------------------------------------------------------
    Case(
        "solution-status",
        index(D("solution", "S", {"status": "maybe", "required": "data-tools"}, tag="s"), ADDR),
        {"option": 1},
        at={"option": "s"},
        needles=("invalid value 'maybe' for :status: of 'solution'",),
    ),
    Case(
        "abb-status",
        index(SOL, D("abb", "data-tools", {"status": "done!"}, tag="a")),
        {"option": 1},
        at={"option": "a"},
        needles=("invalid value 'done!' for :status: of 'abb'",),
    ),
    Case(
        "constraint-priority",
        index(*sol(D("constraint", "C", {"aspect": "security", "priority": "high"}, tag="c"))),
        {"option": 1},
        at={"option": "c"},
        needles=("invalid value 'high' for :priority: of 'constraint'",),
    ),
    Case(
        "coverage-show",
        index(*sol(D("abb-coverage", options={"show": "some"}, tag="c"))),
        {"option": 1},
        at={"option": "c"},
    ),
    Case(
        "reference-model-part",
        index(D("reference-model", options={"part": "everything"}, tag="r")),
        {"option": 1},
        at={"option": "r"},
        needles=("invalid value 'everything' for :part: of 'reference-model'",),
    ),
    Case(
        "unknown-option-names",
        index(SOL, D("abb", "data-tools", {"stauts": "partial", "colour": "red"}, tag="a")),
        {"option": 2},
        at={"option": "a"},
        needles=("did you mean ':status:'?", "unknown option ':colour:' for 'abb'"),
    ),
    Case(
        "unknown-option-on-render-directive",
        index(D("ml-process", options={"direction": "LR"}, tag="p")),
        {"option": 1},
        at={"option": "p"},
        needles=("unknown option ':direction:' for 'ml-process'",),
        check=lambda app, syntax, tmp: has_diagram(app),
    ),
    Case(
        "unknown-option-on-abb-diagram",
        index(D("abb-diagram", options={"direction": "LR"}, tag="p")),
        {"option": 1},
        at={"option": "p"},
    ),
    Case(
        "empty-sbb",
        index(SOL, D("abb", "data-tools", {"sbb": None}, tag="a")),
        {"option": 1},
        at={"option": "a"},
    ),
    Case(
        "sbb-only-commas",
        index(SOL, D("abb", "data-tools", {"sbb": ", ,"}, tag="a")),
        {"option": 1},
        at={"option": "a"},
    ),
    Case(
        "id-with-spaces",
        index(D("solution", "S", {"id": "my id", "required": "data-tools"}, tag="s"), ADDR),
        {"option": 1},
        at={"option": "s"},
        needles=("using 'my-id'",),
    ),
    Case(
        "id-uppercase",
        index(D("solution", "S", {"id": "MyId", "required": "data-tools"}, tag="s"), ADDR),
        {"option": 1},
        at={"option": "s"},
        needles=("using 'myid'",),
    ),
    Case(
        "id-unicode",
        index(
            D("solution", "S", {"id": "prédiction", "required": "data-tools"}, tag="s"),
            ADDR,
            D("constraint", "C", {"id": "🎉", "aspect": "security"}, tag="c"),
        ),
        {"option": 2},
        needles=("using 'prediction'", ":id: '🎉' of 'constraint'"),
    ),
    Case(
        "flag-given-a-value",
        index(D("reference-model", options={"no-backlinks": "yes", "layers": "data"}, tag="r")),
        {"option": 1},
        at={"option": "r"},
    ),
    Case(
        "empty-required",
        index(D("solution", "S", {"required": None}, tag="s")),
        {"option": 1, "missing": 20},
        at={"option": "s", "missing": "s"},
        needles=(":required: is empty",),
    ),
    Case(
        "empty-solutions",
        index(D("abb-coverage", options={"solutions": ""}, tag="c")),
        {"option": 1},
        at={"option": "c"},
    ),
    Case(
        "hosting-matrix-two-solutions",
        index(*sol(D("hosting-matrix", options={"solution": "test, other"}, tag="h"))),
        {"option": 1},
        at={"option": "h"},
    ),
    Case(
        "constraint-without-aspect",
        index(*sol(D("constraint", "No aspect", tag="c"))),
        {"option": 1},
        at={"option": "c"},
        needles=("needs :aspect:",),
    ),
    Case(
        "hosting-choice-without-environment",
        index(*sol(D("hosting-choice", "Lab", {"platform": "cloud"}, tag="h"))),
        {"option": 1, "hosting": 1},
        at={"option": "h", "hosting": "sol"},
    ),
    # -- missing arguments --------------------------------------------------------------
    Case(
        "abb-without-argument",
        index(*sol(D("abb", tag="a"))),
        {"option": 1},
        at={"option": "a"},
        needles=("'abb' needs a building block",),
    ),
    Case(
        "solution-without-argument",
        index(D("solution", options={"required": "data-tools"}, tag="s"), ADDR),
        {"option": 1},
        at={"option": "s"},
        needles=("'solution' needs a title",),
    ),
    Case(
        "constraint-without-argument",
        index(*sol(D("constraint", options={"aspect": "security"}, tag="c"))),
        {"option": 1},
        at={"option": "c"},
    ),
    Case(
        "hosting-choice-without-argument",
        index(*sol(D("hosting-choice", options={"environment": "training, production"}, tag="h"))),
        {"option": 1},
        at={"option": "h"},
    ),
    # -- unknown references -------------------------------------------------------------
    Case(
        "abb-unknown-block",
        index(*sol(D("abb", "data-toolz", tag="a"))),
        {"unknown": 1},
        at={"unknown": "a"},
        needles=("did you mean 'data-tools'",),
    ),
    Case(
        "affects-unknown",
        index(*sol(D("constraint", "C", {"aspect": "security", "affects": "data, nope, storag"}))),
        {"unknown": 2},
        needles=("'nope' in :affects:", "did you mean 'storage'"),
    ),
    Case(
        "aspect-unknown",
        index(*sol(D("constraint", "C", {"aspect": "securty"}, tag="c"))),
        {"unknown": 1},
        at={"unknown": "c"},
    ),
    Case(
        "environment-unknown",
        index(*sol(D("hosting-choice", "H", {"environment": "production, training, staging"}))),
        {"unknown": 1},
        needles=("unknown environment 'staging'",),
    ),
    Case(
        "platform-unknown",
        index(
            *sol(D("hosting-choice", "H", {"environment": "production, training", "platform": "x"}))
        ),
        {"unknown": 1},
    ),
    Case(
        "compute-unknown",
        index(
            *sol(
                D(
                    "hosting-choice",
                    "H",
                    {"environment": "production, training", "compute": "gpu, fpga"},
                    tag="h",
                )
            )
        ),
        {"unknown": 1},
        at={"unknown": "h"},
    ),
    Case(
        "required-unknown",
        index(D("solution", "S", {"required": "data-tools, modelz"}, tag="s"), ADDR),
        {"unknown": 1},
        at={"unknown": "s"},
    ),
    Case(
        "exclude-unknown",
        index(D("solution", "S", {"required": "data-tools", "exclude": "nope"}, tag="s"), ADDR),
        {"unknown": 1},
        at={"unknown": "s"},
    ),
    Case(
        "reference-model-layers-and-blocks-unknown",
        index(D("reference-model", options={"layers": "dataa", "blocks": "nope"}, tag="r")),
        {"unknown": 2},
        at={"unknown": "r"},
    ),
    Case(
        "coverage-layers-unknown",
        index(*sol(D("abb-coverage", options={"layers": "nope"}, tag="c"))),
        {"unknown": 1},
        at={"unknown": "c"},
    ),
    Case(
        "coverage-solutions-unknown",
        index(D("abb-coverage", options={"solutions": "nope"}, tag="c")),
        {"unknown": 1},
        at={"unknown": "c"},
        needles=("unknown solution 'nope' in 'abb-coverage'",),
    ),
    Case(
        "render-directives-solution-unknown",
        index(
            D("constraint-list", options={"solution": "nope"}),
            D("hosting-matrix", options={"solution": "nope"}),
            D("abb-diagram", options={"solution": "nope"}),
            D("constraint-list", options={"aspect": "nope"}),
        ),
        {"unknown": 4},
    ),
    Case(
        "roles-to-nothing",
        index(
            *sol(
                T(
                    "See :abb:`nope`, :solution:`nope`, :constraint:`nope`, "
                    ":mlrefarch:abb:`data-tool`.",
                    "See {abb}`nope`, {solution}`nope`, {constraint}`nope`, "
                    "{mlrefarch:abb}`data-tool`.",
                )
            )
        ),
        {"ref": 4},
        at={"ref": "re:See "},
        needles=("in :abb: role", "in :solution: role", "in :constraint: role"),
    ),
    Case(
        "hosting-matrix-outside-solution",
        index(D("hosting-matrix", tag="h")),
        {"scope": 1},
        at={"scope": "h"},
    ),
    # -- arguments and options that docutils rejects before we see them ----------------
    Case(
        "argument-to-directive-without-one",
        index(D("reference-model", "foo", tag="r"), D("abb-diagram", "bar", tag="d")),
        {"option": 2},
        at={"option": ("r", "d")},
        needles=("'reference-model' takes no argument", "'abb-diagram' takes no argument"),
        check=lambda app, syntax, tmp: has_diagram(app) and has_book(app),
    ),
    Case(
        "content-in-directive-without-one",
        index(
            *sol(D("abb-coverage", body=("Some text the directive cannot show.",), tag="c")),
        ),
        {"option": 1},
        at={"option": "c"},
    ),
    Case(
        "duplicate-option",
        {
            "index": (
                SOL,
                T(
                    ".. abb:: data-tools\n   :status: partial\n   :status: addressed",
                    "```{abb} data-tools\n:status: partial\n:status: addressed\n```",
                ),
            )
        },
        {"option": 1},
        at={"option": "re:abb\\W+data-tools"},
        needles=("option ':status:' is given more than once; using the last value",),
    ),
]


@pytest.mark.parametrize(("case", "syntax"), params(CASES))
def test_bad_input(project: Any, tmp_path: Path, case: Case, syntax: str) -> None:
    check_case(project, tmp_path, case, syntax)
