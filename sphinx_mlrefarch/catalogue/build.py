"""From a validated catalogue document to a :class:`~.types.Catalogue`.

Applies ``extends: default`` (overrides by id, additions, ``remove:``), then
checks what the schema cannot: that new entries are complete, that their
blocks exist in the project's model, and that every id, name and alias
names one product only.

Only what the user's own file says is reported. The built-in entries are
fitted to the project's model quietly: a block the model does not have
(because a tailored model removed it) is left out of the entry, and an entry
left with no block is left out of the catalogue, without a problem, since
the user never wrote them. The same holds for the built-in catalogue
itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model.merge import Origins, merge_by_id, take, unique
from ..model.problems import PathT
from ..model.types import Model, Source
from ..model.yaml_source import YamlSource, items
from ..names import close_matches, did_you_mean, hint, norm
from .types import Catalogue, Product

__all__ = ["REQUIRED", "build_catalogue"]

#: What a new entry must give (there is nothing to inherit them from).
REQUIRED = ("name", "licence", "foss", "blocks")

_TOP = ("id", "title", "version", "description")


@dataclass
class _Draft:
    """Entries being assembled, and where each came from in the user's file."""

    source: YamlSource
    data: Mapping[str, Any]
    origins: Origins
    base_ids: frozenset[str]

    def path(self, entry: Mapping[str, Any]) -> PathT | None:
        """The entry's path in the user's file; None for an untouched built-in entry."""
        return self.origins.of(entry)

    def given(self, entry: Mapping[str, Any]) -> set[str]:
        """The keys the user's file gives for this entry."""
        path = self.path(entry)
        if path is None:
            return set()
        index = path[-1]
        assert isinstance(index, int)
        return set(self.data["entries"][index])


def build_catalogue(
    source: YamlSource,
    data: dict[str, Any],
    model: Model,
    base: Mapping[str, Any] | None,
) -> Catalogue:
    """The catalogue ``data`` describes, fitted to ``model``.

    ``base`` is the built-in catalogue in file form (what ``extends:
    default`` starts from), or None when ``data`` is the built-in catalogue.
    """
    origins = Origins()
    draft = _Draft(source, data, origins, frozenset())
    # entries of the built-in file are not tracked: nothing in it is the user's
    mine = take(data, "entries", origins if base is not None else None)
    entries = unique(source, origins, mine, "entry")
    top: dict[str, Any] = dict(data)
    if base is not None and data.get("extends") == "default":
        start = take(base, "entries", None)
        draft.base_ids = frozenset(e["id"] for e in start)
        entries = _remove(source, merge_by_id(start, entries, origins), data)
        top = {k: base[k] for k in (*_TOP, "source") if k in base}
        top.update({k: data[k] for k in _TOP if k in data})
        top["source"] = {**(base.get("source") or {}), **(data.get("source") or {})}
    elif data.get("remove"):
        source.problem(("remove",), _REMOVE_ALONE)
    entries = [e for e in entries if _complete(draft, e)]
    entries = [e for e in (_fit(draft, e, model) for e in entries) if e is not None]
    entries = _distinct(draft, entries)
    return Catalogue(
        id=str(top.get("id") or "catalogue"),
        title=str(top.get("title") or top.get("id") or "Catalogue"),
        version=str(top.get("version", "")),
        description=str(top.get("description", "")),
        source=Source(**{k: str(v) for k, v in (top.get("source") or {}).items()}),
        entries=tuple(_freeze(e) for e in entries),
    )


_REMOVE_ALONE = (
    "'remove' only applies together with 'extends: default'; "
    "add 'extends: default' or leave out 'remove'"
)


