"""sphinx-mlrefarch: ML solution architectures checked against an open reference model.

``setup()`` only wires things together: configuration, the domain with its
directives and roles (also registered unprefixed), nodes, the
post-transform, event handlers and the ``mlrefarch`` builder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils.parsers.rst import directives as rst_directives
from docutils.parsers.rst import roles as rst_roles

from .builder import MlrefarchBuilder
from .directives.book import ReferenceModelDirective
from .directives.declare import (
    AbbDirective,
    ConstraintDirective,
    HostingChoiceDirective,
    SolutionDirective,
)
from .directives.render import (
    AbbCoverageDirective,
    AbbDiagramDirective,
    ConstraintListDirective,
    HostingMatrixDirective,
    MlProcessDirective,
)
from .domain import MlrefarchDomain, warn_missing_reference
from .events import add_static_path, on_build_finished, on_env_updated
from .nodes import setup_nodes
from .project import refresh_model, setup_model
from .render.diagrams import on_doctree_resolved
from .transforms import FillPlaceholders

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"

DIRECTIVES: dict[str, type[Any]] = {
    "solution": SolutionDirective,
    "abb": AbbDirective,
    "constraint": ConstraintDirective,
    "hosting-choice": HostingChoiceDirective,
    "reference-model": ReferenceModelDirective,
    "abb-coverage": AbbCoverageDirective,
    "constraint-list": ConstraintListDirective,
    "hosting-matrix": HostingMatrixDirective,
    "abb-diagram": AbbDiagramDirective,
    "ml-process": MlProcessDirective,
}


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.mermaid")

    app.add_config_value("mlrefarch_model", None, "env", types=frozenset({str, type(None)}))
    app.add_config_value("mlrefarch_required", "all", "env", types=frozenset({str, list, tuple}))
    app.add_config_value("mlrefarch_fail_on_missing", False, "", types=frozenset({bool}))
    app.add_config_value("mlrefarch_export", True, "", types=frozenset({bool}))

    MlrefarchDomain.directives = dict(DIRECTIVES)
    app.add_domain(MlrefarchDomain)
    # Docutils keeps one global registry: a second Sphinx app in the same
    # process (tests, the CLI) finds our own classes there; replace only those.
    registered_directives = getattr(rst_directives, "_directives", {})
    registered_roles = getattr(rst_roles, "_roles", {})
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive, override=registered_directives.get(name) is directive)
    for name, role in MlrefarchDomain.roles.items():
        app.add_role(name, role, override=registered_roles.get(name) is role)

    setup_nodes(app)
    app.add_post_transform(FillPlaceholders)
    app.add_builder(MlrefarchBuilder)
    app.add_css_file("mlrefarch.css")

    app.connect("builder-inited", setup_model)
    app.connect("builder-inited", add_static_path)
    app.connect("env-before-read-docs", refresh_model)
    app.connect("env-updated", on_env_updated)
    app.connect("warn-missing-reference", warn_missing_reference)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("build-finished", on_build_finished)

    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
