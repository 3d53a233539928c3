"""The ``mlrefarch`` domain: the one place the extension keeps build state.

Everything directives and roles declare is filed in :attr:`Domain.data`
under the document that declared it, so :meth:`clear_doc` and
:meth:`merge_domaindata` are a dictionary pop and a dictionary copy, and a
parallel or incremental build ends with exactly the data of a fresh
serial one. Nothing outside this module touches ``data``: the typed
methods below are the interface. Derived state (the model, the portfolio,
the findings of this build) lives on the instance and is never pickled;
it is recomputed for every build (see :mod:`.events`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from sphinx.domains import Domain, ObjType

from .catalogue import Catalogue
from .config import Settings, read_settings
from .findings import Finding
from .inventory import Inventory
from .links import ANCHOR, SBB, Target, external, find_target, retitled, std_resolves
from .model import Model
from .portfolio import Portfolio
from .records import (
    AbbRecord,
    ConstraintRecord,
    HostingRecord,
    Place,
    ReferenceRecord,
    SolutionRecord,
    ViewRecord,
)
from .references import find_constraint

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

__all__ = ["ANCHOR", "DOMAIN", "PER_DOC", "SBB", "MlrefarchDomain", "get_domain"]

#: The domain's name: the prefix of ``mlrefarch:abb`` and of the warning type.
DOMAIN = "mlrefarch"

#: Tables filed by document name.
PER_DOC = (
    "solutions",
    "abbs",
    "constraints",
    "hosting",
    "anchors",
    "sbb_anchors",
    "views",
    "references",
    "findings",
)

#: The table each kind of record is filed in.
TABLES: dict[type[Place], str] = {
    SolutionRecord: "solutions",
    AbbRecord: "abbs",
    ConstraintRecord: "constraints",
    HostingRecord: "hosting",
    ViewRecord: "views",
    ReferenceRecord: "references",
    Finding: "findings",
}


class MlrefarchDomain(Domain):
    """Building blocks, solutions and constraints."""

    name = DOMAIN
    label = "ML reference architecture"
    object_types: ClassVar[dict[str, ObjType]] = {
        "abb": ObjType("building block", "abb"),
        "solution": ObjType("solution", "solution"),
        "constraint": ObjType("constraint", "constraint"),
    }
    # filled in by setup(): the modules that define them read the domain
    roles: ClassVar[dict[str, Any]] = {}
    directives: ClassVar[dict[str, Any]] = {}
    initial_data: ClassVar[dict[str, Any]] = {table: {} for table in PER_DOC}
    data_version = 3
    dangling_warnings: ClassVar[dict[str, str]] = {}

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        # Per-build state, never pickled: the env holds only ``data``. Forked
        # parallel readers and writers inherit it; readers send only data back.
        self._settings: Settings | None = None
        #: The settings were read for this build and not yet put to use.
        self._fresh = False
        self._confdir = ""
        #: Derived from ``data`` after every read phase (see events.on_env_updated).
        self.portfolio: Portfolio = Portfolio()
        #: The products the solutions name (see inventory.build_inventory), per build.
        self.inventory: Inventory = {}
        #: Every finding of this build, in report order (see events.on_env_updated).
        self.all_findings: list[Finding] = []
        #: Per-page digests of what this build shows, saved when it succeeds.
        self.digests: dict[str, str] | None = None
        #: Documents whose model dependency is noted (see note_model_dependency).
        self._noted: set[str] = set()
        #: Relative URIs by (from, to) page, for HTML builders.
        self._uris: dict[tuple[str, str], str] = {}
        #: The application's builder, set at ``builder-inited``: post-transforms
        #: need it, and ``SphinxTransform.app`` is deprecated from Sphinx 9.
        self.builder: Builder | None = None

    # -- configuration and model ---------------------------------------------------

    def configure(self, confdir: str | Path, outdir: str | Path | None = None) -> Settings:
        """Read ``conf.py``; load the model, catalogue (cached by mtime) and imports (anew)."""
        self._confdir = str(confdir)
        self._settings = read_settings(self.env.config, confdir, outdir)
        self._fresh = True
        self._uris.clear()
        return self._settings

    def refresh(self, confdir: str | Path, outdir: str | Path | None = None) -> None:
        """Configure again, unless nothing has used the settings since they were read."""
        if self._fresh:
            self._fresh = False
        else:
            self.configure(confdir, outdir)
            self._fresh = False

    @property
    def confdir(self) -> str:
        """The directory of ``conf.py`` the settings were read from."""
        return self._confdir or str(self.env.srcdir)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            return self.configure(self.confdir)
        return self._settings

    @property
    def model(self) -> Model:
        """The project's model (an empty one if the file is unusable)."""
        return self.settings.model

    @property
    def catalogue(self) -> Catalogue:
        """The project's SBB catalogue (an empty one if the file is unusable)."""
        return self.settings.catalogue

    def note_model_dependency(self, docname: str) -> None:
        """Re-read ``docname`` when the model or catalogue file changes (noted once per read)."""
        if docname in self._noted:
            return
        self._noted.add(docname)
        for file in self.settings.dependencies:
            self.env.note_dependency(str(file))

    # -- storing (while reading) -----------------------------------------------------

    def add(self, record: Place) -> None:
        """File a record (or a finding) under its document; one ``solution`` per document."""
        table = TABLES[type(record)]
        if table == "solutions":
            self.data[table].setdefault(record.docname, record)
        else:
            self.data[table].setdefault(record.docname, []).append(record)

    def add_anchor(self, docname: str, block: str, anchor: str) -> None:
        self.data["anchors"].setdefault(docname, {}).setdefault(block, anchor)

    def add_sbb_anchor(self, docname: str, product: str, anchor: str) -> None:
        """Where a catalogue page lists ``product`` (``sbb-catalogue``)."""
        self.data["sbb_anchors"].setdefault(docname, {}).setdefault(product, anchor)

    def clear_doc(self, docname: str) -> None:
        for table in PER_DOC:
            self.data[table].pop(docname, None)
        self._noted.discard(docname)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            for table in PER_DOC:
                if docname in otherdata[table]:
                    self.data[table][docname] = otherdata[table][docname]

    # -- reading back ----------------------------------------------------------------

    def solution_in(self, docname: str) -> SolutionRecord | None:
        return cast("SolutionRecord | None", self.data["solutions"].get(docname))

    @property
    def solutions(self) -> Mapping[str, SolutionRecord]:
        return cast("Mapping[str, SolutionRecord]", self.data["solutions"])

    def per_doc(self, table: str) -> Mapping[str, Sequence[Any]]:
        """One of the list tables (``abbs``, ``views``, ...), by document."""
        return cast("Mapping[str, Sequence[Any]]", self.data[table])

    def records(self, table: str) -> Iterator[Any]:
        """Every record of a list table, in document order."""
        data = self.data[table]
        for docname in sorted(data):
            yield from data[docname]

    def views_of(self, docname: str) -> Sequence[ViewRecord]:
        return cast("Sequence[ViewRecord]", self.data["views"].get(docname, ()))

    def references_of(self, docname: str) -> Sequence[ReferenceRecord]:
        return cast("Sequence[ReferenceRecord]", self.data["references"].get(docname, ()))

    def block_anchor(self, block: str) -> tuple[str, str] | None:
        """Where the reference book defines ``block`` (first document by name)."""
        return self._first_anchor("anchors", block)

    def sbb_anchor(self, product: str) -> tuple[str, str] | None:
        """Where a catalogue page lists ``product`` (first document by name)."""
        return self._first_anchor("sbb_anchors", product)

    def _first_anchor(self, table: str, key: str) -> tuple[str, str] | None:
        for docname in sorted(self.data[table]):
            anchor = self.data[table][docname].get(key)
            if anchor is not None:
                return docname, anchor
        return None

    def find_solution(self, target: str) -> SolutionRecord | None:
        sid = self.portfolio.find(target)
        return self.portfolio.solutions[sid].record if sid is not None else None

    def find_constraint(self, target: str, fromdocname: str) -> ConstraintRecord | None:
        return find_constraint(self.portfolio, target, fromdocname)

    # -- references --------------------------------------------------------------

    def refnode(
        self,
        builder: Builder,
        fromdocname: str,
        todocname: str,
        anchor: str,
        child: nodes.Node,
        title: str | None = None,
    ) -> nodes.reference:
        """Like Sphinx's ``make_refnode``, with relative URIs cached per page pair.

        Coverage tables, the portfolio matrix and back-links make tens of
        thousands of links between the same few pages; computing each
        relative URI anew was a noticeable share of a large build.
        """
        node = nodes.reference("", "", internal=True)
        if fromdocname == todocname:
            node["refid"] = anchor
        elif builder.format != "html":
            # LaTeX and others decide per output document whether a link can
            # exist (NoUri); no caching there
            node["refuri"] = f"{builder.get_relative_uri(fromdocname, todocname)}#{anchor}"
        else:
            key = (fromdocname, todocname)
            uri = self._uris.get(key)
            if uri is None:
                uri = self._uris[key] = builder.get_relative_uri(fromdocname, todocname)
            node["refuri"] = f"{uri}#{anchor}"
        if title:
            node["reftitle"] = title
        node += child
        return node

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        found = find_target(self, typ, target, fromdocname)
        if found is None:
            # Not defined here: intersphinx may know it; otherwise the text
            # stays (the finding, if any, was reported after reading)
            return None
        return self.link_to(found, builder, fromdocname, typ, node, contnode)

    def link_to(
        self,
        found: Target,
        builder: Builder,
        fromdocname: str,
        typ: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        """The link to ``found`` (None when it has no address: the content stays)."""
        implicit = typ in ("solution", "constraint") and not node.get("refexplicit")
        if not found.linkable:
            # another project's, with no address to link to: Sphinx keeps the
            # content node, which shows the title (as the link would)
            if implicit:
                contnode.children = [nodes.Text(found.title)]
            contnode["classes"].append("mlrefarch-unlinked")
            return None
        if implicit:
            contnode = retitled(contnode, found.title)
        if not found.docname:
            return external(found, contnode)
        title = found.title or None
        return self.refnode(builder, fromdocname, found.docname, found.anchor, contnode, title)

    def target_key(self, typ: str, target: str, fromdocname: str) -> str:
        """What a reference shows, as text: changes when its link text or target changes."""
        return repr(find_target(self, typ, target, fromdocname))

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        """Blocks, solutions and constraints for ``:any:`` and MyST's ``[text](target)``.

        Both ask every domain. A document, label or other standard object of
        the same name keeps its meaning without a "more than one target"
        warning: pages named like a block (``hosting.md``) are common, and the
        extension must not change what their links mean. Blocks, solutions and
        constraints stay reachable through their own roles.
        """
        if std_resolves(env, fromdocname, builder, target, node, contnode):
            return []
        results = []
        for typ in ("abb", "solution", "constraint"):
            found = self.resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
            if found is not None:
                results.append((f"{DOMAIN}:{typ}", found))
        return results

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for block in self.model.blocks:
            where = self.block_anchor(block.id)
            if where is not None:
                yield block.id, block.title, "abb", where[0], where[1], 1
        for docname, record in sorted(self.solutions.items()):
            yield record.id, record.title, "solution", docname, record.anchor, 1
        for view in self.portfolio.solutions.values():
            for con in view.constraints:
                yield f"{view.id}/{con.id}", con.title, "constraint", con.docname, con.anchor, 1


def get_domain(env: BuildEnvironment) -> MlrefarchDomain:
    """The extension's domain of ``env``: the one way to reach the build state."""
    return cast("MlrefarchDomain", env.get_domain(DOMAIN))
