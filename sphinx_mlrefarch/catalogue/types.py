"""The SBB catalogue as immutable, picklable values.

A :class:`Catalogue` travels with the model to every part of a build,
parallel readers included, so it is plain frozen data; its look-ups are
built on first use and are neither compared nor pickled. The loader
guarantees that every id, name and alias names one product only, so a look-up
never has to choose.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from ..model.types import Described
from ..names import close_matches, norm

__all__ = ["Catalogue", "Product"]


@dataclass(frozen=True, kw_only=True)
class Product:
    """A solution building block (SBB): a product that can realise model blocks."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    licence: str
    foss: bool
    homepage: str = ""
    repository: str = ""
    #: Model block ids, the main one first.
    blocks: tuple[str, ...]
    summary: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Every spelling that refers to this product: name, aliases, id."""
        return (self.name, *self.aliases, self.id)

    def to_dict(self) -> dict[str, Any]:
        """The entry in file form; optional fields only when they have a value."""
        out: dict[str, Any] = {"id": self.id, "name": self.name}
        if self.aliases:
            out["aliases"] = list(self.aliases)
        out["licence"] = self.licence
        out["foss"] = self.foss
        for key in ("homepage", "repository"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        out["blocks"] = list(self.blocks)
        if self.summary:
            out["summary"] = self.summary
        return out


@dataclass(frozen=True)
class Catalogue(Described):
    """A loaded, consistent SBB catalogue. Immutable and picklable."""

    entries: tuple[Product, ...] = ()

    # -- look-ups (built on first use; not part of equality or of the pickle) ----

    @cached_property
    def by_id(self) -> dict[str, Product]:
        """Products by id, in catalogue order."""
        return {p.id: p for p in self.entries}

    @cached_property
    def _index(self) -> dict[str, Product]:
        index: dict[str, Product] = {}
        for product in self.entries:
            for name in product.names:
                index.setdefault(norm(name), product)
        return index

    @cached_property
    def _by_block(self) -> dict[str, tuple[Product, ...]]:
        found: dict[str, list[Product]] = {}
        for product in self.entries:
            for block in product.blocks:
                found.setdefault(block, []).append(product)
        return {block: tuple(products) for block, products in found.items()}

    def __getstate__(self) -> dict[str, Any]:
        # cached look-ups live in __dict__ beside the fields; only fields travel
        names = {spec.name for spec in fields(self)}
        return {k: v for k, v in self.__dict__.items() if k in names}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # -- questions about the catalogue ----------------------------------------

    def resolve(self, name: str) -> Product | None:
        """The product that ``name`` (an id, name or alias, in any case) refers to."""
        return self._index.get(norm(name))

    def suggest(self, name: str) -> list[str]:
        """Up to three spellings close to ``name``, one per product, for "did you mean".

        The spelling offered is the one that came close (an alias such as
        ``sklearn`` rather than the full name), written as the catalogue
        writes it, so that pasting it resolves.
        """
        spellings = [s for p in self.entries for s in p.names]
        found: list[str] = []
        seen: set[str] = set()
        for spelling in close_matches(name, spellings, n=6):
            product = self._index[norm(spelling)]
            if product.id not in seen:
                seen.add(product.id)
                found.append(spelling)
        return found[:3]

    def for_block(self, block_id: str) -> tuple[Product, ...]:
        """The products that can realise ``block_id``, in catalogue order."""
        return self._by_block.get(block_id, ())

    # -- file form ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The catalogue in file form (``schema: 1``), ready for YAML or JSON."""
        out = self.header()
        out["entries"] = [p.to_dict() for p in self.entries]
        return out
