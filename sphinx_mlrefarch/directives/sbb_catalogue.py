"""``sbb-catalogue``: the product catalogue, grouped by layer and block, with "Used by"."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes

from ..locale import _
from ..nodes import make_placeholder
from ..records import ViewRecord
from ..render.boxes import block_link
from ..render.context import Cell, group_row, table
from ..render.sbb import licence_text, web_link
from .base import MlrefarchDirective


class SbbCatalogueDirective(MlrefarchDirective):
    """One table: a group row per layer and block, a row per product it lists.

    The table is made while reading, so each product's name is an anchor
    that SBB links resolve to (its first row; a product that realises
    several blocks shows again under each). Only the "Used by" cells depend
    on other documents; they are placeholders filled in after reading.
    """

    takes_content: ClassVar[bool] = False
    takes_argument: ClassVar[bool] = False
    option_names: ClassVar[tuple[str, ...]] = ("blocks", "layers")

    def run(self) -> list[nodes.Node]:
        self.prepare()
        model, catalogue = self.model, self.domain.catalogue
        layers = self.resolve_all(model.layer_lookup, self.opt_list("layers"), "layer", ":layers:")
        blocks = self.resolve_all(
            model.block_lookup, self.opt_list("blocks"), "building block", ":blocks:"
        )
        self.domain.add(
            ViewRecord(kind=self.kind, solutions=("all",), explicit=True, **self.where())
        )
        headers = [
            _("Product"),
            _("Licence"),
            _("Homepage"),
            _("Repository"),
            _("Summary"),
            _("Used by"),
        ]
        rows: list[list[Cell] | nodes.row] = []
        for layer in model.layers:
            if layers and layer.id not in layers:
                continue
            layer_rows: list[list[Cell] | nodes.row] = []
            for block in model.blocks_of_layer(layer.id):
                products = catalogue.for_block(block.id)
                if (blocks and block.id not in blocks) or not products:
                    continue
                layer_rows.append(
                    group_row(
                        block_link(block.id, block.title), len(headers), "mlrefarch-block-row"
                    )
                )
                for product in products:
                    users = make_placeholder(self.env.docname, "sbb-users", product=product.id)
                    layer_rows.append(
                        [
                            self.name_cell(product.id, product.name),
                            licence_text(product),
                            web_link(product.homepage),
                            web_link(product.repository),
                            product.summary,
                            users,
                        ]
                    )
            if layer_rows:
                rows.append(group_row(layer.title, len(headers), "mlrefarch-layer-row"))
                rows.extend(layer_rows)
        return [table(headers, rows, ["mlrefarch-sbb-catalogue"], widths=[16, 12, 16, 16, 25, 15])]

    def name_cell(self, product: str, name: str) -> nodes.Node:
        """The product's name; its first row on the page is the anchor links go to."""
        anchor = f"sbb-{product}"
        node = nodes.inline(name, name, classes=["mlrefarch-sbb"])
        document = self.state.document
        if anchor not in document.ids:
            node["ids"].append(anchor)
            document.ids[anchor] = node
            self.domain.add_sbb_anchor(self.env.docname, product, anchor)
        return nodes.strong("", "", node)
