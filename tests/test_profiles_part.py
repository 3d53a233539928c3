"""``reference-model :part: profiles``: the model's profiles as a table, in rST and MyST.

The table is made from the model in use, so a model file's own profiles
appear without editing the reference book; what each profile requires is
shown as written (layers by name, blocks linked) with the number of blocks
it makes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from helpers import mlrefarch_warnings, warnings_of

#: The profiles part, and the book itself so that block links have somewhere to go.
PAGES = {
    "rst": (
        "index.rst",
        "Book\n====\n\n.. reference-model::\n   :part: profiles\n\n"
        ".. reference-model::\n   :no-backlinks:\n",
    ),
    "md": (
        "index.md",
        "# Book\n\n```{reference-model}\n:part: profiles\n```\n\n"
        "```{reference-model}\n:no-backlinks:\n```\n",
    ),
}

#: A model of its own: the default one and a profile using every form of reference.
MODEL = """\
extends: default
profiles:
  - id: audit
    title: Audit
    description: For a solution an auditor reads first.
    required: [all]
  - id: data-only
    title: Data only
    required: [block:data-tools, layer:data, storage]
    strict: [storage]
"""


def rows(app: Any, page: str = "index") -> dict[str, list[Tag]]:
    """The table's rows by profile id (the literal in the first cell)."""
    soup = BeautifulSoup((Path(app.outdir) / f"{page}.html").read_text("utf-8"), "html.parser")
    (table,) = soup.select("table.mlrefarch-profiles")
    header = [th.get_text(strip=True) for th in table.select("thead th")]
    assert header == ["Profile", "What it stands for", "Required", "Strict"]
    out = {}
    for row in table.select("tbody tr"):
        cells = row.find_all("td")
        out[cells[0].select_one("code").get_text()] = cells
    return out


@pytest.mark.parametrize("syntax", ["rst", "md"])
def test_built_in_profiles_as_a_table(project: Any, syntax: str) -> None:
    name, text = PAGES[syntax]
    app = project({name: text})
    assert mlrefarch_warnings(app) == [], warnings_of(app)
    found = rows(app)
    assert list(found) == [
        "experiment",
        "framework-comparison",
        "performance-critical",
        "production",
        "life-critical",
    ]
    title, stands, required, strict = found["experiment"]
    assert "Experiment" in title.get_text()
    assert "first question" in stands.get_text()
    text = " ".join(required.get_text().split())
    assert text == (
        "Business Processes, the Data layer, the Development layer, GPU, CPU or TPU, "
        "Privacy (8 blocks)"
    )
    # blocks are links to the reference book's sections; layers are text
    links = [a["href"] for a in required.find_all("a")]
    assert len(links) == 3 and all("#block-" in h for h in links)
    assert strict.get_text(strip=True) == "none"
    strict_links = found["performance-critical"][3].find_all("a")
    assert [a.get_text() for a in strict_links] == ["GPU, CPU or TPU", "Hosting", "Networking"]
    assert " ".join(found["production"][2].get_text().split()) == "every block (20 blocks)"


def test_a_model_files_own_profiles_appear(project: Any) -> None:
    app = project(
        {PAGES["rst"][0]: PAGES["rst"][1], "model.yaml": MODEL},
        conf='mlrefarch_model = "model.yaml"\n',
    )
    assert mlrefarch_warnings(app) == [], warnings_of(app)
    found = rows(app)
    assert list(found)[-2:] == ["audit", "data-only"]
    _title, stands, required, strict = found["data-only"]
    assert stands.get_text(strip=True) == ""  # no description given
    # block:data-tools is the block, layer:data the layer, storage a block
    assert " ".join(required.get_text().split()) == (
        "Data Tools, the Data layer, Storage (3 blocks)"  # data-tools is in the layer
    )
    assert [a.get_text() for a in strict.find_all("a")] == ["Storage"]
    assert " ".join(found["audit"][2].get_text().split()) == "every block (20 blocks)"


def test_a_model_without_profiles_renders_nothing(project: Any) -> None:
    model = "schema: 1\nid: bare\ntitle: Bare\nlayers:\n  - id: one\n    title: One\nblocks:\n"
    model += "  - id: only\n    title: Only\n    layer: one\n"
    app = project(
        {PAGES["rst"][0]: PAGES["rst"][1], "model.yaml": model},
        conf='mlrefarch_model = "model.yaml"\n',
    )
    assert mlrefarch_warnings(app) == [], warnings_of(app)
    page = (Path(app.outdir) / "index.html").read_text("utf-8")
    assert "mlrefarch-part-profiles" in page  # the part is there, ...
    assert "mlrefarch-profiles" not in page.replace("mlrefarch-part-profiles", "")  # ... empty
