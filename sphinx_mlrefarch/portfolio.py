"""Assemble solutions from declarations scattered over documents.

Pure: given the model, the records the directives left in each document
and the toctree (document -> documents it includes), work out which
solution each document belongs to, gather each solution's declarations
and compute its coverage. What is wrong across documents (two solutions
with one id, a document claimed twice) is kept as data here and phrased
as warnings by :mod:`.findings`.

A solution's scope is its document plus every document in that document's
toctree subtree that does not declare a solution of its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .coverage import Coverage, Effective, compute, declarations, requirement
from .imports import ImportedDeclaration, ImportedProject, ImportedSolution
from .model import Model
from .names import norm
from .records import AbbRecord, ConstraintRecord, HostingRecord, Place, SolutionRecord
from .status import Via

__all__ = ["Backlink", "Contested", "Portfolio", "SolutionView", "assemble"]


@dataclass(frozen=True)
class SolutionView:
    """One solution with everything declared in its scope."""

    record: SolutionRecord
    docnames: tuple[str, ...]
    abbs: tuple[AbbRecord, ...]
    constraints: tuple[ConstraintRecord, ...]
    hosting: tuple[HostingRecord, ...]
    required: tuple[str, ...]
    coverage: Coverage

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def title(self) -> str:
        return self.record.title

    def fingerprint(self) -> str:
        """Changes whenever anything an aggregate view of this solution shows changes."""
        text = repr(
            (self.record, self.docnames, self.abbs, self.constraints, self.hosting, self.required)
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def find_constraint(self, name: str) -> ConstraintRecord | None:
        """The constraint with id ``name`` (or that title, any case) in this solution."""
        key = norm(name)
        for record in self.constraints:
            if record.id == name or norm(record.title) == key:
                return record
        return None


@dataclass(frozen=True)
class Backlink(Effective):
    """A declaration that addresses a block, for the reference book's "Addressed by"."""

    solution: str


@dataclass(frozen=True)
class Contested:
    """A document in the toctrees of two solutions: the first one keeps it."""

    document: str
    parent: str
    kept_by: str
    claimed_by: SolutionRecord


