"""Answer files and data files read from disk.

``read`` gives an answer file as typed, layered over a defaults file (``batch``'s
``_defaults.yaml``, parsed once per process). ``read_data`` reads the data of ``render --raw``,
where types matter and no schema converts: a ``.json`` file keeps JSON's types exactly; a YAML
file follows YAML 1.2's JSON schema (a plain ``true``, ``false``, ``null``, ``~``, empty value or
JSON number is that value; everything else, ``yes``, ``NO``, ``010``, ``12:30``, ``2027-01-05``
among them, and every quoted scalar, is text).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from assembler.answers import yamlread
from assembler.answers.typed import PathKey, Typed, dotted
from assembler.answers.yamlread import read_tree
from assembler.errors import InputError, Problem

SCHEMA = Path(__file__).with_name("schema.yaml")


def read(path: str | Path, defaults: str | Path | None = None) -> Typed:
    """An answer file as typed, layered over a defaults file (``batch``'s ``_defaults.yaml``)."""
    tree, lines = read_tree(Path(path))
    if defaults is None:
        return Typed(str(path), tree, lines)
    base, base_lines = read_defaults(Path(defaults))
    return Typed(str(path), tree, lines, str(defaults), base, base_lines)


def read_defaults(path: Path) -> tuple[dict[str, Any], dict[PathKey, int]]:
    stat = _stat(path)
    return _read_cached(path, stat.st_mtime_ns, stat.st_size)


def _stat(path: Path) -> Any:
    try:
        return path.stat()
    except OSError:
        raise InputError(f"{path}: no such defaults file") from None


@lru_cache(maxsize=8)
def _read_cached(path: Path, _mtime: int, _size: int) -> tuple[dict[str, Any], dict[PathKey, int]]:
    # One parse per process for the file every agency shares; merge() never mutates it.
    return read_tree(path)


def read_data(path: Path, word: bool = False) -> dict[str, Any]:
    """A data mapping for ``render --raw``, with the types its format gives (see the module doc).

    ``word``: the data fills a Word template, where \\a and \\f are docxtpl's paragraph and
    page breaks; an Excel file cannot hold them."""
    name = str(path)
    text = yamlread.read_text(path, "data file")
    forbidden = yamlread.FORBIDDEN_IN_WORD if word else yamlread.FORBIDDEN
    if path.suffix.lower() == ".json":
        return _json_data(text, name, forbidden)
    return yamlread.parse_typed(text, name, forbidden)


def _json_data(text: str, name: str, forbidden: re.Pattern[str]) -> dict[str, Any]:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        for key, value in items:
            if key in mapping:
                raise InputError("duplicate key", [Problem(name, None, key, "duplicate key; give each key once")])
            mapping[key] = value
        return mapping

    def constant(word: str) -> Any:
        raise InputError("not JSON", [Problem(name, None, "", f"{word} is not a JSON number; write it as text")])

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise InputError("not valid JSON", [Problem(name, exc.lineno, "", f"not valid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise InputError("too deeply nested", [Problem(name, None, "", "nested too deeply")]) from None
    if not isinstance(data, dict):
        raise InputError("not a mapping", [Problem(name, 1, "", "must be a JSON object ({...}) of named values")])
    _check_texts(data, name, (), forbidden)
    return data


def _check_texts(value: Any, name: str, path: PathKey, forbidden: re.Pattern[str]) -> None:
    """The characters a Word or Excel file cannot hold, refused in JSON as they are in YAML."""
    if isinstance(value, str):
        bad = forbidden.search(value)
        if bad:
            message = f"contains U+{ord(bad.group()):04X}, a character documents cannot hold; remove it"
            raise InputError(message, [Problem(name, None, dotted(path), message)])
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_texts(key, name, path, forbidden)
            _check_texts(item, name, (*path, key), forbidden)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_texts(item, name, (*path, index), forbidden)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The answer schema, loaded once per process (parsing its YAML costs more than validating
    an answer file: the parsed schema is kept in the template cache, by its text)."""
    from assembler.templating import cache

    text = SCHEMA.read_text(encoding="utf-8")
    entry = cache.key("schema.yaml", text)
    loaded = cache.load("schema", entry)
    if not isinstance(loaded, dict):
        loaded = yamlread.load_ours(text)
        cache.store("schema", entry, loaded)
    return {k: v for k, v in loaded.items() if not k.startswith("_")}
