"""Fill the table placeholders and resolve this project's references, once all is read.

Two post-transforms, both before Sphinx resolves references (priority 10).
:class:`FillPlaceholders` (priority 5) replaces each table placeholder with
its table. :class:`ResolveOwnReferences` (priority 6) then resolves every
reference of the page to this project's blocks, solutions, constraints,
declarations and products with the domain's own lookup, as Sphinx's
resolver would: a large portfolio makes tens of thousands of them (table
cells, the blocks and products of every declaration box), and Sphinx's
resolver copies the content of each before asking the domain. A reference
the domain cannot resolve, or can only show as text, is left untouched for
Sphinx, so intersphinx and the ``missing-reference`` event still get their
chance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.errors import NoUri
from sphinx.transforms.post_transforms import SphinxPostTransform

from .domain import DOMAIN, MlrefarchDomain, get_domain
from .links import find_target
from .nodes import mlrefarch_placeholder
from .render import sbb, tables
from .render.context import RenderContext, render_context

Renderer = Callable[[RenderContext, mlrefarch_placeholder], list[nodes.Node]]

RENDERERS: dict[str, Renderer] = {
    "abb-coverage": tables.render_coverage,
    "constraint-list": tables.render_constraints,
    "hosting-matrix": tables.render_hosting,
    "coverage-figure": tables.render_coverage_figure,
    "backlinks": tables.render_backlinks,
    "sbb-users": sbb.render_sbb_users,
    "sbb-usage": sbb.render_sbb_usage,
}


class FillPlaceholders(SphinxPostTransform):
    """Replace each table placeholder with nodes built from the portfolio."""

    default_priority = 5

    def run(self, **kwargs: object) -> None:
        for node in list(self.document.findall(mlrefarch_placeholder)):
            render = RENDERERS.get(node["kind"])
            if render is not None:
                docname = node.get("docname", self.env.docname)
                node.replace_self(render(render_context(self.env, docname), node))


class ResolveOwnReferences(SphinxPostTransform):
    """Resolve the page's references to this project now (see the module's doc)."""

    default_priority = 6

    def run(self, **kwargs: object) -> None:
        domain = get_domain(self.env)
        builder = domain.builder
        assert builder is not None, "set at builder-inited"
        for ref in list(self.document.findall(pending_xref)):
            if ref.get("refdomain") == DOMAIN:
                # the referring page as Sphinx's resolver takes it
                resolve(domain, builder, ref, ref.get("refdoc", self.env.docname))


def resolve(domain: MlrefarchDomain, builder: Builder, ref: pending_xref, fromdocname: str) -> None:
    """Replace ``ref`` by its link, or by its text where the output has no address.

    The content moves into the link uncopied: the lookup comes first, and a
    reference the domain would not link stays as it is.
    """
    typ = ref["reftype"]
    found = find_target(domain, typ, ref["reftarget"], fromdocname)
    if found is None or not found.linkable:
        return
    content = cast("nodes.Element", ref[0])
    try:
        linked = domain.link_to(found, builder, fromdocname, typ, ref, content)
    except NoUri:  # no address in this output (LaTeX): the text stays
        ref.replace_self(content)
        return
    if linked is not None:
        ref.replace_self(linked)
