"""The reference model: dataclasses, loading and validation.

This module knows nothing of Sphinx. A model file is parsed with PyYAML's
safe loader, checked against ``data/model.schema.json`` (the one definition
of the format) and then checked for references between its parts. Every
problem becomes a :class:`Problem` that names the file, the line and the
path inside the document (``blocks[3].layer``); the offending entry is
dropped and loading goes on, so one typo never costs the whole model.
Only a file that cannot be used at all yields no model.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

__all__ = [
    "Block",
    "Entry",
    "Hosting",
    "LoadResult",
    "Model",
    "Principle",
    "Problem",
    "Process",
    "Source",
    "default_model",
    "load_model",
    "load_model_text",
    "model_schema",
    "slugify",
]

#: The only format version there is.
SCHEMA_VERSION = 1

#: Upper bound on the number of YAML nodes after expanding aliases. A real
#: model has a few thousand; the bound stops "billion laughs" documents
#: before validation would walk them.
MAX_NODES = 200_000

_SLUG_RE = re.compile(r"[^a-z0-9]+")

PathT = tuple[str | int, ...]


def slugify(text: str) -> str:
    """Lower-case ``text`` and join its alphanumeric runs with hyphens."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_RE.sub("-", ascii_text.lower()).strip("-")


def _norm(ref: str) -> str:
    """The form used to compare references: case- and whitespace-insensitive."""
    return " ".join(str(ref).split()).casefold()


