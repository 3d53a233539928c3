"""Mermaid diagrams of the model and the ML process, with fallbacks for non-HTML builders.

Diagrams are filled in at ``doctree-resolved``, where the builder is known:
HTML builders get a ``mermaid`` node whose block nodes link to the block
definitions (relative URLs need the builder); LaTeX, text and the others get
a table or a list instead, so those builds stay warning-free.

Every label is written with Mermaid entity codes for anything but letters,
digits and spaces, so a title with quotes, brackets or pipes cannot break
the diagram's syntax.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import pairwise
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.errors import NoUri
from sphinx.util.nodes import make_refnode

from ..domain import MlrefarchDomain, get_domain
from ..locale import _
from ..model import Model
from ..nodes import mlrefarch_placeholder
from ..status import COVERAGE_STATUSES, Status
from .boxes import process_steps, status_badge
from .context import render_context, table
from .rows import NOT_IN_MODEL, Row, imported_mark

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_SAFE = re.compile(r"[A-Za-z0-9 ]")


def label(text: str) -> str:
    """A quoted Mermaid label; everything but letters, digits and spaces as ``#NN;``."""
    return '"' + "".join(c if _SAFE.fullmatch(c) else f"#{ord(c)};" for c in text) + '"'


def quoted_url(url: str) -> str:
    """A quoted click URL (Mermaid takes it verbatim: no entity decoding there)."""
    return '"' + " ".join(url.replace('"', "%22").split()) + '"'


def node_id(prefix: str, ident: str) -> str:
    return prefix + "_" + re.sub(r"[^A-Za-z0-9]", "_", ident)


#: Blocks per row in a layer band: every band has this many columns, so all are as wide.
COLUMNS = 4

#: Mermaid settings for the model diagram: block labels of one fixed width (wrapped), so
#: that the bands line up, and tight spacing, so labels stay legible at a book's width.
MODEL_INIT = (
    '%%{init: {"flowchart": {"nodeSpacing": 14, "rankSpacing": 14, "padding": 10, '
    '"subGraphTitleMargin": {"top": 4, "bottom": 12}}, '
    '"themeCSS": ".nodeLabel{display:inline-block;width:8.5em;white-space:normal;'
    "line-height:1.25} .cluster-label .nodeLabel{width:auto;white-space:nowrap;"
    'font-weight:600}"}}%%'
)


def model_diagram(
    model: Model, statuses: Mapping[str, Status] | None, links: dict[str, str]
) -> str:
    """Flowchart: one full-width band (subgraph) per layer, its blocks in rows.

    Unlinked subgraphs in a left-to-right chart are stacked top to bottom in
    reverse order of definition (Mermaid 11 with dagre), hence the reversed
    loop: the first layer ends up on top, as in the reference chapter's
    figure. Inside a band (top to bottom) invisible links from each block to
    the one below it make rows of :data:`COLUMNS`; short rows are filled with
    invisible blocks, and every label has one width, so every band is as wide
    as the widest. No link crosses a band's border: that would make Mermaid
    ignore the band's direction.
    """
    lines = [MODEL_INIT, "flowchart LR"]
    for layer in reversed(model.layers):
        blocks = model.blocks_of_layer(layer.id)
        if not blocks:
            continue
        lines.append(f"  subgraph {node_id('layer', layer.id)}[{label(layer.title)}]")
        lines.append("    direction TB")
        cells = [node_id("b", block.id) for block in blocks]
        for block, cell in zip(blocks, cells, strict=True):
            lines.append(f"    {cell}[{label(block.title)}]")
        while len(cells) % COLUMNS:
            cells.append(f"{node_id('pad', layer.id)}_{len(cells)}")
            lines.append(f'    {cells[-1]}[" "]:::mlrefarch_pad')
        for above, below in zip(cells, cells[COLUMNS:], strict=False):
            lines.append(f"    {above} ~~~ {below}")
        lines.append("  end")
    lines.append("  classDef mlrefarch_pad fill:none,stroke:none")
    if statuses is not None:
        for status in COVERAGE_STATUSES:
            lines.append(f"  classDef {_class(status)} {status.style}")
        for block in model.blocks:
            if block.id in statuses:  # else not in the model of that (imported) solution
                lines.append(f"  class {node_id('b', block.id)} {_class(statuses[block.id])}")
    for block in model.blocks:
        url = links.get(block.id)
        if url:
            tooltip = label(block.title)  # escaped like the labels: no markup reaches the page
            lines.append(f"  click {node_id('b', block.id)} href {quoted_url(url)} {tooltip}")
    return "\n".join(lines) + "\n"


def _class(status: Status) -> str:
    return status.value.replace("-", "_")


