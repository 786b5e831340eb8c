"""A filled Word body serialised element by element, reusing the bytes of elements seen before.

docxtpl parses the whole filled body (``fix_tables``) and python-docx serialises the whole
document again: that was half the time of filling a Word template. A body is a sequence of
top-level elements (paragraphs, tables, the section properties), and from one package to the
next most of them come out the same. Each is parsed and serialised alone, inside the body's own
start tag (so in the same namespaces), and its bytes are kept. Parsing is done in pieces, but
the pieces together are exactly the body's text, so when each piece is well-formed on its own
the whole is the same tree, and each element serialises to the same bytes.

What docxtpl and python-docx do to the whole tree is done per element: the ``wp:docPr`` ids
are numbered in document order from 1001 (an element holding one is kept per first number), the
sections are counted, and a table whose grid docxtpl would fix is fixed by docxtpl's own code
in its element alone (``word_grid``). Anything unusual sends the whole body back to the
whole-document path: comments, processing instructions, a piece that
is not well-formed on its own (docxtpl parses in recover mode), an unknown body start tag.
The bytes before the first element and after the last are learnt from one whole-document render.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from lxml import etree

from . import word_grid, word_shapes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
_SECTIONS = etree.XPath("./w:p/w:pPr/w:sectPr | ./w:sectPr", namespaces=_NS)  # python-docx's, under the body
_DOCPR = etree.XPath("//wp:docPr", namespaces=_NS)
_START = re.compile(r"<([A-Za-z_][\w.:-]*)(?:\s[^>]*?)?(/?)>")
_MAX_ENTRIES = 4096
_MAX_BYTES = 2 * 1024 * 1024  # per template, keys and values: a body's shared elements and more


class _Element(NamedTuple):
    data: bytes  # as serialised inside the document
    docprs: int  # wp:docPr elements in it
    sections: int  # section properties at its top level


class Elements:
    """The serialised elements of one template's bodies (bounded, most recently used kept)."""

    def __init__(self, fix_tables: Callable[[str], Any] | None = None) -> None:
        self.fix_tables = fix_tables  # docxtpl's, for an element whose table grid it would change
        self.cache: OrderedDict[Any, _Element] = OrderedDict()
        self.size = 0
        self.frames: dict[str, tuple[bytes, bytes]] = {}  # body start tag -> bytes around the elements
        self.shapes = word_shapes.Shapes()

    def document(self, body: str) -> tuple[bytes, int] | None:
        """The document part's bytes and number of sections; None: do the whole-document work."""
        split = _split(body)
        if split is None or split[0] not in self.frames:
            return None
        start, end, pieces = split
        before, after = self.frames[start]
        out, number, sections = [before], 1001, 0
        for piece in pieces:
            element = self._element(start, end, piece, number)
            if element is None:
                return None
            out.append(element.data)
            number += element.docprs
            sections += element.sections
        out.append(after)
        return b"".join(out), sections

    def learn(self, body: str, document: bytes) -> None:
        """After a whole-document render of ``body``: the bytes around its elements."""
        split = _split(body)
        if split is None or split[0] in self.frames:
            return
        start, end, pieces = split
        out, number = [], 1001
        for piece in pieces:
            element = self._element(start, end, piece, number)
            if element is None:
                return
            out.append(element.data)
            number += element.docprs
        inner = b"".join(out)
        at = document.find(inner) if inner else -1
        if at > 0 and document.find(inner, at + 1) < 0:
            self.frames[start] = (document[:at], document[at + len(inner) :])

    def _element(self, start: str, end: str, piece: str, number: int) -> _Element | None:
        key = (piece, number) if "docPr" in piece else piece
        found = self.cache.get(key)
        if found is not None:
            self.cache.move_to_end(key)
            return found
        if "<!" in piece or "<?" in piece:  # comments, CDATA, declarations, processing instructions
            return None  # looked for in new pieces only: a whole body takes as long as filling it
        if "docPr" in piece:
            element = _serialise(start, end, piece, number, self.fix_tables)
        else:  # most new elements differ from one seen before only in their text (word_shapes)
            made = self.shapes.serialise(
                start, piece, lambda: _bytes(_serialise(start, end, piece, number, self.fix_tables))
            )
            element = None if made is None else _Element(made[0], 0, made[1])
        if element is not None:
            self.cache[key] = element
            self.size += len(piece) + len(element.data)
            while len(self.cache) > _MAX_ENTRIES or self.size > _MAX_BYTES:
                old_key, old = self.cache.popitem(last=False)
                self.size -= len(old_key[0] if isinstance(old_key, tuple) else old_key) + len(old.data)
        return element


def _split(body: str) -> tuple[str, str, list[str]] | None:
    """The body's start tag, end tag and pieces: leading text, then each top-level element with
    the text after it. None when the body is not of the plain form this handles."""
    first = _START.match(body)
    if first is None or first[2]:
        return None
    start, end = first[0], f"</{first[1]}>"
    if not body.endswith(end):
        return None
    inner = body[len(start) : -len(end)]
    pieces, at = [], inner.find("<")
    if at != 0:
        pieces.append(inner if at < 0 else inner[:at])
    while 0 <= at < len(inner):
        tag = _START.match(inner, at)
        if tag is None:
            return None
        stop = tag.end() if tag[2] else _closed(inner, tag[1], tag.end())
        if stop < 0:
            return None
        following = inner.find("<", stop)
        following = len(inner) if following < 0 else following
        pieces.append(inner[at:following])
        at = following
    return start, end, pieces


