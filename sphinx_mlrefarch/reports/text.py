"""The coverage report as plain text: the console, ``mlrefarch-report.txt``, ``check``."""

from __future__ import annotations

from ..coverage import Gap
from ..model import Model
from ..portfolio import Portfolio, SolutionView

__all__ = ["gap_text", "summary_line", "text_report"]

GAPS = {
    Gap.MISSING: "missing",
    Gap.PLANNED: "planned",
    Gap.UNJUSTIFIED: "not-applicable without justification",
    Gap.STRICT: "strict: only {status}, must be addressed",
}


def gap_text(view: SolutionView, block: str) -> str:
    """Why ``block`` is unsatisfied in ``view``, in a report's words."""
    gap = view.coverage.gap(block)
    if gap == Gap.STRICT:
        return GAPS[gap].format(status=view.coverage.decided_by[block].status.value)
    return GAPS[gap]


def text_report(model: Model, portfolio: Portfolio) -> str:
    lines = [f"Coverage against {model.title} ({len(model.blocks)} building blocks)", ""]
    if not portfolio.solutions:
        lines.append("No solutions declared.")
    for view in portfolio.solutions.values():
        cov = view.coverage
        lines.append(
            f"{view.record.title} [{view.id}] ({view.record.docname}, {view.record.status})"
        )
        lines.append(
            f"  {cov.satisfied} of {len(cov.required)} required building blocks addressed "
            f"({cov.percent:.1f}%)"
        )
        for block in cov.missing:
            lines.append(f"  - {block} ({model.block_map[block].title}): {gap_text(view, block)}")
        lines.append("")
    lines.append(f"Total: {summary_line(portfolio)}")
    return "\n".join(lines) + "\n"


def summary_line(portfolio: Portfolio) -> str:
    """One line for the console and reports: solutions, satisfied/required, missing."""
    satisfied, required = portfolio.totals()
    return (
        f"{len(portfolio.solutions)} solution(s), {satisfied}/{required} required building "
        f"blocks satisfied, {required - satisfied} missing"
    )
