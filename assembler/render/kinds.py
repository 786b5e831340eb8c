"""The kinds of template a deliverable may have, and what fills each (loaded when first used).

A deliverable's kind is its template's extension:

| kind | the file | filled by |
|---|---|---|
| docx | a Word document | ``word`` (docxtpl) |
| xlsx | an Excel workbook | ``excel`` |
| pptx | a slide deck | ``slides`` (python-pptx) |
| ics | a calendar invitation (RFC 5545) | ``calendar`` (icalendar) |
| xml | a schedule for MS Project and ProjectLibre (MSPDI) | ``mspdi`` |

The zip kinds give the parts of the file, which the package normalises (fixed order and
timestamps, core properties from the answers); the others give the file's bytes, or None when the
answers give nothing to make of it (a meeting with no date has no invitation).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from assembler.rules.catalog import TEMPLATE_KINDS

ZIPPED = ("docx", "xlsx", "pptx")
KINDS = TEMPLATE_KINDS
_MODULES = {"docx": "word", "xlsx": "excel", "pptx": "slides", "ics": "calendar", "xml": "mspdi"}


def _module(kind: str) -> Any:
    return importlib.import_module(f"assembler.render.{_MODULES[kind]}")


def render(kind: str, template: Path, context: Mapping[str, Any]) -> list[tuple[str, bytes]] | bytes | None:
    """The filled file: its zip parts (``ZIPPED`` kinds) or its bytes; None when there is nothing to make."""
    module = _module(kind)
    return module.render_parts(template, context) if kind in ZIPPED else module.render(template, context)


def sources(kind: str, template: Path) -> list[str]:
    """The template's text that templating reads (for the answers a document depends on)."""
    module = _module(kind)
    return list(module.sources(template)) if hasattr(module, "sources") else []


def reads(kind: str) -> tuple[str, ...]:
    """The context names the filling code itself reads, besides the template's text."""
    return tuple(getattr(_module(kind), "READS", ()))


def names(kind: str) -> dict[str, Any]:
    """The names a template of this kind reads besides the context (their fields, for ``templates check``)."""
    return dict(getattr(_module(kind), "NAMES", {}))
