"""Tracked-changes copies of regenerated Word documents; the only module importing python-redlines.

The comparison engine ships inside the ``python-redlines[docxodus]`` wheel (no download at run
time). Its output carries real ``w:ins``/``w:del`` revisions that Word and LibreOffice show as
tracked changes; revision dates are pinned to the document date so the copy is deterministic.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from assembler.errors import OutputError, UsageError

AUTHOR = "assembler"


def tracked_changes(old: bytes, new: bytes, when: dt.date) -> bytes:
    """A .docx showing ``new`` as tracked changes against ``old``."""
    try:
        from python_redlines.engines import DocxodusEngine
    except ImportError:
        raise UsageError("--redline needs the comparison engine: pip install 'python-redlines[docxodus]'") from None
    try:
        out, _, _ = DocxodusEngine().run_redline(AUTHOR, old, new)
    except Exception as exc:  # the engine reports failures as subprocess errors of several kinds
        raise OutputError(f"the tracked-changes comparison failed: {str(exc).splitlines()[0]}") from None
    return _pin_dates(out, f"{when.isoformat()}T00:00:00Z")


def _pin_dates(blob: bytes, stamp: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("word/") and info.filename.endswith(".xml"):
                data = re.sub(rb'w:date="[^"]*"', f'w:date="{stamp}"'.encode(), data)
            dst.writestr(info.filename, data)
    return out.getvalue()
