"""``hosting-matrix``: environments x hosting dimensions for one solution."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes

from .aggregate import AggregateDirective


class HostingMatrixDirective(AggregateDirective):
    """The hosting choices of this page's solution, or of ``:solution:``."""

    option_names: ClassVar[tuple[str, ...]] = ("solution",)
    selects_at_most: ClassVar[int] = 1

    def run(self) -> list[nodes.Node]:
        self.prepare()
        return self.make(self.selected())
