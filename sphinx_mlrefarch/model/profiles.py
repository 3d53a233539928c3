"""Checking a model's profiles against its layers and blocks.

A profile names layers and blocks (``required``) and blocks (``strict``);
each name that is not in the model is a located problem with a suggestion,
and is dropped, so the rest of the profile still applies. The built-in
model's profiles are checked quietly: a block that ``extends`` removed, or
that was dropped for a problem already reported, just leaves them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from ..names import did_you_mean
from .merge import Origins, unique
from .types import Model, Profile
from .yaml_source import YamlSource

__all__ = ["build_profiles", "forget_removed"]


def forget_removed(profiles: Iterable[dict[str, Any]], gone: Collection[str]) -> None:
    """Drop references to removed blocks and layers from profile dicts (in place)."""
    for profile in profiles:
        for key in ("required", "strict"):
            if key in profile:
                profile[key] = [ref for ref in profile[key] if ref.rpartition(":")[2] not in gone]


def build_profiles(
    source: YamlSource, origins: Origins, items: list[dict[str, Any]], model: Model
) -> tuple[Profile, ...]:
    """The model's profiles, each reference checked against ``model``'s layers and blocks."""
    out = []
    for item in unique(source, origins, items, "profile"):
        where = origins.of(item)
        path = where or ()
        report = where is not None  # written in the file being loaded, not built in
        missing = [name for name in ("title", "required") if name not in item]
        if missing:
            needs = " and ".join(repr(m) for m in missing)
            source.problem(path, f"new profile {item['id']!r} needs {needs}")
            continue
        required = _refs(source, path, item.get("required") or (), model, report)
        strict = []
        for index, ref in enumerate(item.get("strict") or ()):
            if ref in model.block_map:
                if ref not in strict:
                    strict.append(ref)
                continue
            if report:
                source.problem(
                    (*path, "strict", index),
                    f"profile {item['id']!r} makes {ref!r} strict, which is not a building block "
                    "of the model" + did_you_mean(model.block_lookup.suggest(ref)),
                )
        out.append(
            Profile(
                id=item["id"],
                title=str(item["title"]),
                description=str(item.get("description", "")),
                required=tuple(required),
                strict=tuple(strict),
            )
        )
    return tuple(out)


def _refs(
    source: YamlSource,
    path: tuple[str | int, ...],
    refs: Iterable[str],
    model: Model,
    report: bool,
) -> list[str]:
    kept: list[str] = []
    for index, ref in enumerate(refs):
        _blocks, unknown = model.expand([ref])
        if unknown and report:
            source.problem(
                (*path, "required", index),
                f"{ref!r} is neither a layer nor a building block of the model"
                + did_you_mean(model.suggest_block_or_layer(ref)),
            )
        elif not unknown and ref not in kept:
            kept.append(ref)
    return kept
