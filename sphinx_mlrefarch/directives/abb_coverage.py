"""``abb-coverage``: one solution's coverage table, or the portfolio matrix."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes

from .aggregate import AggregateDirective


class AbbCoverageDirective(AggregateDirective):
    """Inside a solution its table; with ``:solutions:`` (or outside one) the matrix."""

    option_names: ClassVar[tuple[str, ...]] = ("solutions", "layers", "show")
    selector: ClassVar[str] = "solutions"

    def run(self) -> list[nodes.Node]:
        self.prepare()
        show = self.choice("show", ("all", "missing"), "all")
        return self.make(self.selected(), layers=self.layers(), show=show)
