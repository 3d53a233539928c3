"""What a renderer needs to fill one placeholder, and a table builder.

Renderers are plain functions ``(ctx, placeholder) -> nodes``; they read the
portfolio computed after the read phase and never touch Sphinx state
beyond what :class:`RenderContext` hands them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from docutils import nodes

from ..domain import get_domain
from ..locale import _
from ..model import Model
from .boxes import append
from .rows import ImportedRow, LocalRow, Row

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from ..catalogue import Catalogue
    from ..inventory import Inventory
    from ..nodes import mlrefarch_placeholder
    from ..portfolio import Portfolio, SolutionView


@dataclass
class RenderContext:
    """Everything a renderer reads: the page, and the build's model, data and index."""

    env: BuildEnvironment
    docname: str
    model: Model
    portfolio: Portfolio
    catalogue: Catalogue
    inventory: Inventory

    def doc_title(self, docname: str) -> str:
        title = self.env.titles.get(docname)
        return title.astext() if title is not None else docname

    def chosen_row(self, node: mlrefarch_placeholder) -> Row | None:
        """The one solution a single-solution view shows (``hosting-matrix``, ``abb-diagram``).

        The first of ``:solution:`` (this project's or an imported ``NAME:id``),
        else the page's own solution; None when there is none. A name that
        matches no solution was reported after reading (see
        :func:`..findings.check_views`).
        """
        if node.get("explicit"):
            shown = self.rows(node)
            return shown[0] if shown else None
        here = self.current_solution()
        return LocalRow(here) if here is not None else None

    def rows(self, node: mlrefarch_placeholder) -> list[Row]:
        """The solutions an aggregate shows, imported ones included.

        The explicit list, else the page's own solution, else every solution.
        """
        if node.get("explicit"):
            local, imported, _unknown = self.portfolio.select(node["solutions"])
        else:
            here = self.current_solution()
            local = [here] if here is not None else list(self.portfolio.solutions.values())
            imported = [] if here is not None else list(self.portfolio.imported.values())
        projects = self.portfolio.projects
        out: list[Row] = [LocalRow(view) for view in local]
        out += [ImportedRow(s, projects[s.project]) for s in imported]
        return out

    def current_solution(self) -> SolutionView | None:
        return self.portfolio.solution_of(self.docname)


def render_context(env: BuildEnvironment, docname: str) -> RenderContext:
    """The context of a placeholder read in ``docname``, from the build's domain."""
    domain = get_domain(env)
    return RenderContext(
        env, docname, domain.model, domain.portfolio, domain.catalogue, domain.inventory
    )


Cell: TypeAlias = nodes.Node | str | Sequence[nodes.Node] | None


def _entry(value: Cell, classes: Sequence[str] = ()) -> nodes.entry:
    if isinstance(value, nodes.entry):
        return value
    entry = nodes.entry(classes=list(classes))
    if value is None or value == "":
        return entry
    para = nodes.paragraph()
    append(para, value)
    entry += para
    return entry


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell] | nodes.row],
    classes: Sequence[str] = (),
    widths: Sequence[int] | None = None,
    row_classes: Sequence[Sequence[str]] | None = None,
) -> nodes.table:
    """A docutils table; rows may be prebuilt ``nodes.row`` objects (spanning rows)."""
    node = nodes.table(classes=["mlrefarch-table", *classes])
    group = nodes.tgroup(cols=len(headers))
    node += group
    for width in widths or [max(len(h), 10) for h in headers]:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    header_row = nodes.row()
    for title in headers:
        header_row += _entry(title)
    head += header_row
    group += head
    body = nodes.tbody()
    for index, cells in enumerate(rows):
        if isinstance(cells, nodes.row):
            body += cells
            continue
        row = nodes.row(classes=list(row_classes[index]) if row_classes else [])
        for cell in cells:
            row += _entry(cell)
        body += row
    if not len(body):
        body += group_row(_("(nothing to show)"), len(headers), "mlrefarch-empty")
    group += body
    return node


def group_row(content: Cell, columns: int, *classes: str) -> nodes.row:
    """A row with ``content`` in its first cell and the others empty.

    Not a spanning cell: the man page writer cannot span cells and warns.
    """
    row = nodes.row(classes=list(classes))
    row += _entry(content)
    for _column in range(columns - 1):
        row += nodes.entry()
    return row


def cell(value: Cell, *classes: str) -> nodes.entry:
    return _entry(value, classes)
