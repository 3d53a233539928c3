"""Helpers shared by the test modules (``from helpers import ...``)."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

#: conf.py of the small projects tests build: the extension and MyST with ::: fences.
BASE_CONF = (
    'extensions = ["sphinx_mlrefarch", "myst_parser"]\n'
    'myst_enable_extensions = ["colon_fence"]\n'
    'exclude_patterns = ["_build"]\n'
)

#: The test roots: ``@pytest.mark.sphinx(testroot=NAME)`` builds ``ROOTS / f"test-{NAME}"``.
ROOTS = Path(__file__).parent / "roots"

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def warnings_of(app: Any) -> list[str]:
    """The warning lines of a build, without colour codes."""
    text = _ANSI.sub("", app.warning.getvalue())
    return [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]


def mlrefarch_warnings(app: Any, subtype: str | None = None) -> list[str]:
    tag = f"[mlrefarch.{subtype}]" if subtype else "[mlrefarch."
    return [w for w in warnings_of(app) if tag in w]


def copy_root(name: str, dest: Path) -> Path:
    """Copy the test root ``test-<name>`` to ``dest`` (which must not exist yet); returns ``dest``.

    For tests that edit the sources, or build one source tree several times into
    separate build directories; one build of a root uses
    ``@pytest.mark.sphinx(testroot=name)`` and the ``app`` fixture instead.
    """
    shutil.copytree(ROOTS / f"test-{name}", dest)
    return dest


def export_of(app: Any) -> dict[str, Any]:
    return json.loads((Path(app.outdir) / "mlrefarch.json").read_text("utf-8"))


#: Elements without an end tag.
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


class _Balance(HTMLParser):
    """Records end tags that do not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} closes {self.open[-1:]}")
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]
            return
        self.open.pop()


def assert_balanced(page: str) -> None:
    """The page is well nested: every element closed, in order (broken HTML fails here)."""
    parser = _Balance()
    parser.feed(page)
    parser.close()
    assert not parser.errors, parser.errors[:5]
    assert not parser.open, f"unclosed elements: {parser.open}"
