"""Strict YAML reading: the tree as typed and the line of every value; the only module importing ruamel.yaml.

Reading is done from the YAML parser's events, not its constructor, so that every scalar stays
the text the user typed (``NO``, ``010``, ``12:30`` and ``1e3`` are strings here) and every value
knows its line. Anchors, aliases, merge keys, explicit tags, duplicate keys, several documents,
non-mapping roots and characters a document cannot hold are refused, each with its line.

With ``typed`` (``files.read_data``), plain scalars are typed by YAML 1.2's JSON schema instead.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML, events
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from assembler.errors import InputError, Problem

from .typed import PathKey, dotted

MAX_BYTES = 2 * 1024 * 1024  # a realistic answer file is a few KB
MAX_DEPTH = 40
MAX_NODES = 200_000

# Characters XML 1.0 cannot carry (tab, line feed and carriage return are fine).
_SURROGATE = re.compile("[\ud800-\udfff]")
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# docxtpl turns \a into a new paragraph and \f into a page break: in Word data they are markup
FORBIDDEN_IN_WORD = re.compile("[\x00-\x06\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def read_tree(path: Path) -> tuple[dict[str, Any], dict[PathKey, int]]:
    """The as-typed tree of an answer file and the line of every value in it."""
    return parse_text(read_text(path), str(path))


def read_text(path: Path, what: str = "answer file") -> str:
    """A file's text, refused with a clear message when missing, a folder, too large or not UTF-8."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            blob = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"{name}: no such {what}") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder, not {'an' if what[0] in 'aeiou' else 'a'} {what}") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror})") from None
    if len(blob) > MAX_BYTES:
        raise too_large(name)
    return decode(blob, name)


def too_large(name: str) -> InputError:
    """The error for an answer file over ``MAX_BYTES`` (read when raised: a deployment may change it)."""
    size = f"{MAX_BYTES / 2**20:g} MB" if MAX_BYTES >= 2**20 else f"{MAX_BYTES / 1024:g} KB"
    return InputError(f"{name}: larger than {size}; not an answer file")


def decode(blob: bytes, name: str) -> str:
    if blob.startswith(b"\xef\xbb\xbf"):
        blob = blob[3:]
    try:
        return blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = blob[: exc.start].count(b"\n") + 1
        raise InputError(
            "invalid UTF-8",
            [Problem(name, line, "", f"byte 0x{blob[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")],
        ) from None


# YAML 1.2's JSON schema: the plain scalars that are not text.
_JSON_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_JSON_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_JSON_WORDS: dict[str, Any] = {"true": True, "false": False, "null": None, "~": None}


def _json_scalar(text: str) -> Any:
    if text in _JSON_WORDS:
        return _JSON_WORDS[text]
    if _JSON_INT.fullmatch(text):
        return int(text)
    if _JSON_FLOAT.fullmatch(text):
        return float(text)
    return text


def parse_typed(text: str, name: str, forbidden: re.Pattern[str] = FORBIDDEN) -> dict[str, Any]:
    """A YAML text's tree with plain scalars typed by YAML 1.2's JSON schema (``render --raw``)."""
    try:
        return _parse(text, name, pure=True, typed=True, forbidden=forbidden)[0]
    except RecursionError:
        raise InputError("too deeply nested", [Problem(name, None, "", "nested too deeply")]) from None


def parse_text(text: str, name: str) -> tuple[dict[str, Any], dict[PathKey, int]]:
    try:
        # libyaml's parser is ~25x faster; any problem is re-parsed by the pure one, whose
        # messages (and acceptance of JSON surrogate escapes) are the ones we document.
        return _parse(text, name, pure=False)
    except (InputError, YAMLError, RecursionError):
        return _parse(text, name, pure=True)