def _remove(
    source: YamlSource, entries: list[dict[str, Any]], data: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """``entries`` without the ids under ``remove``; an unknown id is a problem."""
    ids = [e["id"] for e in entries]
    gone: set[str] = set()
    for index, ref in items(data, "remove"):
        if ref in ids:
            gone.add(ref)
        else:
            source.problem(
                ("remove", index),
                f"cannot remove {ref!r}: no entry has this id"
                + did_you_mean(close_matches(ref, ids)),
            )
    return [e for e in entries if e["id"] not in gone]


def _complete(draft: _Draft, entry: Mapping[str, Any]) -> bool:
    """A new entry gives name, licence, foss and blocks; otherwise it is left out."""
    if entry["id"] in draft.base_ids:
        return True
    missing = [key for key in REQUIRED if key not in entry]
    if not missing:
        return True
    needs = ", ".join(repr(m) for m in missing[:-1])
    needs = f"{needs} and {missing[-1]!r}" if needs else repr(missing[-1])
    if draft.base_ids:
        message = f"new entry {entry['id']!r} needs {needs} (the built-in catalogue has no such id"
        message += ", so there is nothing to override)"
        message += did_you_mean(close_matches(entry["id"], sorted(draft.base_ids)))
    else:
        message = f"entry {entry['id']!r} needs {needs}"
    draft.source.problem(draft.path(entry) or (), message)
    return False


def _fit(draft: _Draft, entry: dict[str, Any], model: Model) -> dict[str, Any] | None:
    """The entry with only the blocks ``model`` has; None when none is left."""
    path = draft.path(entry)
    mine = path is not None and "blocks" in draft.given(entry)
    known = list(model.block_map)
    kept: list[str] = []
    for index, block in enumerate(entry["blocks"]):
        if block in model.block_map:
            if block not in kept:
                kept.append(block)
        elif mine and path is not None:
            draft.source.problem(
                (*path, "blocks", index),
                f"entry {entry['id']!r} names block {block!r}, which the model does not have"
                + hint(block, known),
            )
    if kept:
        fitted = _same_origin(draft, entry)
        fitted["blocks"] = kept
        return fitted
    if path is not None:
        # the user wrote this entry (or changed it), so its disappearance is news
        where = (*path, "blocks") if mine else path
        draft.source.problem(
            where,
            f"entry {entry['id']!r} is left out: none of its blocks "
            f"({', '.join(map(str, entry['blocks']))}) is in the model"
            + ("" if mine else "; give it 'blocks' of this model"),
        )
    return None


def _same_origin(draft: _Draft, entry: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``entry`` that keeps its place in the user's file."""
    copy = dict(entry)
    path = draft.path(entry)
    if path is not None:
        draft.origins.note(copy, path)
    return copy


def _distinct(draft: _Draft, entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries whose ids, names and aliases name one product each.

    Built-in spellings claim their names first, then the user's, in file
    order; the later claim loses: an alias is dropped, an entry whose id or
    name is taken is left out (a name that could mean two products would
    make every reference to it a guess).
    """
    claims: list[tuple[tuple[Any, ...], str, str, dict[str, Any], int]] = []
    for pos, entry in enumerate(entries):
        path = draft.path(entry)
        given = draft.given(entry)
        new = path is not None and entry["id"] not in draft.base_ids
        spellings = [("id", entry["id"], new), ("name", entry["name"], "name" in given)]
        spellings += [("aliases", a, "aliases" in given) for a in entry.get("aliases") or ()]
        for index, (kind, spelling, mine) in enumerate(spellings):
            order = (1, path[-1] if path else pos, index) if mine else (0, pos, index)
            claims.append((order, kind, str(spelling), entry, index - 2))
    claims.sort(key=lambda claim: claim[0])
    taken: dict[str, str] = {}
    left_out: set[int] = set()
    dropped_aliases: set[tuple[int, str]] = set()
    for order, kind, spelling, entry, alias_index in claims:
        if id(entry) in left_out:
            continue
        holder = taken.setdefault(norm(spelling), entry["id"])
        if holder == entry["id"]:
            continue
        path = draft.path(entry)
        mine = order[0] == 1 and path is not None
        if kind == "aliases":
            dropped_aliases.add((id(entry), norm(spelling)))
            if mine and path is not None:
                draft.source.problem(
                    (*path, "aliases", alias_index),
                    f"alias {spelling!r} of entry {entry['id']!r} already names entry "
                    f"{holder!r}; ids, names and aliases must be unique, so the alias is ignored",
                )
            continue
        left_out.add(id(entry))
        taken = {k: v for k, v in taken.items() if v != entry["id"]}
        if mine and path is not None:
            what = "id" if kind == "id" else f"name {spelling!r} of entry"
            tail = ""
            if entry["id"] not in draft.base_ids and draft.base_ids:
                tail = f" (to change entry {holder!r}, give its id {holder!r})"
            draft.source.problem(
                (*path, kind),
                f"{what} {entry['id']!r} already names entry {holder!r}; ids, names and "
                f"aliases must be unique, so entry {entry['id']!r} is left out{tail}",
            )
    out = []
    for entry in entries:
        if id(entry) in left_out:
            continue
        aliases: list[str] = []
        for alias in entry.get("aliases") or ():
            key = norm(alias)
            if (id(entry), key) not in dropped_aliases and key not in map(norm, aliases):
                aliases.append(str(alias))
        entry["aliases"] = aliases
        out.append(entry)
    return out


def _freeze(entry: Mapping[str, Any]) -> Product:
    return Product(
        id=entry["id"],
        name=str(entry["name"]),
        aliases=tuple(entry.get("aliases") or ()),
        licence=str(entry["licence"]),
        foss=bool(entry["foss"]),
        homepage=str(entry.get("homepage", "")),
        repository=str(entry.get("repository", "")),
        blocks=tuple(entry["blocks"]),
        summary=str(entry.get("summary", "")),
    )
