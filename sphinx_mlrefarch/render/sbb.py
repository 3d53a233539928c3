"""The catalogue's views: product cells, "Used by" back-links and the technology inventory."""

from __future__ import annotations

from docutils import nodes

from ..catalogue import Product
from ..domain import SBB
from ..inventory import Item, Use
from ..locale import _
from ..nodes import mlrefarch_placeholder
from .boxes import anchor_link, block_link, joined, xref
from .context import Cell, RenderContext, table
from .rows import external_link, imported_mark

__all__ = ["licence_text", "product_link", "render_sbb_usage", "render_sbb_users", "web_link"]


def licence_text(product: Product | None) -> str:
    """A product's licence as a reader needs it: also whether it is FOSS."""
    if product is None:
        return _("unknown")
    if product.foss:
        return product.licence
    return _("{licence} (not FOSS)").format(licence=product.licence)


def web_link(url: str) -> nodes.Node | str:
    """An address shown as itself, linked (an empty one shows nothing)."""
    if not url:
        return ""
    node = nodes.reference(url, url, refuri=url, internal=False)
    return node


def product_link(item: Item) -> nodes.Node:
    """A product's name, linked to its catalogue entry when it has one."""
    if item.product is None:
        return nodes.inline(item.name, item.name, classes=["mlrefarch-sbb"])
    return xref(SBB, item.product.id, item.name, "mlrefarch-sbb")


def _use_link(ctx: RenderContext, use: Use, text: str) -> nodes.Node:
    imported = ctx.portfolio.imported.get(use.solution)
    if imported is not None:  # linked to its own site (when known), and marked
        link = external_link(use.url, nodes.Text(text))
        return nodes.inline("", "", link, nodes.Text(" "), imported_mark(imported.project))
    if use.docname:
        return anchor_link(use.docname, use.anchor, text)
    return nodes.Text(text)


def _by_solution(uses: list[Use]) -> list[Use]:
    """The first use of each solution, in order: one link per solution."""
    seen: dict[str, Use] = {}
    for use in uses:
        seen.setdefault(use.solution, use)
    return list(seen.values())


def render_sbb_users(ctx: RenderContext, node: mlrefarch_placeholder) -> list[nodes.Node]:
    """The "Used by" cell of a catalogue entry: each solution that names the product."""
    item = ctx.inventory.get(node["product"])
    if item is None or not item.uses:
        return [nodes.inline(_("not used yet"), _("not used yet"), classes=["mlrefarch-unused"])]
    links = []
    for use in item.uses:
        block = ctx.model.block_map.get(use.block)
        label = f"{use.title} ({block.title if block else use.block})"
        links.append(_use_link(ctx, use, label))
    return joined(links)


def render_sbb_usage(ctx: RenderContext, node: mlrefarch_placeholder) -> list[nodes.Node]:
    """One row per product the chosen solutions name: licence, blocks, solutions."""
    ids = [row.key for row in ctx.rows(node)]
    headers = [_("Product"), _("Licence"), _("Building blocks"), _("Solutions")]
    rows: list[list[Cell] | nodes.row] = []
    for item in ctx.inventory.values():
        uses = item.used_by(ids)
        if not uses:
            continue
        blocks = list(dict.fromkeys(use.block for use in uses))
        rows.append(
            [
                product_link(item),
                licence_text(item.product),
                joined(
                    [
                        block_link(b, ctx.model.block_map[b].title)
                        for b in blocks
                        if b in ctx.model.block_map
                    ]
                ),
                joined([_use_link(ctx, use, use.title) for use in _by_solution(uses)]),
            ]
        )
    return [table(headers, rows, ["mlrefarch-sbb-usage"], widths=[25, 20, 30, 25])]
