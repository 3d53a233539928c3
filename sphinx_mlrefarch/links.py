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
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.errors import NoUri

from .catalogue import Catalogue
from .imports import link
from .model import Model
from .portfolio import Portfolio
from .references import find_constraint, find_imported_constraint

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

__all__ = [
    "ANCHOR",
    "IMPORTED_LINK",
    "SBB",
    "Target",
    "find_target",
    "fit_imported_links",
    "output_page",
    "retitled",
    "std_resolves",
]

#: Internal reference type for links to a declaration: target ``docname#anchor``.
ANCHOR = "_anchor"
#: Internal reference type for links to a catalogue product: target its id.
SBB = "_sbb"
#: The class of every link to an imported entry (see :func:`fit_imported_links`).
IMPORTED_LINK = "mlrefarch-imported"


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

    @property
    def linkable(self) -> bool:
        """Has an address: a page of this project or a URL (else only its text shows)."""
        return bool(self.docname) or self.url is not None


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
    classes = [IMPORTED_LINK] if target.imported else []
    node = nodes.reference("", "", internal=False, refuri=target.url or "", classes=classes)
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


def fit_imported_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Make links to imported entries under a relative ``url`` relative to their page.

    An import's ``url`` may be a path relative to this project's output root
    (``../payments/``: the sites published side by side), but a browser reads
    a link relative to the page that holds it. On ``doctree-resolved``, when
    the links of tables and roles are all there; ``docname`` is the page
    written (the root document for ``singlehtml``).
    """
    if app.builder.format != "html":
        return
    links = [
        node
        for node in doctree.findall(nodes.reference)
        if IMPORTED_LINK in node["classes"] and _from_root(node.get("refuri", ""))
    ]
    if not links:
        return
    to_root = "../" * output_page(app.builder, docname).count("/")
    for node in links:
        node["refuri"] = to_root + node["refuri"]


def output_page(builder: Builder, docname: str) -> str:
    """The file ``docname`` is written to, relative to the output root (HTML builders).

    ``singlehtml`` puts every document on the root document's page and
    addresses them as bare fragments, so the page is the root document's
    file, which may lie in a folder (``root_doc = "docs/start"``).
    """
    page = builder.get_target_uri(docname).partition("#")[0]
    if page:
        return page
    root = builder.config.root_doc
    return builder.get_target_uri(root).partition("#")[0] or (
        f"{root}{getattr(builder, 'out_suffix', '.html')}"
    )


def _from_root(uri: str) -> bool:
    """A path relative to the output root: no scheme, host, leading "/" or bare fragment."""
    return bool(uri) and not uri.startswith(("/", "#")) and not urlsplit(uri).scheme
