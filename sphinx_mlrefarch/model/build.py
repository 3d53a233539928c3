"""From a validated model document to a :class:`~.types.Model`.

Applies ``extends: default`` (overrides by id, additions, ``remove:``),
then checks what the schema cannot: references between parts (a block's
layer, related blocks, the process loop), unique ids, titles and aliases.
Each problem drops only the entry it is about, so references to a dropped
entry go quietly instead of cascading into more problems.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..names import close_matches, did_you_mean, hint, norm
from .merge import Origins, merge_by_id, take, unique
from .profiles import build_profiles, forget_removed
from .types import HOSTING_KEYS, Block, Entry, Hosting, Model, Principle, Process, Source
from .yaml_source import DROPPED, YamlSource

__all__ = ["build_model"]

#: Top-level keys that hold lists of entries with ids, and what one is called.
_LISTS = {
    "layers": "layer",
    "blocks": "block",
    "constraint_aspects": "constraint aspect",
    "principles": "principle",
    "profiles": "profile",
}


def _entry(item: Mapping[str, Any]) -> Entry:
    return Entry(str(item["id"]), str(item["title"]), str(item.get("description", "")))


def _value_entry(item: Any) -> dict[str, Any]:
    if isinstance(item, str):
        return {"id": item, "title": item.replace("-", " ").capitalize()}
    return dict(item)


@dataclass
class _Draft:
    """A model under construction: top-level values and lists of item dicts."""

    top: dict[str, Any]
    lists: dict[str, list[dict[str, Any]]]
    hosting: dict[str, list[dict[str, Any]]]
    origins: Origins = field(default_factory=Origins)


def _draft_from(data: Mapping[str, Any], track: bool) -> _Draft:
    origins = Origins()
    noted = origins if track else None
    lists = {key: take(data, key, noted) for key in _LISTS}
    hosting: dict[str, list[dict[str, Any]]] = {}
    for key in HOSTING_KEYS:
        values = []
        for index, item in enumerate((data.get("hosting") or {}).get(key) or ()):
            if item is DROPPED:
                continue
            value = _value_entry(item)
            if track:
                origins.note(value, ("hosting", key, index))
            values.append(value)
        hosting[key] = values
    top = {k: copy.deepcopy(v) for k, v in data.items() if k not in (*_LISTS, "hosting")}
    return _Draft(top, lists, hosting, origins)


def build_model(source: YamlSource, data: dict[str, Any], base: Callable[[], Model]) -> Model:
    """The model ``data`` describes; ``base`` gives the model that ``extends: default`` means."""
    extends = data.get("extends") == "default"
    if data.get("remove") and not extends:
        source.problem(("remove",), "'remove' only applies to a model with 'extends: default'")
    if not extends:
        return _resolve(source, _draft_from(data, track=True))
    draft = _draft_from(base().to_dict(), track=False)
    changes = _draft_from(data, track=True)
    draft.origins = changes.origins
    for name in ("id", "title", "version", "description", "process", "first_questions"):
        if name in changes.top:
            draft.top[name] = changes.top[name]
    if "source" in changes.top:
        draft.top["source"] = {**draft.top.get("source", {}), **changes.top["source"]}
    for key, what in _LISTS.items():
        # an id given twice in this file is a mistake here too, not a merge
        mine = unique(source, changes.origins, changes.lists[key], what)
        draft.lists[key] = merge_by_id(draft.lists[key], mine, draft.origins)
    for key in HOSTING_KEYS:
        draft.hosting[key] = merge_by_id(draft.hosting[key], changes.hosting[key], draft.origins)
    _apply_remove(source, draft, data.get("remove") or [])
    return _resolve(source, draft)


def _apply_remove(source: YamlSource, draft: _Draft, remove: list[Any]) -> None:
    """Drop blocks, layers and profiles named in ``remove:``.

    ``layer:x``, ``block:x`` and ``profile:x`` say which when a name is
    ambiguous. A bare name means a layer or block when one has it (what
    ``remove:`` meant before models had profiles, so older files keep their
    meaning), else a profile.
    """
    block_ids = {b["id"] for b in draft.lists["blocks"]}
    layer_ids = {layer["id"] for layer in draft.lists["layers"]}
    profile_ids = {p["id"] for p in draft.lists["profiles"]}
    gone_layers: set[str] = set()
    gone_blocks: set[str] = set()
    gone_profiles: set[str] = set()
    for index, ref in enumerate(remove):
        if ref is DROPPED:
            continue
        kind, _, name = ref.rpartition(":")
        is_block = name in block_ids and kind in ("", "block")
        is_layer = name in layer_ids and kind in ("", "layer")
        bare_profile = kind == "" and not (is_block or is_layer)
        is_profile = name in profile_ids and (kind == "profile" or bare_profile)
        if is_block and is_layer:
            source.problem(
                ("remove", index),
                f"{name!r} is both a layer and a building block; removing the layer and its "
                f"blocks (write 'block:{name}' to remove only the block, or 'layer:{name}' "
                "to say you mean the layer)",
            )
        if is_layer:
            gone_layers.add(name)
        elif is_block:
            gone_blocks.add(name)
        elif is_profile:
            gone_profiles.add(name)
        else:
            pools = {"block": block_ids, "layer": layer_ids, "profile": profile_ids}
            pool = pools.get(kind, block_ids | layer_ids | profile_ids)
            what = kind if kind in pools else "block, layer or profile"
            source.problem(
                ("remove", index),
                f"cannot remove {ref!r}: no {what} has this id"
                + did_you_mean(close_matches(name, sorted(pool))),
            )
    draft.lists["layers"] = [x for x in draft.lists["layers"] if x["id"] not in gone_layers]
    kept = []
    for block in draft.lists["blocks"]:
        if block["id"] in gone_blocks or block.get("layer") in gone_layers:
            gone_blocks.add(block["id"])
        else:
            kept.append(block)
    for block in kept:
        if "related" in block:
            block["related"] = [r for r in block["related"] if r not in gone_blocks]
    draft.lists["blocks"] = kept
    profiles = [p for p in draft.lists["profiles"] if p["id"] not in gone_profiles]
    draft.lists["profiles"] = profiles
    forget_removed(profiles, gone_blocks | gone_layers)


def _resolve(source: YamlSource, draft: _Draft) -> Model:
    """Check references between parts and freeze the draft into a Model."""
    origins = draft.origins
    layers = unique(source, origins, draft.lists["layers"], "layer")
    layer_ids = [layer["id"] for layer in layers]
    blocks_in = unique(source, origins, draft.lists["blocks"], "block")
    blocks = [b for b in blocks_in if _block_is_placed(source, origins, b, layer_ids)]
    block_ids = [b["id"] for b in blocks]
    # blocks dropped above were reported once; references to them go quietly
    rejected = {b["id"] for b in blocks_in} - set(block_ids)
    taken: dict[str, str] = {}
    for block in blocks:
        for name in (block["id"], block["title"]):
            owner = taken.setdefault(norm(name), block["id"])
            if owner != block["id"] and name == block["title"]:
                source.problem(
                    (*(origins.of(block) or ()), "title"),
                    f"title {name!r} of block {block['id']!r} already names block {owner!r}; "
                    f"references by this title resolve to {owner!r}",
                )
    frozen = [_freeze_block(source, origins, b, block_ids, rejected, taken) for b in blocks]
    # keep blocks grouped in layer order, preserving order within a layer
    order = {layer_id: pos for pos, layer_id in enumerate(layer_ids)}
    frozen.sort(key=lambda b: order[b.layer])

    aspects = unique(source, origins, draft.lists["constraint_aspects"], "constraint aspect")
    hosting = Hosting(
        **{
            key: tuple(
                _entry(v) for v in unique(source, origins, draft.hosting[key], f"hosting {key}")
            )
            for key in HOSTING_KEYS
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
        for p in unique(source, origins, draft.lists["principles"], "principle")
    )
    top = draft.top
    model = Model(
        id=str(top.get("id") or "model"),
        title=str(top.get("title") or top.get("id") or "Reference model"),
        version=str(top.get("version", "")),
        description=str(top.get("description", "")),
        source=Source(**{k: str(v) for k, v in (top.get("source") or {}).items()}),
        layers=tuple(_entry(layer) for layer in layers),
        blocks=tuple(frozen),
        constraint_aspects=tuple(_entry(a) for a in aspects),
        hosting=hosting,
        principles=principles,
        process=_process(source, top.get("process") or {}),
        first_questions=tuple(str(q) for q in top.get("first_questions") or () if q is not DROPPED),
    )
    profiles = build_profiles(source, origins, draft.lists["profiles"], model)
    return replace(model, profiles=profiles) if profiles else model


def _block_is_placed(
    source: YamlSource, origins: Origins, block: dict[str, Any], layer_ids: list[str]
) -> bool:
    """A block needs a title and a layer that exists; otherwise it is dropped with a problem."""
    path = origins.of(block) or ()
    missing = [name for name in ("title", "layer") if not block.get(name)]
    if missing:
        needs = " and ".join(repr(m) for m in missing)
        source.problem(path, f"new block {block['id']!r} needs {needs}")
        return False
    if block["layer"] not in layer_ids:
        source.problem(
            (*path, "layer"),
            f"block {block['id']!r} names layer {block['layer']!r}, which does not exist"
            + hint(block["layer"], layer_ids),
        )
        return False
    return True


def _freeze_block(
    source: YamlSource,
    origins: Origins,
    block: dict[str, Any],
    block_ids: list[str],
    rejected: set[str],
    taken: dict[str, str],
) -> Block:
    """The immutable block, keeping only related ids and aliases that are sound."""
    path = origins.of(block) or ()
    related: list[str] = []
    for index, ref in enumerate(block.get("related") or ()):
        if ref == block["id"]:
            source.problem((*path, "related", index), f"block {ref!r} cannot be related to itself")
        elif ref in rejected:
            continue
        elif ref not in block_ids:
            source.problem(
                (*path, "related", index),
                f"related block {ref!r} does not exist"
                + did_you_mean(close_matches(ref, block_ids)),
            )
        elif ref not in related:
            related.append(ref)
    aliases: list[str] = []
    for index, alias in enumerate(block.get("aliases") or ()):
        holder = taken.get(norm(alias))
        if holder is not None and holder != block["id"]:
            source.problem(
                (*path, "aliases", index),
                f"alias {alias!r} already names block {holder!r}; aliases must be unique",
            )
            continue
        taken[norm(alias)] = block["id"]
        aliases.append(str(alias))
    return Block(
        id=block["id"],
        title=str(block["title"]),
        layer=block["layer"],
        summary=str(block.get("summary", "")),
        description=str(block.get("description", "")),
        questions=tuple(str(q) for q in block.get("questions") or ()),
        aliases=tuple(aliases),
        related=tuple(related),
    )


def _process(source: YamlSource, data: Mapping[str, Any]) -> Process:
    steps: list[Entry] = []
    for index, item in enumerate(data.get("steps") or ()):
        if item is DROPPED:
            continue
        if any(s.id == item["id"] for s in steps):
            source.problem(("process", "steps", index), f"duplicate step id {item['id']!r}")
            continue
        steps.append(_entry(item))
    loop = data.get("loop") or {}
    ids = [s.id for s in steps]
    loop_from = loop.get("from", "")
    loop_to = loop.get("to", "")
    for key, ref in (("from", loop_from), ("to", loop_to)):
        if ref and ref not in ids:
            source.problem(
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
