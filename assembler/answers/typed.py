"""Answers as typed: one file layered over a defaults file, where each value was written, the hash.

Pure (no parsing, no validation): ``answers`` reads the files and validates the result. A batch
layers every agency file over the same defaults: ``overlay`` shares the defaults' subtrees instead
of copying them, and the provenance of each value (``merge``) is worked out only when a problem
has to be located.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Typed:
    """An answer file as typed, layered over its defaults file if any; read, not validated.

    ``tree`` shares the defaults' subtrees (read it, never change it). Where each value was
    written is worked out only when a problem must be located.
    """

    source: str
    own: Mapping[str, Any] = field(repr=False)  # the file's own tree
    own_lines: Mapping[PathKey, int] = field(repr=False)
    defaults: str | None = None
    base: Mapping[str, Any] = field(default_factory=dict, repr=False)
    base_lines: Mapping[PathKey, int] = field(default_factory=dict, repr=False)

    @cached_property
    def tree(self) -> Mapping[str, Any]:
        return self.own if self.defaults is None else overlay(self.base, self.own)

    @cached_property
    def sections(self) -> dict[str, str]:
        """Each section's canonical JSON; a section taken whole from the defaults is shared by
        every file layered over them, and written once per process."""
        return {
            key: _shared_json(value) if self.base.get(key) is value else canonical_json(value)
            for key, value in self.tree.items()
        }

    @cached_property
    def sha256(self) -> str:
        """``tree_sha256(self.tree)``, from the sections' JSON (the canonical JSON of a mapping
        is its keys in order, each with its value's canonical JSON)."""
        text = ",".join(f"{canonical_json(key)}:{self.sections[key]}" for key in sorted(self.sections))
        return hashlib.sha256(f"{{{text}}}".encode()).hexdigest()

    @cached_property
    def flat(self) -> dict[str, Any]:
        """``{"agency.name": "...", "people[0].name": "..."}``: one path per value (read only);
        a section taken whole from the defaults is flattened once per process."""
        out: dict[str, Any] = {}
        for key, value in self.tree.items():
            if self.base.get(key) is value:
                out.update(_shared(value, f"flat {key}", lambda: flatten({key: value})))  # noqa: B023
            else:
                _flatten(value, str(key), out)
        return out

    @cached_property
    def provenance(self) -> tuple[Mapping[PathKey, int], Mapping[PathKey, str]]:
        """The line of every value and, for values from the defaults, that file's name."""
        if self.defaults is None:
            return self.own_lines, {}
        _, lines, origins = merge(self.base, self.base_lines, self.defaults, self.own, self.own_lines)
        return lines, origins


def dotted(path: PathKey) -> str:
    """``("people", 0, "name")`` → ``people[0].name``, as messages name a value."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def tree_sha256(value: Any) -> str:
    """The hash of answers as typed: what a package records and a re-run compares."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# (what, id) -> (the value, kept alive so that its id is not reused; what was made of it)
_SHARED: OrderedDict[tuple[str, int], tuple[Any, Any]] = OrderedDict()


def _shared_json(value: Any) -> str:
    """``canonical_json`` of a defaults section (never changed once read), once per process."""
    text: str = _shared(value, "json", lambda: canonical_json(value))
    return text


def _shared(value: Any, what: str, make: Any) -> Any:
    key = (what, id(value))
    hit = _SHARED.get(key)
    if hit is not None and hit[0] is value:
        _SHARED.move_to_end(key)
        return hit[1]
    made = make()
    _SHARED[key] = (value, made)
    if len(_SHARED) > 256:  # bounded: defaults files read again when changed leave old entries
        _SHARED.popitem(last=False)
    return made


def merge(
    base: Mapping[str, Any],
    base_lines: Mapping[PathKey, int],
    base_name: str,
    tree: Mapping[str, Any],
    lines: Mapping[PathKey, int],
) -> tuple[dict[str, Any], dict[PathKey, int], dict[PathKey, str]]:
    """``tree`` layered over ``base``: mappings merge key by key, lists and scalars replace.

    Returns the merged tree, the line of every value and, for values taken from ``base``, the
    base file's name, so that a problem is reported where the offending value was written.
    """
    out_lines: dict[PathKey, int] = dict(lines)
    origins: dict[PathKey, str] = {}

    def take(value: Any, path: PathKey) -> Any:  # a fresh copy of a base subtree, with provenance
        out_lines[path] = base_lines.get(path, 0)
        origins[path] = base_name
        if isinstance(value, dict):
            return {k: take(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [take(v, (*path, i)) for i, v in enumerate(value)]
        return value

    return _layer(base, tree, (), take), out_lines, origins


def overlay(base: Mapping[str, Any], tree: Mapping[str, Any]) -> dict[str, Any]:
    """The same layering as ``merge``, sharing ``base``'s subtrees: for reading only."""
    return _layer(base, tree, (), lambda value, _path: value)


def _layer(low: Mapping[str, Any], high: Mapping[str, Any], path: PathKey, take: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for key, under in low.items():  # the defaults' order, then keys only the agency gives
        if key not in high:
            merged[key] = take(under, (*path, key))
        elif isinstance(under, dict) and isinstance(high[key], dict):
            merged[key] = _layer(under, high[key], (*path, key), take)
        else:
            merged[key] = high[key]
    merged.update((k, v) for k, v in high.items() if k not in low)
    return merged


def locate(
    path: PathKey, lines: Mapping[PathKey, int], origins: Mapping[PathKey, str], name: str
) -> tuple[str, int | None]:
    while path:
        if path in lines:
            return origins.get(path, name), lines[path]
        path = path[:-1]
    return name, lines.get(())


def flatten(value: Any) -> dict[str, Any]:
    """``{"agency.name": "...", "people[0].name": "..."}``: answers as typed, one path per value."""
    out: dict[str, Any] = {}
    _flatten(value, "", out)
    return out


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            _flatten(inner, f"{prefix}[{i}]", out)
    else:
        out[prefix] = value


@dataclass(frozen=True)
class Answers:
    """A validated answer file. ``data`` is converted by the schema, ``raw`` is as typed (read only)."""

    data: Mapping[str, Any]
    typed: Typed = field(repr=False)

    @property
    def source(self) -> str:
        return self.typed.source

    @property
    def raw(self) -> Mapping[str, Any]:
        return self.typed.tree

    @property
    def defaults(self) -> str | None:
        return self.typed.defaults

    @property
    def lines(self) -> Mapping[PathKey, int]:
        return self.typed.provenance[0]

    @property
    def origins(self) -> Mapping[PathKey, str]:
        return self.typed.provenance[1]

    def locate(self, path: PathKey) -> tuple[str, int | None]:
        """The file and line a value (or its nearest given parent) was written on."""
        return locate(path, self.lines, self.origins, self.source)

    @property
    def sha256(self) -> str:
        return self.typed.sha256
