"""No build writes into the source directory.

``sphinx-autobuild`` rebuilds whenever a file under the source directory
changes; a build that wrote there (a cache, a generated page, a copied
asset) would trigger the next build, for ever. Every file and folder of a
source tree is recorded (path, size, modification time) before and after
``sphinx-build -b html`` (twice, the second one incremental),
``sphinx-build -b mlrefarch`` and ``mlrefarch check``, with output and
doctrees outside the tree; rST and MyST test roots.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import copy_root
from sphinx.cmd.build import build_main

from sphinx_mlrefarch.cli import main as mlrefarch

Snapshot = dict[str, tuple[bool, int, int]]


def snapshot(tree: Path) -> Snapshot:
    """Every path under ``tree`` -> (is a folder, size, mtime in ns)."""
    found: Snapshot = {}
    for folder, dirs, files in os.walk(tree):
        for name in dirs + files:
            path = Path(folder, name)
            info = path.stat()
            found[str(path.relative_to(tree))] = (path.is_dir(), info.st_size, info.st_mtime_ns)
    return found


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    return sorted(
        f"{'added' if path not in before else 'removed' if path not in after else 'changed'}: "
        f"{path}"
        for path in before.keys() | after.keys()
        if before.get(path) != after.get(path)
    )


def sphinx_build(src: Path, out: Path, builder: str) -> None:
    status = build_main(["-q", "-b", builder, "-d", str(out / "doctrees"), str(src), str(out)])
    assert status == 0


def test_snapshot_sees_a_write(tmp_path: Path) -> None:
    """Positive control: a new file, a changed size and a touched file all show."""
    src = copy_root("basic", tmp_path / "src")
    before = snapshot(src)
    (src / "new.rst").write_text("New\n===\n", "utf-8")
    with (src / "index.rst").open("a", encoding="utf-8") as page:
        page.write("\n")
    os.utime(src / "notes.rst", ns=(1, 1))
    assert changes(before, snapshot(src)) == [
        "added: new.rst",
        "changed: index.rst",
        "changed: notes.rst",
    ]


@pytest.mark.parametrize("root", ["basic", "myst"])
@pytest.mark.parametrize("how", ["html", "mlrefarch", "check"])
def test_build_leaves_the_source_tree_alone(
    tmp_path: Path, root: str, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    src = copy_root(root, tmp_path / "src")
    out = tmp_path / "out"
    before = snapshot(src)
    assert before, "the test root is empty"
    if how == "check":
        assert mlrefarch(["check", str(src)]) in (0, 1), capsys.readouterr().err
        assert "solution" in capsys.readouterr().out.lower()
    else:
        sphinx_build(src, out, how)
        if how == "html":
            sphinx_build(src, out, how)  # the incremental rebuild autobuild runs
        assert (out / ("index.html" if how == "html" else "mlrefarch.json")).is_file()
    assert changes(before, snapshot(src)) == []
