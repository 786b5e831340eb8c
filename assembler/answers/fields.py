"""Fields the answer schema does not know, found in one walk of the tree, in file order.

Cerberus reports unknown fields too, but it sorts its list of errors each time it adds one: a
file of thousands of unknown keys (a mistake, or an attack on the web service) took minutes.
Here they are found in linear time, the first ``MAX_UNKNOWN`` reported with their lines and the
rest counted, and the schema then validates the tree without them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Any

from assembler.errors import Problem

from .typed import PathKey, dotted, locate

MAX_UNKNOWN = 20  # unknown fields reported one by one; the rest are counted


def unknown(value: Any, rules: Mapping[str, Any], path: PathKey = ()) -> Iterator[tuple[PathKey, tuple[str, ...]]]:
    """(path, the fields allowed there) of each key the schema does not know, in file order."""
    if not isinstance(value, Mapping):
        return
    for key, item in value.items():
        rule = rules.get(key) if isinstance(key, str) else None
        if rule is None:
            yield (*path, key), tuple(sorted(rules))
            continue
        inner = rule.get("schema")
        if rule.get("type") == "dict" and isinstance(inner, Mapping):
            yield from unknown(item, inner, (*path, key))
        elif rule.get("type") == "list" and isinstance(item, list) and _rows_of(inner) is not None:
            for index, row in enumerate(item):
                yield from unknown(row, _rows_of(inner) or {}, (*path, key, index))


def _rows_of(inner: Any) -> Mapping[str, Any] | None:
    """The fields of a list's rows, when its items are mappings with a schema."""
    if isinstance(inner, Mapping) and inner.get("type") == "dict" and isinstance(inner.get("schema"), Mapping):
        return inner["schema"]
    return None


def without(value: Any, drop: set[PathKey], path: PathKey = ()) -> Any:
    """The tree without the keys at ``drop`` (shared where nothing below is dropped)."""
    if not drop:
        return value
    if isinstance(value, Mapping):
        return {k: without(v, drop, (*path, k)) for k, v in value.items() if (*path, k) not in drop}
    if isinstance(value, list):
        return [without(v, drop, (*path, i)) for i, v in enumerate(value)]
    return value


def problems(
    found: list[tuple[PathKey, tuple[str, ...]]],
    lines: Mapping[PathKey, int],
    origins: Mapping[PathKey, str],
    name: str,
) -> Iterator[Problem]:
    for path, allowed in found[:MAX_UNKNOWN]:
        file, line = locate(path, lines, origins, name)
        yield Problem(file, line, dotted(path), message(path, allowed))
    if len(found) > MAX_UNKNOWN:
        path = found[MAX_UNKNOWN][0]
        file, line = locate(path, lines, origins, name)
        more = len(found) - MAX_UNKNOWN
        yield Problem(file, line, dotted(path), f"unknown field, and {more - 1} more after it (not listed)")


def message(path: PathKey, allowed: tuple[str, ...]) -> str:
    """What the user reads for an unknown field: the closest allowed name, and all of them."""
    guess = difflib.get_close_matches(str(path[-1]), allowed, n=1)
    hint = f"did you mean '{guess[0]}'? " if guess else ""
    return f"unknown field; {hint}allowed here: {', '.join(allowed)}"
