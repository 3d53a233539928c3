"""A second project links to the book's building blocks through intersphinx.

The inventory is read from the first build's ``objects.inv`` on disk, so
nothing goes to the network.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers import warnings_of

BOOK_URL = "https://book.example.org/"


@pytest.fixture(scope="module")
def inventory(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book's inventory, built in its own process (one Sphinx app per test here)."""
    out = tmp_path_factory.mktemp("book-html")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(rootdir / "test-basic"), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out / "objects.inv"


def links(app: Any, page: str = "index.html") -> dict[str, str]:
    html = (Path(app.outdir) / page).read_text("utf-8")
    return {
        a.get_text(strip=True): a["href"]
        for a in BeautifulSoup(html, "html.parser").select("a.reference.external")
    }


def test_project_without_the_extension(make_app: Any, tmp_path: Path, inventory: Path) -> None:
    """Blocks are standard labels ``abb-<id>`` too, for projects without the extension."""
    src = tmp_path / "plain"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["sphinx.ext.intersphinx"]\n'
        f"intersphinx_mapping = {{'book': ({BOOK_URL!r}, {str(inventory)!r})}}\n"
    )
    (src / "index.rst").write_text(
        "Other\n=====\n\n"
        "Tools: :external+book:ref:`abb-data-tools`, "
        "hardware: :ref:`book:abb-compute`.\n"
    )
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    assert warnings_of(app) == []
    found = links(app)
    assert found["Data Tools"] == f"{BOOK_URL}book.html#block-data-tools"
    assert found["GPU, CPU or TPU"] == f"{BOOK_URL}book.html#block-compute"


def test_project_with_the_extension_but_no_reference_model(project: Any, inventory: Path) -> None:
    """Its :abb: roles go to the published book when it has no block definitions itself."""
    conf = (
        'extensions.append("sphinx.ext.intersphinx")\n'
        f"intersphinx_mapping = {{'book': ({BOOK_URL!r}, {str(inventory)!r})}}\n"
    )
    app = project(
        {
            "index.rst": (
                "Team notes\n==========\n\n"
                "We still need :abb:`Data Tools` and :abb:`storage <Storage>`; "
                "see also :abb:`gpu`.\n"
            )
        },
        conf=conf,
    )
    assert warnings_of(app) == []
    found = links(app)
    assert found["Data Tools"] == f"{BOOK_URL}book.html#block-data-tools"
    assert found["storage"] == f"{BOOK_URL}book.html#block-storage"
    assert found["GPU, CPU or TPU"] == f"{BOOK_URL}book.html#block-compute"


def test_real_block_without_any_definition_is_plain_text(project: Any) -> None:
    app = project({"index.rst": "Notes\n=====\n\nSee :abb:`data-tools`.\n"})
    assert warnings_of(app) == []
    html = (Path(app.outdir) / "index.html").read_text("utf-8")
    page = BeautifulSoup(html, "html.parser")
    span = page.select_one("span.mlrefarch-abb")
    assert span.get_text() == "Data Tools"
    assert span.find_parent("a") is None
