"""``mlrefarch.json``: the effective model and every solution, machine-readable.

The document is built only from sorted, derived data so that serial,
parallel and incremental builds of the same sources write identical bytes.
Its shape is defined by ``data/mlrefarch.schema.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .model import Model
from .model.schema import load_schema
from .portfolio import Portfolio, SolutionView
from .records import AbbRecord, HostingRecord, UriOf
from .status import Status

FORMAT_VERSION = 1
FILENAME = "mlrefarch.json"


def export_schema() -> dict[str, Any]:
    """The JSON Schema of ``mlrefarch.json``."""
    return load_schema("mlrefarch.schema.json")


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


def no_pages(docname: str, anchor: str) -> None:
    """The :data:`UriOf` of builders that write no pages: every ``uri`` is null."""
    return None


def _declaration(record: AbbRecord | HostingRecord, block: str, uri: UriOf) -> dict[str, Any]:
    """One block a declaration addresses (a hosting choice addresses several)."""
    abb = record if isinstance(record, AbbRecord) else None
    return {
        "block": block,
        "status": abb.status if abb else Status.ADDRESSED,
        "sbb": list(abb.sbb) if abb else [],
        "owner": abb.owner if abb else "",
        "via": record.via,
        **record.place_data(uri),
    }


def solution_data(view: SolutionView, uri: UriOf = no_pages) -> dict[str, Any]:
    record = view.record
    cov = view.coverage
    declarations = [_declaration(abb, abb.block, uri) for abb in view.abbs]
    declarations += [_declaration(h, block, uri) for h in view.hosting for block in h.blocks()]
    return {
        "title": record.title,
        **record.place_data(uri),
        "owner": record.owner,
        "status": record.status,
        "documents": list(view.docnames),
        "profiles": list(record.profiles),
        "required": list(view.required),
        "strict": list(cov.strict),
        "declarations": declarations,
        "constraints": [
            {
                "id": c.id,
                "title": c.title,
                "aspect": c.aspect,
                "affects": list(c.affects),
                "priority": c.priority,
                "source": c.source,
                **c.place_data(uri),
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
                **h.place_data(uri),
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


def build_export(model: Model, portfolio: Portfolio, uri: UriOf = no_pages) -> dict[str, Any]:
    """The document; ``uri`` links items as the writing builder does (default: no pages)."""
    solutions = {sid: solution_data(view, uri) for sid, view in sorted(portfolio.solutions.items())}
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


def write_export(outdir: Path, model: Model, portfolio: Portfolio, uri: UriOf = no_pages) -> Path:
    """Write ``mlrefarch.json`` into ``outdir`` (atomically); returns its path."""
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / FILENAME
    partial = target.with_name(f".{FILENAME}.tmp")
    partial.write_text(dumps(build_export(model, portfolio, uri)), encoding="utf-8")
    os.replace(partial, target)
    return target
