"""What the directives declare, as plain immutable records.

The Sphinx layer creates these while reading documents and keeps them in
the domain; the pure core (:mod:`.portfolio`, :mod:`.coverage`) consumes
them. They hold only strings, numbers and tuples, so they pickle small and
compare by value, which is what makes serial, parallel and incremental
builds comparable.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Statuses an ``abb`` declaration may have, in the order tables show them.
DECLARED_STATUSES = ("addressed", "partial", "planned", "not-applicable")
#: Statuses that satisfy a required block.
SATISFYING = frozenset({"addressed", "partial", "not-applicable"})
#: Every status a block can have in a solution's coverage.
COVERAGE_STATUSES = (*DECLARED_STATUSES, "missing")

SOLUTION_STATUSES = ("draft", "proposed", "accepted", "retired")
PRIORITIES = ("must", "should", "could", "wont")


@dataclass(frozen=True)
class SolutionRecord:
    """A ``solution`` directive."""

    id: str
    title: str
    docname: str
    line: int | None
    anchor: str
    #: The file the directive is written in (an included file, if so); "" if unknown.
    file: str = ""
    owner: str = ""
    status: str = "draft"
    #: Layer/block references from ``:required:`` (None: use the config value).
    required: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class AbbRecord:
    """An ``abb`` directive: a solution addresses a building block."""

    block: str
    status: str
    docname: str
    line: int | None
    anchor: str
    #: The file the directive is written in (an included file, if so); "" if unknown.
    file: str = ""
    sbb: tuple[str, ...] = ()
    owner: str = ""
    #: True when the directive has a body (needed for ``not-applicable``).
    justified: bool = False


@dataclass(frozen=True)
class ConstraintRecord:
    """A ``constraint`` directive."""

    id: str
    title: str
    aspect: str
    docname: str
    line: int | None
    anchor: str
    #: The file the directive is written in (an included file, if so); "" if unknown.
    file: str = ""
    affects: tuple[str, ...] = ()
    priority: str = "must"
    source: str = ""


@dataclass(frozen=True)
class HostingRecord:
    """A ``hosting-choice`` directive."""

    title: str
    docname: str
    line: int | None
    anchor: str
    #: The file the directive is written in (an included file, if so); "" if unknown.
    file: str = ""
    environment: tuple[str, ...] = ()
    platform: str = ""
    provider: str = ""
    compute: tuple[str, ...] = ()
    containers: str = ""
    storage: str = ""
    network: str = ""
    availability: str = ""

    def blocks(self) -> tuple[str, ...]:
        """The building blocks this choice addresses ("via hosting choice")."""
        out = ["hosting"]
        if self.compute:
            out.append("compute")
        if self.containers:
            out.append("containers")
        if self.storage:
            out.append("storage")
        if self.network:
            out.append("networking")
        return tuple(out)
