"""Shared behaviour of every mlrefarch directive: lenient options, located warnings.

Docutils rejects an unknown option or an option that fails its converter
with an error of its own, which users cannot silence per kind and which
differs between rST and MyST. Our directives accept any option name and
check values themselves, so every bad option becomes the same located
``mlrefarch.option`` warning (with "did you mean") in both syntaxes, and
the directive still renders.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar, TypedDict

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..log import warn
from ..model import Lookup, Model, did_you_mean, slugify
from ..project import DOMAIN, get_model, note_model_dependency

if TYPE_CHECKING:
    from ..domain import MlrefarchDomain


class Place(TypedDict):
    """Where a declaration is: the fields every record shares."""

    docname: str
    line: int | None
    file: str


class UnknownOption(str):
    """The value of an option the directive does not define."""

    __slots__ = ()


def _unchanged(value: str | None) -> str:
    return "" if value is None else str(value)


class LenientOptions(dict[str, object]):
    """An ``option_spec`` that accepts any name and marks the unknown ones.

    Always true, even when empty: docutils and MyST skip option parsing for
    a false ``option_spec`` and would take ``:name: value`` for content.
    """

    def __missing__(self, key: str) -> object:
        return lambda value: UnknownOption("" if value is None else value)

    def __bool__(self) -> bool:
        return True


def option_spec(*names: str) -> LenientOptions:
    return LenientOptions({name: _unchanged for name in names})


def split_list(value: str) -> list[str]:
    """Split a comma-separated option value, dropping blanks."""
    return [item.strip() for item in value.split(",") if item.strip()]


class MlrefarchDirective(SphinxDirective):
    """Base class: argument optional (checked by us), options checked by us."""

    has_content = True
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[LenientOptions] = option_spec()  # type: ignore[assignment]

    @property
    def domain(self) -> MlrefarchDomain:
        return self.env.get_domain(DOMAIN)  # type: ignore[return-value]

    @property
    def model(self) -> Model:
        return get_model(self.env)

    @property
    def kind(self) -> str:
        """The directive's name without the domain prefix."""
        return self.name.removeprefix(f"{DOMAIN}:")

    def warn(self, subtype: str, message: str) -> None:
        warn(subtype, message, self.get_location())

    def register(self, node: nodes.Element) -> None:
        """Enter the node's id in the document, so that later ids never repeat it."""
        if node["ids"]:
            self.state.document.set_id(node)

    def where(self) -> Place:
        """Record fields for the directive's place: its file (maybe included) and line there."""
        source, line = self.get_source_info()
        return {"docname": self.env.docname, "line": line, "file": str(source or "")}

    @property
    def argument(self) -> str:
        return " ".join(self.arguments).strip()

    #: False for directives that take no argument (an argument is then a warning).
    takes_argument = True
    #: False for directives that take no body (a body is then a warning).
    takes_content = True

    def prepare(self) -> None:
        """Report unknown options and note the model dependency; call first in run()."""
        note_model_dependency(self.env)
        if not self.takes_argument and self.arguments:
            self.warn("option", f"'{self.kind}' takes no argument; ignoring {self.argument!r}")
        if not self.takes_content and self.content:
            self.warn("option", f"'{self.kind}' takes no content; ignoring its body")
        known = sorted(k for k in self.option_spec)
        for name in list(self.options):
            if isinstance(self.options[name], UnknownOption):
                del self.options[name]
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"; did you mean ':{close[0]}:'?" if close else ""
                allowed = ", ".join(f":{k}:" for k in known) or "none"
                self.warn(
                    "option",
                    f"unknown option ':{name}:' for '{self.kind}'{hint} (options: {allowed})",
                )

    def opt(self, name: str) -> str:
        return str(self.options.get(name, "")).strip()

    def choice(self, name: str, choices: Sequence[str], default: str) -> str:
        """A value from a fixed set, case-insensitive; warns and uses ``default`` otherwise."""
        raw = self.opt(name)
        if not raw:
            return default
        value = raw.casefold().replace("_", "-").replace(" ", "-")
        if value in choices:
            return value
        close = difflib.get_close_matches(value, list(choices), n=1)
        self.warn(
            "option",
            f"invalid value {raw!r} for :{name}: of '{self.kind}'"
            + did_you_mean(close, choices)
            + f"; using {default!r}",
        )
        return default

    def flag(self, name: str) -> bool:
        """A flag option; a value given to it is ignored with a warning."""
        if name not in self.options:
            return False
        value = self.opt(name)
        if value:
            self.warn(
                "option",
                f":{name}: of '{self.kind}' is a flag and takes no value; ignoring {value!r}",
            )
        return True

    def resolve(self, lookup: Lookup, ref: str, what: str, where: str) -> str | None:
        """Resolve a reference to a model entry; warn ``unknown`` when it names nothing."""
        found = lookup.resolve(ref)
        if found is None:
            self.warn(
                "unknown",
                f"unknown {what} {ref!r} in {where}"
                + did_you_mean(lookup.suggest(ref), lookup.ids),
            )
        return found

    def resolve_all(self, lookup: Lookup, refs: Iterable[str], what: str, where: str) -> list[str]:
        out: list[str] = []
        for ref in refs:
            found = self.resolve(lookup, ref, what, where)
            if found is not None and found not in out:
                out.append(found)
        return out

    def slug_option(self, name: str, fallback: str) -> str:
        """An id option: a slug, or the slug of ``fallback``."""
        raw = self.opt(name)
        if raw:
            slug = slugify(raw)
            if slug == raw:
                return slug
            used = slug or self.default_slug(fallback)
            self.warn(
                "option",
                f":{name}: {raw!r} of '{self.kind}' is not a valid id (lower-case letters, "
                f"digits, hyphens); using {used!r}",
            )
            return used
        return self.default_slug(fallback)

    def default_slug(self, fallback: str) -> str:
        return slugify(fallback) or slugify(self.env.docname) or "item"

    def parse_body(self) -> list[nodes.Node]:
        if not self.content:
            return []
        return self.parse_content_to_nodes(allow_section_headings=False)
