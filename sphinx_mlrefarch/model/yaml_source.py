"""Reading one YAML data file safely, with a line for every path in it.

Used for model files and catalogue files alike. The text is parsed with
PyYAML's safe loader (a ``!!python/object`` tag is an error, never run), a
document that explodes when its aliases are expanded is refused before
anything walks it, and every path (``blocks[3].layer``) is mapped to the
line it starts on, so that each later problem can be located.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .problems import PathT, Problem, format_path

if TYPE_CHECKING:
    import yaml

__all__ = ["DROPPED", "MAX_NODES", "FatalError", "YamlSource", "describe", "items"]

#: Upper bound on the number of YAML nodes after expanding aliases. A real
#: model has a few thousand; the bound stops "billion laughs" documents
#: before validation would walk them.
MAX_NODES = 200_000


#: libyaml's safe loader when PyYAML has it ("auto"): about ten times faster. A
#: file it cannot read is read again with the pure loader, whose messages are
#: the ones users see, so both give the same problems. PyYAML itself is
#: imported at the first parse: with the built-in model and catalogue (read
#: from their JSON form) a build needs it only for its users' YAML (though
#: sphinxcontrib-mermaid imports it anyway, at present).
_FAST: Any = "auto"


class FatalError(Exception):
    """The document cannot be used at all."""


class _Dropped:
    """Marks a list item removed after an error, so that indexes stay stable."""

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<dropped>"

    # One marker only: ``is DROPPED`` must hold in deep copies too.
    def __copy__(self) -> _Dropped:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _Dropped:
        return self


DROPPED = _Dropped()


def items(data: Mapping[str, Any], key: str) -> Iterator[tuple[int, Any]]:
    """``(index, item)`` of the list under ``key``, skipping dropped items."""
    for index, item in enumerate(data.get(key) or ()):
        if item is not DROPPED:
            yield index, item


def describe(value: Any) -> str:
    """What a value is, for messages: "a string ('x')", "a list", "nothing (null)"."""
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


class YamlSource:
    """One file being loaded: its name, its line index and the problems found so far."""

    def __init__(self, filename: str, empty_hint: str) -> None:
        self.filename = filename
        #: What the message for an empty file says is expected.
        self.empty_hint = empty_hint
        self.lines: dict[PathT, int] = {}
        self.problems: list[Problem] = []

    # -- reporting ---------------------------------------------------------

    def line_of(self, path: PathT) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None

    def problem(self, path: PathT, message: str, at: PathT | None = None) -> None:
        """Record a problem about ``path``, located at ``at`` (default: ``path``)."""
        line = self.line_of(path if at is None else at)
        self.problems.append(Problem(message, self.filename, line, format_path(path)))

    def fatal(self, message: str, line: int | None = None) -> FatalError:
        """Record a problem that makes the file unusable; raise what this returns."""
        self.problems.append(Problem(message, self.filename, line))
        return FatalError()

    # -- parsing -----------------------------------------------------------

    def parse(self, text: str) -> dict[str, Any]:
        """The document's top-level mapping; raises :class:`FatalError` if there is none."""
        try:
            data = self._parse(text)
        except _RefusedError as refused:
            raise self.fatal(f"YAML error: {refused.problem}", refused.line) from None
        if not isinstance(data, dict):
            self.problem((), f"expected a mapping at the top of the file, got {describe(data)}")
            raise FatalError
        return data

    def _parse(self, text: str) -> Any:
        import yaml

        fast = getattr(yaml, "CSafeLoader", None) if _FAST == "auto" else _FAST
        if fast is not None:
            try:
                return self._compose(fast(text))
            except (yaml.YAMLError, FatalError, RecursionError):
                # the pure loader words the problem, as it always did; our own
                # refusals (_RefusedError) read alike from both and pass through:
                # parsing the document again would only take 30 times as long
                self.problems.clear()
        try:
            loader = yaml.SafeLoader(text)
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow
            line = text.count("\n", 0, exc.position) + 1
            raise self.fatal(f"YAML error: {str(exc).splitlines()[0]}", line) from None
        try:
            return self._compose(loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where: int | None = mark.line + 1 if mark is not None else None
            what = exc.problem or exc.context or "invalid YAML"
            if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in str(what):
                what = (
                    f"{what} (only plain YAML is allowed; "
                    "tags that build Python objects are refused)"
                )
            raise self.fatal(f"YAML error: {what}", where) from None
        except yaml.YAMLError as exc:
            raise self.fatal(f"YAML error: {exc}") from None
        except RecursionError:
            raise self.fatal("YAML error: the document is nested too deeply") from None
        finally:
            loader.dispose()

    def _compose(self, loader: Any) -> Any:
        """The document, its size checked and its lines indexed, from an open loader."""
        try:
            node = loader.get_single_node()
            if node is None:
                raise self.fatal(f"the file is empty; expected {self.empty_hint}", 1)
            _check_size(node)
            self.lines = _index_lines(node)
            return loader.construct_document(node)
        finally:
            loader.dispose()


class _RefusedError(Exception):
    """A document refused by :func:`_check_size`, at the line of the node that tripped it."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line: int | None = mark.line + 1 if mark is not None else None


def _check_size(root: yaml.Node) -> None:
    """Refuse recursive aliases and documents that explode when aliases expand."""
    import yaml

    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise _RefusedError(
                "an alias refers to its own ancestor (recursive document)", node.start_mark
            )
        active.add(key)
        total = 1
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        for child in children:
            total += size(child)
            if total > MAX_NODES:
                break
        active.discard(key)
        if total > MAX_NODES:
            raise _RefusedError(
                f"the document has more than {MAX_NODES} values once aliases are expanded",
                node.start_mark,
            )
        sizes[key] = total
        return total

    size(root)


def _index_lines(root: yaml.Node) -> dict[PathT, int]:
    """Map each path in the document to the 1-based line where it starts."""
    import yaml

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
