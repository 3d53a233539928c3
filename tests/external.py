"""What a test needs from outside its own environment, and what happens when it is missing.

Some tests drive tools that do not live in the test environment: Jupyter Book
and pre-commit each in a virtual environment of their own (``dev.py`` makes
them and passes their paths in environment variables), Chromium for the
browser test. On a contributor's machine a missing tool skips the test with
the reason (``pytest -ra`` prints it). In CI, ``MLREFARCH_REQUIRE_TOOLS=1``
turns that skip into a failure, so a broken install step cannot pass as a
green run that tested less. The variable may also name the tools that must
be there (``jupyter-book,pre-commit``): ``dev.py`` narrows it so for stacks
that cannot run a test at all (the browser test needs the docs extra).
"""

from __future__ import annotations

import os
import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NoReturn

import pytest

REQUIRE = "MLREFARCH_REQUIRE_TOOLS"


def required(tool: str) -> bool:
    """True when this run must not skip a test for want of ``tool``."""
    value = os.environ.get(REQUIRE, "").strip()
    if value in ("", "0"):
        return False
    return value == "1" or tool in {name.strip() for name in value.split(",")}


def missing(tool: str, reason: str) -> NoReturn:
    """Skip the test for want of ``tool``, or fail it where the tool is required."""
    if required(tool):
        pytest.fail(f"{tool} is required here ({REQUIRE}) but {reason}", pytrace=False)
    pytest.skip(f"{tool}: {reason}")


def executable(variable: str, tool: str, how: str) -> Path:
    """The executable named by the environment variable ``variable``.

    ``how`` says how to get it (``python3 dev.py test`` sets the variable).
    """
    value = os.environ.get(variable)
    if not value:
        missing(tool, f"{variable} is not set ({how})")
    path = Path(value)
    if not (path.is_file() and os.access(path, os.X_OK)):
        missing(tool, f"{variable}={value} is not an executable file ({how})")
    return path


def offline(env: dict[str, str]) -> dict[str, str]:
    """``env`` with every proxy variable pointing at a closed local port.

    A tool run in a subprocess that tries to download anything fails at once
    instead of reaching a registry, so a test cannot pass only because it was online.
    """
    dead = "http://127.0.0.1:9"
    names = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
    closed = {**env, **{n: dead for n in names}, **{n.lower(): dead for n in names}}
    return {k: v for k, v in closed.items() if k not in ("NO_PROXY", "no_proxy")}


def version_of(distribution: str) -> tuple[int, ...]:
    """The leading numeric release parts of an installed distribution ((0,) if absent)."""
    try:
        text = version(distribution)
    except PackageNotFoundError:
        return (0,)
    numbers = re.match(r"\d+(?:\.\d+)*", text)
    return tuple(int(part) for part in numbers.group().split(".")) if numbers else (0,)
