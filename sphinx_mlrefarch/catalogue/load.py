"""Loading a catalogue: the built-in one, a file (cached), or text; always against a model.

The steps are the model loader's (:mod:`..model.yaml_source`,
:mod:`..model.schema`, :mod:`..model.merge`); only the catalogue's own
checks live in :mod:`.build`. Never raises for anything a user can write: a
:class:`CatalogueResult` carries the catalogue (``None`` only when the file
cannot be used at all) and every problem found, each naming the file.

A catalogue is fitted to a model (entries lose the blocks it lacks), so
results are cached per model object as well as per file: the model of a
build is itself a cached object, so every document of a build gets the same
catalogue without re-parsing or re-fitting.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..datafiles import builtin_data
from ..model import default_model
from ..model.load import read_text
from ..model.problems import Problem
from ..model.schema import DATA, Format, load_schema, repair
from ..model.types import SCHEMA_VERSION, Model
from ..model.yaml_source import FatalError, YamlSource
from .build import build_catalogue
from .types import Catalogue

__all__ = [
    "FORMAT",
    "CatalogueResult",
    "catalogue_schema",
    "default_catalogue",
    "default_catalogue_path",
    "load_catalogue",
    "load_catalogue_text",
]

_DEFAULT_FILE = "default-catalogue.yaml"


def _licence_hint(value: Any) -> str:
    return (
        f"{value!r} is not an SPDX licence identifier; write one such as 'Apache-2.0', "
        "'MIT', 'BSD-3-Clause' or 'GPL-3.0-or-later' (see https://spdx.org/licenses/), "
        "or 'other' where none applies"
    )


def _address_hint(value: Any) -> str:
    return (
        f"{value!r} is not a web address; write it in full, starting with 'https://' "
        "(or leave the field out when there is none)"
    )


#: The catalogue file format: its schema, the defaults of required top-level keys,
#: and how its licence and address patterns are explained.
FORMAT = Format(
    "catalogue.schema.json",
    {
        "schema": lambda: SCHEMA_VERSION,
        "id": lambda: "catalogue",
        "title": lambda: "Catalogue",
        "entries": list,
    },
    pattern_hints={"licence": _licence_hint, "address": _address_hint},
)


@dataclass(frozen=True)
class CatalogueResult:
    """A catalogue (None if the file could not be used at all) and the problems found."""

    catalogue: Catalogue | None
    problems: tuple[Problem, ...] = ()


def catalogue_schema() -> dict[str, Any]:
    """The JSON Schema of the catalogue file format (``data/catalogue.schema.json``)."""
    return load_schema(FORMAT.schema_file)


def default_catalogue_path() -> Path:
    """Filesystem path of the built-in catalogue, for messages and dependency tracking."""
    return Path(str(DATA / _DEFAULT_FILE))


def _packaging_error(problems: list[Problem]) -> RuntimeError:  # pragma: no cover
    return RuntimeError("the built-in catalogue is invalid: " + "; ".join(map(str, problems)))


@cache
def _builtin_data() -> dict[str, Any]:
    """The built-in catalogue in file form: what ``extends: default`` starts from.

    Not fitted to any model; callers must not change it (it is shared).
    """
    # Its parsed JSON form (datafiles.builtin_data: no YAML parser at start-up),
    # checked against the schema by the test suite (tests/test_catalogue_default.py),
    # not on every build.
    return builtin_data("default-catalogue")


_BUILTIN_CACHE: dict[int, tuple[Model, Catalogue]] = {}


def default_catalogue(model: Model | None = None) -> Catalogue:
    """The built-in catalogue, fitted quietly to ``model`` (default: the built-in model).

    Entries lose the blocks ``model`` lacks and disappear when none is left,
    without a problem: nobody wrote them for this model.
    """
    model = default_model() if model is None else model
    hit = _BUILTIN_CACHE.get(id(model))
    if hit is not None and hit[0] is model:
        return hit[1]
    source = YamlSource(_DEFAULT_FILE, "the built-in catalogue")
    catalogue = build_catalogue(source, _builtin_data(), model, None)
    if source.problems:  # pragma: no cover - packaging error
        raise _packaging_error(source.problems)
    _remember(_BUILTIN_CACHE, id(model), (model, catalogue))
    return catalogue


def load_catalogue_text(text: str, filename: str, model: Model) -> CatalogueResult:
    """Parse, validate and fit a catalogue document to ``model``; never raises."""
    source = YamlSource(filename, "a mapping with 'entries' (and 'extends: default' to tailor)")
    try:
        data = source.parse(text)
        repair(source, data, FORMAT)
        catalogue = build_catalogue(source, data, model, _builtin_data())
    except FatalError:
        return CatalogueResult(None, tuple(source.problems))
    except RecursionError:
        source.problem((), "the document is nested too deeply")
        return CatalogueResult(None, tuple(source.problems))
    return CatalogueResult(catalogue, tuple(source.problems))


#: Results by (file, mtime, size, id of the model); the model is kept beside
#: the result so that a reused id() of a collected model never matches.
_FILE_CACHE: dict[tuple[str, int, int, int], tuple[Model, CatalogueResult]] = {}

#: How many results each cache keeps (a long-running server sees many edits).
_CACHE_SIZE = 32


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    cache.pop(key, None)
    cache[key] = value
    while len(cache) > _CACHE_SIZE:
        del cache[next(iter(cache))]


def load_catalogue(path: str | Path | None, model: Model) -> CatalogueResult:
    """Load a catalogue file (``None``: the built-in one), fitted to ``model``.

    Cached by path, modification time, size and model, so that every
    document of a build can ask for the catalogue without re-parsing it.
    """
    if path is None:
        return CatalogueResult(default_catalogue(model))
    file = Path(path)
    try:
        stat = file.stat()
        key = (str(file.resolve()), stat.st_mtime_ns, stat.st_size, id(model))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problem = Problem(f"cannot read the catalogue file {str(file)!r}: {reason}", str(file))
        return CatalogueResult(None, (problem,))
    hit = _FILE_CACHE.get(key)
    if hit is not None and hit[0] is model:
        return hit[1]
    text = read_text(file, "catalogue file")
    if isinstance(text, Problem):
        result = CatalogueResult(None, (text,))
    else:
        result = load_catalogue_text(text, str(file), model)
    _remember(_FILE_CACHE, key, (model, result))
    return result