def format_path(path: Iterable[str | int]) -> str:
    """Render ``("blocks", 3, "layer")`` as ``blocks[3].layer``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """An identified, titled item: a layer, a constraint aspect, a hosting value, a step."""

    id: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Block:
    """An architecture building block (ABB)."""

    id: str
    title: str
    layer: str
    summary: str = ""
    description: str = ""
    questions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """Credit for the material a model is built on."""

    title: str = ""
    author: str = ""
    licence: str = ""
    url: str = ""


@dataclass(frozen=True)
class Hosting:
    """The value lists that hosting choices are described with."""

    environments: tuple[Entry, ...] = ()
    platforms: tuple[Entry, ...] = ()
    compute: tuple[Entry, ...] = ()
    elements: tuple[Entry, ...] = ()
    concerns: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Principle:
    """An architecture or business principle."""

    id: str
    title: str
    kind: str = "architecture"
    statement: str = ""
    rationale: str = ""
    implications: tuple[str, ...] = ()


@dataclass(frozen=True)
class Process:
    """The ML process: ordered steps and the loop back that makes it iterative."""

    title: str = ""
    description: str = ""
    steps: tuple[Entry, ...] = ()
    loop_from: str = ""
    loop_to: str = ""
    loop_label: str = ""


class Lookup:
    """Resolves references to entries by id, title or alias, case-insensitively."""

    def __init__(self, items: Iterable[Entry | Block]) -> None:
        self._index: dict[str, str] = {}
        self.ids: tuple[str, ...] = ()
        ids: list[str] = []
        for item in items:
            ids.append(item.id)
            names = [item.id, item.title, *getattr(item, "aliases", ())]
            for name in names:
                self._index.setdefault(_norm(name), item.id)
        self.ids = tuple(ids)

    def resolve(self, ref: str) -> str | None:
        """The id that ``ref`` names, or None."""
        return self._index.get(_norm(ref))

    def suggest(self, ref: str) -> list[str]:
        """Ids whose id, title or alias is close to ``ref`` (for "did you mean")."""
        matches = difflib.get_close_matches(_norm(ref), list(self._index), n=5, cutoff=0.6)
        seen: list[str] = []
        for match in matches:
            target = self._index[match]
            if target not in seen:
                seen.append(target)
        return seen[:3]


def did_you_mean(candidates: Sequence[str], choices: Sequence[str] = ()) -> str:
    """A message tail: "; did you mean 'x'?" or the list of valid values."""
    if candidates:
        names = " or ".join(f"'{c}'" for c in candidates)
        return f"; did you mean {names}?"
    if choices:
        shown = ", ".join(f"'{c}'" for c in list(choices)[:25])
        more = ", ..." if len(choices) > 25 else ""
        return f"; expected one of {shown}{more}"
    return ""


@dataclass(frozen=True)
class Model:
    """A loaded, consistent reference model. Immutable and picklable."""

    id: str
    title: str
    version: str = ""
    description: str = ""
    source: Source = field(default_factory=Source)
    layers: tuple[Entry, ...] = ()
    blocks: tuple[Block, ...] = ()
    constraint_aspects: tuple[Entry, ...] = ()
    hosting: Hosting = field(default_factory=Hosting)
    principles: tuple[Principle, ...] = ()
    process: Process = field(default_factory=Process)
    first_questions: tuple[str, ...] = ()

    # -- lookups (built lazily; not part of equality) -----------------------

    @property
    def block_map(self) -> dict[str, Block]:
        """Blocks by id, in model order."""
        return self._cached("_block_map", lambda: {b.id: b for b in self.blocks})

    @property
    def block_lookup(self) -> Lookup:
        return self._cached("_block_lookup", lambda: Lookup(self.blocks))

    @property
    def layer_lookup(self) -> Lookup:
        return self._cached("_layer_lookup", lambda: Lookup(self.layers))

    @property
    def aspect_lookup(self) -> Lookup:
        return self._cached("_aspect_lookup", lambda: Lookup(self.constraint_aspects))

    def hosting_lookup(self, dimension: str) -> Lookup:
        """Lookup for one hosting value list (``environments``, ``platforms``, ``compute``)."""
        return self._cached(
            f"_hosting_{dimension}", lambda: Lookup(getattr(self.hosting, dimension))
        )

    def _cached(self, name: str, make: Any) -> Any:
        try:
            return self.__dict__[name]
        except KeyError:
            value = make()
            object.__setattr__(self, name, value)
            return value

    def __getstate__(self) -> dict[str, Any]:
        # Lookups are rebuilt on demand: a pickled model (sent to another
        # process) carries only its data.
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def blocks_of_layer(self, layer_id: str) -> list[Block]:
        return [b for b in self.blocks if b.layer == layer_id]

    def expand(self, refs: Iterable[str]) -> tuple[list[str], list[str]]:
        """Turn layer/block references into block ids (model order).

        Returns ``(block_ids, unknown_refs)``. ``all`` stands for every block.
        A name that is both a layer and a block (``data`` in the default
        model) means the layer, the larger set; ``block:data`` or
        ``layer:data`` says which one explicitly.
        """
        wanted: set[str] = set()
        unknown: list[str] = []
        for ref in refs:
            kind, _, name = ref.partition(":") if ":" in ref else ("", "", ref)
            kind = kind.strip().casefold()
            if kind not in ("", "layer", "block"):
                unknown.append(ref)
                continue
            if not kind and _norm(name) == "all":
                wanted.update(self.block_map)
                continue
            layer = self.layer_lookup.resolve(name) if kind != "block" else None
            block = self.block_lookup.resolve(name) if kind != "layer" else None
            if layer is not None:
                wanted.update(b.id for b in self.blocks_of_layer(layer))
            elif block is not None:
                wanted.add(block)
            else:
                unknown.append(ref)
        return [b.id for b in self.blocks if b.id in wanted], unknown

    def suggest_block_or_layer(self, ref: str) -> list[str]:
        found = self.block_lookup.suggest(ref) + self.layer_lookup.suggest(ref)
        return list(dict.fromkeys(found))[:3]

    def to_dict(self) -> dict[str, Any]:
        """The model in file form (``schema: 1``), ready for YAML or JSON."""

        def entry(e: Entry) -> dict[str, Any]:
            out: dict[str, Any] = {"id": e.id, "title": e.title}
            if e.description:
                out["description"] = e.description
            return out

        out: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "title": self.title,
        }
        if self.version:
            out["version"] = self.version
        if self.description:
            out["description"] = self.description
        source = {k: v for k, v in vars(self.source).items() if v}
        if source:
            out["source"] = source
        out["layers"] = [entry(layer) for layer in self.layers]
        blocks = []
        for b in self.blocks:
            item: dict[str, Any] = {"id": b.id, "title": b.title, "layer": b.layer}
            for name in ("summary", "description"):
                if getattr(b, name):
                    item[name] = getattr(b, name)
            for name in ("questions", "aliases", "related"):
                if getattr(b, name):
                    item[name] = list(getattr(b, name))
            blocks.append(item)
        out["blocks"] = blocks
        out["constraint_aspects"] = [entry(a) for a in self.constraint_aspects]
        hosting = {
            name: [entry(v) for v in getattr(self.hosting, name)]
            for name in ("environments", "platforms", "compute", "elements", "concerns")
            if getattr(self.hosting, name)
        }
        if hosting:
            out["hosting"] = hosting
        if self.principles:
            principles = []
            for p in self.principles:
                pd: dict[str, Any] = {"id": p.id, "title": p.title, "kind": p.kind}
                for name in ("statement", "rationale"):
                    if getattr(p, name):
                        pd[name] = getattr(p, name)
                if p.implications:
                    pd["implications"] = list(p.implications)
                principles.append(pd)
            out["principles"] = principles
        proc = self.process
        if proc.steps or proc.title:
            pout: dict[str, Any] = {}
            if proc.title:
                pout["title"] = proc.title
            if proc.description:
                pout["description"] = proc.description
            pout["steps"] = [entry(s) for s in proc.steps]
            if proc.loop_from:
                pout["loop"] = {"from": proc.loop_from, "to": proc.loop_to}
                if proc.loop_label:
                    pout["loop"]["label"] = proc.loop_label
            out["process"] = pout
        if self.first_questions:
            out["first_questions"] = list(self.first_questions)
        return out


# --------------------------------------------------------------------------
# Problems and results
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a model file, located as precisely as possible."""

    message: str
    file: str = ""
    line: int | None = None
    path: str = ""

    @property
    def location(self) -> str:
        """``file:line`` (or just ``file``) for warnings."""
        if self.line is not None:
            return f"{self.file}:{self.line}"
        return self.file

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        loc = f"{self.location}: " if self.location else ""
        return f"{loc}{where}{self.message}"


