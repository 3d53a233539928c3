"""What the commands share: exit codes, the user-error exception, loading a data file."""

from __future__ import annotations

import sys

from ..model import Model, default_model, load_model

__all__ = ["EXIT_ERROR", "EXIT_MISSING", "EXIT_OK", "PROG", "CliError", "load_for_command"]

PROG = "mlrefarch"

EXIT_OK = 0
EXIT_MISSING = 1
EXIT_ERROR = 2


class CliError(Exception):
    """A user error: reported as one line on stderr, exit status 2, no traceback."""


def load_for_command(path: str | None) -> Model:
    """The built-in model, or ``path`` with its problems on stderr (unusable: CliError)."""
    if path is None:
        return default_model()
    result = load_model(path)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.model is None:
        raise CliError(f"{path}: the model cannot be used ({len(result.problems)} problem(s))")
    return result.model
