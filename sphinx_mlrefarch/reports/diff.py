"""``mlrefarch diff`` as text, Markdown or JSON (:mod:`.diff_json`, re-exported). Pure.

Each renderer leads with the verdict and the coverage figures, then gives
the details per solution, then the model, then the file's imports and
catalogue: the order a reviewer reads in.
Solutions with no change are counted, not listed, so a portfolio of a
thousand solutions still gives a short report for a change to one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..diff import (
    BlockChange,
    Diff,
    EntryChanges,
    FieldChange,
    Regression,
    SolutionDiff,
    regressions,
)
from .diff_json import DIFF_FORMAT_VERSION, diff_data, json_diff

__all__ = [
    "DIFF_FORMAT_VERSION",
    "diff_data",
    "json_diff",
    "markdown_diff",
    "md_code",
    "md_text",
    "text_diff",
]


@dataclass(frozen=True)
class Style:
    """How a format writes ids (``code``) and free text such as titles (``text``)."""

    code: Callable[[str], str]
    text: Callable[[str], str]


def _verdict(found: list[Regression]) -> str:
    return f"{_plural(len(found), 'regression')}" if found else "no regression"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _value(value: Any, style: Style) -> str:
    """A JSON field value in words: lists joined, empty as "(none)"."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = " ".join(str(value).split()) if value is not None else ""
    return style.text(text) if text else "(none)"


def _fields(fields: Iterable[FieldChange], style: Style) -> str:
    return "; ".join(f"{f.field} {_value(f.old, style)} -> {_value(f.new, style)}" for f in fields)


def _delta(sol: SolutionDiff) -> str:
    return f"{sol.delta:+.1f} points"


def _entry_lines(
    kind: str, changes: EntryChanges, name: Callable[[str], str], style: Style
) -> list[str]:
    """One line per added, removed and changed constraint or hosting choice."""
    lines = [f"{kind} added: {name(key)}" for key in changes.added]
    lines += [f"{kind} removed: {name(key)}" for key in changes.removed]
    lines += [f"{kind} {name(c.key)} changed: {_fields(c.fields, style)}" for c in changes.changed]
    return lines


def _detail_lines(sol: SolutionDiff, style: Style) -> list[str]:
    """The details of one solution, the same in text and Markdown."""
    code = style.code
    lines = [f"{f.field}: {_value(f.old, style)} -> {_value(f.new, style)}" for f in sol.fields]
    if sol.required_added:
        lines.append("now required: " + ", ".join(code(b) for b in sol.required_added))
    if sol.required_removed:
        lines.append("no longer required: " + ", ".join(code(b) for b in sol.required_removed))
    lines += [
        f"{code(c.block)}: {style.text(c.old)} -> {style.text(c.new)}" for c in sol.status_changes
    ]
    if sol.newly_missing:
        names = [
            code(b) + (" (strict: only partial)" if b in sol.strict_partial else "")
            for b in sol.newly_missing
        ]
        lines.append("newly missing: " + ", ".join(names))
    lines += _entry_lines("constraint", sol.constraints, code, style)
    lines += _entry_lines("hosting choice", sol.hosting, lambda t: f'"{style.text(t)}"', style)
    for block in sol.blocks:
        lines += _block_lines(block, style)
    return lines


def _block_lines(change: BlockChange, style: Style) -> list[str]:
    """What changed in a block's declarations: products, catalogue entries, directives, owners."""
    block = style.code(change.block)
    lines = []
    if change.products is not None:
        old, new = change.products
        lines.append(f"{block} products: {_value(list(old), style)} -> {_value(list(new), style)}")
    for res in change.resolutions:
        lines.append(
            f"{block} {style.text(res.name)} in the catalogue: "
            f"{style.text(str(res.old))} -> {style.text(str(res.new))}"
        )
    if change.declared_by is not None:
        old, new = change.declared_by
        lines.append(
            f"{block} declared by: {_value(list(old), style)} -> {_value(list(new), style)}"
        )
    if change.owners is not None:
        old, new = change.owners
        lines.append(f"{block} owner: {_value(list(old), style)} -> {_value(list(new), style)}")
    return lines


#: Longest old or new value a catalogue entry's change shows; longer ones are named only.
_SHORT = 40


def _brief(change: FieldChange, style: Style) -> str:
    old, new = _value(change.old, style), _value(change.new, style)
    return change.field if max(len(old), len(new)) > _SHORT else f"{change.field} {old} -> {new}"


def _file_lines(diff: Diff, style: Style) -> list[str]:
    """The file's imports and catalogue: one line per kind of change, short."""
    code, file = style.code, diff.file
    lines = _entry_lines("import", file.imports, code, style)
    lines += [
        f"catalogue {f.field}: {_value(f.old, style)} -> {_value(f.new, style)}"
        for f in file.catalogue_fields
    ]
    for label, ids in (("added", file.catalogue.added), ("removed", file.catalogue.removed)):
        if ids:
            lines.append(f"catalogue entries {label}: " + ", ".join(code(i) for i in ids))
    if file.catalogue.changed:
        entries = [
            f"{code(c.key)} ({'; '.join(_brief(f, style) for f in c.fields)})"
            for c in file.catalogue.changed
        ]
        lines.append("catalogue entries changed: " + ", ".join(entries))
    return lines


def _model_lines(diff: Diff, style: Style) -> list[str]:
    model = diff.model
    lines = []
    if model.old_id != model.new_id:
        lines.append(f"model id: {style.code(model.old_id)} -> {style.code(model.new_id)}")
    for label, blocks in (("added", model.blocks_added), ("removed", model.blocks_removed)):
        if blocks:
            names = ", ".join(
                f"{style.code(b)} ({style.text(diff.block_titles.get(b, b))})" for b in blocks
            )
            lines.append(f"blocks {label}: {names}")
    return lines


