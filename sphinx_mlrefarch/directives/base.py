"""What every mlrefarch directive shares: option reading, located findings, the model.

The directives read their own options (see :mod:`.options`), accept any
option name and check values themselves, so every bad option becomes the
same located ``mlrefarch.option`` finding (with "did you mean") in rST and
MyST, and the directive still renders. Findings are filed in the domain,
not logged: they are reported after reading, on every build while their
cause is in the document (see :mod:`..events`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar, TypedDict, TypeVar

from docutils import nodes
from docutils.parsers.rst.states import RSTState
from sphinx.util.docutils import SphinxDirective

from ..domain import DOMAIN, MlrefarchDomain, get_domain
from ..findings import Finding
from ..model import Lookup, Model
from ..names import close_matches, did_you_mean, hint, slugify
from ..records import Place
from ..render.boxes import box, box_title
from .options import OptionValue, parse_myst_options, parse_rst_options

__all__ = ["MlrefarchDirective", "PlaceFields", "split_list"]

S = TypeVar("S", bound=str)


def _torn(item: str) -> bool:
    """An item that opens or closes a quote or bracket but not both: half of a name."""
    quoted = (item[0] in "\"'") != (item[-1] in "\"'") or item in ("'", '"')
    return quoted or any(item.count(o) != item.count(c) for o, c in ("()", "[]", "{}"))


#: A product name wrapped in inline markup (asterisks, backquotes, bars) or written
#: as a role: option values are text, so the markup would show as written.
_MARKUP = re.compile(
    r"^(?P<mark>\*\*?|``?|\|)(?P<name>.+?)(?P=mark)$"  # **x**, *x*, ``x``, `x`, |x|
    r"|^:[\w:.-]+:`(?P<role>.+)`$"  # :role:`x`
)


class PlaceFields(TypedDict):
    """Record fields for where a directive is (see :class:`..records.Place`)."""

    docname: str
    line: int | None
    file: str


def split_list(value: OptionValue) -> list[str]:
    """A list option's items: comma-separated, or a YAML list; blanks are dropped.

    ``[a, b]`` (a YAML flow list, as MyST users write it) is two items, as
    is a list from a MyST YAML options block.
    """
    if isinstance(value, list):
        items = value
    else:
        text = value.strip()
        items = text.split(",")
        if text.startswith("[") and text.endswith("]"):
            import yaml  # here: most documents never need it

            try:
                loaded = yaml.load(text, Loader=yaml.BaseLoader)
            except yaml.YAMLError:
                loaded = None
            if isinstance(loaded, list):
                items = loaded
    return [str(item).strip() for item in items if str(item).strip()]


class MlrefarchDirective(SphinxDirective):
    """Base class: one optional argument and a body, options read and checked by us."""

    has_content = True
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    #: No spec for the parsers: the option block is read by :meth:`read_options`.
    option_spec = None
    #: The options this directive takes.
    option_names: ClassVar[tuple[str, ...]] = ()
    #: False for directives that take no argument (an argument is then a warning).
    takes_argument: ClassVar[bool] = True
    #: False for directives that take no body (a body is then a warning).
    takes_content: ClassVar[bool] = True

    options: dict[str, OptionValue]

    @property
    def domain(self) -> MlrefarchDomain:
        return get_domain(self.env)

    @property
    def model(self) -> Model:
        return self.domain.model

    @property
    def kind(self) -> str:
        """The directive's name without the domain prefix."""
        return self.name.removeprefix(f"{DOMAIN}:")

    @property
    def argument(self) -> str:
        return " ".join(self.arguments).strip()

    # -- where, and what is wrong there --------------------------------------------

    def where(self) -> PlaceFields:
        """Record fields for the directive's place: its file (maybe included) and line there."""
        source, line = self.get_source_info()
        return {"docname": self.env.docname, "line": line, "file": str(source or "")}

    def warn(self, subtype: str, message: str) -> None:
        """File a finding located at this directive."""
        self.domain.add(Finding.at(subtype, message, Place(**self.where())))

    def register(self, node: nodes.Element) -> None:
        """Enter the node's id in the document, so that later ids never repeat it."""
        if node["ids"]:
            self.state.document.set_id(node)

    def titled_box(
        self,
        anchor: str | None,
        label: str,
        title: nodes.Node,
        badge: nodes.Node | None = None,
        css: str | None = None,
    ) -> nodes.container:
        """The declaration's box, its id entered, with its title line ("Label: title badge")."""
        node = box(self.kind, anchor, *([css] if css else []))
        self.register(node)
        parts = [title] if badge is None else [title, nodes.Text(" "), badge]
        node += box_title(label, *parts)
        return node

    # -- options ------------------------------------------------------------------

    def prepare(self) -> None:
        """Read and check the options, note the model dependency; call first in run()."""
        self.domain.note_model_dependency(self.env.docname)
        self.read_options()
        if not self.takes_argument and self.arguments:
            self.warn("option", f"'{self.kind}' takes no argument; ignoring {self.argument!r}")
            self.arguments = []
        if not self.takes_content and self.content:
            self.warn("option", f"'{self.kind}' takes no content; ignoring its body")

    def read_options(self) -> None:
        if isinstance(self.state, RSTState):
            argument, parsed = parse_rst_options(self.state, "\n".join(self.arguments))
            self.arguments = [argument] if argument else []
        else:  # MyST: the option block starts the content
            parsed = parse_myst_options(list(self.content))
            skip = parsed.content_lines
            while skip < len(self.content) and not self.content[skip].strip():
                skip += 1
            self.content = self.content[skip:]
            self.content_offset += skip
        for problem in parsed.problems:
            self.warn("option", f"{problem} (in '{self.kind}')")
        known = sorted(self.option_names)
        self.options = {}
        for name, value in parsed.values.items():
            if name in self.option_names:
                self.options[name] = value
                continue
            allowed = ", ".join(f":{k}:" for k in known) or "none"
            tail = did_you_mean([f":{c}:" for c in close_matches(name, known, n=1)])
            self.warn(
                "option",
                f"unknown option ':{name}:' for '{self.kind}'{tail} (options: {allowed})",
            )

    def opt(self, name: str) -> str:
        value = self.options.get(name, "")
        return (", ".join(value) if isinstance(value, list) else value).strip()

    def opt_list(self, name: str) -> list[str]:
        return split_list(self.options.get(name, ""))

    def opt_names(self, name: str) -> list[str]:
        """A list of product names, with findings for items that cannot be meant.

        Commas separate names and neither quotes nor brackets group them (a
        quoted name with a comma, or ``PostgreSQL (with PostGIS, pgvector)``,
        falls apart), an empty item is a slip, and markup is not parsed
        (``**pandas**`` would show its asterisks and match no product).
        """
        value = self.options.get(name, "")
        names = split_list(value)
        items = value if isinstance(value, list) else value.split(",")
        if names and any(not str(item).strip() for item in items):
            self.warn(
                "option", f":{name}: of '{self.kind}' has an empty item; remove the extra comma"
            )
        halves = [n for n in names if _torn(n)]
        if halves:
            split = ", ".join(repr(h) for h in halves)
            self.warn(
                "option",
                f":{name}: of '{self.kind}' splits {split} at a comma: names are separated by "
                "commas, and quotes and brackets do not group them; write the name without its "
                "comma",
            )
        for item in names:
            marked = _MARKUP.match(item)
            if marked:
                plain = (marked["name"] or marked["role"]).strip()
                self.warn(
                    "option",
                    f":{name}: of '{self.kind}' names {item!r} with markup, which is shown as "
                    f"written: names are plain text; write {plain!r}",
                )
        return names

    def choice(self, name: str, choices: Iterable[S], default: S, using: str = "") -> S:
        """One of ``choices``, case-insensitive; warns and uses ``default`` otherwise.

        ``using`` says what the default stands for in the warning (default: its value).
        """
        raw = self.opt(name)
        if not raw:
            return default
        value = raw.casefold().replace("_", "-").replace(" ", "-")
        allowed = {str(choice): choice for choice in choices}
        if value in allowed:
            return allowed[value]
        self.warn(
            "option",
            f"invalid value {raw!r} for :{name}: of '{self.kind}'"
            + hint(value, list(allowed))
            + f"; using {using or repr(str(default))}",
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
        """Resolve a reference to a model entry; ``unknown`` finding when it names nothing."""
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

    def title(self, example: str, fallback: str | None = None) -> str:
        """The directive's argument as its title; without one, a finding and a fallback.

        ``example`` is the argument the message shows; ``fallback`` (default:
        the directive's name in words) is the title used instead.
        """
        if self.argument:
            return self.argument
        used = fallback or self.kind.replace("-", " ").capitalize()
        self.warn(
            "option",
            f"'{self.kind}' needs a title, e.g. '.. {self.kind}:: {example}'; using {used!r}",
        )
        return used

    def slug_option(self, name: str, fallback: str) -> str:
        """An id option: a slug, or the slug of ``fallback``."""
        raw = self.opt(name)
        if not raw:
            return self.default_slug(fallback)
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

    def default_slug(self, fallback: str) -> str:
        return slugify(fallback) or slugify(self.env.docname) or "item"

    def parse_body(self) -> list[nodes.Node]:
        """The directive's body as nodes (no section headings inside a box)."""
        if not self.content:
            return []
        if hasattr(self, "parse_content_to_nodes"):  # Sphinx 7.4+
            return self.parse_content_to_nodes(allow_section_headings=False)
        # Sphinx 7.2 and 7.3: what parse_content_to_nodes does there
        container = nodes.Element()
        container.document = self.state.document
        memo = self.state.memo
        styles, level = memo.title_styles, memo.section_level
        memo.title_styles, memo.section_level = [], 0
        try:
            self.state.nested_parse(
                self.content, self.content_offset, container, match_titles=False
            )
        finally:
            memo.title_styles, memo.section_level = styles, level
        return list(container.children)
