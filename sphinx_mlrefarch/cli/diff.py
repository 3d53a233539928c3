"""``mlrefarch diff OLD NEW``: what a change did to the portfolio, for reviewers and CI.

This module reads and checks the two files; :mod:`sphinx_mlrefarch.diff`
compares them and :mod:`sphinx_mlrefarch.reports.diff` renders the result.
Exit status: 0 no regression; 1 a regression, or with ``--fail-on change``
any difference; 2 an input that is not a readable ``mlrefarch.json`` (one
``mlrefarch: error:`` line naming the file, nothing on stdout).

Every ``mlrefarch`` command builds this parser, so the comparison, the
schema and jsonschema are imported in the handler: ``mlrefarch --version``
and the other commands do not pay for them.

Files are checked against the shipped schema as the comparison reads them
(:func:`reading_schema`): keys it does not read are not checked and may be
absent, so files of an older or newer release (which add keys such as
``uri``, ``catalogue`` or ``profiles``) compare. Solutions are checked only
where the two files differ: an entry equal in both contributes nothing to
the diff, and checking every entry of a file of a thousand solutions
(5.5 MB) takes 0.4 s (measured), more than all the rest of the command,
against milliseconds for the few entries a change touches.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .common import EXIT_MISSING, EXIT_OK, CliError

__all__ = ["add_parser", "read_export", "reading_schema"]

HELP = "compare two mlrefarch.json files (before and after a change)"
DESCRIPTION = (
    "Compare two mlrefarch.json files, or two build output directories holding one: solutions "
    "added and removed, coverage before and after, block status changes, newly missing blocks, "
    "products (SBBs) named per block, constraint and hosting choice changes, model blocks added "
    "or removed, imports and catalogue entries added, removed or changed. Exit status: 0 no "
    "regression, 1 a regression (or any change with --fail-on change), 2 unreadable or invalid "
    "input."
)

FAIL_ON = ("regression", "change", "never")
FORMATS = ("text", "markdown", "json")

#: The keys the comparison reads, wherever they occur: only their schema is checked.
READ = frozenset(
    {
        "version", "model", "solutions", "id", "title", "blocks", "owner", "status",
        "profiles", "strict", "required", "coverage", "satisfied", "percent", "missing",
        "constraints", "aspect", "affects", "priority", "source", "hosting", "environment",
        "platform", "provider", "compute", "containers", "storage", "network", "availability",
        "declarations", "block", "sbb", "sbb_resolved", "name", "licence", "foss", "via",
        "imports", "url", "catalogue", "entries",
    }
)  # fmt: skip
#: The keys it cannot do without (every release writes them); any other key may be absent.
NEEDED = frozenset(
    {
        "version", "model", "solutions", "id", "title", "blocks", "required", "coverage",
        "satisfied", "percent", "missing", "constraints", "hosting",
    }
)  # fmt: skip


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

    old_name, old = read_export(args.old)
    new_name, new = read_export(args.new)
    check_exports({old_name: old, new_name: new} if old_name != new_name else {old_name: old})
    diff = compare(old, new)
    render = {"json": json_diff, "markdown": markdown_diff}.get(args.format, text_diff)
    print(render(diff), end="")
    if args.fail_on == "change":
        return EXIT_MISSING if diff.changed else EXIT_OK
    if args.fail_on == "regression":
        return EXIT_MISSING if regressions(diff) else EXIT_OK
    return EXIT_OK


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


# --------------------------------------------------------------------------
# checking
# --------------------------------------------------------------------------


def _prune(node: Any, defs: Mapping[str, Any], inlining: tuple[str, ...] = ()) -> Any:
    """``node`` with :data:`READ`/:data:`NEEDED` applied and local references inlined."""
    if isinstance(node, list):
        return [_prune(item, defs, inlining) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref", "")
    name = ref.removeprefix("#/$defs/")
    if len(node) == 1 and ref != name and name in defs and name not in inlining:
        return _prune(defs[name], defs, (*inlining, name))
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "properties":
            out[key] = {p: _prune(sub, defs, inlining) for p, sub in value.items() if p in READ}
        elif key == "required":
            out[key] = [p for p in value if p in NEEDED]
        elif key in ("additionalProperties", "unevaluatedProperties") and value is False:
            continue  # keys of other releases are welcome
        else:
            out[key] = _prune(value, defs, inlining)
    return out


@cache
def reading_schema() -> dict[str, Any]:
    """The shipped ``mlrefarch.schema.json`` as the comparison reads files.

    Properties outside :data:`READ` are dropped (not checked), ``required``
    keeps only :data:`NEEDED` keys, unknown keys are allowed, and ``version``
    is any format version up to this release's (a newer one is refused
    before, with its own message). References into ``$defs`` are inlined:
    that halves the time jsonschema takes per solution (measured), the
    schema has no recursive definitions.
    """
    from ..jsonformat import FORMAT_VERSION, export_schema

    shipped = export_schema()
    schema: dict[str, Any] = _prune(shipped, shipped.get("$defs", {}))
    schema["properties"]["version"] = {"type": "integer", "minimum": 1, "maximum": FORMAT_VERSION}
    return schema


@cache
def _validators() -> tuple[Any, Any]:
    """Validators of a file without its solutions' content, and of one solution."""
    import jsonschema
    from referencing import Registry

    schema = reading_schema()
    solution = schema["properties"]["solutions"]["additionalProperties"]
    outline = dict(schema, properties=dict(schema["properties"]))
    outline["properties"]["solutions"] = {
        "type": "object",
        "additionalProperties": {"type": "object"},
    }
    solution = {"$schema": schema["$schema"], "$defs": schema.get("$defs", {}), **solution}
    cls = jsonschema.validators.validator_for(schema)
    # An empty registry: a reference the schema does not hold fails, never fetches.
    return cls(outline, registry=Registry()), cls(solution, registry=Registry())


