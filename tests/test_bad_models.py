"""Bad inputs: broken and hostile reference models (``mlrefarch_model``).

Part of the corpus of bad inputs: the page language, the contract every case
checks and the test ids are in ``corpus.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpus import Case, D, check_case, index, model_case, no_side_effect, params, sol

CASES: list[Case] = [
    # -- broken and hostile models ------------------------------------------------------
    model_case(
        "model-syntax-error",
        "extends: default\nblocks: [\n  - id: x\n",
        {"model": 2},
        at={"model": ("model.yaml:3", "conf.py:4")},
        needles=("YAML error", "cannot be used; building without one"),
    ),
    model_case(
        "model-top-level-list",
        "- layers\n- blocks\n",
        {"model": 2},
        at={"model": ("model.yaml:1", "conf.py:4")},
        needles=("expected a mapping at the top of the file, got a list",),
    ),
    model_case(
        "model-empty-file",
        "",
        {"model": 2},
        at={"model": ("model.yaml:1", "conf.py:4")},
        needles=("the file is empty",),
    ),
    model_case(
        "model-python-tag",
        "extends: default\n"
        "title: !!python/object/apply:os.system ['touch {TMP}/pwned']\n"
        "version: !!python/object/apply:subprocess.check_call [['touch', '{TMP}/pwned']]\n",
        {"model": 2},
        at={"model": ("model.yaml:2", "conf.py:4")},
        needles=("tags that build Python objects are refused",),
        check=no_side_effect,
    ),
    model_case(
        "model-python-name-tag",
        "!!python/name:os.system\n",
        {"model": 2},
        check=no_side_effect,
    ),
    model_case(
        "model-billion-laughs",
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]\n"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        {"model": 2},
        needles=("once aliases are expanded",),
    ),
    model_case(
        "model-recursive-alias",
        "extends: default\nblocks: &x\n  - id: a\n    related: *x\n",
        {"model": 2},
        needles=("recursive",),
    ),
    model_case(
        "model-unknown-keys",
        "extends: default\ncolour: red\nblocks:\n  - id: feature-store\n    title: Feature Store\n"
        "    layer: data\n    summary: s\n    flavour: x\n",
        {"model": 2},
        at={"model": ("model.yaml:2", "model.yaml:8")},
        needles=("unknown key 'colour'", "blocks[0]: unknown key 'flavour'"),
    ),
    model_case(
        "model-bad-slug",
        "extends: default\nblocks:\n  - id: Feature Store!\n    title: Feature Store\n"
        "    layer: data\n    summary: s\n",
        {"model": 1},
        at={"model": "model.yaml:3"},
        needles=("blocks[0].id: 'Feature Store!' is not a valid id",),
    ),
    model_case(
        "model-unknown-layer",
        "extends: default\nblocks:\n  - id: feature-store\n    title: Feature Store\n"
        "    layer: dta\n    summary: s\n",
        {"model": 1},
        at={"model": "model.yaml:5"},
        needles=("blocks[0].layer", "did you mean 'data'"),
    ),
    model_case(
        "model-related-unknown",
        "extends: default\nblocks:\n  - id: feature-store\n    title: Feature Store\n"
        "    layer: data\n    summary: s\n    related: [data, nope]\n",
        {"model": 1},
        at={"model": "model.yaml:7"},
        needles=("blocks[0].related[1]: related block 'nope' does not exist",),
    ),
    model_case(
        "model-duplicate-ids",
        "schema: 1\nid: m\ntitle: M\nlayers:\n  - id: l\n    title: L\n  - id: l\n    title: L2\n"
        "blocks:\n  - id: b\n    title: B\n    layer: l\n    summary: s\n"
        "  - id: b\n    title: B2\n    layer: l\n    summary: s\n",
        {"model": 2},
        at={"model": ("model.yaml:7", "model.yaml:14")},
        needles=("duplicate layer id 'l'", "duplicate block id 'b'"),
    ),
    model_case(
        "model-duplicate-ids-in-extension",
        "extends: default\nlayers:\n  - id: extra\n    title: Extra\n  - id: extra\n"
        "    title: Extra again\nblocks:\n  - id: fs\n    title: FS\n    layer: extra\n"
        "    summary: s\n  - id: fs\n    title: FS again\n    layer: extra\n    summary: s\n",
        {"model": 2},
        at={"model": ("model.yaml:5", "model.yaml:12")},
    ),
    model_case(
        "model-remove-unknown",
        "extends: default\nremove: [networking, nope]\n",
        {"model": 1},
        at={"model": "model.yaml:2"},
        needles=("remove[1]: cannot remove 'nope'",),
    ),
    model_case(
        "model-remove-name-of-a-layer-and-a-block",
        # 'data' names a layer and a block of the default model
        "extends: default\nremove: [data]\n",
        {"model": 1},
        at={"model": "model.yaml:2"},
        needles=("'data' is both a layer and a building block; removing the layer",),
    ),
    model_case(
        "model-wrong-schema",
        "schema: 2\nextends: default\n",
        {"model": 1},
        at={"model": "model.yaml:1"},
        needles=("schema: must be 1, not 2",),
    ),
    model_case(
        "model-wrong-extends",
        "extends: defaults\n",
        {"model": 1},
        at={"model": "model.yaml:1"},
    ),
    model_case(
        "model-blocks-not-a-list",
        "extends: default\nblocks: 5\n",
        {"model": 1},
        at={"model": "model.yaml:2"},
    ),
    Case(
        "model-file-missing",
        index(D("reference-model")),
        {"model": 2},
        at={"model": ("conf.py:4", "conf.py:4")},
        conf='mlrefarch_model = "nope.yaml"\n',
        needles=("cannot read the model file",),
        myst=False,
    ),
    Case(
        "model-path-is-a-directory",
        index(D("reference-model")),
        {"model": 2},
        at={"model": ("conf.py:4", "conf.py:4")},
        conf='mlrefarch_model = "models"\n',
        files={"models/readme.txt": "not a model\n"},
        myst=False,
    ),
    Case(
        "declarations-without-usable-model",
        index(*sol(D("constraint", "C", {"aspect": "security"}), D("abb-diagram"))),
        {"model": 2, "unknown": 3},
        conf='mlrefarch_model = "nope.yaml"\n',
        needles=("'data-tools' in :required:", "'data-tools' in 'abb'", "'security' in :aspect:"),
    ),
]


@pytest.mark.parametrize(("case", "syntax"), params(CASES))
def test_bad_input(project: Any, tmp_path: Path, case: Case, syntax: str) -> None:
    check_case(project, tmp_path, case, syntax)
