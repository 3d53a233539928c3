"""What the commands share: exit codes, the user-error exception, loading a data file."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # the model loads in the commands that read one: not for diff or --version
    from ..model import Model, Problem

__all__ = [
    "EXIT_ERROR",
    "EXIT_MISSING",
    "EXIT_OK",
    "PROG",
    "CliError",
    "load_for_command",
    "usable",
    "verdict",
    "write_data",
    "write_schema",
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
    from ..model import default_model, load_model

    if path is None:
        return default_model()
    result = load_model(path)
    return usable(result.model, result.problems, path, "model")


def write_data(data: dict[str, Any], fmt: str) -> int:
    """``show``: the effective model or catalogue on stdout, as YAML or JSON."""
    if fmt == "json":
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        import yaml  # only the YAML output needs it

        sys.stdout.write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return EXIT_OK


def write_schema(schema: dict[str, Any]) -> int:
    """``schema``: a JSON Schema on stdout, for editors' completion."""
    sys.stdout.write(json.dumps(schema, indent=2) + "\n")
    return EXIT_OK


def verdict(path: str, problems: Sequence[Problem], what: str, unusable: bool) -> int | None:
    """``validate``: print each problem and the verdict; the exit status, None when valid."""
    for problem in problems:
        print(problem)
    if unusable:
        print(f"{path}: {len(problems)} problem(s); the {what} cannot be used")
        return EXIT_ERROR
    if problems:
        print(f"{path}: {len(problems)} problem(s)")
        return EXIT_MISSING
    return None
