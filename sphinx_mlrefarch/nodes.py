"""Docutils nodes of the extension.

Aggregate views (coverage tables, matrices, back-links, diagrams) depend on
every document, so their directives leave a :class:`mlrefarch_placeholder` that a
post-transform replaces once all documents are read. A placeholder that
somehow survives (a builder that skips post-transforms) renders as nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class mlrefarch_placeholder(nodes.General, nodes.Element):  # noqa: N801 - docutils naming
    """Stands for an aggregate view; attributes: ``kind`` and the directive's options."""


def make_placeholder(docname: str, kind: str, **attributes: Any) -> mlrefarch_placeholder:
    """A placeholder that remembers the document it was read in.

    Builders that assemble one document from many (singlehtml, LaTeX)
    resolve the whole tree as the root document; the recorded name keeps
    "the solution of this page" right there.
    """
    return mlrefarch_placeholder(kind=kind, docname=docname, **attributes)


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup_nodes(app: Sphinx) -> None:
    handlers = (_skip, None)
    app.add_node(
        mlrefarch_placeholder,
        override=True,  # our own class, registered again by a second app
        html=handlers,
        latex=handlers,
        text=handlers,
        man=handlers,
        texinfo=handlers,
    )