def _closed(text: str, name: str, at: int) -> int:
    """Where the element named ``name`` whose content starts at ``at`` ends (after its end
    tag), counting elements of the same name inside; -1 if it does not. With str.find: a
    regex would look at every character of the (often two-byte) text."""
    opening, closing, depth = f"<{name}", f"</{name}>", 1
    while True:
        end = text.find(closing, at)
        if end < 0:
            return -1
        inside = text.find(opening, at, end)
        while inside >= 0 and text[inside + len(opening)] not in _AFTER_NAME:  # <w:pPr is not <w:p
            inside = text.find(opening, inside + 1, end)
        if inside < 0:  # the end tag is the next event: it closes one level
            depth -= 1
            at = end + len(closing)
            if not depth:
                return at
            continue
        gt = text.find(">", inside)
        depth += text[gt - 1] != "/"  # a nested element of the same name opens, unless self-closing
        at = gt + 1


_AFTER_NAME = frozenset(" \t\r\n/>")


def _serialise(
    start: str, end: str, piece: str, number: int, fix_tables: Callable[[str], Any] | None = None
) -> _Element | None:
    frame = _frame(start, end)
    if frame is None:
        return None
    try:
        wrapper = etree.fromstring(start + piece + end, parser=etree.XMLParser())
    except etree.XMLSyntaxError:
        return None  # docxtpl's recovering parser decides what this becomes
    # What is looked for only where its name appears in the text (names are never escaped).
    if ("tbl" in piece or "gridSpan" in piece) and not word_grid.tables_fit(wrapper):
        if fix_tables is None or not word_grid.fixable(wrapper):
            return None
        wrapper = fix_tables(start + piece + end)  # each table's grid follows from its own rows

    docprs = _DOCPR(wrapper) if "docPr" in piece else []
    for n, elt in enumerate(docprs, start=number):
        elt.attrib["id"] = str(n)  # docxtpl's fix_docpr_ids
    head, tail = frame
    data = etree.tostring(wrapper, encoding="UTF-8")
    if not (data.startswith(head) and data.endswith(tail)):
        return None
    sections = len(_SECTIONS(wrapper)) if "sectPr" in piece else 0
    return _Element(data[len(head) : len(data) - len(tail)], len(docprs), sections)


def _bytes(element: _Element | None) -> tuple[bytes, int] | None:
    return None if element is None else (element.data, element.sections)


@lru_cache(maxsize=64)
def _frame(start: str, end: str) -> tuple[bytes, bytes] | None:
    """How the body's own start and end tags serialise (around a known text); None for a body
    without the w: namespace (docxtpl's fix_tables fails on it)."""
    try:
        wrapper = etree.fromstring(start + "M" + end)
    except etree.XMLSyntaxError:
        return None
    if "w" not in wrapper.nsmap:
        return None
    data = etree.tostring(wrapper, encoding="UTF-8")
    at = data.rindex(b"M")
    return data[:at], data[at + 1 :]


_NEWLINE_BEFORE_P = re.compile(r"\n(?=<w:p[ >])")  # what render_xml_part added for line numbers


def unescape(xml: str) -> str:
    """What docxtpl's render_xml_part does to the filled XML before resolving listings."""
    # docxtpl's re.sub(r"\n<w:p([ >])", r"<w:p\1", ...), in one pass that copies no group
    xml = _NEWLINE_BEFORE_P.sub("", xml)
    # Each of the four holds "{_" or "_}"; a brace is looked for first, much faster than a pair.
    if ("{" in xml or "}" in xml) and ("{_" in xml or "_}" in xml):
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    return xml


LISTING = ("\t", "\a", "\n", "\f")  # the only characters docxtpl's resolve_listing rewrites
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # resolve_listing's paragraph
_CLOSE = "</w:p>"


def resolve_listings(xml: str, fix: Callable[[re.Match[str]], str]) -> str:
    """docxtpl's ``re.sub(paragraph, resolve_paragraph, xml)`` (``fix``), run only around the characters
    it rewrites. Right after any ``</w:p>`` no match is under way (a match ends at the first
    ``</w:p>`` after its start), and the regex scans forward only: the text between two such
    places gives the same matches alone as within the whole."""
    windows: list[list[int]] = []
    for at in sorted(at for c in LISTING for at in _places(xml, c)):
        if windows and at < windows[-1][1]:
            continue
        before = xml.rfind(_CLOSE, 0, at)
        after = xml.find(_CLOSE, at)
        start, end = (0 if before < 0 else before + len(_CLOSE)), (len(xml) if after < 0 else after + len(_CLOSE))
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    if not windows:
        return xml
    out, done = [], 0
    for start, end in windows:
        out += [xml[done:start], _PARAGRAPH.sub(fix, xml[start:end])]
        done = end
    out.append(xml[done:])
    return "".join(out)


def _places(text: str, char: str) -> Iterator[int]:
    # str.find, not a regex: a character class is matched one character at a time
    at = text.find(char)
    while at >= 0:
        yield at
        at = text.find(char, at + 1)


def memo(cache: OrderedDict[Any, Any], key: Any, make: Callable[..., Any], *args: Any) -> Any:
    value = cache.get(key)
    if value is None:
        value = cache[key] = make(*args)
        if len(cache) > 32:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return value
