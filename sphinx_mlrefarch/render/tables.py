"""Coverage tables, the portfolio matrix, constraint lists, hosting matrices, back-links."""

from __future__ import annotations

from docutils import nodes

from ..coverage import Effective, Gap
from ..imports import link as link_to
from ..locale import _
from ..nodes import mlrefarch_placeholder
from ..portfolio import SolutionView
from ..status import DECLARED_STATUSES, N_, Priority, Via
from .boxes import anchor_link, block_link, joined, sbb_list, status_badge
from .context import Cell, RenderContext, cell, group_row, table
from .portfolio import portfolio_matrix
from .rows import constraints_of, external_link, hosting_of, imported_mark


def _declared_in(ctx: RenderContext, decided: Effective | None) -> Cell:
    if decided is None:
        return None
    text = ctx.doc_title(decided.docname)
    link = anchor_link(decided.docname, decided.anchor, text)
    if decided.via == Via.HOSTING_CHOICE:
        return [link, nodes.Text(" " + _("(via hosting choice)"))]
    return link


def _summary(view: SolutionView) -> nodes.paragraph:
    cov = view.coverage
    text = _("{satisfied} of {required} required building blocks addressed ({percent}%)").format(
        satisfied=cov.satisfied, required=len(cov.required), percent=f"{cov.percent:.1f}"
    )
    return nodes.paragraph(text, text, classes=["mlrefarch-coverage-summary"])


def _layers(ctx: RenderContext, node: mlrefarch_placeholder) -> list[str]:
    chosen: list[str] = node.get("layers") or []
    return [layer.id for layer in ctx.model.layers if not chosen or layer.id in chosen]


def coverage_table(
    ctx: RenderContext, node: mlrefarch_placeholder, view: SolutionView
) -> list[nodes.Node]:
    """One row per block, grouped by layer, for one solution."""
    cov = view.coverage
    required = set(cov.required)
    only_missing = node.get("show") == "missing"
    rows: list[list[Cell] | nodes.row] = []
    headers = [_("Building block"), _("Status"), _("SBBs"), _("Declared in")]
    for layer_id in _layers(ctx, node):
        layer = next(x for x in ctx.model.layers if x.id == layer_id)
        layer_rows: list[list[Cell] | nodes.row] = []
        for block in ctx.model.blocks_of_layer(layer_id):
            status = cov.blocks[block.id]
            if only_missing and block.id not in cov.missing:
                continue
            decided = cov.decided_by.get(block.id)
            badge = status_badge(status)
            classes = [status.css]
            status_cell: list[nodes.Node] = [badge]
            if block.id not in required:
                classes.append("mlrefarch-not-required")
                status_cell.append(nodes.Text(" " + _("(not required)")))
            elif block.id in cov.missing and cov.gap(block.id) == Gap.UNJUSTIFIED:
                status_cell.append(nodes.Text(" " + _("(no justification)")))
            elif block.id in cov.missing and cov.gap(block.id) == Gap.STRICT:
                status_cell.append(nodes.Text(" " + _("(must be addressed)")))
            row = nodes.row(classes=classes)
            row += cell(block_link(block.id, block.title))
            row += cell(status_cell, status.css)
            row += cell(sbb_list(decided.sbb, ctx.catalogue) if decided else None)
            row += cell(_declared_in(ctx, decided))
            layer_rows.append(row)
        if layer_rows:
            rows.append(group_row(layer.title, len(headers), "mlrefarch-layer-row"))
            rows.extend(layer_rows)
    out: list[nodes.Node] = [
        table(headers, rows, ["mlrefarch-coverage"], widths=[30, 20, 25, 25]),
        _summary(view),
    ]
    return out


def render_coverage(ctx: RenderContext, node: mlrefarch_placeholder) -> list[nodes.Node]:
    here = ctx.current_solution()
    if not node.get("explicit") and here is not None:
        return coverage_table(ctx, node, here)
    return portfolio_matrix(ctx, node, ctx.rows(node))


def render_constraints(ctx: RenderContext, node: mlrefarch_placeholder) -> list[nodes.Node]:
    rows_shown = ctx.rows(node)
    aspect = node.get("aspect") or ""
    aspects = {a.id: a.title for a in ctx.model.constraint_aspects}
    # the Solution column carries the "imported from NAME" mark: always there for imports
    many = len(rows_shown) > 1 or bool(node.get("explicit"))
    many = many or any(shown.origin is not None for shown in rows_shown)
    headers = [_("Constraint"), _("Aspect"), _("Priority"), _("Affects"), _("Source")]
    if many:
        headers.insert(1, _("Solution"))
    rows: list[list[Cell] | nodes.row] = []
    for shown in rows_shown:
        for con in constraints_of(shown):
            if aspect and con.aspect != aspect:
                continue
            affects = joined(
                [
                    block_link(b, ctx.model.block_map[b].title)
                    for b in con.affects
                    if b in ctx.model.block_map
                ]
            )
            row: list[Cell] = [
                con.title_cell,
                aspects.get(con.aspect, con.aspect),
                cell(_(Priority(con.priority).label), f"mlrefarch-priority-{con.priority}"),
                affects,
                con.source,
            ]
            if many:
                row.insert(1, shown.title_cell())
            rows.append(row)
    return [table(headers, rows, ["mlrefarch-constraints"])]


