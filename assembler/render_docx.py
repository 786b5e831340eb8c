"""Fill a Word template (docxtpl syntax) with a context; the only module importing docxtpl.

Rendering runs in the project's Jinja sandbox with autoescape on and undefined names as errors.
Each distinct part (body, header, footer) is compiled once per process by that environment.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate

from . import container, sandbox
from .errors import TemplateError

_PART_NAMES = {"document": "body", "header": "header", "footer": "footer"}


class _Template(DocxTemplate):
    """docxtpl with its XML clean-up done once per distinct part, not once per document."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)


@lru_cache(maxsize=128)
def _patched(src_xml: str) -> str:
    # docxtpl's patch_xml is a pure function of the XML text (it reads no instance state).
    return str(DocxTemplate.patch_xml(None, src_xml))


def render(template: Path, context: Mapping[str, Any]) -> bytes:
    """The filled document as bytes (not yet normalised for determinism: see package)."""
    _check_container(template)
    try:
        doc = _Template(str(template))
        with sandbox.time_limit(template.name):
            doc.render(dict(context), jinja_env=sandbox.template_env(), autoescape=True)
        out = io.BytesIO()
        doc.save(out)
    except jinja2.TemplateError as exc:
        raise TemplateError(_describe(template, doc, exc, context)) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"{template.name}: not a usable Word template ({exc})") from None
    return sandbox.check_size(template.name, out.getvalue())


def sources(template: Path) -> list[str]:
    """The template text of every part (body, headers, footers) as the renderer sees it."""
    _check_container(template)
    with zipfile.ZipFile(template) as zf:
        parts = [n for n in zf.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
        return [_patched(zf.read(n).decode("utf-8")) for n in sorted(parts)]


def _check_container(template: Path) -> None:
    container.check(template, "docx")


def _describe(template: Path, doc: Any, exc: jinja2.TemplateError, context: Mapping[str, Any]) -> str:
    part = getattr(getattr(doc, "current_rendering_part", None), "partname", "") or ""
    kind = next((v for k, v in _PART_NAMES.items() if k in str(part)), "body")
    near = " ".join(t.strip() for t in getattr(exc, "docx_context", []) if t.strip())
    message = exc.message or str(exc)
    unknown = sandbox.unknown_field(message, context) if isinstance(exc, jinja2.UndefinedError) else None
    if unknown:
        message = unknown
        near = _paragraph_with(template, str(part), unknown.split("'")[1]) or near
    where = f"{template.name}, {kind}"
    return f"{where}: {message}" + (f" (near: {near[:160]})" if near else "")


def _paragraph_with(template: Path, part: str, word: str) -> str:
    """The text of the first paragraph of a part that mentions ``word`` (to point at it)."""
    with zipfile.ZipFile(template) as zf:
        name = part.lstrip("/") if part.lstrip("/") in zf.namelist() else "word/document.xml"
        xml = zf.read(name).decode("utf-8", "replace")
    for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
        text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", paragraph))
        if re.search(rf"\b{re.escape(word)}\b", text):
            return text.strip()
    return ""
