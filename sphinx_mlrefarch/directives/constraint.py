"""``constraint``: a constraint on the solution, filed under one of the model's aspects."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from sphinx.util.nodes import make_id

from ..locale import _
from ..records import ConstraintRecord
from ..render.boxes import block_link, facts, joined, labelled_badge
from ..status import Priority
from .base import MlrefarchDirective


class ConstraintDirective(MlrefarchDirective):
    """A box with the constraint's aspect, the blocks it affects, its priority and source."""

    option_names: ClassVar[tuple[str, ...]] = ("id", "aspect", "affects", "priority", "source")

    def run(self) -> list[nodes.Node]:
        self.prepare()
        model = self.model
        title = self.title("Customer data stays in the EU")
        cid = self.slug_option("id", title)
        aspect = ""
        lookup = model.aspect_lookup
        if self.opt("aspect"):
            aspect = self.resolve(lookup, self.opt("aspect"), "constraint aspect", ":aspect:") or ""
        else:
            choices = ", ".join(lookup.ids)
            self.warn("option", f"'constraint' {title!r} needs :aspect: (one of {choices})")
        affects = self.resolve_all(
            model.block_lookup, self.opt_list("affects"), "building block", ":affects:"
        )
        priority = self.choice("priority", Priority, Priority.MUST)
        anchor = make_id(self.env, self.state.document, "constraint", cid)
        self.domain.add(
            ConstraintRecord(
                id=cid,
                title=title,
                aspect=aspect,
                **self.where(),
                anchor=anchor,
                affects=tuple(affects),
                priority=priority,
                source=self.opt("source"),
            )
        )
        node = self.titled_box(
            anchor,
            _("Constraint"),
            nodes.strong(title, title),
            labelled_badge(priority, "priority"),
            f"mlrefarch-priority-{priority}",
        )
        node += facts(
            [
                (_("Aspect"), model.title_of(model.constraint_aspects, aspect)),
                (_("Affects"), joined([block_link(b, model.block_map[b].title) for b in affects])),
                (_("Source"), self.opt("source")),
            ]
        )
        node += self.parse_body()
        return [node]
