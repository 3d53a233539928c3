"""``-b mlrefarch`` (and so ``mlrefarch check``) keeps no document trees for a write phase.

Sphinx keeps every tree a serial build reads until its page is written;
the ``mlrefarch`` builder writes no pages, so it drops them. Measured
here by what Sphinx's cache holds each time a document has been read,
with html as the positive control, and by the result: the same
``mlrefarch.json`` as html writes (uris aside), the trees still pickled.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import copy_root


def _kept_while_reading(make_app: Any, builder: str, src: Path, builddir: Path) -> tuple[Any, int]:
    app = make_app(builder, srcdir=src, builddir=builddir, freshenv=True)
    seen: list[int] = []

    def count(_app: Any, _doctree: Any) -> None:  # runs after the extension's handler
        seen.append(len(getattr(app.env, "_write_doc_doctree_cache", {})))

    app.connect("doctree-read", count)
    app.build()
    assert len(seen) == len(app.env.found_docs) >= 6
    return app, max(seen)


def _without_uris(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_uris(v) for k, v in data.items() if k != "uri"}
    if isinstance(data, list):
        return [_without_uris(v) for v in data]
    return data


def test_the_mlrefarch_builder_keeps_no_trees_html_does(make_app: Any, tmp_path: Path) -> None:
    src = copy_root("basic", tmp_path / "src")
    html, kept_by_html = _kept_while_reading(make_app, "html", src, tmp_path / "html")
    ours, kept_by_ours = _kept_while_reading(make_app, "mlrefarch", src, tmp_path / "ml")
    assert kept_by_html == len(html.env.found_docs) - 1  # the positive control
    assert kept_by_ours == 0
    assert ours.env._write_doc_doctree_cache == {}
    # the trees are still pickled, and the data is what html found
    assert len(list(Path(ours.doctreedir).rglob("*.doctree"))) == len(ours.env.found_docs)
    export = {
        name: _without_uris(json.loads((Path(app.outdir) / "mlrefarch.json").read_text("utf-8")))
        for name, app in (("html", html), ("ml", ours))
    }
    assert export["ml"] == export["html"]
