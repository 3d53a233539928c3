"""What a reference points at: blocks, solutions, constraints, products, imported ones.

The domain asks here for the :class:`Target` of every ``pending_xref`` it
resolves (roles, table links) and of every page's references when it
checks them for incremental rebuilds; one place decides what a name means.
A target is a page and anchor of this project, or an address elsewhere
(an imported solution on its own site, a product's homepage), or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from docutils import nodes
from sphinx.errors import NoUri

from .catalogue import Catalogue
from .findings import find_constraint, find_imported_constraint
from .imports import link
from .model import Model
from .portfolio import Portfolio

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

__all__ = ["ANCHOR", "SBB", "Target", "find_target", "retitled", "std_resolves"]

#: Internal reference type for links to a declaration: target ``docname#anchor``.
ANCHOR = "_anchor"
#: Internal reference type for links to a catalogue product: target its id.
SBB = "_sbb"


@dataclass(frozen=True)
class Target:
    """Where a reference goes, and the text an implicit title shows."""

    title: str
    docname: str = ""
    anchor: str = ""
    #: An address outside this project (then ``docname`` is empty); None: no link.
    url: str | None = None
    #: Shown as coming from another project.
    imported: bool = False


class Known(Protocol):
    """What :func:`find_target` reads of the domain."""

    @property
    def model(self) -> Model: ...

    @property
    def catalogue(self) -> Catalogue: ...

    @property
    def portfolio(self) -> Portfolio: ...

    def block_anchor(self, block: str) -> tuple[str, str] | None: ...

    def sbb_anchor(self, product: str) -> tuple[str, str] | None: ...


def find_target(known: Known, typ: str, target: str, fromdocname: str) -> Target | None:
    """The target of a reference of type ``typ`` to ``target`` from ``fromdocname``."""
    if typ == ANCHOR:
        docname, _, anchor = target.partition("#")
        return Target("", docname, anchor)
    if typ == SBB:
        product = known.catalogue.by_id.get(target)
        if product is None:
            return None
        where = known.sbb_anchor(target)
        if where is not None:
            return Target(product.name, *where)
        return Target(product.name, url=product.homepage or None)
    if typ == "abb":
        block_id = known.model.block_lookup.resolve(target)
        where = known.block_anchor(block_id) if block_id is not None else None
        if block_id is None or where is None:
            return None
        return Target(known.model.block_map[block_id].title, *where)
    portfolio = known.portfolio
    if typ == "solution":
        sid = portfolio.find(target)
        if sid is not None:
            record = portfolio.solutions[sid].record
            return Target(record.title, record.docname, record.anchor)
        imported = portfolio.find_imported(target)
        if imported is None:
            return None
        project = portfolio.projects[imported.project]
        return Target(imported.title, url=link(project, imported.uri), imported=True)
    if typ == "constraint":
        constraint = find_constraint(portfolio, target, fromdocname)
        if constraint is not None:
            return Target(constraint.title, constraint.docname, constraint.anchor)
        found = find_imported_constraint(portfolio, target)
        if found is None:
            return None
        solution, imported_constraint = found
        url = link(portfolio.projects[solution.project], imported_constraint.uri)
        return Target(imported_constraint.title, url=url, imported=True)
    return None


def external(target: Target, contnode: nodes.Element) -> nodes.reference:
    """A link to an address elsewhere (``target.url`` is set)."""
    node = nodes.reference("", "", internal=False, refuri=target.url or "")
    if target.title:
        node["reftitle"] = target.title
    node += contnode
    return node


def std_resolves(
    env: BuildEnvironment,
    fromdocname: str,
    builder: Builder,
    target: str,
    node: pending_xref,
    contnode: nodes.Element,
) -> bool:
    """Whether Sphinx's standard domain alone resolves ``target`` (a document, then the rest)."""
    std = env.get_domain("std")
    try:
        if std.resolve_xref(env, fromdocname, builder, "doc", target, node, contnode) is not None:
            return True
        return bool(std.resolve_any_xref(env, fromdocname, builder, target, node, contnode))
    except NoUri:  # it exists, but has no address in this builder's output
        return True


def retitled(contnode: nodes.Element, title: str) -> nodes.Element:
    """The reference's content node with ``title`` as its text (an implicit title)."""
    node = contnode.deepcopy()
    node.children = []
    node += nodes.Text(title)
    return node
