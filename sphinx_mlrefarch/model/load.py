"""Loading a model: the built-in one, a file (cached by path and mtime), or text.

Never raises for anything a user can write: a :class:`LoadResult` carries
the model (``None`` only when the file cannot be used at all) and every
problem found, each naming the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..datafiles import builtin_data
from .build import build_model
from .problems import Problem
from .schema import DATA, Format, load_schema, repair
from .types import SCHEMA_VERSION, Model
from .yaml_source import FatalError, YamlSource

__all__ = [
    "FORMAT",
    "LoadResult",
    "default_model",
    "default_model_path",
    "load_model",
    "load_model_text",
    "model_schema",
]

#: The model file format: its schema and the defaults of required top-level keys.
FORMAT = Format(
    "model.schema.json",
    {
        "schema": lambda: SCHEMA_VERSION,
        "id": lambda: "model",
        "title": lambda: "Reference model",
        "layers": list,
        "blocks": list,
    },
)


@dataclass(frozen=True)
class LoadResult:
    """A model (None if the file could not be used at all) and the problems found."""

    model: Model | None
    problems: tuple[Problem, ...] = ()


def model_schema() -> dict[str, Any]:
    """The JSON Schema of the model file format (``data/model.schema.json``)."""
    return load_schema(FORMAT.schema_file)


def default_model_path() -> Path:
    """Filesystem path of the built-in model, for messages and dependency tracking."""
    return Path(str(DATA / "default-model.yaml"))


@cache
def _default_result() -> LoadResult:
    # The built-in model is checked against the schema by the test suite
    # (tests/test_model_default.py), not on every build: validation was most
    # of the extension's start-up time. It is read in its parsed JSON form
    # (see datafiles.builtin_data): no YAML parser at start-up.
    return _load("default-model.yaml", lambda _: builtin_data("default-model"), validate=False)


def default_model() -> Model:
    """The built-in open ML reference architecture."""
    result = _default_result()
    if result.model is None or result.problems:  # pragma: no cover - packaging error
        raise RuntimeError("the built-in model is invalid: " + "; ".join(map(str, result.problems)))
    return result.model


def load_model_text(text: str, filename: str = "<model>", validate: bool = True) -> LoadResult:
    """Parse, validate and resolve a model document; never raises.

    ``validate=False`` skips the JSON Schema, for data known to be valid.
    """
    return _load(filename, lambda source: source.parse(text), validate)


def _load(
    filename: str, read: Callable[[YamlSource], dict[str, Any]], validate: bool
) -> LoadResult:
    """:func:`load_model_text` once the document is ``read`` (parsed into ``source``)."""
    source = YamlSource(filename, "a mapping with 'layers' and 'blocks'")
    try:
        data = read(source)
        if validate:
            repair(source, data, FORMAT)
        model = build_model(source, data, default_model)
    except FatalError:
        return LoadResult(None, tuple(source.problems))
    except RecursionError:
        source.problem((), "the document is nested too deeply")
        return LoadResult(None, tuple(source.problems))
    return LoadResult(model, tuple(source.problems))


_FILE_CACHE: dict[tuple[str, int, int], LoadResult] = {}


def read_text(file: Path, what: str) -> str | Problem:
    """The text of a data file, or the problem that it cannot be read (naming the file)."""
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Problem(f"cannot read the {what} {str(file)!r}: {reason}", str(file))


def load_model(path: str | Path | None) -> LoadResult:
    """Load a model file (``None``: the built-in model).

    Results are cached by path, modification time and size, so that every
    document of a build can ask for the model without re-parsing it.
    """
    if path is None:
        return _default_result()
    file = Path(path)
    try:
        stat = file.stat()
        key = (str(file.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problem = Problem(f"cannot read the model file {str(file)!r}: {reason}", str(file))
        return LoadResult(None, (problem,))
    cached = _FILE_CACHE.get(key)
    if cached is not None:
        return cached
    text = read_text(file, "model file")
    if isinstance(text, Problem):
        result = LoadResult(None, (text,))
    else:
        result = load_model_text(text, str(file))
    _FILE_CACHE[key] = result
    return result
