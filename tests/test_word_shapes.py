"""An element made from a known shape has the bytes parsing and serialising it would give."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from assembler.render import word, word_body, word_shapes

START = f'<w:body xmlns:w="{word_body.W}">'
END = "</w:body>"
SHAPE = (
    '<w:p><w:pPr><w:pStyle w:val="Body"/></w:pPr>'
    '<w:r><w:t xml:space="preserve">{}</w:t></w:r><w:r><w:t>{}</w:t></w:r></w:p>{}'
)


def _parsed(piece: str) -> tuple[bytes, int] | None:
    element = word_body._serialise(START, END, piece, 1001)
    return None if element is None else (element.data, element.sections)


def _primed() -> word_shapes.Shapes:
    shapes = word_shapes.Shapes()
    first = SHAPE.format("known", "text", "\n")
    assert shapes.serialise(START, first, lambda: _parsed(first)) == _parsed(first)
    return shapes


# Texts as templates and answers make them: escaped and raw characters, references of every
# kind (good, unknown, out of range, to characters XML forbids), line ends, non-ASCII.
_ATOMS = st.sampled_from(
    [
        "a", " ", "é", "€", "😀", "\t", "\n", "\r", "\r\n", ">", "'", '"', "]]>", "]]", "&amp;", "&lt;", "&gt;",
        "&quot;", "&apos;", "&#34;", "&#39;", "&#13;", "&#xD;", "&#10;", "&#9;", "&#60;", "&#38;", "&#x3C;",
        "&#160;", "&#x1F600;", "&#0065;", "&#1;", "&#0;", "&#xD800;", "&#xFFFE;", "&#x110000;", "&#99999999;",
        "&nbsp;", "&", "&amp", "\x01", "\x7f", "\u2028", "\ufffe", "<", "&#x0000041;",
    ]
)  # fmt: skip
_TEXTS = st.lists(_ATOMS, min_size=1, max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS, _TEXTS, st.sampled_from(["\n", "", " ", "\r\n", "&#32;"]))
def test_a_known_shape_gives_the_parsers_bytes(first: str, second: str, tail: str) -> None:
    shapes = _primed()
    piece = SHAPE.format(first, second, tail)
    calls: list[str] = []

    def full() -> tuple[bytes, int] | None:
        calls.append(piece)
        return _parsed(piece)

    assert shapes.serialise(START, piece, full) == _parsed(piece)
    if tail == "\n" and all(c not in first + second for c in "&<\r\x01\ufffe") and "]]>" not in first + second:
        assert not calls  # plain text: made from the shape, without the parser


def test_empty_elements_written_as_one_tag_still_line_up() -> None:
    shapes = word_shapes.Shapes()
    row = (
        '<w:tbl><w:tblGrid><w:gridCol w:w="900"/></w:tblGrid><w:tr><w:tc>'
        "<w:p><w:r><w:t>{}</w:t></w:r><w:r><w:t></w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    first, second = row.format("Ada"), row.format("Grace &amp; Co &#34;x&#34; > y")
    assert b"<w:t/>" in _parsed(first)[0]  # type: ignore[index]
    shapes.serialise(START, first, lambda: _parsed(first))
    made = shapes.serialise(START, second, lambda: None)  # never asks the parser
    assert made == _parsed(second)


def test_tags_outside_the_plain_form_are_left_to_the_parser() -> None:
    shapes = word_shapes.Shapes()
    odd = '<w:p w:x=">"><w:r><w:t>{}</w:t></w:r></w:p>'  # a > inside a value cuts the split
    calls: list[str] = []

    def full(piece: str) -> tuple[bytes, int] | None:
        calls.append(piece)
        return _parsed(piece)

    pieces = [odd.format(text) for text in ("one", "two")]
    for piece in pieces:
        assert shapes.serialise(START, piece, lambda p=piece: full(p)) == _parsed(piece)  # type: ignore[misc]
    assert calls == pieces


def test_text_rewriting_follows_the_parser() -> None:
    assert word_shapes.rewrite(["a &amp; b", "&#34;q&#39;", "x>y", "a\r\nb\rc", "&#13;", "&#60;&#38;"]) == [
        "a &amp; b",
        "\"q'",
        "x&gt;y",
        "a\nb\nc",
        "&#13;",
        "&lt;&amp;",
    ]
    for bad in ("a & b", "&nbsp;", "&#1;", "&#xD800;", "&#x110000;"):
        assert word_shapes.rewrite(["fine", bad]) is None


HEADER = (
    f'<w:hdr xmlns:w="{word_body.W}"><w:p><w:pPr><w:jc w:val="right"/></w:pPr>'
    '<w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p><w:p>{}<w:r><w:t>{}</w:t></w:r>{}</w:p></w:hdr>'
)
_GAPS = st.sampled_from(["", " ", "\n  ", "&#32;", "&#x9;", "x", " x ", "&#160;"])


@settings(max_examples=300, deadline=None)
@given(_TEXTS, _GAPS, _TEXTS, _GAPS, st.booleans())
def test_headers_and_footers_are_what_python_docx_writes(a: str, gap: str, b: str, tail: str, prolog: bool) -> None:
    # python-docx's parser drops blank text between tags: such pieces are left to it
    holder = SimpleNamespace(part_shapes=word_shapes.Shapes(drops_blank_text=True))
    declaration = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n" if prolog else ""
    for text in (HEADER.format("Agency", "g", "Page", "t"), declaration + HEADER.format(a, gap, b, tail)):
        try:
            expected: bytes | None = word._serialized(text.encode("utf-8"))
        except etree.XMLSyntaxError:
            expected = None
        try:
            made: bytes | None = word._Prepared._header_footer(holder, text, "utf-8")  # type: ignore[arg-type]
        except etree.XMLSyntaxError:
            made = None
        assert made == expected