@dataclass
class Portfolio:
    """All solutions of a project, by id (sorted), and where scopes went wrong."""

    solutions: dict[str, SolutionView] = field(default_factory=dict)
    doc_solution: dict[str, str] = field(default_factory=dict)
    #: Solutions that lost their id to an earlier one: (the loser, the owner).
    shadowed: list[tuple[SolutionRecord, SolutionRecord]] = field(default_factory=list)
    #: Documents below a shadowed solution (their declarations count nowhere).
    shadowed_docs: set[str] = field(default_factory=set)
    contested: list[Contested] = field(default_factory=list)
    #: Imported projects by name, and their solutions by address (``NAME:id``), sorted.
    projects: dict[str, ImportedProject] = field(default_factory=dict)
    imported: dict[str, ImportedSolution] = field(default_factory=dict)
    #: Back-links by block, built on first use (the portfolio is not changed after assembly).
    backlink_index: dict[str, list[Backlink]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def find(self, name: str) -> str | None:
        """The id of the solution ``name`` refers to: its id (any case) or its title."""
        if name in self.solutions:
            return name
        key = norm(name)
        for sid in self.solutions:
            if norm(sid) == key:
                return sid
        for sid, view in self.solutions.items():
            if norm(view.record.title) == key:
                return sid
        return None

    def find_imported(self, name: str) -> ImportedSolution | None:
        """The imported solution ``NAME:id`` (any case) refers to, or None."""
        project, sep, sid = name.partition(":")
        if not sep:
            return None
        return self.imported.get(f"{project.strip().casefold()}:{sid.strip()}")

    def select(
        self, names: Iterable[str]
    ) -> tuple[list[SolutionView], list[ImportedSolution], list[str]]:
        """What ``:solutions:`` names: local views, imported solutions, names that match none.

        ``all`` is every solution, imported ones included; ``NAME:*`` every
        solution of one import; ``NAME:id`` one imported solution; any other
        name a local solution by id or title.
        """
        local: list[SolutionView] = []
        imported: list[ImportedSolution] = []
        unknown: list[str] = []
        for name in names:
            project, sep, sid = name.partition(":")
            if name.casefold() == "all":
                local += self.solutions.values()
                imported += self.imported.values()
            elif sep and sid.strip() == "*":
                chosen = self.projects.get(project.strip().casefold())
                if chosen is None:
                    unknown.append(name)
                else:
                    imported += [self.imported[f"{chosen.name}:{s.id}"] for s in chosen.solutions]
            elif sep:
                found = self.find_imported(name)
                if found is None:
                    unknown.append(name)
                else:
                    imported.append(found)
            else:
                sid = self.find(name) or ""
                if sid:
                    local.append(self.solutions[sid])
                else:
                    unknown.append(name)
        local_ids = {view.id: view for view in local}
        imported_ids = {solution.address: solution for solution in imported}
        return list(local_ids.values()), list(imported_ids.values()), unknown

    def imported_backlinks(self, block: str) -> list[tuple[ImportedSolution, ImportedDeclaration]]:
        """The imported declarations that address ``block`` (one per solution and block)."""
        out = []
        for solution in self.imported.values():
            for declaration in solution.declarations:
                if declaration.block == block:
                    out.append((solution, declaration))
                    break
        return out

    def totals(self) -> tuple[int, int]:
        """(satisfied, required) summed over all solutions."""
        required = sum(len(v.coverage.required) for v in self.solutions.values())
        satisfied = sum(v.coverage.satisfied for v in self.solutions.values())
        return satisfied, required

    def solution_of(self, docname: str) -> SolutionView | None:
        sid = self.doc_solution.get(docname)
        return self.solutions.get(sid) if sid is not None else None

    def backlinks(self, block: str) -> list[Backlink]:
        """Every declaration in the project that addresses ``block`` (solution order)."""
        if self.backlink_index is None:
            self.backlink_index = self._index_backlinks()
        return self.backlink_index.get(block, [])

    def _index_backlinks(self) -> dict[str, list[Backlink]]:
        index: dict[str, list[Backlink]] = {}
        for view in self.solutions.values():
            declared: set[str] = set()
            for record, blocks in declarations(view.abbs, view.hosting):
                for block in blocks:
                    # every abb counts (also a repeated one); a hosting choice only
                    # for blocks nothing else declared
                    if record.via == Via.HOSTING_CHOICE and block in declared:
                        continue
                    declared.add(block)
                    index.setdefault(block, []).append(Backlink(block, record, view.id))
        return index


def assemble(
    model: Model,
    default_required: str | Sequence[str],
    solutions: Mapping[str, SolutionRecord],
    abbs: Mapping[str, Sequence[AbbRecord]],
    constraints: Mapping[str, Sequence[ConstraintRecord]],
    hosting: Mapping[str, Sequence[HostingRecord]],
    toctree: Mapping[str, Sequence[str]],
    imports: Sequence[ImportedProject] = (),
) -> Portfolio:
    """Build the portfolio; deterministic for the same inputs, whatever their order.

    Imported solutions are taken as their own build computed them.
    """
    portfolio = Portfolio()
    for project in sorted(imports, key=lambda p: p.name):
        portfolio.projects[project.name] = project
        for solution in project.solutions:
            portfolio.imported[solution.address] = solution

    # one solution per id: the first document (sorted) keeps it
    owners: dict[str, str] = {}  # solution id -> docname
    shadowed_roots: list[str] = []
    for docname in sorted(solutions):
        record = solutions[docname]
        first = owners.get(record.id)
        if first is not None:
            portfolio.shadowed.append((record, solutions[first]))
            shadowed_roots.append(docname)
            continue
        owners[record.id] = docname

    # scopes: breadth-first through each solution document's toctree
    scope: dict[str, list[str]] = {}
    for sid, root in sorted(owners.items(), key=lambda item: item[1]):
        members = [root]
        portfolio.doc_solution[root] = sid

        def claim(
            parent: str, child: str, sid: str = sid, root: str = root, members: list[str] = members
        ) -> bool:
            taken = portfolio.doc_solution.get(child)
            if taken is None:
                portfolio.doc_solution[child] = sid
                members.append(child)
                return True
            if taken != sid:
                portfolio.contested.append(Contested(child, parent, taken, solutions[root]))
            return False

        _walk(root, toctree, solutions, claim)
        scope[sid] = members

    # a solution that lost its id to another already has a warning; so do not
    # report the declarations below it as being outside any solution
    def shadow(_parent: str, child: str) -> bool:
        portfolio.shadowed_docs.add(child)
        return True

    for root in shadowed_roots:
        portfolio.shadowed_docs.add(root)
        _walk(root, toctree, solutions, shadow)

    for sid in sorted(owners):
        record = solutions[owners[sid]]
        docs = tuple(scope[sid])
        view_abbs = tuple(a for d in docs for a in sorted(abbs.get(d, ()), key=_line))
        view_cons = tuple(c for d in docs for c in sorted(constraints.get(d, ()), key=_line))
        view_host = tuple(h for d in docs for h in sorted(hosting.get(d, ()), key=_line))
        needs = requirement(
            model, default_required, record.required, record.exclude, record.profiles
        )
        coverage = compute(model, needs.blocks, view_abbs, view_host, needs.strict)
        view = SolutionView(record, docs, view_abbs, view_cons, view_host, needs.blocks, coverage)
        portfolio.solutions[sid] = view
    return portfolio


def _walk(
    root: str,
    toctree: Mapping[str, Sequence[str]],
    solutions: Mapping[str, SolutionRecord],
    enter: Callable[[str, str], bool],
) -> None:
    """Breadth-first below ``root``, not entering other solutions' documents.

    ``enter(parent, child)`` decides whether to go below ``child``. Each
    document is visited once, so toctree cycles end.
    """
    queue = [root]
    seen = {root}
    while queue:
        current = queue.pop(0)
        for child in toctree.get(current, ()):
            if child in seen:
                continue
            seen.add(child)
            if child in solutions:
                continue  # a solution of its own starts a new scope
            if enter(current, child):
                queue.append(child)


def _line(item: Place) -> int:
    return item.line or 0
