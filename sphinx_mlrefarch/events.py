"""Build-wide steps: configure, assemble and report after reading, export at the end.

``builder-inited`` and ``env-before-read-docs`` read the configuration and
the model. ``env-updated`` runs after every read phase (also when nothing
was re-read): it assembles the portfolio from the domain's records,
reports every finding (those filed while reading, the configuration's and
the cross-document ones), so a build that re-reads nothing still reports
every problem whose cause is there, and returns the pages whose data from
other documents changed. ``build-finished`` writes ``mlrefarch.json``,
saves the page digests, prints the summary line and fails the build when
asked to.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import NoUri

from .config import import_findings
from .domain import MlrefarchDomain, get_domain
from .export import Export, no_pages, write_export
from .findings import Finding, check_portfolio, check_sbbs, check_views
from .imports import without_own_output
from .incremental import (
    export_record,
    load_digests,
    outdated_pages,
    page_digests,
    save_digests,
    state_file,
)
from .inventory import build_inventory
from .links import output_page
from .log import info, report, tags_needed
from .portfolio import assemble
from .records import UriOf
from .references import check_references
from .reports.text import summary_line

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

__all__ = [
    "STYLESHEET",
    "collect_findings",
    "copy_stylesheet",
    "on_build_finished",
    "on_builder_inited",
    "on_env_before_read_docs",
    "on_env_updated",
]

#: The stylesheet every HTML page links to (``app.add_css_file``).
STYLESHEET = Path(__file__).resolve().parent / "static" / "mlrefarch.css"

#: The record tables whose entries must lie inside a solution, by directive name.
DECLARATIONS = {"abb": "abbs", "constraint": "constraints", "hosting-choice": "hosting"}


def on_builder_inited(app: Sphinx) -> None:
    domain = get_domain(app.env)
    domain.builder = app.builder
    domain.configure(app.confdir, app.outdir)
    from sphinx.builders.html import StandaloneHTMLBuilder

    if isinstance(app.builder, StandaloneHTMLBuilder):
        copy_stylesheet(Path(app.outdir))


def on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Read the configuration again for a second ``build()`` of the same application.

    ``builder-inited`` runs only once per application. Files are cached by
    mtime, but imports are read anew, so the first build (configured at
    ``builder-inited``) does not read them twice.
    """
    get_domain(env).refresh(app.confdir, app.outdir)


def collect_findings(env: BuildEnvironment) -> list[Finding]:
    """Assemble the portfolio and gather every finding of the project, in report order.

    Configuration first, then per document (in name order) what was found
    while reading and what the cross-document checks find.
    """
    domain = get_domain(env)
    model = domain.model
    local = {sid: (s.docname, s.title) for sid, s in domain.solutions.items()}
    imports, own_outputs = without_own_output(domain.settings.imports, local)
    domain.portfolio = portfolio = assemble(
        model,
        domain.settings.required,
        domain.solutions,
        domain.per_doc("abbs"),
        domain.per_doc("constraints"),
        domain.per_doc("hosting"),
        env.toctree_includes,
        imports,
    )

    def doc2path(docname: str) -> str:
        return str(env.doc2path(docname, False))

    inventory: dict[str, Any] = getattr(env, "intersphinx_inventory", None) or {}
    found = list(domain.settings.findings) + import_findings(domain.confdir, own_outputs)
    found += domain.records("findings")
    found += check_views(model, portfolio, domain.records("views"))
    found += check_references(
        model, portfolio, domain.records("references"), inventory.get("mlrefarch:abb", {})
    )
    domain.inventory = build_inventory(portfolio, domain.catalogue)
    tables = {kind: domain.per_doc(table) for kind, table in DECLARATIONS.items()}
    found += check_portfolio(model, portfolio, tables, doc2path)
    found += check_sbbs(domain.catalogue, portfolio, domain.settings.sbb_policy)
    return found


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Report every finding; return the pages whose data from other documents changed."""
    domain = get_domain(env)
    domain.all_findings = collect_findings(env)
    tag = tags_needed(env.config)
    for finding in domain.all_findings:
        report(finding, tag)

    def title_of(docname: str) -> str:
        title = env.titles.get(docname)
        return title.astext() if title is not None else docname

    domain.digests = page_digests(domain, title_of)
    old = load_digests(_state(app))
    return outdated_pages(domain.digests, old, env.all_docs)


def page_uris(builder: Builder) -> UriOf:
    """How ``builder`` links an anchor of a document, relative to the output root.

    HTML builders write pages (singlehtml one page for all, whose own links
    are bare fragments); the others write no pages another project could
    link to, so their ``uri`` is null.
    """
    if builder.format != "html":
        return no_pages

    def uri(docname: str, anchor: str) -> str | None:
        try:
            page = output_page(builder, docname)
        except NoUri:
            return None
        return f"{page}#{anchor}" if anchor else page

    return uri


def _state(app: Sphinx) -> Path:
    return state_file(app.builder.name, app.outdir, app.doctreedir)


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None:
        return
    domain: MlrefarchDomain = get_domain(app.env)
    if domain.digests is not None:
        save_digests(_state(app), domain.digests)
    portfolio = domain.portfolio
    if app.config.mlrefarch_export and app.builder.name != "mlrefarch":
        export = Export(domain.model, domain.catalogue, page_uris(app.builder))
        record = export_record(app.builder.name, app.outdir, app.doctreedir)
        write_export(Path(app.outdir), export, portfolio, record)
    info(f"mlrefarch: {summary_line(portfolio)}")
    satisfied, required = portfolio.totals()
    if required - satisfied and app.config.mlrefarch_fail_on_missing:
        info("mlrefarch: failing the build because mlrefarch_fail_on_missing is True")
        app.statuscode = 1


def copy_stylesheet(outdir: Path) -> None:
    """Put the stylesheet into ``_static`` before any page is written.

    Not through ``html_static_path``, which would mean changing the
    configuration (and with it Sphinx's "configuration has changed" on
    every incremental build). Copied this early because Sphinx adds a
    checksum (``mlrefarch.css?v=...``) to the link of every asset that
    exists when a page is written: copied later, a fresh build's pages
    would link without it and an incremental build's with it.
    """
    target = outdir / "_static" / STYLESHEET.name
    if not target.is_file() or target.read_bytes() != STYLESHEET.read_bytes():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STYLESHEET, target)
