"""The ``mlrefarch`` builder: read and check, write only the JSON and a text report.

The fast path for CI: documents are read (that is where declarations come
from) but never resolved or written, so no HTML work is done. Findings are
reported after reading, as for every builder.
"""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.builders import Builder

from .domain import get_domain
from .export import Export, write_export
from .incremental import export_record
from .reports.text import text_report

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

REPORT = "mlrefarch-report.txt"


class MlrefarchBuilder(Builder):
    name = "mlrefarch"
    format = "mlrefarch"
    epilog = "The coverage report is in %(outdir)s/" + REPORT + "."
    allow_parallel = True

    def init(self) -> None:
        pass

    def get_outdated_docs(self) -> set[str]:
        return set()

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ""

    def prepare_writing(self, docnames: Set[str]) -> None:
        pass

    def write_documents(self, docnames: Set[str]) -> None:
        """Nothing to write per document (and no doctree to load)."""

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass

    def finish(self) -> None:
        domain = get_domain(self.env)
        outdir = Path(self.outdir)
        record = export_record(self.name, outdir, self.doctreedir)
        write_export(outdir, Export(domain.model, domain.catalogue), domain.portfolio, record)
        report = text_report(domain.model, domain.portfolio)
        (outdir / REPORT).write_text(report, encoding="utf-8")


def drop_kept_trees(app: Sphinx, *_args: object) -> None:
    """Keep no document trees in memory for a write phase this builder does not have.

    In a serial build Sphinx keeps every tree it reads until that page is
    written. This builder writes no pages, so the trees would only hold
    memory (at N = 200 most of the build's peak) and make every full pass
    of Python's cyclic garbage collector walk them. Connected to
    ``doctree-read`` (the trees kept so far; the one just read is kept
    after the event) and ``env-updated`` (the last). Every tree is still
    pickled into the doctree directory first, so anything that asks for
    one later reads it from there.
    """
    if app.builder.name != MlrefarchBuilder.name:
        return
    kept = getattr(app.env, "_write_doc_doctree_cache", None)  # Sphinx's, since 7.2
    if isinstance(kept, dict):
        kept.clear()
