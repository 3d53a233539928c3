"""Coverage: which required building blocks a solution satisfies.

A pure function of the model, the solution's required set and its
declarations; no Sphinx here. The rules are those of the specification's
"What counts as addressed": ``addressed``, ``partial`` and a justified
``not-applicable`` satisfy a block, directly or through a hosting choice;
``planned`` and undeclared blocks do not. Where an ``abb`` declaration and
a hosting choice cover the same block, the ``abb`` declaration wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from .model import Model
from .records import AbbRecord, HostingRecord
from .status import SATISFYING, Status, Via

__all__ = [
    "Coverage",
    "Effective",
    "Gap",
    "RequiredFrom",
    "Requirement",
    "block_statuses",
    "compute",
    "declarations",
    "percentage",
    "required_blocks",
    "requirement",
    "shares",
]


def percentage(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent, one decimal, halves rounded up (1 of 16 = 6.3)."""
    if not whole:
        return 100.0
    exact = Decimal(100 * part) / Decimal(whole)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


class Gap(StrEnum):
    """Why a required block is unsatisfied."""

    MISSING = "missing"
    PLANNED = "planned"
    UNJUSTIFIED = "unjustified"
    #: Declared ``partial`` or ``not-applicable``, but a profile makes the block strict.
    STRICT = "strict"


@dataclass(frozen=True)
class Effective:
    """The declaration that decides a block's status in one solution."""

    block: str
    #: The ``abb`` declaration or the hosting choice that decides it.
    record: AbbRecord | HostingRecord

    @property
    def status(self) -> Status:
        record = self.record
        return Status(record.status) if isinstance(record, AbbRecord) else Status.ADDRESSED

    @property
    def via(self) -> Via:
        return self.record.via

    @property
    def sbb(self) -> tuple[str, ...]:
        """The products named: an ``abb``'s ``:sbb:``, a hosting choice's for this block."""
        if isinstance(self.record, AbbRecord):
            return self.record.sbb
        return self.record.products(self.block)

    @property
    def justified(self) -> bool:
        return self.record.justified if isinstance(self.record, AbbRecord) else True

    @property
    def docname(self) -> str:
        return self.record.docname

    @property
    def line(self) -> int | None:
        return self.record.line

    @property
    def anchor(self) -> str:
        return self.record.anchor

    @property
    def satisfies(self) -> bool:
        if self.status == Status.NOT_APPLICABLE:
            return self.justified
        return self.status in SATISFYING


@dataclass(frozen=True)
class Coverage:
    """One solution's coverage of the model."""

    #: Every block of the model, in model order, with its status.
    blocks: Mapping[str, Status]
    #: Required block ids, in model order.
    required: tuple[str, ...]
    #: Required blocks that are not satisfied (planned ones included), model order.
    missing: tuple[str, ...]
    #: The declaration deciding each declared block.
    decided_by: Mapping[str, Effective]
    #: Required blocks that only ``addressed`` satisfies (from the solution's profiles).
    strict: tuple[str, ...] = ()

    def gap(self, block: str) -> Gap:
        """Why a block is unsatisfied: missing, planned, unjustified or strict."""
        decided = self.decided_by.get(block)
        if decided is None:
            return Gap.MISSING
        if decided.status == Status.PLANNED:
            return Gap.PLANNED
        if not decided.satisfies:
            return Gap.UNJUSTIFIED
        return Gap.STRICT

    def satisfies(self, block: str) -> bool:
        decided = self.decided_by.get(block)
        if decided is None or not decided.satisfies:
            return False
        return decided.status == Status.ADDRESSED or block not in self.strict

    @property
    def satisfied(self) -> int:
        return len(self.required) - len(self.missing)

    @property
    def percent(self) -> float:
        """Satisfied share of required blocks, one decimal; 100.0 when nothing is required."""
        return percentage(self.satisfied, len(self.required))


class RequiredFrom(StrEnum):
    """Where a solution's required set comes from (the first that applies)."""

    #: The solution's own ``:required:``.
    SOLUTION = "solution"
    #: The solution's ``:profile:`` (the union of the profiles' ``required``).
    PROFILES = "profiles"
    #: The project's ``mlrefarch_required``.
    PROJECT = "project"


