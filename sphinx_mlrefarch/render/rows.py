"""Solutions as rows of the aggregate tables, wherever they were declared.

A portfolio matrix or constraint list shows this project's solutions and
imported ones side by side. :class:`LocalRow` and :class:`ImportedRow`
give both the same face: a linked title, coverage figures, a status per
block; an imported one links to its own site and says where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from docutils import nodes

from ..imports import ImportedHosting, ImportedProject, ImportedSolution, link
from ..links import IMPORTED_LINK
from ..locale import _
from ..portfolio import SolutionView
from ..records import HostingRecord
from ..status import N_, SATISFYING, Status
from .boxes import anchor_link

__all__ = [
    "NOT_IN_MODEL",
    "ConstraintRow",
    "HostingRow",
    "ImportedRow",
    "LocalRow",
    "Row",
    "constraints_of",
    "external_link",
    "hosting_of",
    "imported_mark",
]


#: The mark and label of a block that the model of an imported solution does not have.
NOT_IN_MODEL = ("\u2205", N_("not in its model"))


def external_link(url: str | None, content: nodes.Node) -> nodes.Node:
    """``content`` linked to an address elsewhere (or alone when there is none)."""
    if url is None:
        return content
    node = nodes.reference("", "", internal=False, refuri=url, classes=[IMPORTED_LINK])
    node += content
    return node


def imported_mark(project: str) -> nodes.inline:
    """The small note that a row comes from another project."""
    text = _("imported from {project}").format(project=project)
    return nodes.inline(text, text, classes=["mlrefarch-badge", "mlrefarch-imported"])


class Row(Protocol):
    """What the aggregate tables need of a solution."""

    @property
    def key(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def origin(self) -> str | None:
        """The name of the import it comes from; None for this project's own."""
        ...

    @property
    def percent(self) -> float: ...

    @property
    def satisfied(self) -> int: ...

    @property
    def required(self) -> int: ...

    def title_cell(self) -> list[nodes.Node]: ...

    def status(self, block: str) -> Status: ...

    def in_model(self, block: str) -> bool:
        """Whether the model it was built with has ``block`` (else it has no status for it)."""
        ...

    def is_required(self, block: str) -> bool: ...

    def satisfies(self, block: str) -> bool: ...

    def mark_link(self, block: str, content: nodes.Element) -> nodes.Node: ...


@dataclass(frozen=True)
class LocalRow:
    """A solution of this project."""

    view: SolutionView

    @property
    def key(self) -> str:
        return self.view.id

    @property
    def title(self) -> str:
        return self.view.title

    @property
    def origin(self) -> str | None:
        return None

    @property
    def percent(self) -> float:
        return self.view.coverage.percent

    @property
    def satisfied(self) -> int:
        return self.view.coverage.satisfied

    @property
    def required(self) -> int:
        return len(self.view.coverage.required)

    def title_cell(self) -> list[nodes.Node]:
        record = self.view.record
        return [anchor_link(record.docname, record.anchor, record.title)]

    def status(self, block: str) -> Status:
        return self.view.coverage.blocks[block]

    def in_model(self, block: str) -> bool:
        return True

    def is_required(self, block: str) -> bool:
        return block in self.view.coverage.required

    def satisfies(self, block: str) -> bool:
        return self.view.coverage.satisfies(block)

    def mark_link(self, block: str, content: nodes.Element) -> nodes.Node:
        decided = self.view.coverage.decided_by.get(block)
        if decided is None:
            return content
        return anchor_link(decided.docname, decided.anchor, content)


@dataclass(frozen=True)
class ImportedRow:
    """A solution of another project, as its own build computed it."""

    solution: ImportedSolution
    project: ImportedProject

    @property
    def key(self) -> str:
        return self.solution.address

    @property
    def title(self) -> str:
        return self.solution.title

    @property
    def origin(self) -> str | None:
        return self.project.name

    @property
    def percent(self) -> float:
        return self.solution.coverage.percent

    @property
    def satisfied(self) -> int:
        return self.solution.coverage.satisfied

    @property
    def required(self) -> int:
        return self.solution.coverage.required

    def title_cell(self) -> list[nodes.Node]:
        title = nodes.Text(self.solution.title)
        url = link(self.project, self.solution.uri)
        return [external_link(url, title), nodes.Text(" "), imported_mark(self.project.name)]

    def status(self, block: str) -> Status:
        return self.solution.coverage.status_of(block)

    def in_model(self, block: str) -> bool:
        return self.solution.coverage.knows(block)

    def is_required(self, block: str) -> bool:
        return block in self.solution.coverage.required_blocks

    def satisfies(self, block: str) -> bool:
        return self.status(block) in SATISFYING and block not in self.solution.coverage.missing

    def mark_link(self, block: str, content: nodes.Element) -> nodes.Node:
        for declaration in self.solution.declarations:
            if declaration.block == block:
                return external_link(link(self.project, declaration.uri), content)
        return content


@dataclass(frozen=True)
class ConstraintRow:
    """A constraint as ``constraint-list`` shows it, local or imported."""

    title_cell: nodes.Node
    aspect: str
    priority: str
    affects: tuple[str, ...]
    source: str = ""


def constraints_of(row: Row) -> list[ConstraintRow]:
    """The constraints of a solution row, each with its title linked."""
    if isinstance(row, LocalRow):
        return [
            ConstraintRow(
                anchor_link(c.docname, c.anchor, c.title), c.aspect, c.priority, c.affects, c.source
            )
            for c in row.view.constraints
        ]
    if isinstance(row, ImportedRow):
        return [
            ConstraintRow(
                external_link(link(row.project, c.uri), nodes.Text(c.title)),
                c.aspect,
                c.priority,
                c.affects,
                c.source,
            )
            for c in row.solution.constraints
        ]
    return []


@dataclass(frozen=True)
class HostingRow:
    """A hosting choice as ``hosting-matrix`` shows it, local or imported."""

    title_cell: list[nodes.Node]
    #: The choice: its environments and the fields of :data:`.tables.HOSTING_COLUMNS`.
    choice: HostingRecord | ImportedHosting


def hosting_of(row: Row) -> list[HostingRow]:
    """The hosting choices of a solution row, titles linked (and marked when imported)."""
    if isinstance(row, LocalRow):
        return [
            HostingRow([anchor_link(h.docname, h.anchor, h.title)], h) for h in row.view.hosting
        ]
    if isinstance(row, ImportedRow):
        mark = row.project.name
        return [
            HostingRow(
                [
                    external_link(link(row.project, h.uri), nodes.Text(h.title)),
                    nodes.Text(" "),
                    imported_mark(mark),
                ],
                h,
            )
            for h in row.solution.hosting
        ]
    return []
