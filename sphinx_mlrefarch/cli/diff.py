"""``mlrefarch diff OLD NEW``: what a change did to the portfolio, for reviewers and CI.

This module reads and checks the two files; :mod:`sphinx_mlrefarch.diff`
compares them and :mod:`sphinx_mlrefarch.reports.diff` renders the result.
Exit status: 0 no regression; 1 a regression, or with ``--fail-on change``
any difference; 2 an input that is not a readable ``mlrefarch.json`` (one
``mlrefarch: error:`` line naming the file, nothing on stdout).

Every ``mlrefarch`` command builds this parser, so the comparison, the
schema and jsonschema are imported in the handler: ``mlrefarch --version``
and the other commands do not pay for them.

Files are checked as the comparison reads them (:mod:`.diff_check`). The
cyclic garbage collector is off while the files are parsed and compared:
parsing makes millions of containers, none of them in a cycle, and the
collector's passes over them cost more than the parse (0.33 s against
0.13 s per file of 24.5 MB, measured).
"""

from __future__ import annotations

import argparse
import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .common import EXIT_MISSING, EXIT_OK, CliError

__all__ = ["add_parser", "read_export"]

HELP = "compare two mlrefarch.json files (before and after a change)"
DESCRIPTION = (
    "Compare two mlrefarch.json files, or two build output directories holding one: solutions "
    "added and removed, coverage before and after, block status changes, newly missing blocks, "
    "products (SBBs) and owners named per block, constraint and hosting choice changes, model "
    "blocks added or removed, imports and catalogue entries added, removed or changed. Exit "
    "status: 0 no regression, 1 a regression (or any change with --fail-on change), 2 "
    "unreadable or invalid input."
)

FAIL_ON = ("regression", "change", "never")
FORMATS = ("text", "markdown", "json")


def add_parser(commands: Any) -> None:
    diff = commands.add_parser("diff", help=HELP, description=DESCRIPTION)
    diff.add_argument(
        "old", metavar="OLD", help="mlrefarch.json before the change, or the directory holding it"
    )
    diff.add_argument(
        "new", metavar="NEW", help="mlrefarch.json after the change, or the directory holding it"
    )
    diff.add_argument("--format", choices=FORMATS, default="text", help="(default: text)")
    diff.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="regression",
        help="what makes the exit status 1 (default: regression)",
    )
    diff.set_defaults(handler=cmd_diff)


def cmd_diff(args: argparse.Namespace) -> int:
    """``mlrefarch diff``: compare, print the report, and exit by ``--fail-on``."""
    from ..diff import compare, regressions
    from ..reports.diff import json_diff, markdown_diff, text_diff
    from .diff_check import check_exports

    with _collector_off():
        old_name, old = read_export(args.old)
        new_name, new = read_export(args.new)
        check_exports({old_name: old, new_name: new} if old_name != new_name else {old_name: old})
        diff = compare(old, new)
        del old, new  # freed here, or the collector's first pass afterwards walks them all
    render = {"json": json_diff, "markdown": markdown_diff}.get(args.format, text_diff)
    print(render(diff), end="")
    if args.fail_on == "change":
        return EXIT_MISSING if diff.changed else EXIT_OK
    if args.fail_on == "regression":
        return EXIT_MISSING if regressions(diff) else EXIT_OK
    return EXIT_OK


@contextmanager
def _collector_off() -> Iterator[None]:
    """No cyclic garbage collection inside (see the module docstring); as before after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# --------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------


def read_export(arg: str) -> tuple[str, Any]:
    """The file ``arg`` names (or the ``mlrefarch.json`` in the directory), parsed.

    Returns the name to use in messages and the JSON value; raises
    :class:`CliError` for anything that is not a readable JSON document.
    """
    from ..jsonformat import FILENAME

    path = Path(arg)
    if path.is_dir():
        if not (path / FILENAME).is_file():
            found = sorted(path.glob(f"*/{FILENAME}"))
            hint = f"; there is one in {found[0].parent}" if found else ""
            raise CliError(
                f"{arg}: the directory holds no {FILENAME}{hint}; give a build output "
                f"directory (sphinx-build -b mlrefarch SRC OUT writes OUT/{FILENAME}) or the "
                "file itself"
            )
        path = path / FILENAME
    elif not path.exists():
        raise CliError(
            f"{arg}: no such file or directory; give an {FILENAME} or the build output "
            "directory that holds one"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CliError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return str(path), parse_json(str(path), raw)


class _ConstantError(ValueError):
    """``NaN`` or ``Infinity``: Python's json accepts them, JSON does not."""


def _reject_constant(name: str) -> Any:
    raise _ConstantError(name)


def parse_json(name: str, raw: bytes) -> Any:
    """Parse the bytes of ``name`` as strict JSON in UTF-8, or raise CliError saying why not."""
    expected = "expected the mlrefarch.json a Sphinx build writes (JSON in UTF-8)"
    if not raw.strip():
        raise CliError(f"{name}: the file is empty; {expected}")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise CliError(f"{name}: UTF-16 text, not UTF-8; {expected}")
    if b"\x00" in raw:
        raise CliError(f"{name}: a binary file (it holds NUL bytes), not JSON; {expected}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(
            f"{name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            f"{expected}"
        ) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        where = f"{name}:{exc.lineno}:{exc.colno}"
        rest = text[exc.pos :].rstrip()
        if not rest or (exc.msg.startswith("Unterminated string") and "\n" not in rest):
            raise CliError(
                f"{where}: the JSON ends early ({exc.msg}): a truncated file? Build again to "
                "write it whole"
            ) from None
        raise CliError(f"{where}: invalid JSON: {exc.msg}; {expected}") from None
    except _ConstantError as exc:
        raise CliError(f"{name}: invalid JSON: {exc} is not a JSON value; {expected}") from None
    except RecursionError:
        raise CliError(f"{name}: JSON nested too deeply; {expected}") from None
