"""``reference-model``: the model rendered as the reference book.

The model is known while reading, so layers and blocks are rendered as real
sections right away (they appear in the table of contents, and each block
gets the stable anchor ``block-<id>`` that ``:abb:`` and intersphinx link
to). Only the "Addressed by" lists depend on other documents; they are
placeholders filled in after reading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from docutils import nodes

from ..locale import _
from ..model import Block, Entry, Model, Profile
from ..names import norm
from ..nodes import make_placeholder
from ..records import ViewRecord
from ..render.boxes import block_link, joined, label, process_steps, sbb_list
from ..render.context import Cell, table
from .base import MlrefarchDirective

if TYPE_CHECKING:
    from sphinx.domains.std import StandardDomain

PARTS = ("principles", "constraints", "process", "hosting", "questions", "profiles")


def _para(text: str, *classes: str) -> nodes.paragraph:
    return nodes.paragraph(text, text, classes=list(classes))


def _definitions(entries: tuple[Entry, ...]) -> nodes.definition_list:
    out = nodes.definition_list(classes=["mlrefarch-definitions"])
    for entry in entries:
        item = nodes.definition_list_item()
        item += nodes.term(entry.title, entry.title)
        definition = nodes.definition()
        definition += _para(entry.description or entry.id)
        item += definition
        out += item
    return out


def _bullets(items: tuple[str, ...] | list[str], *classes: str) -> nodes.bullet_list:
    out = nodes.bullet_list(classes=list(classes))
    for text in items:
        item = nodes.list_item()
        item += _para(text)
        out += item
    return out


def _blocks_text(count: int) -> str:
    return _("1 block") if count == 1 else _("{count} blocks").format(count=count)


def _requirement(model: Model, profile: Profile) -> list[nodes.Node]:
    """The profile's required layers and blocks as written, and how many blocks they make."""
    parts: list[nodes.Node] = []
    for ref in profile.required:
        kind, _sep, name = ref.partition(":") if ":" in ref else ("", "", ref)
        kind = kind.strip().casefold()
        # read as Model.expand reads it: a bare name that is a layer and a block means the layer
        layer = model.layer_lookup.resolve(name) if kind != "block" else None
        block = model.block_lookup.resolve(name) if kind != "layer" else None
        if not kind and norm(name) == "all":
            parts.append(nodes.Text(_("every block")))
        elif layer is not None:
            title = next(entry.title for entry in model.layers if entry.id == layer)
            parts.append(nodes.Text(_("the {layer} layer").format(layer=title)))
        elif block is not None:
            parts.append(block_link(block, model.block_map[block].title))
        else:  # the loader keeps only references it could resolve
            parts.append(nodes.literal(ref, ref))
    if not parts:
        return [nodes.Text(_("none"))]
    count = len(model.expand(profile.required)[0])
    return [*joined(parts), nodes.Text(f" ({_blocks_text(count)})")]


def _profiles_table(model: Model) -> nodes.table:
    """One row per profile: what it stands for, what it requires, what it makes strict."""
    rows: list[list[Cell]] = []
    for profile in model.profiles:
        name = nodes.entry()
        name += nodes.paragraph("", "", nodes.strong(profile.title, profile.title))
        name += nodes.paragraph("", "", nodes.literal(profile.id, profile.id))
        strict: Cell = (
            joined([block_link(b, model.block_map[b].title) for b in profile.strict])
            if profile.strict
            else _("none")
        )
        rows.append([name, profile.description, _requirement(model, profile), strict])
    headers = (_("Profile"), _("What it stands for"), _("Required"), _("Strict"))
    return table(headers, rows, classes=["mlrefarch-profiles"], widths=(18, 42, 22, 18))