@dataclass(frozen=True)
class LoadResult:
    """A model (None if the file could not be used at all) and the problems found."""

    model: Model | None
    problems: tuple[Problem, ...] = ()


# --------------------------------------------------------------------------
# Schema and default model
# --------------------------------------------------------------------------

_DATA = resources.files("sphinx_mlrefarch") / "data"


@cache
def model_schema() -> dict[str, Any]:
    """The JSON Schema of the model file format (``data/model.schema.json``)."""
    return json.loads((_DATA / "model.schema.json").read_text(encoding="utf-8"))


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = model_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def default_model_path() -> Path:
    """Filesystem path of the built-in model, for messages and dependency tracking."""
    return Path(str(_DATA / "default-model.yaml"))


@cache
def _default_result() -> LoadResult:
    text = (_DATA / "default-model.yaml").read_text(encoding="utf-8")
    return load_model_text(text, "default-model.yaml")


def default_model() -> Model:
    """The built-in open ML reference architecture."""
    result = _default_result()
    if result.model is None or result.problems:  # pragma: no cover - packaging error
        raise RuntimeError("the built-in model is invalid: " + "; ".join(map(str, result.problems)))
    return result.model


_FILE_CACHE: dict[tuple[str, int, int], LoadResult] = {}


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
        return LoadResult(
            None, (Problem(f"cannot read the model file: {exc.strerror}", str(file)),)
        )
    cached = _FILE_CACHE.get(key)
    if cached is not None:
        return cached
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        result = LoadResult(None, (Problem(f"cannot read the model file: {exc}", str(file)),))
    else:
        result = load_model_text(text, str(file))
    _FILE_CACHE[key] = result
    return result


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


