"""Small node builders shared by the declaration boxes and the tables.

Everything is made of standard docutils nodes, so HTML, LaTeX and text
builders all render it and escaping is theirs; the look comes from CSS
classes (``mlrefarch-*``) in the shipped stylesheet.
"""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes
from sphinx.addnodes import pending_xref

from ..catalogue import Catalogue
from ..domain import DOMAIN, SBB
from ..locale import _
from ..model import Process
from ..status import Priority, SolutionStatus, Status


def box(kind: str, anchor: str | None = None, *classes: str) -> nodes.container:
    """A titled box for one declaration."""
    node = nodes.container(classes=["mlrefarch-box", f"mlrefarch-{kind}", *classes])
    if anchor:
        node["ids"].append(anchor)
    return node


def box_title(label: str, *content: nodes.Node) -> nodes.paragraph:
    para = nodes.paragraph(classes=["mlrefarch-box-title"])
    para += nodes.inline(label, label, classes=["mlrefarch-box-label"])
    para += nodes.Text(" ")
    for item in content:
        para += item
    return para


def badge(value: str, kind: str, label: str | None = None) -> nodes.inline:
    """A small pill with ``label`` (default: the value), classed ``mlrefarch-<kind>-<value>``."""
    text = value if label is None else label
    return nodes.inline(text, text, classes=["mlrefarch-badge", f"mlrefarch-{kind}-{value}"])


def status_badge(status: Status) -> nodes.inline:
    return badge(status.value, "status", _(status.label))


def labelled_badge(value: SolutionStatus | Priority, kind: str) -> nodes.inline:
    """A badge for a solution status or a constraint priority, in the page's language."""
    return badge(value.value, kind, _(value.label))


def xref(reftype: str, target: str, text: str | nodes.Element, *classes: str) -> pending_xref:
    """A reference resolved later by the domain (blocks, solutions, declarations)."""
    ref = pending_xref(
        "",
        refdomain=DOMAIN,
        reftype=reftype,
        reftarget=target,
        refexplicit=True,
        refwarn=False,
    )
    if isinstance(text, str):
        ref += nodes.inline(text, text, classes=["xref", DOMAIN, *classes])
    else:
        text["classes"] += ["xref", DOMAIN, *classes]
        ref += text
    return ref


def block_link(block_id: str, title: str) -> pending_xref:
    return xref("abb", block_id, title, "mlrefarch-abb")


def anchor_link(
    docname: str, anchor: str, text: str | nodes.Element, *classes: str
) -> pending_xref:
    return xref("_anchor", f"{docname}#{anchor}", text, *classes)


def facts(
    rows: Sequence[tuple[str, nodes.Node | str | Sequence[nodes.Node]]],
) -> nodes.paragraph:
    """One compact line of "Name: value" facts, skipping empty values.

    A paragraph rather than a field list: a solution page holds dozens of
    boxes, and every node costs time in each later transform and writer.
    """
    out = nodes.paragraph(classes=["mlrefarch-facts"])
    for name, value in rows:
        if value in ("", None) or (isinstance(value, (list, tuple)) and not value):
            continue
        if len(out):
            out += nodes.Text(" \u00b7 ")
        out.extend(label(f"{name}: "))
        append(out, value)
    return out


def label(text: str) -> list[nodes.Node]:
    """A bold lead-in such as "Owner: ", its trailing space outside the bold.

    Inside it, the text and man writers would print ``**Owner: **value``.
    """
    bold = text.rstrip()
    return [nodes.strong(bold, bold), nodes.Text(text[len(bold) :])]


def append(parent: nodes.Element, value: str | nodes.Node | Sequence[nodes.Node]) -> None:
    """Add text (as a text node, never parsed), a node or several nodes to ``parent``."""
    if isinstance(value, str):
        parent += nodes.Text(value)
    elif isinstance(value, nodes.Node):
        parent += value
    else:
        parent.extend(list(value))


def joined(items: Sequence[nodes.Node], sep: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for index, item in enumerate(items):
        if index:
            out.append(nodes.Text(sep))
        out.append(item)
    return out


def sbb_list(values: Sequence[str], catalogue: Catalogue) -> list[nodes.Node]:
    """Solution building blocks (product names), comma-separated.

    A name the catalogue knows links to its entry (a catalogue page of this
    project, else the product's homepage) and shows its licence; any other
    name stays text.
    """
    items: list[nodes.Node] = []
    for name in values:
        product = catalogue.resolve(name)
        if product is None:
            items.append(nodes.inline(name, name, classes=["mlrefarch-sbb"]))
            continue
        item = nodes.inline(classes=["mlrefarch-sbb", "mlrefarch-sbb-known"])
        item += xref(SBB, product.id, name)
        licence = f" ({product.licence})"
        item += nodes.inline(licence, licence, classes=["mlrefarch-licence"])
        items.append(item)
    return joined(items)


def process_steps(process: Process, descriptions: bool = True) -> list[nodes.Node]:
    """The ML process as a numbered list and a sentence about its loop back.

    Used by ``reference-model :part: process`` and, without descriptions, as
    the non-HTML form of ``ml-process``.
    """
    steps = nodes.enumerated_list(classes=["mlrefarch-process"])
    for step in process.steps:
        para = nodes.paragraph()
        para += nodes.strong(step.title, step.title)
        if descriptions and step.description:
            para += nodes.Text(": " + step.description)
        item = nodes.list_item()
        item += para
        steps += item
    out: list[nodes.Node] = [steps]
    if process.loop_from:
        names = {s.id: s.title for s in process.steps}
        last, first = names[process.loop_from], names[process.loop_to]
        label = process.loop_label or _("repeat")
        text = _(
            "The process is iterative: after \u201c{last}\u201d, {label} by going back to "
            "\u201c{first}\u201d."
        ).format(last=last, label=label, first=first)
        out.append(nodes.paragraph(text, text, classes=["mlrefarch-loop"]))
    return out
