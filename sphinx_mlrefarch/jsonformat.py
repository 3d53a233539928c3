"""The ``mlrefarch.json`` format: its file name, version and JSON Schema.

Apart from :mod:`.export` (which writes it) so that readers of other
projects' files (:mod:`.import_source`, ``mlrefarch diff``) need nothing
of the writing side. Pure.
"""

from __future__ import annotations

from typing import Any

from .datafiles import load_schema

__all__ = ["FILENAME", "FORMAT_VERSION", "export_schema"]

#: The format version this release writes and the newest it reads.
FORMAT_VERSION = 1
FILENAME = "mlrefarch.json"


def export_schema() -> dict[str, Any]:
    """The JSON Schema of ``mlrefarch.json``."""
    return load_schema("mlrefarch.schema.json")
