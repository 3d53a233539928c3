"""Where an import comes from: its ``mlrefarch_import`` entry, and the checked document behind it.

The first half of :mod:`.imports` (which re-exports the public names):
:func:`parse_import_config` checks the ``conf.py`` value and :func:`parse`
checks one source's document; getting its bytes (:func:`read_file`,
:func:`fetch`) is :mod:`.import_fetch`, whose names this module re-exports.
Every way a source can fail ends in one :class:`SourceError` whose message
says what is wrong and what would be right, so the caller can report it and
go on. Pure; no Sphinx here.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit, urlunsplit

from .datafiles import load_schema
from .import_fetch import MAX_BYTES, WEB, SourceError, StrPath, fetch, host, read_file, resolve
from .jsonformat import FILENAME, FORMAT_VERSION
from .model.yaml_source import describe
from .names import hint, slugify

if TYPE_CHECKING:
    import jsonschema

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_BYTES",
    "WEB",
    "ImportSpec",
    "SourceError",
    "StrPath",
    "fetch",
    "host",
    "named",
    "parse",
    "parse_import_config",
    "parse_timeout",
    "read_file",
    "resolve",
]

#: ``mlrefarch_import_timeout`` when not set, in seconds.
DEFAULT_TIMEOUT = 10.0

_KEYS = ("source", "url")
#: What RFC 3986 allows before the ":" of a URL.
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


@dataclass(frozen=True)
class ImportSpec:
    """One checked entry of ``mlrefarch_import``."""

    #: The project name, a slug: the ``NAME`` of ``NAME:solution-id``.
    name: str
    #: A path (relative to the conf dir) or an http(s) URL, as written in ``conf.py``.
    source: str
    #: Base of the project's HTML, ending in "/": an http(s) URL, or a path relative
    #: to this project's output root. None: imported entries render unlinked.
    url: str | None = None

    @property
    def is_url(self) -> bool:
        return _scheme(self.source) in WEB

    def path(self, confdir: StrPath) -> Path | None:
        """The file a path source names (what a build watches for changes); None for a URL."""
        return None if self.is_url else resolve(Path(confdir) / self.source)


def parse_timeout(value: object) -> tuple[float, list[str]]:
    """``mlrefarch_import_timeout`` in seconds, or the default with why ``value`` was not used."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < math.inf:
        return float(value), []
    return DEFAULT_TIMEOUT, [
        f"mlrefarch_import_timeout must be a positive number of seconds, not {describe(value)}; "
        f"using {DEFAULT_TIMEOUT:g}"
    ]


def parse_import_config(value: object, confdir: StrPath) -> tuple[list[ImportSpec], list[str]]:
    """Check ``mlrefarch_import``: the imports that can be tried, and the problems of the rest.

    ``value`` maps project names (slugs) to ``{"source": ..., "url": ...}`` or
    to a bare source string. A faulty entry is left out; a faulty ``url`` only
    leaves the import unlinked.
    """
    if value is None:
        return [], []
    if not isinstance(value, Mapping):
        return [], [
            "mlrefarch_import must be a dict of project name -> {'source': path or URL, "
            f"'url': base URL of its HTML}}, not {describe(value)}; importing nothing"
        ]
    specs: list[ImportSpec] = []
    problems: list[str] = []
    sources: dict[str, str] = {}
    for name, entry in value.items():
        spec, found = _spec(name, entry)
        problems += found
        if spec is None:
            continue
        key = _source_key(spec, confdir)
        if key in sources:
            problems.append(
                f"{named(spec.name)}: {spec.source!r} is already imported as "
                f"{sources[key]!r}; import each project once"
            )
            continue
        sources[key] = spec.name
        specs.append(spec)
    by_slug: dict[str, list[str]] = {}
    for name in value:
        if isinstance(name, str) and slugify(name):
            by_slug.setdefault(slugify(name), []).append(name)
    for slug, names in by_slug.items():
        if len(names) > 1:
            listed = " and ".join(repr(n) for n in names)
            problems.append(
                f"mlrefarch_import: {listed} name the same project {slug!r}; keep one of them"
            )
    return specs, problems


