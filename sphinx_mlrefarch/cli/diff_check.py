"""Checking the two files of ``mlrefarch diff`` against the format, fast, with located errors.

Files are checked against the shipped schema as the comparison reads them
(:func:`reading_schema`): keys it does not read are not checked and may be
absent, so files of an older or newer release (which add keys such as
``uri``, ``catalogue`` or ``profiles``) compare. Solutions are checked
whole only where the two files differ: an entry equal in both contributes
nothing to the diff but its title and coverage counts, which the outline
check covers.

Speed, for an office's file of a thousand solutions (24.5 MB): the check
is compiled (fastjsonschema) and only an input it refuses goes through
jsonschema, whose errors say where and what would be right; jsonschema
checks the same hundred solutions 50 times slower (measured: 0.5 s against
0.01 s) and is not even imported for good input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from .common import CliError

__all__ = ["GATE_KEYWORDS", "check_exports", "json_path", "reading_schema"]

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
    schema has no recursive definitions. It uses only :data:`GATE_KEYWORDS`.
    """
    from ..jsonformat import FORMAT_VERSION, export_schema

    shipped = export_schema()
    schema: dict[str, Any] = _prune(shipped, shipped.get("$defs", {}))
    for key in ("$defs", "$id"):  # all inlined; and not the shipped schema any more
        schema.pop(key, None)
    schema["properties"]["version"] = {"type": "integer", "minimum": 1, "maximum": FORMAT_VERSION}
    return schema


#: Schema keywords of :func:`reading_schema`, all meaning the same in JSON Schema
#: draft 7 (what fastjsonschema implements) and 2020-12 (the shipped schema's).
GATE_KEYWORDS = frozenset(
    {"$schema", "type", "enum", "required", "properties", "additionalProperties", "items",
     "minimum", "maximum", "description", "title"}
)  # fmt: skip
#: What the comparison reads of a solution that is the same in both files:
#: its title and, of its coverage, the counts.
EQUAL_READ = frozenset({"title", "coverage"})
EQUAL_COUNTS = frozenset({"satisfied", "required", "percent"})


def _only(schema: dict[str, Any], keys: frozenset[str]) -> dict[str, Any]:
    """An object's ``schema`` checking (and requiring) only ``keys``."""
    return dict(
        schema,
        properties={k: v for k, v in schema["properties"].items() if k in keys},
        required=[k for k in schema.get("required", ()) if k in keys],
    )


def _outline_solution(solution: dict[str, Any]) -> dict[str, Any]:
    """The part of a solution's schema that :data:`EQUAL_READ` needs."""
    outline = _only(solution, EQUAL_READ)
    outline["properties"]["coverage"] = _only(solution["properties"]["coverage"], EQUAL_COUNTS)
    return outline


@cache
def _schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    """Schemas of a file with only what equal solutions need of them, and of one solution."""
    schema = reading_schema()
    solution = schema["properties"]["solutions"]["additionalProperties"]
    outline = dict(schema, properties=dict(schema["properties"]))
    outline["properties"]["solutions"] = {
        "type": "object",
        "additionalProperties": _outline_solution(solution),
    }
    return outline, {"$schema": schema["$schema"], **solution}


@cache
def _gates() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """The two checks of :func:`_schemas` compiled: each raises on input the schema refuses."""
    import fastjsonschema

    draft7 = {"$schema": "http://json-schema.org/draft-07/schema#"}
    outline, solution = _schemas()
    return fastjsonschema.compile(outline | draft7), fastjsonschema.compile(solution | draft7)


@cache
def _validators() -> tuple[Any, Any]:
    """jsonschema validators of :func:`_schemas`: for saying what is wrong, and where."""
    import jsonschema
    from referencing import Registry

    outline, solution = _schemas()
    cls = jsonschema.validators.validator_for(outline)
    # An empty registry: a reference the schema does not hold fails, never fetches.
    return cls(outline, registry=Registry()), cls(solution, registry=Registry())


def _passes(gate: Callable[[Any], Any], value: Any) -> bool:
    from fastjsonschema import JsonSchemaException

    try:
        gate(value)
    except JsonSchemaException:
        return False
    return True


def check_exports(files: Mapping[str, Any]) -> None:
    """Refuse (CliError) a file that is not an ``mlrefarch.json`` this release can compare.

    Solutions are checked whole where the files differ (see the module
    docstring); the first error in document order is reported.
    """
    from ..jsonformat import FORMAT_VERSION

    outline_gate, solution_gate = _gates()
    for name, data in files.items():
        version = data.get("version") if isinstance(data, dict) else None
        if type(version) is int and version > FORMAT_VERSION:
            raise CliError(
                f"{name}: format version {version} is newer than this sphinx-mlrefarch reads "
                f"(up to {FORMAT_VERSION}); compare it with a newer sphinx-mlrefarch"
            )
        if not _passes(outline_gate, data):
            _raise_first(name, data, _validators()[0].iter_errors(data), ())
    # one deep comparison per solution the two files share (one file: nothing differs)
    solutions = [data["solutions"] for data in files.values()]
    first, last = solutions[0], solutions[-1]
    shared = first.keys() & last.keys()
    differ = (first.keys() ^ last.keys()) | {sid for sid in shared if first[sid] != last[sid]}
    for name, data in files.items():
        for sid, entry in data["solutions"].items():
            if sid in differ and not _passes(solution_gate, entry):
                errors = _validators()[1].iter_errors(entry)
                _raise_first(name, data, errors, ("solutions", sid))


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
