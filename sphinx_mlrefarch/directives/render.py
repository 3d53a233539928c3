"""Directives that show aggregate data: they leave placeholders.

Coverage tables, constraint lists, hosting matrices and diagrams depend on
documents other than their own, so at read time these directives only
check their options, note which solutions the page depends on (so that an
incremental build rewrites it when those change) and insert a
:class:`~..nodes.mlrefarch_placeholder`. :mod:`..transforms` fills it in after all
documents are read.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes

from ..nodes import make_placeholder
from .base import LenientOptions, MlrefarchDirective, option_spec, split_list


class PlaceholderDirective(MlrefarchDirective):
    """Common run(): validate, register dependencies, emit one placeholder."""

    takes_content = False
    takes_argument = False

    def make(self, **attributes: object) -> list[nodes.Node]:
        node = make_placeholder(self.env.docname, self.kind, **attributes)
        node.source, node.line = self.get_source_info()
        return [node]

    def depends_on(self, solutions: list[str] | None) -> None:
        """``None``: this document's solution, or all when outside one."""
        docname = self.env.docname
        if solutions is None:
            self.domain.add_aggregate(docname, "@auto")
        elif any(s.casefold() == "all" for s in solutions):
            self.domain.add_aggregate(docname, "*")
        else:
            for sid in solutions:
                self.domain.add_aggregate(docname, sid)

    def layers(self) -> list[str]:
        return self.resolve_all(
            self.model.layer_lookup, split_list(self.opt("layers")), "layer", ":layers:"
        )

    def solution_option(self, name: str = "solution") -> list[str] | None:
        if name not in self.options:
            return None
        values = split_list(self.opt(name))
        if not values:
            self.warn("option", f":{name}: of '{self.kind}' is empty; give a solution id or 'all'")
            return None
        return values


class AbbCoverageDirective(PlaceholderDirective):
    """Coverage of one solution, or the portfolio matrix."""

    option_spec: ClassVar[LenientOptions] = option_spec("solutions", "layers", "show")  # type: ignore[assignment]

    def run(self) -> list[nodes.Node]:
        self.prepare()
        show = self.choice("show", ("all", "missing"), "all")
        solutions = self.solution_option("solutions")
        self.depends_on(solutions)
        return self.make(
            solutions=solutions or [],
            explicit=solutions is not None,
            layers=self.layers(),
            show=show,
        )


class ConstraintListDirective(PlaceholderDirective):
    """The constraints of one solution (or all), optionally of one aspect."""

    option_spec: ClassVar[LenientOptions] = option_spec("aspect", "solution")  # type: ignore[assignment]

    def run(self) -> list[nodes.Node]:
        self.prepare()
        aspect = ""
        if self.opt("aspect"):
            aspect = (
                self.resolve(
                    self.model.aspect_lookup, self.opt("aspect"), "constraint aspect", ":aspect:"
                )
                or ""
            )
        solutions = self.solution_option()
        self.depends_on(solutions)
        return self.make(solutions=solutions or [], explicit=solutions is not None, aspect=aspect)


class HostingMatrixDirective(PlaceholderDirective):
    """Environments x hosting dimensions for one solution."""

    option_spec: ClassVar[LenientOptions] = option_spec("solution")  # type: ignore[assignment]

    def run(self) -> list[nodes.Node]:
        self.prepare()
        solutions = self.solution_option()
        if solutions is not None and len(solutions) > 1:
            self.warn(
                "option", "'hosting-matrix' shows one solution; using the first of :solution:"
            )
            solutions = solutions[:1]
        self.depends_on(solutions)
        return self.make(solutions=solutions or [], explicit=solutions is not None)


class AbbDiagramDirective(PlaceholderDirective):
    """The model as a Mermaid diagram, coloured by one solution's statuses."""

    option_spec: ClassVar[LenientOptions] = option_spec("solution")  # type: ignore[assignment]

    def run(self) -> list[nodes.Node]:
        self.prepare()
        solutions = self.solution_option()
        if solutions is not None:
            solutions = solutions[:1]
            self.depends_on(solutions)
        # without :solution: the diagram is the plain model: no dependency
        return self.make(solutions=solutions or [], explicit=solutions is not None)


class MlProcessDirective(PlaceholderDirective):
    """The ML process as a Mermaid flow with its improve loop."""

    def run(self) -> list[nodes.Node]:
        self.prepare()
        return self.make()
