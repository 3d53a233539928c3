"""Test fixtures: Sphinx's own testing fixtures, the ``project`` builder, the hypothesis profile.

Shared helper functions live in :mod:`helpers` (imported as a module, not from here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import BASE_CONF, ROOTS
from hypothesis import HealthCheck, settings
from sphinx.testing.util import SphinxTestApp

pytest_plugins = ("sphinx.testing.fixtures",)

# Compat shim: the test app's output streams are public (.status, .warning)
# from Sphinx 7.3 on; Sphinx 7.2 keeps them as ._status and ._warning.
if not hasattr(SphinxTestApp, "status"):
    SphinxTestApp.status = property(lambda app: app._status)
    SphinxTestApp.warning = property(lambda app: app._warning)

# One hypothesis profile for the whole suite: no deadline (real builds take
# their time on a loaded machine), no example database in the tree.
settings.register_profile(
    "mlrefarch",
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("mlrefarch")


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture
def project(make_app: Any, tmp_path: Path) -> Any:
    """Build a small project from ``{path: text}``; returns the built app.

    ``conf`` is appended to a conf.py that enables the extension and MyST.
    """

    def build(
        files: dict[str, str],
        conf: str = "",
        buildername: str = "html",
        name: str = "src",
        **kwargs: Any,
    ) -> Any:
        src = tmp_path / name
        src.mkdir(parents=True, exist_ok=True)
        (src / "conf.py").write_text(BASE_CONF + conf, encoding="utf-8")
        for path, text in files.items():
            target = src / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        app = make_app(buildername, srcdir=src, freshenv=True, **kwargs)
        app.build()
        return app

    return build
