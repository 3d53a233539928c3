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
import shutil
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .export import FILENAME, build_export, dumps
from .log import info, warn
from .portfolio import Portfolio, assemble
from .project import DOMAIN, get_model, required_setting

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


def on_env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Recompute the portfolio; return aggregate pages whose content changed."""
    domain: MlrefarchDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    portfolio = compute_portfolio(app, env)
    domain.data["portfolio"] = portfolio
    for finding in portfolio.findings:
        warn(finding.subtype, finding.message, (finding.docname, finding.line))

    old: dict[str, str] = domain.data.get("fingerprints") or {}
    new = {sid: view.fingerprint() for sid, view in portfolio.solutions.items()}
    new["@model"] = _model_fingerprint(get_model(env))
    domain.data["fingerprints"] = new
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
                hit = key in changed
            if hit:
                outdated.append(docname)
                break
    return sorted(outdated)


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None:
        return
    env = app.env
    domain: MlrefarchDomain = env.get_domain(DOMAIN)  # type: ignore[assignment]
    portfolio = domain.portfolio
    model = get_model(env)
    outdir = Path(app.outdir)
    if app.config.mlrefarch_export and app.builder.name != "mlrefarch":
        outdir.mkdir(parents=True, exist_ok=True)
        (outdir / FILENAME).write_text(dumps(build_export(model, portfolio)), encoding="utf-8")
    if app.builder.format == "html":
        static = outdir / "_static"
        static.mkdir(parents=True, exist_ok=True)
        source = resources.files("sphinx_mlrefarch") / "static" / "mlrefarch.css"
        with resources.as_file(source) as css:
            shutil.copyfile(css, static / "mlrefarch.css")
    required = sum(len(v.coverage.required) for v in portfolio.solutions.values())
    missing = sum(len(v.coverage.missing) for v in portfolio.solutions.values())
    info(
        f"mlrefarch: {len(portfolio.solutions)} solution(s), "
        f"{required - missing}/{required} required building blocks satisfied, {missing} missing"
    )
    if missing and app.config.mlrefarch_fail_on_missing:
        info("mlrefarch: failing the build because mlrefarch_fail_on_missing is True")
        app.statuscode = 1
