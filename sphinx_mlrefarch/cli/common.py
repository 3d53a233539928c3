"""What the commands share: exit codes, the user-error exception, loading a data file."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TypeVar

from ..model import Model, Problem, default_model, load_model

__all__ = [
    "EXIT_ERROR",
    "EXIT_MISSING",
    "EXIT_OK",
    "PROG",
    "CliError",
    "load_for_command",
    "usable",
]

PROG = "mlrefarch"

EXIT_OK = 0
EXIT_MISSING = 1
EXIT_ERROR = 2

T = TypeVar("T")


class CliError(Exception):
    """A user error: reported as one line on stderr, exit status 2, no traceback."""


def usable(value: T | None, problems: Iterable[Problem], path: str, what: str) -> T:
    """``value`` loaded from ``path``, its problems on stderr; unusable (None): CliError.

    Every data file a command reads (model, catalogue) ends the same way, so
    the wording of "cannot be used" is the same for all of them.
    """
    found = list(problems)
    for problem in found:
        print(problem, file=sys.stderr)
    if value is None:
        raise CliError(f"{path}: the {what} cannot be used ({len(found)} problem(s))")
    return value


def load_for_command(path: str | None) -> Model:
    """The built-in model, or ``path`` with its problems on stderr (unusable: CliError)."""
    if path is None:
        return default_model()
    result = load_model(path)
    return usable(result.model, result.problems, path, "model")
