"""The reference model: its types, look-ups and loading. Pure; no Sphinx here.

The loading pipeline, one module per step: :mod:`.yaml_source` (safe parse,
line index) -> :mod:`.schema` (validate against ``model.schema.json`` and
drop what is wrong) -> :mod:`.merge` / :mod:`.build` (``extends``,
references between parts) -> :mod:`.types` (the immutable :class:`Model`);
:mod:`.load` ties them together and caches files.
"""

from __future__ import annotations

from ..names import did_you_mean, slugify
from .load import (
    LoadResult,
    default_model,
    default_model_path,
    load_model,
    load_model_text,
    model_schema,
)
from .lookup import Lookup
from .problems import Problem, format_path
from .types import Block, Entry, Hosting, Model, Principle, Process, Profile, Source
from .yaml_source import MAX_NODES

__all__ = [
    "MAX_NODES",
    "Block",
    "Entry",
    "Hosting",
    "LoadResult",
    "Lookup",
    "Model",
    "Principle",
    "Problem",
    "Process",
    "Profile",
    "Source",
    "default_model",
    "default_model_path",
    "did_you_mean",
    "format_path",
    "load_model",
    "load_model_text",
    "model_schema",
    "slugify",
]
