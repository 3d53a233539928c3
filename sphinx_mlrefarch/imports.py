"""Reading other projects' ``mlrefarch.json``: one portfolio across repositories.

An architecture office's book imports the files its teams' builds publish
(``mlrefarch_import`` in ``conf.py``). This module is the whole API the
Sphinx layer needs: it re-exports the checking of that setting from
:mod:`.import_source` (which also gets the bytes) and turns each file into
immutable records to file in the domain, comparable and picklable. The file
is someone else's: whatever can be wrong with it (missing, unreachable,
half-written, another format, a newer format, another model) becomes one
message naming the import and its source, and the build goes on without
that import. A path source never opens a network connection.

Pure apart from reading the file or URL; no Sphinx here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .import_source import (
    DEFAULT_TIMEOUT,
    ImportSpec,
    SourceError,
    StrPath,
    fetch,
    named,
    parse,
    parse_import_config,
    parse_timeout,
    read_file,
)
from .status import Priority, SolutionStatus, Status, Via

__all__ = [
    "DEFAULT_TIMEOUT",
    "ImportResult",
    "ImportSpec",
    "ImportedConstraint",
    "ImportedCoverage",
    "ImportedDeclaration",
    "ImportedHosting",
    "ImportedProject",
    "ImportedSolution",
    "check_compatibility",
    "link",
    "load_import",
    "parse_import_config",
    "parse_timeout",
    "without_own_output",
]


@dataclass(frozen=True)
class ImportedDeclaration:
    """One block an imported solution declares (a hosting choice gives one per block)."""

    block: str
    status: Status
    sbb: tuple[str, ...]
    via: Via
    #: Page and anchor relative to the imported project's output root; None if unknown.
    uri: str | None = None


@dataclass(frozen=True)
class ImportedConstraint:
    id: str
    title: str
    aspect: str
    #: Block ids.
    affects: tuple[str, ...]
    priority: Priority
    uri: str | None = None
    #: Where the constraint comes from (a law, a policy), as that project wrote it.
    source: str = ""


@dataclass(frozen=True)
class ImportedHosting:
    """A hosting choice: the fields of the ``hosting-choice`` directive (ids as written there)."""

    title: str
    environment: tuple[str, ...]
    platform: str
    uri: str | None = None
    provider: str = ""
    compute: tuple[str, ...] = ()
    containers: str = ""
    storage: str = ""
    network: str = ""
    availability: str = ""


@dataclass(frozen=True)
class ImportedCoverage:
    """Coverage as the imported project's own build computed it; never recomputed here."""

    #: ``(block, status)`` for every block the import knows, in its model's order.
    blocks: tuple[tuple[str, Status], ...]
    #: How many blocks that build required, and how many of them it found satisfied.
    required: int
    satisfied: int
    percent: float
    #: Unsatisfied required blocks (planned ones included).
    missing: tuple[str, ...]
    #: The required block ids.
    required_blocks: tuple[str, ...] = ()

    def status_of(self, block: str) -> Status:
        """A block's status; ``missing`` for a block the import does not know."""
        return dict(self.blocks).get(block, Status.MISSING)

    def knows(self, block: str) -> bool:
        """Whether the imported build had ``block`` in its model (and so gave it a status)."""
        return any(known == block for known, _status in self.blocks)


@dataclass(frozen=True)
class ImportedSolution:
    #: The importing name of its project (not the project itself: records stay small).
    project: str
    id: str
    title: str
    status: SolutionStatus
    owner: str
    docname: str
    #: The solution's page relative to its project's output root; None if unknown.
    uri: str | None
    coverage: ImportedCoverage
    declarations: tuple[ImportedDeclaration, ...] = ()
    constraints: tuple[ImportedConstraint, ...] = ()
    hosting: tuple[ImportedHosting, ...] = ()

    @property
    def address(self) -> str:
        """How roles and ``:solutions:`` name it: ``NAME:solution-id``."""
        return f"{self.project}:{self.id}"


@dataclass(frozen=True)
class ImportedProject:
    """One imported ``mlrefarch.json``. Compared by value: equal means nothing to re-render."""

    name: str
    source: str
    url: str | None
    model_id: str
    #: The block ids of the model that project was built with, in its order.
    model_blocks: tuple[str, ...]
    #: Sorted by id.
    solutions: tuple[ImportedSolution, ...]

    def solution(self, sid: str) -> ImportedSolution | None:
        return next((s for s in self.solutions if s.id == sid), None)