# --------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------


def plain(text: str) -> str:
    """Text for a terminal: one line, control characters (escape sequences) made visible."""
    return "".join(
        c if c.isprintable() else f"\\x{ord(c):02x}" for c in " ".join(str(text).split())
    )


TEXT = Style(code=plain, text=plain)


def _text_name(title: str, sid: str) -> str:
    return f"{plain(title)} [{plain(sid)}]"


def text_diff(diff: Diff) -> str:
    """The console summary: one line per changed solution, its details indented."""
    found = regressions(diff)
    regressed = {r.solution for r in found}
    lines = [f"mlrefarch diff: {_verdict(found)}"]
    if not diff.changed:
        lines.append(f"No change ({_plural(len(diff.solutions), 'solution')} compared).")
        return "\n".join(lines) + "\n"
    lines.append("")
    for ref in diff.removed:
        lines.append(f"- {_text_name(ref.title, ref.id)}: removed (was {ref.counts})  REGRESSION")
    for ref in diff.added:
        lines.append(f"+ {_text_name(ref.title, ref.id)}: added, {ref.counts}")
    for sol in diff.changed_solutions:
        mark = "  REGRESSION" if sol.id in regressed else ""
        figure = f"{sol.before} -> {sol.after}, {_delta(sol)}"
        lines.append(f"  {_text_name(sol.title, sol.id)}: {figure}{mark}")
        lines += [f"      {line}" for line in _detail_lines(sol, TEXT)]
    model = _model_lines(diff, TEXT)
    if model:
        lines += ["", "Model:", *(f"  {line}" for line in model)]
    file = _file_lines(diff, TEXT)
    if file:
        lines += ["", "Imports and catalogue:", *(f"  {line}" for line in file)]
    unchanged = len(diff.solutions) - len(diff.changed_solutions)
    if unchanged:
        lines += ["", f"{_plural(unchanged, 'solution')} unchanged."]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------

#: Characters that start inline markup in GitHub Markdown (``$`` math, ``~`` strike,
#: ``<`` HTML, ``&`` entities, ``#`` a heading's closing sequence, ``|`` a table cell,
#: ``@`` a mention that would notify someone).
_MARKUP = frozenset("\\`*_[]<>|~&#$@")


def md_text(text: str) -> str:
    """Plain text in Markdown: markup characters backslash-escaped, whitespace one space."""
    return "".join(f"\\{c}" if c in _MARKUP else c for c in plain(text))


def md_code(text: str) -> str:
    """An id as inline code that survives any content (backticks, ``|`` in a table)."""
    text = plain(text).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


MARKDOWN = Style(code=md_code, text=md_text)

_REGRESSION = "**regression**"
#: A table cell for a figure one of the files does not have.
_NONE = "\N{EN DASH}"


def _md_name(title: str, sid: str) -> str:
    return f"{md_text(title)} ({md_code(sid)})"


def _md_table(diff: Diff, regressed: set[str]) -> list[str]:
    """The summary table: a row per added, removed or changed solution, regressions first."""
    rows: list[tuple[bool, str, str, str]] = []  # (regression, id, title, cells)
    for ref in diff.removed:
        rows.append((True, ref.id, ref.title, f"{ref.counts} | {_NONE} | removed, {_REGRESSION}"))
    for ref in diff.added:
        rows.append((False, ref.id, ref.title, f"{_NONE} | {ref.counts} | added"))
    for sol in diff.changed_solutions:
        bad = sol.id in regressed
        change = _delta(sol) if sol.coverage_changed else "coverage unchanged"
        change += f", {_REGRESSION}" if bad else ""
        rows.append((bad, sol.id, sol.title, f"{sol.before} | {sol.after} | {change}"))
    rows.sort(key=lambda row: (not row[0], row[1]))
    return [
        "| Solution | Before | After | Change |",
        "| --- | --- | --- | --- |",
        *(f"| {_md_name(title, sid)} | {cells} |" for _, sid, title, cells in rows),
    ]


def markdown_diff(diff: Diff) -> str:
    """A pull-request comment: verdict, summary table, then details per solution."""
    found = regressions(diff)
    changed = diff.changed_solutions
    lines = ["## mlrefarch diff", "", f"**{_verdict(found).capitalize()}.**", ""]
    if not diff.changed:
        lines.append(f"No change ({_plural(len(diff.solutions), 'solution')} compared).")
        return "\n".join(lines) + "\n"
    if not (diff.added or diff.removed or any(s.coverage_changed for s in changed)):
        lines += ["No change in coverage.", ""]
    if diff.added or diff.removed or changed:
        lines += [*_md_table(diff, {r.solution for r in found}), ""]
    unchanged = len(diff.solutions) - len(changed)
    if unchanged:
        lines += [f"{_plural(unchanged, 'other solution')} unchanged.", ""]
    for sol in changed:
        details = _detail_lines(sol, MARKDOWN)
        if details:
            lines += [f"### {_md_name(sol.title, sol.id)}", "", *(f"- {d}" for d in details), ""]
    model = _model_lines(diff, MARKDOWN)
    if model:
        lines += ["### Model", "", *(f"- {line}" for line in model), ""]
    file = _file_lines(diff, MARKDOWN)
    if file:
        lines += ["### Imports and catalogue", "", *(f"- {line}" for line in file), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
