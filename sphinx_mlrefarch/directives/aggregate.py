"""The base of directives that show data of other documents: they leave placeholders.

Coverage tables, constraint lists, hosting matrices and diagrams depend on
documents other than their own, so at read time these directives only
check their options, record what they select (a :class:`..records.ViewRecord`,
from which findings and incremental rebuilds are derived) and insert a
placeholder that is filled in once every document is read.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes

from ..nodes import make_placeholder
from ..records import ViewRecord
from .base import MlrefarchDirective


class AggregateDirective(MlrefarchDirective):
    """Common parts: no argument, no body, a ``:solution(s):`` option, one placeholder."""

    takes_content: ClassVar[bool] = False
    takes_argument: ClassVar[bool] = False
    #: The option that selects solutions (``solutions`` or ``solution``).
    selector: ClassVar[str] = "solution"
    #: At most this many solutions may be selected (0: any number).
    selects_at_most: ClassVar[int] = 0

    def selected(self) -> list[str] | None:
        """The selected solution names; None when the option is absent (or empty)."""
        name = self.selector
        if name not in self.options:
            return None
        values = self.opt_list(name)
        if not values:
            self.warn("option", f":{name}: of '{self.kind}' is empty; give a solution id or 'all'")
            return None
        if self.selects_at_most and len(values) > self.selects_at_most:
            self.warn("option", f"'{self.kind}' shows one solution; using the first of :{name}:")
            values = values[: self.selects_at_most]
        return values

    def make(self, solutions: list[str] | None, **attributes: object) -> list[nodes.Node]:
        """The placeholder; ``solutions`` None means "this page's solution, or all"."""
        chosen = tuple(solutions or ())
        explicit = solutions is not None
        self.domain.add(
            ViewRecord(kind=self.kind, solutions=chosen, explicit=explicit, **self.where())
        )
        return self.placeholder(solutions=list(chosen), explicit=explicit, **attributes)

    def placeholder(self, **attributes: object) -> list[nodes.Node]:
        """A placeholder for this directive, located at it."""
        node = make_placeholder(self.env.docname, self.kind, **attributes)
        node.source, node.line = self.get_source_info()
        return [node]

    def layers(self) -> list[str]:
        return self.resolve_all(
            self.model.layer_lookup, self.opt_list("layers"), "layer", ":layers:"
        )
