"""The roles ``:abb:``, ``:solution:`` and ``:constraint:``.

A role records what it points at in the domain while reading, so that a
dangling one is reported after reading like every other finding (also by
builders that resolve nothing, such as ``mlrefarch``), and so that pages
whose links change title are written again in an incremental build.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.roles import XRefRole

from .domain import DOMAIN, get_domain
from .records import ReferenceRecord

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment

__all__ = ["ROLES", "MlrefarchXRefRole", "on_missing_reference"]


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
        domain = get_domain(env)
        domain.note_model_dependency(env.docname)
        if self._reftype == "abb":
            model = domain.model
            block_id = model.block_lookup.resolve(target)
            if block_id is not None:
                target = block_id
                if not has_explicit_title:
                    title = model.block_map[block_id].title
        source, line = self.get_source_info()
        domain.add(
            ReferenceRecord(
                role=self._reftype,
                target=target,
                docname=env.docname,
                line=line,
                file=str(source or ""),
            )
        )
        return title, target


ROLES = {name: MlrefarchXRefRole(name) for name in ("abb", "solution", "constraint")}


def on_missing_reference(app: Any, domain: Domain | None, node: pending_xref) -> bool | None:
    """``warn-missing-reference``: ours are reported after reading, never here.

    A dangling role is an ``mlrefarch.ref`` finding of the read phase; an
    ``:abb:`` to a real block that no page defines stays plain text.
    """
    if domain is None or domain.name != DOMAIN:
        return None
    return True
