"""Pages named like a block: ordinary references mean what they mean without the extension.

``:any:`` and MyST's ``[text](name)`` ask every domain for a target; a
document, label or other standard target of that name must win silently
(no "more than one target found"), and blocks stay reachable through
``:abb:`` and ``mlrefarch:abb``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

#: Documents and labels named like blocks of the default model, and links to them.
PAGES = {
    "index.md": "# Probe\n\n```{toctree}\n"
    + "".join(f"{name}\n" for name in ("data", "hosting", "security", "labels", "links"))
    + "rstlinks\nbook\n```\n",
    "data.md": "# Our data\n",
    "hosting.md": "# Where we run\n",
    "security.rst": "Security notes\n==============\n",
    "labels.md": "# Labels\n\n(storage)=\n## Disks and buckets\n\n(privacy)=\n## Personal data\n",
    "links.md": (
        "# Links\n\n"
        "* [doc](data)\n* [doc](hosting)\n* [doc](security)\n"
        "* [label](storage)\n* [label](privacy)\n"
        "* {any}`hosting`\n* {any}`storage`\n* {doc}`security`\n* {ref}`privacy`\n"
    ),
    "rstlinks.rst": (
        "rST links\n=========\n\n"
        "* :any:`data`\n* :any:`hosting`\n* :any:`security`\n* :any:`storage`\n"
        "* :doc:`hosting`\n* :ref:`privacy`\n"
    ),
}
#: The book page: blocks defined here when the extension is on.
BOOK = {True: "# Book\n\n```{reference-model}\n```\n", False: "# Book\n"}
#: Block links, only with the extension.
BLOCK_LINKS = "# Blocks\n\n* {abb}`hosting`\n* {mlrefarch:abb}`data`\n* [x](compute)\n"

PLAIN_CONF = 'extensions = ["myst_parser"]\nexclude_patterns = ["_build"]\n'


def hrefs(outdir: Path, page: str) -> list[str]:
    soup = BeautifulSoup((outdir / page).read_text("utf-8"), "html.parser")
    return [item.select_one("a")["href"] for item in soup.select("div[role=main] li, div.body li")]


def build(tmp_path: Path, extension: bool) -> tuple[Path, list[str]]:
    """Build in a process of its own (two Sphinx apps would share docutils' registries)."""
    src = tmp_path / ("with" if extension else "without")
    src.mkdir()
    conf = 'extensions = ["sphinx_mlrefarch", "myst_parser"]\n' if extension else PLAIN_CONF
    (src / "conf.py").write_text(conf + 'suppress_warnings = ["mlrefarch.missing"]\n', "utf-8")
    for name, text in {**PAGES, "book.md": BOOK[extension]}.items():
        (src / name).write_text(text, "utf-8")
    if extension:
        (src / "blocks.md").write_text(BLOCK_LINKS, "utf-8")
        index = src / "index.md"
        index.write_text(index.read_text("utf-8").replace("book\n", "book\nblocks\n"), "utf-8")
    out = tmp_path / f"out-{extension}"
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", str(src), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    warnings = [w for w in re.sub(r"\x1b\[[0-9;]*m", "", done.stderr).splitlines() if w]
    return out, warnings


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, tuple[Path, list[str]]]:
    tmp = tmp_path_factory.mktemp("foreign")
    return {extension: build(tmp, extension) for extension in (False, True)}


def test_references_resolve_as_without_the_extension(
    builds: dict[bool, tuple[Path, list[str]]],
) -> None:
    (plain, plain_warnings), (ours, our_warnings) = builds[False], builds[True]
    assert plain_warnings == []
    assert our_warnings == []  # no "more than one target found", no other warning
    for page in ("links.html", "rstlinks.html"):
        expected = hrefs(plain, page)
        assert len(expected) >= 6 and all(expected), expected
        assert hrefs(ours, page) == expected


def test_blocks_stay_reachable_through_their_roles(
    builds: dict[bool, tuple[Path, list[str]]],
) -> None:
    assert hrefs(builds[True][0], "blocks.html") == [
        "book.html#block-hosting",
        "book.html#block-data",
        "book.html#block-compute",  # no page or label named compute: the block
    ]
