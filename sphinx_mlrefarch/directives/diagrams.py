"""``abb-diagram`` and ``ml-process``: Mermaid diagrams of the model and the ML process."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes

from .aggregate import AggregateDirective


class AbbDiagramDirective(AggregateDirective):
    """The model's layers and blocks, coloured by one ``:solution:``'s statuses."""

    option_names: ClassVar[tuple[str, ...]] = ("solution",)

    def run(self) -> list[nodes.Node]:
        self.prepare()
        solutions = self.selected()
        if solutions is None:  # the plain model: it shows nothing of other documents
            return self.placeholder(solutions=[], explicit=False)
        return self.make(solutions[:1])


class MlProcessDirective(AggregateDirective):
    """The ML process as a flow with its improve loop (the model's data only)."""

    def run(self) -> list[nodes.Node]:
        self.prepare()
        return self.placeholder()
