"""``uri`` in mlrefarch.json: where another project links each declaration (issue 10, item 1)."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup
from helpers import ROOTS
from sphinx.cmd.build import build_main

from sphinx_mlrefarch.export import export_schema


def build(builder: str, out: Path) -> dict:
    import json

    assert build_main(["-q", "-b", builder, str(ROOTS / "test-basic"), str(out)]) == 0
    data = json.loads((out / "mlrefarch.json").read_text("utf-8"))
    jsonschema.validate(data, export_schema())
    return data


def items_with_uri(data: dict) -> list[dict]:
    out = []
    for solution in data["solutions"].values():
        out.append(solution)
        for key in ("declarations", "constraints", "hosting"):
            out += solution[key]
    return out


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml"])
def test_every_uri_names_a_page_and_an_anchor_that_exist(tmp_path: Path, builder: str) -> None:
    out = tmp_path / builder
    items = items_with_uri(build(builder, out))
    assert len(items) > 15
    pages: dict[str, BeautifulSoup] = {}
    for item in items:
        page, sep, anchor = item["uri"].partition("#")
        assert sep and anchor, item
        file = out / (page + "index.html" if page.endswith("/") else page)
        if file not in pages:
            assert file.is_file(), (item, file)
            pages[file] = BeautifulSoup(file.read_text("utf-8"), "html.parser")
        assert pages[file].find(id=anchor) is not None, item


def test_builders_without_pages_write_null(tmp_path: Path) -> None:
    for builder in ("mlrefarch", "text"):
        items = items_with_uri(build(builder, tmp_path / builder))
        assert items and all(item["uri"] is None for item in items), builder


def test_html_uri_of_a_declaration(tmp_path: Path) -> None:
    data = build("html", tmp_path / "html")
    churn = data["solutions"]["churn"]
    assert churn["uri"] == "solutions/churn/index.html#solution-churn"
    tools = next(d for d in churn["declarations"] if d["block"] == "data-tools")
    assert tools["uri"] == "solutions/churn/data.html#abb-data-tools"
    hosting = [d for d in churn["declarations"] if d["via"] == "hosting-choice"]
    assert {d["uri"] for d in hosting} <= {h["uri"] for h in churn["hosting"]}
    assert len({h["uri"] for h in churn["hosting"]}) == len(churn["hosting"]) == 2
