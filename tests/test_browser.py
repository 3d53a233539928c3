"""The reference book in a real browser: Debian's Chromium driven by Playwright.

Builds ``docs/`` with mermaid.js served locally (npm's ``mermaid`` package
in ``tests/browser/node_modules``; ``.ci/run`` installs it and Chromium),
serves it over ``http.server`` on 127.0.0.1 and checks what a reader sees.
Screenshots go to ``test-output/browser/``. Without the docs extra, Chromium,
Playwright or the mermaid package the test is skipped with the reason
(``pytest -ra`` prints it), never passed silently; CI requires them all.
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
from external import missing, version_of

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
MERMAID_DIST = ROOT / "tests" / "browser" / "node_modules" / "mermaid" / "dist"
SCREENSHOTS = ROOT / "test-output" / "browser"

pytestmark = pytest.mark.browser


def _missing() -> str | None:
    if version_of("sphinx") < (7, 4) or version_of("furo") == (0,):
        return "the reference book needs the docs extra (furo, Sphinx 7.4+: pip install .[docs])"
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
        missing("browser", reason)
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
    problems = ("WARNING", "ERROR", "CRITICAL")
    assert not any(word in result.stderr for word in problems), result.stderr
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


def assert_in_viewport(page: Any, selector: str) -> None:
    """The element ends up on screen: the browser scrolls to a fragment only after loading."""
    from playwright.sync_api import expect

    expect(page.locator(selector).first).to_be_in_viewport(timeout=5000)


def test_product_link_reaches_its_catalogue_row_and_back(site: str, page: Any) -> None:
    page.goto(f"{site}/examples/fraud/development.html")
    link = page.locator("span.mlrefarch-sbb-known > a[href*='catalogue.html#sbb-']").first
    name = link.inner_text().strip()
    anchor = (link.get_attribute("href") or "").split("#", 1)[1]
    licence = link.locator("xpath=following-sibling::span[1]").inner_text()
    link.click()
    page.wait_for_url(f"**/catalogue.html#{anchor}")
    row = page.locator(f"tr:has(#{anchor})")
    assert row.count() == 1
    assert_in_viewport(page, f"#{anchor}")
    assert name in row.locator("td").nth(0).inner_text()
    assert row.locator("td").nth(1).inner_text().strip() in licence  # " (MIT)"
    # "Used by" links back to the box that names the product
    back = row.locator("td").last.locator("a", has_text="card-fraud").first
    href = back.get_attribute("href") or ""
    assert "examples/fraud/" in href and "#" in href
    back.click()
    page.wait_for_url(f"**/{href}")  # the catalogue page is at the root: href is root-relative
    target = href.split("#", 1)[1]
    assert page.locator(f"#{target}").is_visible()
    assert_in_viewport(page, f"#{target}")


def test_inventory_lists_products_with_working_links(site: str, page: Any) -> None:
    page.goto(f"{site}/inventory.html")
    tables = page.locator("table.mlrefarch-sbb-usage")
    assert tables.count() == 2 and tables.first.is_visible()
    imported = page.locator("table.mlrefarch-sbb-usage .mlrefarch-badge.mlrefarch-imported")
    assert imported.count() > 0 and "imported from payments" in imported.first.inner_text()
    pages: dict[str, str] = {}
    internal = tables.first.locator("a.reference.internal").all()
    assert len(internal) > 20
    for link in internal:
        href = link.get_attribute("href") or ""
        path, _, anchor = href.partition("#")
        if path not in pages:
            pages[path] = page.request.get(f"{site}/{path}").text()
        assert f'id="{anchor}"' in pages[path], href
    # imported solutions link to their own site; nothing is fetched from it
    assert page.locator("a.mlrefarch-imported[href^='https://payments.example.org/']").count()
    assert [u for u in page.external_requests if not u.startswith(site)] == []


def test_screenshots(site: str, page: Any) -> None:
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    for name, path in (
        ("fraud", "examples/fraud/index.html"),
        ("triage", "examples/triage.html"),
        ("portfolio", "portfolio.html"),
        ("model", "model/index.html"),
        ("catalogue", "catalogue.html"),
        ("inventory", "inventory.html"),
    ):
        page.goto(f"{site}/{path}")
        if page.locator("pre.mermaid").count():
            wait_for_diagrams(page)
        target = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000


def test_model_diagram_bands_are_full_width_and_legible(site: str, browser: Any) -> None:
    """Every layer is a band of one width, labels are readable, light and dark."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme=scheme)
        page = context.new_page()
        try:
            page.goto(f"{site}/examples/fraud/index.html")
            wait_for_diagrams(page)
            diagram = page.locator(".mlrefarch-diagram pre.mermaid").first
            # measured once the diagram is drawn (sphinxcontrib-mermaid may draw it twice)
            measured = page.wait_for_function(
                """() => {
                    const pre = document.querySelector('.mlrefarch-diagram pre.mermaid');
                    const svg = pre && pre.querySelector('svg');
                    const label = svg && svg.querySelector('g.node .nodeLabel');
                    const bands = svg ? [...svg.querySelectorAll('g.cluster')] : [];
                    if (!label || bands.length < 5) return null;
                    const shown = svg.getBoundingClientRect();
                    const scale = shown.width / svg.viewBox.baseVal.width;
                    return {
                        width: shown.width,
                        container: pre.getBoundingClientRect().width,
                        bands: bands.map(g => g.getBoundingClientRect()).map(
                            b => [Math.round(b.left), Math.round(b.width)]),
                        font: parseFloat(getComputedStyle(label).fontSize) * scale,
                    };
                }""",
                timeout=30_000,
            ).json_value()
            assert len(measured["bands"]) == 5
            lefts = {left for left, _ in measured["bands"]}
            widths = {width for _, width in measured["bands"]}
            assert len(lefts) == 1 and max(widths) - min(widths) <= 1, measured
            assert min(widths) >= 0.95 * measured["container"], measured  # full width
            assert measured["font"] >= 12, measured  # legible at the book's width
            diagram.screenshot(path=str(SCREENSHOTS / f"diagram-{scheme}.png"))
        finally:
            context.close()


