"""The ``mlrefarch`` domain: the one place declarations live in the environment.

Every record is filed under the document that declared it, so
:meth:`clear_doc` and :meth:`merge_domaindata` are a dictionary pop and a
dictionary copy, and a parallel or incremental build ends with exactly the
data of a fresh serial one. The derived portfolio (scopes, coverage) is
recomputed from these records after every read phase (see :mod:`.events`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole

from .log import warn
from .model import _norm, did_you_mean
from .portfolio import Portfolio
from .project import DOMAIN, get_model, note_model_dependency

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from .model import Model
    from .records import AbbRecord, ConstraintRecord, HostingRecord, SolutionRecord

#: Tables filed by document name.
PER_DOC = ("solutions", "abbs", "constraints", "hosting", "anchors", "aggregates")

#: Internal reference type for links to a declaration: target ``docname#anchor``.
ANCHOR = "_anchor"


class MlrefarchXRefRole(XRefRole):
    """A role that always resolves through this domain, also when used unprefixed."""

    innernodeclass = nodes.inline

    def __init__(self, reftype: str) -> None:
        super().__init__(warn_dangling=True)
        self._reftype = reftype

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.refdomain, self.reftype = DOMAIN, self._reftype
        self.classes = ["xref", DOMAIN, f"{DOMAIN}-{self._reftype}"]
        if self.disabled:
            return self.create_non_xref_node()
        return self.create_xref_node()

    def process_link(
        self,
        env: BuildEnvironment,
        refnode: nodes.Element,
        has_explicit_title: bool,
        title: str,
        target: str,
    ) -> tuple[str, str]:
        """A block reference by title or alias becomes its id, its text the block's title.

        Done while reading, so that the link text is right even where the
        reference resolves through intersphinx or stays unlinked, and the
        target is the id that inventories list.
        """
        title, target = super().process_link(env, refnode, has_explicit_title, title, target)
        if self._reftype == "abb":
            note_model_dependency(env)
            model = get_model(env)
            block_id = model.block_lookup.resolve(target)
            if block_id is not None:
                target = block_id
                if not has_explicit_title:
                    title = model.block_map[block_id].title
        return title, target


class MlrefarchDomain(Domain):
    """Building blocks, solutions and constraints."""

    name = DOMAIN
    label = "ML reference architecture"
    object_types: ClassVar[dict[str, ObjType]] = {
        "abb": ObjType("building block", "abb"),
        "solution": ObjType("solution", "solution"),
        "constraint": ObjType("constraint", "constraint"),
    }
    roles: ClassVar[dict[str, Any]] = {
        "abb": MlrefarchXRefRole("abb"),
        "solution": MlrefarchXRefRole("solution"),
        "constraint": MlrefarchXRefRole("constraint"),
    }
    directives: ClassVar[dict[str, Any]] = {}  # filled in by setup()
    initial_data: ClassVar[dict[str, Any]] = {
        **{table: {} for table in PER_DOC},
        "model_file": None,
    }
    data_version = 2
    dangling_warnings: ClassVar[dict[str, str]] = {}

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        # Per-build state, never pickled: the env holds only ``data``. Forked
        # parallel writers inherit it; parallel readers do not need it back.
        #: The model of this build (see project.get_model).
        self.model: Model | None = None
        #: Derived from ``data`` after every read phase (events.on_env_updated).
        self.portfolio: Portfolio = Portfolio()
        #: Fingerprints of this build's aggregates, saved when it succeeds.
        self.fingerprints: dict[str, str] | None = None
        #: Documents whose model dependency is noted (see note_model_dependency).
        self.noted: set[str] = set()
        #: Relative URIs by (from, to) page, for HTML builders.
        self.uris: dict[tuple[str, str], str] = {}

    # -- storing -----------------------------------------------------------

    def _list(self, table: str, docname: str) -> list[Any]:
        return self.data[table].setdefault(docname, [])

    def add_solution(self, record: SolutionRecord) -> None:
        self.data["solutions"].setdefault(record.docname, record)

    def solution_in(self, docname: str) -> SolutionRecord | None:
        return self.data["solutions"].get(docname)

    def add_abb(self, record: AbbRecord) -> None:
        self._list("abbs", record.docname).append(record)

    def add_constraint(self, record: ConstraintRecord) -> None:
        self._list("constraints", record.docname).append(record)

    def add_hosting(self, record: HostingRecord) -> None:
        self._list("hosting", record.docname).append(record)

    def add_anchor(self, docname: str, block: str, anchor: str) -> None:
        self.data["anchors"].setdefault(docname, {}).setdefault(block, anchor)

    def add_aggregate(self, docname: str, key: str) -> None:
        """Note that ``docname`` shows aggregate data (``*``, ``@scope`` or a solution id)."""
        keys = self.data["aggregates"].setdefault(docname, [])
        if key not in keys:
            keys.append(key)

    def clear_doc(self, docname: str) -> None:
        for table in PER_DOC:
            self.data[table].pop(docname, None)
        self.noted.discard(docname)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            for table in PER_DOC:
                if docname in otherdata[table]:
                    self.data[table][docname] = otherdata[table][docname]

    # -- reading back --------------------------------------------------------

    def block_anchor(self, block: str) -> tuple[str, str] | None:
        """Where the reference book defines ``block`` (first document by name)."""
        for docname in sorted(self.data["anchors"]):
            anchor = self.data["anchors"][docname].get(block)
            if anchor is not None:
                return docname, anchor
        return None

    def find_solution(self, target: str) -> SolutionRecord | None:
        sid = self.portfolio.find(target)
        return self.portfolio.solutions[sid].record if sid is not None else None

    def find_constraint(self, target: str, fromdocname: str) -> ConstraintRecord | None:
        portfolio = self.portfolio
        sid, _, cid = target.rpartition("/")
        if sid:
            found = portfolio.find(sid)
            candidates = list(portfolio.solutions[found].constraints) if found else []
        else:
            here = portfolio.solution_of(fromdocname)
            candidates = list(here.constraints) if here else []
            candidates += [
                c for d in sorted(self.data["constraints"]) for c in self.data["constraints"][d]
            ]
        for record in candidates:
            if record.id == cid or _norm(record.title) == _norm(cid):
                return record
        return None

    # -- references --------------------------------------------------------

    def _refnode(
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
            uri = self.uris.get(key)
            if uri is None:
                uri = self.uris[key] = builder.get_relative_uri(fromdocname, todocname)
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
        explicit = bool(node.get("refexplicit"))
        if typ == ANCHOR:
            docname, _, anchor = target.partition("#")
            return self._refnode(builder, fromdocname, docname, anchor, contnode)
        if typ == "abb":
            block_id = get_model(env).block_lookup.resolve(target)
            where = self.block_anchor(block_id) if block_id is not None else None
            if block_id is None or where is None:
                # Not defined by a reference-model page here: intersphinx may know
                # it; otherwise the text stays (see warn_missing_reference).
                return None
            title = get_model(env).block_map[block_id].title
            return self._refnode(builder, fromdocname, where[0], where[1], contnode, title)
        if typ == "solution":
            solution = self.find_solution(target)
            if solution is None:
                return None
            if not explicit:
                contnode = _retitled(contnode, solution.title)
            return self._refnode(
                builder, fromdocname, solution.docname, solution.anchor, contnode, solution.title
            )
        if typ == "constraint":
            constraint = self.find_constraint(target, fromdocname)
            if constraint is None:
                return None
            if not explicit:
                contnode = _retitled(contnode, constraint.title)
            return self._refnode(
                builder,
                fromdocname,
                constraint.docname,
                constraint.anchor,
                contnode,
                constraint.title,
            )
        return None

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        results = []
        for typ in ("abb", "solution", "constraint"):
            found = self.resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
            if isinstance(found, nodes.reference):
                results.append((f"{DOMAIN}:{typ}", found))
        return results

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        model = get_model(self.env)
        for block in model.blocks:
            where = self.block_anchor(block.id)
            if where is not None:
                yield block.id, block.title, "abb", where[0], where[1], 1
        for docname in sorted(self.data["solutions"]):
            record = self.data["solutions"][docname]
            yield record.id, record.title, "solution", docname, record.anchor, 1
        portfolio = self.portfolio
        for view in portfolio.solutions.values():
            for con in view.constraints:
                yield f"{view.id}/{con.id}", con.title, "constraint", con.docname, con.anchor, 1


def _retitled(contnode: nodes.Element, title: str) -> nodes.Element:
    """The reference's content node with ``title`` as its text (an implicit title)."""
    node = contnode.deepcopy()
    node.children = []
    node += nodes.Text(title)
    return node


def warn_missing_reference(app: Any, domain: Domain | None, node: pending_xref) -> bool | None:
    """``warn-missing-reference``: our dangling roles become ``mlrefarch.ref`` warnings."""
    if domain is None or domain.name != DOMAIN:
        return None
    typ = node.get("reftype", "")
    target = node.get("reftarget", "")
    if typ == "abb":
        model = get_model(domain.env)
        if model.block_lookup.resolve(target) is not None:
            # a real block that no page of this project defines: plain text
            return True
        hint = did_you_mean(model.block_lookup.suggest(target))
        message = f"unknown building block {target!r} in :abb: role{hint}"
    elif typ == "solution":
        known = sorted(r.id for r in domain.data["solutions"].values())
        close = difflib.get_close_matches(target, known, n=2)
        message = f"unknown solution {target!r} in :solution: role" + did_you_mean(close, known)
    else:
        message = (
            f"unknown constraint {target!r} in :{typ}: role; use a constraint id of the "
            f"current solution or 'solution-id/constraint-id'"
        )
    warn("ref", message, node)
    return True
