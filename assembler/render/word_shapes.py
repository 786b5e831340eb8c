"""An element's serialised bytes from those of an element with the same markup.

Between two packages most changed elements of a Word body differ only in their text: a table
of people with other names, a paragraph with another agency. Parsing and serialising such an
element (``word_body``) gives the markup exactly as for the element it resembles, and each
text as the parser reads it and the serialiser writes it back: character and entity
references decoded, line ends normalised, then ``&``, ``<``, ``>`` and carriage returns
escaped. So the first element of a shape (its tags, and which texts are empty) is serialised
for real, its output split the same way and checked text by text against that rule; later
elements of the shape are their texts, rewritten by the rule, between the stored tags.

Anything the rule cannot vouch for is left to the parser: a tag not in the plain form, an
unknown entity or a bare ``&``, a character XML does not allow, ``]]>``, very long pieces.

Measured (instructions under callgrind, a warm batch worker, 40 agencies over shared defaults):
97.6 M per package with this, 104.6 M without (+7%); ``benchmarks/bench_reuse.py`` times it.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from itertools import chain
from typing import NamedTuple

_TAG = re.compile(r"(<[^>]*>)")  # splits a piece into text, tag, text, ..., text
# Tags whose serialised form depends on nothing but themselves: names, and attribute values
# in double or single quotes without < or > (a > inside a value would cut the split above).
_PLAIN_TAGS = re.compile(
    r"""(?:<(?:/[A-Za-z_][\w.:-]*\s*|[A-Za-z_][\w.:-]*(?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))*\s*/?)>)*"""
)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # not an XML 1.0 character
_BLANK = re.compile(r">(?:\s|&#[xX]?[0-9A-Fa-f]+;)+<")  # a text that may be all whitespace
_REF = re.compile(r"&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_MAX_PIECE = 1 << 20  # the parser has limits on text length; far above any real element
_MAX_SHAPES = 2048


class Shape(NamedTuple):
    tags: tuple[str, ...]  # as serialised, between the texts
    sections: int
    kept: tuple[int, ...] | None = None  # the texts still there, when empty elements were written <a/>


_UNUSABLE = Shape((), -1)


def split(piece: str) -> tuple[list[str], tuple[str, bytes]] | None:
    """The texts of a piece and its shape key (its tags, and which texts are empty); None when
    the rule cannot be trusted for it."""
    if len(piece) > _MAX_PIECE or "]]>" in piece or _NOT_XML.search(piece):
        return None
    tokens = _TAG.split(piece)
    texts = tokens[0::2]
    return texts, ("".join(tokens[1::2]), bytes(map(bool, texts)))


def rewrite(texts: list[str]) -> list[str] | None:
    """What the parser and serialiser make of each text; None where one is not well-formed.

    Done on all texts at once, joined by ``<`` (which no text holds): every step maps a text
    on its own, and a decoded ``<`` is written back escaped, never as a separator."""
    joined = "<".join(texts)
    if "\r" in joined:
        joined = joined.replace("\r\n", "\n").replace("\r", "\n")  # end-of-line handling, before references
    if ">" in joined:
        joined = joined.replace(">", "&gt;")
    if "&" in joined:
        if joined.count("&") != len(_REF.findall(joined)):
            return None  # a bare & or an entity XML does not predefine
        try:
            joined = _REF.sub(_character, joined)
        except ValueError:
            return None  # a character XML does not allow
    return joined.split("<")


def _character(match: re.Match[str]) -> str:
    """A reference as the serialiser writes the character it stands for."""
    hexadecimal, decimal, name = match.groups()
    if name:
        return _WRITTEN.get(name) or _NAMED[name]
    char = chr(int(hexadecimal, 16) if hexadecimal else int(decimal))  # ValueError beyond U+10FFFF
    if _NOT_XML.match(char):
        raise ValueError(char)
    return _ESCAPED.get(char, char)


_ESCAPED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_WRITTEN = {"amp": "&amp;", "lt": "&lt;", "gt": "&gt;"}


class Shapes:
    """The shapes seen in one template's bodies (bounded, most recently used kept)."""

    def __init__(self, drops_blank_text: bool = False) -> None:
        # python-docx's parser drops whitespace-only text between tags (where libxml2 judges it
        # ignorable): pieces with such a text, or one made of references, go to the parser.
        self.drops_blank_text = drops_blank_text
        self.cache: OrderedDict[tuple[str, str, bytes], Shape] = OrderedDict()

    def serialise(
        self, start: str, piece: str, full: Callable[[], tuple[bytes, int] | None]
    ) -> tuple[bytes, int] | None:
        """The piece's bytes and top-level sections, from its shape when known, else ``full()``
        (the parser's answer, then learnt as the shape)."""
        found = None if self.drops_blank_text and _BLANK.search(piece) else split(piece)
        if found is None:
            return full()
        texts, (tags, empties) = found
        key = (start, tags, empties)
        shape = self.cache.get(key)
        if shape is None:
            result = full()
            if result is not None:
                self.cache[key] = _shape(tags, texts, result)
                if len(self.cache) > _MAX_SHAPES:
                    self.cache.popitem(last=False)
            return result
        self.cache.move_to_end(key)
        if shape.kept is not None:
            texts = [texts[i] for i in shape.kept]
        written = rewrite(texts) if shape is not _UNUSABLE else None
        if written is None:
            return full()
        last = written.pop()
        body = "".join(chain.from_iterable(zip(written, shape.tags, strict=True))) + last
        return body.encode("utf-8"), shape.sections


def _shape(tags: str, texts: list[str], result: tuple[bytes, int]) -> Shape:
    """The shape of a piece whose serialisation is ``result``, if its texts line up with it."""
    data, sections = result
    tokens = _TAG.split(data.decode("utf-8"))
    if not _PLAIN_TAGS.fullmatch(tags):
        return _UNUSABLE
    out_texts = tokens[0::2]
    kept = None if len(out_texts) == len(texts) else _kept(_TAG.split(tags)[1::2], texts)
    if rewrite([texts[i] for i in kept] if kept else texts) != out_texts:
        return _UNUSABLE
    return Shape(tuple(tokens[1::2]), sections, kept)


def _kept(tags: list[str], texts: list[str]) -> tuple[int, ...] | None:
    """The texts left when every empty element (a start tag, an empty text, its end tag) is
    written as one tag; None when there is none."""
    dropped, i = set(), 0
    while i < len(tags) - 1:
        name = _NAME.match(tags[i])
        if name and not texts[i + 1] and not tags[i].endswith("/>") and tags[i + 1] == f"</{name[1]}>":
            dropped.add(i + 1)
            i += 2
        else:
            i += 1
    return tuple(i for i in range(len(texts)) if i not in dropped) if dropped else None


_NAME = re.compile(r"<([A-Za-z_][\w.:-]*)")