def test_model_diagram_tooltips_carry_no_markup(tmp_path: Path, browser: Any) -> None:
    """A block title with markup shows as text in the tooltip; nothing is injected."""
    reason = _missing()
    if reason:
        missing("browser", reason)
    src = tmp_path / "src"
    src.mkdir()
    (src / "model.yaml").write_text(
        "extends: default\nblocks:\n"
        "  - id: data-tools\n    title: 'Evil \"><img src=x onerror=alert(1)>'\n",
        "utf-8",
    )
    static = src / "_static"
    static.mkdir()
    shutil.copy(MERMAID_DIST / "mermaid.esm.min.mjs", static)
    chunks = Path("chunks") / "mermaid.esm.min"
    shutil.copytree(MERMAID_DIST / chunks, static / chunks)
    (src / "conf.py").write_text(
        'extensions = ["sphinx_mlrefarch"]\nmlrefarch_model = "model.yaml"\n'
        'html_static_path = ["_static"]\nmermaid_use_local = "mermaid.esm.min.mjs"\n',
        "utf-8",
    )
    (src / "index.rst").write_text(
        "Index\n=====\n\n.. abb-diagram::\n\n.. reference-model::\n   :layers: data\n", "utf-8"
    )
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    page = context.new_page()
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        wait_for_diagrams(page)
        node = page.locator("pre.mermaid svg g.node[id*='b_data_tools']").first
        node.hover()
        page.wait_for_timeout(300)
        assert page.locator("pre.mermaid svg img, .mermaidTooltip img").count() == 0
        title = node.evaluate("n => (n.closest('a') || n).getAttribute('title') || ''")
        tooltip = page.locator(".mermaidTooltip").first.inner_text()
        shown = title or tooltip
        assert "img src=x" in shown  # the title is there, as text
        assert alerts == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()