class _FatalError(Exception):
    """The document cannot be used at all."""


class _Loader:
    """One loading run: holds the file name, the line index and the problems."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.lines: dict[PathT, int] = {}
        self.problems: list[Problem] = []

    # -- reporting ---------------------------------------------------------

    def line_of(self, path: PathT) -> int | None:
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None

    def problem(self, path: PathT, message: str, at: PathT | None = None) -> None:
        """Record a problem about ``path``, located at ``at`` (default: ``path``)."""
        line = self.line_of(path if at is None else at)
        self.problems.append(Problem(message, self.filename, line, format_path(path)))

    # -- YAML ------------------------------------------------------------

    def parse(self, text: str) -> Any:
        try:
            loader = yaml.SafeLoader(text)
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow
            line = text.count("\n", 0, exc.position) + 1
            what = str(exc).splitlines()[0]
            self.problems.append(Problem(f"YAML error: {what}", self.filename, line))
            raise _FatalError from None
        try:
            node = loader.get_single_node()
            if node is None:
                self.problems.append(
                    Problem(
                        "the file is empty; expected a mapping with 'layers' and 'blocks'",
                        self.filename,
                        1,
                    )
                )
                raise _FatalError
            _check_size(node)
            self.lines = _index_lines(node)
            return loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where: int | None = mark.line + 1 if mark is not None else None
            what = exc.problem or exc.context or "invalid YAML"
            if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in str(what):
                what = (
                    f"{what} (only plain YAML is allowed; "
                    "tags that build Python objects are refused)"
                )
            self.problems.append(Problem(f"YAML error: {what}", self.filename, where))
            raise _FatalError from None
        except yaml.YAMLError as exc:
            self.problems.append(Problem(f"YAML error: {exc}", self.filename))
            raise _FatalError from None
        except RecursionError:
            self.problems.append(
                Problem("YAML error: the document is nested too deeply", self.filename)
            )
            raise _FatalError from None
        finally:
            loader.dispose()

    # -- schema ------------------------------------------------------------

    def validate(self, data: dict[str, Any]) -> None:
        """Report schema errors and remove what they are about."""
        errors = sorted(
            _validator().iter_errors(data),
            key=lambda e: (_drop_order(tuple(e.absolute_path)), str(e.validator)),
        )
        drops: list[PathT] = []
        reported: set[tuple[PathT, str]] = set()
        for error in errors:
            path = tuple(error.absolute_path)
            message = _explain(error)
            if (path, message) not in reported:  # "" fails both minLength and pattern
                reported.add((path, message))
                self.problem(path, message, _first_extra_key(path, error))
            drops.append(self._fix(data, path, error))
        for path in sorted(set(drops), key=_drop_order, reverse=True):
            _delete(data, path)

    def _fix(self, data: dict[str, Any], path: PathT, error: Any) -> PathT:
        """Decide what to remove for an error at ``path``; returns the path to delete."""
        for i, part in enumerate(path):
            if isinstance(part, int):
                return path[: i + 1]  # the whole list item
        if path:
            return path
        if error.validator == "required":
            missing = re.findall(r"'([^']+)' is a required property", error.message)
            for name in missing:
                data.setdefault(name, _TOP_DEFAULTS.get(name, lambda: "")())
        if error.validator == "additionalProperties":
            return ("__extra__",)
        return ()


def _first_extra_key(path: PathT, error: Any) -> PathT | None:
    """For an unknown key, the path of that key (so the line is the key's own)."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return None
    allowed = error.schema.get("properties", {})
    extra = [k for k in error.instance if k not in allowed]
    return (*path, extra[0]) if extra else None


def _drop_order(path: PathT) -> tuple[Any, ...]:
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in path)


_TOP_DEFAULTS: dict[str, Any] = {
    "schema": lambda: SCHEMA_VERSION,
    "id": lambda: "model",
    "title": lambda: "Reference model",
    "layers": list,
    "blocks": list,
}


