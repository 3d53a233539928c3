"""``mlrefarch.json`` is written again only when its content changed (or the file did).

An edit of a page's prose leaves the data as it was: the file keeps its
bytes and its modification time. Every check compares the file with a fresh
build of the same sources, so a file wrongly kept is caught by its bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import copy_root, mlrefarch_warnings

from sphinx_mlrefarch.incremental import export_record

DATA = "solutions/churn/data.rst"


def _build(make_app: Any, builder: str, src: Path, builddir: Path, fresh: bool = False) -> Any:
    app = make_app(builder, srcdir=src, builddir=builddir, freshenv=fresh)
    app.build()
    return app


def _fresh_bytes(make_app: Any, builder: str, src: Path, tmp_path: Path) -> bytes:
    app = _build(make_app, builder, src, tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}", True)
    return (Path(app.outdir) / "mlrefarch.json").read_bytes()


def _stamp(path: Path) -> tuple[int, bytes]:
    return path.stat().st_mtime_ns, path.read_bytes()


@pytest.mark.parametrize("builder", ["html", "mlrefarch"])
def test_prose_edit_keeps_the_file_a_data_edit_rewrites_it(
    make_app: Any, tmp_path: Path, builder: str
) -> None:
    src = copy_root("basic", tmp_path / "src")
    builddir = tmp_path / "inc"
    first = _build(make_app, builder, src, builddir, fresh=True)
    target = Path(first.outdir) / "mlrefarch.json"
    mtime, content = _stamp(target)
    assert export_record(builder, first.outdir, first.doctreedir).is_file()

    page = src / DATA
    page.write_text(page.read_text() + "\nA paragraph of prose, no declaration.\n")
    app = _build(make_app, builder, src, builddir)
    assert "solutions/churn/data" in app.env.found_docs
    assert _stamp(target) == (mtime, content)  # not written: same bytes, same time
    assert content == _fresh_bytes(make_app, builder, src, tmp_path)

    page.write_text(page.read_text().replace(":status: addressed", ":status: planned", 1))
    _build(make_app, builder, src, builddir)
    new_mtime, new_content = _stamp(target)
    assert new_content != content  # the positive control: a data edit is written
    assert new_mtime != mtime
    assert new_content == _fresh_bytes(make_app, builder, src, tmp_path)


@pytest.mark.parametrize("change", ["edited", "deleted", "record-garbage", "record-gone"])
def test_a_file_or_record_changed_behind_the_build_is_written_again(
    make_app: Any, tmp_path: Path, change: str
) -> None:
    src = copy_root("basic", tmp_path / "src")
    builddir = tmp_path / "inc"
    first = _build(make_app, "html", src, builddir, fresh=True)
    target = Path(first.outdir) / "mlrefarch.json"
    record = export_record("html", first.outdir, first.doctreedir)
    good = target.read_bytes()
    if change == "edited":  # same size, other bytes: a hand edit
        target.write_bytes(good.replace(b'"version"', b'"versioN"', 1))
    elif change == "deleted":
        target.unlink()
    elif change == "record-garbage":
        record.write_text("{not json", encoding="utf-8")
        target.write_bytes(good.replace(b'"version"', b'"versioN"', 1))
    else:
        record.unlink()
        target.write_bytes(good.replace(b'"version"', b'"versioN"', 1))
    app = _build(make_app, "html", src, builddir)
    assert target.read_bytes() == good
    assert mlrefarch_warnings(app) == mlrefarch_warnings(first)  # none about file or record
    assert "Traceback" not in app.warning.getvalue()
    assert json.loads(record.read_text(encoding="utf-8"))["size"] == len(good)


def test_builders_and_output_folders_keep_their_own_records(make_app: Any, tmp_path: Path) -> None:
    """``make html`` and ``make dirhtml`` sharing doctrees: each knows only its own file."""
    src = copy_root("basic", tmp_path / "src")
    html = _build(make_app, "html", src, tmp_path / "b", fresh=True)
    dirhtml = _build(make_app, "dirhtml", src, tmp_path / "b")
    assert export_record("html", html.outdir, html.doctreedir) != export_record(
        "dirhtml", dirhtml.outdir, dirhtml.doctreedir
    )
    one = (Path(html.outdir) / "mlrefarch.json").read_bytes()
    two = (Path(dirhtml.outdir) / "mlrefarch.json").read_bytes()
    assert one != two  # pages are addressed differently
    assert one == _fresh_bytes(make_app, "html", src, tmp_path)
    assert two == _fresh_bytes(make_app, "dirhtml", src, tmp_path)
