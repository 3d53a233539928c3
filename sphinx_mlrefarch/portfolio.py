"""Assemble solutions from declarations scattered over documents.

Pure: given the model, the records the directives left in each document
and the toctree (document -> documents it includes), work out which
solution each document belongs to, gather each solution's declarations,
compute its coverage and list the cross-document problems (duplicates,
declarations outside any solution, hosting gaps, missing blocks) as
:class:`Finding` objects that the Sphinx layer turns into warnings.

A solution's scope is its document plus every document in that document's
toctree subtree that does not declare a solution of its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .coverage import Coverage, compute, required_blocks
from .model import Model, _norm
from .records import AbbRecord, ConstraintRecord, HostingRecord, SolutionRecord

__all__ = ["Finding", "Portfolio", "SolutionView", "assemble"]


Declared = SolutionRecord | AbbRecord | ConstraintRecord | HostingRecord


@dataclass(frozen=True)
class Finding:
    """A problem found across documents, ready to become a warning."""

    subtype: str
    message: str
    docname: str
    line: int | None
    #: The file of the directive when known (it may be an included file).
    file: str = ""

    @classmethod
    def at(cls, subtype: str, message: str, record: Declared) -> Finding:
        return cls(subtype, message, record.docname, record.line, record.file)

    @property
    def location(self) -> str | tuple[str, int | None]:
        """``file:line`` when the file is known, else ``(docname, line)`` for Sphinx."""
        if self.file and self.line is not None:
            return f"{self.file}:{self.line}"
        return (self.docname, self.line)


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

    def fingerprint(self) -> str:
        """Changes whenever anything an aggregate view of this solution shows changes."""
        text = repr(
            (self.record, self.docnames, self.abbs, self.constraints, self.hosting, self.required)
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Backlink:
    """A declaration that addresses a block, for the reference book."""

    solution: str
    status: str
    via: str
    docname: str
    anchor: str


@dataclass
class Portfolio:
    """All solutions of a project, by id (sorted), and the findings."""

    solutions: dict[str, SolutionView] = field(default_factory=dict)
    doc_solution: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: Back-links by block, built on first use (the portfolio is not changed after assembly).
    _backlinks: dict[str, list[Backlink]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def find(self, name: str) -> str | None:
        """The id of the solution ``name`` refers to: its id (any case) or its title."""
        if name in self.solutions:
            return name
        key = _norm(name)
        for sid in self.solutions:
            if _norm(sid) == key:
                return sid
        for sid, view in self.solutions.items():
            if _norm(view.record.title) == key:
                return sid
        return None

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
        if self._backlinks is None:
            self._backlinks = self._index_backlinks()
        return self._backlinks.get(block, [])

    def _index_backlinks(self) -> dict[str, list[Backlink]]:
        index: dict[str, list[Backlink]] = {}
        for view in self.solutions.values():
            declared = set()
            for abb in view.abbs:
                declared.add(abb.block)
                index.setdefault(abb.block, []).append(
                    Backlink(view.id, abb.status, "abb", abb.docname, abb.anchor)
                )
            for choice in view.hosting:
                for block in choice.blocks():
                    if block not in declared:
                        declared.add(block)
                        index.setdefault(block, []).append(
                            Backlink(view.id, "addressed", "hosting", choice.docname, choice.anchor)
                        )
        return index


def _where(doc2path: Callable[[str], str], record: Declared) -> str:
    """Where a declaration is, for messages that name a second place."""
    path = record.file or doc2path(record.docname)
    return f"{path}:{record.line}" if record.line is not None else path


def assemble(
    model: Model,
    default_required: str | Sequence[str],
    solutions: Mapping[str, SolutionRecord],
    abbs: Mapping[str, Sequence[AbbRecord]],
    constraints: Mapping[str, Sequence[ConstraintRecord]],
    hosting: Mapping[str, Sequence[HostingRecord]],
    toctree: Mapping[str, Sequence[str]],
    doc2path: Callable[[str], str] = str,
) -> Portfolio:
    """Build the portfolio; deterministic for the same inputs, whatever their order."""
    portfolio = Portfolio()
    findings = portfolio.findings

    # one solution per id: the first document (sorted) keeps it
    owners: dict[str, str] = {}  # solution id -> docname
    shadowed: set[str] = set()
    for docname in sorted(solutions):
        record = solutions[docname]
        first = owners.get(record.id)
        if first is not None:
            findings.append(
                Finding.at(
                    "duplicate",
                    f"solution id {record.id!r} is already used by the solution in "
                    f"{_where(doc2path, solutions[first])}; give this solution its own :id:",
                    record,
                )
            )
            shadowed.add(docname)
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
                findings.append(
                    Finding.at(
                        "scope",
                        f"document {doc2path(child)!r} (in the toctree of {doc2path(parent)!r}) "
                        f"belongs to solutions {taken!r} and {sid!r}; its declarations count "
                        f"for {taken!r} only",
                        solutions[root],
                    )
                )
            return False

        _walk(root, toctree, solutions, claim)
        scope[sid] = members

    # a solution that lost its id to another already has a warning; so do not
    # report the declarations below it as being outside any solution
    def shadow(_parent: str, child: str) -> bool:
        shadowed.add(child)
        return True

    for root in sorted(shadowed):
        _walk(root, toctree, solutions, shadow)

    # declarations outside any solution
    for kind, table in (("abb", abbs), ("constraint", constraints), ("hosting-choice", hosting)):
        for docname in sorted(table):
            if docname in portfolio.doc_solution or docname in shadowed:
                continue
            for item in table[docname]:
                findings.append(
                    Finding.at(
                        "scope",
                        f"{kind} declared outside any solution; put it in a document with a "
                        f"'solution' directive or in the toctree below one",
                        item,
                    )
                )

    for sid in sorted(owners):
        record = solutions[owners[sid]]
        docs = tuple(scope[sid])
        view_abbs = tuple(a for d in docs for a in sorted(abbs.get(d, ()), key=_line))
        view_cons = tuple(c for d in docs for c in sorted(constraints.get(d, ()), key=_line))
        view_host = tuple(h for d in docs for h in sorted(hosting.get(d, ()), key=_line))
        required, _unknown = required_blocks(
            model, default_required, record.required, record.exclude
        )
        coverage = compute(model, required, view_abbs, view_host)
        view = SolutionView(record, docs, view_abbs, view_cons, view_host, required, coverage)
        portfolio.solutions[sid] = view
        findings.extend(_check(model, view, doc2path))
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


def _line(item: AbbRecord | ConstraintRecord | HostingRecord) -> int:
    return item.line or 0


def _check(model: Model, view: SolutionView, doc2path: Callable[[str], str]) -> list[Finding]:
    out: list[Finding] = []
    record = view.record
    seen_abb: dict[str, AbbRecord] = {}
    for abb in view.abbs:
        first = seen_abb.get(abb.block)
        if first is None:
            seen_abb[abb.block] = abb
            continue
        out.append(
            Finding.at(
                "duplicate",
                f"building block {abb.block!r} is declared twice in solution {view.id!r}: "
                f"here and at {_where(doc2path, first)}; keep one declaration (the first one "
                f"counts)",
                abb,
            )
        )
    seen_con: dict[str, ConstraintRecord] = {}
    for con in view.constraints:
        first_con = seen_con.get(con.id)
        if first_con is None:
            seen_con[con.id] = con
            continue
        out.append(
            Finding.at(
                "duplicate",
                f"constraint id {con.id!r} is used twice in solution {view.id!r}: here and at "
                f"{_where(doc2path, first_con)}; give it its own :id:",
                con,
            )
        )
    if view.hosting:
        out.extend(_check_hosting(model, view))
    for block_id in view.coverage.missing:
        block = model.block_map[block_id]
        state = MISSING_MESSAGES[view.coverage.gap(block_id)]
        out.append(
            Finding.at(
                "missing",
                f"solution {view.id!r}: required building block {block_id!r} "
                f"({block.title}) {state}",
                record,
            )
        )
    return out


MISSING_MESSAGES = {
    "missing": "is missing: no 'abb' declaration or hosting choice addresses it",
    "planned": "is only planned; it counts once it is addressed or partial",
    "unjustified": (
        "is missing a justification: it is marked not-applicable, but the directive has no "
        "body that says why"
    ),
}


def _check_hosting(model: Model, view: SolutionView) -> list[Finding]:
    known = {e.id for e in model.hosting.environments}
    covered = {env for choice in view.hosting for env in choice.environment}
    gaps = []
    if "production" in known and "production" not in covered:
        gaps.append("none covers 'production'")
    build_envs = [e for e in ("development", "training") if e in known]
    if build_envs and not covered.intersection(build_envs):
        names = " or ".join(f"'{e}'" for e in build_envs)
        gaps.append(f"none covers {names}")
    if not gaps:
        return []
    return [
        Finding.at(
            "hosting",
            f"solution {view.id!r} has hosting choices, but {' and '.join(gaps)}; "
            f"decide the infrastructure for building models (development or training) "
            f"and for running them (production) with :environment:",
            view.record,
        )
    ]
