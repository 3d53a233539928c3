"""``constraint-list``: the constraints of one solution (or all), optionally of one aspect."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes

from .aggregate import AggregateDirective


class ConstraintListDirective(AggregateDirective):
    """A table of constraints; ``:aspect:`` filters, ``:solution:`` selects."""

    option_names: ClassVar[tuple[str, ...]] = ("aspect", "solution")

    def run(self) -> list[nodes.Node]:
        self.prepare()
        aspect = ""
        if self.opt("aspect"):
            lookup = self.model.aspect_lookup
            aspect = self.resolve(lookup, self.opt("aspect"), "constraint aspect", ":aspect:") or ""
        return self.make(self.selected(), aspect=aspect)
