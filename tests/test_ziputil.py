"""Compressed members: the level follows from the part's name, never from what was compressed before."""

from __future__ import annotations

import zlib

from assembler.render import ziputil


def _fresh(data: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def test_filled_parts_fast_the_rest_at_level_6() -> None:
    for name in ("word/document.xml", "word/header2.xml", "word/footer1.xml", "word/footnotes.xml",
                 "docProps/core.xml", "xl/worksheets/sheet3.xml", "xl/sharedStrings.xml"):  # fmt: skip
        assert ziputil.level(name) == ziputil.FAST == 3, name
    for name in ("word/styles.xml", "xl/styles.xml", "word/theme/theme1.xml", "[Content_Types].xml", "x/document.xml"):
        assert ziputil.level(name) == ziputil.LEVEL == 6, name


def test_the_same_bytes_under_two_names_are_compressed_at_each_names_level() -> None:
    data = b"<w:document>" + b"<w:p><w:r><w:t>same text, two parts</w:t></w:r></w:p>" * 400 + b"</w:document>"
    assert _fresh(data, 3) != _fresh(data, 6)
    styles = ziputil.deflate("word/styles.xml", data)
    document = ziputil.deflate("word/document.xml", data)
    assert styles.compressed == _fresh(data, 6) and document.compressed == _fresh(data, 3)
    assert styles.crc == document.crc == zlib.crc32(data)
