"""``sbb-usage``: the technology inventory of the chosen solutions."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes

from .aggregate import AggregateDirective


class SbbUsageDirective(AggregateDirective):
    """Every product named in any declaration, with licence, blocks and solutions."""

    option_names: ClassVar[tuple[str, ...]] = ("solutions",)
    selector: ClassVar[str] = "solutions"

    def run(self) -> list[nodes.Node]:
        self.prepare()
        return self.make(self.selected())
