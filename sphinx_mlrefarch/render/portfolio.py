"""The portfolio matrix: one row per solution (imported ones too), one column per block."""

from __future__ import annotations

from docutils import nodes

from ..coverage import percentage
from ..locale import _
from ..nodes import mlrefarch_placeholder
from ..status import COVERAGE_STATUSES, Status
from .boxes import joined
from .context import Cell, RenderContext, cell, group_row, table
from .rows import NOT_IN_MODEL, Row

__all__ = ["portfolio_matrix"]


def _mark(status: Status) -> nodes.abbreviation:
    """A status mark; HTML shows the status as its tooltip, text builders after it."""
    return _abbr(status.mark, _(status.label))


def _abbr(mark: str, label: str) -> nodes.abbreviation:
    return nodes.abbreviation(mark, mark, explanation=label, classes=["mlrefarch-mark"])


def _gap(row: Row, block: str) -> bool:
    return row.is_required(block) and not row.satisfies(block)


def portfolio_matrix(
    ctx: RenderContext, node: mlrefarch_placeholder, rows_shown: list[Row]
) -> list[nodes.Node]:
    """One row per solution, one column per block, and a row of shares."""
    chosen: list[str] = node.get("layers") or []
    layers = [layer.id for layer in ctx.model.layers if not chosen or layer.id in chosen]
    blocks = [b for b in ctx.model.blocks if b.layer in layers]
    if node.get("show") == "missing":
        blocks = [
            b
            for b in blocks
            if any(r.is_required(b.id) and not r.satisfies(b.id) for r in rows_shown)
        ]
    headers = [_("Solution"), _("Coverage"), *[b.title for b in blocks]]
    rows: list[list[Cell] | nodes.row] = []
    for shown in rows_shown:
        row = nodes.row()
        row += cell(shown.title_cell())
        row += cell(f"{shown.percent:.1f}%", "mlrefarch-percent")
        for block in blocks:
            if not shown.in_model(block.id):  # not "missing": that model has no such block
                mark, label = NOT_IN_MODEL
                row += cell(
                    _abbr(mark, _(label)), "mlrefarch-not-in-model", "mlrefarch-not-required"
                )
                continue
            status = shown.status(block.id)
            classes = [status.css]
            if not shown.is_required(block.id):
                classes.append("mlrefarch-not-required")
            row += cell(shown.mark_link(block.id, _mark(status)), *classes)
        rows.append(row)
    if rows_shown:
        last = nodes.row(classes=["mlrefarch-share-row"])
        last += cell(nodes.strong(_("Share"), _("Share")))
        # overall: required blocks satisfied across the solutions shown
        satisfied = sum(r.satisfied for r in rows_shown)
        required = sum(r.required for r in rows_shown)
        last += cell(f"{percentage(satisfied, required):.1f}%", "mlrefarch-percent")
        for block in blocks:
            having = [r for r in rows_shown if r.in_model(block.id)]
            hits = sum(r.satisfies(block.id) for r in having)
            share = f"{percentage(hits, len(having)):.1f}%" if having else "\u2013"
            last += cell(share, "mlrefarch-percent")
        rows.append(last)
    else:
        empty = _("No solutions are declared in this project yet.")
        rows.append(group_row(empty, len(headers), "mlrefarch-empty"))
    legend = nodes.paragraph(classes=["mlrefarch-legend"])
    entries = [nodes.Text(f"{s.mark} {_(s.label)}") for s in COVERAGE_STATUSES]
    if any(not r.in_model(b.id) for r in rows_shown for b in blocks):
        entries.append(nodes.Text(f"{NOT_IN_MODEL[0]} {_(NOT_IN_MODEL[1])}"))
    legend += joined(entries, "   ")
    return [
        table(headers, rows, ["mlrefarch-portfolio"], widths=[20, 8] + [4] * len(blocks)),
        legend,
    ]
