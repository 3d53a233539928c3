"""Bad inputs that do not fit the corpus table, and the size of the whole corpus.

The page language and the contract (:func:`corpus.assert_sound`) are in ``corpus.py``.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import test_bad_bodies
import test_bad_models
import test_bad_options
import test_bad_scopes
from corpus import assert_sound, html_of, located, main_of
from helpers import mlrefarch_warnings, warnings_of

from sphinx_mlrefarch.log import SUBTYPES

#: The whole corpus, in the order of the modules.
CASES = [
    *test_bad_options.CASES,
    *test_bad_models.CASES,
    *test_bad_bodies.CASES,
    *test_bad_scopes.CASES,
]


def test_corpus_size() -> None:
    """The corpus covers at least 45 inputs in rST and 15 of them also in MyST."""
    assert len(CASES) >= 45
    assert sum(case.myst for case in CASES) >= 15
    assert len({case.id for case in CASES}) == len(CASES)


# -- cases that do not fit the table ----------------------------------------------------


@pytest.mark.xfail(
    strict=False,
    raises=RecursionError,
    reason="upstream: Sphinx's html builder (7.2 to 9.0) recurses forever in collect_relations "
    "on a toctree cycle reachable from the root (also without this extension)",
)
def test_toctree_cycle_reachable_from_root_html(project: Any) -> None:
    app = project(
        {
            "index.rst": "Page\n====\n\n.. toctree::\n\n   a\n",
            "a.rst": "A\n=\n\n.. solution:: A\n   :required: data-tools\n\n.. toctree::\n\n   b\n",
            "b.rst": "B\n=\n\n.. solution:: B\n   :required: data-tools\n\n.. toctree::\n\n   a\n",
        }
    )
    assert_sound(app)
    assert len(mlrefarch_warnings(app, "missing")) == 2


def test_recursive_alias_is_located_in_the_model_file(project: Any) -> None:
    """A model problem names the model file and the line (here: the alias on line 4)."""
    app = project(
        {
            "index.rst": "Page\n====\n",
            "model.yaml": "extends: default\nblocks: &x\n  - id: a\n    related: *x\n",
        },
        conf='mlrefarch_model = "model.yaml"\n',
    )
    assert_sound(app)
    found = [w for w in mlrefarch_warnings(app, "model") if "refers to its own ancestor" in w]
    assert len(found) == 1
    assert re.search(r"model\.yaml:[24]: WARNING", found[0]), found[0]


def test_body_after_misspelt_option_line(project: Any) -> None:
    """``:status partial`` (no second colon) joins the argument; the warning keeps one line."""
    app = project(
        {
            "index.rst": "Page\n====\n\n"
            ".. solution:: S\n   :required: data-tools\n\n"
            ".. abb:: data-tools\n   :status partial\n"
        }
    )
    assert_sound(app)
    (warning,) = mlrefarch_warnings(app, "unknown")
    assert "index.rst:7: WARNING" in warning
    assert "\\n" in warning  # the argument is shown with repr(), so one line per warning


#: One project that triggers every warning subtype at least once.
EVERY_SUBTYPE = {
    "index.rst": "Page\n====\n\n"
    ".. toctree::\n\n   orphan-free\n\n"
    ".. solution:: S\n   :required: data-tools, data\n   :status: maybe\n\n"  # option, missing
    ".. abb:: data-toolz\n\n"  # unknown
    ".. abb:: data\n\n.. abb:: data\n\n"  # duplicate
    ".. abb:: data-tools\n   :status: not-applicable\n   :sbb: Nosuchproduct\n\n"  # unjustified
    ".. hosting-choice:: H\n   :environment: production\n\n"  # hosting
    ":abb:`nope`\n",  # ref
    "orphan-free.rst": "Sub\n===\n\n.. solution:: Second\n\n.. solution:: Third\n",  # scope
    "model.yaml": "extends: default\nblocks:\n  - id: x\n    title: X\n    layer: nope\n",
    "catalogue.yaml": "extends: default\nremove: [nosuch-product]\n",  # catalogue
}
MODEL_CONF = (
    'mlrefarch_model = "model.yaml"\n'
    'mlrefarch_catalogue = "catalogue.yaml"\n'
    'mlrefarch_sbb_policy = "catalogue"\n'
    'mlrefarch_import = {"gone": {"source": "missing/mlrefarch.json"}}\n'  # import
)


def _subtypes(app: Any) -> set[str]:
    return {located(w)["subtype"] for w in mlrefarch_warnings(app)}


def test_every_subtype_is_triggered_without_suppression(project: Any) -> None:
    """Positive control for the silencing tests: every subtype fires here."""
    app = project(EVERY_SUBTYPE, conf=MODEL_CONF)
    assert_sound(app)
    assert _subtypes(app) == set(SUBTYPES)


def test_every_subtype_can_be_silenced(project: Any) -> None:
    names = ", ".join(f'"mlrefarch.{subtype}"' for subtype in sorted(SUBTYPES))
    conf = MODEL_CONF + f"suppress_warnings = [{names}]\n"
    app = project(EVERY_SUBTYPE, conf=conf)
    assert_sound(app)
    assert mlrefarch_warnings(app) == []


@pytest.mark.parametrize("subtype", sorted(SUBTYPES))
def test_each_subtype_is_silenced_alone(project: Any, subtype: str) -> None:
    conf = MODEL_CONF + f'suppress_warnings = ["mlrefarch.{subtype}"]\n'
    app = project(EVERY_SUBTYPE, conf=conf)
    assert _subtypes(app) == set(SUBTYPES) - {subtype}


def test_escaped_title_in_portfolio_page(project: Any) -> None:
    """A hostile solution title shown on another page (portfolio, :solution: role) is escaped."""
    app = project(
        {
            "index.rst": "Page\n====\n\n.. toctree::\n\n   s\n\n.. abb-coverage::\n   "
            ":solutions: all\n\nSee :solution:`x`.\n",
            "s.rst": "S\n=\n\n.. solution:: <script>alert(1)</script> & co\n   :id: x\n"
            "   :required: data-tools\n\n.. abb:: data-tools\n",
        }
    )
    assert_sound(app)
    main = main_of(html_of(app))
    assert "<script" not in main
    assert html.escape("<script>alert(1)</script> & co", quote=False) in main


def test_required_config_of_wrong_type(project: Any) -> None:
    app = project(
        {"index.rst": "Page\n====\n\n.. solution:: S\n\n.. abb:: data-tools\n"},
        conf="mlrefarch_required = 42\n",
    )
    assert_sound(app)
    found = [w for w in mlrefarch_warnings(app) if "mlrefarch_required" in w]
    assert len(found) == 1, warnings_of(app)
    assert re.search(r"conf\.py:4: WARNING", found[0]), found[0]


def test_config_values_of_a_wrong_type_get_one_located_warning_each(project: Any) -> None:
    """Sphinx's own type check (unlocated) does not repeat what the extension says."""
    values = {
        "mlrefarch_model": "['x']",
        "mlrefarch_catalogue": "5",
        "mlrefarch_required": "7",
        "mlrefarch_sbb_policy": "3",
        "mlrefarch_import": "['a']",
        "mlrefarch_fail_on_missing": "'yes'",
    }
    conf = "".join(f"{name} = {value}\n" for name, value in values.items())
    app = project({"index.rst": "Page\n====\n"}, conf=conf)
    found = warnings_of(app)
    for name in values:
        about = [w for w in found if name in w]
        assert len(about) == 1, (name, found)
        if name == "mlrefarch_fail_on_missing":  # not checked by the extension: Sphinx's
            assert "mlrefarch." not in about[0]
        else:
            assert re.search(r"conf\.py:\d+: WARNING: ", about[0]), about[0]
    assert len(found) == len(values), found
