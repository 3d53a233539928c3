"""Helpers of the command-line tests ``test_cli_catalogue`` and ``test_cli_new``.

Imported as ``from cli_helpers import ...``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from sphinx_mlrefarch.cli import main

_ANSI = re.compile(r"\x1b\[[0-9;]*m")

#: A tailored model without the containers block (Docker, LXD and FreeBSD
#: jails realise only that block in the built-in catalogue; Kubernetes also
#: realises hosting).
NO_CONTAINERS_MODEL = "extends: default\nremove: [containers]\n"

#: A model with one problem (an unknown layer) that can still be used.
BAD_LAYER_MODEL = """\
extends: default
blocks:
  - id: feature-store
    title: Feature Store
    layer: dta
"""

#: YAML that cannot be parsed: the flow mapping is never closed.
BROKEN_YAML = "extends: default\nentries: [{id: pandas, name: x\n  licence: MIT\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command in-process; return its exit status, stdout and stderr (no colours)."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, _ANSI.sub("", err)


def assert_clean_error(err: str) -> None:
    """A user error is one ``mlrefarch: error:`` line, never a traceback."""
    assert "Traceback" not in err
    assert re.search(r"^mlrefarch: error: \S", err, re.MULTILINE), err


def write(path: Path, text: str) -> str:
    """Write ``text`` to ``path``; return the path as the command line spells it."""
    path.write_text(text, "utf-8")
    return str(path)


def build_html(srcdir: Path) -> str:
    """Build ``srcdir`` with Sphinx's HTML builder; return its warnings, without colours."""
    warnings = io.StringIO()
    with docutils_namespace():
        app = Sphinx(
            srcdir=srcdir,
            confdir=srcdir,
            outdir=srcdir / "_build" / "html",
            doctreedir=srcdir / "_build" / "doctrees",
            buildername="html",
            status=None,
            warning=warnings,
            freshenv=True,
        )
        app.build()
    return _ANSI.sub("", warnings.getvalue())