def _spec(name: object, entry: object) -> tuple[ImportSpec | None, list[str]]:
    where = named(name)
    if not isinstance(name, str) or not name or slugify(name) != name:
        example = (slugify(name) if isinstance(name, str) else "") or "payments"
        source = entry.get("source") if isinstance(entry, Mapping) else entry
        skipped = f"; not importing {source!r}" if isinstance(source, str) else ""
        return None, [
            f"{where}: the name must be a slug such as {example!r} (lower-case letters, "
            f"digits and hyphens): it is the NAME in NAME:solution-id{skipped}"
        ]
    if isinstance(entry, str):
        entry = {"source": entry}
    if not isinstance(entry, Mapping):
        return None, [
            f"{where} must be a path or URL, or a dict with 'source' and an optional 'url', "
            f"not {describe(entry)}"
        ]
    problems = [
        f"{where}: unknown key {key!r}{hint(str(key), _KEYS)}" for key in entry if key not in _KEYS
    ]
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        problems.append(
            f"{where} needs 'source': the path (relative to the conf dir) or the http(s) URL "
            f"of that project's mlrefarch.json, not {describe(source)}"
        )
        return None, problems
    scheme = _scheme(source)
    if scheme and scheme not in WEB:
        problems.append(
            f"{where}: source {source!r} is a {scheme}: URL; only http(s) URLs or paths "
            "(relative to the conf dir) can be imported"
        )
        return None, problems
    if scheme and not _hostname(source):
        problems.append(
            f"{where}: source {source!r} names no valid host; expected http(s)://HOST/..."
        )
        return None, problems
    url = entry.get("url")
    if url is None:
        base = _directory(source) if scheme else None
    elif not isinstance(url, str) or not url.strip() or _scheme(url) not in ("", *WEB):
        problems.append(
            f"{where}: 'url' must be the base of that project's HTML, an http(s) URL such as "
            f"'https://docs.example.org/{name}/' (or a path relative to this project's output), "
            f"not {describe(url)}; its entries render unlinked"
        )
        base = None
    else:
        base = _as_base(url)
    return ImportSpec(name, source, base), problems


def named(name: object) -> str:
    """How messages name an import: ``mlrefarch_import['payments']``."""
    return f"mlrefarch_import[{name!r}]"


def _scheme(text: str) -> str:
    """The URL scheme of ``text``; "" for a path (also for ``C:\\...`` on Windows)."""
    match = _SCHEME.match(text)
    return match.group(1).lower() if match and len(match.group(1)) > 1 else ""


def _hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:  # a bad port or IPv6 address
        return None


def _directory(url: str) -> str:
    """The directory of an http(s) source: ``https://h/p/mlrefarch.json`` -> ``https://h/p/``."""
    parts = urlsplit(url)
    path = parts.path[: parts.path.rfind("/") + 1] or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _as_base(url: str) -> str:
    """A ``url`` from ``conf.py`` names a directory: it ends in "/" (no query, no fragment)."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _source_key(spec: ImportSpec, confdir: StrPath) -> str:
    """What two sources are compared by: the resolved path, or the URL with its host lower-cased."""
    if spec.is_url:
        parts = urlsplit(spec.source)
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))
    return str(resolve(Path(confdir) / spec.source))


def parse(raw: bytes) -> dict[str, Any]:
    """The bytes as an ``mlrefarch.json`` document that its schema accepts."""
    if not raw.strip():
        raise SourceError(f"it is empty; expected the {FILENAME} a sphinx-mlrefarch build writes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(
            f"it is not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            f"{FILENAME} is UTF-8 JSON"
        ) from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise SourceError(
            f"invalid JSON at line {error.lineno}:{error.colno}: {error.msg} (an incomplete or "
            "hand-edited file? rebuild that project)"
        ) from None
    except RecursionError:
        raise SourceError(f"not an {FILENAME}: nested too deeply") from None
    if not isinstance(data, dict):
        raise SourceError(
            f"not an {FILENAME}: expected a JSON object with 'version', 'model' and "
            f"'solutions', got {describe(data)}"
        )
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise SourceError(
            f"its format version {version} was written by a newer sphinx-mlrefarch (this one "
            f"reads version {FORMAT_VERSION}); upgrade sphinx-mlrefarch"
        )
    from jsonschema.exceptions import best_match  # only builds that import pay for it

    first = best_match(_validator().iter_errors(data))
    if first is not None:
        detail = textwrap.shorten(first.message, 200, placeholder=" ...")
        raise SourceError(f"not a valid {FILENAME} at {first.json_path}: {detail}")
    return data


def _no_constant(name: str) -> NoReturn:
    # NaN would make an import unequal to itself, so every build would see it "changed".
    raise SourceError(f"invalid JSON: {name} is not a number JSON allows")


@cache
def _validator() -> jsonschema.protocols.Validator:
    """The shipped schema, open to keys it does not name.

    A project on a newer sphinx-mlrefarch with the same format version may
    write fields this one does not know (the format grows by optional
    fields); refusing its file for them would break every office that
    upgrades later than its teams.
    """
    from jsonschema.validators import validator_for

    schema = _open(load_schema("mlrefarch.schema.json"))
    return validator_for(schema)(schema)


def _open(node: Any) -> Any:
    if isinstance(node, dict):
        closed = ("additionalProperties", "unevaluatedProperties")
        return {k: _open(v) for k, v in node.items() if not (k in closed and v is False)}
    if isinstance(node, list):
        return [_open(item) for item in node]
    return node
