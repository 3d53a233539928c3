"""Build-wide steps: assemble the portfolio, warn, keep incremental builds right, export.

``env-updated`` runs after every read phase (also when nothing was re-read):
it recomputes the portfolio from the domain's records, emits the
cross-document warnings (so an incremental build cannot hide a missing
block), and returns the documents whose aggregate views changed so that
Sphinx rewrites them. ``build-finished`` writes ``mlrefarch.json``, prints
the summary line and fails the build when asked to.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from .export import write_export
from .log import info, warn
from .portfolio import Portfolio, assemble
from .project import DOMAIN, get_model, required_setting
from .report import summary_line

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .domain import MlrefarchDomain
    from .model import Model


def compute_portfolio(app: Sphinx, env: BuildEnvironment) -> Portfolio:
    domain: MlrefarchDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    data = domain.data

    def doc2path(docname: str) -> str:
        return str(env.doc2path(docname, False))

    return assemble(
        get_model(env),
        required_setting(app.config.mlrefarch_required),
        data["solutions"],
        data["abbs"],
        data["constraints"],
        data["hosting"],
        env.toctree_includes,
        doc2path,
    )


def _model_fingerprint(model: Model) -> str:
    text = json.dumps(model.to_dict(), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fingerprints(env: BuildEnvironment, portfolio: Portfolio) -> dict[str, str]:
    """One digest per solution of everything its aggregate views show, and one for the model.

    Document titles are included because coverage tables name the document
    a block is declared in.
    """
    out = {}
    for sid, view in portfolio.solutions.items():
        titles = [env.titles[d].astext() if d in env.titles else d for d in view.docnames]
        text = view.fingerprint() + "\x00" + "\x00".join(titles)
        out[sid] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    out["@model"] = _model_fingerprint(get_model(env))
    return out


def _state_file(app: Sphinx) -> Path:
    """Where the fingerprints of the last successful build into this outdir are kept.

    One file per output directory (and builder): ``make html`` and ``make
    text`` share one doctree directory, and each must rewrite its own stale
    pages, so the comparison is against what *this* output last showed.
    """
    key = hashlib.sha256(f"{app.builder.name}:{Path(app.outdir).resolve()}".encode()).hexdigest()
    return Path(app.doctreedir) / f"mlrefarch-{key[:16]}.json"


def _saved_fingerprints(app: Sphinx) -> dict[str, str] | None:
    try:
        data = json.loads(_state_file(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Recompute the portfolio; return aggregate pages whose content changed."""
    domain: MlrefarchDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    portfolio = compute_portfolio(app, env)
    domain.portfolio = portfolio
    for finding in portfolio.findings:
        warn(finding.subtype, finding.message, finding.location)

    new = fingerprints(env, portfolio)
    domain.fingerprints = new
    old = _saved_fingerprints(app)
    if old is None:  # nothing known about this output: rewrite every aggregate page
        return sorted(d for d in domain.data["aggregates"] if d in env.all_docs)
    changed = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    if not changed:
        return []
    everything = "@model" in changed
    outdated = []
    for docname, keys in domain.data["aggregates"].items():
        if docname not in env.all_docs:
            continue
        for key in keys:
            if key == "*" or everything:
                hit = True
            elif key in ("@scope", "@auto"):
                sid = portfolio.doc_solution.get(docname)
                hit = sid in changed if sid is not None else key == "@auto"
            else:
                hit = portfolio.find(key) in changed or key in changed
            if hit:
                outdated.append(docname)
                break
    return sorted(outdated)


STATIC = Path(__file__).resolve().parent / "static"


def add_static_path(app: Sphinx) -> None:
    """``builder-inited``: ship the stylesheet like any theme asset.

    Through ``html_static_path`` it is copied before HTML builders package
    their output (EPUB zips the book before ``build-finished``).
    """
    if app.builder.format == "html" and str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None:
        return
    env = app.env
    domain: MlrefarchDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    portfolio = domain.portfolio
    if domain.fingerprints is not None:
        _state_file(app).parent.mkdir(parents=True, exist_ok=True)
        _state_file(app).write_text(json.dumps(domain.fingerprints, sort_keys=True), "utf-8")
    model = get_model(env)
    outdir = Path(app.outdir)
    if app.config.mlrefarch_export and app.builder.name != "mlrefarch":
        write_export(outdir, model, portfolio)
    info(f"mlrefarch: {summary_line(portfolio)}")
    satisfied, required = portfolio.totals()
    missing = required - satisfied
    if missing and app.config.mlrefarch_fail_on_missing:
        info("mlrefarch: failing the build because mlrefarch_fail_on_missing is True")
        app.statuscode = 1