class ReferenceModelDirective(MlrefarchDirective):
    """Layers and blocks with guidance questions and back-links, or one part of the model."""

    takes_content: ClassVar[bool] = False
    takes_argument: ClassVar[bool] = False
    option_names: ClassVar[tuple[str, ...]] = (
        "layers",
        "blocks",
        "no-backlinks",
        "no-sbbs",
        "part",
    )

    def section(self, anchor: str, title: str, *classes: str) -> nodes.section:
        document = self.state.document
        node = nodes.section(classes=["mlrefarch-section", *classes])
        if anchor not in document.ids:
            node["ids"].append(anchor)
        else:
            node["ids"].append(document.set_id(node))
        node["names"].append(nodes.fully_normalize_name(title))
        node += nodes.title(title, title)
        document.note_implicit_target(node, node)
        return node

    def run(self) -> list[nodes.Node]:
        self.prepare()
        if self.opt("part"):
            part = self.choice("part", PARTS, "")
            return self.render_part(part) if part else []
        model = self.model
        layers = self.resolve_all(model.layer_lookup, self.opt_list("layers"), "layer", ":layers:")
        blocks = self.resolve_all(
            model.block_lookup, self.opt_list("blocks"), "building block", ":blocks:"
        )
        backlinks = not self.flag("no-backlinks")
        sbbs = not self.flag("no-sbbs")
        if backlinks:  # the "Addressed by" lists show every solution
            self.domain.add(
                ViewRecord(kind=self.kind, solutions=("all",), explicit=True, **self.where())
            )
        out: list[nodes.Node] = []
        for layer in model.layers:
            if layers and layer.id not in layers:
                continue
            members = [b for b in model.blocks_of_layer(layer.id) if not blocks or b.id in blocks]
            if not members:
                continue
            section = self.section(f"layer-{layer.id}", layer.title, "mlrefarch-layer")
            if layer.description:
                section += _para(layer.description, "mlrefarch-layer-description")
            for block in members:
                section += self.render_block(block, backlinks, sbbs)
            out.append(section)
        return out

    def render_block(self, block: Block, backlinks: bool, sbbs: bool) -> nodes.section:
        model = self.model
        anchor = f"block-{block.id}"
        section = self.section(anchor, block.title, "mlrefarch-block")
        if anchor in section["ids"]:
            self.domain.add_anchor(self.env.docname, block.id, anchor)
            # also a standard label, so projects without this extension can
            # link to the book's blocks with :ref:`book:abb-<id>` (intersphinx)
            std = cast("StandardDomain", self.env.get_domain("std"))
            std.note_hyperlink_target(f"abb-{block.id}", self.env.docname, anchor, block.title)
        meta = nodes.paragraph(classes=["mlrefarch-block-meta"])
        meta += nodes.Text(_("Id: "))
        meta += nodes.literal(block.id, block.id)
        if block.aliases:
            meta += nodes.Text(_("; also: "))
            meta += joined([nodes.literal(a, a) for a in block.aliases])
        section += meta
        if block.summary:
            summary = nodes.paragraph(classes=["mlrefarch-summary"])
            summary += nodes.emphasis(block.summary, block.summary)
            section += summary
        if block.description:
            section += _para(block.description, "mlrefarch-description")
        if block.questions:
            section += nodes.rubric(_("Guidance questions"), _("Guidance questions"))
            section += _bullets(block.questions, "mlrefarch-questions")
        if block.related:
            related = nodes.paragraph(classes=["mlrefarch-related"])
            related.extend(label(_("Related: ")))
            related += joined([block_link(r, model.block_map[r].title) for r in block.related])
            section += related
        products = [p for p in self.domain.catalogue.for_block(block.id) if p.foss]
        if products and sbbs:
            options = nodes.paragraph(classes=["mlrefarch-foss-options"])
            options.extend(label(_("FOSS options: ")))
            options += sbb_list([p.name for p in products], self.domain.catalogue)
            section += options
        if backlinks:
            section += nodes.rubric(_("Addressed by"), _("Addressed by"))
            node = make_placeholder(self.env.docname, "backlinks", block=block.id)
            node.source, node.line = self.get_source_info()
            section += node
        return section

    def render_part(self, part: str) -> list[nodes.Node]:
        model = self.model
        container = nodes.container(classes=["mlrefarch-part", f"mlrefarch-part-{part}"])
        if part == "constraints":
            container += _definitions(model.constraint_aspects)
        elif part == "hosting":
            hosting = model.hosting
            for title, entries in (
                (_("Environments"), hosting.environments),
                (_("Platforms"), hosting.platforms),
                (_("Compute"), hosting.compute),
                (_("Infrastructure elements"), hosting.elements),
                (_("Selection concerns"), hosting.concerns),
            ):
                if entries:
                    container += nodes.rubric(title, title)
                    container += _definitions(entries)
        elif part == "process":
            process = model.process
            if process.description:
                container += _para(process.description)
            container += process_steps(process)
        elif part == "principles":
            for kind, title in (
                ("architecture", _("Architecture principles")),
                ("business", _("Business principles")),
            ):
                chosen = [p for p in model.principles if p.kind == kind]
                if not chosen:
                    continue
                container += nodes.rubric(title, title)
                listing = nodes.definition_list(classes=["mlrefarch-principles"])
                for principle in chosen:
                    item = nodes.definition_list_item()
                    item += nodes.term(principle.title, principle.title)
                    definition = nodes.definition()
                    if principle.statement:
                        definition += _para(principle.statement)
                    if principle.rationale:
                        para = nodes.paragraph()
                        para.extend(label(_("Rationale: ")))
                        para += nodes.Text(principle.rationale)
                        definition += para
                    if principle.implications:
                        para = nodes.paragraph()
                        para += nodes.strong(_("Implications:"), _("Implications:"))
                        definition += para
                        definition += _bullets(principle.implications)
                    item += definition
                    listing += item
                container += listing
        elif part == "questions":
            container += _bullets(model.first_questions, "mlrefarch-first-questions")
        elif part == "profiles" and model.profiles:
            container += _profiles_table(model)
        return [container]
