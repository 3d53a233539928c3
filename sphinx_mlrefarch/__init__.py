"""sphinx-mlrefarch: ML solution architectures checked against an open reference model.

``setup()`` only wires things together: configuration, the domain with its
directives and roles (also registered unprefixed), nodes, the
post-transform, event handlers and the ``mlrefarch`` builder. The package
map is in the README ("Layout").

Nothing is imported here at module level: the ``mlrefarch`` command (and
its pure subcommands such as ``diff``) imports this package, and must not
pay for Sphinx when it does not build.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.2.0"


def setup(app: Sphinx) -> dict[str, Any]:
    from docutils.parsers.rst import directives as rst_directives
    from docutils.parsers.rst import roles as rst_roles

    from . import events
    from .builder import MlrefarchBuilder, drop_kept_trees
    from .config import setup_config
    from .directives import DIRECTIVES
    from .domain import MlrefarchDomain
    from .links import fit_imported_links
    from .locale import CATALOG, LOCALE_DIR
    from .nodes import setup_nodes
    from .render.diagrams import on_doctree_resolved
    from .roles import ROLES, on_missing_reference
    from .transforms import FillPlaceholders, ResolveOwnReferences

    app.setup_extension("sphinxcontrib.mermaid")
    setup_config(app)
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))

    MlrefarchDomain.directives = dict(DIRECTIVES)
    MlrefarchDomain.roles = dict(ROLES)
    app.add_domain(MlrefarchDomain)
    # Docutils keeps one global registry: a second Sphinx app in the same
    # process (tests, the CLI) finds our own classes there; replace only those.
    registered_directives = getattr(rst_directives, "_directives", {})
    registered_roles = getattr(rst_roles, "_roles", {})
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive, override=registered_directives.get(name) is directive)
    for name, role in ROLES.items():
        app.add_role(name, role, override=registered_roles.get(name) is role)

    setup_nodes(app)
    app.add_post_transform(FillPlaceholders)
    app.add_post_transform(ResolveOwnReferences)
    app.add_builder(MlrefarchBuilder)
    app.add_css_file(events.STYLESHEET.name)

    app.connect("builder-inited", events.on_builder_inited)
    app.connect("env-before-read-docs", events.on_env_before_read_docs)
    app.connect("env-updated", events.on_env_updated)
    app.connect("doctree-read", drop_kept_trees)
    app.connect("env-updated", drop_kept_trees)
    app.connect("warn-missing-reference", on_missing_reference)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("doctree-resolved", fit_imported_links)
    app.connect("build-finished", events.on_build_finished)

    return {
        "version": __version__,
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