def _parse(
    text: str, name: str, pure: bool, typed: bool = False, forbidden: re.Pattern[str] = FORBIDDEN
) -> tuple[dict[str, Any], dict[PathKey, int]]:
    lines: dict[PathKey, int] = {}
    if not pure:
        return _build(name, lines, text, pure), lines
    try:
        tree = _build(name, lines, text, pure, typed, forbidden)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = (exc.problem or exc.context or "not valid YAML").strip()
        raise InputError("not valid YAML", [Problem(name, line, "", f"not valid YAML: {what}")]) from None
    except ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        what = f"character U+{exc.character:04X} is not allowed (a control character); remove it"
        raise InputError("not valid YAML", [Problem(name, line, "", what)]) from None
    except YAMLError as exc:
        raise InputError("not valid YAML", [Problem(name, None, "", f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise InputError("too deeply nested", [Problem(name, None, "", "nested too deeply")]) from None
    return tree, lines


def _build(
    name: str,
    lines: dict[PathKey, int],
    text: str,
    pure: bool,
    typed: bool = False,
    forbidden: re.Pattern[str] = FORBIDDEN,
) -> dict[str, Any]:
    events = _parser(pure).parse(text)
    try:
        return _Builder(name, lines, typed, forbidden).build(events)
    finally:
        events.close()  # the parser is reused: release it now, also when the text is refused


_PARSERS = threading.local()


def _parser(pure: bool) -> YAML:
    """The "safe" parser (the round-trip one marks folded line breaks with \a inside values),
    one of each kind per thread: making one looks for plug-ins on disk every time."""
    made = getattr(_PARSERS, "pure" if pure else "c", None)
    if made is None:
        made = YAML(typ="safe", pure=pure)
        setattr(_PARSERS, "pure" if pure else "c", made)
    return made


class _Builder:
    """Builds plain dicts, lists and strings from parser events, refusing YAML's surprises."""

    def __init__(
        self, name: str, lines: dict[PathKey, int], typed: bool = False, forbidden: re.Pattern[str] = FORBIDDEN
    ) -> None:
        self.name = name
        self.lines = lines
        self.typed = typed  # plain scalars by YAML 1.2's JSON schema
        self.forbidden = forbidden
        self.nodes = 0

    def _refuse(self, event: events.Event, path: PathKey, message: str) -> InputError:
        return InputError(message, [Problem(self.name, event.start_mark.line + 1, dotted(path), message)])

    def build(self, stream: Iterator[events.Event]) -> dict[str, Any]:
        docs: list[Any] = []
        for event in stream:
            if isinstance(event, events.DocumentStartEvent):
                if docs:
                    raise self._refuse(event, (), "holds more than one YAML document; keep one per file")
                docs.append(self._node(next(stream), stream, (), 0))
        if not docs or docs[0] is None:
            raise InputError("empty", [Problem(self.name, None, "", "the answer file is empty")])
        if not isinstance(docs[0], dict):
            raise InputError(
                "not a mapping", [Problem(self.name, 1, "", "must be a mapping of sections (agency:, system:, ...)")]
            )
        return docs[0]

    def _node(self, event: events.Event, stream: Iterator[events.Event], path: PathKey, depth: int) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise self._refuse(event, path, "nested too deeply or too large for an answer file")
        if isinstance(event, events.AliasEvent):
            raise self._refuse(event, path, "aliases (*name) are not allowed; write the value out")
        if getattr(event, "anchor", None):
            raise self._refuse(event, path, "anchors (&name) are not allowed; write the value out")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise self._refuse(event, path, f"tags ({tag}) are not allowed; remove the tag")
        self.lines[path] = event.start_mark.line + 1
        if isinstance(event, events.ScalarEvent):
            value = event.value
            if _SURROGATE.search(value):  # JSON-style "\ud83d\ude00" escapes: pair them up
                value = value.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
            bad = self.forbidden.search(value)
            if bad:  # reachable through "\a"-style escapes; Word and Excel files cannot hold them
                raise self._refuse(
                    event,
                    path,
                    f"contains U+{ord(bad.group()):04X}, a control character or "
                    "unpaired surrogate that documents cannot hold; remove it",
                )
            # An empty plain scalar is "no answer"; anything else is the text as typed.
            if event.style:
                return value
            if value == "":
                return None
            return _json_scalar(value) if self.typed else value
        if isinstance(event, events.SequenceStartEvent):
            items: list[Any] = []
            for item in stream:
                if isinstance(item, events.SequenceEndEvent):
                    return items
                items.append(self._node(item, stream, (*path, len(items)), depth + 1))
        if isinstance(event, events.MappingStartEvent):
            mapping: dict[str, Any] = {}
            for key_event in stream:
                if isinstance(key_event, events.MappingEndEvent):
                    return mapping
                if not isinstance(key_event, events.ScalarEvent) or key_event.anchor or key_event.tag:
                    raise self._refuse(key_event, path, "keys must be plain words")
                key = key_event.value
                if key == "<<":
                    raise self._refuse(key_event, path, "merge keys (<<) are not allowed; write the values out")
                if key in mapping:
                    first = self.lines.get((*path, key))
                    raise self._refuse(key_event, (*path, key), f"duplicate key (first given on line {first})")
                mapping[key] = self._node(next(stream), stream, (*path, key), depth + 1)
        raise self._refuse(event, path, "unexpected YAML structure")


def load_ours(text: str) -> Any:
    """One of our own data files (the answer schema), with YAML's usual conversions (true, 12)."""
    return YAML(typ="safe").load(text)
