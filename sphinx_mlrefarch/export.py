"""``mlrefarch.json``: the effective model and every solution, machine-readable.

The document is built only from sorted, derived data so that serial,
parallel and incremental builds of the same sources write identical bytes.
Its shape is defined by ``data/mlrefarch.schema.json``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .model import Model
from .portfolio import Portfolio, SolutionView

FORMAT_VERSION = 1
FILENAME = "mlrefarch.json"


@cache
def export_schema() -> dict[str, Any]:
    """The JSON Schema of ``mlrefarch.json``."""
    text = (resources.files("sphinx_mlrefarch") / "data" / "mlrefarch.schema.json").read_text(
        "utf-8"
    )
    return json.loads(text)


def model_data(model: Model) -> dict[str, Any]:
    """The effective model: the model file's content after ``extends``/``remove``.

    Layers list their block ids and blocks are keyed by id (the shape of the
    specification); everything else is as in the model file format.
    """
    full = model.to_dict()
    full.pop("schema", None)
    blocks = full.pop("blocks")
    for layer in full["layers"]:
        layer["blocks"] = [b.id for b in model.blocks_of_layer(layer["id"])]
    full["blocks"] = {block.pop("id"): {"summary": "", **block} for block in blocks}
    return full


def solution_data(view: SolutionView) -> dict[str, Any]:
    record = view.record
    cov = view.coverage
    declarations: list[dict[str, Any]] = [
        {
            "block": abb.block,
            "status": abb.status,
            "sbb": list(abb.sbb),
            "owner": abb.owner,
            "via": "abb",
            "docname": abb.docname,
            "line": abb.line,
        }
        for abb in view.abbs
    ]
    declarations += [
        {
            "block": block,
            "status": "addressed",
            "sbb": [],
            "owner": "",
            "via": "hosting",
            "docname": choice.docname,
            "line": choice.line,
        }
        for choice in view.hosting
        for block in choice.blocks()
    ]
    return {
        "title": record.title,
        "docname": record.docname,
        "line": record.line,
        "owner": record.owner,
        "status": record.status,
        "documents": list(view.docnames),
        "required": list(view.required),
        "declarations": declarations,
        "constraints": [
            {
                "id": c.id,
                "title": c.title,
                "aspect": c.aspect,
                "affects": list(c.affects),
                "priority": c.priority,
                "source": c.source,
                "docname": c.docname,
                "line": c.line,
            }
            for c in view.constraints
        ],
        "hosting": [
            {
                "title": h.title,
                "environment": list(h.environment),
                "platform": h.platform,
                "provider": h.provider,
                "compute": list(h.compute),
                "containers": h.containers,
                "storage": h.storage,
                "network": h.network,
                "availability": h.availability,
                "docname": h.docname,
                "line": h.line,
            }
            for h in view.hosting
        ],
        "coverage": {
            "blocks": dict(cov.blocks),
            "required": len(cov.required),
            "satisfied": cov.satisfied,
            "percent": cov.percent,
            "missing": list(cov.missing),
        },
    }


def build_export(model: Model, portfolio: Portfolio) -> dict[str, Any]:
    solutions = {sid: solution_data(view) for sid, view in sorted(portfolio.solutions.items())}
    satisfied, required = portfolio.totals()
    return {
        "version": FORMAT_VERSION,
        "model": model_data(model),
        "solutions": solutions,
        "totals": {
            "solutions": len(solutions),
            "required": required,
            "satisfied": satisfied,
            "missing": required - satisfied,
        },
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_export(outdir: Path, model: Model, portfolio: Portfolio) -> Path:
    """Write ``mlrefarch.json`` into ``outdir``; returns its path."""
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / FILENAME
    target.write_text(dumps(build_export(model, portfolio)), encoding="utf-8")
    return target
