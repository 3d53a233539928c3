"""The package's data folder: built-in model and catalogue, JSON Schemas.

A module of its own, importing nothing of the package, so that readers of a
schema (``mlrefarch diff``, :mod:`.jsonformat`) do not load the model
pipeline and its YAML parser to find a file. Pure.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["DATA", "load_schema"]

#: The package data folder: default model and catalogue, JSON Schemas.
DATA = resources.files("sphinx_mlrefarch") / "data"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``data/``: one shared object per name, not to be changed."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))
