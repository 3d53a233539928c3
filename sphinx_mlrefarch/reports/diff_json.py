"""``mlrefarch diff --format json``: the diff as a document for other tools. Pure.

Keys come in a fixed order and every list is sorted, so two runs on the
same files print the same bytes; a key is added, never renamed, within one
:data:`DIFF_FORMAT_VERSION`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from ..diff import (
    BlockChange,
    Counts,
    Diff,
    EntryChanges,
    FieldChange,
    Regression,
    SolutionDiff,
    SolutionRef,
    regressions,
)

__all__ = ["DIFF_FORMAT_VERSION", "diff_data", "json_diff"]

#: The version of the JSON document ``mlrefarch diff --format json`` prints.
DIFF_FORMAT_VERSION = 1


def _ref_data(ref: SolutionRef) -> dict[str, Any]:
    return {"id": ref.id, "title": ref.title, "coverage": _figure(ref.counts)}


def _figure(counts: Counts) -> dict[str, Any]:
    return {"satisfied": counts.satisfied, "required": counts.required, "percent": counts.percent}


def _field_data(fields: Iterable[FieldChange]) -> list[dict[str, Any]]:
    return [{"field": f.field, "old": f.old, "new": f.new} for f in fields]


def _entry_data(changes: EntryChanges, key: str) -> dict[str, Any]:
    return {
        "added": list(changes.added),
        "removed": list(changes.removed),
        "changed": [
            {key: c.key, "title": c.title, "fields": _field_data(c.fields)} for c in changes.changed
        ],
    }


def _solution_data(sol: SolutionDiff, found: list[Regression]) -> dict[str, Any]:
    return {
        "id": sol.id,
        "title": sol.title,
        "before": _figure(sol.before),
        "after": _figure(sol.after),
        "delta": sol.delta,
        "regressions": [str(r) for r in found if r.solution == sol.id],
        "fields": _field_data(sol.fields),
        "required_added": list(sol.required_added),
        "required_removed": list(sol.required_removed),
        "status_changes": [
            {"block": c.block, "old": c.old, "new": c.new} for c in sol.status_changes
        ],
        "newly_missing": list(sol.newly_missing),
        "strict_partial": list(sol.strict_partial),
        "constraints": _entry_data(sol.constraints, "id"),
        "hosting": _entry_data(sol.hosting, "title"),
        "blocks": [_block_data(change) for change in sol.blocks],
    }


def _pair(pair: tuple[tuple[str, ...], tuple[str, ...]] | None) -> dict[str, Any] | None:
    return None if pair is None else {"old": list(pair[0]), "new": list(pair[1])}


def _block_data(change: BlockChange) -> dict[str, Any]:
    return {
        "block": change.block,
        "products": _pair(change.products),
        "catalogue": [
            {"name": r.name, "old": asdict(r.old), "new": asdict(r.new)} for r in change.resolutions
        ],
        "declared_by": _pair(change.declared_by),
        "owners": _pair(change.owners),
    }


def diff_data(diff: Diff) -> dict[str, Any]:
    """The diff as a JSON-ready document: keys in a fixed order, every list sorted."""
    found = regressions(diff)
    changed = diff.changed_solutions
    return {
        "version": DIFF_FORMAT_VERSION,
        "regressions": len(found),
        "changed": diff.changed,
        "regression_details": [
            {"solution": r.solution, "kind": str(r.kind), "block": r.block, "message": str(r)}
            for r in found
        ],
        "solutions": {
            "added": [_ref_data(ref) for ref in diff.added],
            "removed": [_ref_data(ref) for ref in diff.removed],
            "changed": [_solution_data(sol, found) for sol in changed],
            "unchanged": len(diff.solutions) - len(changed),
        },
        "model": {
            "old_id": diff.model.old_id,
            "new_id": diff.model.new_id,
            "blocks_added": list(diff.model.blocks_added),
            "blocks_removed": list(diff.model.blocks_removed),
        },
        "imports": _entry_data(diff.file.imports, "name"),
        "catalogue": {
            "fields": _field_data(diff.file.catalogue_fields),
            **_entry_data(diff.file.catalogue, "id"),
        },
    }


def json_diff(diff: Diff) -> str:
    return json.dumps(diff_data(diff), indent=2, ensure_ascii=False) + "\n"
