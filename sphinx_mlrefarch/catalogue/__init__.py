"""The SBB catalogue: products that realise model blocks. Pure; no Sphinx here.

The second tailorable data set beside the model, loaded with the model's
own parts (:mod:`..model.yaml_source`, :mod:`..model.schema`,
:mod:`..model.merge`): :mod:`.build` adds ``extends`` and the catalogue's
checks, :mod:`.types` holds the immutable :class:`Catalogue`, :mod:`.load`
ties them together and caches files.
"""

from __future__ import annotations

from .load import (
    CatalogueResult,
    catalogue_schema,
    default_catalogue,
    default_catalogue_path,
    load_catalogue,
    load_catalogue_text,
)
from .types import Catalogue, Product

__all__ = [
    "Catalogue",
    "CatalogueResult",
    "Product",
    "catalogue_schema",
    "default_catalogue",
    "default_catalogue_path",
    "load_catalogue",
    "load_catalogue_text",
]
