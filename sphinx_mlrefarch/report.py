"""Human-readable coverage reports (text and Markdown) from the portfolio. Pure."""

from __future__ import annotations

from .model import Model
from .portfolio import Portfolio, SolutionView

GAPS = {
    "missing": "missing",
    "planned": "planned",
    "unjustified": "not-applicable without justification",
}


def _state(view: SolutionView, block: str) -> str:
    return GAPS[view.coverage.gap(block)]


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
            lines.append(f"  - {block} ({model.block_map[block].title}): {_state(view, block)}")
        lines.append("")
    lines.append(f"Total: {summary_line(portfolio)}")
    return "\n".join(lines) + "\n"


def markdown_report(model: Model, portfolio: Portfolio) -> str:
    lines = [f"# Coverage against {model.title}", ""]
    if not portfolio.solutions:
        lines += ["No solutions declared.", ""]
    else:
        lines += ["| Solution | Status | Coverage | Missing |", "| --- | --- | --- | --- |"]
        for view in portfolio.solutions.values():
            cov = view.coverage
            missing = ", ".join(f"`{b}` ({_state(view, b)})" for b in cov.missing) or "none"
            title = view.record.title.replace("|", "\\|")
            lines.append(
                f"| {title} (`{view.id}`) | {view.record.status} | "
                f"{cov.satisfied}/{len(cov.required)} ({cov.percent:.1f}%) | {missing} |"
            )
        lines.append("")
    satisfied, required = portfolio.totals()
    lines.append(f"**Total:** {satisfied}/{required} required building blocks satisfied.")
    return "\n".join(lines) + "\n"


def summary_line(portfolio: Portfolio) -> str:
    """One line for the console and reports: solutions, satisfied/required, missing."""
    satisfied, required = portfolio.totals()
    return (
        f"{len(portfolio.solutions)} solution(s), {satisfied}/{required} required building "
        f"blocks satisfied, {required - satisfied} missing"
    )
