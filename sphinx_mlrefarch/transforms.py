"""Fill the table placeholders once every document has been read.

Runs as a post-transform at priority 5, before Sphinx resolves references
(priority 10), so the tables may contain ``pending_xref`` nodes that the
domain resolves like any other reference.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

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
            ctx = render_context(self.env, docname)
            node.replace_self(RENDERERS[node["kind"]](ctx, node))
