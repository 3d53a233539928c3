"""The reference book in a real browser: Debian's Chromium driven by Playwright.

Builds ``docs/`` with mermaid.js served locally (npm's ``mermaid`` package
in ``tests/browser/node_modules``; ``.ci/run`` installs it and Chromium),
serves it over ``http.server`` on 127.0.0.1 and checks what a reader sees.
Screenshots go to ``test-output/browser/``. Without Chromium, Playwright or
the mermaid package the test is skipped with the reason (``pytest -ra``
prints it), never passed silently.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
MERMAID_DIST = ROOT / "tests" / "browser" / "node_modules" / "mermaid" / "dist"
SCREENSHOTS = ROOT / "test-output" / "browser"

pytestmark = pytest.mark.browser


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not installed (apt-get install chromium)"
    if not (MERMAID_DIST / "mermaid.esm.min.mjs").exists():
        return f"mermaid not installed in {MERMAID_DIST.parent} (npm ci in tests/browser)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright)"
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("book")
    env = {**os.environ, "MLREFARCH_MERMAID_DIST": str(MERMAID_DIST)}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(ROOT / "docs"), str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    assert list(out.rglob("mermaid.esm.min.mjs")), "mermaid.js was not copied into the site"
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ES modules with a JavaScript type (browsers refuse others) and logs nothing."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser(site: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.external_requests = requests  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


def wait_for_diagrams(page: Any) -> int:
    """Wait until every mermaid block on the page holds an SVG; return their number."""
    count = page.locator("pre.mermaid").count()
    assert count > 0
    page.wait_for_function(
        "() => [...document.querySelectorAll('pre.mermaid')].every(p => p.querySelector('svg'))",
        timeout=30_000,
    )
    return count


def test_coverage_table_matches_export(site: str, page: Any) -> None:
    page.goto(f"{site}/examples/triage.html")
    table = page.locator("table.mlrefarch-coverage").first
    assert table.is_visible()
    export = json.loads(page.request.get(f"{site}/mlrefarch.json").text())
    statuses = export["solutions"]["ticket-triage"]["coverage"]["blocks"]
    titles = {bid: b["title"] for bid, b in export["model"]["blocks"].items()}
    rows = table.locator("tbody tr:not(.mlrefarch-layer-row)").all()
    seen = {}
    for row in rows:
        cells = row.locator("td").all()
        if len(cells) == 4:
            seen[cells[0].inner_text().strip()] = cells[1]
    assert len(seen) == len(statuses) == 20
    for block_id, status in statuses.items():
        cell = seen[titles[block_id]]
        assert f"mlrefarch-status-{status}" in (cell.get_attribute("class") or "")
        assert status.replace("-", " ") in cell.inner_text()
    assert "missing" in statuses.values() and "planned" in statuses.values()
    missing = table.locator("td.mlrefarch-status-missing").first
    colour = missing.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # the stylesheet is applied


def test_every_diagram_renders_and_nothing_loads_from_outside(site: str, page: Any) -> None:
    for path in ("model/index.html", "examples/fraud/index.html", "model/process.html"):
        page.goto(f"{site}/{path}")
        assert wait_for_diagrams(page) >= 1
    outside = [url for url in page.external_requests if not url.startswith(site)]
    assert outside == []


def test_block_node_navigates_to_definition(site: str, page: Any) -> None:
    page.goto(f"{site}/examples/fraud/index.html")
    wait_for_diagrams(page)
    node = page.locator("pre.mermaid svg a:has(g[id*='b_data_tools'])").first
    # sphinxcontrib-mermaid may render twice (its fullscreen support re-runs
    # mermaid); let Playwright wait for the final node instead of counting once
    node.wait_for(state="visible", timeout=15_000)
    node.click()
    page.wait_for_url("**/model/index.html#block-data-tools")
    heading = page.locator("section#block-data-tools > :is(h2, h3, h4, h5)").first
    assert heading.is_visible()
    assert "Data Tools" in heading.inner_text()


def test_abb_role_link_navigates_to_definition(site: str, page: Any) -> None:
    page.goto(f"{site}/examples/fraud/index.html")
    link = page.locator("a.reference:has(span.mlrefarch-abb)").first
    href = link.get_attribute("href")
    assert href is not None and "#block-" in href
    anchor = href.split("#", 1)[1]
    link.click()
    page.wait_for_url(f"**#{anchor}")
    assert page.locator(f"section#{anchor}").is_visible()


def test_screenshots(site: str, page: Any) -> None:
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    for name, path in (
        ("fraud", "examples/fraud/index.html"),
        ("triage", "examples/triage.html"),
        ("portfolio", "portfolio.html"),
        ("model", "model/index.html"),
    ):
        page.goto(f"{site}/{path}")
        if page.locator("pre.mermaid").count():
            wait_for_diagrams(page)
        target = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
