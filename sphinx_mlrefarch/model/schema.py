"""Checking a data file against its JSON Schema, and repairing it by dropping what is wrong.

The schema is the one definition of a file format (model or catalogue).
Each schema error becomes a located problem phrased as what would be
right; then the offending part is removed (a whole list item, or one key),
so that a typo costs one entry, not the file. Missing top-level keys get
defaults so the rest can still be used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from ..datafiles import DATA, load_schema
from ..names import close_matches, did_you_mean, slugify
from .problems import PathT
from .yaml_source import DROPPED, YamlSource, describe

if TYPE_CHECKING:
    import jsonschema

__all__ = ["DATA", "Format", "load_schema", "repair"]


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    # imported here: a build with the built-in model and catalogue validates nothing
    import jsonschema

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


class Format:
    """A file format: its schema file and the defaults for missing top-level keys.

    ``pattern_hints`` maps names of the schema's ``$defs`` whose ``pattern``
    is not an id (a licence, an address) to what a value of that kind looks
    like, so that a mismatch is explained in the words of that format.
    """

    def __init__(
        self,
        schema_file: str,
        defaults: Mapping[str, Callable[[], Any]],
        pattern_hints: Mapping[str, Callable[[Any], str]] | None = None,
    ) -> None:
        self.schema_file = schema_file
        self.defaults = dict(defaults)
        self.pattern_hints = dict(pattern_hints or {})

    @property
    def schema(self) -> dict[str, Any]:
        return load_schema(self.schema_file)

    def validator(self) -> jsonschema.protocols.Validator:
        return _validator(self.schema_file)


def repair(source: YamlSource, data: dict[str, Any], fmt: Format) -> None:
    """Report schema errors of ``data`` (located) and remove what they are about."""
    errors = sorted(
        fmt.validator().iter_errors(data),
        key=lambda e: (_drop_order(tuple(e.absolute_path)), str(e.validator)),
    )
    drops: list[PathT] = []
    reported: set[tuple[PathT, str]] = set()
    for error in errors:
        path = (*error.absolute_path, *_dependent_key(error))
        message = _explain(error, fmt)
        if (path, message) not in reported:  # "" fails both minLength and pattern
            reported.add((path, message))
            source.problem(path, message, _first_extra_key(path, error))
        drops.append(_fix(data, path, error, fmt))
    for path in sorted(set(drops), key=_drop_order, reverse=True):
        _delete(data, path, fmt.schema)


def _fix(data: dict[str, Any], path: PathT, error: Any, fmt: Format) -> PathT:
    """Decide what to remove for an error at ``path``; returns the path to delete."""
    for i, part in enumerate(path):
        if isinstance(part, int):
            return path[: i + 1]  # the whole list item
    if path:
        return path
    if error.validator == "required":
        for name in re.findall(r"'([^']+)' is a required property", error.message):
            data.setdefault(name, fmt.defaults.get(name, str)())
    if error.validator == "additionalProperties":
        return ("__extra__",)
    return ()


def _dependent_key(error: Any) -> PathT:
    """For a key that needs another one (``remove`` without ``extends``), that key."""
    if error.validator != "dependentRequired":
        return ()
    found = re.search(r"is a dependency of '([^']+)'", error.message)
    return (found.group(1),) if found else ()


def _first_extra_key(path: PathT, error: Any) -> PathT | None:
    """For an unknown key, the path of that key (so the line is the key's own)."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return None
    allowed = error.schema.get("properties", {})
    extra = [k for k in error.instance if k not in allowed]
    return (*path, extra[0]) if extra else None


def _drop_order(path: PathT) -> tuple[Any, ...]:
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in path)


def _delete(data: Any, path: PathT, schema: Mapping[str, Any]) -> None:
    if not path:
        return
    if path == ("__extra__",):
        allowed = set(schema["properties"])
        for key in [k for k in data if k not in allowed]:
            del data[key]
        return
    parent: Any = data
    for part in path[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return
    last = path[-1]
    if isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        parent[last] = DROPPED
    elif isinstance(parent, dict) and last in parent:
        del parent[last]


def _explain(error: Any, fmt: Format) -> str:
    """A schema error as a sentence that says what would be right."""
    schema = fmt.schema
    validator = error.validator
    instance = error.instance
    if validator == "pattern":
        for name, explain in fmt.pattern_hints.items():
            if error.validator_value == schema["$defs"][name].get("pattern"):
                return explain(instance)
    if validator == "pattern" and error.validator_value == schema["$defs"]["text"]["pattern"]:
        return "must not be empty or blank"
    if validator == "pattern":
        return (
            f"{instance!r} is not a valid id: use lower-case letters, digits and "
            f"hyphens (for example {slugify(str(instance)) or 'my-block'!r})"
        )
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in instance if k not in allowed] if isinstance(instance, dict) else []
        hints = [f"{key!r}" for key in extra]
        tail = did_you_mean(close_matches(str(extra[0]), allowed, n=1)) if len(extra) == 1 else ""
        return f"unknown key {', '.join(hints)}{tail}; allowed keys: {', '.join(allowed)}"
    if validator == "required":
        return error.message.replace("property", "key")
    if validator == "type":
        expected = error.validator_value
        if isinstance(expected, list):
            expected = " or ".join(expected)
        article = "an" if str(expected)[0] in "aeiou" else "a"
        return f"expected {article} {expected}, got {describe(instance)}"
    if validator == "anyOf":
        return f"expected an id or a mapping with 'id' and 'title', got {describe(instance)}"
    if validator == "const":
        return f"must be {error.validator_value!r}, not {instance!r}"
    if validator == "enum":
        values = ", ".join(repr(v) for v in error.validator_value)
        return f"{instance!r} is not allowed; expected one of {values}"
    if validator == "minLength":
        return "must not be empty or blank"
    if validator == "minItems":
        count = error.validator_value
        return f"must list at least {count} value{'s' if count != 1 else ''}, got {len(instance)}"
    if validator == "maxLength":
        return f"must be at most {error.validator_value} characters long, got {len(instance)}"
    if validator == "dependentRequired":
        key, needed = next(iter(_dependent_key(error)), "?"), _needed(error.message, schema)
        return f"{key!r} only applies together with {needed}; add {needed} or leave out {key!r}"
    return error.message


def _needed(message: str, schema: Mapping[str, Any]) -> str:
    """The key a dependent key needs, with its only allowed value where there is one."""
    found = re.match(r"'([^']+)' is a dependency", message)
    name = found.group(1) if found else "?"
    const = schema.get("properties", {}).get(name, {}).get("const")
    return f"'{name}: {const}'" if const is not None else repr(name)
