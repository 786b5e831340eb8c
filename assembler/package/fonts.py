"""The fonts a package's documents ask for, and whether LibreOffice will find them for the PDFs.

Our templates ask for Calibri, which Word users have. Where it is missing LibreOffice takes
whatever fontconfig offers instead; a font with other widths breaks lines mid-word ("Decisio n").
Carlito (``fonts-crosextra-carlito``) has Calibri's metrics, so a PDF laid out with it breaks
lines where Word does; LibreOffice embeds the font it used in each PDF. ``missing`` names each
asked-for font that resolves to neither itself nor such a metric-compatible twin.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterable
from functools import lru_cache

from .files import Document

# The metric-compatible fonts that ship with free distributions, by the font they stand in for.
TWINS = {
    "calibri": ("carlito",),
    "calibri light": ("carlito",),
    "cambria": ("caladea",),
    "arial": ("liberation sans", "arimo"),
    "helvetica": ("liberation sans", "arimo"),
    "times new roman": ("liberation serif", "tinos"),
    "courier new": ("liberation mono", "cousine"),
    "courier": ("liberation mono", "cousine", "nimbus mono ps"),
}
PACKAGES = {"calibri": "fonts-crosextra-carlito", "cambria": "fonts-crosextra-caladea"}
# Fonts named in styles and text; a theme's fonts count only where a style refers to the theme.
_NAMED = re.compile(rb'(?:w:ascii|w:hAnsi)="([^"]+)"|<(?:x:)?name val="([^"]+)"')
_PARTS = ("word/styles.xml", "word/document.xml", "xl/styles.xml")


def asked(docs: Iterable[Document]) -> list[str]:
    """The font names the documents' styles and text ask for, sorted."""
    names: set[str] = set()
    for doc in docs:
        try:
            with zipfile.ZipFile(io.BytesIO(doc.data)) as zf:
                for part in set(_PARTS) & set(zf.namelist()):
                    names.update((a or b).decode("utf-8", "replace") for a, b in _NAMED.findall(zf.read(part)))
        except zipfile.BadZipFile:
            continue  # not an Office file: LibreOffice reports it when converting
    return sorted(n for n in names if n.strip())


def missing(docs: Iterable[Document]) -> list[str]:
    """One line per asked-for font that fontconfig replaces by a font of other widths (none
    where fontconfig is not there to ask: LibreOffice then has its own way of finding fonts)."""
    if shutil.which("fc-match") is None:
        return []
    lines = []
    for name in asked(docs):
        found = _resolve(name)
        lower = {f.lower() for f in found or ()}
        if found is None or name.lower() in lower or set(TWINS.get(name.lower(), ())) & lower:
            continue
        fix = PACKAGES.get(name.lower())
        hint = f"; install {fix}" if fix else ""
        lines.append(f"font {name} is not installed: the PDFs use {found[0]} in its place{hint}")
    return lines


@lru_cache(maxsize=64)
def _resolve(name: str) -> tuple[str, ...] | None:
    """The families fontconfig gives for ``name``, best first."""
    try:
        proc = subprocess.run(
            ["fc-match", "-f", "%{family}", name], capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    families = tuple(f.strip() for f in proc.stdout.split(",") if f.strip())
    return families or None
