"""Comparing the parts of two ``mlrefarch.json`` files that are lists of entries. Pure.

:mod:`sphinx_mlrefarch.diff` compares coverage; this module compares what
it delegates: entries identified by a key (constraints, hosting choices,
imports, catalogue entries), the declarations of each block of a solution
(their products, what the catalogue made of them, the directive that made
them) and the file-level ``imports`` and ``catalogue``. The rule for files
of other releases is the same everywhere: a key only one file has is not
compared, so an older file compares with a newer one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BlockChange",
    "EntryChange",
    "EntryChanges",
    "FieldChange",
    "FileChanges",
    "Resolution",
    "ResolutionChange",
    "block_changes",
    "entry_changes",
    "field_changes",
    "file_changes",
]

JsonDict = Mapping[str, Any]

#: What an import says (its ``name`` identifies it).
IMPORT_FIELDS = ("source", "url", "solutions")
#: The catalogue's own fields besides its entries.
CATALOGUE_FIELDS = ("id", "title", "version", "source")


@dataclass(frozen=True)
class FieldChange:
    """One field of an entry: its JSON value before and after."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class EntryChange:
    """An entry present in both files with different content."""

    #: The entry's key (`` (2)`` etc. appended for a repeated one).
    key: str
    title: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class EntryChanges:
    """Entries of one kind (constraints, hosting choices, ...): added, removed, changed."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[EntryChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def field_changes(old: JsonDict, new: JsonDict, fields: Sequence[str]) -> tuple[FieldChange, ...]:
    """Fields whose values differ; one file lacking a field is no change (an older format)."""
    return tuple(
        FieldChange(name, old[name], new[name])
        for name in fields
        if name in old and name in new and old[name] != new[name]
    )


def _keyed(entries: Iterable[JsonDict], key: str) -> dict[str, JsonDict]:
    """Entries by their key; a repeated key gets `` (2)``, `` (3)`` in order of appearance.

    Constraints are identified by their ``id``: unique within a solution, it
    is what roles link to, and a reworded title is a change of the same
    constraint. Hosting choices have no id (the directive offers none), so
    their title is what identifies them to the author and the reviewer; a
    renamed hosting choice therefore shows as one removed and one added,
    which is also how a reviewer reads a new name. Titles may repeat, so
    the n-th occurrence in one file is paired with the n-th in the other.
    """
    keyed: dict[str, JsonDict] = {}
    seen: dict[str, int] = {}
    for entry in entries:
        name = str(entry.get(key, ""))
        seen[name] = seen.get(name, 0) + 1
        keyed[name if seen[name] == 1 else f"{name} ({seen[name]})"] = entry
    return keyed


def entry_changes(
    old: Iterable[JsonDict], new: Iterable[JsonDict], key: str, fields: Sequence[str], title: str
) -> EntryChanges:
    """Entries added, removed (by ``key``) and changed (in ``fields``); ``title`` names one."""
    before, after = _keyed(old, key), _keyed(new, key)
    changed = []
    for name in sorted(before.keys() & after.keys()):
        diffs = field_changes(before[name], after[name], fields)
        if diffs:
            changed.append(EntryChange(name, str(after[name].get(title, name)), diffs))
    return EntryChanges(
        added=tuple(sorted(after.keys() - before.keys())),
        removed=tuple(sorted(before.keys() - after.keys())),
        changed=tuple(changed),
    )


# --------------------------------------------------------------------------
# a solution's declarations, block by block
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    """What the catalogue made of a product name (``sbb_resolved``): its entry, if any."""

    id: str | None
    licence: str | None
    foss: bool | None

    def __str__(self) -> str:
        if self.id is None:
            return "not in the catalogue"
        foss = "FOSS" if self.foss else "FOSS unknown" if self.foss is None else "not FOSS"
        return f"{self.id} ({self.licence or 'licence unknown'}, {foss})"


@dataclass(frozen=True)
class ResolutionChange:
    """A product named before and after whose catalogue entry (or its licence) changed."""

    name: str
    old: Resolution
    new: Resolution


@dataclass(frozen=True)
class BlockChange:
    """How the declarations of one block changed, beyond the block's status.

    The block's status is the coverage's (``status_changes``); this is what
    else a reviewer sees in the declarations: the products named (``sbb``),
    what the catalogue made of them (``sbb_resolved``), which directives
    declare the block (``via``) and who answers for it (``owner``).
    """

    block: str
    #: The products of the block's declarations, in order, each once (old, new).
    products: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    #: The directives that declare the block (with each one's status when there are
    #: several), sorted (old, new); None when unchanged or when one side has none.
    declared_by: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    resolutions: tuple[ResolutionChange, ...] = ()
    #: The owners the block's declarations name (``:owner:`` of ``abb``), in order,
    #: each once (old, new); None when unchanged or when one side has no declaration.
    owners: tuple[tuple[str, ...], tuple[str, ...]] | None = None


def _by_block(declarations: Iterable[JsonDict]) -> dict[str, list[JsonDict]]:
    grouped: dict[str, list[JsonDict]] = {}
    for declaration in declarations:
        grouped.setdefault(str(declaration.get("block", "")), []).append(declaration)
    return grouped


def _products(declarations: Iterable[JsonDict]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(n) for d in declarations for n in d.get("sbb", ())))


def _resolutions(declarations: Sequence[JsonDict]) -> dict[str, Resolution] | None:
    """Each product's first resolution; None for a file without ``sbb_resolved`` (older)."""
    if any("sbb_resolved" not in d for d in declarations):
        return None
    found: dict[str, Resolution] = {}
    for declaration in declarations:
        for item in declaration["sbb_resolved"]:
            resolution = Resolution(item.get("id"), item.get("licence"), item.get("foss"))
            found.setdefault(str(item.get("name", "")), resolution)
    return found