def check_exports(files: Mapping[str, Any]) -> None:
    """Refuse (CliError) a file that is not an ``mlrefarch.json`` this release can compare.

    Solutions are checked where the files differ (see the module docstring).
    """
    from ..jsonformat import FORMAT_VERSION

    outline, solution = _validators()
    for name, data in files.items():
        version = data.get("version") if isinstance(data, dict) else None
        if type(version) is int and version > FORMAT_VERSION:
            raise CliError(
                f"{name}: format version {version} is newer than this sphinx-mlrefarch reads "
                f"(up to {FORMAT_VERSION}); compare it with a newer sphinx-mlrefarch"
            )
        _raise_first(name, data, outline.iter_errors(data), ())
    solutions = [data["solutions"] for data in files.values()]
    differ = {sid for s in solutions for sid in s if any(o.get(sid) != s[sid] for o in solutions)}
    for name, data in files.items():
        for sid, entry in data["solutions"].items():
            if sid in differ:
                _raise_first(name, data, solution.iter_errors(entry), ("solutions", sid))


def _raise_first(name: str, data: Any, errors: Iterable[Any], prefix: tuple[Any, ...]) -> None:
    """Raise CliError for the error that comes first in the file, if there is one."""
    found = [
        (_document_order(data, (*prefix, *e.absolute_path)), str(e.validator), e) for e in errors
    ]
    if not found:
        return
    error = min(found, key=lambda item: item[:2])[2]
    path = json_path((*prefix, *error.absolute_path))
    raise CliError(f"{name}: not a valid mlrefarch.json: {path}: {_explain(error)}")


def _document_order(data: Any, path: Iterable[Any]) -> tuple[int, ...]:
    order = []
    for part in path:
        if isinstance(data, dict):
            order.append(list(data).index(part))
        elif isinstance(data, list):
            order.append(int(part))
        data = data[part]
    return tuple(order)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def json_path(path: Iterable[Any]) -> str:
    """``("solutions", "churn", "hosting", 0)`` as ``$.solutions.churn.hosting[0]``."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _NAME.match(part):
            out += f".{part}"
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


_KINDS = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"a number ({value})"
    return _KINDS.get(type(value), type(value).__name__)


def _explain(error: Any) -> str:
    """A schema error as what would be right, short even when the value is large."""
    if error.validator == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        words = " or ".join(
            n if n == "null" else f"{'an' if n[0] in 'aeiou' else 'a'} {n}" for n in names
        )
        return f"expected {words}, got {_kind(error.instance)}"
    if error.validator == "required":
        return error.message.replace("property", "key")
    if error.validator == "enum":
        allowed = ", ".join(repr(v) for v in error.validator_value)
        return f"{error.instance!r} is not allowed; expected one of {allowed}"
    message = str(error.message)
    return message if len(message) <= 200 else message[:197] + "..."
