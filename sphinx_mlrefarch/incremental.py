"""Incremental builds: which pages show something that changed elsewhere.

A page that renders data of other documents (a coverage table, the
portfolio, the reference book's back-links, a link whose text is another
page's solution title) must be written again when that data changes, even
though its own source did not. For every such page this module computes a
digest of everything it shows from elsewhere; the digests of the last
successful build into the same output directory are kept beside the
doctrees, and a page whose digest differs is rewritten. One file per
builder and output directory: ``make html`` and ``make text`` sharing one
doctree directory each rewrite their own stale pages.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from .domain import MlrefarchDomain

__all__ = [
    "export_record",
    "load_digests",
    "outdated_pages",
    "page_digests",
    "save_digests",
    "state_file",
]


def _hash(parts: Iterable[str]) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:16]


def page_digests(domain: MlrefarchDomain, title_of: Callable[[str], str]) -> dict[str, str]:
    """Per page that shows data of other documents, a digest of that data.

    ``title_of`` gives a document's title: coverage tables name the
    documents blocks are declared in.
    """
    portfolio = domain.portfolio
    model_key = _hash(
        json.dumps(data.to_dict(), sort_keys=True) for data in (domain.model, domain.catalogue)
    )
    solutions: dict[str, str] = {}

    def solution_key(sid: str | None) -> str:
        if sid is None:
            return "-"
        if sid not in solutions:
            view = portfolio.solutions[sid]
            titles = [title_of(d) for d in view.docnames]
            solutions[sid] = _hash([view.fingerprint(), *titles])
        return solutions[sid]

    def imported_key(address: str) -> str:
        # an imported solution is a value: its repr changes with anything it shows
        return _hash([address, repr(portfolio.imported[address])])

    def every_solution() -> str:
        local = [f"{sid}={solution_key(sid)}" for sid in portfolio.solutions]
        return _hash(local + [imported_key(address) for address in portfolio.imported])

    def chosen(names: tuple[str, ...]) -> list[str]:
        local, imported, unknown = portfolio.select(names)
        keys = [f"{view.id}={solution_key(view.id)}" for view in local]
        keys += [imported_key(solution.address) for solution in imported]
        return keys + [f"{name}=-" for name in unknown]

    pages: dict[str, list[str]] = {}
    for view in domain.records("views"):
        keys = pages.setdefault(view.docname, [model_key])
        if view.explicit:
            keys += chosen(view.solutions)
        else:
            own = portfolio.doc_solution.get(view.docname)
            keys.append(solution_key(own) if own is not None else every_solution())
    for ref in domain.records("references"):
        keys = pages.setdefault(ref.docname, [model_key])
        keys.append(domain.target_key(ref.role, ref.target, ref.docname))
    # Product names link to their row on a catalogue page, else to their
    # homepage: the declarations naming them and every view (tables, FOSS
    # options) change when a catalogue page comes, goes or lists others.
    listed = _hash(f"{p.id}={domain.sbb_anchor(p.id)}" for p in domain.catalogue.entries)
    naming = {abb.docname for abb in domain.records("abbs") if abb.sbb}
    naming |= {h.docname for h in domain.records("hosting") if h.containers or h.storage}
    for docname in sorted(naming | set(pages)):
        pages.setdefault(docname, [model_key]).append(listed)
    return {docname: _hash(keys) for docname, keys in sorted(pages.items())}


def outdated_pages(
    new: dict[str, str], old: dict[str, str] | None, existing: Iterable[str]
) -> list[str]:
    """Pages to write again: every page with a digest when nothing is known, else the changed."""
    known = set(existing)
    if old is None:
        return sorted(d for d in new if d in known)
    return sorted(d for d, digest in new.items() if d in known and old.get(d) != digest)


def state_file(builder: str, outdir: str | Path, doctreedir: str | Path) -> Path:
    """Where the digests of the last successful build into ``outdir`` are kept."""
    key = hashlib.sha256(f"{builder}:{Path(outdir).resolve()}".encode()).hexdigest()
    return Path(doctreedir) / f"mlrefarch-{key[:16]}.json"


def export_record(builder: str, outdir: str | Path, doctreedir: str | Path) -> Path:
    """Where the last build into ``outdir`` noted the ``mlrefarch.json`` it wrote."""
    state = state_file(builder, outdir, doctreedir)
    return state.with_name(f"{state.stem}-export.json")


def load_digests(path: Path) -> dict[str, str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def save_digests(path: Path, digests: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(digests, sort_keys=True), encoding="utf-8")
