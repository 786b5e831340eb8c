"""Deterministic Office files: the same content always gives the same bytes.

Every Office file is re-zipped with fixed timestamps, member order and compression, and its core
properties get fixed dates (and, for our own documents, our title). Members the renderers
hand over compressed are taken as they are (``ziputil``).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable

from assembler.render import ziputil

CORE = "docProps/core.xml"  # core properties: dates and title fixed here
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def normalize(blob: bytes, title: str | None, when: dt.date | None) -> bytes:
    """Re-zip an Office file so the same content always gives the same bytes.

    ``title`` None keeps the file's own core properties (a user's template: its author's), only
    its modified date set to ``when`` when given."""
    import io

    with zipfile.ZipFile(io.BytesIO(blob)) as src:
        parts: list[ziputil.Part] = [(name, src.read(name)) for name in src.namelist()]
    return normalize_parts(parts, title, when)


def normalize_parts(parts: Iterable[ziputil.Part], title: str | None, when: dt.date | None) -> bytes:
    """What ``normalize`` makes of a file with these parts, without zipping and reading it first:
    the renderers hand over their parts, the unchanged ones already compressed."""
    stamp = None if when is None else f"{when.isoformat()}T00:00:00Z"
    # [Content_Types].xml first, as Office writes it; the rest in a fixed order.
    members = []
    for part in sorted(parts, key=lambda p: (p[0] != "[Content_Types].xml", p[0])):
        if isinstance(part, ziputil.Member) and part.name != CORE:
            members.append(part)
            continue
        name, data = part[0], part[1]
        if name == CORE:
            data = _fix_core(data, title, stamp) if title is not None else _stamp_modified(data, stamp)
        members.append(ziputil.deflate(name, data))
    try:
        return ziputil.write(members)
    except ziputil.TooLarge:
        return _normalize_zipfile(members)


def _normalize_zipfile(members: list[ziputil.Member]) -> bytes:
    """The plain zipfile writer, for archives too large for ziputil (never a real document)."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for member in members:
            info = zipfile.ZipInfo(member.name, ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, member.data, compresslevel=ziputil.level(member.name))
    return out.getvalue()


def _stamp_modified(xml: bytes, stamp: str | None) -> bytes:
    """Only the modified date set (to ``stamp``), everything else as the file has it."""
    if stamp is None:
        return xml
    tag = "dcterms:modified"
    return re.sub(rf"(<{tag}[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{stamp}\g<2>", xml.decode("utf-8")).encode("utf-8")


def _fix_core(xml: bytes, title: str, stamp: str | None) -> bytes:
    text = xml.decode("utf-8")
    for tag in ("dcterms:created", "dcterms:modified") if stamp is not None else ():
        text = re.sub(rf"(<{tag}[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{stamp}\g<2>", text)
    text = re.sub(
        r"<cp:lastModifiedBy>[^<]*</cp:lastModifiedBy>", "<cp:lastModifiedBy>assembler</cp:lastModifiedBy>", text
    )
    text = re.sub(r"<cp:revision>[^<]*</cp:revision>", "<cp:revision>1</cp:revision>", text)
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "<dc:title" in text:
        text = re.sub(r"<dc:title\s*/>|<dc:title>[^<]*</dc:title>", f"<dc:title>{safe_title}</dc:title>", text)
    return text.encode("utf-8")
