"""The coverage report as Markdown: a table per project, for CI summaries and comments."""

from __future__ import annotations

from ..model import Model
from ..portfolio import Portfolio
from .text import gap_text

__all__ = ["markdown_report"]


def markdown_report(model: Model, portfolio: Portfolio) -> str:
    lines = [f"# Coverage against {model.title}", ""]
    if not portfolio.solutions:
        lines += ["No solutions declared.", ""]
    else:
        lines += ["| Solution | Status | Coverage | Missing |", "| --- | --- | --- | --- |"]
        for view in portfolio.solutions.values():
            cov = view.coverage
            missing = ", ".join(f"`{b}` ({gap_text(view, b)})" for b in cov.missing) or "none"
            title = view.record.title.replace("|", "\\|")
            lines.append(
                f"| {title} (`{view.id}`) | {view.record.status} | "
                f"{cov.satisfied}/{len(cov.required)} ({cov.percent:.1f}%) | {missing} |"
            )
        lines.append("")
    satisfied, required = portfolio.totals()
    lines.append(f"**Total:** {satisfied}/{required} required building blocks satisfied.")
    return "\n".join(lines) + "\n"
