"""Findings: everything the extension warns about, as located, comparable values.

Pure. A :class:`Finding` is one future ``mlrefarch.<subtype>`` warning.
Directives file the findings about their own input in the domain while
reading; the checks here find what needs other documents (duplicates,
scopes, hosting gaps, missing blocks, unknown solutions in views, dangling
roles). The Sphinx layer reports all of them together after every read
phase, so every builder and the CLI see one and the same set, also on a
build that re-read nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from .catalogue import Catalogue
from .coverage import Gap
from .imports import ImportedSolution
from .model import Model
from .names import did_you_mean, hint
from .portfolio import Portfolio, SolutionView
from .records import Place, ViewRecord
from .status import Status

__all__ = [
    "BUILD",
    "SUBTYPES",
    "Finding",
    "check_portfolio",
    "check_sbbs",
    "check_views",
    "missing_message",
    "sort_key",
]

#: The warning subtypes of the specification.
SUBTYPES = frozenset(
    {
        "model",
        "unknown",
        "duplicate",
        "missing",
        "justification",
        "hosting",
        "option",
        "scope",
        "ref",
        "catalogue",
        "sbb",
        "import",
    }
)
#: Not a warning: what stopped ``mlrefarch check`` short of a verdict (no SRC, Sphinx
#: failing), a subtype only the CI reports of such a run use.
BUILD = "build"


@dataclass(frozen=True, kw_only=True)
class Finding(Place):
    """A problem to report: its subtype, its message and where it is."""

    subtype: str
    message: str
    #: ``error`` for a required block that nothing addresses, else ``warning``
    #: (CI formats show the two differently; Sphinx warns about both).
    level: str = "warning"

    @classmethod
    def at(cls, subtype: str, message: str, place: Place, level: str = "warning") -> Finding:
        assert subtype in SUBTYPES, subtype
        return cls(
            subtype=subtype,
            message=message,
            docname=place.docname,
            line=place.line,
            file=place.file,
            level=level,
        )


def sort_key(finding: Finding) -> tuple[str, int, str, str]:
    """Document order: by document, line, subtype and message."""
    return (finding.docname, finding.line or 0, finding.subtype, finding.message)


DocPath = Callable[[str], str]

MISSING_MESSAGES = {
    Gap.MISSING: "is missing: no 'abb' declaration or hosting choice addresses it",
    Gap.PLANNED: "is only planned; it counts once it is addressed or partial",
    Gap.UNJUSTIFIED: (
        "is missing a justification: it is marked not-applicable, but the directive has no "
        "body that says why"
    ),
    Gap.STRICT: "{state}; {profiles} {require} it addressed (a strict block)",
}

#: How a strict block's declaration falls short, in :data:`MISSING_MESSAGES`' ``{state}``.
STRICT_STATES = {
    Status.PLANNED: "is only planned",
    Status.PARTIAL: "is only partial",
    Status.NOT_APPLICABLE: "is marked not-applicable",
}


def missing_message(model: Model, view: SolutionView, block_id: str) -> str:
    """The sentence that says why a required block of ``view`` is unsatisfied."""
    title = model.block_map[block_id].title
    gap = view.coverage.gap(block_id)
    why = MISSING_MESSAGES[gap]
    if gap != Gap.MISSING and block_id in view.coverage.strict:
        # planned or not-applicable too: saying what else would count would mislead
        status = view.coverage.decided_by[block_id].status
        names = [
            f"profile {p!r}"
            for p in view.record.profiles
            if p in model.profile_map and block_id in model.profile_map[p].strict
        ]
        why = MISSING_MESSAGES[Gap.STRICT].format(
            state=STRICT_STATES.get(status, f"is {status.value}"),
            profiles=" and ".join(names) or "the solution's profiles",
            require="requires" if len(names) == 1 else "require",
        )
    return f"solution {view.id!r}: required building block {block_id!r} ({title}) {why}"


def _where(doc2path: DocPath, place: Place) -> str:
    """Where a record is, for messages that name a second place."""
    path = place.file or doc2path(place.docname)
    return f"{path}:{place.line}" if place.line is not None else path


R = TypeVar("R", bound=Place)


def _repeats(items: Iterable[R], key: Callable[[R], str]) -> list[tuple[R, R]]:
    """Each item whose key an earlier item already has, with that first item."""
    first: dict[str, R] = {}
    out = []
    for item in items:
        seen = first.setdefault(key(item), item)
        if seen is not item:
            out.append((item, seen))
    return out


def check_portfolio(
    model: Model,
    portfolio: Portfolio,
    tables: Mapping[str, Mapping[str, Sequence[Place]]],
    doc2path: DocPath = str,
) -> list[Finding]:
    """Duplicates, scope problems, hosting gaps and missing blocks, in a stable order.

    ``tables`` maps a directive name (``abb``, ``constraint``,
    ``hosting-choice``) to its records by document, for the declarations
    that lie outside every solution.
    """
    out = [
        Finding.at(
            "duplicate",
            f"solution id {record.id!r} is already used by the solution in "
            f"{_where(doc2path, first)}; give this solution its own :id:",
            record,
        )
        for record, first in portfolio.shadowed
    ]
    out += [
        Finding.at(
            "scope",
            f"document {doc2path(c.document)!r} (in the toctree of {doc2path(c.parent)!r}) "
            f"belongs to solutions {c.kept_by!r} and {c.claimed_by.id!r}; its declarations "
            f"count for {c.kept_by!r} only",
            c.claimed_by,
        )
        for c in portfolio.contested
    ]
    for kind, table in tables.items():
        for docname in sorted(table):
            if docname in portfolio.doc_solution or docname in portfolio.shadowed_docs:
                continue
            out += [
                Finding.at(
                    "scope",
                    f"{kind} declared outside any solution; put it in a document with a "
                    f"'solution' directive or in the toctree below one",
                    item,
                )
                for item in table[docname]
            ]
    for view in portfolio.solutions.values():
        out += _check_solution(model, view, doc2path)
    return out


def _check_solution(model: Model, view: SolutionView, doc2path: DocPath) -> list[Finding]:
    out = [
        Finding.at(
            "duplicate",
            f"building block {abb.block!r} is declared twice in solution {view.id!r}: "
            f"here and at {_where(doc2path, first)}; keep one declaration (the first one "
            f"counts)",
            abb,
        )
        for abb, first in _repeats(view.abbs, lambda a: a.block)
    ]
    out += [
        Finding.at(
            "duplicate",
            f"constraint id {con.id!r} is used twice in solution {view.id!r}: here and at "
            f"{_where(doc2path, first)}; give it its own :id:",
            con,
        )
        for con, first in _repeats(view.constraints, lambda c: c.id)
    ]
    if view.hosting:
        out += _check_hosting(model, view)
    for block_id in view.coverage.missing:
        gap = view.coverage.gap(block_id)
        out.append(
            Finding.at(
                "missing",
                missing_message(model, view, block_id),
                view.record,
                level="warning" if gap == Gap.PLANNED else "error",
            )
        )
    return out


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


def check_sbbs(catalogue: Catalogue, portfolio: Portfolio, default_policy: str) -> list[Finding]:
    """Products a solution's SBB policy does not allow (``mlrefarch.sbb``).

    ``catalogue``: every named product must be in the catalogue; ``foss``:
    and be FOSS. The solution's ``:sbb-policy:`` wins over the project's.
    """
    out: list[Finding] = []
    for view in portfolio.solutions.values():
        policy = view.record.sbb_policy or default_policy
        if policy == "any":
            continue
        named: list[tuple[Place, tuple[str, ...]]] = [(abb, abb.sbb) for abb in view.abbs]
        named += [(h, h.products("containers") + h.products("storage")) for h in view.hosting]
        for record, names in named:
            for name in names:
                product = catalogue.resolve(name)
                if product is None:
                    message = (
                        f"{name!r} is not in the catalogue, and solution {view.id!r} allows "
                        f"only catalogued products (SBB policy {policy!r}): add it to the "
                        "catalogue (mlrefarch_catalogue) or name a catalogued one"
                        + did_you_mean(catalogue.suggest(name))
                    )
                elif policy == "foss" and not product.foss:
                    message = (
                        f"{product.name!r} is not FOSS (licence {product.licence}), and solution "
                        f"{view.id!r} allows only FOSS products (SBB policy 'foss')"
                    )
                else:
                    continue
                out.append(Finding.at("sbb", message, record))
    return out


def check_views(model: Model, portfolio: Portfolio, views: Iterable[ViewRecord]) -> list[Finding]:
    """Unknown solutions that aggregate directives name; misplaced views; what they cannot show."""
    out: list[Finding] = []
    known = [*portfolio.solutions, *portfolio.imported]
    environments = {e.id for e in model.hosting.environments}
    for view in views:
        local, imported, unknown = portfolio.select(view.solutions)
        if view.kind == "hosting-matrix" and imported and not local:
            out += _unshown_hosting(environments, imported[0], view)
        for name in unknown:
            out.append(
                Finding.at(
                    "unknown",
                    f"unknown solution {name!r} in '{view.kind}'" + hint(name, known),
                    view,
                )
            )
        if (
            view.kind == "hosting-matrix"
            and not view.explicit
            and portfolio.solution_of(view.docname) is None
        ):
            out.append(
                Finding.at(
                    "scope", "'hosting-matrix' outside a solution needs :solution: <id>", view
                )
            )
    return out


def _unshown_hosting(
    environments: Collection[str], solution: ImportedSolution, view: ViewRecord
) -> list[Finding]:
    """An imported solution's hosting choices for environments this model (the rows) lacks."""
    out = []
    for choice in solution.hosting:
        if other := ", ".join(repr(e) for e in choice.environment if e not in environments):
            message = (
                f"'hosting-matrix' of {solution.address!r} does not show its hosting choice "
                f"{choice.title!r} for {other}: this project's model has no such environment; "
                "build both projects with one model to see it"
            )
            out.append(Finding.at("import", message, view))
    return out
