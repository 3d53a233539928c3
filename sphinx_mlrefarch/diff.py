"""What a change did to a portfolio: two ``mlrefarch.json`` documents compared. Pure.

The input is the parsed JSON of two builds, already checked by the caller
against the schema (``cli/diff.py``). Files of neighbouring releases must
compare: keys this module does not know are ignored, and keys a release
added later (``profiles``, ``strict``, ``uri``, ``catalogue``, ...) are read
with defaults when absent. Place fields (``docname``, ``line``, ``uri``) are
never compared: moving a declaration to another page changes no
architecture.

What counts as a regression (:func:`regressions`) follows the specification:
a solution that disappeared, a required block that was satisfied and is
not any more, or a solution that satisfies fewer required blocks than
before (also when that is because its required set or the model shrank:
the numbers a reviewer sees went down, so the change deserves a look).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .diff_entries import (
    BlockChange,
    EntryChange,
    EntryChanges,
    FieldChange,
    FileChanges,
    block_changes,
    entry_changes,
    field_changes,
    file_changes,
)
from .records import HOSTING_OPTIONS
from .status import SATISFYING, Status

__all__ = [
    "CONSTRAINT_FIELDS",
    "HOSTING_FIELDS",
    "SOLUTION_FIELDS",
    "BlockChange",
    "Counts",
    "Diff",
    "EntryChange",
    "EntryChanges",
    "FieldChange",
    "FileChanges",
    "ModelDiff",
    "Regression",
    "RegressionKind",
    "SolutionDiff",
    "SolutionRef",
    "StatusChange",
    "compare",
    "regressions",
]

#: The content of a solution's header that a reviewer cares about.
SOLUTION_FIELDS = ("title", "owner", "status", "profiles")
#: What a constraint says (its ``id`` identifies it).
CONSTRAINT_FIELDS = ("title", "aspect", "affects", "priority", "source")
#: What a hosting choice says (its ``title`` identifies it).
HOSTING_FIELDS = HOSTING_OPTIONS

JsonDict = Mapping[str, Any]


@dataclass(frozen=True)
class Counts:
    """A solution's coverage figure: satisfied of required blocks, and the percentage."""

    satisfied: int
    required: int
    percent: float

    def __str__(self) -> str:
        return f"{self.satisfied}/{self.required} ({self.percent:.1f}%)"


@dataclass(frozen=True)
class StatusChange:
    """A block whose status in one solution differs (``missing`` when undeclared)."""

    block: str
    old: str
    new: str


@dataclass(frozen=True)
class SolutionDiff:
    """One solution present in both files."""

    id: str
    title: str
    before: Counts
    after: Counts
    #: Header fields (:data:`SOLUTION_FIELDS`) that changed.
    fields: tuple[FieldChange, ...]
    #: Blocks that became required, and that are no longer required.
    required_added: tuple[str, ...]
    required_removed: tuple[str, ...]
    #: Blocks of both models whose status changed, by block id.
    status_changes: tuple[StatusChange, ...]
    #: Required and unsatisfied now, not before (newly required blocks included).
    newly_missing: tuple[str, ...]
    #: Required blocks that were satisfied and no longer are: regressions.
    lost: tuple[str, ...]
    constraints: EntryChanges
    hosting: EntryChanges
    #: Of ``newly_missing``, the strict blocks that are only partial (not
    #: addressed): missing because a profile or ``:required:`` made them strict.
    strict_partial: tuple[str, ...] = ()
    #: Blocks whose declarations changed otherwise: products, catalogue entries, directives.
    blocks: tuple[BlockChange, ...] = ()

    @property
    def delta(self) -> float:
        """The change of the percentage, in points."""
        return round(self.after.percent - self.before.percent, 1)

    @property
    def coverage_changed(self) -> bool:
        return self.before != self.after

    @property
    def changed(self) -> bool:
        return bool(
            self.coverage_changed
            or self.fields
            or self.required_added
            or self.required_removed
            or self.status_changes
            or self.newly_missing
            or self.constraints
            or self.hosting
            or self.blocks
        )


@dataclass(frozen=True)
class SolutionRef:
    """A solution only one of the files has."""

    id: str
    title: str
    counts: Counts


@dataclass(frozen=True)
class ModelDiff:
    """What changed in the effective model: its id and its set of blocks."""

    old_id: str
    new_id: str
    blocks_added: tuple[str, ...]
    blocks_removed: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.old_id != self.new_id or self.blocks_added or self.blocks_removed)


@dataclass(frozen=True)
class Diff:
    """Everything that changed between two builds."""

    model: ModelDiff
    added: tuple[SolutionRef, ...]
    removed: tuple[SolutionRef, ...]
    #: Every solution both files have, by id, changed or not.
    solutions: tuple[SolutionDiff, ...]
    #: Block titles (the new model's, else the old one's), for reports.
    block_titles: Mapping[str, str]
    #: The file's imports and catalogue (changes, never regressions).
    file: FileChanges = field(default_factory=FileChanges)

    @property
    def changed_solutions(self) -> tuple[SolutionDiff, ...]:
        return tuple(s for s in self.solutions if s.changed)

    @property
    def changed(self) -> bool:
        return bool(
            self.model.changed
            or self.added
            or self.removed
            or self.changed_solutions
            or self.file.changed
        )


class RegressionKind(StrEnum):
    """Why a change counts as a regression."""

    #: A solution of the old file is gone.
    REMOVED = "removed"
    #: A required block was satisfied and is not any more.
    BLOCK = "block"
    #: Fewer required blocks satisfied, though no required block lost its status.
    COVERAGE = "coverage"