def _delete(data: Any, path: PathT) -> None:
    if not path:
        return
    if path == ("__extra__",):
        allowed = set(model_schema()["properties"])
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
        parent[last] = _DROPPED
    elif isinstance(parent, dict) and last in parent:
        del parent[last]


class _Dropped:
    """Marks a list item removed after an error, so that indexes stay stable."""

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<dropped>"

    # One marker only: ``is _DROPPED`` must hold in deep copies too.
    def __copy__(self) -> _Dropped:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _Dropped:
        return self


_DROPPED = _Dropped()


def _items(data: Mapping[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for index, item in enumerate(data.get(key) or ()):
        if item is not _DROPPED:
            yield index, item


def _explain(error: Any) -> str:
    """A schema error as a sentence that says what would be right."""
    validator = error.validator
    instance = error.instance
    if (
        validator == "pattern"
        and error.validator_value != model_schema()["$defs"]["slug"]["pattern"]
    ):
        return "must not be empty or blank"
    if validator == "pattern":
        return (
            f"{instance!r} is not a valid id: use lower-case letters, digits and "
            f"hyphens (for example {slugify(str(instance)) or 'my-block'!r})"
        )
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in instance if k not in allowed] if isinstance(instance, dict) else []
        hints = []
        for key in extra:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hints.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        return f"unknown key {', '.join(hints)}; allowed keys: {', '.join(allowed)}"
    if validator == "required":
        return error.message.replace("property", "key")
    if validator == "type":
        expected = error.validator_value
        if isinstance(expected, list):
            expected = " or ".join(expected)
        article = "an" if str(expected)[0] in "aeiou" else "a"
        return f"expected {article} {expected}, got {_describe(instance)}"
    if validator == "anyOf":
        return f"expected an id or a mapping with 'id' and 'title', got {_describe(instance)}"
    if validator == "const":
        return f"must be {error.validator_value!r}, not {instance!r}"
    if validator == "enum":
        values = ", ".join(repr(v) for v in error.validator_value)
        return f"{instance!r} is not allowed; expected one of {values}"
    if validator == "minLength":
        return "must not be empty or blank"
    return error.message


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})" if len(value) < 40 else "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _check_size(root: yaml.Node) -> None:
    """Refuse recursive aliases and documents that explode when aliases expand."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise yaml.MarkedYAMLError(
                problem="an alias refers to its own ancestor (recursive document)",
                problem_mark=node.start_mark,
            )
        active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k) + size(v)
                if total > MAX_NODES:
                    break
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                total += size(v)
                if total > MAX_NODES:
                    break
        active.discard(key)
        if total > MAX_NODES:
            raise yaml.MarkedYAMLError(
                problem=f"the document has more than {MAX_NODES} values once aliases are expanded",
                problem_mark=node.start_mark,
            )
        sizes[key] = total
        return total

    size(root)


def _index_lines(root: yaml.Node) -> dict[PathT, int]:
    """Map each path in the document to the 1-based line where it starts."""
    lines: dict[PathT, int] = {(): root.start_mark.line + 1}
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, PathT]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    sub = (*path, key_node.value)
                    lines[sub] = key_node.start_mark.line + 1
                    stack.append((value, sub))
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                sub = (*path, index)
                lines[sub] = value.start_mark.line + 1
                stack.append((value, sub))
    return lines


def load_model_text(text: str, filename: str = "<model>") -> LoadResult:
    """Parse, validate and resolve a model document; never raises."""
    loader = _Loader(filename)
    try:
        data = loader.parse(text)
        if not isinstance(data, dict):
            loader.problem((), f"expected a mapping at the top of the file, got {_describe(data)}")
            raise _FatalError
        loader.validate(data)
        model = _build(loader, data)
    except _FatalError:
        return LoadResult(None, tuple(loader.problems))
    except RecursionError:
        loader.problem((), "the document is nested too deeply")
        return LoadResult(None, tuple(loader.problems))
    return LoadResult(model, tuple(loader.problems))


# --------------------------------------------------------------------------
# Building: extends/remove, references between parts
# --------------------------------------------------------------------------


def _entry(item: Mapping[str, Any]) -> Entry:
    return Entry(str(item["id"]), str(item["title"]), str(item.get("description", "")))


def _value_entry(item: Any) -> dict[str, Any]:
    if isinstance(item, str):
        return {"id": item, "title": item.replace("-", " ").capitalize()}
    return dict(item)


@dataclass
class _Draft:
    """Mutable model under construction; item dicts carry their file path."""

    top: dict[str, Any]
    layers: list[dict[str, Any]]
    blocks: list[dict[str, Any]]
    aspects: list[dict[str, Any]]
    hosting: dict[str, list[dict[str, Any]]]
    principles: list[dict[str, Any]]
    origin: dict[int, PathT] = field(default_factory=dict)

    def where(self, item: Mapping[str, Any]) -> PathT | None:
        return self.origin.get(id(item))


_HOSTING_KEYS = ("environments", "platforms", "compute", "elements", "concerns")


def _draft_from(data: Mapping[str, Any], track: bool) -> _Draft:
    origin: dict[int, PathT] = {}

    def items(key: str) -> list[dict[str, Any]]:
        out = []
        for index, item in _items(data, key):
            copy_ = dict(item)
            if track:
                origin[id(copy_)] = (key, index)
            out.append(copy_)
        return out

    hosting: dict[str, list[dict[str, Any]]] = {}
    for key in _HOSTING_KEYS:
        values = []
        for index, item in enumerate((data.get("hosting") or {}).get(key) or ()):
            if item is _DROPPED:
                continue
            value = _value_entry(item)
            if track:
                origin[id(value)] = ("hosting", key, index)
            values.append(value)
        hosting[key] = values
    top = {
        k: copy.deepcopy(v)
        for k, v in data.items()
        if k not in ("layers", "blocks", "constraint_aspects", "hosting", "principles")
    }
    return _Draft(
        top,
        items("layers"),
        items("blocks"),
        items("constraint_aspects"),
        hosting,
        items("principles"),
        origin,
    )


def _merge_by_id(
    base: list[dict[str, Any]], changes: list[dict[str, Any]], origin: dict[int, PathT]
) -> list[dict[str, Any]]:
    """Override fields of entries whose id exists, append the others."""
    result = [dict(item) for item in base]
    index = {item["id"]: pos for pos, item in enumerate(result)}
    for change in changes:
        pos = index.get(change["id"])
        if pos is None:
            index[change["id"]] = len(result)
            result.append(change)
        else:
            merged = {**result[pos], **change}
            if id(change) in origin:
                origin[id(merged)] = origin[id(change)]
            result[pos] = merged
    return result


def _build(loader: _Loader, data: dict[str, Any]) -> Model:
    extends = data.get("extends") == "default"
    if data.get("remove") and not extends:
        loader.problem(("remove",), "'remove' only applies to a model with 'extends: default'")
    if extends:
        base = _default_result().model
        if base is None:  # pragma: no cover - packaging error
            loader.problem(("extends",), "the built-in model cannot be loaded")
            raise _FatalError
        draft = _draft_from(base.to_dict(), track=False)
        changes = _draft_from(data, track=True)
        draft.origin = changes.origin
        for name in ("id", "title", "version", "description", "process", "first_questions"):
            if name in changes.top:
                draft.top[name] = changes.top[name]
        if "source" in changes.top:
            draft.top["source"] = {**draft.top.get("source", {}), **changes.top["source"]}
        # an id given twice in this file is a mistake here too, not a merge
        changes.layers = _unique(loader, changes, changes.layers, "layer")
        changes.blocks = _unique(loader, changes, changes.blocks, "block")
        changes.aspects = _unique(loader, changes, changes.aspects, "constraint aspect")
        changes.principles = _unique(loader, changes, changes.principles, "principle")
        draft.layers = _merge_by_id(draft.layers, changes.layers, draft.origin)
        draft.blocks = _merge_by_id(draft.blocks, changes.blocks, draft.origin)
        draft.aspects = _merge_by_id(draft.aspects, changes.aspects, draft.origin)
        draft.principles = _merge_by_id(draft.principles, changes.principles, draft.origin)
        for key in _HOSTING_KEYS:
            draft.hosting[key] = _merge_by_id(
                draft.hosting[key], changes.hosting[key], draft.origin
            )
        _apply_remove(loader, draft, data.get("remove") or [])
    else:
        draft = _draft_from(data, track=True)
    return _resolve(loader, draft)


def _apply_remove(loader: _Loader, draft: _Draft, remove: list[Any]) -> None:
    block_ids = {b["id"] for b in draft.blocks}
    layer_ids = {layer["id"] for layer in draft.layers}
    gone_layers: set[str] = set()
    gone_blocks: set[str] = set()
    for index, ref in enumerate(remove):
        if ref is _DROPPED:
            continue
        if ref in block_ids:
            gone_blocks.add(ref)
        elif ref in layer_ids:
            gone_layers.add(ref)
        else:
            close = difflib.get_close_matches(ref, sorted(block_ids | layer_ids), n=2)
            loader.problem(
                ("remove", index),
                f"cannot remove {ref!r}: no block or layer has this id" + did_you_mean(close),
            )
    draft.layers = [layer for layer in draft.layers if layer["id"] not in gone_layers]
    kept = []
    for block in draft.blocks:
        if block["id"] in gone_blocks or block.get("layer") in gone_layers:
            gone_blocks.add(block["id"])
        else:
            kept.append(block)
    for block in kept:
        if "related" in block:
            block["related"] = [r for r in block["related"] if r not in gone_blocks]
    draft.blocks = kept


def _unique(
    loader: _Loader, draft: _Draft, items: list[dict[str, Any]], what: str
) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    out = []
    for item in items:
        first = seen.get(item["id"])
        if first is not None:
            where = draft.where(first)
            first_line = loader.line_of(where) if where else None
            at = f" (first defined on line {first_line})" if first_line else ""
            loader.problem(
                draft.where(item) or (),
                f"duplicate {what} id {item['id']!r}{at}; ids must be unique",
            )
            continue
        seen[item["id"]] = item
        out.append(item)
    return out


def _resolve(loader: _Loader, draft: _Draft) -> Model:
    """Check references between parts and freeze the draft into a Model."""
    layers = _unique(loader, draft, draft.layers, "layer")
    layer_ids = [layer["id"] for layer in layers]
    blocks_in = _unique(loader, draft, draft.blocks, "block")
    blocks: list[dict[str, Any]] = []
    for block in blocks_in:
        path = draft.where(block) or ()
        missing = [name for name in ("title", "layer") if not block.get(name)]
        if missing:
            loader.problem(
                path,
                f"new block {block['id']!r} needs {' and '.join(repr(m) for m in missing)}",
            )
            continue
        if block["layer"] not in layer_ids:
            close = difflib.get_close_matches(block["layer"], layer_ids, n=2)
            loader.problem(
                (*path, "layer"),
                f"block {block['id']!r} names layer {block['layer']!r}, which does not exist"
                + did_you_mean(close, layer_ids),
            )
            continue
        blocks.append(block)
    block_ids = [b["id"] for b in blocks]
    # blocks dropped above were reported once; references to them go quietly
    rejected = {b["id"] for b in blocks_in} - set(block_ids)
    taken: dict[str, str] = {}
    for block in blocks:
        for name in (block["id"], block["title"]):
            owner = taken.setdefault(_norm(name), block["id"])
            if owner != block["id"] and name == block["title"]:
                loader.problem(
                    (*(draft.where(block) or ()), "title"),
                    f"title {name!r} of block {block['id']!r} already names block {owner!r}; "
                    f"references by this title resolve to {owner!r}",
                )
    frozen_blocks = []
    for block in blocks:
        path = draft.where(block) or ()
        related = []
        for index, ref in enumerate(block.get("related") or ()):
            if ref == block["id"]:
                loader.problem(
                    (*path, "related", index), f"block {ref!r} cannot be related to itself"
                )
            elif ref in rejected:
                continue
            elif ref not in block_ids:
                close = difflib.get_close_matches(ref, block_ids, n=2)
                loader.problem(
                    (*path, "related", index),
                    f"related block {ref!r} does not exist" + did_you_mean(close),
                )
            elif ref not in related:
                related.append(ref)
        aliases = []
        for index, alias in enumerate(block.get("aliases") or ()):
            holder = taken.get(_norm(alias))
            if holder is not None and holder != block["id"]:
                loader.problem(
                    (*path, "aliases", index),
                    f"alias {alias!r} already names block {holder!r}; aliases must be unique",
                )
                continue
            taken[_norm(alias)] = block["id"]
            aliases.append(str(alias))
        frozen_blocks.append(
            Block(
                id=block["id"],
                title=str(block["title"]),
                layer=block["layer"],
                summary=str(block.get("summary", "")),
                description=str(block.get("description", "")),
                questions=tuple(str(q) for q in block.get("questions") or ()),
                aliases=tuple(aliases),
                related=tuple(related),
            )
        )
    # keep blocks grouped in layer order, preserving order within a layer
    order = {layer_id: pos for pos, layer_id in enumerate(layer_ids)}
    frozen_blocks.sort(key=lambda b: order[b.layer])

    aspects = _unique(loader, draft, draft.aspects, "constraint aspect")
    hosting = Hosting(
        **{
            key: tuple(
                _entry(v) for v in _unique(loader, draft, draft.hosting[key], f"hosting {key}")
            )
            for key in _HOSTING_KEYS
        }
    )
    principles = tuple(
        Principle(
            id=p["id"],
            title=str(p["title"]),
            kind=p.get("kind", "architecture"),
            statement=str(p.get("statement", "")),
            rationale=str(p.get("rationale", "")),
            implications=tuple(str(i) for i in p.get("implications") or ()),
        )
        for p in _unique(loader, draft, draft.principles, "principle")
    )
    process = _process(loader, draft.top.get("process") or {})
    top = draft.top
    source = top.get("source") or {}
    return Model(
        id=str(top.get("id") or "model"),
        title=str(top.get("title") or top.get("id") or "Reference model"),
        version=str(top.get("version", "")),
        description=str(top.get("description", "")),
        source=Source(**{k: str(v) for k, v in source.items()}),
        layers=tuple(_entry(layer) for layer in layers),
        blocks=tuple(frozen_blocks),
        constraint_aspects=tuple(_entry(a) for a in aspects),
        hosting=hosting,
        principles=principles,
        process=process,
        first_questions=tuple(
            str(q) for q in top.get("first_questions") or () if q is not _DROPPED
        ),
    )


def _process(loader: _Loader, data: Mapping[str, Any]) -> Process:
    steps: list[Entry] = []
    for index, item in enumerate(data.get("steps") or ()):
        if item is _DROPPED:
            continue
        if any(s.id == item["id"] for s in steps):
            loader.problem(("process", "steps", index), f"duplicate step id {item['id']!r}")
            continue
        steps.append(_entry(item))
    loop = data.get("loop") or {}
    ids = [s.id for s in steps]
    loop_from = loop.get("from", "")
    loop_to = loop.get("to", "")
    for key, ref in (("from", loop_from), ("to", loop_to)):
        if ref and ref not in ids:
            loader.problem(
                ("process", "loop", key),
                f"loop {key} {ref!r} is not a step of the process" + did_you_mean([], ids),
            )
            loop_from = loop_to = ""
    return Process(
        title=str(data.get("title", "")),
        description=str(data.get("description", "")),
        steps=tuple(steps),
        loop_from=loop_from,
        loop_to=loop_to,
        loop_label=str(loop.get("label", "")) if loop_from else "",
    )
