"""The reference model as immutable, picklable values.

A :class:`Model` is what every part of the extension works with: the
loader (:mod:`.load`) builds it from a file, :meth:`Model.to_dict` turns it
back into file form (for ``extends``, the JSON export and ``mlrefarch model
show``). Look-ups are built on first use and are not part of equality or
of the pickled state, so sending a model to another process stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

from ..names import norm
from .lookup import Lookup

__all__ = [
    "HOSTING_KEYS",
    "SCHEMA_VERSION",
    "Block",
    "Described",
    "Entry",
    "Hosting",
    "Model",
    "Principle",
    "Process",
    "Profile",
    "Source",
]

#: The only format version there is.
SCHEMA_VERSION = 1

#: The value lists of a model's ``hosting`` part, in file order.
HOSTING_KEYS = ("environments", "platforms", "compute", "elements", "concerns")


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


@dataclass(frozen=True)
class Profile:
    """What a kind of solution must cover: the answer to the chapter's first questions.

    A solution that names the profile must satisfy ``required`` (layer and
    block references, as in ``:required:``) and may satisfy ``strict``
    blocks only by ``addressed``: neither ``partial`` nor ``not-applicable``.
    """

    id: str
    title: str
    description: str = ""
    required: tuple[str, ...] = ()
    strict: tuple[str, ...] = ()


def _compact(item: Any, always: Iterable[str] = ("id", "title")) -> dict[str, Any]:
    """A dataclass as a mapping in field order, leaving out empty values.

    Fields named in ``always`` are kept even when empty; tuples become lists.
    """
    keep = set(always)
    out: dict[str, Any] = {}
    for spec in fields(item):
        value = getattr(item, spec.name)
        if value or spec.name in keep:
            out[spec.name] = list(value) if isinstance(value, tuple) else value
    return out


@dataclass(frozen=True)
class Described:
    """What a model or catalogue file says about itself, first in its ``to_dict``."""

    id: str
    title: str
    version: str = ""
    description: str = ""
    source: Source = field(default_factory=Source)

    def header(self) -> dict[str, Any]:
        """The first keys of the file form: ``schema``, ``id``, ``title`` and what is set."""
        out: dict[str, Any] = {"schema": SCHEMA_VERSION, "id": self.id, "title": self.title}
        if self.version:
            out["version"] = self.version
        if self.description:
            out["description"] = self.description
        source = _compact(self.source, always=())
        if source:
            out["source"] = source
        return out


@dataclass(frozen=True)
class Model(Described):
    """A loaded, consistent reference model. Immutable and picklable."""

    layers: tuple[Entry, ...] = ()
    blocks: tuple[Block, ...] = ()
    constraint_aspects: tuple[Entry, ...] = ()
    hosting: Hosting = field(default_factory=Hosting)
    principles: tuple[Principle, ...] = ()
    process: Process = field(default_factory=Process)
    first_questions: tuple[str, ...] = ()
    profiles: tuple[Profile, ...] = ()

    # -- look-ups (built on first use; not part of equality or of the pickle) ----

    @cached_property
    def block_map(self) -> dict[str, Block]:
        """Blocks by id, in model order."""
        return {b.id: b for b in self.blocks}

    @cached_property
    def block_lookup(self) -> Lookup:
        return Lookup(self.blocks)

    @cached_property
    def layer_lookup(self) -> Lookup:
        return Lookup(self.layers)

    @cached_property
    def aspect_lookup(self) -> Lookup:
        return Lookup(self.constraint_aspects)

    @cached_property
    def profile_lookup(self) -> Lookup:
        return Lookup(self.profiles)

    @cached_property
    def profile_map(self) -> dict[str, Profile]:
        return {p.id: p for p in self.profiles}

    @cached_property
    def _hosting_lookups(self) -> dict[str, Lookup]:
        return {key: Lookup(getattr(self.hosting, key)) for key in HOSTING_KEYS}

    def hosting_lookup(self, dimension: str) -> Lookup:
        """Look-up for one hosting value list (``environments``, ``platforms``, ``compute``)."""
        return self._hosting_lookups[dimension]

    def __getstate__(self) -> dict[str, Any]:
        # cached look-ups live in __dict__ beside the fields; only fields travel
        names = {spec.name for spec in fields(self)}
        return {k: v for k, v in self.__dict__.items() if k in names}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # -- questions about the model ----------------------------------------------

    def blocks_of_layer(self, layer_id: str) -> list[Block]:
        return [b for b in self.blocks if b.layer == layer_id]

    def title_of(self, entries: Iterable[Entry], entry_id: str) -> str:
        """The title of ``entry_id`` among ``entries`` (its id when there is none)."""
        return next((e.title for e in entries if e.id == entry_id), entry_id)

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
            if not kind and norm(name) == "all":
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

    # -- file form ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The model in file form (``schema: 1``), ready for YAML or JSON."""
        out = self.header()
        out["layers"] = [_compact(layer) for layer in self.layers]
        out["blocks"] = [_compact(b, ("id", "title", "layer")) for b in self.blocks]
        out["constraint_aspects"] = [_compact(a) for a in self.constraint_aspects]
        hosting = {
            key: [_compact(v) for v in getattr(self.hosting, key)]
            for key in HOSTING_KEYS
            if getattr(self.hosting, key)
        }
        if hosting:
            out["hosting"] = hosting
        if self.principles:
            out["principles"] = [_compact(p, ("id", "title", "kind")) for p in self.principles]
        if self.process.steps or self.process.title:
            out["process"] = _process_dict(self.process)
        if self.first_questions:
            out["first_questions"] = list(self.first_questions)
        if self.profiles:
            out["profiles"] = [_compact(p, ("id", "title", "required")) for p in self.profiles]
        return out


def _process_dict(process: Process) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if process.title:
        out["title"] = process.title
    if process.description:
        out["description"] = process.description
    out["steps"] = [_compact(step) for step in process.steps]
    if process.loop_from:
        out["loop"] = {"from": process.loop_from, "to": process.loop_to}
        if process.loop_label:
            out["loop"]["label"] = process.loop_label
    return out