HOSTING_COLUMNS = (
    (N_("Platform"), "platform"),
    (N_("Provider"), "provider"),
    (N_("Compute"), "compute"),
    (N_("Containers"), "containers"),
    (N_("Storage"), "storage"),
    (N_("Network"), "network"),
    (N_("Availability"), "availability"),
)


def render_hosting(ctx: RenderContext, node: mlrefarch_placeholder) -> list[nodes.Node]:
    shown = ctx.chosen_row(node)
    if shown is None:  # outside a solution without :solution: (a finding) or unknown id
        return []
    choices = hosting_of(shown)
    titles = {
        dim: {e.id: e.title for e in getattr(ctx.model.hosting, dim)}
        for dim in ("environments", "platforms", "compute")
    }
    headers = [_("Environment"), _("Hosting choice"), *[_(h) for h, _attr in HOSTING_COLUMNS]]
    rows: list[list[Cell] | nodes.row] = []
    for env in ctx.model.hosting.environments:
        here = [c for c in choices if env.id in c.choice.environment]
        if not here:
            row = nodes.row(classes=["mlrefarch-status-missing"])
            row += cell(env.title)
            row += cell(_("not decided"), "mlrefarch-status-missing")
            for _column in range(len(headers) - 2):
                row += cell(None)
            rows.append(row)
            continue
        for entry in here:
            # a copy per row: a choice for two environments is in two rows, a node in one
            values: list[Cell] = [env.title, [n.deepcopy() for n in entry.title_cell]]
            for _title, attr in HOSTING_COLUMNS:
                value = getattr(entry.choice, attr)
                if attr == "platform":
                    value = titles["platforms"].get(value, value)
                elif attr == "compute":
                    value = ", ".join(titles["compute"].get(v, v) for v in value)
                values.append(value)
            rows.append(values)
    out: list[nodes.Node] = [table(headers, rows, ["mlrefarch-hosting-matrix"])]
    if shown.origin is not None:  # whose choices: an imported solution, linked and marked
        out.insert(0, nodes.paragraph("", "", *shown.title_cell(), classes=["mlrefarch-of"]))
    return out


def render_coverage_figure(ctx: RenderContext, node: mlrefarch_placeholder) -> list[nodes.Node]:
    view = ctx.portfolio.solutions.get(node["solution"])
    if view is None or view.record.docname != ctx.docname:
        return [nodes.inline(_("n/a"), _("n/a"))]
    cov = view.coverage
    text = _("{satisfied} of {required} required building blocks ({percent}%)").format(
        satisfied=cov.satisfied, required=len(cov.required), percent=f"{cov.percent:.1f}"
    )
    level = "complete" if not cov.missing else "incomplete"
    return [nodes.inline(text, text, classes=["mlrefarch-coverage-figure", f"mlrefarch-{level}"])]


def render_backlinks(ctx: RenderContext, node: mlrefarch_placeholder) -> list[nodes.Node]:
    """Every declaration addressing the block, grouped by status on one line each.

    Grouped lines rather than one list item per solution: with hundreds of
    solutions the reference page holds thousands of back-links. Imported
    solutions follow this project's, marked and linked to their own site.
    """
    block = node["block"]
    links = ctx.portfolio.backlinks(block)
    imported = ctx.portfolio.imported_backlinks(block)
    if not links and not imported:
        text = _("No solution in this project addresses this block yet.")
        return [nodes.paragraph(text, text, classes=["mlrefarch-backlinks-empty"])]
    out = nodes.container(classes=["mlrefarch-backlinks"])
    for status in DECLARED_STATUSES:
        items: list[list[nodes.Node]] = []
        for link in links:
            if link.status == status:
                title = ctx.portfolio.solutions[link.solution].record.title
                items.append([anchor_link(link.docname, link.anchor, title), *_via(link.via)])
        for solution, declaration in imported:
            if declaration.status == status:
                project = ctx.portfolio.projects[solution.project]
                title_link = external_link(
                    link_to(project, declaration.uri), nodes.Text(solution.title)
                )
                items.append(
                    [
                        title_link,
                        nodes.Text(" "),
                        imported_mark(project.name),
                        *_via(declaration.via),
                    ]
                )
        if not items:
            continue
        para = nodes.paragraph(classes=[status.css])
        para += status_badge(status)
        para += nodes.Text(" ")
        for index, item in enumerate(items):
            if index:
                para += nodes.Text(", ")
            para.extend(item)
        out += para
    return [out]


def _via(via: Via) -> list[nodes.Node]:
    if via == Via.HOSTING_CHOICE:
        return [nodes.Text(" " + _("(via hosting choice)"))]
    return []
