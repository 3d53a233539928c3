"""What the directives and roles declare, as plain immutable records.

The Sphinx layer creates these while reading documents and keeps them in
the domain, filed by document; the pure core (:mod:`.portfolio`,
:mod:`.coverage`, :mod:`.findings`) consumes them. They hold only strings,
numbers and tuples, so they pickle small and compare by value, which is
what makes serial, parallel and incremental builds comparable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from .status import Priority, SolutionStatus, Status, Via

__all__ = [
    "HOSTING_OPTIONS",
    "AbbRecord",
    "ConstraintRecord",
    "HostingRecord",
    "Place",
    "ReferenceRecord",
    "SolutionRecord",
    "UriOf",
    "ViewRecord",
]


#: ``(docname, anchor) -> "page#anchor"`` as the writing builder links it, or None.
UriOf = Callable[[str, str], str | None]


@dataclass(frozen=True, kw_only=True)
class Place:
    """Where something was written: the fields every record shares."""

    #: The document that was being read.
    docname: str
    #: Line in :attr:`file` (None when unknown).
    line: int | None = None
    #: The file the directive is written in (an included file, if so); "" if unknown.
    file: str = ""
    #: The id of the node that renders it (the target of links to it); "" if none.
    anchor: str = ""

    @property
    def location(self) -> str | tuple[str, int | None]:
        """``file:line`` when the file is known, else ``(docname, line)`` as Sphinx takes it."""
        if self.file and self.line is not None:
            return f"{self.file}:{self.line}"
        return (self.docname, self.line)

    def place_data(self, uri: UriOf) -> dict[str, Any]:
        """The place as ``mlrefarch.json`` carries it; ``uri`` links a document's anchor."""
        return {"docname": self.docname, "line": self.line, "uri": uri(self.docname, self.anchor)}


@dataclass(frozen=True, kw_only=True)
class SolutionRecord(Place):
    """A ``solution`` directive."""

    id: str
    title: str
    owner: str = ""
    status: SolutionStatus = SolutionStatus.DRAFT
    #: Layer/block references from ``:required:`` (None: the profiles' or the project's).
    required: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    #: Profile ids from ``:profile:`` (known to the model).
    profiles: tuple[str, ...] = ()
    #: ``:sbb-policy:`` (None: the project's ``mlrefarch_sbb_policy``).
    sbb_policy: str | None = None


@dataclass(frozen=True, kw_only=True)
class AbbRecord(Place):
    """An ``abb`` directive: a solution addresses a building block."""

    block: str
    status: Status = Status.ADDRESSED
    sbb: tuple[str, ...] = ()
    owner: str = ""
    #: True when the directive has a body (needed for ``not-applicable``).
    justified: bool = False

    via: ClassVar[Via] = Via.ABB


@dataclass(frozen=True, kw_only=True)
class ConstraintRecord(Place):
    """A ``constraint`` directive."""

    id: str
    title: str
    aspect: str
    affects: tuple[str, ...] = ()
    priority: Priority = Priority.MUST
    source: str = ""


#: The options of ``hosting-choice``, in the order the directive and the export use.
HOSTING_OPTIONS = (
    "environment",
    "platform",
    "provider",
    "compute",
    "containers",
    "storage",
    "network",
    "availability",
)

#: Options of a hosting choice that address a block of their own besides ``hosting``.
HOSTING_OPTION_BLOCKS = (
    ("compute", "compute"),
    ("containers", "containers"),
    ("storage", "storage"),
    ("network", "networking"),
)


@dataclass(frozen=True, kw_only=True)
class HostingRecord(Place):
    """A ``hosting-choice`` directive."""

    title: str
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
        extra = [block for option, block in HOSTING_OPTION_BLOCKS if getattr(self, option)]
        return ("hosting", *extra)

    def products(self, block: str) -> tuple[str, ...]:
        """The products (SBBs) this choice names for ``block``: containers and storage."""
        text = {"containers": self.containers, "storage": self.storage}.get(block, "")
        return tuple(name.strip() for name in text.split(",") if name.strip())

    via: ClassVar[Via] = Via.HOSTING_CHOICE


@dataclass(frozen=True, kw_only=True)
class ReferenceRecord(Place):
    """A role (``:abb:``, ``:solution:``, ``:constraint:``) and what it points at."""

    role: str
    target: str


@dataclass(frozen=True, kw_only=True)
class ViewRecord(Place):
    """An aggregate directive (coverage table, matrix, list, diagram) and what it selects.

    ``solutions`` is what ``:solution:``/``:solutions:`` named; ``explicit``
    is False when the option was not given (the page's own solution, or
    all solutions outside one).
    """

    kind: str
    solutions: tuple[str, ...] = ()
    explicit: bool = False