@dataclass(frozen=True)
class ImportResult:
    #: None when the import cannot be used; then ``problems`` says why.
    project: ImportedProject | None
    problems: list[str] = field(default_factory=list)


def link(project: ImportedProject, uri: str | None) -> str | None:
    """Where an imported entry links to: the project's ``url`` followed by the entry's ``uri``.

    None when either is missing, and for a ``uri`` that is not relative to the
    output root (a scheme, a host, a leading "/", control characters): the file
    is someone else's, and a ``javascript:`` link must not reach our pages.
    Joined by concatenation, since ``url`` ends in "/" and ``urljoin`` would
    drop the ".." of a relative ``url``.
    """
    if not project.url or not uri:
        return None
    if uri != uri.strip() or any(ord(c) < 32 for c in uri) or uri.startswith(("/", "\\")):
        return None
    try:
        parts = urlsplit(uri)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    return project.url + uri


def load_import(
    spec: ImportSpec,
    confdir: StrPath,
    timeout: float = DEFAULT_TIMEOUT,
    own_outputs: Collection[StrPath] = (),
) -> ImportResult:
    """Read and check one import; never raises.

    ``own_outputs`` are the files this build writes (its ``mlrefarch.json``):
    a source that resolves to one of them is refused. ``timeout`` bounds the
    whole download, not only each read.
    """
    try:
        if spec.is_url:
            raw = fetch(spec.source, timeout)
        else:
            raw = read_file(spec.source, Path(confdir), own_outputs)
        project = _project(spec, parse(raw))
    except SourceError as why:
        message = f"{named(spec.name)}: cannot import {spec.source!r}: {why}"
        return ImportResult(None, [message])
    return ImportResult(project)


def check_compatibility(
    project: ImportedProject, model_id: str, block_ids: Sequence[str]
) -> tuple[ImportedProject | None, list[str]]:
    """Fit an import to this project's model: ``(the import as used, or None; problems)``.

    A different model id leaves the import out, with one problem naming both
    ids: blocks of two models are not comparable by id. With the same id the
    block sets may still differ (another version of the model, or one
    changed with ``extends``), and the import is kept:

    * blocks this model does not have are dropped from the import's
      coverage, declarations and constraints, with one problem listing them;
    * blocks this model has and the import's model does not are one problem
      listing them; views show them as not part of that model
      (:meth:`ImportedCoverage.knows`), never as missing.

    The imported coverage figures stay as that project's build computed them.
    """
    where = f"{named(project.name)} ({project.source!r})"
    if project.model_id != model_id:
        return None, [
            f"{where} was built with the model {project.model_id!r}, but this project uses "
            f"{model_id!r}; left out of the import, since blocks of two models cannot be "
            f"compared: build that project with the model {model_id!r}, or remove it from "
            "mlrefarch_import"
        ]
    problems: list[str] = []
    theirs = set(project.model_blocks)
    absent = [b for b in block_ids if b not in theirs]
    if absent:
        problems.append(
            f"{where} was built with a version of the model {model_id!r} that lacks building "
            f"blocks this project's model has: {', '.join(repr(b) for b in absent)}; its "
            "solutions show them as not in their model (not as missing); build that project "
            "with this project's model file to compare them"
        )
    known = set(block_ids)
    unknown = sorted(_blocks_named(project) - known)
    if not unknown:
        return project, problems
    problems.append(
        f"{where} names building blocks this project's model does not have, left out of the "
        f"import: {', '.join(repr(b) for b in unknown)}"
    )
    solutions = tuple(
        replace(
            s,
            coverage=replace(
                s.coverage,
                blocks=tuple(pair for pair in s.coverage.blocks if pair[0] in known),
                missing=tuple(b for b in s.coverage.missing if b in known),
                required_blocks=tuple(b for b in s.coverage.required_blocks if b in known),
            ),
            declarations=tuple(d for d in s.declarations if d.block in known),
            constraints=tuple(
                replace(c, affects=tuple(b for b in c.affects if b in known)) for c in s.constraints
            ),
        )
        for s in project.solutions
    )
    blocks = tuple(b for b in project.model_blocks if b in known)
    return replace(project, model_blocks=blocks, solutions=solutions), problems


