"""Resolving references to model entries by id, title or alias, case-insensitively."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from ..names import close_matches, norm

__all__ = ["Lookup", "Named"]


class Named(Protocol):
    """Anything with an id and a title (aliases optional): layers, blocks, values."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...


class Lookup:
    """Names (ids, titles, aliases) of a list of entries, each pointing to an id.

    The first entry to claim a name keeps it, so a title that repeats
    another block's id cannot take that id's references away.
    """

    def __init__(self, items: Iterable[Named]) -> None:
        self._index: dict[str, str] = {}
        ids: list[str] = []
        for item in items:
            ids.append(item.id)
            for name in (item.id, item.title, *getattr(item, "aliases", ())):
                self._index.setdefault(norm(name), item.id)
        #: The ids, in model order (for "expected one of" messages).
        self.ids: tuple[str, ...] = tuple(ids)

    def resolve(self, ref: str) -> str | None:
        """The id that ``ref`` names, or None."""
        return self._index.get(norm(ref))

    def suggest(self, ref: str) -> list[str]:
        """Up to three ids whose id, title or alias is close to ``ref``."""
        found: list[str] = []
        for name in close_matches(ref, self._index, n=5):
            target = self._index[name]
            if target not in found:
                found.append(target)
        return found[:3]
