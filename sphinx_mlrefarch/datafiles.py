"""The package's data folder: built-in model and catalogue, JSON Schemas.

A module of its own, importing nothing of the package, so that readers of a
schema (``mlrefarch diff``, :mod:`.jsonformat`) do not load the model
pipeline to find a file, and a build reads the built-in model and catalogue
without PyYAML (their parsed JSON form). Pure.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["BUILTIN", "DATA", "builtin_data", "load_schema"]

#: The package data folder: default model and catalogue, JSON Schemas.
DATA = resources.files("sphinx_mlrefarch") / "data"
#: The built-in data files: each ``<name>.yaml`` has its parsed form ``<name>.json``.
BUILTIN = ("default-model", "default-catalogue")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``data/``: one shared object per name, not to be changed."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def builtin_data(name: str) -> dict[str, Any]:
    """The parsed form of ``data/<name>.yaml``, read from ``data/<name>.json``.

    A fresh object on every call. ``tools/builtin_data.py`` writes the JSON
    from the YAML; the test suite checks they agree.
    """
    data: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return data
