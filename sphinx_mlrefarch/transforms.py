"""Fill the table placeholders once every document has been read.

Runs as a post-transform at priority 5, before Sphinx resolves references
(priority 10). The tables' links to this project's pages are resolved here
at once, by the same domain method Sphinx would call: a large portfolio
makes tens of thousands of them, and handing each through Sphinx's
resolver was a noticeable share of writing. Links the domain cannot
resolve (a block defined in another project's book) stay for Sphinx, so
intersphinx still gets its chance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import cast

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.errors import NoUri
from sphinx.transforms.post_transforms import SphinxPostTransform

from .domain import DOMAIN, get_domain
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
        found = [n for n in self.document.findall(mlrefarch_placeholder) if n["kind"] in RENDERERS]
        if not found:
            return
        for node in found:
            docname = node.get("docname", self.env.docname)
            made = RENDERERS[node["kind"]](render_context(self.env, docname), node)
            node.replace_self(made)
            self.resolve(made)  # in the document now: a reference made at the top has a parent

    def resolve(self, made: Iterable[nodes.Node]) -> None:
        """Resolve the new nodes' references to this project now (see the module's doc)."""
        domain = get_domain(self.env)
        builder = domain.builder
        assert builder is not None, "set at builder-inited"
        for tree in made:
            for ref in list(tree.findall(pending_xref)):
                if ref.get("refdomain") != DOMAIN:
                    continue
                # what Sphinx's resolver passes: the referring page and a copy of
                # the content, so a reference left to Sphinx is untouched
                fromdocname = ref.get("refdoc", self.env.docname)
                content = cast("nodes.Element", ref[0].deepcopy())
                typ, target = ref["reftype"], ref["reftarget"]
                try:
                    resolved = domain.resolve_xref(
                        self.env, fromdocname, builder, typ, target, ref, content
                    )
                except NoUri:  # no address in this output (LaTeX): the text stays
                    ref.replace_self(content)
                    continue
                if resolved is not None:
                    ref.replace_self(resolved)
