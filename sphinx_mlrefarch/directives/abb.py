"""``abb``: the enclosing solution addresses a building block."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from sphinx.util.nodes import make_id

from ..locale import _
from ..records import AbbRecord
from ..render.boxes import block_link, facts, sbb_list, status_badge
from ..status import DECLARED_STATUSES, Status
from .base import MlrefarchDirective


class AbbDirective(MlrefarchDirective):
    """A box titled with the block (linked), its status, SBBs and owner, then the body."""

    option_names: ClassVar[tuple[str, ...]] = ("status", "sbb", "owner")

    def run(self) -> list[nodes.Node]:
        self.prepare()
        ref = self.argument
        status = self.choice("status", DECLARED_STATUSES, Status.ADDRESSED)
        sbb = self.opt_names("sbb")
        if "sbb" in self.options and not sbb:
            self.warn("option", ":sbb: of 'abb' names no product; list them comma-separated")
        owner = self.opt("owner")
        body = self.parse_body()
        justified = any(
            n.astext().strip()
            for n in body
            if not isinstance(n, (nodes.comment, nodes.system_message))
        )
        block_id = None
        if not ref:
            self.warn("option", "'abb' needs a building block, e.g. '.. abb:: data-tools'")
        else:
            block_id = self.resolve(self.model.block_lookup, ref, "building block", "'abb'")
        title_node: nodes.Node
        anchor = None
        if block_id is None:
            title_node = nodes.inline(ref or "?", ref or "?", classes=["mlrefarch-unknown"])
        else:
            title_node = block_link(block_id, self.model.block_map[block_id].title)
            anchor = make_id(self.env, self.state.document, "abb", block_id)
            if status == Status.NOT_APPLICABLE and not justified:
                self.warn(
                    "justification",
                    f"'abb' {block_id!r} is not-applicable but gives no justification; say in "
                    f"the directive's body why the block does not apply to this solution",
                )
            self.domain.add(
                AbbRecord(
                    block=block_id,
                    status=status,
                    **self.where(),
                    anchor=anchor,
                    sbb=tuple(sbb),
                    owner=owner,
                    justified=justified,
                )
            )
        node = self.titled_box(
            anchor, _("Building block"), title_node, status_badge(status), status.css
        )
        node += facts([(_("SBBs"), sbb_list(sbb, self.domain.catalogue)), (_("Owner"), owner)])
        node += body
        return [node]
