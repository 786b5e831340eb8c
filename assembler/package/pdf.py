"""PDF copies of a package's documents, made by headless LibreOffice (``soffice``).

LibreOffice is a separate program: ``require`` finds it before anything is built. Each run of
soffice gets its own temporary user profile, so concurrent builds (batch workers) never share
one, and converts all the documents of a package at once (its start-up costs more than a page).
soffice exits 0 even when it could not convert a file, so every PDF is checked.

LibreOffice stamps the time, a random id and checksum into each PDF, and writes the embedded
fonts in an order that changes from run to run (one in five runs here). ``steady`` rewrites the
file with qpdf (pikepdf, the only module importing it): objects numbered in the order they are
reached from the document's root, dates set to the document date, the id made from the content.
The same document gives the same PDF bytes with the same LibreOffice and fonts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from assembler.errors import ConversionError

from . import fonts
from .files import Document, read_manifest

SECONDS = 300  # one package; LibreOffice converts a page in milliseconds once started
INSTALL = "install LibreOffice (e.g. apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)"


def find() -> str | None:
    """The soffice program on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require() -> str:
    exe = find()
    if exe is None:
        raise ConversionError(f"--pdf needs LibreOffice (soffice), which is not on PATH: {INSTALL}, or leave out --pdf")
    return exe


PRINTABLE = (".docx", ".xlsx", ".pptx")  # a calendar file or a schedule's XML has no pages


def name_of(document: str) -> str:
    return Path(document).stem + ".pdf"


def convert(docs: list[Document], when: dt.date) -> list[Document]:
    """A PDF of each document, in order; ConversionError names any that LibreOffice could not convert."""
    if not docs:
        return []
    exe = require()
    for line in fonts.missing(docs):
        _say(line)
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


@lru_cache(maxsize=16)
def _say(line: str) -> None:
    """A warning on standard error, once per process (a batch converts many packages)."""
    print(f"warning: {line}", file=sys.stderr)


def steady(blob: bytes, when: dt.date) -> bytes:
    """The PDF rewritten so that its bytes follow from its content: objects renumbered in the
    order qpdf reaches them, its dates set to ``when``, its id a hash of the rest."""
    import pikepdf  # only with --pdf

    try:
        with pikepdf.open(io.BytesIO(blob)) as doc:
            for key in ("/ID", "/DocChecksum"):  # random, and the first id would be kept as it is
                if key in doc.trailer:
                    del doc.trailer[key]
            stamp = pikepdf.String(f"D:{when:%Y%m%d}000000Z")
            for key in ("/CreationDate", "/ModDate"):
                if key in doc.docinfo:
                    doc.docinfo[key] = stamp
            out = io.BytesIO()
            doc.save(
                out,
                deterministic_id=True,
                object_stream_mode=pikepdf.ObjectStreamMode.disable,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,  # streams copied as they are
            )
    except pikepdf.PdfError as exc:
        raise ConversionError(f"LibreOffice wrote a PDF that cannot be read ({exc})") from None
    return out.getvalue()


def add(
    folder: Path, docs: list[Document], manifest: Mapping[str, Any], when: dt.date, force: bool = False
) -> tuple[list[Document], dict[str, Any], set[str]]:
    """The documents with their PDFs, the manifest listing them, and the PDFs kept as they were.

    A PDF whose document is unchanged since the previous package is taken from it, not made again.
    """
    previous = _previous(folder)
    kept: dict[str, Document] = {}
    printable = [d for d in docs if Path(d.name).suffix.lower() in PRINTABLE]
    for doc in printable:
        old = previous.get(doc.name)
        path = folder / name_of(doc.name)
        if force or not old or old.get("of_sha256") != doc.sha256 or not path.is_file():
            continue
        blob = path.read_bytes()
        if hashlib.sha256(blob).hexdigest() == old.get("sha256"):
            kept[doc.name] = Document(path.name, blob, old["sha256"])
    made = iter(convert([d for d in printable if d.name not in kept], when))
    pdfs = [kept[d.name] if d.name in kept else next(made) for d in printable]
    listed = [
        {"file": p.name, "of": d.name, "sha256": p.sha256, "of_sha256": d.sha256}
        for d, p in zip(printable, pdfs, strict=True)
    ]
    return docs + pdfs, {**manifest, "pdfs": listed}, {p.name for p in kept.values()}


def _previous(folder: Path) -> dict[str, Mapping[str, Any]]:
    listed = (read_manifest(folder) or {}).get("pdfs") or []
    return {p["of"]: p for p in listed if isinstance(p, Mapping) and "of" in p}