def process_diagram(model: Model) -> str:
    """Left-to-right flow of the ML process steps with the loop back."""
    process = model.process
    lines = ["flowchart LR"]
    steps = process.steps
    for index, step in enumerate(steps, start=1):
        lines.append(f"  {node_id('s', step.id)}[{label(f'{index}. {step.title}')}]")
    for current, following in pairwise(steps):
        lines.append(f"  {node_id('s', current.id)} --> {node_id('s', following.id)}")
    if process.loop_from and process.loop_to:
        text = label(process.loop_label or _("repeat"))
        lines.append(
            f"  {node_id('s', process.loop_from)} -. {text} .-> {node_id('s', process.loop_to)}"
        )
    return "\n".join(lines) + "\n"


def _mermaid(code: str, alt: str) -> nodes.Element:
    """A Mermaid node in a container that carries our class (the stylesheet sizes it)."""
    from sphinxcontrib.mermaid import mermaid

    node = mermaid()
    node["code"] = code
    node["options"] = {}
    node["alt"] = alt
    container = nodes.container(classes=["mlrefarch-diagram"])
    container += node
    return container


def _block_ref(
    app: Sphinx, domain: MlrefarchDomain, docname: str, block_id: str, title: str
) -> nodes.Node:
    where = domain.block_anchor(block_id)
    text = nodes.inline(title, title)
    if where is None:
        return text
    try:
        return make_refnode(app.builder, docname, where[0], where[1], text, title)
    except NoUri:  # LaTeX/texinfo: the book page is not part of this output document
        return text


def _caption(shown: Row, partial: bool) -> list[nodes.Node]:
    """What the colours show: whose statuses (marked when imported), and what is left plain."""
    text = _("Building blocks coloured by their status in \u201c{title}\u201d.").format(
        title=shown.title
    )
    out: list[nodes.Node] = [nodes.Text(text)]
    if shown.origin is not None:
        out += [nodes.Text(" "), imported_mark(shown.origin)]
    if partial:
        out.append(nodes.Text(" " + _("Blocks that are not in its model are left uncoloured.")))
    return out


def render_model(app: Sphinx, docname: str, node: mlrefarch_placeholder) -> list[nodes.Node]:
    env = app.env
    domain = get_domain(env)
    model = domain.model
    statuses: dict[str, Status] | None = None
    caption: list[nodes.Node] = []
    if node.get("explicit"):
        ctx = render_context(env, node.get("docname", docname))
        shown = ctx.chosen_row(node)
        if shown is not None:  # this project's solution or an imported one
            statuses = {b.id: shown.status(b.id) for b in model.blocks if shown.in_model(b.id)}
            caption = _caption(shown, len(statuses) < len(model.blocks))
    if _interactive(app):
        links = {}
        for block in model.blocks:
            where = domain.block_anchor(block.id)
            if where is not None:
                uri = app.builder.get_relative_uri(docname, where[0])
                links[block.id] = f"{uri}#{where[1]}"
        out: list[nodes.Node] = [
            _mermaid(
                model_diagram(model, statuses, links),
                _("Layers and building blocks of {model}").format(model=model.title),
            )
        ]
        if caption:
            legend = nodes.paragraph(classes=["mlrefarch-legend"])
            legend.extend([*caption, nodes.Text(" ")])
            for status in COVERAGE_STATUSES:
                legend += status_badge(status)
                legend += nodes.Text(" ")
            out.append(legend)
        return out
    headers = [_("Layer"), _("Building block")] + ([_("Status")] if statuses is not None else [])
    rows = []
    for layer in model.layers:
        for block in model.blocks_of_layer(layer.id):
            row: list[object] = [
                layer.title,
                _block_ref(app, domain, docname, block.id, block.title),
            ]
            if statuses is not None:
                found = statuses.get(block.id)
                row.append(_(found.label if found is not None else NOT_IN_MODEL[1]))
            rows.append(row)
    result: list[nodes.Node] = [table(headers, rows, ["mlrefarch-diagram-table"])]  # type: ignore[arg-type]
    if caption:
        result.append(nodes.paragraph("", "", *caption))
    return result


def render_process(app: Sphinx, docname: str, node: mlrefarch_placeholder) -> list[nodes.Node]:
    model = get_domain(app.env).model
    process = model.process
    if not process.steps:
        return []
    if _interactive(app):
        return [_mermaid(process_diagram(model), process.title or _("The ML process"))]
    return process_steps(process, descriptions=False)


RENDERERS = {"abb-diagram": render_model, "ml-process": render_process}


def _interactive(app: Sphinx) -> bool:
    """Builders whose pages run mermaid.js: HTML ones, but not e-books."""
    return app.builder.format == "html" and not app.builder.name.startswith("epub")


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Fill diagram placeholders now that the builder (and so link URLs) is known."""
    for node in list(doctree.findall(mlrefarch_placeholder)):
        render = RENDERERS.get(node["kind"])
        if render is not None:
            node.replace_self(render(app, docname, node))
