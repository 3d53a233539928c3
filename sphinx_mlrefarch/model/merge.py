"""Tailoring: ``extends: default`` with overrides by id, additions and ``remove:``.

A model (or catalogue) file may start from the built-in one and list only
what changes. Items are plain dicts while they are merged; each remembers
the path it came from in the file (:class:`Origins`), so a problem found
after merging is still located at the line the user wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .problems import PathT
from .yaml_source import DROPPED, YamlSource, items

__all__ = ["Origins", "merge_by_id", "take", "unique"]


class Origins:
    """Where each item dict came from in the file being loaded (by object identity)."""

    def __init__(self) -> None:
        self._paths: dict[int, tuple[Any, PathT]] = {}

    def note(self, item: Mapping[str, Any], path: PathT) -> None:
        # the item itself is kept too, so that its id() is not reused
        self._paths[id(item)] = (item, path)

    def of(self, item: Mapping[str, Any]) -> PathT | None:
        found = self._paths.get(id(item))
        return found[1] if found is not None else None


def take(
    data: Mapping[str, Any], key: str, origins: Origins | None, prefix: PathT = ()
) -> list[dict[str, Any]]:
    """Copies of the (not dropped) items under ``key``, noting their paths when tracking."""
    out = []
    for index, item in items(data, key):
        copy = dict(item)
        if origins is not None:
            origins.note(copy, (*prefix, key, index))
        out.append(copy)
    return out


def merge_by_id(
    base: list[dict[str, Any]], changes: Iterable[dict[str, Any]], origins: Origins
) -> list[dict[str, Any]]:
    """Override fields of entries whose id exists, append the others (in order)."""
    result = [dict(item) for item in base]
    index = {item["id"]: pos for pos, item in enumerate(result)}
    for change in changes:
        pos = index.get(change["id"])
        if pos is None:
            index[change["id"]] = len(result)
            result.append(change)
            continue
        merged = {**result[pos], **change}
        where = origins.of(change)
        if where is not None:
            origins.note(merged, where)
        result[pos] = merged
    return result


def unique(
    source: YamlSource, origins: Origins, entries: Iterable[dict[str, Any]], what: str
) -> list[dict[str, Any]]:
    """``entries`` without repeated ids; each repetition is a problem at its own line."""
    seen: dict[str, dict[str, Any]] = {}
    out = []
    for item in entries:
        if item is DROPPED:
            continue
        first = seen.get(item["id"])
        if first is not None:
            where = origins.of(first)
            first_line = source.line_of(where) if where else None
            at = f" (first defined on line {first_line})" if first_line else ""
            source.problem(
                origins.of(item) or (),
                f"duplicate {what} id {item['id']!r}{at}; ids must be unique",
            )
            continue
        seen[item["id"]] = item
        out.append(item)
    return out
