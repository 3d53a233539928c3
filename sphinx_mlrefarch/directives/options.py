"""Directive options, read from the directive's own text in rST and MyST alike.

Docutils drops a directive whose option block has a repeated option (with
an error users cannot silence) and MyST keeps the last value silently; both
turn a YAML list (``sbb: [a, b]``) into a string. So the extension's
directives declare no ``option_spec`` to the parsers and read their option
block themselves: in rST with docutils' own field-list parser, in MyST
from the ``:key: value`` lines or the ``---`` YAML block that starts the
content (YAML read with PyYAML's ``BaseLoader``: every scalar a string,
nothing constructed). Every problem then becomes the same located
``mlrefarch.option`` warning in both syntaxes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from docutils import nodes, utils
from docutils.parsers.rst.states import Body, RSTState
from docutils.statemachine import StringList

__all__ = ["OptionValue", "ParsedOptions", "parse_myst_options", "parse_rst_options"]

#: An option's value: text, or a list of texts from a YAML block.
OptionValue = str | list[str]

_FIELD_MARKER = re.compile(Body.patterns["field_marker"])
#: An option on one line with a plain name: what docutils' field-list parser reads
#: as ``(name.lower(), value)``. Such blocks skip that parser, which builds a
#: state machine per block and was a large share of reading a document.
_SIMPLE_OPTION = re.compile(r":([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?):(?: +(.*))?")


@dataclass
class ParsedOptions:
    """The options of one directive, in the order written, and what was wrong with them."""

    values: dict[str, OptionValue] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    #: Lines of the content that held the options (MyST), to skip before the body.
    content_lines: int = 0

    def add(self, name: str, value: OptionValue) -> None:
        if name in self.values:
            self.repeated(name, value)
        self.values[name] = value

    def repeated(self, name: str, value: OptionValue) -> None:
        self.problems.append(
            f"option ':{name}:' is given more than once; using the last value "
            f"({_shown(value)}); give each option once"
        )


def _shown(value: OptionValue) -> str:
    return repr(value) if isinstance(value, str) else repr(", ".join(value))


def parse_rst_options(state: RSTState, argument: str) -> tuple[str, ParsedOptions]:
    """Split an rST directive's argument text into the argument and its option block.

    Without an ``option_spec`` docutils hands the option lines over as part
    of the argument; they start at the first line that looks like a field.
    """
    lines = argument.split("\n")
    start = next((i for i, text in enumerate(lines) if _FIELD_MARKER.match(text)), len(lines))
    parsed = ParsedOptions()
    block = lines[start:]
    simple = [_SIMPLE_OPTION.fullmatch(text) for text in block]
    if block and all(simple):
        for match in simple:
            assert match is not None
            parsed.add(match[1].lower(), (match[2] or "").strip())
    elif block:
        field_list = nodes.field_list()
        end, _blank = state.nested_list_parse(
            StringList(block), 0, field_list, initial_state="ExtensionOptions", blank_finish=True
        )
        try:
            pairs = utils.extract_options(field_list)
        except utils.ExtensionOptionError as exc:
            parsed.problems.append(f"invalid option block: {' '.join(map(str, exc.args))}")
            pairs = []
        for name, value in pairs:
            parsed.add(name, value or "")
        if end != len(block):
            parsed.problems.append(
                "invalid option block: every line after the argument must be an option "
                "(':name: value'); leave a blank line before the body"
            )
    return "\n".join(lines[:start]).strip(), parsed


@cache
def _string_keys() -> Any:
    """PyYAML's most basic loader (strings, lists, mappings), noting repeated keys.

    Made at the first MyST options block: rST documents do not need PyYAML.
    """
    import yaml

    class StringKeys(yaml.BaseLoader):
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.repeated: list[tuple[int, str]] = []

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            seen: set[str] = set()
            for key_node, _value in node.value:
                key = str(key_node.value)
                if key in seen:
                    self.repeated.append((key_node.start_mark.line, key))
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return StringKeys


def _yaml_block(text: str, parsed: ParsedOptions) -> None:
    import yaml

    loader = _string_keys()(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        parsed.problems.append(f"invalid options block (YAML): {exc}".split("\n")[0])
        return
    finally:
        loader.dispose()
    if data is None:
        return
    if not isinstance(data, dict):
        parsed.problems.append("the options block must be a mapping of 'name: value'")
        return
    for name, value in data.items():
        parsed.values[str(name)] = _plain(value)
    for _line, key in loader.repeated:
        parsed.repeated(key, parsed.values[key])


def _plain(value: Any) -> OptionValue:
    """A YAML value as option text (a list of texts stays a list)."""
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return "" if value is None else str(value)


def _unquoted(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def parse_myst_options(content: list[str]) -> ParsedOptions:
    """Read the option block at the start of a MyST directive's content.

    Either a ``---`` fenced YAML block or consecutive ``:name: value`` lines
    (not ``:::``, which opens a nested fence), as MyST itself reads them.
    """
    parsed = ParsedOptions()
    if content and content[0].startswith("---"):
        for index, text in enumerate(content[1:], start=1):
            if text.startswith("---"):
                _yaml_block("\n".join(content[1:index]), parsed)
                parsed.content_lines = index + 1
                return parsed
        parsed.problems.append("the options block opened with '---' is never closed")
        parsed.content_lines = len(content)
        return parsed
    count = 0
    for index, text in enumerate(content):
        stripped = text.lstrip()
        if not stripped.startswith(":") or stripped.startswith(":::"):
            break
        count = index + 1
        name, sep, value = stripped[1:].partition(":")
        if not sep or not name.strip() or " " in name.strip():
            parsed.problems.append(f"invalid option line {text.strip()!r}; write ':name: value'")
            continue
        parsed.add(name.strip(), _unquoted(value.strip()))
    parsed.content_lines = count
    return parsed