@dataclass(frozen=True)
class Regression:
    solution: str
    kind: RegressionKind
    block: str | None = None

    def __str__(self) -> str:
        if self.kind is RegressionKind.REMOVED:
            return f"solution {self.solution!r} was removed"
        if self.kind is RegressionKind.BLOCK:
            return f"solution {self.solution!r}: required block {self.block!r} is now unsatisfied"
        return f"solution {self.solution!r} satisfies fewer required blocks than before"


# --------------------------------------------------------------------------
# comparing
# --------------------------------------------------------------------------


def compare(old: JsonDict, new: JsonDict) -> Diff:
    """Compare two ``mlrefarch.json`` documents (``old`` before the change)."""
    old_solutions: JsonDict = old.get("solutions", {})
    new_solutions: JsonDict = new.get("solutions", {})
    both = sorted(set(old_solutions) & set(new_solutions))
    return Diff(
        model=_model_diff(old.get("model", {}), new.get("model", {})),
        added=tuple(_ref(sid, new_solutions[sid]) for sid in sorted(new_solutions.keys() - both)),
        removed=tuple(_ref(sid, old_solutions[sid]) for sid in sorted(old_solutions.keys() - both)),
        solutions=tuple(_solution(sid, old_solutions[sid], new_solutions[sid]) for sid in both),
        block_titles=_block_titles(old.get("model", {}), new.get("model", {})),
        file=file_changes(old, new),
    )


def regressions(diff: Diff) -> list[Regression]:
    """Every regression of ``diff``, by solution: what ``--fail-on regression`` fails on."""
    found = [Regression(ref.id, RegressionKind.REMOVED) for ref in diff.removed]
    for sol in diff.solutions:
        if sol.lost:
            found += [Regression(sol.id, RegressionKind.BLOCK, block) for block in sol.lost]
        elif sol.after.satisfied < sol.before.satisfied:
            found.append(Regression(sol.id, RegressionKind.COVERAGE))
    return sorted(found, key=lambda r: (r.solution, r.kind, r.block or ""))


def _counts(solution: JsonDict) -> Counts:
    cov = solution.get("coverage", {})
    return Counts(cov.get("satisfied", 0), cov.get("required", 0), float(cov.get("percent", 0.0)))


def _ref(sid: str, solution: JsonDict) -> SolutionRef:
    return SolutionRef(sid, solution.get("title", sid), _counts(solution))


def _model_diff(old: JsonDict, new: JsonDict) -> ModelDiff:
    old_blocks, new_blocks = set(old.get("blocks", {})), set(new.get("blocks", {}))
    return ModelDiff(
        old_id=old.get("id", ""),
        new_id=new.get("id", ""),
        blocks_added=tuple(sorted(new_blocks - old_blocks)),
        blocks_removed=tuple(sorted(old_blocks - new_blocks)),
    )


def _block_titles(old: JsonDict, new: JsonDict) -> dict[str, str]:
    titles = {bid: str(b.get("title", bid)) for bid, b in old.get("blocks", {}).items()}
    titles.update({bid: str(b.get("title", bid)) for bid, b in new.get("blocks", {}).items()})
    return titles


def _satisfied(solution: JsonDict, block: str) -> bool:
    """Whether ``block`` counts as satisfied in ``solution``, required there or not.

    A required block is satisfied unless the build listed it as missing; for
    a block the solution did not require, the same rule is applied to its
    status (``strict`` blocks only by ``addressed``), so that making a block
    required and unsatisfied in one change still counts as losing it.
    """
    cov = solution.get("coverage", {})
    if block in solution.get("required", ()):
        return block not in cov.get("missing", ())
    status = cov.get("blocks", {}).get(block, Status.MISSING)
    if block in solution.get("strict", ()):
        return bool(status == Status.ADDRESSED)
    return status in SATISFYING


def _solution(sid: str, old: JsonDict, new: JsonDict) -> SolutionDiff:
    before, after = _counts(old), _counts(new)
    title = str(new.get("title", sid))
    if old == new:  # the common case in a large portfolio: nothing to look at
        empty = EntryChanges()
        return SolutionDiff(sid, title, before, after, (), (), (), (), (), (), empty, empty)
    old_cov, new_cov = old.get("coverage", {}), new.get("coverage", {})
    old_status, new_status = old_cov.get("blocks", {}), new_cov.get("blocks", {})
    old_req, new_req = set(old.get("required", ())), set(new.get("required", ()))
    old_missing = set(old_cov.get("missing", ()))
    newly = sorted(set(new_cov.get("missing", ())) - old_missing)
    return SolutionDiff(
        id=sid,
        title=title,
        before=before,
        after=after,
        fields=field_changes(old, new, SOLUTION_FIELDS),
        required_added=tuple(sorted(new_req - old_req)),
        required_removed=tuple(sorted(old_req - new_req)),
        status_changes=tuple(
            StatusChange(block, old_status[block], new_status[block])
            for block in sorted(old_status.keys() & new_status.keys())
            if old_status[block] != new_status[block]
        ),
        newly_missing=tuple(newly),
        lost=tuple(b for b in newly if b in old_status and _satisfied(old, b)),
        constraints=entry_changes(
            old.get("constraints", ()), new.get("constraints", ()), "id", CONSTRAINT_FIELDS, "title"
        ),
        hosting=entry_changes(
            old.get("hosting", ()), new.get("hosting", ()), "title", HOSTING_FIELDS, "title"
        ),
        strict_partial=tuple(
            b for b in newly if b in new.get("strict", ()) and new_status.get(b) == Status.PARTIAL
        ),
        blocks=block_changes(old, new),
    )