def without_own_output(
    projects: Sequence[ImportedProject], local: Mapping[str, tuple[str, str]]
) -> tuple[tuple[ImportedProject, ...], list[str]]:
    """``projects`` less those that are this project's own output; one problem for each.

    :func:`read_file` refuses the very file a build writes, by path. The
    file another build of the same sources wrote (``_build/html`` imported
    by ``mlrefarch check``, which builds elsewhere, or by a ``dirhtml``
    build) can only be told by its content, so this runs once the local
    solutions are read: ``local`` maps their ids to ``(docname, title)``.
    An import whose every solution is a local one, with the same id,
    document and title, is that project itself. A solution of the same id
    alone is not enough: two teams' projects made from the same template
    may share ``churn`` in ``solutions/churn``.
    """
    kept: list[ImportedProject] = []
    problems: list[str] = []
    for project in projects:
        own = [s.id for s in project.solutions if local.get(s.id) == (s.docname, s.title)]
        if not own or len(own) < len(project.solutions):
            kept.append(project)
            continue
        shown = ", ".join(repr(sid) for sid in own[:3]) + (", ..." if len(own) > 3 else "")
        problems.append(
            f"{named(project.name)} ({project.source!r}) holds only this project's own "
            f"solutions ({shown}: the same ids, documents and titles), so it is this project's "
            f"own output of another build; left out of the import (a project cannot import "
            "itself): import the files other projects' builds write"
        )
    return tuple(kept), problems


def _project(spec: ImportSpec, data: Mapping[str, Any]) -> ImportedProject:
    model = data["model"]
    solutions = tuple(_solution(spec.name, sid, s) for sid, s in sorted(data["solutions"].items()))
    return ImportedProject(
        spec.name, spec.source, spec.url, model["id"], tuple(model["blocks"]), solutions
    )


def _solution(project: str, sid: str, data: Mapping[str, Any]) -> ImportedSolution:
    declarations = tuple(
        ImportedDeclaration(
            d["block"], Status(d["status"]), tuple(d["sbb"]), Via(d["via"]), _uri(d)
        )
        for d in data["declarations"]
    )
    pages = (d.uri.split("#")[0] for d in declarations if d.uri)
    cov = data["coverage"]
    return ImportedSolution(
        project=project,
        id=sid,
        title=data["title"],
        status=SolutionStatus(data["status"]),
        owner=data["owner"],
        docname=data["docname"],
        uri=_uri(data) or next(pages, None) or None,
        coverage=ImportedCoverage(
            blocks=tuple((block, Status(status)) for block, status in cov["blocks"].items()),
            required=cov["required"],
            satisfied=cov["satisfied"],
            percent=float(cov["percent"]),
            missing=tuple(cov["missing"]),
            required_blocks=tuple(data["required"]),
        ),
        declarations=declarations,
        constraints=tuple(
            ImportedConstraint(
                c["id"],
                c["title"],
                c["aspect"],
                tuple(c["affects"]),
                Priority(c["priority"]),
                _uri(c),
                _text(c, "source"),
            )
            for c in data["constraints"]
        ),
        hosting=tuple(
            ImportedHosting(
                h["title"],
                tuple(h["environment"]),
                h["platform"],
                _uri(h),
                provider=_text(h, "provider"),
                compute=tuple(h["compute"]),
                containers=_text(h, "containers"),
                storage=_text(h, "storage"),
                network=_text(h, "network"),
                availability=_text(h, "availability"),
            )
            for h in data["hosting"]
        ),
    )


def _uri(item: Mapping[str, Any]) -> str | None:
    """An item's ``uri``: a non-empty string, else unknown (the schema may not type it yet)."""
    uri = item.get("uri")
    return uri if isinstance(uri, str) and uri else None


def _text(item: Mapping[str, Any], key: str) -> str:
    """An optional text field (the format grew them over time): "" when absent."""
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _blocks_named(project: ImportedProject) -> set[str]:
    ids = set(project.model_blocks)
    for s in project.solutions:
        ids.update(block for block, _status in s.coverage.blocks)
        ids.update(s.coverage.missing, s.coverage.required_blocks)
        ids.update(d.block for d in s.declarations)
        for c in s.constraints:
            ids.update(c.affects)
    return ids
