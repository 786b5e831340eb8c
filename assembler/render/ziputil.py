"""A deterministic zip writer that takes members compressed once and kept.

Python's zipfile cannot write pre-compressed data, and compressing the same styles and theme
parts for every document dominated packaging time. This module writes the zip structures itself,
byte for byte as ``zipfile`` writes them for ``writestr(ZipInfo(name, 1980-01-01), data,
compresslevel=level(name))`` with ``create_system`` and ``external_attr`` 0, so a prepared
template compresses its unchanging parts once and hands the same ``Member`` to every document.
(A content-addressed cache of every part compressed, tried too, saved a further 3.7% of a warm
package and was left out: ``benchmarks/bench_reuse.py``.)

The parts that hold a document's filled text change from one document to the next and are
compressed for each: at level 3, which takes 40% of the time of level 6 for 12% more bytes on
those parts (2% on a package). Every other part (styles, theme, settings) is the same in every
document, compressed once per process at level 6. The level follows from the part's name alone,
so the bytes never depend on which parts a process happened to compress before.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterable
from typing import NamedTuple

LEVEL = 6
FAST = 3
_FILLED = re.compile(
    r"word/(?:document|header\d*|footer\d*|footnotes|endnotes)\.xml|docProps/core\.xml"
    r"|xl/worksheets/sheet\d+\.xml|xl/sharedStrings\.xml"
)
_ZIP64_LIMIT = (1 << 31) - 1  # zipfile switches to zip64 structures near here; we refuse instead
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0
_VERSION = 20  # zipfile's DEFAULT_VERSION
_DEFLATED = 8
_UTF8_FLAG = 0x800
_EXTERNAL_ATTR = 0o600 << 16  # zipfile turns external_attr 0 into this
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


class Member(NamedTuple):
    """One deflated zip member, with its data (a reader may need it again)."""

    name: str
    data: bytes
    crc: int
    compressed: bytes


# A part of an Office file: compressed already, or its name and bytes.
Part = Member | tuple[str, bytes]


class TooLarge(Exception):
    """The archive would need zip64 structures; the caller falls back to zipfile."""


def level(name: str) -> int:
    """The compression level of a part: FAST for the parts holding filled text, else LEVEL."""
    return FAST if _FILLED.fullmatch(name) else LEVEL


def deflate(name: str, data: bytes) -> Member:
    """``data`` compressed as zipfile does at ``level(name)`` (raw deflate)."""
    compressor = zlib.compressobj(level(name), zlib.DEFLATED, -15)
    return Member(name, data, zlib.crc32(data), compressor.compress(data) + compressor.flush())


def kept(member: Member) -> tuple[str, int, bytes]:
    """A member as plain data for a cache entry (its data is inflated again by ``restored``)."""
    return member.name, member.crc, member.compressed


def restored(name: str, crc: int, compressed: bytes) -> Member:
    """The member ``kept`` gave; ValueError when its data does not match its CRC."""
    data = zlib.decompress(compressed, -15)
    if zlib.crc32(data) != crc:
        raise ValueError(f"{name}: damaged member")
    return Member(name, data, crc, compressed)


def write(members: Iterable[Member]) -> bytes:
    """The zip archive of ``members`` in the given order; raises TooLarge where zip64 would be needed."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for m in members:
        if len(m.data) * 1.05 > _ZIP64_LIMIT or offset > _ZIP64_LIMIT:
            raise TooLarge(m.name)
        try:
            name, flags = m.name.encode("ascii"), 0
        except UnicodeEncodeError:
            name, flags = m.name.encode("utf-8"), _UTF8_FLAG
        size, csize = len(m.data), len(m.compressed)
        chunks.append(
            _LOCAL.pack(
                b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, _DOS_TIME, _DOS_DATE, m.crc, csize, size, len(name), 0
            )
        )
        chunks.append(name)
        chunks.append(m.compressed)
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02",
                _VERSION,
                0,
                _VERSION,
                0,
                flags,
                _DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                m.crc,
                csize,
                size,
                len(name),
                0,
                0,
                0,
                0,
                _EXTERNAL_ATTR,
                offset,
            )
            + name
        )
        offset += _LOCAL.size + len(name) + csize
    directory = b"".join(central)
    if len(central) > 0xFFFF or offset > _ZIP64_LIMIT or len(directory) > _ZIP64_LIMIT:
        raise TooLarge("archive")
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(chunks) + directory + end
