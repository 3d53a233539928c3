"""``mlrefarch.json``: the effective model and every solution, machine-readable.

The document is built only from sorted, derived data so that serial,
parallel and incremental builds of the same sources write identical bytes.
Its shape is defined by ``data/mlrefarch.schema.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalogue import Catalogue
from .jsonformat import FILENAME, FORMAT_VERSION, export_schema
from .model import Model
from .portfolio import Portfolio, SolutionView
from .records import AbbRecord, HostingRecord, UriOf
from .status import Status

__all__ = ["FILENAME", "FORMAT_VERSION", "Export", "export_schema", "no_pages", "write_export"]


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


def resolved(catalogue: Catalogue, name: str) -> dict[str, Any]:
    """What the catalogue knows of a product name (nulls for one it does not list)."""
    product = catalogue.resolve(name)
    if product is None:
        return {"name": name, "id": None, "licence": None, "foss": None}
    return {"name": name, "id": product.id, "licence": product.licence, "foss": product.foss}


@dataclass(frozen=True)
class Export:
    """Writes the document for one build: its model, catalogue and way of linking pages."""

    model: Model
    catalogue: Catalogue
    #: How the writing builder links items (default: it writes no pages).
    uri: UriOf = no_pages

    def declaration(self, record: AbbRecord | HostingRecord, block: str) -> dict[str, Any]:
        """One block a declaration addresses (a hosting choice addresses several)."""
        if isinstance(record, AbbRecord):
            status, sbb, owner = record.status, record.sbb, record.owner
        else:
            status, sbb, owner = Status.ADDRESSED, record.products(block), ""
        return {
            "block": block,
            "status": status,
            "sbb": list(sbb),
            "sbb_resolved": [resolved(self.catalogue, name) for name in sbb],
            "owner": owner,
            "via": record.via,
            **record.place_data(self.uri),
        }

    def solution(self, view: SolutionView) -> dict[str, Any]:
        record, cov, uri = view.record, view.coverage, self.uri
        declarations = [self.declaration(abb, abb.block) for abb in view.abbs]
        declarations += [self.declaration(h, b) for h in view.hosting for b in h.blocks()]
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

    def document(self, portfolio: Portfolio) -> dict[str, Any]:
        """``mlrefarch.json``: the effective model and catalogue, every solution, totals."""
        solutions = {sid: self.solution(v) for sid, v in sorted(portfolio.solutions.items())}
        satisfied, required = portfolio.totals()
        catalogue = self.catalogue.to_dict()
        catalogue.pop("schema", None)
        imports = [
            {
                "name": project.name,
                "source": project.source,
                "url": project.url,
                "solutions": [s.id for s in project.solutions],
            }
            for project in portfolio.projects.values()
        ]
        return {
            "version": FORMAT_VERSION,
            "model": model_data(self.model),
            "catalogue": catalogue,
            "imports": imports,
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


def fingerprint(data: dict[str, Any]) -> str:
    """A digest of the document's JSON value (types, key order and all).

    From the compact form, which the standard library encodes in C, four to
    five times as fast as the indented form it writes (pure Python): both
    are functions of the same value, so equal fingerprints mean equal files.
    """
    compact = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(compact.encode("utf-8")).hexdigest()


def _stamp(target: Path, digest: str) -> dict[str, Any] | None:
    try:
        stat = target.stat()
    except OSError:
        return None
    return {"sha256": digest, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _read_record(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_export(
    outdir: Path, export: Export, portfolio: Portfolio, record: Path | None = None
) -> Path:
    """Write ``mlrefarch.json`` into ``outdir`` (atomically); returns its path.

    With ``record`` (a file beside the doctrees), a file this function wrote
    last time, still as it left it, is not written again when the document
    is the same: most edits of a page change its prose, not the data, and
    encoding the indented form is most of the export's cost. The file keeps
    its modification time too, so what watches it sees no change.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / FILENAME
    data = export.document(portfolio)
    digest = fingerprint(data) if record is not None else ""
    if record is not None:
        stamp = _stamp(target, digest)
        if stamp is not None and _read_record(record) == stamp:
            return target
    partial = target.with_name(f".{FILENAME}.tmp")
    partial.write_text(dumps(data), encoding="utf-8")
    os.replace(partial, target)
    if record is not None:
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps(_stamp(target, digest)), encoding="utf-8")
    return target
