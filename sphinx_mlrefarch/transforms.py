"""Fill the table placeholders once every document has been read.

Runs as a post-transform at priority 5, before Sphinx resolves references
(priority 10), so the tables may contain ``pending_xref`` nodes that the
domain resolves like any other reference.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .domain import get_domain
from .nodes import mlrefarch_placeholder
from .render import tables
from .render.context import RenderContext

Renderer = Callable[[RenderContext, mlrefarch_placeholder], list[nodes.Node]]

RENDERERS: dict[str, Renderer] = {
    "abb-coverage": tables.render_coverage,
    "constraint-list": tables.render_constraints,
    "hosting-matrix": tables.render_hosting,
    "coverage-figure": tables.render_coverage_figure,
    "backlinks": tables.render_backlinks,
}


class FillPlaceholders(SphinxPostTransform):
    """Replace each table placeholder with nodes built from the portfolio."""

    default_priority = 5

    def run(self, **kwargs: object) -> None:
        found = [n for n in self.document.findall(mlrefarch_placeholder) if n["kind"] in RENDERERS]
        if not found:
            return
        domain = get_domain(self.env)
        for node in found:
            docname = node.get("docname", self.env.docname)
            ctx = RenderContext(self.env, docname, domain.model, domain.portfolio)
            node.replace_self(RENDERERS[node["kind"]](ctx, node))
