"""The vocabulary: every status, priority and "via" value, with how it looks.

One place for the values users write and the JSON carries, and for each
status its label (tables, badges), its one-character mark (the portfolio
matrix) and its diagram style. Members are ``StrEnum`` values, so they
compare equal to, hash like and serialise as their plain strings.
Pure; no Sphinx here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


def N_(text: str) -> str:  # noqa: N802 - the gettext convention for "no-op mark"
    """Mark ``text`` as a label for the translation catalogue; it is translated when shown."""
    return text


__all__ = [
    "COVERAGE_STATUSES",
    "DECLARED_STATUSES",
    "N_",
    "SATISFYING",
    "Priority",
    "SolutionStatus",
    "Status",
    "Via",
]


@dataclass(frozen=True)
class Look:
    """How a status is shown."""

    #: Words in badges, tables and legends.
    label: str
    #: One character for the portfolio matrix (text builders show it too).
    mark: str
    #: Mermaid ``classDef`` style: readable on light and dark pages.
    style: str


class Status(StrEnum):
    """A building block's status in one solution."""

    ADDRESSED = "addressed"
    PARTIAL = "partial"
    PLANNED = "planned"
    NOT_APPLICABLE = "not-applicable"
    MISSING = "missing"

    @property
    def look(self) -> Look:
        return _LOOKS[self]

    @property
    def label(self) -> str:
        return _LOOKS[self].label

    @property
    def mark(self) -> str:
        return _LOOKS[self].mark

    @property
    def style(self) -> str:
        return _LOOKS[self].style

    @property
    def css(self) -> str:
        """The CSS class of cells, badges and boxes with this status."""
        return f"mlrefarch-status-{self.value}"


_LOOKS = {
    Status.ADDRESSED: Look(N_("addressed"), "\u25cf", "fill:#cfe8d6,stroke:#2e8b57,color:#123d23"),
    Status.PARTIAL: Look(N_("partial"), "\u25d0", "fill:#f6e7bd,stroke:#b7860b,color:#4a3603"),
    Status.PLANNED: Look(N_("planned"), "\u25cb", "fill:#d5e2f1,stroke:#4a79ad,color:#16304d"),
    Status.NOT_APPLICABLE: Look(
        N_("not applicable"), "\u2013", "fill:#e4e4e4,stroke:#888888,color:#333333"
    ),
    Status.MISSING: Look(N_("missing"), "\u2717", "fill:#f5d0cb,stroke:#c0392b,color:#5c140c"),
}

#: Statuses an ``abb`` declaration may have, in the order tables show them.
DECLARED_STATUSES: tuple[Status, ...] = (
    Status.ADDRESSED,
    Status.PARTIAL,
    Status.PLANNED,
    Status.NOT_APPLICABLE,
)
#: Every status a block can have in a solution's coverage.
COVERAGE_STATUSES: tuple[Status, ...] = (*DECLARED_STATUSES, Status.MISSING)
#: Statuses that satisfy a required block (``not-applicable`` only with a justification).
SATISFYING = frozenset({Status.ADDRESSED, Status.PARTIAL, Status.NOT_APPLICABLE})


class SolutionStatus(StrEnum):
    """Where a solution architecture is in its life."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    RETIRED = "retired"

    @property
    def label(self) -> str:
        return _WORDS[self]


class Priority(StrEnum):
    """How binding a constraint is (MoSCoW)."""

    MUST = "must"
    SHOULD = "should"
    COULD = "could"
    WONT = "wont"

    @property
    def label(self) -> str:
        return _WORDS[self]


#: Labels of the solution statuses and priorities (for the translation catalogue).
_WORDS: dict[StrEnum, str] = {
    SolutionStatus.DRAFT: N_("draft"),
    SolutionStatus.PROPOSED: N_("proposed"),
    SolutionStatus.ACCEPTED: N_("accepted"),
    SolutionStatus.RETIRED: N_("retired"),
    Priority.MUST: N_("must"),
    Priority.SHOULD: N_("should"),
    Priority.COULD: N_("could"),
    Priority.WONT: N_("wont"),
}


class Via(StrEnum):
    """The directive that made a declaration."""

    ABB = "abb"
    HOSTING_CHOICE = "hosting-choice"
