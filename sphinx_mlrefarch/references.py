"""Roles and their targets: which ones name nothing (``mlrefarch.ref``), and what they mean.

Pure: the portfolio and the model answer every question, so the domain
(resolving a role while writing) and the checks (after reading) agree on
what a ``:constraint:`` or ``:solution:`` target names.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from .findings import Finding
from .imports import ImportedConstraint, ImportedSolution
from .model import Model
from .names import close_matches, did_you_mean, hint, norm
from .portfolio import Portfolio
from .records import ConstraintRecord, ReferenceRecord

__all__ = ["check_references", "constraint_names", "find_constraint", "find_imported_constraint"]


def check_references(
    model: Model,
    portfolio: Portfolio,
    references: Iterable[ReferenceRecord],
    foreign_blocks: Collection[str] = (),
) -> list[Finding]:
    """Roles whose target does not exist (``mlrefarch.ref``).

    ``foreign_blocks`` are block ids other projects' inventories (intersphinx)
    define: an ``:abb:`` naming one of them is not dangling.
    """
    out: list[Finding] = []
    known = sorted([*portfolio.solutions, *portfolio.imported])
    for ref in references:
        if ref.role == "abb":
            if model.block_lookup.resolve(ref.target) is not None or ref.target in foreign_blocks:
                continue
            message = f"unknown building block {ref.target!r} in :abb: role" + did_you_mean(
                model.block_lookup.suggest(ref.target)
            )
        elif ref.role == "solution":
            if portfolio.find(ref.target) or portfolio.find_imported(ref.target):
                continue
            message = f"unknown solution {ref.target!r} in :solution: role" + hint(
                ref.target, known
            )
        else:
            if find_constraint(portfolio, ref.target, ref.docname) is not None:
                continue
            if find_imported_constraint(portfolio, ref.target) is not None:
                continue
            message = (
                f"unknown constraint {ref.target!r} in :{ref.role}: role; use a constraint id "
                f"of the current solution or 'solution-id/constraint-id'"
            ) + did_you_mean(close_matches(ref.target, constraint_names(portfolio, ref.docname)))
        out.append(Finding.at("ref", message, ref))
    return out


def constraint_names(portfolio: Portfolio, fromdoc: str) -> list[str]:
    """What a constraint role may name from ``fromdoc``, for a did-you-mean.

    The current solution's constraints by bare id first, then every
    constraint as ``solution-id/constraint-id`` (imported ones with their
    ``NAME:`` prefix).
    """
    here = portfolio.solution_of(fromdoc)
    names = [record.id for record in here.constraints] if here is not None else []
    for view in portfolio.solutions.values():
        names += [f"{view.id}/{record.id}" for record in view.constraints]
    for solution in portfolio.imported.values():
        names += [f"{solution.address}/{constraint.id}" for constraint in solution.constraints]
    return names


def find_imported_constraint(
    portfolio: Portfolio, target: str
) -> tuple[ImportedSolution, ImportedConstraint] | None:
    """The imported constraint ``NAME:solution-id/constraint-id`` names, or None."""
    address, _, cid = target.rpartition("/")
    solution = portfolio.find_imported(address) if address else None
    if solution is None:
        return None
    key = norm(cid)
    for constraint in solution.constraints:
        if constraint.id == cid or norm(constraint.title) == key:
            return solution, constraint
    return None


def find_constraint(portfolio: Portfolio, target: str, fromdoc: str) -> ConstraintRecord | None:
    """The constraint a ``:constraint:`` role means: ``solution/id``, or an id of this solution.

    Without a solution part, the current solution is searched first, then
    every solution in id order.
    """
    sid, _, cid = target.rpartition("/")
    if sid:
        found = portfolio.find(sid)
        views = [portfolio.solutions[found]] if found is not None else []
    else:
        here = portfolio.solution_of(fromdoc)
        views = ([here] if here is not None else []) + list(portfolio.solutions.values())
    for view in views:
        record = view.find_constraint(cid)
        if record is not None:
            return record
    return None
