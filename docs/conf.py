"""Sphinx configuration of the sphinx-mlrefarch documentation (the reference book).

The book is built with the extension itself: the model pages, the two example
solution architectures and the portfolio are all rendered by sphinx-mlrefarch.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent

# -- Project ---------------------------------------------------------------

project = "sphinx-mlrefarch"
author = "The sphinx-mlrefarch authors"
copyright = "the sphinx-mlrefarch authors; model structure after Maikel Mardjan (CC BY-SA 4.0)"

extensions = [
    "sphinx_mlrefarch",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
# _imports holds another project's sources and output (see "Imports" below).
exclude_patterns = ["_build", "_imports", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence"]

# -- sphinx-mlrefarch ------------------------------------------------------

# The book shows the built-in default model, so ``mlrefarch_model`` stays unset.
# ``customising.rst`` shows a tailored model file without activating it.
mlrefarch_required = "all"
mlrefarch_export = True

# One example solution (examples/triage.md, "Support-ticket triage") is
# intentionally incomplete: it is a draft with planned and undeclared blocks,
# and its gaps show in its coverage tables. Each gap would otherwise be an
# ``mlrefarch.missing`` warning and fail this ``-W`` build.
suppress_warnings = ["mlrefarch.missing"]

# -- Imports ---------------------------------------------------------------
#
# The portfolio (portfolio.rst) also shows the solutions of another team's
# project, as an architecture office's book would (see office.rst). The team's
# CI would publish its mlrefarch.json next to its HTML; the book reads a copy
# committed under _imports/payments/, made from the small project in
# _imports/payments-src/ (its conf.py says how). A path source opens no
# network connection; ``url`` is where the team's HTML would be published,
# so imported rows link there.
mlrefarch_import = {
    "payments": {
        "source": "_imports/payments/mlrefarch.json",
        "url": "https://payments.example.org/",
    },
}

# -- HTML output -----------------------------------------------------------

html_theme = "furo"
html_title = "sphinx-mlrefarch: the reference book"
html_short_title = "sphinx-mlrefarch"
html_static_path: list[str] = []

# -- Mermaid ---------------------------------------------------------------
#
# By default sphinxcontrib-mermaid makes the browser load mermaid.js from a
# CDN when a page is viewed; nothing is downloaded at build time. When a local
# copy of mermaid's ESM bundle is available (the browser tests install one
# with npm), it is copied next to the build and served from ``_static`` so the
# book renders its diagrams offline. Point ``MLREFARCH_MERMAID_DIST`` at any
# ``mermaid/dist`` directory to use another copy.

mermaid_d3_zoom = False

MERMAID_ENTRY = "mermaid.esm.min.mjs"
MERMAID_CHUNKS = Path("chunks") / "mermaid.esm.min"
MERMAID_DIST = Path(
    os.environ.get("MLREFARCH_MERMAID_DIST")
    or REPO / "tests" / "browser" / "node_modules" / "mermaid" / "dist"
)
MERMAID_STATIC = DOCS / "_build" / "_mermaid_static"


def _outdated(source: Path, target: Path) -> bool:
    """True when ``target`` is missing or differs from ``source`` in size or age."""
    if not target.is_file():
        return True
    src, dst = source.stat(), target.stat()
    return src.st_size != dst.st_size or src.st_mtime > dst.st_mtime


def _copy_if_outdated(source: Path, target: Path) -> None:
    if _outdated(source, target):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def _stage_local_mermaid(dist: Path, static: Path) -> bool:
    """Copy mermaid's ESM entry point and its chunks into ``static``; False if unavailable."""
    entry = dist / MERMAID_ENTRY
    if not entry.is_file():
        return False
    _copy_if_outdated(entry, static / MERMAID_ENTRY)
    chunks = dist / MERMAID_CHUNKS
    if chunks.is_dir():
        for source in sorted(chunks.rglob("*")):
            if source.is_file():
                _copy_if_outdated(source, static / MERMAID_CHUNKS / source.relative_to(chunks))
    return True


if _stage_local_mermaid(MERMAID_DIST, MERMAID_STATIC):
    html_static_path.append(str(MERMAID_STATIC))
    mermaid_use_local = MERMAID_ENTRY