def _owners(declarations: Iterable[JsonDict]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(d["owner"]) for d in declarations if d.get("owner")))


def _directives(declarations: Sequence[JsonDict], with_status: bool) -> tuple[str, ...]:
    if with_status:
        return tuple(sorted(f"{d.get('via', '?')} ({d.get('status', '?')})" for d in declarations))
    return tuple(sorted(str(d.get("via", "?")) for d in declarations))


def _block_change(block: str, old: list[JsonDict], new: list[JsonDict]) -> BlockChange | None:
    change: dict[str, Any] = {}
    products = _products(old), _products(new)
    if products[0] != products[1]:
        change["products"] = products
    if old and new and all("via" in d for d in (*old, *new)):
        # one declaration each side: its status is the block's, reported with coverage
        several = len(old) > 1 or len(new) > 1
        directives = _directives(old, several), _directives(new, several)
        if directives[0] != directives[1]:
            change["declared_by"] = directives
    if old and new and all("owner" in d for d in (*old, *new)):
        # a block declared on one side only is a status change; its owner goes with it
        owners = _owners(old), _owners(new)
        if owners[0] != owners[1]:
            change["owners"] = owners
    before, after = _resolutions(old), _resolutions(new)
    if before is not None and after is not None:
        change["resolutions"] = tuple(
            ResolutionChange(name, before[name], after[name])
            for name in products[1]
            if name in before and before[name] != after[name]
        )
    if not any(change.get(key) for key in ("products", "declared_by", "resolutions", "owners")):
        return None
    return BlockChange(block, **change)


def block_changes(old: JsonDict, new: JsonDict) -> tuple[BlockChange, ...]:
    """Per block (by id), how two versions of a solution's declarations differ.

    A solution of a file without ``declarations`` (an older format) is not
    compared: nothing is reported rather than every product as new.
    """
    if "declarations" not in old or "declarations" not in new:
        return ()
    before, after = _by_block(old["declarations"]), _by_block(new["declarations"])
    changes = (
        _block_change(block, before.get(block, []), after.get(block, []))
        for block in sorted(before.keys() | after.keys())
    )
    return tuple(change for change in changes if change is not None)


# --------------------------------------------------------------------------
# the file: imports and catalogue
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class FileChanges:
    """What changed in the file besides its solutions and model: imports, the catalogue."""

    #: Imported projects, by name.
    imports: EntryChanges = EntryChanges()
    #: The catalogue's own fields (:data:`CATALOGUE_FIELDS`).
    catalogue_fields: tuple[FieldChange, ...] = ()
    #: Catalogue entries, by id.
    catalogue: EntryChanges = EntryChanges()

    @property
    def changed(self) -> bool:
        return bool(self.imports or self.catalogue_fields or self.catalogue)


def _known_keys(entries: Iterable[JsonDict]) -> list[str]:
    """The keys any entry has, in first appearance: the fields that file's format writes."""
    return list(dict.fromkeys(key for entry in entries for key in entry))


def _catalogue_entries(old: Sequence[JsonDict], new: Sequence[JsonDict]) -> EntryChanges:
    """Entries by id; an optional field is compared when both files write it somewhere.

    The catalogue leaves out optional fields without a value (``aliases``,
    ``summary``, ...), so an entry that gains one is a change; a field no
    entry of one file has is a field that file's release does not write.
    """
    known = set(_known_keys(old)) & set(_known_keys(new))
    fields = [key for key in _known_keys(new) if key in known and key != "id"]
    filled = [
        [{key: entry.get(key) for key in fields} | {"id": entry.get("id")} for entry in side]
        for side in (old, new)
    ]
    return entry_changes(filled[0], filled[1], "id", fields, "name")


def file_changes(old: JsonDict, new: JsonDict) -> FileChanges:
    """The ``imports`` and ``catalogue`` of two files; either missing from a file: not compared."""
    imports = EntryChanges()
    if "imports" in old and "imports" in new:
        imports = entry_changes(old["imports"], new["imports"], "name", IMPORT_FIELDS, "name")
    if "catalogue" not in old or "catalogue" not in new:
        return FileChanges(imports=imports)
    before, after = old["catalogue"], new["catalogue"]
    return FileChanges(
        imports=imports,
        catalogue_fields=field_changes(before, after, CATALOGUE_FIELDS),
        catalogue=_catalogue_entries(before.get("entries", ()), after.get("entries", ())),
    )