@dataclass(frozen=True)
class Requirement:
    """What a solution must satisfy, and how strictly."""

    #: Required block ids, in model order.
    blocks: tuple[str, ...]
    #: Required blocks that only ``addressed`` satisfies, in model order.
    strict: tuple[str, ...]
    source: RequiredFrom
    #: References (in ``:required:``, ``:exclude:``, the project setting) that name nothing.
    unknown: tuple[str, ...] = ()


def requirement(
    model: Model,
    default: str | Sequence[str],
    override: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    profiles: Sequence[str] = (),
) -> Requirement:
    """A solution's required set: its ``:required:``, else its profiles, else the project's.

    ``:exclude:`` applies last, whichever set applies. A profile's ``strict``
    blocks stay strict whichever set applies, but only where they are
    required. Unknown profile ids are ignored here (the directive reports them).
    """
    chosen = [model.profile_map[p] for p in profiles if p in model.profile_map]
    if override is not None:
        refs, source = list(override), RequiredFrom.SOLUTION
    elif chosen:
        refs, source = [ref for p in chosen for ref in p.required], RequiredFrom.PROFILES
    else:
        refs = [default] if isinstance(default, str) else list(default)
        source = RequiredFrom.PROJECT
    wanted, unknown = model.expand(refs)
    dropped, unknown_excluded = model.expand(exclude)
    drop = set(dropped)
    blocks = tuple(b for b in wanted if b not in drop)
    strict_ids = {b for p in chosen for b in p.strict}
    strict = tuple(b for b in blocks if b in strict_ids)
    return Requirement(blocks, strict, source, tuple(unknown + unknown_excluded))


def required_blocks(
    model: Model,
    default: str | Sequence[str],
    override: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
) -> tuple[tuple[str, ...], list[str]]:
    """The block ids a solution must satisfy, and the references that name nothing.

    ``default`` is the project-wide ``mlrefarch_required`` (``"all"`` or a
    list of layer/block ids); a solution's ``:required:`` replaces it and its
    ``:exclude:`` removes blocks (or whole layers) from the result. (The
    whole rule, with profiles, is :func:`requirement`.)
    """
    found = requirement(model, default, override, exclude)
    return found.blocks, list(found.unknown)


def block_statuses(
    model: Model, abbs: Iterable[AbbRecord], hosting: Iterable[HostingRecord]
) -> dict[str, Effective]:
    """Decide, for every declared block of the model, which declaration counts.

    The first ``abb`` declaration of a block (in document order) wins; a
    hosting choice decides only blocks no ``abb`` declaration names.
    """
    decided: dict[str, Effective] = {}
    known = model.block_map
    for record, blocks in declarations(abbs, hosting):
        for block in blocks:
            if block in known and block not in decided:
                decided[block] = Effective(block, record)
    return decided


def declarations(
    abbs: Iterable[AbbRecord], hosting: Iterable[HostingRecord]
) -> Iterator[tuple[AbbRecord | HostingRecord, tuple[str, ...]]]:
    """Every declaration with the blocks it addresses: ``abb`` ones first, in order."""
    for abb in abbs:
        yield abb, (abb.block,)
    for choice in hosting:
        yield choice, choice.blocks()


def compute(
    model: Model,
    required: Iterable[str],
    abbs: Iterable[AbbRecord],
    hosting: Iterable[HostingRecord] = (),
    strict: Iterable[str] = (),
) -> Coverage:
    """Coverage of one solution; ``strict`` blocks count only when ``addressed``."""
    decided = block_statuses(model, abbs, hosting)
    blocks = {
        block.id: decided[block.id].status if block.id in decided else Status.MISSING
        for block in model.blocks
    }
    required_set = set(required)
    required_ids = tuple(b.id for b in model.blocks if b.id in required_set)
    strict_set = set(strict)
    strict_ids = tuple(b for b in required_ids if b in strict_set)
    coverage = Coverage(blocks, required_ids, (), decided, strict_ids)
    missing = tuple(b for b in required_ids if not coverage.satisfies(b))
    return Coverage(blocks, required_ids, missing, decided, strict_ids)


def shares(model: Model, coverages: Iterable[Coverage]) -> dict[str, float]:
    """Per block, the percentage of solutions whose coverage satisfies it (0.0 for none)."""
    items = list(coverages)
    if not items:
        return {block.id: 0.0 for block in model.blocks}
    return {
        block.id: percentage(sum(cov.satisfies(block.id) for cov in items), len(items))
        for block in model.blocks
    }
