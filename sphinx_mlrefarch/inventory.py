"""The technology inventory: which products the solutions name, for which blocks.

Pure. Built once per build from the portfolio and the catalogue (so the
catalogue page's "Used by" cells and every ``sbb-usage`` table read one
index instead of walking all declarations each): one :class:`Item` per
product, catalogued or not. Names are grouped by the catalogue entry they
resolve to, else by their spelling (case and spaces ignored).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .catalogue import Catalogue, Product
from .coverage import Effective, declarations
from .imports import link
from .names import norm
from .portfolio import Portfolio

__all__ = ["Inventory", "Item", "Use", "build_inventory"]


@dataclass(frozen=True)
class Use:
    """One declaration naming a product."""

    #: Solution id (or ``NAME:id`` of an imported one) and title.
    solution: str
    title: str
    block: str
    #: Where the declaration is: a page of this project, or an address elsewhere.
    docname: str = ""
    anchor: str = ""
    url: str | None = None


@dataclass
class Item:
    """A product as the solutions name it."""

    #: The catalogue id, or ``?<normalised name>`` for a product the catalogue lacks.
    key: str
    #: The catalogue's name, else the first spelling met.
    name: str
    product: Product | None
    uses: list[Use] = field(default_factory=list)

    @property
    def blocks(self) -> list[str]:
        """Blocks it serves, in the order first met."""
        return list(dict.fromkeys(use.block for use in self.uses))

    def used_by(self, solutions: Iterable[str]) -> list[Use]:
        chosen = set(solutions)
        return [use for use in self.uses if use.solution in chosen]


Inventory = dict[str, Item]


def _key(catalogue: Catalogue, name: str) -> tuple[str, Product | None]:
    product = catalogue.resolve(name)
    return (product.id, product) if product is not None else (f"?{norm(name)}", None)


def build_inventory(portfolio: Portfolio, catalogue: Catalogue) -> Inventory:
    """Every named product with its uses, sorted by name (case-insensitive)."""
    items: dict[str, Item] = {}

    def add(name: str, use: Use) -> None:
        key, product = _key(catalogue, name)
        item = items.setdefault(key, Item(key, product.name if product else name, product))
        item.uses.append(use)

    for view in portfolio.solutions.values():
        for record, blocks in declarations(view.abbs, view.hosting):
            for block in blocks:
                for name in Effective(block, record).sbb:
                    add(name, Use(view.id, view.title, block, record.docname, record.anchor))
    for solution in portfolio.imported.values():
        project = portfolio.projects[solution.project]
        for declaration in solution.declarations:
            url = link(project, declaration.uri)
            for name in declaration.sbb:
                add(name, Use(solution.address, solution.title, declaration.block, url=url))
    return dict(sorted(items.items(), key=lambda pair: (norm(pair[1].name), pair[0])))
