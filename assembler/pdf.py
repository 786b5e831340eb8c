"""PDF copies of a package's documents, made by headless LibreOffice (``soffice``).

LibreOffice is a separate program: ``require`` finds it before anything is built. Each run of
soffice gets its own temporary user profile, so concurrent builds (batch workers) never share
one, and converts all the documents of a package at once (its start-up costs more than a page).
soffice exits 0 even when it could not convert a file, so every PDF is checked.

LibreOffice stamps the time and a random id into each PDF; both are replaced, keeping their
length so the file's cross-reference offsets stay right, by the document date and a hash of the
content: the same document gives the same PDF bytes with the same LibreOffice and fonts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ConversionError
from .package import Document, read_manifest

SECONDS = 300  # one package; LibreOffice converts a page in milliseconds once started
_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\((D:[^)]*)\)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")
INSTALL = "install LibreOffice (e.g. apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)"


def find() -> str | None:
    """The soffice program on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require() -> str:
    exe = find()
    if exe is None:
        raise ConversionError(f"--pdf needs LibreOffice (soffice), which is not on PATH: {INSTALL}, or leave out --pdf")
    return exe


def name_of(document: str) -> str:
    return Path(document).stem + ".pdf"


def convert(docs: list[Document], when: dt.date) -> list[Document]:
    """A PDF of each document, in order; ConversionError names any that LibreOffice could not convert."""
    if not docs:
        return []
    exe = require()
    names = [name_of(d.name) for d in docs]
    if len(set(names)) != len(names):
        raise ConversionError("two documents would give the same PDF name: " + ", ".join(d.name for d in docs))
    with tempfile.TemporaryDirectory(prefix="assembler-pdf-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        for doc in docs:
            (work / "in" / doc.name).write_bytes(doc.data)
        command = [
            exe,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "out"),
            *(str(work / "in" / d.name) for d in docs),
        ]
        try:
            proc = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=SECONDS,
                env={**os.environ, "TZ": "UTC"},  # one date format in the PDF, whatever the machine's zone
                stdin=subprocess.DEVNULL,
            )
            said = (proc.stderr or proc.stdout).strip().splitlines()
        except subprocess.TimeoutExpired:
            said = [f"stopped after {SECONDS} s"]
        except OSError as exc:
            raise ConversionError(f"cannot run {exe} ({exc.strerror})") from None
        out = []
        for doc, name in zip(docs, names, strict=True):
            path = work / "out" / name
            blob = path.read_bytes() if path.is_file() else b""
            if not blob.startswith(b"%PDF-") or b"%%EOF" not in blob[-1024:]:
                why = f" ({said[-1]})" if said else ""
                raise ConversionError(f"{doc.name}: LibreOffice did not produce a PDF{why}")
            blob = steady(blob, when)
            out.append(Document(name, blob, hashlib.sha256(blob).hexdigest()))
    return out


def steady(blob: bytes, when: dt.date) -> bytes:
    """The PDF with its time stamps set to ``when`` and its id and checksum from its content."""

    def date(match: re.Match[bytes]) -> bytes:
        old = match.group(2)
        new = f"D:{when:%Y%m%d}000000".encode()
        new += b"Z"[: max(len(old) - len(new), 0)]
        if len(new) > len(old):
            return match.group(0)
        return b"/" + match.group(1) + b"(" + new + b")" + b" " * (len(old) - len(new))

    blob = _DATE.sub(date, blob)
    blanked = _CHECKSUM.sub(lambda m: _same(m, b"0"), _ID.sub(lambda m: _same(m, b"0"), blob))
    digest = hashlib.sha256(blanked).hexdigest().upper().encode() * 2
    return _CHECKSUM.sub(lambda m: _same(m, digest), _ID.sub(lambda m: _same(m, digest), blob))


def _same(match: re.Match[bytes], fill: bytes) -> bytes:
    """The match with each group's hex digits replaced from ``fill`` (same length)."""
    text, start = match.group(0), match.start(0)
    for group in range(1, (match.lastindex or 0) + 1):
        a, b = match.start(group) - start, match.end(group) - start
        piece = (fill * (b - a))[: b - a] if len(fill) == 1 else fill[: b - a]
        text = text[:a] + piece + text[b:]
    return text


def add(
    folder: Path, docs: list[Document], manifest: Mapping[str, Any], when: dt.date, force: bool = False
) -> tuple[list[Document], dict[str, Any], set[str]]:
    """The documents with their PDFs, the manifest listing them, and the PDFs kept as they were.

    A PDF whose document is unchanged since the previous package is taken from it, not made again.
    """
    previous = _previous(folder)
    kept: dict[str, Document] = {}
    for doc in docs:
        old = previous.get(doc.name)
        path = folder / name_of(doc.name)
        if force or not old or old.get("of_sha256") != doc.sha256 or not path.is_file():
            continue
        blob = path.read_bytes()
        if hashlib.sha256(blob).hexdigest() == old.get("sha256"):
            kept[doc.name] = Document(path.name, blob, old["sha256"])
    made = iter(convert([d for d in docs if d.name not in kept], when))
    pdfs = [kept[d.name] if d.name in kept else next(made) for d in docs]
    listed = [
        {"file": p.name, "of": d.name, "sha256": p.sha256, "of_sha256": d.sha256}
        for d, p in zip(docs, pdfs, strict=True)
    ]
    return docs + pdfs, {**manifest, "pdfs": listed}, {p.name for p in kept.values()}


def _previous(folder: Path) -> dict[str, Mapping[str, Any]]:
    listed = (read_manifest(folder) or {}).get("pdfs") or []
    return {p["of"]: p for p in listed if isinstance(p, Mapping) and "of" in p}
